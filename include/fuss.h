/*
 * fuss — Fast UserSpace Synchronization.  The umbrella header.
 *
 * See fuss/common.h for the conventions every call follows (errors as
 * positive errno values, absolute deadlines on an explicit clock, all-zero
 * objects valid), and each object's header for its manual.
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
