/* The condition variable's wait with hooks, for waiters whose mutex is not
 * a fuss_mutex_t or who must run code around the sleep (the pthread
 * drop-in's cancellation).  See HOOKED WAIT in src/cond.c. */
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
 * flight while the chain runs; two take most of the gain of waking more
 * (docs/bench/tuning.md, "Broadcast wake count") and still move the rest:
 * woken ones that find the mutex taken only go back to sleep on it, once.  tests/functional/cond_broadcast_requeue.c counts
 * them. */
#define FUSS__COND_BROADCAST_WAKE 2

/* What fuss__cond_wait_hooked calls instead of fuss_mutex_unlock and
 * fuss_mutex_lock, and around each futex wait.  unlock releases the
 * caller's mutex (an error: the wait returns it at once, the mutex still
 * held).  relock re-acquires it (slept: the waiter may have been moved onto
 * a fuss_mutex_t's queue, so re-lock as fuss__mutex_relock does); an error
 * is the wait's result.  before() runs just before the futex wait and
 * after() just after it: a waiter cancelled between them (the drop-in
 * switches to asynchronous cancellation there) must call
 * fuss__cond_cancel_leave(c, value) from its cleanup, once, and then
 * re-lock its mutex.  The wait stores value before before() runs. */
struct fuss__cond_hooks {
    int (*unlock)(void *arg);
    int (*relock)(void *arg, bool slept);
    void (*before)(void *arg);
    void (*after)(void *arg);
    void *arg;
    uint32_t value;
};

/* fuss_cond_wait / fuss_cond_timedwait (dl NULL: no deadline) with the
 * caller's mutex behind hooks.  m: the fuss_mutex_t the hooks lock, if it
 * is one (broadcast may move waiters onto it), else NULL (broadcast then
 * wakes all).  No EPERM check: that is the caller's. */
int fuss__cond_wait_hooked(fuss_cond_t *c, fuss_mutex_t *m, const struct fuss__deadline *dl,
                           struct fuss__cond_hooks *h);
/* A waiter cancelled between before() and after() leaves (C5), first
 * passing on a signal it may have consumed (CANCELLATION in src/cond.c). */
void fuss__cond_cancel_leave(fuss_cond_t *c, uint32_t value);

#endif
