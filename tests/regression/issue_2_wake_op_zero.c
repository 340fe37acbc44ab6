/* Issue 2: fuss_futex_wake_op wakes "up to nwake1 / nwake2" waiters; with a count of 0 it must wake nobody (FUTEX_WAKE_OP in the kernel wakes one when asked for 0). */
#include "waiters.h"

static uint32_t word1, word2;

int main(void)
{
    test_watchdog(30, "issue_2_wake_op_zero");
    struct waiter a, b;
    waiter_start(&a, &word1, 0, FUSS_FUTEX_BITSET_ANY);
    waiter_start(&b, &word2, 0, FUSS_FUTEX_BITSET_ANY);
    await_waiters(&word1, 1);
    await_waiters(&word2, 1);
    unsigned woken = 99;
    CHECK_EQ(fuss_futex_wake_op(&word1, 0, &word2, 0,
                                FUSS_FUTEX_OP(FUSS_FUTEX_OP_ADD, 0, FUSS_FUTEX_OP_CMP_EQ, 0),
                                FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 0);
    test_sleep_ms(10);
    CHECK_EQ(waiters_done(&a, 1) + waiters_done(&b, 1), 0);
    fuss_futex_wake(&word1, 1, FUSS_PRIVATE, NULL);
    fuss_futex_wake(&word2, 1, FUSS_PRIVATE, NULL);
    pthread_join(a.thread, NULL);
    pthread_join(b.thread, NULL);
    return test_done();
}
