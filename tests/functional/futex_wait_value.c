/* A wait returns EAGAIN at once when the word differs, and 0 when woken. */
#include "waiters.h"

int main(void)
{
    test_watchdog(30, "futex_wait_value");
    uint32_t word = 5;

    CHECK_EQ(fuss_futex_wait(&word, 4, FUSS_PRIVATE), EAGAIN);
    CHECK_EQ(fuss_futex_wait(&word, 6, FUSS_PRIVATE), EAGAIN);
    struct timespec past = { 0, 0 };
    /* The value is checked before the deadline, as the kernel does. */
    CHECK_EQ(fuss_futex_wait_until(&word, 4, CLOCK_MONOTONIC, &past, FUSS_PRIVATE), EAGAIN);

    struct waiter w;
    waiter_start(&w, &word, 5, FUSS_FUTEX_BITSET_ANY);
    await_waiters(&word, 1);
    CHECK_EQ(waiters_done(&w, 1), 0);
    __atomic_store_n(&word, 6, __ATOMIC_RELEASE);
    unsigned woken = 0;
    CHECK_EQ(fuss_futex_wake(&word, 1, FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 1);
    pthread_join(w.thread, NULL);
    CHECK_EQ(w.result, 0);
    return test_done();
}
