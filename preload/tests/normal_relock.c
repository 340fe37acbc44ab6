/* A normal-type (not error-checking, not recursive) robust or priority-
 * inheritance mutex relocked by its owner behaves as glibc's does: lock
 * deadlocks, timedlock/clocklock wait for the deadline and say ETIMEDOUT,
 * trylock says EBUSY (glibc's tst-mutexpi5, tst-mutexpi6: the drop-in
 * answered EDEADLK at once).  An error-checking one still says EDEADLK. */
#include <unistd.h>
#include "check.h"

static int returned, result;

static void *relock_forever(void *arg)
{
    pthread_mutex_t *m = arg;
    EQ(pthread_mutex_lock(m), 0);
    __atomic_store_n(&returned, 1, __ATOMIC_RELEASE);
    result = pthread_mutex_lock(m); /* must never return */
    __atomic_store_n(&returned, 2, __ATOMIC_RELEASE);
    return NULL;
}

static int before(struct timespec a, struct timespec b)
{
    return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

static void init(pthread_mutex_t *m, int type, int robust, int pi)
{
    pthread_mutexattr_t a;
    EQ(pthread_mutexattr_init(&a), 0);
    EQ(pthread_mutexattr_settype(&a, type), 0);
    if (robust) EQ(pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST), 0);
    if (pi) EQ(pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT), 0);
    EQ(pthread_mutex_init(m, &a), 0);
    EQ(pthread_mutexattr_destroy(&a), 0);
}

static void timed_relock(pthread_mutex_t *m)
{
    struct timespec at = after_ms(CLOCK_REALTIME, 100), now;
    EQ(pthread_mutex_timedlock(m, &at), ETIMEDOUT);
    clock_gettime(CLOCK_REALTIME, &now);
    CHECK(!before(now, at));
    at = after_ms(CLOCK_MONOTONIC, 100);
    EQ(pthread_mutex_clocklock(m, CLOCK_MONOTONIC, &at), ETIMEDOUT);
    clock_gettime(CLOCK_MONOTONIC, &now);
    CHECK(!before(now, at));
}

int main(void)
{
    static const struct { int robust, pi; } kinds[] = { { 1, 0 }, { 0, 1 }, { 1, 1 } };
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        pthread_mutex_t m;
        init(&m, PTHREAD_MUTEX_NORMAL, kinds[i].robust, kinds[i].pi);
        EQ(pthread_mutex_lock(&m), 0);
        EQ(pthread_mutex_trylock(&m), EBUSY);
        timed_relock(&m);
        EQ(pthread_mutex_unlock(&m), 0);
        EQ(pthread_mutex_trylock(&m), 0);
        EQ(pthread_mutex_unlock(&m), 0);
        EQ(pthread_mutex_destroy(&m), 0);

        init(&m, PTHREAD_MUTEX_ERRORCHECK, kinds[i].robust, kinds[i].pi);
        EQ(pthread_mutex_lock(&m), 0);
        EQ(pthread_mutex_lock(&m), EDEADLK);
        struct timespec at = after_ms(CLOCK_REALTIME, 100);
        EQ(pthread_mutex_timedlock(&m, &at), EDEADLK);
        EQ(pthread_mutex_unlock(&m), 0);
        EQ(pthread_mutex_destroy(&m), 0);
    }
    /* The untimed relock never returns: the thread stays blocked until the
     * process exits. */
    static pthread_mutex_t pi;
    init(&pi, PTHREAD_MUTEX_NORMAL, 0, 1);
    pthread_t t;
    EQ(pthread_create(&t, NULL, relock_forever, &pi), 0);
    while (__atomic_load_n(&returned, __ATOMIC_ACQUIRE) == 0) usleep(1000);
    usleep(200 * 1000);
    if (__atomic_load_n(&returned, __ATOMIC_ACQUIRE) != 1) {
        fprintf(stderr, "relock of a normal PI mutex returned %d\n", result);
        return 1;
    }
    puts("normal_relock: ok");
    return 0;
}
