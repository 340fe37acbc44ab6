/* A bitset wake reaches only waiters whose bitset shares a bit with it: a disjoint one wakes nobody, a matching one wakes the right waiter, and at most count of them. */
#include "waiters.h"

#define N 5

static uint32_t word;

static void expect_done(struct waiter *w, int n, int total)
{
    for (int i = 0; i < 10000 && waiters_done(w, total) < n; i++) test_sleep_ms(1);
    test_sleep_ms(20);
    CHECK_EQ(waiters_done(w, total), n);
}

int main(void)
{
    test_watchdog(30, "futex_bitset");
    static const uint32_t bits[N] = { 0x1, 0x2, 0x6, 0x100, 0x100 };
    struct waiter w[N];
    unsigned woken = 99;
    for (int i = 0; i < N; i++) waiter_start(&w[i], &word, 0, bits[i]);
    await_waiters(&word, N);

    /* Disjoint: nobody. */
    CHECK_EQ(fuss_futex_wake_bitset(&word, FUSS_FUTEX_WAKE_ALL, 0x8 | 0x80 | 0x80000000u,
                                    FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 0);
    CHECK_EQ(count_waiters(&word), N);

    /* 0x4 matches only the 0x6 waiter. */
    CHECK_EQ(fuss_futex_wake_bitset(&word, FUSS_FUTEX_WAKE_ALL, 0x4, FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 1);
    expect_done(w, 1, N);
    CHECK_EQ(waiters_done(&w[2], 1), 1);

    /* 0x1: only waiter 0, even with a count of all. */
    CHECK_EQ(fuss_futex_wake_bitset(&word, FUSS_FUTEX_WAKE_ALL, 0x1, FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 1);
    expect_done(w, 2, N);
    CHECK_EQ(waiters_done(&w[0], 1), 1);

    /* Count limits a matching wake: one of the two 0x100 waiters. */
    CHECK_EQ(fuss_futex_wake_bitset(&word, 1, 0x300, FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 1);
    expect_done(w, 3, N);
    CHECK_EQ(waiters_done(&w[1], 1), 0);

    /* A plain wake matches every bitset. */
    CHECK_EQ(fuss_futex_wake(&word, FUSS_FUTEX_WAKE_ALL, FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 2);
    for (int i = 0; i < N; i++) {
        pthread_join(w[i].thread, NULL);
        CHECK_EQ(w[i].result, 0);
    }

    /* A plain wait (every bit) is woken by any non-zero bitset. */
    struct waiter p;
    waiter_start(&p, &word, 0, FUSS_FUTEX_BITSET_ANY);
    await_waiters(&word, 1);
    CHECK_EQ(fuss_futex_wake_bitset(&word, 1, 0x40000000u, FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 1);
    pthread_join(p.thread, NULL);
    CHECK_EQ(p.result, 0);
    return test_done();
}
