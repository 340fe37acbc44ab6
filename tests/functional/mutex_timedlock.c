/* A timed lock on a held mutex returns ETIMEDOUT, never before its deadline,
 * on both clocks; it gets the lock if released before the deadline. */
#include "harness.h"

static fuss_mutex_t m;

static int holding; /* __atomic builtins (clang rejects them on _Atomic) */

static void *hold_then_release(void *arg)
{
    (void)arg;
    fuss_mutex_lock(&m);
    __atomic_store_n(&holding, 1, __ATOMIC_RELEASE);
    test_sleep_ms(30);
    fuss_mutex_unlock(&m);
    return NULL;
}

int main(void)
{
    test_watchdog(30, "mutex_timedlock");
    REQUIRE(fuss_mutex_lock(&m) == 0);
    clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_REALTIME };
    for (int i = 0; i < 2; i++) {
        struct timespec dl = test_deadline_in(clocks[i], 50), now;
        CHECK_EQ(fuss_mutex_timedlock(&m, clocks[i], &dl), ETIMEDOUT);
        clock_gettime(clocks[i], &now);
        CHECK(now.tv_sec > dl.tv_sec || (now.tv_sec == dl.tv_sec && now.tv_nsec >= dl.tv_nsec));
    }
    /* Held by another thread that releases it before the deadline: acquired. */
    CHECK_EQ(fuss_mutex_unlock(&m), 0);
    pthread_t t;
    pthread_create(&t, NULL, hold_then_release, NULL);
    while (!__atomic_load_n(&holding, __ATOMIC_ACQUIRE)) test_sleep_ms(1);
    struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 5000);
    CHECK_EQ(fuss_mutex_timedlock(&m, CLOCK_MONOTONIC, &dl), 0);
    pthread_join(t, NULL);
    CHECK_EQ(fuss_mutex_unlock(&m), 0);
    return test_done();
}
