/* Wake reports exactly how many it woke: 0 with nobody waiting, at most the
 * count asked, all with FUSS_FUTEX_WAKE_ALL; a count of 0 wakes nobody. */
#include "waiters.h"

#define N 5

int main(void)
{
    test_watchdog(30, "futex_wake_count");
    uint32_t word = 0;
    unsigned woken = 99;

    CHECK_EQ(fuss_futex_wake(&word, 1, FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 0);
    CHECK_EQ(fuss_futex_wake(&word, FUSS_FUTEX_WAKE_ALL, FUSS_PRIVATE, NULL), 0);

    struct waiter w[N];
    for (int i = 0; i < N; i++) waiter_start(&w[i], &word, 0, FUSS_FUTEX_BITSET_ANY);
    await_waiters(&word, N);

    CHECK_EQ(fuss_futex_wake(&word, 0, FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 0);
    CHECK_EQ(count_waiters(&word), N);

    CHECK_EQ(fuss_futex_wake(&word, 2, FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 2);
    while (waiters_done(w, N) < 2) test_sleep_ms(1);
    test_sleep_ms(20);
    CHECK_EQ(waiters_done(w, N), 2);
    CHECK_EQ(count_waiters(&word), N - 2);

    CHECK_EQ(fuss_futex_wake(&word, FUSS_FUTEX_WAKE_ALL, FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, N - 2);
    for (int i = 0; i < N; i++) {
        pthread_join(w[i].thread, NULL);
        CHECK_EQ(w[i].result, 0);
    }
    CHECK_EQ(fuss_futex_wake(&word, 3, FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 0);
    return test_done();
}
