/* The condition variable's split wait, for waiters whose mutex is not a
 * fuss_mutex_t or who must run code around the sleep (the pthread drop-in's
 * cancellation).  See SPLIT WAIT in src/cond.c. */
#ifndef FUSS_INTERNAL_COND_H
#define FUSS_INTERNAL_COND_H

#include <stdint.h>

#include "fuss/cond.h"

/* How many sleepers a broadcast wakes; the rest it moves onto the mutex (C3
 * in src/cond.c).  Waking none, as fuss did first, makes the moved waiters
 * a chain: each one's unlock wakes the next, so a broadcast to n costs n
 * wake-up latencies back to back, and where a wake-up is slow (a vCPU woken
 * from idle) that dominates.  Two already-woken waiters keep wake-ups in
 * flight while the chain runs: bench broadcast, 16 waiters, on the 2-vCPU
 * development VM: 0 woken 182-200 us, 1 woken 156-162, 2 woken 94-99, 4
 * 85-90, 8 79-85, all (glibc's herd) 55-63.  Two takes most of the gain and
 * still moves the rest: woken ones that find the mutex taken only go back
 * to sleep on it, once.  tests/functional/cond_broadcast_requeue.c counts
 * them. */
#define FUSS__COND_BROADCAST_WAKE 2

/* Register as a waiter (C1), holding the mutex.  m: the fuss_mutex_t the
 * caller holds (broadcast may move waiters onto it), or NULL for any other
 * mutex (broadcast then wakes all).  Returns the value to sleep on with
 * fuss__wait(&c->seq, value, FUSS_FUTEX_BITSET_ANY, deadline, *flags) after
 * releasing the mutex; after that wait the caller must not touch c. */
uint32_t fuss__cond_wait_begin(fuss_cond_t *c, const fuss_mutex_t *m, unsigned *flags);

#endif
