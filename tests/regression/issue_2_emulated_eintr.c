/* FUSS_TEST_NO_SANITIZER (TSan defers signal handlers past a raw futex system call, so "handled" never flips). Issue 2: <fuss/futex.h> documents EINTR from single-word waits as "linux backend only", but the emulated backend returns EINTR when a handler (without SA_RESTART) interrupts its wait. */
#include "waiters.h"

static uint32_t word;
static _Atomic int handled; /* atomic: read by another thread, not only the handler */
static int results[3] = { -1, -1, -1 };

static void on_signal(int sig)
{
    (void)sig;
    handled = 1;
}

static void *waiter(void *arg)
{
    int mode = (int)(intptr_t)arg;
    struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 60000);
    if (mode == 0) results[0] = fuss_futex_wait(&word, 0, FUSS_PRIVATE);
    else if (mode == 1)
        results[1] = fuss_futex_wait_until(&word, 0, CLOCK_MONOTONIC, &dl, FUSS_PRIVATE);
    else results[2] = fuss_futex_wait_bitset(&word, 0, 1, CLOCK_REALTIME, NULL, FUSS_PRIVATE);
    return NULL;
}

int main(void)
{
    test_watchdog(30, "issue_2_emulated_eintr");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART */
    sigemptyset(&sa.sa_mask);
    REQUIRE(sigaction(SIGUSR1, &sa, NULL) == 0);
    for (int mode = 0; mode < 3; mode++) {
        pthread_t t;
        handled = 0;
        REQUIRE(pthread_create(&t, NULL, waiter, (void *)(intptr_t)mode) == 0);
        await_waiters(&word, 1);
        REQUIRE(pthread_kill(t, SIGUSR1) == 0);
        while (!handled) test_sleep_ms(1);
        test_sleep_ms(10);
        /* If the wait is still asleep (a restarted wait is also fine), end it. */
        fuss_futex_wake(&word, 1, FUSS_PRIVATE, NULL);
        pthread_join(t, NULL);
        if (test_is_emulated()) CHECK_EQ(results[mode], 0);
        else CHECK(results[mode] == 0 || results[mode] == EINTR);
    }
    return test_done();
}
