/*
 * fuss/cond.h — an 8-byte condition variable for fuss_mutex_t.
 *
 * DESCRIPTION
 *   A thread holding a mutex calls fuss_cond_wait() to release the mutex and
 *   sleep in one step; fuss_cond_signal() wakes at least one waiter (if any)
 *   and fuss_cond_broadcast() wakes them all.  A woken waiter re-acquires the
 *   mutex before returning.  Waits may also return spuriously (0 without a
 *   signal): always wait in a loop that re-checks your predicate.
 *
 *   All-zero memory (or FUSS_COND_INIT) is a valid thread-private condvar.
 *   fuss_cond_init(c, FUSS_SHARED) makes a process-shared one, to be used
 *   with a process-shared mutex (ENOTSUP on the emulated backend).
 *   A process that dies while waiting does not wedge the condvar: its
 *   registration stays counted (a later signal may spend a wake-up on
 *   nobody), every signal still wakes a live waiter and every broadcast
 *   wakes all.  It also stays counted among the waiters destroy waits for,
 *   so fuss_cond_destroy() answers EBUSY after 100 ms; nobody is inside
 *   any more, so fuss_cond_init() may then make the memory a fresh condvar.
 *   A waiter that dies holding the mutex leaves the mutex locked (a plain
 *   fuss_mutex_t records no owner).
 *
 * BEHAVIOUR
 *   Signal and broadcast make no system call when nobody waits, nor when
 *   the waiters are all still spinning: a sole waiter spins for its signal
 *   after releasing the mutex, so a hand-off between two threads that both
 *   keep running never enters the kernel.  Each thread adapts that spin,
 *   from 2 to at most 32 us, as fuss_sem_wait does (fuss/sem.h): a sleep
 *   that a signal ended soon after the spin gave up lengthens the next
 *   spins, a long sleep shortens them.  Broadcast
 *   wakes two waiters and moves the rest onto the mutex's wait queue
 *   without waking them (FUTEX_REQUEUE): each unlock of the mutex wakes the
 *   next (broadcast wakes one itself if the mutex is free), so they are
 *   woken one at a time as the mutex is released instead of all racing for
 *   it.  The two woken at once keep a wake-up in flight while the others
 *   wait their turn (where a wake-up is slow, a chain of single wake-ups
 *   costs one full wake-up per waiter); at most they find the mutex taken
 *   and sleep on it once.  All
 *   waiters of one condvar must use the same mutex at a time (as POSIX
 *   requires); if they do not, or the mutex lies more than 1 KiB from
 *   the condvar in memory, broadcast falls back to waking everyone.  A process-shared condvar's
 *   broadcast always wakes everyone: it does not trust a mutex address
 *   found in memory other processes can write.  No wake-up is lost: a signal
 *   wakes a thread that was blocked when it was called.
 *
 * FAIRNESS
 *   Which sleeper a signal wakes is not specified: the kernel's futex queue
 *   prefers higher priority, then arrival order; the emulated backend's is
 *   FIFO.  A broadcast moves sleepers onto the mutex in their queue's
 *   order.  Spinning is not queued: a signal ends a sole waiter's spin and
 *   also wakes the oldest sleeper if one registered meanwhile (one of the
 *   two then returns spuriously).  A signal is not bound to the waiters
 *   that were blocked when it was called: a thread that starts waiting
 *   while a signal is between counting its waiter and its wake-up may be
 *   the one it wakes (the kernel prefers the higher priority, then the
 *   earlier sleeper), and the older waiter then sleeps on until the next
 *   signal, which still counts it.  No wake-up is lost (the newcomer
 *   returns, and finds the condition the signal announced), but with
 *   real-time priorities a high-priority thread that waits again at once
 *   can take a signal a lower-priority one waited for first.  glibc's
 *   condvar keeps signals for earlier waiters with a group scheme that
 *   needs more than 8 bytes.  Re-acquiring the mutex follows the
 *   mutex's policy (fuss/mutex.h, FAIRNESS): a running thread may take it
 *   first, and a woken waiter kept out for about a millisecond gets it
 *   handed over.
 *
 *   The condvar may be destroyed as soon as no thread is blocked on it, for
 *   example right after a broadcast, and then cleared, freed or
 *   initialised again: fuss_cond_destroy() waits until every waiter a
 *   signal or broadcast released has left the wait (usually at once; a
 *   waiter preempted or in a signal handler on its way out keeps it
 *   waiting), and those never touch the condvar again.  A signal or
 *   broadcast must itself have returned before the condvar is destroyed
 *   (POSIX); sent without holding the mutex, the mutex too must stay alive
 *   until it returns.
 *
 * LIMITS
 *   511 threads may wait on one condvar at once; more also wait correctly,
 *   but the extra ones poll (they release the mutex, nap 1 ms and return
 *   as a spurious wake-up).
 *
 * FORK
 *   In a fork() child only the forking thread exists.  A condvar other
 *   threads were waiting on at fork() works in the child (their counts
 *   cost at most a wake-up of nobody), but fuss_cond_destroy() waits for
 *   them to leave and answers EBUSY after 1 s: re-initialise it with
 *   fuss_cond_init() instead.
 *
 * RETURN VALUE (0, or a positive errno; errno is never set)
 *   fuss_cond_init       EINVAL (unknown flags), ENOTSUP (shared, emulated)
 *   fuss_cond_wait       EPERM (the mutex is not locked); EINVAL if the
 *                        mutex's word turns out corrupt on re-locking (then
 *                        the mutex is not held; see fuss_mutex_lock)
 *   fuss_cond_timedwait  ETIMEDOUT (mutex re-acquired all the same), EPERM,
 *                        EINVAL (malformed deadline or clock)
 *   fuss_cond_destroy    0 once no waiter is inside a wait on it (it waits
 *                        for those a signal or broadcast released); EBUSY
 *                        if for 1 s (100 ms when process-shared) no waiter
 *                        left: waiters still blocked (undefined in POSIX),
 *                        a waiter process that died, a fork child's
 *                        inherited waiters, or a corrupt word
 *   fuss_cond_signal, fuss_cond_broadcast: 0
 *
 * EXAMPLE
 *     fuss_mutex_lock(&q->lock);
 *     while (q->len == 0)
 *         fuss_cond_wait(&q->nonempty, &q->lock);
 *     item = pop(q);
 *     fuss_mutex_unlock(&q->lock);
 *     // producer: lock; push(q, item); fuss_cond_signal(&q->nonempty); unlock
 */
#ifndef FUSS_COND_H
#define FUSS_COND_H

#include "common.h"
#include "mutex.h"

FUSS_BEGIN_DECLS

typedef struct fuss_cond {
    uint32_t seq;  /* the sequence waiters sleep on, see src/cond.c */
    uint32_t link; /* flags, the waiter count and the mutex's offset */
} fuss_cond_t;

#define FUSS_COND_INIT { 0, 0 }

FUSS_STATIC_ASSERT(sizeof(fuss_cond_t) == 8, "fuss_cond_t must be 8 bytes");

FUSS_API int fuss_cond_init(fuss_cond_t *c, unsigned flags);
FUSS_API int fuss_cond_destroy(fuss_cond_t *c);
/* The caller holds m; it is held again when the call returns (the errors
 * checked before waiting, EPERM and EINVAL, leave it as it was). */
FUSS_API int fuss_cond_wait(fuss_cond_t *c, fuss_mutex_t *m) FUSS_REQUIRES(m);
FUSS_API int fuss_cond_timedwait(fuss_cond_t *c, fuss_mutex_t *m, clockid_t clock,
                                 const struct timespec *deadline) FUSS_REQUIRES(m);
FUSS_API int fuss_cond_signal(fuss_cond_t *c);
FUSS_API int fuss_cond_broadcast(fuss_cond_t *c);

FUSS_END_DECLS

#endif /* FUSS_COND_H */
