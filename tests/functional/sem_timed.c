/* sem_timedwait: ETIMEDOUT at the deadline on both clocks, EINVAL for malformed deadlines. */
#include "harness.h"
#include "fuss/sem.h"

int main(void)
{
    test_watchdog(30, "sem_timed");
    fuss_sem_t s = FUSS_SEM_INIT(1);
    struct timespec bad[3] = { { 0, 1000000000L }, { -1, 0 }, { 0, -1 } };
    for (int i = 0; i < 3; i++)  /* checked even though a unit is available */
        CHECK_EQ(fuss_sem_timedwait(&s, CLOCK_MONOTONIC, &bad[i]), EINVAL);
    struct timespec ok = test_deadline_in(CLOCK_MONOTONIC, 10);
    CHECK_EQ(fuss_sem_timedwait(&s, CLOCK_THREAD_CPUTIME_ID, &ok), EINVAL);
    unsigned v;
    fuss_sem_getvalue(&s, &v);
    CHECK_EQ(v, 1);
    CHECK_EQ(fuss_sem_wait(&s), 0);

    clockid_t clocks[2] = { CLOCK_MONOTONIC, CLOCK_REALTIME };
    for (int c = 0; c < 2; c++) {
        struct timespec dl = test_deadline_in(clocks[c], 50), now;
        CHECK_EQ(fuss_sem_timedwait(&s, clocks[c], &dl), ETIMEDOUT);
        clock_gettime(clocks[c], &now);
        CHECK(now.tv_sec > dl.tv_sec || (now.tv_sec == dl.tv_sec && now.tv_nsec >= dl.tv_nsec));
        CHECK_EQ(fuss_sem_destroy(&s), 0);   /* the waiter unregistered */
    }
    CHECK_EQ(fuss_sem_post(&s), 0);
    struct timespec dl = test_deadline_in(CLOCK_REALTIME, 50);
    CHECK_EQ(fuss_sem_timedwait(&s, CLOCK_REALTIME, &dl), 0);
    return test_done();
}
