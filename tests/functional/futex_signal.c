/* A signal handler (with or without SA_RESTART) running during a wait makes it return 0 or EINTR, and a wake-up sent after the signal is not lost: the waiter, re-waiting in a loop, ends. */
#include <stdatomic.h>

#include "waiters.h"

enum { MODE_WAIT, MODE_TIMED, MODE_BITSET, MODE_WAITV, N_MODES };
static const char *mode_name[N_MODES] = { "wait", "wait_until", "wait_bitset", "waitv" };

static uint32_t word, spare;
static _Atomic int handled;
static _Atomic int eintr_seen, zero_seen, bad_seen;

static void on_signal(int sig)
{
    (void)sig;
    atomic_fetch_add(&handled, 1);
}

static void install(int restart)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigemptyset(&sa.sa_mask);
    REQUIRE(sigaction(SIGUSR1, &sa, NULL) == 0);
}

static int wait_once(int mode)
{
    struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 60000);
    fuss_futex_waiter_t v[2] = { { &spare, 0, FUSS_PRIVATE }, { &word, 0, FUSS_PRIVATE } };
    unsigned idx = 99;
    int r;
    switch (mode) {
    case MODE_WAIT: return fuss_futex_wait(&word, 0, FUSS_PRIVATE);
    case MODE_TIMED: return fuss_futex_wait_until(&word, 0, CLOCK_MONOTONIC, &dl, FUSS_PRIVATE);
    case MODE_BITSET:
        return fuss_futex_wait_bitset(&word, 0, 0x5, CLOCK_REALTIME, NULL, FUSS_PRIVATE);
    default:
        r = fuss_futex_waitv(v, 2, CLOCK_MONOTONIC, &dl, &idx);
        if (r == 0 && idx != 1) {
            fprintf(stderr, "waitv woke with index %u\n", idx);
            atomic_fetch_add(&bad_seen, 1);
        }
        return r;
    }
}

/* Wait until the word changes; every return must be documented. */
static void *loop_waiter(void *arg)
{
    int mode = (int)(intptr_t)arg;
    while (__atomic_load_n(&word, __ATOMIC_ACQUIRE) == 0) {
        int r = wait_once(mode);
        if (r == 0) atomic_fetch_add(&zero_seen, 1);
        else if (r == EINTR) atomic_fetch_add(&eintr_seen, 1);
        else if (r != EAGAIN) {
            fprintf(stderr, "%s: undocumented result %d after a signal\n", mode_name[mode], r);
            atomic_fetch_add(&bad_seen, 1);
        }
    }
    return NULL;
}

/* The wake must reach a re-queued waiter: the word's waiters are counted on
 * the word the waiter sleeps on, which for waitv is still word. */
static void run(int mode, int restart, int settle)
{
    word = 0;
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, loop_waiter, (void *)(intptr_t)mode) == 0);
    await_waiters(&word, 1);
    int before = atomic_load(&handled);
    REQUIRE(pthread_kill(t, SIGUSR1) == 0);
    if (settle) {
        /* Bounded: ThreadSanitizer defers handlers while a thread sits in
         * a system call it does not intercept. */
        for (int i = 0; i < 1000 && atomic_load(&handled) == before; i++) test_sleep_ms(1);
        await_waiters(&word, 1); /* back asleep after the signal */
    }
    __atomic_store_n(&word, 1, __ATOMIC_RELEASE);
    CHECK_EQ(fuss_futex_wake(&word, FUSS_FUTEX_WAKE_ALL, FUSS_PRIVATE, NULL), 0);
    pthread_join(t, NULL);
    (void)restart;
}

int main(void)
{
    test_watchdog(60, "futex_signal: a wake-up after a signal was lost");
    for (int restart = 0; restart < 2; restart++) {
        install(restart);
        for (int mode = 0; mode < N_MODES; mode++) {
            run(mode, restart, 1);
            /* The signal and the wake race each other. */
            for (int i = 0; i < 50; i++) run(mode, restart, 0);
        }
    }
    CHECK_EQ(atomic_load(&bad_seen), 0);
    printf("%d handlers ran; waits returned EINTR %d times, 0 %d times\n", atomic_load(&handled),
           atomic_load(&eintr_seen), atomic_load(&zero_seen));
    return test_done();
}
