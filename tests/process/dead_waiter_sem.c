/* A process SIGKILLed while it sleeps in fuss_sem_wait does not swallow a
 * post: the next post wakes a live waiter.
 * FUSS_TEST_LINUX_ONLY */
#include "fuss/sem.h"
#include "process.h"

static fuss_sem_t *S;

static int waiter(void *arg)
{
    (void)arg;
    struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 20000);
    return fuss_sem_timedwait(S, CLOCK_MONOTONIC, &dl) ? 10 : 0;
}

int main(void)
{
    test_watchdog(120, "dead_waiter_sem");
    S = test_shared_map(sizeof *S);
    REQUIRE(fuss_sem_init(S, 0, FUSS_SHARED) == 0);
    pid_t w[3];
    for (int i = 0; i < 3; i++) {
        w[i] = test_fork(waiter, NULL);
        test_await_futex_sleep(w[i]);
    }
    test_kill(w[0]);
    CHECK_EQ(fuss_sem_post(S), 0);
    CHECK_EQ(fuss_sem_post(S), 0);
    CHECK(test_wait_ok(w[1]));
    CHECK(test_wait_ok(w[2]));
    unsigned v = 99;
    CHECK_EQ(fuss_sem_getvalue(S, &v), 0);
    CHECK_EQ(v, 0);
    CHECK_EQ(fuss_sem_post(S), 0);
    CHECK_EQ(fuss_sem_trywait(S), 0);
    return test_done();
}
