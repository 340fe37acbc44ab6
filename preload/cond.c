/* The drop-in's pthread_cond_*: src/cond.c's wait with the mutex and the
 * cancellation behind hooks (fuss_pthread.h, CANCELLATION). */
#include "fuss_pthread.h"

/* ---- condition variable ---------------------------------------------------------- */

#define COND_CLOCK_MONOTONIC 1u

EXPORT int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a)
{
    OFF_TO_GLIBC(pthread_cond_init, c, a);
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
    OFF_TO_GLIBC(pthread_cond_destroy, c);
    return fuss_cond_destroy(FC(c));
}

EXPORT int pthread_cond_signal(pthread_cond_t *c)
{
    OFF_TO_GLIBC_OR_COUNT(S_COND, pthread_cond_signal, c);
    return fuss_cond_signal(FC(c));
}

EXPORT int pthread_cond_broadcast(pthread_cond_t *c)
{
    OFF_TO_GLIBC_OR_COUNT(S_COND, pthread_cond_broadcast, c);
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
    OFF_TO_GLIBC(pthread_cond_wait, c, m);
    return cond_wait(c, m, CLOCK_REALTIME, NULL);
}

EXPORT int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *at)
{
    OFF_TO_GLIBC(pthread_cond_timedwait, c, m, at);
    clockid_t clock = (a32_load_relaxed(field32(c, COND_CLOCK_OFF)) & COND_CLOCK_MONOTONIC)
                          ? CLOCK_MONOTONIC : CLOCK_REALTIME;
    return cond_wait(c, m, clock, at);
}

EXPORT int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clock,
                                  const struct timespec *at)
{
    OFF_TO_GLIBC(pthread_cond_clockwait, c, m, clock, at);
    if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC) return EINVAL;
    return cond_wait(c, m, clock, at);
}
