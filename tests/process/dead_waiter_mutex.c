/* A process SIGKILLed while it sleeps in fuss_mutex_lock on a shared mutex
 * does not wedge it: the kernel drops the dead sleeper from the futex
 * queue, so the holder's unlock wakes a live one, and the bits the dead one
 * left (PARKED, maybe STARVING) cost at most a spare wake-up, hand-offs
 * instead of releases, or one wait of at most SLICE_NS (mutex.c, STALE
 * STARVING).  A dead HOLDER is another matter: a plain mutex
 * stays locked (use a robust mutex).
 * FUSS_TEST_LINUX_ONLY */
#include "process.h"

struct shared {
    fuss_mutex_t m;
    int got;
};
static struct shared *S;

static int locker(void *arg)
{
    (void)arg;
    struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 20000);
    if (fuss_mutex_timedlock(&S->m, CLOCK_MONOTONIC, &dl) != 0) return 10;
    __atomic_fetch_add(&S->got, 1, __ATOMIC_RELAXED);
    return fuss_mutex_unlock(&S->m) ? 11 : 0;
}

int main(void)
{
    test_watchdog(120, "dead_waiter_mutex: a dead waiter wedged the mutex");
    S = test_shared_map(sizeof *S);
    REQUIRE(fuss_mutex_init(&S->m, FUSS_SHARED) == 0);
    for (int round = 0; round < 5; round++) {
        S->got = 0;
        REQUIRE(fuss_mutex_lock(&S->m) == 0);
        pid_t victim = test_fork(locker, NULL);
        test_await_futex_sleep(victim);
        pid_t survivor = test_fork(locker, NULL);
        test_await_futex_sleep(survivor);
        test_kill(victim);
        CHECK_EQ(fuss_mutex_unlock(&S->m), 0);
        CHECK(test_wait_ok(survivor)); /* woken, not timed out */
        CHECK_EQ(S->got, 1);
        CHECK_EQ(fuss_mutex_trylock(&S->m), 0);
        CHECK_EQ(fuss_mutex_unlock(&S->m), 0);
    }
    return test_done();
}
