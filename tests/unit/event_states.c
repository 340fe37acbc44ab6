/* event and latch: sizes, zero-init, set/reset/consume transitions, latch errors. */
#include "harness.h"
#include "fuss/event.h"

static void events(void)
{
    struct timespec past = { 0, 0 };
    fuss_event_t e;
    memset(&e, 0, sizeof e);
    CHECK_EQ(fuss_event_is_set(&e), 0);
    CHECK_EQ(fuss_event_timedwait(&e, CLOCK_MONOTONIC, &past), ETIMEDOUT);
    CHECK_EQ(fuss_event_set(&e), 0);
    CHECK_EQ(fuss_event_set(&e), 0);
    CHECK_EQ(fuss_event_is_set(&e), 1);
    CHECK_EQ(fuss_event_wait(&e), 0);
    CHECK_EQ(fuss_event_wait(&e), 0);             /* manual: stays set */
    CHECK_EQ(fuss_event_reset(&e), 0);
    CHECK_EQ(fuss_event_is_set(&e), 0);
    CHECK_EQ(fuss_event_timedwait(&e, CLOCK_REALTIME, &past), ETIMEDOUT);
    CHECK_EQ(fuss_event_destroy(&e), 0);

    CHECK_EQ(fuss_event_init(&e, 0x40), EINVAL);
    CHECK_EQ(fuss_event_init(&e, FUSS_EVENT_SET), 0);
    CHECK_EQ(fuss_event_is_set(&e), 1);
    CHECK_EQ(fuss_event_init(&e, FUSS_EVENT_AUTO_RESET | FUSS_EVENT_SET), 0);
    CHECK_EQ(fuss_event_wait(&e), 0);             /* auto: consumed */
    CHECK_EQ(fuss_event_is_set(&e), 0);
    CHECK_EQ(fuss_event_timedwait(&e, CLOCK_MONOTONIC, &past), ETIMEDOUT);
    CHECK_EQ(fuss_event_set(&e), 0);
    CHECK_EQ(fuss_event_set(&e), 0);              /* coalesces */
    CHECK_EQ(fuss_event_timedwait(&e, CLOCK_MONOTONIC, &past), 0);
    CHECK_EQ(fuss_event_timedwait(&e, CLOCK_MONOTONIC, &past), ETIMEDOUT);
    CHECK_EQ(fuss_event_set(&e), 0);
    CHECK_EQ(fuss_event_reset(&e), 0);
    CHECK_EQ(fuss_event_timedwait(&e, CLOCK_MONOTONIC, &past), ETIMEDOUT);

    int r = fuss_event_init(&e, FUSS_SHARED);
    CHECK_EQ(r, test_is_emulated() ? ENOTSUP : 0);
    if (r == 0) { fuss_event_set(&e); CHECK_EQ(fuss_event_wait(&e), 0); }
}

static void latches(void)
{
    struct timespec past = { 0, 0 };
    fuss_latch_t l;
    memset(&l, 0, sizeof l);
    CHECK_EQ(fuss_latch_wait(&l), 0);
    CHECK_EQ(fuss_latch_done(&l), EINVAL);
    CHECK_EQ(fuss_latch_wait(&l), 0);             /* the failed done changed nothing */
    CHECK_EQ(fuss_latch_add(&l, 2), 0);
    CHECK_EQ(fuss_latch_timedwait(&l, CLOCK_MONOTONIC, &past), ETIMEDOUT);
    CHECK_EQ(fuss_latch_done(&l), 0);
    CHECK_EQ(fuss_latch_timedwait(&l, CLOCK_REALTIME, &past), ETIMEDOUT);
    CHECK_EQ(fuss_latch_done(&l), 0);
    CHECK_EQ(fuss_latch_timedwait(&l, CLOCK_MONOTONIC, &past), 0);
    CHECK_EQ(fuss_latch_done(&l), EINVAL);

    CHECK_EQ(fuss_latch_init(&l, FUSS_LATCH_COUNT_MAX + 1u, FUSS_PRIVATE), EINVAL);
    CHECK_EQ(fuss_latch_init(&l, 1, 0x10), EINVAL);
    CHECK_EQ(fuss_latch_init(&l, FUSS_LATCH_COUNT_MAX - 1, FUSS_PRIVATE), 0);
    CHECK_EQ(fuss_latch_add(&l, 2), EOVERFLOW);
    CHECK_EQ(fuss_latch_add(&l, 1), 0);
    CHECK_EQ(fuss_latch_add(&l, 1), EOVERFLOW);
    CHECK_EQ(fuss_latch_init(&l, 1, FUSS_PRIVATE), 0);
    CHECK_EQ(fuss_latch_done(&l), 0);
    CHECK_EQ(fuss_latch_wait(&l), 0);
    CHECK_EQ(fuss_latch_destroy(&l), 0);

    int r = fuss_latch_init(&l, 1, FUSS_SHARED);
    CHECK_EQ(r, test_is_emulated() ? ENOTSUP : 0);
    if (r == 0) { CHECK_EQ(fuss_latch_done(&l), 0); CHECK_EQ(fuss_latch_wait(&l), 0); }
}

int main(void)
{
    test_watchdog(30, "event_states");
    CHECK_EQ(sizeof(fuss_event_t), 4);
    CHECK(sizeof(fuss_latch_t) <= 8);
    events();
    latches();
    return test_done();
}
