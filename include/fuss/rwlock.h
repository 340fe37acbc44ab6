/*
 * fuss/rwlock.h — reader-writer lock.
 *
 * DESCRIPTION
 *   Many readers or one writer.  Uncontended, each of rdlock, rdunlock,
 *   wrlock and wrunlock is one compare-and-swap on the lock word and makes
 *   no system call; unlocking enters the kernel only when a thread sleeps.
 *   A thread that finds the lock held spins for a few microseconds (bounded
 *   in time) before it sleeps.
 *
 * PREFERENCE (chosen at init)
 *   Writer-preferring (the default; all-zero, FUSS_RWLOCK_INIT): once a
 *   writer waits, new readers wait too, so a stream of readers cannot starve
 *   writers.  When the lock is released and both kinds wait, one writer goes
 *   first; readers are released together when no writer is waiting.
 *
 *   Reader-preferring (FUSS_RWLOCK_PREFER_READER): readers enter whenever no
 *   writer holds the lock, even while writers wait.  Writers may starve under
 *   a continuous stream of overlapping readers.  When a writer releases the
 *   lock and both kinds wait, the readers and one writer are woken; the
 *   readers win unless the writer gets there first.
 *
 *   Real-time readers (POSIX, Thread Execution Scheduling): a SCHED_FIFO or
 *   SCHED_RR reader behaves as under writer preference on either kind of
 *   lock: it does not take a read lock while any writer waits (POSIX asks
 *   this for writers of higher or equal priority; fuss records no
 *   priorities and waits for all).  The last read unlock then lets one
 *   writer go first, and a real-time writer's unlock wakes a writer before
 *   the readers.  Among the threads woken, the scheduler decides: on one
 *   CPU the highest priority goes first, a writer ahead of a reader of
 *   equal priority; across CPUs a lower-priority thread may win the race.
 *   Only a reader that finds a writer waiting asks for its policy (one
 *   system call); the uncontended calls are unchanged.
 *
 *   RECURSIVE READ LOCKS DEADLOCK UNDER WRITER PREFERENCE.  If thread T holds
 *   a read lock and a writer starts waiting, T's next rdlock waits behind the
 *   writer, which waits for T to unlock: neither moves, forever.  (A timed
 *   writer that gives up lets T continue.)  Code that takes read locks
 *   recursively must use FUSS_RWLOCK_PREFER_READER, and not from a
 *   real-time thread, which waits for any waiting writer (above) and so
 *   deadlocks the same way, even behind a writer of lower priority.
 *
 * INITIALIZATION
 *   All-zero memory is a valid, unlocked, thread-private, writer-preferring
 *   rwlock; so is FUSS_RWLOCK_INIT.  fuss_rwlock_init() takes FUSS_PRIVATE or
 *   FUSS_SHARED, optionally or-ed with FUSS_RWLOCK_PREFER_READER.
 *
 * FUNCTIONS (0 or a positive errno; errno is never set)
 *   fuss_rwlock_init(rw, flags)     EINVAL unknown flags; ENOTSUP FUSS_SHARED
 *                                   on a backend without process-shared waits.
 *   fuss_rwlock_destroy(rw)         EBUSY if held.
 *   fuss_rwlock_rdlock(rw)          EAGAIN if 2^30-2 read locks are held.
 *   fuss_rwlock_tryrdlock(rw)       EBUSY if a writer holds it, or (writer
 *                                   preference, or a real-time caller)
 *                                   waits; EAGAIN as rdlock.
 *   fuss_rwlock_timedrdlock(rw, clock, deadline)
 *   fuss_rwlock_wrlock(rw)
 *   fuss_rwlock_trywrlock(rw)       EBUSY if held.
 *   fuss_rwlock_timedwrlock(rw, clock, deadline)
 *                                   Timed calls: absolute deadline on
 *                                   CLOCK_MONOTONIC or CLOCK_REALTIME; EINVAL
 *                                   for a malformed timespec or another clock
 *                                   (checked before anything else);
 *                                   ETIMEDOUT when the deadline passes.
 *                                   The lock calls answer EINVAL if the
 *                                   object is corrupt (see PROCESS-SHARED).
 *   fuss_rwlock_rdunlock(rw)        EPERM if not read-locked.
 *   fuss_rwlock_wrunlock(rw)        EPERM if not write-locked.
 *   fuss_rwlock_unlock(rw)          either kind, like pthread_rwlock_unlock;
 *                                   EPERM if not locked.
 *   Waits are not interrupted by signals (no EINTR).
 *
 * LEGAL AND ILLEGAL USE
 *   The lock records no owner.  EPERM catches unlocking a lock in the wrong
 *   state (nothing changes then); it cannot catch a thread releasing a read
 *   lock that another thread took, or a write lock held by another thread.
 *   Taking the write lock while holding a read lock (an "upgrade") deadlocks,
 *   as does any recursive write lock.  Do not destroy or free the lock while
 *   a thread is inside a call on it, other than an unlock that has already
 *   let the lock go: the lock may be destroyed and freed as soon as nobody
 *   holds it, even while the last unlock has not yet returned (NO TOUCH
 *   AFTER RELEASE: an unlock's last access to the lock is the atomic step
 *   that frees it; the wake-ups after it name only the address).
 *
 * FAIRNESS
 *   No FIFO order.  A running thread may take the lock ahead of a sleeper
 *   that was just woken (barging), which keeps hand-offs fast; preference
 *   (above) is the only guarantee.
 *
 * PROCESS-SHARED
 *   Initialise with FUSS_SHARED inside memory mapped MAP_SHARED: the shared
 *   and preference flags are kept in the object, which holds no pointers, so
 *   every process uses it correctly at any address.  The emulated backend
 *   refuses FUSS_SHARED with ENOTSUP.
 *   A process that dies while waiting (reader or writer) does not block the
 *   others: its waiting bit costs at most one wake-up on nobody, and a
 *   writer whose wait ends (timeout or death of its process) no longer holds
 *   readers back.  A process that dies HOLDING the lock leaves it held: the
 *   rwlock does not record its owners (use a robust fuss_omutex_t for data
 *   that must survive a crash).  One killed inside its unlock, after the
 *   lock was free but before the wake-ups, delays the sleepers by at most
 *   100 ms: every sleep ends after that long and looks at the lock again.
 *   Another process may write anything into the object: fuss then never
 *   aborts; a lock call answers EINVAL where the garbage asks for a wait
 *   the backend cannot make (a SHARED flag on the emulated backend).
 *
 * THREAD-SAFETY ANALYSIS
 *   fuss_rwlock_t is a Clang capability ("rwlock"): under clang
 *   -Wthread-safety the read calls acquire/release it shared, the write calls
 *   exclusively, fuss_rwlock_unlock releases either; try and timed calls hold
 *   it iff they returned 0 (see <fuss/annotations.h>).
 *
 * SIZE
 *   8 bytes, 8-byte aligned: a state word (readers, writer, waiting bits) and
 *   a word writers sleep on; a contended unlock changes both in one atomic
 *   step.
 *
 * EXAMPLE
 *   static fuss_rwlock_t table_lock = FUSS_RWLOCK_INIT;
 *   value lookup(key k) {
 *       fuss_rwlock_rdlock(&table_lock);
 *       value v = table_get(k);
 *       fuss_rwlock_rdunlock(&table_lock);
 *       return v;
 *   }
 *   void store(key k, value v) {
 *       fuss_rwlock_wrlock(&table_lock);
 *       table_put(k, v);
 *       fuss_rwlock_wrunlock(&table_lock);
 *   }
 */
#ifndef FUSS_RWLOCK_H
#define FUSS_RWLOCK_H

#include "fuss/common.h"

FUSS_BEGIN_DECLS

typedef struct FUSS_CAPABILITY("rwlock") fuss_rwlock {
#if defined(__cplusplus)
    alignas(8) uint32_t state_; /* readers / writer / waiting bits (see src/rwlock.c) */
#else
    _Alignas(8) uint32_t state_;
#endif
    uint32_t wseq_;   /* writers sleep here; flags in its low bits; a contended
                         unlock changes both words as one 64-bit word */
} fuss_rwlock_t;

#define FUSS_RWLOCK_INIT { 0, 0 }
#define FUSS_RWLOCK_PREFER_READER 2u /* init flag: readers never wait for waiting writers */

FUSS_STATIC_ASSERT(sizeof(fuss_rwlock_t) <= 8, "fuss_rwlock_t must fit in 8 bytes");

FUSS_API int fuss_rwlock_init(fuss_rwlock_t *rw, unsigned flags);
FUSS_API int fuss_rwlock_destroy(fuss_rwlock_t *rw);
FUSS_API int fuss_rwlock_rdlock(fuss_rwlock_t *rw) FUSS_ACQUIRE_SHARED(rw);
FUSS_API FUSS_NODISCARD int fuss_rwlock_tryrdlock(fuss_rwlock_t *rw) FUSS_TRY_ACQUIRE_SHARED(0, rw);
FUSS_API FUSS_NODISCARD int fuss_rwlock_timedrdlock(fuss_rwlock_t *rw, clockid_t clock,
                                                    const struct timespec *deadline)
    FUSS_TRY_ACQUIRE_SHARED(0, rw);
FUSS_API int fuss_rwlock_wrlock(fuss_rwlock_t *rw) FUSS_ACQUIRE(rw);
FUSS_API FUSS_NODISCARD int fuss_rwlock_trywrlock(fuss_rwlock_t *rw) FUSS_TRY_ACQUIRE(0, rw);
FUSS_API FUSS_NODISCARD int fuss_rwlock_timedwrlock(fuss_rwlock_t *rw, clockid_t clock,
                                                    const struct timespec *deadline)
    FUSS_TRY_ACQUIRE(0, rw);
FUSS_API int fuss_rwlock_rdunlock(fuss_rwlock_t *rw) FUSS_RELEASE_SHARED(rw);
FUSS_API int fuss_rwlock_wrunlock(fuss_rwlock_t *rw) FUSS_RELEASE(rw);
FUSS_API int fuss_rwlock_unlock(fuss_rwlock_t *rw) FUSS_RELEASE_GENERIC(rw);

FUSS_END_DECLS

#endif /* FUSS_RWLOCK_H */
