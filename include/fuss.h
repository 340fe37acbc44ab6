/*
 * fuss — Fast UserSpace Synchronization.  The umbrella header.
 *
 * See fuss/common.h for the conventions every call follows (errors as
 * positive errno values, absolute deadlines on an explicit clock, all-zero
 * objects valid), and each object's header for its manual.
 *
 * NO TOUCH AFTER RELEASE.  Every call that lets another thread go on (an
 * unlock, a semaphore post, an event set, a latch's last done, the end of
 * a once routine, ...) makes the atomic step that does so its last access
 * to the object; the wake-ups after it name only the object's address.  So
 * as soon as another thread can take the lock, or has returned from its
 * wait, and nobody else uses the object, that thread may destroy it and
 * free or unmap its memory, even while the releasing call has not yet
 * returned, as POSIX allows for its mutexes, rwlocks and semaphores.
 */
#ifndef FUSS_H
#define FUSS_H

#include "fuss/common.h"
#include "fuss/futex.h"
#include "fuss/mutex.h"
#include "fuss/cond.h"
#include "fuss/rwlock.h"
#include "fuss/sem.h"
#include "fuss/barrier.h"
#include "fuss/once.h"
#include "fuss/event.h"
#include "fuss/omutex.h"
#include "fuss/shm.h"

#endif
