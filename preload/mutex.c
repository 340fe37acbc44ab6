/* The drop-in's pthread_mutex_* (fuss_pthread.h, WHERE THE FUSS OBJECT LIVES). */
#include "fuss_pthread.h"

/* ---- mutex --------------------------------------------------------------------- */

EXPORT int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
    OFF_TO_GLIBC(pthread_mutex_init, m, a);
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
    OFF_TO_GLIBC(pthread_mutex_destroy, m);
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
    OFF_TO_GLIBC_OR_COUNT(S_MUTEX, pthread_mutex_trylock, m);
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
    OFF_TO_GLIBC(pthread_mutex_timedlock, m, at);
    return mutex_clocklock(m, CLOCK_REALTIME, at);
}

EXPORT int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clock, const struct timespec *at)
{
    OFF_TO_GLIBC(pthread_mutex_clocklock, m, clock, at);
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
    OFF_TO_GLIBC(pthread_mutex_unlock, m);
    uint32_t k = mutex_kind(m);
    if (LIKELY(k == 0)) return fuss_mutex_unlock(FM(m));
    return mutex_unlock_kind(m, k);
}

EXPORT int pthread_mutex_consistent(pthread_mutex_t *m)
{
    OFF_TO_GLIBC(pthread_mutex_consistent, m);
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
