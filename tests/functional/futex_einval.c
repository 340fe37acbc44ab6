/* Every public futex call answers EINVAL for NULL or misaligned words, bad flags, malformed timespecs, bad clocks, bitset 0, waitv counts 0 or > 128 and unknown wake-op codes. */
#include "waiters.h"

static uint32_t words[4] __attribute__((aligned(16)));

/* Timespecs no call accepts. */
static const struct timespec bad_ts[] = {
    { -1, 0 }, { -1, 999999999L }, { 0, -1 }, { 0, 1000000000L }, { 1, 2000000000L },
    { 0, -1000000000L },
};
#define N_BAD_TS (sizeof bad_ts / sizeof bad_ts[0])

static const clockid_t bad_clocks[] = {
    CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, CLOCK_MONOTONIC_RAW, CLOCK_BOOTTIME,
    (clockid_t)-1, (clockid_t)99,
};
#define N_BAD_CLOCKS (sizeof bad_clocks / sizeof bad_clocks[0])

static const unsigned bad_flags[] = { 2u, 3u, 0x80u, 0x100u, 0x80000000u };
#define N_BAD_FLAGS (sizeof bad_flags / sizeof bad_flags[0])

/* Every call with one bad word; w is the word under test, g a good word.
 * Each call would otherwise sleep, succeed or lock, never return EINVAL. */
static void check_word(uint32_t *w, uint32_t *g)
{
    struct timespec soon = test_deadline_in(CLOCK_MONOTONIC, 10);
    struct timespec rel = { 0, 10000000L };
    unsigned woken = 77, requeued = 77, idx = 77;
    CHECK_EQ(fuss_futex_wait(w, 0, FUSS_PRIVATE), EINVAL);
    CHECK_EQ(fuss_futex_wait_until(w, 0, CLOCK_MONOTONIC, &soon, FUSS_PRIVATE), EINVAL);
    CHECK_EQ(fuss_futex_wait_for(w, 0, &rel, FUSS_PRIVATE), EINVAL);
    CHECK_EQ(fuss_futex_wait_bitset(w, 0, 1, CLOCK_MONOTONIC, &soon, FUSS_PRIVATE), EINVAL);
    CHECK_EQ(fuss_futex_wake(w, 1, FUSS_PRIVATE, &woken), EINVAL);
    CHECK_EQ(fuss_futex_wake(w, 0, FUSS_PRIVATE, &woken), EINVAL);
    CHECK_EQ(fuss_futex_wake_bitset(w, 1, 1, FUSS_PRIVATE, &woken), EINVAL);
    CHECK_EQ(fuss_futex_requeue(w, 1, 1, g, FUSS_PRIVATE, &woken, &requeued), EINVAL);
    CHECK_EQ(fuss_futex_requeue(g, 1, 1, w, FUSS_PRIVATE, &woken, &requeued), EINVAL);
    CHECK_EQ(fuss_futex_cmp_requeue(w, 0, 1, 1, g, FUSS_PRIVATE, &woken, &requeued), EINVAL);
    CHECK_EQ(fuss_futex_cmp_requeue(g, 0, 1, 1, w, FUSS_PRIVATE, &woken, &requeued), EINVAL);
    uint32_t op = FUSS_FUTEX_OP(FUSS_FUTEX_OP_SET, 1, FUSS_FUTEX_OP_CMP_EQ, 0);
    CHECK_EQ(fuss_futex_wake_op(w, 1, g, 1, op, FUSS_PRIVATE, &woken), EINVAL);
    CHECK_EQ(fuss_futex_wake_op(g, 1, w, 1, op, FUSS_PRIVATE, &woken), EINVAL);
    CHECK_EQ(*g, 0); /* the rejected wake-op did not touch the good word */
    fuss_futex_waiter_t v[3] = { { g, 0, FUSS_PRIVATE }, { w, 0, FUSS_PRIVATE },
                                 { g, 0, FUSS_PRIVATE } };
    CHECK_EQ(fuss_futex_waitv(v, 3, CLOCK_MONOTONIC, &soon, &idx), EINVAL);
    v[1].word = g; v[0].word = w;
    CHECK_EQ(fuss_futex_waitv(v, 1, CLOCK_MONOTONIC, &soon, &idx), EINVAL);
    CHECK_EQ(fuss_futex_lock_pi(w, CLOCK_MONOTONIC, &soon, FUSS_PRIVATE), EINVAL);
    CHECK_EQ(fuss_futex_lock_pi(w, CLOCK_REALTIME, NULL, FUSS_PRIVATE), EINVAL);
    CHECK_EQ(fuss_futex_trylock_pi(w, FUSS_PRIVATE), EINVAL);
    CHECK_EQ(fuss_futex_unlock_pi(w, FUSS_PRIVATE), EINVAL);
}

static void check_flags(unsigned f)
{
    uint32_t *w = &words[0], *g = &words[1];
    struct timespec soon = test_deadline_in(CLOCK_MONOTONIC, 10);
    struct timespec rel = { 0, 10000000L };
    CHECK_EQ(fuss_futex_wait(w, 0, f), EINVAL);
    CHECK_EQ(fuss_futex_wait_until(w, 0, CLOCK_MONOTONIC, &soon, f), EINVAL);
    CHECK_EQ(fuss_futex_wait_for(w, 0, &rel, f), EINVAL);
    CHECK_EQ(fuss_futex_wait_bitset(w, 0, 1, CLOCK_MONOTONIC, &soon, f), EINVAL);
    CHECK_EQ(fuss_futex_wake(w, 1, f, NULL), EINVAL);
    CHECK_EQ(fuss_futex_wake_bitset(w, 1, 1, f, NULL), EINVAL);
    CHECK_EQ(fuss_futex_requeue(w, 1, 1, g, f, NULL, NULL), EINVAL);
    CHECK_EQ(fuss_futex_cmp_requeue(w, 0, 1, 1, g, f, NULL, NULL), EINVAL);
    CHECK_EQ(fuss_futex_wake_op(w, 1, g, 1, FUSS_FUTEX_OP(FUSS_FUTEX_OP_SET, 1, 0, 0), f, NULL),
             EINVAL);
    CHECK_EQ(*g, 0);
    fuss_futex_waiter_t v[2] = { { w, 0, FUSS_PRIVATE }, { g, 0, f } };
    CHECK_EQ(fuss_futex_waitv(v, 2, CLOCK_MONOTONIC, &soon, NULL), EINVAL);
    CHECK_EQ(fuss_futex_lock_pi(w, CLOCK_MONOTONIC, &soon, f), EINVAL);
    CHECK_EQ(fuss_futex_trylock_pi(w, f), EINVAL);
    CHECK_EQ(fuss_futex_unlock_pi(w, f), EINVAL);
    CHECK_EQ(*w, 0); /* nothing locked */
}

static void check_timespec(const struct timespec *ts)
{
    uint32_t *w = &words[0];
    fuss_futex_waiter_t v[1] = { { w, 0, FUSS_PRIVATE } };
    clockid_t clocks[2] = { CLOCK_MONOTONIC, CLOCK_REALTIME };
    for (int c = 0; c < 2; c++) {
        CHECK_EQ(fuss_futex_wait_until(w, 0, clocks[c], ts, FUSS_PRIVATE), EINVAL);
        CHECK_EQ(fuss_futex_wait_bitset(w, 0, 1, clocks[c], ts, FUSS_PRIVATE), EINVAL);
        CHECK_EQ(fuss_futex_waitv(v, 1, clocks[c], ts, NULL), EINVAL);
        CHECK_EQ(fuss_futex_lock_pi(w, clocks[c], ts, FUSS_PRIVATE), EINVAL);
    }
    CHECK_EQ(fuss_futex_wait_for(w, 0, ts, FUSS_PRIVATE), EINVAL);
    CHECK_EQ(*w, 0);
}

static void check_clock(clockid_t clock)
{
    uint32_t *w = &words[0];
    struct timespec soon = test_deadline_in(CLOCK_MONOTONIC, 10);
    fuss_futex_waiter_t v[1] = { { w, 0, FUSS_PRIVATE } };
    CHECK_EQ(fuss_futex_wait_until(w, 0, clock, &soon, FUSS_PRIVATE), EINVAL);
    CHECK_EQ(fuss_futex_wait_bitset(w, 0, 1, clock, &soon, FUSS_PRIVATE), EINVAL);
    CHECK_EQ(fuss_futex_waitv(v, 1, clock, &soon, NULL), EINVAL);
    CHECK_EQ(fuss_futex_lock_pi(w, clock, &soon, FUSS_PRIVATE), EINVAL);
    CHECK_EQ(*w, 0);
}

int main(void)
{
    test_watchdog(30, "futex_einval");
    char *base = (char *)&words[2];
    check_word(NULL, &words[1]);
    for (int off = 1; off < 4; off++) check_word((uint32_t *)(base + off), &words[1]);
    for (size_t i = 0; i < N_BAD_FLAGS; i++) check_flags(bad_flags[i]);
    for (size_t i = 0; i < N_BAD_TS; i++) check_timespec(&bad_ts[i]);
    for (size_t i = 0; i < N_BAD_CLOCKS; i++) check_clock(bad_clocks[i]);

    /* Bitset 0 matches nobody: refused on both sides. */
    struct timespec soon = test_deadline_in(CLOCK_MONOTONIC, 10);
    unsigned woken = 77;
    CHECK_EQ(fuss_futex_wait_bitset(&words[0], 0, 0, CLOCK_MONOTONIC, &soon, FUSS_PRIVATE), EINVAL);
    CHECK_EQ(fuss_futex_wait_bitset(&words[0], 0, 0, CLOCK_MONOTONIC, NULL, FUSS_PRIVATE), EINVAL);
    CHECK_EQ(fuss_futex_wake_bitset(&words[0], 1, 0, FUSS_PRIVATE, &woken), EINVAL);

    /* waitv: NULL array, count 0, count above the maximum. */
    static fuss_futex_waiter_t many[FUSS_FUTEX_WAITV_MAX + 1];
    for (unsigned i = 0; i <= FUSS_FUTEX_WAITV_MAX; i++)
        many[i] = (fuss_futex_waiter_t){ &words[0], 0, FUSS_PRIVATE };
    CHECK_EQ(fuss_futex_waitv(NULL, 1, CLOCK_MONOTONIC, &soon, NULL), EINVAL);
    CHECK_EQ(fuss_futex_waitv(many, 0, CLOCK_MONOTONIC, &soon, NULL), EINVAL);
    CHECK_EQ(fuss_futex_waitv(many, 0, CLOCK_MONOTONIC, NULL, NULL), EINVAL);
    CHECK_EQ(fuss_futex_waitv(many, FUSS_FUTEX_WAITV_MAX + 1, CLOCK_MONOTONIC, &soon, NULL),
             EINVAL);
    CHECK_EQ(fuss_futex_waitv(many, 1000, CLOCK_MONOTONIC, NULL, NULL), EINVAL);

    /* wake-op: op codes 5..7 (and with ARG_SHIFT), cmp codes 6..15. */
    for (unsigned op = 5; op < 16; op++) {
        if (op >= FUSS_FUTEX_OP_ARG_SHIFT && op <= (FUSS_FUTEX_OP_ARG_SHIFT | FUSS_FUTEX_OP_XOR))
            continue;
        CHECK_EQ(fuss_futex_wake_op(&words[0], 1, &words[1], 1,
                                    FUSS_FUTEX_OP(op, 1, FUSS_FUTEX_OP_CMP_EQ, 0), FUSS_PRIVATE,
                                    &woken), EINVAL);
    }
    for (unsigned cmp = 6; cmp < 16; cmp++)
        CHECK_EQ(fuss_futex_wake_op(&words[0], 1, &words[1], 1,
                                    FUSS_FUTEX_OP(FUSS_FUTEX_OP_SET, 5, cmp, 0), FUSS_PRIVATE,
                                    &woken), EINVAL);
    CHECK_EQ(words[1], 0); /* refused before touching word2 */
    return test_done();
}
