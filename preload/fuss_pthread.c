/*
 * fuss_pthread.c — libfuss-pthread.so, the drop-in: LD_PRELOAD it and the
 * program's pthread mutexes, condition variables, rwlocks, semaphores
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
 */
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
_Static_assert(offsetof(pthread_rwlock_t, __data.__flags) == RW_KIND_OFF, "glibc __flags");
_Static_assert(offsetof(pthread_rwlock_t, __data.__cur_writer) == RW_WRITER_OFF, "glibc writer");
_Static_assert(sizeof(sem_t) >= sizeof(fuss_sem_t) && _Alignof(sem_t) >= _Alignof(fuss_sem_t), "sem");
_Static_assert(sizeof(pthread_barrier_t) >= sizeof(fuss_barrier_t) &&
               _Alignof(pthread_barrier_t) >= _Alignof(fuss_barrier_t), "barrier");
_Static_assert(FUSS_BARRIER_SERIAL_THREAD == PTHREAD_BARRIER_SERIAL_THREAD, "serial thread");
_Static_assert(sizeof(pthread_once_t) == sizeof(fuss_once_t) && PTHREAD_ONCE_INIT == 0, "once");
_Static_assert(FUSS_RWLOCK_PREFER_READER == 2u, "rwlock.c row (5): the flag as stored in wseq_");

static a32_t *field32(const void *obj, size_t off) { return A32((char *)obj + off); }

/* POSIX allows EINVAL only for a bad tv_nsec: a deadline with tv_sec < 0 is
 * in the past, so the call tries and then says ETIMEDOUT, as glibc's do.
 * fuss's own API says EINVAL there (DESIGN.md, "Timeouts"), so the drop-in
 * hands it the epoch instead, which is past on both clocks. */
static const struct timespec *posix_deadline(const struct timespec *at, struct timespec *buf)
{
    if (!at || at->tv_sec >= 0 || at->tv_nsec < 0 || at->tv_nsec >= 1000000000L) return at;
    buf->tv_sec = 0;
    buf->tv_nsec = 0;
    return buf;
}

static uint32_t mutex_kind(const pthread_mutex_t *m)
{
    return a32_load_relaxed(field32(m, MUTEX_KIND_OFF));
}
static fuss_mutex_t *FM(pthread_mutex_t *m) { return (fuss_mutex_t *)(void *)m; }
static fuss_omutex_t *OM(pthread_mutex_t *m) { return (fuss_omutex_t *)(void *)m; }
static fuss_cond_t *FC(pthread_cond_t *c) { return (fuss_cond_t *)(void *)c; }
static fuss_rwlock_t *FRW(pthread_rwlock_t *r) { return (fuss_rwlock_t *)(void *)r; }
static fuss_sem_t *FS(sem_t *s) { return (fuss_sem_t *)(void *)s; }
static fuss_barrier_t *FB(pthread_barrier_t *b) { return (fuss_barrier_t *)(void *)b; }

/* Which implementation a mutex kind uses. */
enum route { R_PLAIN, R_OWNED, R_GLIBC };
static enum route mutex_route(uint32_t k)
{
    if (k & K_PP) return R_GLIBC;
    uint32_t t = k & K_TYPE;
    if ((k & (K_ROBUST | K_PI)) || t == K_RECURSIVE || t == K_ERRORCHECK) return R_OWNED;
    return R_PLAIN;
}
static unsigned omutex_flags(uint32_t k)
{
    return ((k & K_TYPE) == K_RECURSIVE ? FUSS_OMUTEX_RECURSIVE : 0) |
           ((k & K_ROBUST) ? FUSS_OMUTEX_ROBUST : 0) | ((k & K_PI) ? FUSS_OMUTEX_PI : 0) |
           ((k & K_PSHARED) ? FUSS_SHARED : 0);
}
/* (omutex.c A1) a statically initialized recursive mutex. */
static void omutex_adopt(pthread_mutex_t *m, uint32_t k)
{
    if ((k & K_TYPE) == K_RECURSIVE) fuss__omutex_adopt_kind(OM(m), omutex_flags(k));
}

/* ---- modes, glibc's functions, statistics ------------------------------------ */

enum { MODE_FUSS = 0, MODE_STATS = 1, MODE_OFF = 2 };
static int g_mode; /* written once, by the constructor */

enum stat_kind { S_MUTEX, S_COND, S_RWLOCK, S_SEM, S_BARRIER, S_SPIN, S_ONCE, S_KINDS };
static const char *const stat_names[S_KINDS] = { "mutex", "cond", "rwlock", "sem",
                                                 "barrier", "spin", "once" };
static atomic_ulong stat_calls[S_KINDS], stat_contended[S_KINDS];
static void stat_call(enum stat_kind k) { atomic_fetch_add_explicit(&stat_calls[k], 1, memory_order_relaxed); }
static void stat_contend(enum stat_kind k) { atomic_fetch_add_explicit(&stat_contended[k], 1, memory_order_relaxed); }

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

#define REAL_DECL(name, ret, args) static ret(*real_##name) args;
REAL_LIST(REAL_DECL)

static void resolve_real(void)
{
#define REAL_RESOLVE(name, ret, args) *(void **)&real_##name = dlsym(RTLD_NEXT, #name);
    REAL_LIST(REAL_RESOLVE)
    /* The current condvar ABI, whichever version dlsym would pick. */
#define REAL_COND(name, ret, args) *(void **)&real_##name = dlvsym(RTLD_NEXT, #name, "GLIBC_2.3.2");
    REAL_COND(pthread_cond_init, , ) REAL_COND(pthread_cond_destroy, , )
    REAL_COND(pthread_cond_wait, , ) REAL_COND(pthread_cond_timedwait, , )
    REAL_COND(pthread_cond_signal, , ) REAL_COND(pthread_cond_broadcast, , )
}

/* Where the statistics go: a copy of stderr taken at load time, so that a
 * program that closes its stderr (xz, sort) still gets them; or the file
 * FUSS_PTHREAD_STATS names when it holds a '/'. */
static int stats_fd = 2;

static void say_to(int fd, const char *s) { (void)!write(fd, s, strlen(s)); }
static void say(const char *s) { say_to(2, s); }

static void dump_stats(void)
{
    unsigned long total = 0;
    for (int k = 0; k < S_KINDS; k++) total += atomic_load(&stat_calls[k]);
    if (total == 0) return; /* a wrapper process that took no lock: nothing to say */
    char line[200];
    snprintf(line, sizeof line,
             "fuss-pthread statistics for %s (pid %ld; calls, contended = fast path failed):\n",
             program_invocation_short_name, (long)getpid());
    say_to(stats_fd, line);
    for (int k = 0; k < S_KINDS; k++) {
        unsigned long c = atomic_load(&stat_calls[k]), x = atomic_load(&stat_contended[k]);
        snprintf(line, sizeof line, "fuss-pthread: %-8s calls %12lu contended %12lu\n",
                 stat_names[k], c, x);
        say_to(stats_fd, line);
    }
}

/* A yes/no environment value: 1 yes, 0 no, -1 neither (the caller says so). */
static int env_bool(const char *v)
{
    static const char *const yes[] = { "1", "on", "yes", "true", "fuss" };
    static const char *const no[] = { "0", "off", "no", "false" };
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) if (!strcasecmp(v, yes[i])) return 1;
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) if (!strcasecmp(v, no[i])) return 0;
    return -1;
}

static void stats_open(const char *where)
{
    int fd = strchr(where, '/') ? open(where, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)
                                : fcntl(2, F_DUPFD_CLOEXEC, 10);
    if (fd < 0) {
        say("fuss-pthread: FUSS_PTHREAD_STATS: cannot open where to write; statistics go to stderr\n");
        return;
    }
    stats_fd = fd;
}

__attribute__((constructor)) static void fuss_pthread_load(void)
{
    resolve_real();
    const char *use = getenv("FUSS_PTHREAD");
    const char *st = getenv("FUSS_PTHREAD_STATS");
    int on = use && *use ? env_bool(use) : 1;
    if (on < 0) {
        say("fuss-pthread: FUSS_PTHREAD must be on or off (1/0, yes/no, true/false); using fuss\n");
        on = 1;
    }
    if (!on) {
        int ok = 1;
#define REAL_CHECK(name, ret, args) ok &= real_##name != NULL;
        REAL_LIST(REAL_CHECK)
        if (ok) g_mode = MODE_OFF;
        else say("fuss-pthread: FUSS_PTHREAD=off but glibc's functions not found; using fuss\n");
    } else if (st && *st && (strchr(st, '/') || env_bool(st) != 0)) {
        g_mode = MODE_STATS;
        stats_open(st);
        atexit(dump_stats);
    }
}

/* ---- mutex --------------------------------------------------------------------- */

EXPORT int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_mutex_init(m, a);
    int type = PTHREAD_MUTEX_DEFAULT, pshared = PTHREAD_PROCESS_PRIVATE;
    int robust = PTHREAD_MUTEX_STALLED, proto = PTHREAD_PRIO_NONE;
    if (a) {
        pthread_mutexattr_gettype(a, &type);
        pthread_mutexattr_getpshared(a, &pshared);
        pthread_mutexattr_getrobust(a, &robust);
        pthread_mutexattr_getprotocol(a, &proto);
    }
    if (proto == PTHREAD_PRIO_PROTECT) return real_pthread_mutex_init(m, a);
    uint32_t k = (uint32_t)type & K_TYPE;
    if (robust == PTHREAD_MUTEX_ROBUST) k |= K_ROBUST;
    if (proto == PTHREAD_PRIO_INHERIT) k |= K_PI;
    if (pshared == PTHREAD_PROCESS_SHARED) k |= K_PSHARED;
    memset(m, 0, sizeof *m);
    int r = mutex_route(k) == R_OWNED ? fuss_omutex_init(OM(m), omutex_flags(k))
                                      : fuss_mutex_init(FM(m), (k & K_PSHARED) ? FUSS_SHARED : 0);
    if (r) return r;
    a32_store_relaxed(field32(m, MUTEX_KIND_OFF), k);
    return 0;
}

EXPORT int pthread_mutex_destroy(pthread_mutex_t *m)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_mutex_destroy(m);
    uint32_t k = mutex_kind(m);
    /* glibc exempts robust mutexes from this check; so does the drop-in. */
    if (!(k & K_ROBUST) && a32_load_relaxed(field32(m, MUTEX_CVUSERS_OFF)) != 0) return EBUSY;
    switch (mutex_route(k)) {
    case R_PLAIN: return fuss_mutex_destroy(FM(m));
    case R_OWNED: return fuss_omutex_destroy(OM(m));
    default:      return real_pthread_mutex_destroy(m);
    }
}

/* fuss_omutex always checks errors: relocked by its owner it says EDEADLK
 * (and a PI one says so too when the kernel finds a deadlock chain).  glibc
 * says EDEADLK for the error-checking type only (a recursive one counts);
 * a normal or adaptive robust or PI mutex just waits: forever in lock, until
 * the deadline and then ETIMEDOUT in timedlock/clocklock, as POSIX wants of
 * PTHREAD_MUTEX_NORMAL (glibc 2.36 nptl/pthread_mutex_lock.c, "Delay the
 * thread indefinitely"; pthread_mutex_timedlock.c; glibc's tst-mutexpi5/6).
 * The wait is on a word nobody wakes, and is not a cancellation point. */
static int omutex_deadlock(uint32_t k, clockid_t clock, const struct timespec *at)
{
    uint32_t t = k & K_TYPE;
    if (t == K_ERRORCHECK || t == K_RECURSIVE) return EDEADLK;
    struct fuss__deadline dl;
    const struct fuss__deadline *dlp = NULL;
    int e = fuss__deadline_make(&dl, clock, at, &dlp);
    if (e) return e;
    a32_t never = 0;
    while (fuss__wait(&never, 0, FUSS_FUTEX_BITSET_ANY, dlp, FUSS_PRIVATE) != -ETIMEDOUT) {
    }
    return ETIMEDOUT;
}

static int omutex_lock(pthread_mutex_t *m, uint32_t k)
{
    omutex_adopt(m, k);
    int r = fuss_omutex_lock(OM(m));
    return UNLIKELY(r == EDEADLK) ? omutex_deadlock(k, CLOCK_REALTIME, NULL) : r;
}

static int mutex_lock_kind(pthread_mutex_t *m, uint32_t k)
{
    switch (mutex_route(k)) {
    case R_PLAIN: return fuss_mutex_lock(FM(m));
    case R_OWNED: return omutex_lock(m, k);
    default:      return real_pthread_mutex_lock(m);
    }
}

static int mutex_trylock_kind(pthread_mutex_t *m, uint32_t k)
{
    switch (mutex_route(k)) {
    case R_PLAIN: return fuss_mutex_trylock(FM(m));
    case R_OWNED: omutex_adopt(m, k); return fuss_omutex_trylock(OM(m));
    default:      return real_pthread_mutex_trylock(m);
    }
}

__attribute__((noinline)) static int mutex_lock_moded(pthread_mutex_t *m)
{
    if (g_mode == MODE_OFF) return real_pthread_mutex_lock(m);
    stat_call(S_MUTEX);
    uint32_t k = mutex_kind(m);
    int r = mutex_trylock_kind(m, k);
    if (r != EBUSY) return r;
    stat_contend(S_MUTEX);
    return mutex_lock_kind(m, k);
}

EXPORT int pthread_mutex_lock(pthread_mutex_t *m)
{
    if (UNLIKELY(g_mode != MODE_FUSS)) return mutex_lock_moded(m);
    uint32_t k = mutex_kind(m);
    if (LIKELY(k == 0)) return fuss_mutex_lock(FM(m));
    return mutex_lock_kind(m, k);
}

EXPORT int pthread_mutex_trylock(pthread_mutex_t *m)
{
    if (UNLIKELY(g_mode != MODE_FUSS)) {
        if (g_mode == MODE_OFF) return real_pthread_mutex_trylock(m);
        stat_call(S_MUTEX);
    }
    uint32_t k = mutex_kind(m);
    if (LIKELY(k == 0)) return fuss_mutex_trylock(FM(m));
    return mutex_trylock_kind(m, k);
}

/* POSIX: the deadline need not be checked when the lock is free, and glibc
 * does not: try first. */
static int mutex_clocklock(pthread_mutex_t *m, clockid_t clock, const struct timespec *at)
{
    struct timespec epoch;
    at = posix_deadline(at, &epoch);
    if (g_mode == MODE_STATS) stat_call(S_MUTEX);
    uint32_t k = mutex_kind(m);
    enum route rt = mutex_route(k);
    if (rt == R_GLIBC) return real_pthread_mutex_clocklock(m, clock, at);
    if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC) return EINVAL;
    int r = mutex_trylock_kind(m, k);
    if (r != EBUSY) return r;
    if (g_mode == MODE_STATS) stat_contend(S_MUTEX);
    if (rt == R_PLAIN) return fuss_mutex_timedlock(FM(m), clock, at);
    r = fuss_omutex_timedlock(OM(m), clock, at);
    return UNLIKELY(r == EDEADLK) ? omutex_deadlock(k, clock, at) : r;
}

EXPORT int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *at)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_mutex_timedlock(m, at);
    return mutex_clocklock(m, CLOCK_REALTIME, at);
}

EXPORT int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clock, const struct timespec *at)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_mutex_clocklock(m, clock, at);
    return mutex_clocklock(m, clock, at);
}

static int mutex_unlock_kind(pthread_mutex_t *m, uint32_t k)
{
    switch (mutex_route(k)) {
    case R_PLAIN: return fuss_mutex_unlock(FM(m));
    case R_OWNED: omutex_adopt(m, k); return fuss_omutex_unlock(OM(m));
    default:      return real_pthread_mutex_unlock(m);
    }
}

EXPORT int pthread_mutex_unlock(pthread_mutex_t *m)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_mutex_unlock(m);
    uint32_t k = mutex_kind(m);
    if (LIKELY(k == 0)) return fuss_mutex_unlock(FM(m));
    return mutex_unlock_kind(m, k);
}

EXPORT int pthread_mutex_consistent(pthread_mutex_t *m)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_mutex_consistent(m);
    uint32_t k = mutex_kind(m);
    switch (mutex_route(k)) {
    case R_OWNED: return fuss_omutex_consistent(OM(m));
    case R_GLIBC: return real_pthread_mutex_consistent(m);
    default:      return EINVAL;
    }
}

/* Priority ceilings: only PP mutexes have one, and those are glibc's; for
 * the others glibc's functions read the same kind tag and say EINVAL. */
EXPORT int pthread_mutex_getprioceiling(const pthread_mutex_t *m, int *ceiling)
{
    return real_pthread_mutex_getprioceiling(m, ceiling);
}

EXPORT int pthread_mutex_setprioceiling(pthread_mutex_t *m, int ceiling, int *old)
{
    return real_pthread_mutex_setprioceiling(m, ceiling, old);
}

/* ---- condition variable ---------------------------------------------------------- */

#define COND_CLOCK_MONOTONIC 1u

EXPORT int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_cond_init(c, a);
    clockid_t clock = CLOCK_REALTIME;
    int pshared = PTHREAD_PROCESS_PRIVATE;
    if (a) {
        pthread_condattr_getclock(a, &clock);
        pthread_condattr_getpshared(a, &pshared);
    }
    memset(c, 0, sizeof *c);
    int r = fuss_cond_init(FC(c), pshared == PTHREAD_PROCESS_SHARED ? FUSS_SHARED : 0);
    if (r) return r;
    a32_store_relaxed(field32(c, COND_CLOCK_OFF),
                      clock == CLOCK_MONOTONIC ? COND_CLOCK_MONOTONIC : 0);
    return 0;
}

EXPORT int pthread_cond_destroy(pthread_cond_t *c)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_cond_destroy(c);
    return fuss_cond_destroy(FC(c));
}

EXPORT int pthread_cond_signal(pthread_cond_t *c)
{
    if (UNLIKELY(g_mode != MODE_FUSS)) {
        if (g_mode == MODE_OFF) return real_pthread_cond_signal(c);
        stat_call(S_COND);
    }
    return fuss_cond_signal(FC(c));
}

EXPORT int pthread_cond_broadcast(pthread_cond_t *c)
{
    if (UNLIKELY(g_mode != MODE_FUSS)) {
        if (g_mode == MODE_OFF) return real_pthread_cond_broadcast(c);
        stat_call(S_COND);
    }
    return fuss_cond_broadcast(FC(c));
}

struct cond_waiter {
    pthread_mutex_t *m;
    enum route route;
    fuss_cond_t *c;
    int old; /* the cancel type to restore after the sleep */
    struct fuss__cond_hooks hooks;
};

/* The count of condvar waiters that will re-lock m (MUTEX_CVUSERS_OFF)
 * is raised before the wait and dropped once m is held again, or if it was
 * never released. */
static void cvusers_drop(pthread_mutex_t *m)
{
    (void)a32_fetch_sub_relaxed(field32(m, MUTEX_CVUSERS_OFF), 1);
}

static int cond_unlock(void *arg)
{
    struct cond_waiter *w = arg;
    int r;
    switch (w->route) {
    /* A normal mutex the caller does not hold: glibc does not check, it
     * waits and re-locks (its tst-eintr5); POSIX leaves it undefined. */
    case R_PLAIN: r = fuss_mutex_unlock(FM(w->m)); if (r == EPERM) r = 0; break;
    case R_OWNED: r = fuss_omutex_unlock(OM(w->m)); break;
    default:      return real_pthread_mutex_unlock(w->m); /* glibc counts its own */
    }
    if (r) cvusers_drop(w->m);
    return r;
}

static int cond_relock(void *arg, bool slept)
{
    struct cond_waiter *w = arg;
    int r;
    switch (w->route) {
    case R_PLAIN: r = slept ? fuss__mutex_relock(FM(w->m), NULL) : fuss_mutex_lock(FM(w->m)); break;
    case R_OWNED: r = fuss_omutex_lock(OM(w->m)); break;
    default:      return real_pthread_mutex_lock(w->m);
    }
    /* Held again (or EOWNERDEAD, which holds it too): no longer a user that
     * destroy must wait for.  ENOTRECOVERABLE does not hold it, but the
     * count must drop all the same. */
    cvusers_drop(w->m);
    return r;
}

static void async_on(void *old) { pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, old); }
static void async_off(void *old) { pthread_setcanceltype(*(int *)old, NULL); }

static void cond_before(void *arg) { async_on(&((struct cond_waiter *)arg)->old); }
static void cond_after(void *arg) { async_off(&((struct cond_waiter *)arg)->old); }

/* Cancelled asleep: pass on a signal it may have taken and leave the
 * condvar (src/cond.c, CANCELLATION), then re-lock: the program's cleanup
 * handlers expect the mutex held. */
static void cond_cancelled(void *arg)
{
    struct cond_waiter *w = arg;
    fuss__cond_cancel_leave(w->c, w->hooks.value);
    (void)cond_relock(w, true);
}

/* The wait is src/cond.c's, cancellable between the before and after hooks
 * (CANCELLATION above).  A function of its own so that the cleanup frame's
 * setjmp sees only these few values. */
static int cond_sleep(struct cond_waiter *w, const struct fuss__deadline *dlp)
{
    int r;
    pthread_cleanup_push(cond_cancelled, w);
    r = fuss__cond_wait_hooked(w->c, w->route == R_PLAIN ? FM(w->m) : NULL, dlp, &w->hooks);
    pthread_cleanup_pop(0);
    return r;
}

static int cond_wait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clock,
                     const struct timespec *at)
{
    pthread_testcancel();
    if (g_mode == MODE_STATS) stat_call(S_COND);
    struct fuss__deadline dl;
    const struct fuss__deadline *dlp = NULL;
    struct timespec epoch;
    at = posix_deadline(at, &epoch);
    if (at) {
        int e = fuss__deadline_make(&dl, clock, at, &dlp);
        if (e) return e;
    }
    uint32_t k = mutex_kind(m);
    struct cond_waiter w = { m, mutex_route(k), FC(c), PTHREAD_CANCEL_DEFERRED,
                             { cond_unlock, cond_relock, cond_before, cond_after, NULL, 0 } };
    w.hooks.arg = &w;
    if (w.route == R_OWNED) {
        omutex_adopt(m, k);
        if (fuss_omutex_owner(OM(m)) != (pid_t)fuss__self_tid()) return EPERM;
    }
    if (w.route != R_GLIBC) (void)a32_fetch_add_relaxed(field32(m, MUTEX_CVUSERS_OFF), 1);
    return cond_sleep(&w, dlp); /* EOWNERDEAD, ENOTRECOVERABLE: glibc says so too */
}

EXPORT int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_cond_wait(c, m);
    return cond_wait(c, m, CLOCK_REALTIME, NULL);
}

EXPORT int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *at)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_cond_timedwait(c, m, at);
    clockid_t clock = (a32_load_relaxed(field32(c, COND_CLOCK_OFF)) & COND_CLOCK_MONOTONIC)
                          ? CLOCK_MONOTONIC : CLOCK_REALTIME;
    return cond_wait(c, m, clock, at);
}

EXPORT int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clock,
                                  const struct timespec *at)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_cond_clockwait(c, m, clock, at);
    if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC) return EINVAL;
    return cond_wait(c, m, clock, at);
}

/* ---- rwlock ------------------------------------------------------------------------ */

EXPORT int pthread_rwlock_init(pthread_rwlock_t *rw, const pthread_rwlockattr_t *a)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_rwlock_init(rw, a);
    int kind = PTHREAD_RWLOCK_DEFAULT_NP, pshared = PTHREAD_PROCESS_PRIVATE;
    if (a) {
        pthread_rwlockattr_getkind_np(a, &kind);
        pthread_rwlockattr_getpshared(a, &pshared);
    }
    memset(rw, 0, sizeof *rw);
    unsigned flags = (pshared == PTHREAD_PROCESS_SHARED ? FUSS_SHARED : 0) |
                     (kind == PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP ? 0
                                                                          : FUSS_RWLOCK_PREFER_READER);
    int r = fuss_rwlock_init(FRW(rw), flags);
    if (r) return r;
    a32_store_relaxed(field32(rw, RW_KIND_OFF), (uint32_t)kind);
    return 0;
}

/* glibc's default (and all-zero initializer) prefers readers; fuss's zero
 * object prefers writers: set PREF_RD (rwlock.c row (5)) on first use. */
static fuss_rwlock_t *rw_get(pthread_rwlock_t *rw)
{
    fuss_rwlock_t *f = FRW(rw);
    if (UNLIKELY(!(a32_load_relaxed(A32(&f->wseq_)) & FUSS_RWLOCK_PREFER_READER)) &&
        a32_load_relaxed(field32(rw, RW_KIND_OFF)) != PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP)
        (void)a32_fetch_or_relaxed(A32(&f->wseq_), FUSS_RWLOCK_PREFER_READER);
    return f;
}

static uint32_t rw_writer(pthread_rwlock_t *rw) { return a32_load_relaxed(field32(rw, RW_WRITER_OFF)); }
static int rw_wrote(pthread_rwlock_t *rw, int r)
{
    if (r == 0) a32_store_relaxed(field32(rw, RW_WRITER_OFF), fuss__self_tid());
    return r;
}

EXPORT int pthread_rwlock_destroy(pthread_rwlock_t *rw)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_rwlock_destroy(rw);
    (void)fuss_rwlock_destroy(FRW(rw));
    return 0; /* glibc never reports EBUSY here (its tst-rwlock7 relies on it) */
}

static void rw_stat(void) { if (UNLIKELY(g_mode == MODE_STATS)) stat_call(S_RWLOCK); }

EXPORT int pthread_rwlock_rdlock(pthread_rwlock_t *rw)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_rwlock_rdlock(rw);
    rw_stat();
    fuss_rwlock_t *f = rw_get(rw);
    if (UNLIKELY(rw_writer(rw) == fuss__self_tid())) return EDEADLK;
    if (UNLIKELY(g_mode == MODE_STATS) && fuss_rwlock_tryrdlock(f) == 0) return 0;
    if (UNLIKELY(g_mode == MODE_STATS)) stat_contend(S_RWLOCK);
    return fuss_rwlock_rdlock(f);
}

EXPORT int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_rwlock_tryrdlock(rw);
    rw_stat();
    return fuss_rwlock_tryrdlock(rw_get(rw));
}

static int rw_timed(pthread_rwlock_t *rw, clockid_t clock, const struct timespec *at, int write)
{
    struct timespec epoch;
    at = posix_deadline(at, &epoch);
    rw_stat();
    fuss_rwlock_t *f = rw_get(rw);
    if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC) return EINVAL;
    if (rw_writer(rw) == fuss__self_tid()) return EDEADLK;
    int r = write ? fuss_rwlock_trywrlock(f) : fuss_rwlock_tryrdlock(f);
    if (r == EBUSY) {
        if (g_mode == MODE_STATS) stat_contend(S_RWLOCK);
        r = write ? fuss_rwlock_timedwrlock(f, clock, at) : fuss_rwlock_timedrdlock(f, clock, at);
    }
    return write ? rw_wrote(rw, r) : r;
}

EXPORT int pthread_rwlock_timedrdlock(pthread_rwlock_t *rw, const struct timespec *at)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_rwlock_timedrdlock(rw, at);
    return rw_timed(rw, CLOCK_REALTIME, at, 0);
}

EXPORT int pthread_rwlock_clockrdlock(pthread_rwlock_t *rw, clockid_t clock, const struct timespec *at)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_rwlock_clockrdlock(rw, clock, at);
    return rw_timed(rw, clock, at, 0);
}

EXPORT int pthread_rwlock_wrlock(pthread_rwlock_t *rw)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_rwlock_wrlock(rw);
    rw_stat();
    fuss_rwlock_t *f = rw_get(rw);
    if (UNLIKELY(rw_writer(rw) == fuss__self_tid())) return EDEADLK;
    if (UNLIKELY(g_mode == MODE_STATS) && fuss_rwlock_trywrlock(f) == 0) return rw_wrote(rw, 0);
    if (UNLIKELY(g_mode == MODE_STATS)) stat_contend(S_RWLOCK);
    return rw_wrote(rw, fuss_rwlock_wrlock(f));
}

EXPORT int pthread_rwlock_trywrlock(pthread_rwlock_t *rw)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_rwlock_trywrlock(rw);
    rw_stat();
    return rw_wrote(rw, fuss_rwlock_trywrlock(rw_get(rw)));
}

EXPORT int pthread_rwlock_timedwrlock(pthread_rwlock_t *rw, const struct timespec *at)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_rwlock_timedwrlock(rw, at);
    return rw_timed(rw, CLOCK_REALTIME, at, 1);
}

EXPORT int pthread_rwlock_clockwrlock(pthread_rwlock_t *rw, clockid_t clock, const struct timespec *at)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_rwlock_clockwrlock(rw, clock, at);
    return rw_timed(rw, clock, at, 1);
}

EXPORT int pthread_rwlock_unlock(pthread_rwlock_t *rw)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_rwlock_unlock(rw);
    fuss_rwlock_t *f = rw_get(rw);
    /* The writer field is cleared before the release, by its owner only. */
    if (rw_writer(rw) == fuss__self_tid()) a32_store_relaxed(field32(rw, RW_WRITER_OFF), 0);
    /* Nobody holds it: fuss says EPERM (a POSIX "may fail"); glibc says 0
     * (Open POSIX rwlock_unlock/4-1), and the word is unchanged either way. */
    int r = fuss_rwlock_unlock(f);
    return r == EPERM ? 0 : r;
}

/* ---- unnamed semaphores (they report errors in errno) ------------------------------- */

static int sem_ret(int r)
{
    if (LIKELY(r == 0)) return 0;
    errno = r;
    return -1;
}

EXPORT int sem_init(sem_t *s, int pshared, unsigned value)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_sem_init(s, pshared, value);
    if (value > SEM_VALUE_MAX || value > FUSS_SEM_VALUE_MAX) return sem_ret(EINVAL);
    memset(s, 0, sizeof *s);
    return sem_ret(fuss_sem_init(FS(s), value, pshared ? FUSS_SHARED : 0));
}

EXPORT int sem_destroy(sem_t *s)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_sem_destroy(s);
    return sem_ret(fuss_sem_destroy(FS(s)));
}

EXPORT int sem_post(sem_t *s)
{
    if (UNLIKELY(g_mode != MODE_FUSS)) {
        if (g_mode == MODE_OFF) return real_sem_post(s);
        stat_call(S_SEM);
    }
    return sem_ret(fuss_sem_post(FS(s)));
}

EXPORT int sem_getvalue(sem_t *s, int *value)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_sem_getvalue(s, value);
    unsigned v;
    int r = fuss_sem_getvalue(FS(s), &v);
    if (r == 0) *value = (int)v;
    return sem_ret(r);
}

EXPORT int sem_trywait(sem_t *s)
{
    if (UNLIKELY(g_mode != MODE_FUSS)) {
        if (g_mode == MODE_OFF) return real_sem_trywait(s);
        stat_call(S_SEM);
    }
    return sem_ret(fuss_sem_trywait(FS(s)));
}

struct sem_waiter {
    fuss_sem_t *s;
    int old;
};
static void sem_before(void *arg) { async_on(&((struct sem_waiter *)arg)->old); }
static void sem_after(void *arg) { async_off(&((struct sem_waiter *)arg)->old); }
static void sem_cancelled(void *arg) { fuss__sem_cancel_leave(((struct sem_waiter *)arg)->s); }

static int sem_sleep(fuss_sem_t *s, const struct fuss__deadline *dlp)
{
    struct sem_waiter w = { s, PTHREAD_CANCEL_DEFERRED };
    struct fuss__sleep_hooks hooks = { sem_before, sem_after, &w };
    int r;
    pthread_cleanup_push(sem_cancelled, &w);
    r = fuss__sem_wait_hooked(s, dlp, &hooks);
    pthread_cleanup_pop(0);
    return r;
}

static int sem_block(sem_t *s, clockid_t clock, const struct timespec *at)
{
    pthread_testcancel();
    if (g_mode == MODE_STATS) stat_call(S_SEM);
    struct timespec epoch;
    at = posix_deadline(at, &epoch);
    /* glibc checks the deadline before anything else (unlike its mutex). */
    struct fuss__deadline dl;
    const struct fuss__deadline *dlp = NULL;
    int e = fuss__deadline_make(&dl, clock, at, &dlp);
    if (e) return sem_ret(e);
    if (fuss_sem_trywait(FS(s)) == 0) return 0;
    if (g_mode == MODE_STATS) stat_contend(S_SEM);
    return sem_ret(sem_sleep(FS(s), dlp));
}

EXPORT int sem_wait(sem_t *s)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_sem_wait(s);
    return sem_block(s, CLOCK_REALTIME, NULL);
}

EXPORT int sem_timedwait(sem_t *s, const struct timespec *at)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_sem_timedwait(s, at);
    return sem_block(s, CLOCK_REALTIME, at);
}

EXPORT int sem_clockwait(sem_t *s, clockid_t clock, const struct timespec *at)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_sem_clockwait(s, clock, at);
    return sem_block(s, clock, at);
}

/* ---- named semaphores: glibc's sem_open, marked process-shared --------------------------
 *
 * glibc's sem_open creates (or maps) the object in glibc's layout: the
 * 64-bit word at 0 holds the value in its low 32 bits and the waiter count
 * in its high 32, and `private` at 8 says FUTEX_SHARED.  The value and the
 * waiter count are where fuss_sem_t keeps them (src/sem.c rows (1), (2);
 * glibc's SEM_VALUE_MAX is INT_MAX, so bit 31 stays 0), but glibc never sets
 * fuss's SHARED bit (row (3)), so fuss would use private futexes on it and a
 * post in one process would wake nobody in another.  After every successful
 * open the drop-in ORs the bit in (idempotent: every opener does it, before
 * it returns the object to the program, so no fuss call ever sees the word
 * without it).
 *
 * A process on plain glibc may share the object: it reads the bit as 2^31
 * waiters.  glibc 2.36 (nptl/sem_post.c, sem_waitcommon.c, 64-bit atomics)
 * only tests the count for non-zero in sem_post, so every post makes a
 * FUTEX_WAKE system call (spare wake-ups, nothing worse); its waiters add
 * and subtract 1 << 32 in pairs, which keeps the bit, and its fast path and
 * sem_getvalue use the low 32 bits only.  Both sides wait and wake on the low
 * half as a shared futex, so posts cross in either direction.
 *
 * sem_close and sem_unlink stay glibc's (they unmap and unlink; fuss keeps
 * no state of its own).  SEM_FAILED and errno come back untouched, and with
 * FUSS_PTHREAD=off the call is glibc's alone. */

EXPORT sem_t *sem_open(const char *name, int oflag, ...)
{
    sem_t *(*real)(const char *, int, ...) = real_sem_open;
    if (UNLIKELY(!real)) /* before the constructor */
        *(void **)&real = dlsym(RTLD_NEXT, "sem_open");
    sem_t *s;
    if (oflag & O_CREAT) {
        va_list ap;
        va_start(ap, oflag);
        mode_t mode = va_arg(ap, mode_t);
        unsigned value = va_arg(ap, unsigned);
        va_end(ap);
        s = real(name, oflag, mode, value);
    } else {
        s = real(name, oflag);
    }
    if (g_mode == MODE_OFF || s == SEM_FAILED) return s;
    a64_t *w = A64(&FS(s)->state_);
    uint64_t st = a64_load_relaxed(w);
    while (!(st & FUSS__SEM_SHARED) && !a64_cas_relaxed(w, &st, st | FUSS__SEM_SHARED)) {
    }
    return s;
}

/* ---- barrier -------------------------------------------------------------------------- */

EXPORT int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a, unsigned count)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_barrier_init(b, a, count);
    int pshared = PTHREAD_PROCESS_PRIVATE;
    if (a) pthread_barrierattr_getpshared(a, &pshared);
    if (count == 0 || count > FUSS_BARRIER_COUNT_MAX) return EINVAL;
    memset(b, 0, sizeof *b);
    return fuss_barrier_init(FB(b), count, pshared == PTHREAD_PROCESS_SHARED ? FUSS_SHARED : 0);
}

EXPORT int pthread_barrier_destroy(pthread_barrier_t *b)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_barrier_destroy(b);
    return fuss_barrier_destroy(FB(b));
}

EXPORT int pthread_barrier_wait(pthread_barrier_t *b)
{
    if (UNLIKELY(g_mode != MODE_FUSS)) {
        if (g_mode == MODE_OFF) return real_pthread_barrier_wait(b);
        stat_call(S_BARRIER);
    }
    return fuss_barrier_wait(FB(b));
}

/* ---- spinlock: test-and-test-and-set ---------------------------------------------------- */

static a32_t *SP(pthread_spinlock_t *l) { return A32(l); }

EXPORT int pthread_spin_init(pthread_spinlock_t *l, int pshared)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_spin_init(l, pshared);
    a32_store_relaxed(SP(l), 0); /* the same code serves both sharednesses */
    return 0;
}

EXPORT int pthread_spin_destroy(pthread_spinlock_t *l)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_spin_destroy(l);
    return 0;
}

EXPORT int pthread_spin_trylock(pthread_spinlock_t *l)
{
    if (UNLIKELY(g_mode != MODE_FUSS)) {
        if (g_mode == MODE_OFF) return real_pthread_spin_trylock(l);
        stat_call(S_SPIN);
    }
    uint32_t z = 0;
    return a32_cas_acq(SP(l), &z, 1) ? 0 : EBUSY;
}

EXPORT int pthread_spin_lock(pthread_spinlock_t *l)
{
    if (UNLIKELY(g_mode != MODE_FUSS)) {
        if (g_mode == MODE_OFF) return real_pthread_spin_lock(l);
        stat_call(S_SPIN);
    }
    a32_t *w = SP(l);
    for (int contended = 0;; contended = 1) {
        if (a32_exchange_acq(w, 1) == 0) return 0;
        if (!contended && g_mode == MODE_STATS) stat_contend(S_SPIN);
        /* Read-only spin: no cache-line transfers until it looks free. */
        while (a32_load_relaxed(w) != 0) cpu_relax();
    }
}

EXPORT int pthread_spin_unlock(pthread_spinlock_t *l)
{
    if (UNLIKELY(g_mode == MODE_OFF)) return real_pthread_spin_unlock(l);
    a32_store_release(SP(l), 0);
    return 0;
}

/* ---- once ----------------------------------------------------------------------------- */

struct once_run {
    fuss_once_t *o;
    void (*fn)(void);
};
static void once_cancelled(void *arg) { fuss__once_abandon(((struct once_run *)arg)->o); }
static void once_run(void *arg)
{
    struct once_run *run = arg;
    pthread_cleanup_push(once_cancelled, run);
    run->fn();
    pthread_cleanup_pop(0);
}

EXPORT int pthread_once(pthread_once_t *o, void (*fn)(void))
{
    if (UNLIKELY(g_mode != MODE_FUSS)) {
        if (g_mode == MODE_OFF) return real_pthread_once(o, fn);
        stat_call(S_ONCE);
    }
    struct once_run run = { (fuss_once_t *)(void *)o, fn };
    return fuss_once_arg(run.o, once_run, &run);
}
