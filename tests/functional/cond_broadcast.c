/* Broadcast wakes every waiter, and each re-acquires the mutex in turn; a
 * timed wait returns ETIMEDOUT with the mutex held; wait without holding the
 * mutex is EPERM; signal with nobody waiting returns 0. */
#include "harness.h"

#define WAITERS 8

static fuss_mutex_t m;
static fuss_cond_t c;
static int go, awake, inside;

static void *waiter(void *arg)
{
    (void)arg;
    fuss_mutex_lock(&m);
    while (!go) REQUIRE(fuss_cond_wait(&c, &m) == 0);
    CHECK_EQ(inside++, 0);
    awake++;
    inside--;
    fuss_mutex_unlock(&m);
    return NULL;
}

int main(void)
{
    test_watchdog(30, "cond_broadcast: a waiter was never woken");
    CHECK_EQ(sizeof(fuss_cond_t), 8);
    CHECK_EQ(fuss_cond_signal(&c), 0);
    CHECK_EQ(fuss_cond_broadcast(&c), 0);
    CHECK_EQ(fuss_cond_wait(&c, &m), EPERM);

    pthread_t t[WAITERS];
    for (int i = 0; i < WAITERS; i++) pthread_create(&t[i], NULL, waiter, NULL);
    test_sleep_ms(50);
    fuss_mutex_lock(&m);
    go = 1;
    CHECK_EQ(fuss_cond_broadcast(&c), 0);
    fuss_mutex_unlock(&m);
    for (int i = 0; i < WAITERS; i++) pthread_join(t[i], NULL);
    CHECK_EQ(awake, WAITERS);

    clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_REALTIME };
    for (int i = 0; i < 2; i++) {
        fuss_mutex_lock(&m);
        struct timespec dl = test_deadline_in(clocks[i], 30), now;
        CHECK_EQ(fuss_cond_timedwait(&c, &m, clocks[i], &dl), ETIMEDOUT);
        clock_gettime(clocks[i], &now);
        CHECK(now.tv_sec > dl.tv_sec || (now.tv_sec == dl.tv_sec && now.tv_nsec >= dl.tv_nsec));
        CHECK_EQ(fuss_mutex_trylock(&m), EBUSY); /* re-acquired */
        struct timespec bad = { 1, -1 };
        CHECK_EQ(fuss_cond_timedwait(&c, &m, clocks[i], &bad), EINVAL);
        fuss_mutex_unlock(&m);
    }
    CHECK_EQ(fuss_cond_destroy(&c), 0);
    return test_done();
}
