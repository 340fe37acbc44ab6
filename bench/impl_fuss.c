/*
 * fuss itself: the futex layer and, as they land, the primitives (mutex,
 * cond, sem, rwlock).  Built twice: into fuss-bench against fuss_linux (rows
 * "fuss", "fuss-shared": the futex layer's shared words and the FUSS_SHARED
 * mutex, uncontended) and into fuss-bench-emulated against fuss_emulated
 * (rows "fuss-emu"; process-shared mode is refused there with ENOTSUP).
 * A primitive whose header does not exist yet is left out, not faked
 * (bench/CMakeLists.txt defines BENCH_HAVE_FUSS_<NAME>_H for each header found).
 */
#include "bench.h"

#include <fuss/futex.h>

#ifdef BENCH_FUSS_EMULATED
#  define FUSS_ROW "fuss-emu"
#  define FUSS_SHARED_FLAG 0u /* the emulated backend serves private words only */
#else
#  define FUSS_ROW "fuss"
#  define FUSS_SHARED_FLAG IMPL_SHARED_OK
#endif

/* ---- futex layer ------------------------------------------------------------ */

static int fx_wait(uint32_t *w, uint32_t val) { return fuss_futex_wait(w, val, FUSS_PRIVATE); }
static void fx_wake(uint32_t *w, unsigned n) { fuss_futex_wake(w, n, FUSS_PRIVATE, NULL); }
static const struct bench_impl impl_futex = {
    .name = FUSS_ROW, .kind = K_FUTEX, .type_name = "uint32_t", .size = sizeof(uint32_t),
    .fwait = fx_wait, .fwake = fx_wake};

#ifndef BENCH_FUSS_EMULATED
static int fx_wait_sh(uint32_t *w, uint32_t val) { return fuss_futex_wait(w, val, FUSS_SHARED); }
static void fx_wake_sh(uint32_t *w, unsigned n) { fuss_futex_wake(w, n, FUSS_SHARED, NULL); }
static const struct bench_impl impl_futex_shared = {
    .name = FUSS_ROW "-shared", .kind = K_FUTEX, .type_name = "uint32_t",
    .size = sizeof(uint32_t), .fwait = fx_wait_sh, .fwake = fx_wake_sh};
#endif

/* ---- primitives ----------------------------------------------------------- */

#if defined(BENCH_HAVE_FUSS_MUTEX_H)
#  include <fuss/mutex.h>
#  define HAVE_FUSS_MUTEX 1
static int mx_init(void *o, int shared) { return fuss_mutex_init(o, shared ? FUSS_SHARED : 0); }
static void mx_destroy(void *o) { fuss_mutex_destroy(o); }
static void mx_lock(void *o) { fuss_mutex_lock(o); }
static void mx_unlock(void *o) { fuss_mutex_unlock(o); }
BENCH_PAIR_LOOP(mx, fuss_mutex_t, fuss_mutex_lock, fuss_mutex_unlock)
static const struct bench_impl impl_mutex = {
    .name = FUSS_ROW, .kind = K_MUTEX, .flags = FUSS_SHARED_FLAG,
    .type_name = "fuss_mutex_t", .size = sizeof(fuss_mutex_t),
    .init = mx_init, .destroy = mx_destroy, .lock = mx_lock, .unlock = mx_unlock,
    .loop = loop_mx};

#  ifndef BENCH_FUSS_EMULATED
/* "fuss-shared": the same mutex initialised with FUSS_SHARED (in private
 * memory: the flag, not the mapping, selects the shared word's paths), so
 * the process-shared form's uncontended cost shows beside the private one.
 * Uncontended rows only. */
static int mx_init_shared(void *o, int shared)
{
    (void)shared;
    return fuss_mutex_init(o, FUSS_SHARED);
}
static const struct bench_impl impl_mutex_shared = {
    .name = FUSS_ROW "-shared", .kind = K_MUTEX, .flags = IMPL_SHARED_OK | IMPL_UNCONTENDED,
    .type_name = "fuss_mutex_t", .size = sizeof(fuss_mutex_t),
    .init = mx_init_shared, .destroy = mx_destroy, .lock = mx_lock, .unlock = mx_unlock,
    .loop = loop_mx};
#  endif

#  if defined(BENCH_HAVE_FUSS_COND_H)
#    include <fuss/cond.h>
#    define HAVE_FUSS_COND 1
static int cv_init(void *o, int shared) { return fuss_cond_init(o, shared ? FUSS_SHARED : 0); }
static void cv_destroy(void *o) { fuss_cond_destroy(o); }
static void cv_wait(void *c, void *m) { fuss_cond_wait(c, m); }
static void cv_signal(void *c) { fuss_cond_signal(c); }
static void cv_broadcast(void *c) { fuss_cond_broadcast(c); }
static const struct bench_impl impl_cond = {
    .name = FUSS_ROW, .kind = K_COND, .flags = FUSS_SHARED_FLAG,
    .type_name = "fuss_cond_t", .size = sizeof(fuss_cond_t),
    .init = cv_init, .destroy = cv_destroy, .mutex = &impl_mutex,
    .wait = cv_wait, .signal = cv_signal, .broadcast = cv_broadcast};
#  endif
#endif

#if defined(BENCH_HAVE_FUSS_SEM_H)
#  include <fuss/sem.h>
#  define HAVE_FUSS_SEM 1
static int sm_init(void *o, int shared) { return fuss_sem_init(o, 0, shared ? FUSS_SHARED : 0); }
static void sm_destroy(void *o) { fuss_sem_destroy(o); }
static void sm_post(void *o) { fuss_sem_post(o); }
static void sm_wait(void *o)
{
    while (fuss_sem_wait(o) != 0) {
    }
}
BENCH_PAIR_LOOP(sm, fuss_sem_t, fuss_sem_post, fuss_sem_wait)
static const struct bench_impl impl_sem = {
    .name = FUSS_ROW, .kind = K_SEM, .flags = FUSS_SHARED_FLAG,
    .type_name = "fuss_sem_t", .size = sizeof(fuss_sem_t),
    .init = sm_init, .destroy = sm_destroy, .post = sm_post, .semwait = sm_wait, .loop = loop_sm};
#endif

#if defined(BENCH_HAVE_FUSS_RWLOCK_H)
#  include <fuss/rwlock.h>
#  define HAVE_FUSS_RWLOCK 1
static int rw_init(void *o, int shared) { return fuss_rwlock_init(o, shared ? FUSS_SHARED : 0); }
static void rw_destroy(void *o) { fuss_rwlock_destroy(o); }
static void rw_wrlock(void *o) { fuss_rwlock_wrlock(o); }
static void rw_wrunlock(void *o) { fuss_rwlock_wrunlock(o); }
static void rw_rdlock(void *o) { fuss_rwlock_rdlock(o); }
static void rw_rdunlock(void *o) { fuss_rwlock_rdunlock(o); }
BENCH_PAIR_LOOP(rw_rd, fuss_rwlock_t, fuss_rwlock_rdlock, fuss_rwlock_rdunlock)
BENCH_PAIR_LOOP(rw_wr, fuss_rwlock_t, fuss_rwlock_wrlock, fuss_rwlock_wrunlock)
static const struct bench_impl impl_rwlock = {
    .name = FUSS_ROW, .kind = K_RWLOCK, .flags = FUSS_SHARED_FLAG,
    .type_name = "fuss_rwlock_t", .size = sizeof(fuss_rwlock_t),
    .init = rw_init, .destroy = rw_destroy, .lock = rw_wrlock, .unlock = rw_wrunlock,
    .rdlock = rw_rdlock, .rdunlock = rw_rdunlock, .loop_rd = loop_rw_rd, .loop_wr = loop_rw_wr};
#endif

/* The owned mutex (issue 4's target: robust lock+unlock <= 2x the plain
 * mutex): error-checking (its all-zero default) and robust rows, on the
 * linux backend only (robust needs the kernel's robust list). */
#if __has_include(<fuss/omutex.h>) && !defined(BENCH_FUSS_EMULATED)
#  include <fuss/omutex.h>
#  define HAVE_FUSS_OMUTEX 1
static int om_init(void *o, int shared) { return fuss_omutex_init(o, shared ? FUSS_SHARED : 0); }
static int om_init_robust(void *o, int shared)
{
    return fuss_omutex_init(o, FUSS_OMUTEX_ROBUST | (shared ? FUSS_SHARED : 0));
}
static void om_destroy(void *o) { fuss_omutex_destroy(o); }
static void om_lock(void *o) { fuss_omutex_lock(o); }
static void om_unlock(void *o) { fuss_omutex_unlock(o); }
BENCH_PAIR_LOOP(om, fuss_omutex_t, fuss_omutex_lock, fuss_omutex_unlock)
static const struct bench_impl impl_omutex = {
    .name = "fuss-errorcheck", .kind = K_MUTEX, .flags = IMPL_SHARED_OK,
    .type_name = "fuss_omutex_t", .size = sizeof(fuss_omutex_t),
    .init = om_init, .destroy = om_destroy, .lock = om_lock, .unlock = om_unlock,
    .loop = loop_om};
static const struct bench_impl impl_omutex_robust = {
    .name = "fuss-robust", .kind = K_MUTEX, .flags = IMPL_SHARED_OK,
    .type_name = "fuss_omutex_t", .size = sizeof(fuss_omutex_t),
    .init = om_init_robust, .destroy = om_destroy, .lock = om_lock, .unlock = om_unlock,
    .loop = loop_om};
#endif

#if __has_include(<fuss/barrier.h>) && !defined(BENCH_FUSS_EMULATED)
#  include <fuss/barrier.h>
#  define HAVE_FUSS_BARRIER 1
#endif
#if __has_include(<fuss/once.h>) && !defined(BENCH_FUSS_EMULATED)
#  include <fuss/once.h>
#  define HAVE_FUSS_ONCE 1
#endif
#if __has_include(<fuss/event.h>) && !defined(BENCH_FUSS_EMULATED)
#  include <fuss/event.h>
#  define HAVE_FUSS_EVENT 1
#endif

__attribute__((constructor)) static void register_fuss(void)
{
#ifdef HAVE_FUSS_BARRIER
    bench_register_size(FUSS_ROW, "barrier", "fuss_barrier_t", sizeof(fuss_barrier_t));
#endif
#ifdef HAVE_FUSS_ONCE
    bench_register_size(FUSS_ROW, "once", "fuss_once_t", sizeof(fuss_once_t));
#endif
#ifdef HAVE_FUSS_EVENT
    bench_register_size(FUSS_ROW, "event", "fuss_event_t", sizeof(fuss_event_t));
    bench_register_size(FUSS_ROW, "latch", "fuss_latch_t", sizeof(fuss_latch_t));
#endif
    bench_register(&impl_futex);
#ifndef BENCH_FUSS_EMULATED
    bench_register(&impl_futex_shared);
#endif
#ifdef HAVE_FUSS_MUTEX
    bench_register(&impl_mutex);
#  ifndef BENCH_FUSS_EMULATED
    bench_register(&impl_mutex_shared);
#  endif
#endif
#ifdef HAVE_FUSS_COND
    bench_register(&impl_cond);
#endif
#ifdef HAVE_FUSS_OMUTEX
    bench_register(&impl_omutex);
    bench_register(&impl_omutex_robust);
#endif
#ifdef HAVE_FUSS_SEM
    bench_register(&impl_sem);
#endif
#ifdef HAVE_FUSS_RWLOCK
    bench_register(&impl_rwlock);
#endif
}
