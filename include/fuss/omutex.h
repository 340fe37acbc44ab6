/*
 * fuss/omutex.h — the owned mutex: error-checking, recursive, robust and
 * priority-inheriting.
 *
 * DESCRIPTION
 *   fuss_omutex_t records its owner's kernel thread id (gettid()) in its lock
 *   word, in the format the kernel itself understands for robust and
 *   priority-inheritance futexes.  Because the mutex knows its owner it can:
 *     - check errors: relocking a mutex you hold gives EDEADLK, unlocking one
 *       you do not hold gives EPERM (the plain fuss_mutex_t cannot tell);
 *     - recurse (FUSS_OMUTEX_RECURSIVE): the owner may lock it again; it is
 *       released by as many unlocks;
 *     - survive its owner's death (FUSS_OMUTEX_ROBUST): see ROBUSTNESS;
 *     - lend its waiters' priority to its owner (FUSS_OMUTEX_PI): see PRIORITY
 *       INHERITANCE.
 *   Uncontended lock and unlock are one atomic read-modify-write each and
 *   make no system call (the thread id is cached per thread; the first robust
 *   lock of a thread asks the kernel once for its robust list).
 *
 *   All-zero memory (or FUSS_OMUTEX_INIT) is an unlocked, thread-private,
 *   error-checking mutex.  fuss_omutex_init(m, flags) chooses others, flags
 *   or'ed from:
 *     FUSS_SHARED             process-shared: works in memory mapped by
 *                             several processes, at any address
 *     FUSS_OMUTEX_RECURSIVE   recursive instead of error-checking
 *     FUSS_OMUTEX_ROBUST      robust (see below)
 *     FUSS_OMUTEX_PI          priority inheritance (see below)
 *   On the emulated backend FUSS_SHARED, ROBUST and PI answer ENOTSUP: they
 *   need the kernel.
 *
 * ROBUSTNESS
 *   If the owner of a robust mutex dies holding it — its thread exits, or
 *   its process ends in any way, SIGKILL included — the next thread to lock
 *   it (a sleeping waiter is woken for this) gets EOWNERDEAD *and holds the
 *   lock*.  The data it protects may be half-updated: repair it, then call
 *   fuss_omutex_consistent() and use the mutex as before.  Unlocking without
 *   calling it marks the mutex not recoverable: that lock and every later
 *   one returns ENOTRECOVERABLE (without holding it), until fuss_omutex_init
 *   is called again.  This is POSIX's robust-mutex contract.
 *
 *   Death is noticed by the kernel through its per-thread robust list, which
 *   glibc has already registered for every thread; fuss links its robust
 *   mutexes into that same list, in the same geometry as glibc's
 *   pthread_mutex_t (lock word 32 bytes before the list link), so glibc's
 *   robust pthread mutexes and fuss's work side by side, also after fork.
 *   A thread that has no list (not created by glibc) gets one from fuss.
 *   If the thread's list has another geometry (another C library),
 *   fuss_omutex_init(ROBUST) answers ENOTSUP, and so does a lock of a robust
 *   mutex from such a thread.  Threads must be created by
 *   pthread_create or fork (not a raw clone()), since fuss caches the
 *   thread id and refreshes it only in a pthread_atfork child handler.
 *
 *   Known limit (the kernel's, shared with glibc): the kernel walks at most
 *   2048 robust mutexes held by one dying thread.
 *
 *   A thread that dies in the instant after its unlock freed the word but
 *   before it woke a sleeper (or after being woken, before it took the
 *   word) owes that sleeper a wake-up the kernel cannot always pass on (and
 *   for a mutex that is not robust, never does); a sleeper therefore looks
 *   at the word again every 100 ms, so such a death delays it by 100 ms at
 *   most, robust or not (glibc's sleepers wait for ever there).
 *
 * PRIORITY INHERITANCE
 *   With FUSS_OMUTEX_PI, a thread that blocks on the mutex raises the owner's
 *   scheduling priority to its own until the owner unlocks (the kernel's
 *   FUTEX_LOCK_PI); the kernel hands the lock to its highest-priority waiter.
 *   Use it for real-time threads (SCHED_FIFO / SCHED_RR) that share a lock
 *   with lower-priority ones.  Timed locks honour both clocks:
 *   CLOCK_MONOTONIC needs FUTEX_LOCK_PI2 (Linux 5.14); on older kernels the
 *   deadline is converted to CLOCK_REALTIME once, at the call.  A PI mutex
 *   may also be robust and process-shared.  If the owner of a PI mutex that
 *   is not robust exits holding it, later lockers get ENOTRECOVERABLE.
 *
 * FORK
 *   Only the forking thread exists in the child, and the kernel gives it a
 *   new thread id.  A mutex is owned by a thread id, so every mutex held at
 *   fork() is held in the child by a thread that is not there, the forking
 *   thread's own included: the child's unlock answers EPERM, its lock waits
 *   (trylock: EBUSY), and destroy answers EBUSY.  So the pthread_atfork
 *   pattern (lock in "prepare", unlock in "child") does not work with an
 *   owned mutex; glibc 2.36 answers the same for its error-checking and
 *   robust pthread mutexes.  Unlock in the parent before fork(), use a
 *   fuss_mutex_t (which has no owner) for that pattern, or
 *   fuss_omutex_init() the object again in the child.  Sleepers of the
 *   parent leave no bit that blocks the child (WAITERS costs a wake-up).
 *
 * FAIRNESS
 *   Not FIFO: a running thread may take the mutex ahead of sleeping ones
 *   (the plain fuss_mutex_t's starvation bound needs lock-word bits that the
 *   kernel's protocol does not leave free).  A contended locker spins about a
 *   microsecond before sleeping.  PI mutexes are handed over by the kernel to
 *   the highest-priority waiter, FIFO within a priority.
 *
 * HOSTILE SHARERS
 *   Another process that shares the mutex may write anything into it.
 *   fuss then answers with an errno, never aborts and never waits on a
 *   value for ever (a timed lock still ends at its deadline); what the
 *   mutex protects is of course lost.  Garbage that names a thread that
 *   does not exist makes a PI mutex ENOTRECOVERABLE; one that names
 *   another live thread is a held mutex; one that names the caller makes
 *   it the owner.  For a PI mutex the kernel checks the word too: unlock
 *   answers EPERM when the word names another thread by the time the
 *   kernel reads it, EAGAIN when it changed under the kernel's release
 *   (which then did not happen), EINVAL when the kernel's own record names
 *   another owner; the lock calls answer EINVAL when the kernel refuses
 *   the word.  The robust list links inside the object are followed by
 *   their owner and by the kernel, as glibc's are, and are not checked.
 *
 * LAYOUT
 *   40 bytes on 64-bit systems, like glibc's pthread_mutex_t, whose layout
 *   the robust list dictates.  Process-shared use is fine even though the
 *   object holds two pointers: only the current owner's thread reads or
 *   writes them (they link it into that thread's robust list).
 *
 * RETURN VALUE (0 on success, else a positive errno; errno is never set)
 *   fuss_omutex_init        EINVAL (unknown flags), ENOTSUP (see above)
 *   fuss_omutex_destroy     EBUSY (locked)
 *   fuss_omutex_lock        EDEADLK (error-checking, caller holds it),
 *                           EAGAIN (recursive, depth 2^24 - 1 reached),
 *                           EOWNERDEAD (robust; caller now holds it),
 *                           ENOTRECOVERABLE (robust, given up; or PI, the
 *                           owner exited; not held), ENOTSUP (robust, from
 *                           a thread whose robust list fuss cannot use),
 *                           EINVAL (a corrupt word: see HOSTILE SHARERS)
 *   fuss_omutex_trylock     EBUSY (held, also by the caller unless recursive),
 *                           the others as for lock
 *   fuss_omutex_timedlock   as lock, plus ETIMEDOUT, and EINVAL for a
 *                           malformed deadline or clock (checked first)
 *   fuss_omutex_unlock      EPERM (caller does not hold it), and for a PI
 *                           mutex whose word another process wrote: EAGAIN,
 *                           EINVAL (see HOSTILE SHARERS)
 *   fuss_omutex_consistent  EINVAL (not robust, or not inconsistent),
 *                           EPERM (caller does not hold it)
 *   fuss_omutex_owner       the owner's thread id, or 0 (not held); for
 *                           diagnostics only: it may change at once
 *
 * EXAMPLE (a robust mutex in shared memory)
 *     fuss_omutex_t *m = ...;   // in a MAP_SHARED mapping
 *     fuss_omutex_init(m, FUSS_SHARED | FUSS_OMUTEX_ROBUST);   // once
 *     ...
 *     int e = fuss_omutex_lock(m);
 *     if (e == EOWNERDEAD) {    // a previous owner died inside
 *         repair_shared_data();
 *         fuss_omutex_consistent(m);
 *     } else if (e) {
 *         return e;             // ENOTRECOVERABLE: nobody repaired it
 *     }
 *     update_shared_data();
 *     fuss_omutex_unlock(m);
 */
#ifndef FUSS_OMUTEX_H
#define FUSS_OMUTEX_H

#include <sys/types.h>

#include "common.h"

FUSS_BEGIN_DECLS

typedef struct FUSS_CAPABILITY("mutex") fuss_omutex {
    uint32_t word;        /* owner tid | WAITERS | OWNER_DIED: see src/omutex.c */
    uint32_t meta;        /* flags, consistency state, recursion depth */
    uint32_t reserved[4]; /* zero: places the list link where glibc's is */
    void *robust_prev;    /* robust list link, used only by the owner's thread */
    void *robust_next;
} fuss_omutex_t;

#define FUSS_OMUTEX_INIT { 0, 0, { 0, 0, 0, 0 }, 0, 0 }

#define FUSS_OMUTEX_RECURSIVE 0x2u
#define FUSS_OMUTEX_ROBUST    0x4u
#define FUSS_OMUTEX_PI        0x8u

#if defined(__LP64__)
FUSS_STATIC_ASSERT(sizeof(fuss_omutex_t) == 40, "fuss_omutex_t is 40 bytes, like pthread_mutex_t");
#endif

FUSS_API int fuss_omutex_init(fuss_omutex_t *m, unsigned flags);
FUSS_API int fuss_omutex_destroy(fuss_omutex_t *m);
FUSS_API int fuss_omutex_lock(fuss_omutex_t *m) FUSS_ACQUIRE(m);
FUSS_API int fuss_omutex_trylock(fuss_omutex_t *m) FUSS_TRY_ACQUIRE(0, m);
FUSS_API int fuss_omutex_timedlock(fuss_omutex_t *m, clockid_t clock,
                                   const struct timespec *deadline) FUSS_TRY_ACQUIRE(0, m);
FUSS_API int fuss_omutex_unlock(fuss_omutex_t *m) FUSS_RELEASE(m);
FUSS_API int fuss_omutex_consistent(fuss_omutex_t *m) FUSS_REQUIRES(m);
FUSS_API pid_t fuss_omutex_owner(const fuss_omutex_t *m);

FUSS_END_DECLS

#endif /* FUSS_OMUTEX_H */
