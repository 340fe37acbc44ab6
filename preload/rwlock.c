/* The drop-in's pthread_rwlock_* (fuss_pthread.h, WHERE THE FUSS OBJECT LIVES). */
#include "fuss_pthread.h"

/* ---- rwlock ------------------------------------------------------------------------ */

EXPORT int pthread_rwlock_init(pthread_rwlock_t *rw, const pthread_rwlockattr_t *a)
{
    OFF_TO_GLIBC(pthread_rwlock_init, rw, a);
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
    OFF_TO_GLIBC(pthread_rwlock_destroy, rw);
    (void)fuss_rwlock_destroy(FRW(rw));
    return 0; /* glibc never reports EBUSY here (its tst-rwlock7 relies on it) */
}

static void rw_stat(void) { if (UNLIKELY(g_mode == MODE_STATS)) stat_call(S_RWLOCK); }

EXPORT int pthread_rwlock_rdlock(pthread_rwlock_t *rw)
{
    OFF_TO_GLIBC(pthread_rwlock_rdlock, rw);
    rw_stat();
    fuss_rwlock_t *f = rw_get(rw);
    if (UNLIKELY(rw_writer(rw) == fuss__self_tid())) return EDEADLK;
    if (UNLIKELY(g_mode == MODE_STATS) && fuss_rwlock_tryrdlock(f) == 0) return 0;
    if (UNLIKELY(g_mode == MODE_STATS)) stat_contend(S_RWLOCK);
    return fuss_rwlock_rdlock(f);
}

EXPORT int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw)
{
    OFF_TO_GLIBC(pthread_rwlock_tryrdlock, rw);
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
    OFF_TO_GLIBC(pthread_rwlock_timedrdlock, rw, at);
    return rw_timed(rw, CLOCK_REALTIME, at, 0);
}

EXPORT int pthread_rwlock_clockrdlock(pthread_rwlock_t *rw, clockid_t clock, const struct timespec *at)
{
    OFF_TO_GLIBC(pthread_rwlock_clockrdlock, rw, clock, at);
    return rw_timed(rw, clock, at, 0);
}

EXPORT int pthread_rwlock_wrlock(pthread_rwlock_t *rw)
{
    OFF_TO_GLIBC(pthread_rwlock_wrlock, rw);
    rw_stat();
    fuss_rwlock_t *f = rw_get(rw);
    if (UNLIKELY(rw_writer(rw) == fuss__self_tid())) return EDEADLK;
    if (UNLIKELY(g_mode == MODE_STATS) && fuss_rwlock_trywrlock(f) == 0) return rw_wrote(rw, 0);
    if (UNLIKELY(g_mode == MODE_STATS)) stat_contend(S_RWLOCK);
    return rw_wrote(rw, fuss_rwlock_wrlock(f));
}

EXPORT int pthread_rwlock_trywrlock(pthread_rwlock_t *rw)
{
    OFF_TO_GLIBC(pthread_rwlock_trywrlock, rw);
    rw_stat();
    return rw_wrote(rw, fuss_rwlock_trywrlock(rw_get(rw)));
}

EXPORT int pthread_rwlock_timedwrlock(pthread_rwlock_t *rw, const struct timespec *at)
{
    OFF_TO_GLIBC(pthread_rwlock_timedwrlock, rw, at);
    return rw_timed(rw, CLOCK_REALTIME, at, 1);
}

EXPORT int pthread_rwlock_clockwrlock(pthread_rwlock_t *rw, clockid_t clock, const struct timespec *at)
{
    OFF_TO_GLIBC(pthread_rwlock_clockwrlock, rw, clock, at);
    return rw_timed(rw, clock, at, 1);
}

EXPORT int pthread_rwlock_unlock(pthread_rwlock_t *rw)
{
    OFF_TO_GLIBC(pthread_rwlock_unlock, rw);
    fuss_rwlock_t *f = rw_get(rw);
    /* The writer field is cleared before the release, by its owner only. */
    if (rw_writer(rw) == fuss__self_tid()) a32_store_relaxed(field32(rw, RW_WRITER_OFF), 0);
    /* Nobody holds it: fuss says EPERM (a POSIX "may fail"); glibc says 0
     * (Open POSIX rwlock_unlock/4-1), and the word is unchanged either way. */
    int r = fuss_rwlock_unlock(f);
    return r == EPERM ? 0 : r;
}
