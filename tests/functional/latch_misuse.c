/* latch misuse: done below zero is EINVAL and changes nothing; waiters still released after. */
#include "waiters.h"
#include "fuss/event.h"

static fuss_latch_t l;
static _Atomic int passed;

static void *waiter(void *p) { (void)p; REQUIRE(fuss_latch_wait(&l) == 0); passed++; return NULL; }

int main(void)
{
    test_watchdog(30, "latch_misuse");
    CHECK_EQ(fuss_latch_done(&l), EINVAL);
    CHECK_EQ(fuss_latch_add(&l, 1), 0);
    pthread_t t[2];
    for (int i = 0; i < 2; i++) REQUIRE(pthread_create(&t[i], NULL, waiter, NULL) == 0);
    await_waiters(&l.gen_, 2);
    CHECK_EQ(passed, 0);
    CHECK_EQ(fuss_latch_done(&l), 0);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    CHECK_EQ(passed, 2);
    CHECK_EQ(fuss_latch_done(&l), EINVAL);
    CHECK_EQ(fuss_latch_add(&l, 1), 0);       /* the count is 1, not 0 - 1 + 1 */
    struct timespec past = { 0, 0 };
    CHECK_EQ(fuss_latch_timedwait(&l, CLOCK_MONOTONIC, &past), ETIMEDOUT);
    return test_done();
}
