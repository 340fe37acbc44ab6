/* Timed waits return ETIMEDOUT never before their deadline, on CLOCK_MONOTONIC and CLOCK_REALTIME, at once for a past deadline, and after the relative timeout of wait_for. */
#include "waiters.h"

#define WAIT_MS 30

static uint32_t word;

/* now >= t on clock */
static int reached(clockid_t clock, struct timespec t)
{
    struct timespec now;
    clock_gettime(clock, &now);
    return now.tv_sec > t.tv_sec || (now.tv_sec == t.tv_sec && now.tv_nsec >= t.tv_nsec);
}

static void check_deadline(clockid_t clock)
{
    struct timespec dl = test_deadline_in(clock, WAIT_MS);
    CHECK_EQ(fuss_futex_wait_until(&word, 0, clock, &dl, FUSS_PRIVATE), ETIMEDOUT);
    CHECK(reached(clock, dl));

    dl = test_deadline_in(clock, WAIT_MS);
    CHECK_EQ(fuss_futex_wait_bitset(&word, 0, 0x10, clock, &dl, FUSS_PRIVATE), ETIMEDOUT);
    CHECK(reached(clock, dl));

    fuss_futex_waiter_t v[1] = { { &word, 0, FUSS_PRIVATE } };
    dl = test_deadline_in(clock, WAIT_MS);
    unsigned idx = 99;
    CHECK_EQ(fuss_futex_waitv(v, 1, clock, &dl, &idx), ETIMEDOUT);
    CHECK(reached(clock, dl));

    /* A deadline already past behaves as a try. */
    struct timespec past = test_deadline_in(clock, 0);
    past.tv_sec -= 1;
    CHECK_EQ(fuss_futex_wait_until(&word, 0, clock, &past, FUSS_PRIVATE), ETIMEDOUT);
    struct timespec epoch = { 0, 0 };
    CHECK_EQ(fuss_futex_wait_until(&word, 0, clock, &epoch, FUSS_PRIVATE), ETIMEDOUT);
    CHECK_EQ(fuss_futex_wait_bitset(&word, 0, 1, clock, &epoch, FUSS_PRIVATE), ETIMEDOUT);
    CHECK_EQ(fuss_futex_waitv(v, 1, clock, &epoch, NULL), ETIMEDOUT);
    /* The value is still checked first. */
    CHECK_EQ(fuss_futex_wait_until(&word, 1, clock, &epoch, FUSS_PRIVATE), EAGAIN);
}

static int huge_result = -1;

static void *huge_wait(void *arg)
{
    (void)arg;
    struct timespec huge = { (time_t)1 << 62, 999999999L };
    huge_result = fuss_futex_wait_for(&word, 0, &huge, FUSS_PRIVATE);
    return NULL;
}

int main(void)
{
    test_watchdog(30, "futex_timeout");
    check_deadline(CLOCK_MONOTONIC);
    check_deadline(CLOCK_REALTIME);

    /* Relative: at least the timeout elapses on CLOCK_MONOTONIC. */
    struct timespec start, rel = { 0, WAIT_MS * 1000000L };
    clock_gettime(CLOCK_MONOTONIC, &start);
    CHECK_EQ(fuss_futex_wait_for(&word, 0, &rel, FUSS_PRIVATE), ETIMEDOUT);
    struct timespec end = start;
    end.tv_nsec += rel.tv_nsec;
    if (end.tv_nsec >= 1000000000L) { end.tv_nsec -= 1000000000L; end.tv_sec++; }
    CHECK(reached(CLOCK_MONOTONIC, end));

    struct timespec zero = { 0, 0 };
    CHECK_EQ(fuss_futex_wait_for(&word, 0, &zero, FUSS_PRIVATE), ETIMEDOUT);
    CHECK_EQ(fuss_futex_wait_for(&word, 3, &zero, FUSS_PRIVATE), EAGAIN);

    /* A huge relative timeout is "forever", not "already past": a wake ends it. */
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, huge_wait, NULL) == 0);
    await_waiters(&word, 1);
    __atomic_store_n(&word, 1, __ATOMIC_RELEASE);
    CHECK_EQ(fuss_futex_wake(&word, 1, FUSS_PRIVATE, NULL), 0);
    pthread_join(t, NULL);
    CHECK_EQ(huge_result, 0);
    return test_done();
}
