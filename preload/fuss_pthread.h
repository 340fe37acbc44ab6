/*
 * fuss_pthread.h — libfuss-pthread.so, the drop-in, what its files share.
 * LD_PRELOAD it and the program's pthread mutexes, condition variables, rwlocks, semaphores
 * (unnamed, and named ones from glibc's sem_open), barriers, spinlocks and
 * once controls run on fuss.
 *
 * WHERE THE FUSS OBJECT LIVES (x86-64 glibc layouts, checked below)
 *   pthread_mutex_t (40)  kind tag at 16 = glibc's __kind encoding (type in
 *                         bits 0-1, ROBUST 16, PI 32, PP 64, PSHARED 128), so
 *                         glibc's static initializers tag themselves.
 *                         Normal/adaptive: fuss_mutex_t at 0.  Recursive,
 *                         error-checking, robust, PI: fuss_omutex_t over all
 *                         40 bytes (its bytes 8..23 are reserved zero, so 16
 *                         is free); a static recursive one has meta 0 and
 *                         gets RECURSIVE on first use (omutex.c, A1).
 *                         At 20 (glibc's __spins; reserved zero in both
 *                         fuss layouts) the number of condvar waiters that
 *                         will re-lock it: destroy says EBUSY while it is
 *                         not 0, as glibc's does (its __nusers).
 *                         Priority-protect: glibc's own object and functions.
 *   pthread_cond_t (48)   fuss_cond_t at 0; at 8 a clock tag (0: REALTIME,
 *                         the POSIX default; 1: MONOTONIC).
 *   pthread_rwlock_t (56) fuss_rwlock_t at 0; the kind at 48 where glibc's
 *                         __flags is (so PTHREAD_RWLOCK_WRITER_NONRECURSIVE_
 *                         INITIALIZER_NP tags itself); any kind other than
 *                         PREFER_WRITER_NONRECURSIVE is reader-preferring, as
 *                         in glibc, set on first use by an OR of PREF_RD into
 *                         wseq_ (rwlock.c row (5)).  The write owner's tid at
 *                         24 (glibc's __cur_writer) gives glibc's EDEADLK.
 *   sem_t (32)            fuss_sem_t at 0.  A named one (sem_open, glibc's,
 *                         which initialises glibc's layout: value in bits
 *                         0-31 of the 64-bit word at 0, waiter count in
 *                         32-63) is the same word with fuss's SHARED bit 63
 *                         ORed in by the drop-in's sem_open.
 *   pthread_barrier_t(32) fuss_barrier_t at 0.
 *   pthread_spinlock_t    the int itself: test-and-test-and-set.
 *   pthread_once_t        fuss_once_t (PTHREAD_ONCE_INIT is 0).
 *
 * MODES, chosen once by the constructor: fuss (the default), stats
 * (FUSS_PTHREAD_STATS=1: fuss, counting calls and contention per kind,
 * printed at exit to a copy of stderr, or appended to the file it names
 * when the value holds a '/'; nothing for a process that made no call) and
 * off (FUSS_PTHREAD=off, 0, no or false: every call goes to glibc; a value
 * that is neither yes nor no is reported and fuss stays on).
 * The hot paths test one global that is 0 in the default mode.  Calls made
 * before the constructor runs (other libraries' constructors) use fuss:
 * fuss needs no set-up, and a normal mutex's word means "locked" to glibc as
 * well, so even in off mode such an early lock unlocks correctly.
 *
 * NOTHING LAZY.  glibc's functions are looked up in the constructor: no
 * dlsym, no allocation on any path that libgcc_s's unwinder or a thread's
 * exit may take.  (sem_open alone, called before the constructor, looks
 * glibc's up itself: it is on no such path.)
 *
 * CANCELLATION.  pthread_cond_*wait and sem_*wait are cancellation points:
 * they test at entry, and are cancellable while asleep by switching to
 * asynchronous cancellation around the futex wait alone (fuss's wait is a
 * bare system call: the hooks of src/cond.c's and src/sem.c's waits), with
 * a cleanup handler that leaves the waiter count and passes on a wake-up
 * it may have consumed (both), then re-acquires the mutex (condvar) — so
 * no other waiter misses a signal, and the program's own cleanup handlers
 * run with the mutex held, as POSIX requires.
 *
 * LAYOUT.  This header: the layouts below, the mode, the statistics,
 * glibc's functions and small helpers.  One file per object: mutex.c,
 * cond.c, rwlock.c, sem.c (with named semaphores), barrier.c, spin.c,
 * once.c; load.c is the constructor (modes, glibc's functions) and the
 * statistics' output.
 */
#ifndef FUSS_PRELOAD_FUSS_PTHREAD_H
#define FUSS_PRELOAD_FUSS_PTHREAD_H

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "fuss/barrier.h"
#include "fuss/cond.h"
#include "fuss/mutex.h"
#include "fuss/omutex.h"
#include "fuss/once.h"
#include "fuss/rwlock.h"
#include "fuss/sem.h"
#include "internal/atomic.h"
#include "internal/atomic64.h"
#include "internal/cond.h"
#include "internal/mutex.h"
#include "internal/omutex.h"
#include "internal/once.h"
#include "internal/sem.h"
#include "internal/time.h"
#include "internal/wait.h"

#define EXPORT __attribute__((visibility("default")))
#define HIDDEN __attribute__((visibility("hidden")))
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

/* ---- layouts ---------------------------------------------------------------- */

#define MUTEX_KIND_OFF  16 /* glibc's __kind */
#define MUTEX_CVUSERS_OFF 20 /* glibc's __spins: condvar waiters that will re-lock it */
#define COND_CLOCK_OFF  8  /* glibc's __g1_start: free in our use */
#define RW_WRITER_OFF   24 /* glibc's __cur_writer */
#define RW_KIND_OFF     48 /* glibc's __flags */

#define K_TYPE    3
#define K_RECURSIVE 1
#define K_ERRORCHECK 2
#define K_ROBUST  16
#define K_PI      32
#define K_PP      64
#define K_PSHARED 128

_Static_assert(sizeof(pthread_mutex_t) == 40 && sizeof(fuss_omutex_t) == 40, "mutex layout");
_Static_assert(offsetof(pthread_mutex_t, __data.__kind) == MUTEX_KIND_OFF, "glibc __kind");
_Static_assert(offsetof(fuss_omutex_t, reserved) <= MUTEX_KIND_OFF &&
               offsetof(fuss_omutex_t, robust_prev) >= MUTEX_CVUSERS_OFF + 4 &&
               MUTEX_CVUSERS_OFF >= MUTEX_KIND_OFF + 4, "tag and condvar users in reserved");
_Static_assert(PTHREAD_MUTEX_RECURSIVE == K_RECURSIVE && PTHREAD_MUTEX_ERRORCHECK == K_ERRORCHECK,
               "glibc's type values");
_Static_assert(sizeof(pthread_cond_t) == 48 && sizeof(fuss_cond_t) <= COND_CLOCK_OFF, "cond");
_Static_assert(sizeof(pthread_rwlock_t) == 56 && sizeof(fuss_rwlock_t) <= RW_WRITER_OFF, "rwlock");
/* fuss_rwlock_t is 8-byte aligned (its unlock is one 64-bit CAS); the
 * program's storage is a pthread type, so that type must be at least as
 * aligned.  Likewise for the others kept at offset 0. */
_Static_assert(_Alignof(pthread_rwlock_t) >= _Alignof(fuss_rwlock_t), "rwlock alignment");
_Static_assert(_Alignof(pthread_mutex_t) >= _Alignof(fuss_omutex_t) &&
               _Alignof(pthread_mutex_t) >= _Alignof(fuss_mutex_t), "mutex alignment");
_Static_assert(_Alignof(pthread_cond_t) >= _Alignof(fuss_cond_t), "cond alignment");
_Static_assert(offsetof(pthread_rwlock_t, __data.__flags) == RW_KIND_OFF, "glibc __flags");
_Static_assert(offsetof(pthread_rwlock_t, __data.__cur_writer) == RW_WRITER_OFF, "glibc writer");
_Static_assert(sizeof(sem_t) >= sizeof(fuss_sem_t) && _Alignof(sem_t) >= _Alignof(fuss_sem_t), "sem");
_Static_assert(sizeof(pthread_barrier_t) >= sizeof(fuss_barrier_t) &&
               _Alignof(pthread_barrier_t) >= _Alignof(fuss_barrier_t), "barrier");
_Static_assert(FUSS_BARRIER_SERIAL_THREAD == PTHREAD_BARRIER_SERIAL_THREAD, "serial thread");
_Static_assert(sizeof(pthread_once_t) == sizeof(fuss_once_t) && PTHREAD_ONCE_INIT == 0, "once");
_Static_assert(FUSS_RWLOCK_PREFER_READER == 2u, "rwlock.c row (5): the flag as stored in wseq_");

static inline a32_t *field32(const void *obj, size_t off) { return A32((char *)obj + off); }

/* POSIX allows EINVAL only for a bad tv_nsec: a deadline with tv_sec < 0 is
 * in the past, so the call tries and then says ETIMEDOUT, as glibc's do.
 * fuss's own API says EINVAL there (DESIGN.md, "Timeouts"), so the drop-in
 * hands it the epoch instead, which is past on both clocks. */
static inline const struct timespec *posix_deadline(const struct timespec *at, struct timespec *buf)
{
    if (!at || at->tv_sec >= 0 || at->tv_nsec < 0 || at->tv_nsec >= 1000000000L) return at;
    buf->tv_sec = 0;
    buf->tv_nsec = 0;
    return buf;
}

static inline uint32_t mutex_kind(const pthread_mutex_t *m)
{
    return a32_load_relaxed(field32(m, MUTEX_KIND_OFF));
}
static inline fuss_mutex_t *FM(pthread_mutex_t *m) { return (fuss_mutex_t *)(void *)m; }
static inline fuss_omutex_t *OM(pthread_mutex_t *m) { return (fuss_omutex_t *)(void *)m; }
static inline fuss_cond_t *FC(pthread_cond_t *c) { return (fuss_cond_t *)(void *)c; }
static inline fuss_rwlock_t *FRW(pthread_rwlock_t *r) { return (fuss_rwlock_t *)(void *)r; }
static inline fuss_sem_t *FS(sem_t *s) { return (fuss_sem_t *)(void *)s; }
static inline fuss_barrier_t *FB(pthread_barrier_t *b) { return (fuss_barrier_t *)(void *)b; }

/* Which implementation a mutex kind uses. */
enum route { R_PLAIN, R_OWNED, R_GLIBC };
static inline enum route mutex_route(uint32_t k)
{
    if (k & K_PP) return R_GLIBC;
    uint32_t t = k & K_TYPE;
    if ((k & (K_ROBUST | K_PI)) || t == K_RECURSIVE || t == K_ERRORCHECK) return R_OWNED;
    return R_PLAIN;
}
static inline unsigned omutex_flags(uint32_t k)
{
    return ((k & K_TYPE) == K_RECURSIVE ? FUSS_OMUTEX_RECURSIVE : 0) |
           ((k & K_ROBUST) ? FUSS_OMUTEX_ROBUST : 0) | ((k & K_PI) ? FUSS_OMUTEX_PI : 0) |
           ((k & K_PSHARED) ? FUSS_SHARED : 0);
}
/* (omutex.c A1) a statically initialized recursive mutex. */
static inline void omutex_adopt(pthread_mutex_t *m, uint32_t k)
{
    if ((k & K_TYPE) == K_RECURSIVE) fuss__omutex_adopt_kind(OM(m), omutex_flags(k));
}

/* ---- modes, glibc's functions, statistics ------------------------------------ */

enum { MODE_FUSS = 0, MODE_STATS = 1, MODE_OFF = 2 };
extern HIDDEN int g_mode; /* written once, by the constructor (load.c) */

enum stat_kind { S_MUTEX, S_COND, S_RWLOCK, S_SEM, S_BARRIER, S_SPIN, S_ONCE, S_KINDS };
extern HIDDEN atomic_ulong stat_calls[S_KINDS], stat_contended[S_KINDS];
static inline void stat_call(enum stat_kind k) { atomic_fetch_add_explicit(&stat_calls[k], 1, memory_order_relaxed); }
static inline void stat_contend(enum stat_kind k) { atomic_fetch_add_explicit(&stat_contended[k], 1, memory_order_relaxed); }

#define REAL_LIST(X)                                                                      \
    X(pthread_mutex_init, int, (pthread_mutex_t *, const pthread_mutexattr_t *))          \
    X(pthread_mutex_destroy, int, (pthread_mutex_t *))                                    \
    X(pthread_mutex_lock, int, (pthread_mutex_t *))                                       \
    X(pthread_mutex_trylock, int, (pthread_mutex_t *))                                    \
    X(pthread_mutex_timedlock, int, (pthread_mutex_t *, const struct timespec *))         \
    X(pthread_mutex_clocklock, int, (pthread_mutex_t *, clockid_t, const struct timespec *)) \
    X(pthread_mutex_unlock, int, (pthread_mutex_t *))                                     \
    X(pthread_mutex_consistent, int, (pthread_mutex_t *))                                 \
    X(pthread_mutex_getprioceiling, int, (const pthread_mutex_t *, int *))                \
    X(pthread_mutex_setprioceiling, int, (pthread_mutex_t *, int, int *))                 \
    X(pthread_cond_init, int, (pthread_cond_t *, const pthread_condattr_t *))             \
    X(pthread_cond_destroy, int, (pthread_cond_t *))                                      \
    X(pthread_cond_wait, int, (pthread_cond_t *, pthread_mutex_t *))                      \
    X(pthread_cond_timedwait, int, (pthread_cond_t *, pthread_mutex_t *, const struct timespec *)) \
    X(pthread_cond_clockwait, int, (pthread_cond_t *, pthread_mutex_t *, clockid_t, const struct timespec *)) \
    X(pthread_cond_signal, int, (pthread_cond_t *))                                       \
    X(pthread_cond_broadcast, int, (pthread_cond_t *))                                    \
    X(pthread_rwlock_init, int, (pthread_rwlock_t *, const pthread_rwlockattr_t *))       \
    X(pthread_rwlock_destroy, int, (pthread_rwlock_t *))                                  \
    X(pthread_rwlock_rdlock, int, (pthread_rwlock_t *))                                   \
    X(pthread_rwlock_tryrdlock, int, (pthread_rwlock_t *))                                \
    X(pthread_rwlock_timedrdlock, int, (pthread_rwlock_t *, const struct timespec *))     \
    X(pthread_rwlock_clockrdlock, int, (pthread_rwlock_t *, clockid_t, const struct timespec *)) \
    X(pthread_rwlock_wrlock, int, (pthread_rwlock_t *))                                   \
    X(pthread_rwlock_trywrlock, int, (pthread_rwlock_t *))                                \
    X(pthread_rwlock_timedwrlock, int, (pthread_rwlock_t *, const struct timespec *))     \
    X(pthread_rwlock_clockwrlock, int, (pthread_rwlock_t *, clockid_t, const struct timespec *)) \
    X(pthread_rwlock_unlock, int, (pthread_rwlock_t *))                                   \
    X(sem_init, int, (sem_t *, int, unsigned))                                            \
    X(sem_destroy, int, (sem_t *))                                                        \
    X(sem_wait, int, (sem_t *))                                                           \
    X(sem_trywait, int, (sem_t *))                                                        \
    X(sem_timedwait, int, (sem_t *, const struct timespec *))                             \
    X(sem_clockwait, int, (sem_t *, clockid_t, const struct timespec *))                  \
    X(sem_post, int, (sem_t *))                                                           \
    X(sem_getvalue, int, (sem_t *, int *))                                                \
    X(sem_open, sem_t *, (const char *, int, ...))                                        \
    X(pthread_barrier_init, int, (pthread_barrier_t *, const pthread_barrierattr_t *, unsigned)) \
    X(pthread_barrier_destroy, int, (pthread_barrier_t *))                                \
    X(pthread_barrier_wait, int, (pthread_barrier_t *))                                   \
    X(pthread_spin_init, int, (pthread_spinlock_t *, int))                                \
    X(pthread_spin_destroy, int, (pthread_spinlock_t *))                                  \
    X(pthread_spin_lock, int, (pthread_spinlock_t *))                                     \
    X(pthread_spin_trylock, int, (pthread_spinlock_t *))                                  \
    X(pthread_spin_unlock, int, (pthread_spinlock_t *))                                   \
    X(pthread_once, int, (pthread_once_t *, void (*)(void)))

/* The check each export starts with: FUSS_PTHREAD=off hands the call to
 * glibc.  One predictable branch, not taken in the default mode.  The
 * second form also counts the call in stats mode, behind the same branch. */
#define OFF_TO_GLIBC(name, ...)                                                   \
    do {                                                                          \
        if (UNLIKELY(g_mode == MODE_OFF)) return real_##name(__VA_ARGS__);       \
    } while (0)
#define OFF_TO_GLIBC_OR_COUNT(kind, name, ...)                                    \
    do {                                                                          \
        if (UNLIKELY(g_mode != MODE_FUSS)) {                                      \
            if (g_mode == MODE_OFF) return real_##name(__VA_ARGS__);              \
            stat_call(kind);                                                      \
        }                                                                         \
    } while (0)

#define REAL_DECL(name, ret, args) extern HIDDEN ret(*real_##name) args;
REAL_LIST(REAL_DECL)


/* Asynchronous cancellation around a futex wait (CANCELLATION above). */
static inline void async_on(void *old) { pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, old); }
static inline void async_off(void *old) { pthread_setcanceltype(*(int *)old, NULL); }

#endif
