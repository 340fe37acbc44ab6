/*
 * Reference locks written for the benchmark (ref_locks.c), kept in their own
 * translation unit so that, like the libraries they are compared with, they
 * are reached through a real function call.
 */
#ifndef FUSS_BENCH_REF_LOCKS_H
#define FUSS_BENCH_REF_LOCKS_H

#include <stdint.h>

/* "cas+xchg": compare-and-swap 0->1 to take (spinning, never sleeping),
 * atomic exchange to 0 to release -- the two read-modify-writes a sleeping
 * lock needs (the release must see whether anyone waits), without the
 * sleeping.  The reference the mutex target is set against. */
void ref_casx_lock(uint32_t *w);
void ref_casx_unlock(uint32_t *w);

/* "spin": compare-and-swap to take, plain release store to drop: the floor
 * no sleeping lock reaches. */
void ref_spin_lock(uint32_t *w);
void ref_spin_unlock(uint32_t *w);

/* "mutex2": the three-state futex mutex described in Drepper's "Futexes Are
 * Tricky" (0 free, 1 locked, 2 locked with possible waiters), with raw
 * futex(2) calls. */
void ref_mutex2_lock(uint32_t *w);
void ref_mutex2_unlock(uint32_t *w);

/* "mcs": the Mellor-Crummey--Scott queue lock.  The lock is a tail pointer;
 * each waiter spins (pause) on a flag in its own queue node, and the unlock
 * hands the lock to the next node in FIFO order: one cache-line transfer per
 * hand-off and no thundering herd -- the perfect-handoff reference for the
 * contended scenarios.  It never sleeps: with more threads than CPUs the
 * next owner is often preempted and every hand-off waits for the scheduler.
 * The queue node is per thread, so a thread may hold one mcs lock at a time
 * (all the benchmark needs). */
struct ref_mcs_node;
typedef struct ref_mcs {
    struct ref_mcs_node *tail;
} ref_mcs_t;
void ref_mcs_init(ref_mcs_t *l);
void ref_mcs_lock(ref_mcs_t *l);
void ref_mcs_unlock(ref_mcs_t *l);

/* "empty-call": does nothing; the cost of the loop and the two calls. */
void ref_empty_lock(uint32_t *w);
void ref_empty_unlock(uint32_t *w);

/* Raw futex(2) wait / wake, private. */
int ref_futex_wait(uint32_t *w, uint32_t val);
void ref_futex_wake(uint32_t *w, unsigned n);

#endif
