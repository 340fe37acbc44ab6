/* event and latch timed waits: ETIMEDOUT at the deadline on both clocks, EINVAL for malformed deadlines. */
#include "harness.h"
#include "fuss/event.h"

static int reached(clockid_t c, struct timespec dl)
{
    struct timespec now;
    clock_gettime(c, &now);
    return now.tv_sec > dl.tv_sec || (now.tv_sec == dl.tv_sec && now.tv_nsec >= dl.tv_nsec);
}

int main(void)
{
    test_watchdog(30, "event_timed");
    fuss_event_t set_ev, ev, auto_ev;
    REQUIRE(fuss_event_init(&set_ev, FUSS_EVENT_SET) == 0);
    REQUIRE(fuss_event_init(&ev, 0) == 0);
    REQUIRE(fuss_event_init(&auto_ev, FUSS_EVENT_AUTO_RESET) == 0);
    fuss_latch_t zero = FUSS_LATCH_INIT, one;
    REQUIRE(fuss_latch_init(&one, 1, FUSS_PRIVATE) == 0);

    struct timespec bad[3] = { { 0, 1000000000L }, { -1, 0 }, { 0, -1 } };
    for (int i = 0; i < 3; i++) {  /* checked even when the wait would not block */
        CHECK_EQ(fuss_event_timedwait(&set_ev, CLOCK_MONOTONIC, &bad[i]), EINVAL);
        CHECK_EQ(fuss_latch_timedwait(&zero, CLOCK_REALTIME, &bad[i]), EINVAL);
    }
    struct timespec ok = test_deadline_in(CLOCK_MONOTONIC, 10);
    CHECK_EQ(fuss_event_timedwait(&set_ev, CLOCK_PROCESS_CPUTIME_ID, &ok), EINVAL);
    CHECK_EQ(fuss_latch_timedwait(&zero, CLOCK_PROCESS_CPUTIME_ID, &ok), EINVAL);

    clockid_t clocks[2] = { CLOCK_MONOTONIC, CLOCK_REALTIME };
    for (int c = 0; c < 2; c++) {
        struct timespec dl = test_deadline_in(clocks[c], 40);
        CHECK_EQ(fuss_event_timedwait(&ev, clocks[c], &dl), ETIMEDOUT);
        CHECK(reached(clocks[c], dl));
        dl = test_deadline_in(clocks[c], 40);
        CHECK_EQ(fuss_event_timedwait(&auto_ev, clocks[c], &dl), ETIMEDOUT);
        CHECK(reached(clocks[c], dl));
        dl = test_deadline_in(clocks[c], 40);
        CHECK_EQ(fuss_latch_timedwait(&one, clocks[c], &dl), ETIMEDOUT);
        CHECK(reached(clocks[c], dl));
    }
    /* A waiter that timed out leaves nothing behind that swallows a set. */
    fuss_event_set(&auto_ev);
    CHECK_EQ(fuss_event_timedwait(&auto_ev, CLOCK_MONOTONIC, &ok), 0);
    CHECK_EQ(fuss_latch_done(&one), 0);
    CHECK_EQ(fuss_latch_timedwait(&one, CLOCK_MONOTONIC, &ok), 0);
    return test_done();
}
