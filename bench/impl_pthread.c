/*
 * The C library's pthread primitives: mutex (default, adaptive, process-
 * shared), condition variable, read-write lock, POSIX semaphore.  Built into
 * fuss-bench against glibc and into fuss-bench-musl against musl; the rows
 * are named after the library (BENCH_LIBC).
 */
#include "bench.h"

#include <pthread.h>
#include <errno.h>
#include <semaphore.h>

#ifndef BENCH_LIBC
#  define BENCH_LIBC "glibc"
#endif

static int mutex_init_attr(void *o, int shared, int type, int robust)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    if (type >= 0)
        pthread_mutexattr_settype(&a, type);
    if (robust)
        pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    if (shared)
        pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    int r = pthread_mutex_init(o, &a);
    pthread_mutexattr_destroy(&a);
    return r;
}
static int mutex_init_type(void *o, int shared, int type)
{
    return mutex_init_attr(o, shared, type, 0);
}
static int mutex_init(void *o, int shared) { return mutex_init_type(o, shared, -1); }
static int mutex_init_pshared(void *o, int shared)
{
    (void)shared;
    return mutex_init_type(o, 1, -1);
}
static void mutex_destroy(void *o) { pthread_mutex_destroy(o); }
static void mutex_lock(void *o) { pthread_mutex_lock(o); }
static void mutex_unlock(void *o) { pthread_mutex_unlock(o); }
BENCH_PAIR_LOOP(mutex, pthread_mutex_t, pthread_mutex_lock, pthread_mutex_unlock)

static const struct bench_impl impl_mutex = {
    .name = BENCH_LIBC, .kind = K_MUTEX, .flags = IMPL_SHARED_OK,
    .type_name = "pthread_mutex_t", .size = sizeof(pthread_mutex_t),
    .init = mutex_init, .destroy = mutex_destroy,
    .lock = mutex_lock, .unlock = mutex_unlock, .loop = loop_mutex};

static const struct bench_impl impl_mutex_pshared = {
    .name = BENCH_LIBC "-pshared", .kind = K_MUTEX, .flags = IMPL_SHARED_OK,
    .type_name = "pthread_mutex_t", .size = sizeof(pthread_mutex_t),
    .init = mutex_init_pshared, .destroy = mutex_destroy,
    .lock = mutex_lock, .unlock = mutex_unlock, .loop = loop_mutex};

/* Robust: the C library's counterpart of the fuss-robust row. */
static int mutex_init_robust(void *o, int shared) { return mutex_init_attr(o, shared, -1, 1); }
static const struct bench_impl impl_mutex_robust = {
    .name = BENCH_LIBC "-robust", .kind = K_MUTEX, .flags = IMPL_SHARED_OK,
    .type_name = "pthread_mutex_t", .size = sizeof(pthread_mutex_t),
    .init = mutex_init_robust, .destroy = mutex_destroy,
    .lock = mutex_lock, .unlock = mutex_unlock, .loop = loop_mutex};

#ifdef __GLIBC__ /* PTHREAD_MUTEX_ADAPTIVE_NP is an enumerator, not a macro */
static int mutex_init_adaptive(void *o, int shared)
{
    return mutex_init_type(o, shared, PTHREAD_MUTEX_ADAPTIVE_NP);
}
static const struct bench_impl impl_mutex_adaptive = {
    .name = BENCH_LIBC "-adaptive", .kind = K_MUTEX, .flags = IMPL_SHARED_OK,
    .type_name = "pthread_mutex_t", .size = sizeof(pthread_mutex_t),
    .init = mutex_init_adaptive, .destroy = mutex_destroy,
    .lock = mutex_lock, .unlock = mutex_unlock, .loop = loop_mutex};
#endif

static int cond_init(void *o, int shared)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    if (shared)
        pthread_condattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    int r = pthread_cond_init(o, &a);
    pthread_condattr_destroy(&a);
    return r;
}
static void cond_destroy(void *o) { pthread_cond_destroy(o); }
static void cond_wait(void *c, void *m) { pthread_cond_wait(c, m); }
static void cond_signal(void *c) { pthread_cond_signal(c); }
static void cond_broadcast(void *c) { pthread_cond_broadcast(c); }
static const struct bench_impl impl_cond = {
    .name = BENCH_LIBC, .kind = K_COND, .flags = IMPL_SHARED_OK,
    .type_name = "pthread_cond_t", .size = sizeof(pthread_cond_t),
    .init = cond_init, .destroy = cond_destroy, .mutex = &impl_mutex,
    .wait = cond_wait, .signal = cond_signal, .broadcast = cond_broadcast};

static int rw_init(void *o, int shared)
{
    pthread_rwlockattr_t a;
    pthread_rwlockattr_init(&a);
    if (shared)
        pthread_rwlockattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    int r = pthread_rwlock_init(o, &a);
    pthread_rwlockattr_destroy(&a);
    return r;
}
static void rw_destroy(void *o) { pthread_rwlock_destroy(o); }
static void rw_wrlock(void *o) { pthread_rwlock_wrlock(o); }
static void rw_rdlock(void *o) { pthread_rwlock_rdlock(o); }
static void rw_unlock(void *o) { pthread_rwlock_unlock(o); }
BENCH_PAIR_LOOP(rw_rd, pthread_rwlock_t, pthread_rwlock_rdlock, pthread_rwlock_unlock)
BENCH_PAIR_LOOP(rw_wr, pthread_rwlock_t, pthread_rwlock_wrlock, pthread_rwlock_unlock)
static const struct bench_impl impl_rwlock = {
    .name = BENCH_LIBC, .kind = K_RWLOCK, .flags = IMPL_SHARED_OK,
    .type_name = "pthread_rwlock_t", .size = sizeof(pthread_rwlock_t),
    .init = rw_init, .destroy = rw_destroy, .lock = rw_wrlock, .unlock = rw_unlock,
    .rdlock = rw_rdlock, .rdunlock = rw_unlock, .loop_rd = loop_rw_rd, .loop_wr = loop_rw_wr};

static int sem_init_a(void *o, int shared) { return sem_init(o, shared, 0) == 0 ? 0 : errno; }
static void sem_destroy_a(void *o) { sem_destroy(o); }
static void sem_post_a(void *o) { sem_post(o); }
static void sem_wait_a(void *o)
{
    while (sem_wait(o) != 0) {
    }
}
BENCH_PAIR_LOOP(sem, sem_t, sem_post, sem_wait)
static const struct bench_impl impl_sem = {
    .name = BENCH_LIBC, .kind = K_SEM, .flags = IMPL_SHARED_OK,
    .type_name = "sem_t", .size = sizeof(sem_t),
    .init = sem_init_a, .destroy = sem_destroy_a, .post = sem_post_a, .semwait = sem_wait_a,
    .loop = loop_sem};

__attribute__((constructor)) static void register_pthread(void)
{
    bench_register_size(BENCH_LIBC, "barrier", "pthread_barrier_t", sizeof(pthread_barrier_t));
    bench_register_size(BENCH_LIBC, "once", "pthread_once_t", sizeof(pthread_once_t));
    bench_register(&impl_mutex);
#ifdef __GLIBC__ /* PTHREAD_MUTEX_ADAPTIVE_NP is an enumerator, not a macro */
    bench_register(&impl_mutex_adaptive);
#endif
    bench_register(&impl_mutex_pshared);
    bench_register(&impl_mutex_robust);
    bench_register(&impl_cond);
    bench_register(&impl_rwlock);
    bench_register(&impl_sem);
}
