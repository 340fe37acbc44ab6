/* Issue 2: a waitv on two or more words, woken by a wake, must return (the emulated queue consumed its parker token twice and hung). */
#include "waiters.h"

static uint32_t words[2];
static int result = -1;
static unsigned index_ = 99;

static void *waitv_main(void *arg)
{
    (void)arg;
    fuss_futex_waiter_t v[2] = { { &words[0], 0, FUSS_PRIVATE }, { &words[1], 0, FUSS_PRIVATE } };
    result = fuss_futex_waitv(v, 2, CLOCK_MONOTONIC, NULL, &index_);
    return NULL;
}

int main(void)
{
    test_watchdog(20, "issue_2_waitv_double_consume: waitv woken by a wake never returned");
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, waitv_main, NULL) == 0);
    await_waiters(&words[1], 1);
    unsigned woken = 0;
    CHECK_EQ(fuss_futex_wake(&words[1], 1, FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 1);
    struct timespec limit = test_deadline_in(CLOCK_REALTIME, 5000);
    int joined = pthread_timedjoin_np(t, NULL, &limit);
    CHECK_EQ(joined, 0);
    if (joined != 0) {
        fprintf(stderr, "waitv did not return within 5 s of its wake-up\n");
        return test_done();
    }
    CHECK_EQ(result, 0);
    CHECK_EQ(index_, 1);
    return test_done();
}
