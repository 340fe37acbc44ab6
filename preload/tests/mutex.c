/* Normal, recursive, error-checking mutexes, static initializers included. */
#include "check.h"

#define THREADS 4
#define ITERS 100000
static pthread_mutex_t plain = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t rec = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static pthread_mutex_t chk = PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP;
static pthread_mutex_t adapt = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP;
static long counter;

static void *count(void *arg)
{
    pthread_mutex_t *m = arg;
    for (int i = 0; i < ITERS; i++) {
        EQ(pthread_mutex_lock(m), 0);
        if (m == &rec) EQ(pthread_mutex_lock(m), 0);
        counter++;
        if (m == &rec) EQ(pthread_mutex_unlock(m), 0);
        EQ(pthread_mutex_unlock(m), 0);
    }
    return NULL;
}

static void run_counter(pthread_mutex_t *m)
{
    pthread_t t[THREADS];
    counter = 0;
    spawn(t, THREADS, count, m);
    join(t, THREADS);
    EQ(counter, (long)THREADS * ITERS);
}

static void *try_other(void *arg)
{
    EQ(pthread_mutex_trylock(arg), EBUSY);
    EQ(pthread_mutex_unlock(arg), EPERM); /* not the owner (owned kinds) */
    struct timespec at = after_ms(CLOCK_REALTIME, 20);
    EQ(pthread_mutex_timedlock(arg, &at), ETIMEDOUT);
    at = after_ms(CLOCK_MONOTONIC, 20);
    EQ(pthread_mutex_clocklock(arg, CLOCK_MONOTONIC, &at), ETIMEDOUT);
    return NULL;
}

int main(void)
{
    pthread_mutex_t dyn;
    pthread_mutexattr_t a;
    run_counter(&plain);
    run_counter(&adapt);
    run_counter(&rec);
    run_counter(&chk);

    /* static recursive: depth, then others see it busy */
    EQ(pthread_mutex_lock(&rec), 0);
    EQ(pthread_mutex_trylock(&rec), 0);
    EQ(pthread_mutex_lock(&rec), 0);
    pthread_t t;
    EQ(pthread_create(&t, NULL, try_other, &rec), 0);
    EQ(pthread_join(t, NULL), 0);
    for (int i = 0; i < 3; i++) EQ(pthread_mutex_unlock(&rec), 0);
    EQ(pthread_mutex_unlock(&rec), EPERM);

    /* static error-checking */
    EQ(pthread_mutex_lock(&chk), 0);
    EQ(pthread_mutex_lock(&chk), EDEADLK);
    EQ(pthread_mutex_trylock(&chk), EBUSY);
    EQ(pthread_create(&t, NULL, try_other, &chk), 0);
    EQ(pthread_join(t, NULL), 0);
    EQ(pthread_mutex_unlock(&chk), 0);
    EQ(pthread_mutex_unlock(&chk), EPERM);

    /* dynamic, from attributes */
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
    EQ(pthread_mutex_init(&dyn, &a), 0);
    EQ(pthread_mutex_lock(&dyn), 0);
    EQ(pthread_mutex_lock(&dyn), EDEADLK);
    EQ(pthread_mutex_destroy(&dyn), EBUSY);
    EQ(pthread_mutex_unlock(&dyn), 0);
    EQ(pthread_mutex_destroy(&dyn), 0);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    EQ(pthread_mutex_init(&dyn, &a), 0);
    run_counter(&dyn);
    EQ(pthread_mutex_destroy(&dyn), 0);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_NORMAL);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    EQ(pthread_mutex_init(&dyn, &a), 0);
    run_counter(&dyn);
    EQ(pthread_mutex_trylock(&dyn), 0);
    EQ(pthread_mutex_trylock(&dyn), EBUSY);
    struct timespec bad = { 0, 2000000000L };
    EQ(pthread_mutex_timedlock(&dyn, &bad), EINVAL);
    EQ(pthread_mutex_unlock(&dyn), 0);
    EQ(pthread_mutex_timedlock(&dyn, &bad), 0); /* free: not checked, as glibc */
    EQ(pthread_mutex_unlock(&dyn), 0);
    EQ(pthread_mutex_destroy(&dyn), 0);
    /* priority ceiling: no ceiling on a non-PP mutex */
    int ceil;
    EQ(pthread_mutex_getprioceiling(&plain, &ceil), EINVAL);
    pthread_mutexattr_destroy(&a);
    puts("mutex: ok");
    return 0;
}
