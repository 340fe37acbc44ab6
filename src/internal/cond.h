/* The condition variable's split wait, for waiters whose mutex is not a
 * fuss_mutex_t or who must run code around the sleep (the pthread drop-in's
 * cancellation).  See SPLIT WAIT in src/cond.c. */
#ifndef FUSS_INTERNAL_COND_H
#define FUSS_INTERNAL_COND_H

#include <stdbool.h>
#include <stdint.h>

#include "fuss/cond.h"
#include "internal/time.h"

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

/* Register as a waiter (C1), holding the mutex, counted INSIDE until
 * fuss__cond_wait_leave.  m: the fuss_mutex_t the caller holds (broadcast
 * may move waiters onto it), or NULL for any other mutex (broadcast then
 * wakes all).  Sets *value to the value to sleep on with
 * fuss__wait(&c->seq, *value, FUSS_FUTEX_BITSET_ANY, deadline, *flags)
 * after releasing the mutex.  Once that wait returns, and on every other
 * way out of it (a cancellation's cleanup handler, an unwind), the caller
 * calls fuss__cond_wait_leave(c) exactly once and then never touches c
 * again: destroy waits for it (DESTROY-SAFETY in src/cond.c).
 * Returns false when INSIDE is full (C6): nothing was registered; release
 * the mutex, call fuss__cond_wait_full(deadline) instead of sleeping on c,
 * re-acquire the mutex and return (-ETIMEDOUT from it: ETIMEDOUT). */
bool fuss__cond_wait_enter(fuss_cond_t *c, const fuss_mutex_t *m, uint32_t *value,
                           unsigned *flags);
void fuss__cond_wait_leave(fuss_cond_t *c);
int fuss__cond_wait_full(const struct fuss__deadline *dl);

/* The split wait's first form, kept while the drop-in moves to the pair
 * above: it registers without counting the caller INSIDE, so destroy does
 * not wait for it and a waiter still on its way into the futex wait may
 * sleep on the condvar re-initialised after a broadcast (issue 22).
 * Returns the value to sleep on; after that wait the caller must not touch
 * c.  Do not use in new code. */
uint32_t fuss__cond_wait_begin(fuss_cond_t *c, const fuss_mutex_t *m, unsigned *flags);

#endif
