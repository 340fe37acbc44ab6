/*
 * fuss/mutex.h — a 4-byte mutual-exclusion lock.
 *
 * DESCRIPTION
 *   fuss_mutex_t is a sleeping lock in one 32-bit word.  Taking and releasing
 *   an uncontended mutex is one atomic read-modify-write each and never
 *   enters the kernel; under contention a locker spins briefly, then sleeps
 *   on the word (futex wait) until an unlocker wakes it.
 *
 *   All-zero memory (or FUSS_MUTEX_INIT) is an unlocked, thread-private
 *   mutex: no init call is needed.  fuss_mutex_init(m, FUSS_SHARED) makes a
 *   process-shared mutex, usable from every process that maps the memory
 *   (at any address); it answers ENOTSUP on the emulated backend.
 *
 * FAIRNESS
 *   The lock is not FIFO: a running thread may take it ahead of sleeping
 *   ones ("barging"), which keeps throughput high.  But no thread starves: a
 *   sleeper that has waited more than about a millisecond (the threshold Go's
 *   sync.Mutex uses; parking_lot's fair unlock fires within 1 ms too) and
 *   still finds the lock taken marks it "starving".  From then on every
 *   unlock hands the lock directly to a sleeper instead of releasing it, so
 *   newcomers (lock, timedlock and trylock callers that have not slept)
 *   cannot barge; the lock goes round the sleepers in their queue order
 *   until the starving one has it, and only then is it released again.  One
 *   sleeper at a time is the starving one; a starving timedlock that gives
 *   up leaves nothing behind.  A contended locker spins before sleeping,
 *   and not at all while others sleep.  The spin is bounded in time, not
 *   iterations; it first looks at the lock after about 200 ns (a cache-line
 *   round trip between cores), then with doubling gaps, so as not to slow
 *   the holder down nor take a lock its holder is about to re-take (the
 *   cost: a wait that would have been shorter lasts up to 200 ns).  Each
 *   thread adapts its length, from about 2 to at most
 *   32 microseconds, to what a sleep costs where it runs: it times the
 *   sleeps that follow its spins that gave up, and spins as long as the
 *   shortest of its last eight (spinning as long as blocking costs is within
 *   2x of the best choice: Karlin et al., SOSP 1991).
 *
 * USE
 *   Only the thread that locked a mutex may unlock it; this plain mutex does
 *   not record its owner, so that rule is not checked (use fuss_omutex_t (fuss/omutex.h) for
 *   error checking or recursion).  Relocking a mutex you hold deadlocks.
 *   In memory shared with other processes, a sharer that crashes or writes
 *   garbage cannot make a waiter sleep for ever on a free mutex (or on one
 *   being handed to a starving sleeper that was killed): sleepers look at
 *   the word again at least every 100 ms.  (A holder that dies
 *   while holding it leaves it locked: use a robust fuss_omutex_t.)
 *   A mutex may be destroyed (and its memory freed) as soon as it is
 *   unlocked, even while the unlocking thread is still inside
 *   fuss_mutex_unlock's wake-up.
 *
 * FORK
 *   In a fork() child only the forking thread runs.  A thread-private mutex
 *   the forking thread held at fork() is still held by it in the child and
 *   may be unlocked there (the pthread_atfork pattern: lock in "prepare",
 *   unlock in the parent and child handlers); one that another thread held
 *   stays locked for ever, as POSIX says.  Nothing else the parent's other
 *   threads left (sleepers, spinners, a starving sleeper, a lock being
 *   handed to one) blocks the child: after the forking thread's unlock,
 *   lock and trylock take the mutex at once and destroy answers 0, and a
 *   mutex that was being handed to a starving thread at fork() is free
 *   (trylock takes it, destroy answers 0).  The first unlock may make one
 *   needless wake-up call.  A process-shared mutex is unchanged by fork():
 *   the parent's threads still use it.
 *
 * RETURN VALUE (0 on success, else a positive errno; errno is never set)
 *   fuss_mutex_init      EINVAL (unknown flags), ENOTSUP (shared, emulated)
 *   fuss_mutex_destroy   EBUSY (locked)
 *   fuss_mutex_lock      0, or EINVAL if the lock word is corrupt (it
 *                        claims to be process-shared on the emulated
 *                        backend: garbage written by another process)
 *   fuss_mutex_trylock   EBUSY (held by someone)
 *   fuss_mutex_timedlock ETIMEDOUT, EINVAL (malformed deadline or clock,
 *                        checked before anything else; or a corrupt word)
 *   fuss_mutex_unlock    EPERM (the mutex was not locked, or was being
 *                        handed to a starving sleeper: not the caller's)
 *
 * EXAMPLE
 *     static fuss_mutex_t lock = FUSS_MUTEX_INIT;
 *     static long counter;
 *     void bump(void)
 *     {
 *         fuss_mutex_lock(&lock);
 *         counter++;
 *         fuss_mutex_unlock(&lock);
 *     }
 *
 * THREAD-SAFETY ANALYSIS
 *   fuss_mutex_t is a Clang capability ("mutex"): with clang -Wthread-safety,
 *   data declared FUSS_GUARDED_BY(lock) and functions declared
 *   FUSS_REQUIRES(&lock) are checked against these functions' effects (see
 *   <fuss/annotations.h>).  trylock and timedlock hold the lock iff they
 *   returned 0.
 */
#ifndef FUSS_MUTEX_H
#define FUSS_MUTEX_H

#include "common.h"

FUSS_BEGIN_DECLS

typedef struct FUSS_CAPABILITY("mutex") fuss_mutex {
    uint32_t word; /* see the lock word table in src/mutex.c */
} fuss_mutex_t;

#define FUSS_MUTEX_INIT { 0 }

FUSS_STATIC_ASSERT(sizeof(fuss_mutex_t) == 4, "fuss_mutex_t must be one 32-bit word");

FUSS_API int fuss_mutex_init(fuss_mutex_t *m, unsigned flags);
FUSS_API int fuss_mutex_destroy(fuss_mutex_t *m);
FUSS_API int fuss_mutex_lock(fuss_mutex_t *m) FUSS_ACQUIRE(m);
FUSS_API int fuss_mutex_trylock(fuss_mutex_t *m) FUSS_TRY_ACQUIRE(0, m);
FUSS_API int fuss_mutex_timedlock(fuss_mutex_t *m, clockid_t clock,
                                  const struct timespec *deadline) FUSS_TRY_ACQUIRE(0, m);
FUSS_API int fuss_mutex_unlock(fuss_mutex_t *m) FUSS_RELEASE(m);

FUSS_END_DECLS

#endif /* FUSS_MUTEX_H */
