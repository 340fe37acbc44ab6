/* Issue 22, defect 2: a waiter released by a broadcast can fall asleep on
 * the re-initialised condvar.  POSIX lets the owner destroy a condvar right
 * after a broadcast, clear it and initialise it again; a waiter the
 * broadcast released but that has not yet left its futex wait then
 * compares the new memory with the value it read from the old object.  The
 * first waiter on the new object moves seq 0 -> 1 again (C0 in src/cond.c),
 * the very value the first generation slept on, so the old waiter's wait
 * matches and it sleeps on an object whose waiters it is not counted among
 * (glibc's tst-cond20 hangs that way).  fuss_cond_destroy used to wait for
 * spinners only.
 *
 * Why issue_10_cond_reinit_after_broadcast and issue_6 missed it: issue 10
 * checks the word (nobody sleeps on 0) and repeats the pattern hoping the
 * scheduler opens the window, which is a few instructions wide; issue 6
 * unmaps the page, which the kernel answers with EFAULT.
 *
 * Made deterministic by holding the waiter at the critical point
 * (tests/harness/hold.h): W sleeps in fuss_cond_wait; main holds it in a
 * signal handler installed with SA_RESTART, as most handlers are, so that
 * after the handler the kernel restarts W's futex wait with the value W
 * read from the old object (the same happens to a waiter preempted between
 * releasing the mutex and its futex call).  While W is held, thread D
 * broadcasts (W is not in the futex queue, so nobody is woken: W is
 * released only by seq's change), destroys, clears and initialises the
 * condvar, and becomes a waiter of the new generation (seq 0 -> 1).  Main
 * lets W go once D sleeps, either as that new waiter (the old code) or
 * inside fuss_cond_destroy (a destroy that waits for W).  W must then
 * return: with the bug it sleeps next to D on the new object, which main
 * sees by counting the sleepers on seq (2), a count, not a time.
 *
 * Two shapes: W the sole waiter (it spun, then slept: (C4) in src/cond.c)
 * and W the second waiter (it slept at once, after its mutex unlock).  The
 * emulated backend queues a waiter before it releases the mutex and holds
 * it on a parker, never on seq, so it passes either way. */
#include <string.h>

#include "hold.h"
#include "waiters.h"

#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif

static fuss_mutex_t m;
static fuss_cond_t c;
static int w_done[2];     /* __atomic: the first-generation waiters returned */
static int reinit_done;   /* __atomic: D has initialised c again */
static int destroy_result = -1;
static int stop;          /* under m */

static void *old_waiter(void *arg)
{
    int *done = arg;
    fuss_mutex_lock(&m);
    (void)fuss_cond_wait(&c, &m); /* once: returning is what is checked */
    fuss_mutex_unlock(&m);
    __atomic_store_n(done, 1, __ATOMIC_RELEASE);
    return NULL;
}

/* The owner: broadcast, destroy, clear, re-initialise, then wait on the
 * new object until main says stop. */
static void *owner(void *arg)
{
    (void)arg;
    fuss_mutex_lock(&m);
    CHECK_EQ(fuss_cond_broadcast(&c), 0);
    fuss_mutex_unlock(&m);
    destroy_result = fuss_cond_destroy(&c);
    memset(&c, 0, sizeof c); /* the memory is reused */
    REQUIRE(fuss_cond_init(&c, 0) == 0);
    __atomic_store_n(&reinit_done, 1, __ATOMIC_RELEASE);
    fuss_mutex_lock(&m);
    while (!stop) (void)fuss_cond_wait(&c, &m);
    fuss_mutex_unlock(&m);
    return NULL;
}

static void run(int nwaiters)
{
    memset(&c, 0, sizeof c);
    w_done[0] = w_done[1] = 0;
    reinit_done = 0;
    destroy_result = -1;
    stop = 0;
    pthread_t w[2], d;
    for (int i = 0; i < nwaiters; i++) {
        REQUIRE(pthread_create(&w[i], NULL, old_waiter, &w_done[i]) == 0);
        await_waiters(&c.seq, (unsigned)i + 1); /* in this order: the last is not sole */
    }
    int held = nwaiters - 1;
    test_hold(w[held]);

    REQUIRE(pthread_create(&d, NULL, owner, NULL) == 0);
    /* D asleep: as the new generation's waiter, or in destroy (on link). */
    for (int i = 0;; i++) {
        REQUIRE(i < 10000);
        if (__atomic_load_n(&reinit_done, __ATOMIC_ACQUIRE) && count_waiters(&c.seq) >= 1) break;
        if (!__atomic_load_n(&reinit_done, __ATOMIC_ACQUIRE) && count_waiters(&c.link) >= 1) break;
        test_sleep_ms(1);
    }
    test_release();

    /* W returns, or (the bug) sleeps on the new object beside D. */
    int slept_on_new = 0;
    for (int i = 0; !__atomic_load_n(&w_done[held], __ATOMIC_ACQUIRE); i++) {
        REQUIRE(i < 10000);
        if (__atomic_load_n(&reinit_done, __ATOMIC_ACQUIRE) && count_waiters(&c.seq) >= 2) {
            slept_on_new = 1;
            break;
        }
        test_sleep_ms(1);
    }
    if (slept_on_new)
        fprintf(stderr, "%d waiter(s): the held waiter went to sleep on the re-initialised "
                        "condvar\n", nwaiters);
    CHECK(!slept_on_new);

    /* Let everyone go (with the bug this broadcast wakes W too). */
    while (!__atomic_load_n(&reinit_done, __ATOMIC_ACQUIRE)) test_sleep_ms(1);
    fuss_mutex_lock(&m);
    stop = 1;
    CHECK_EQ(fuss_cond_broadcast(&c), 0);
    fuss_mutex_unlock(&m);
    pthread_join(d, NULL);
    for (int i = 0; i < nwaiters; i++) pthread_join(w[i], NULL);
    CHECK_EQ(destroy_result, 0);
    CHECK_EQ(fuss_cond_destroy(&c), 0);
}

int main(void)
{
    test_watchdog(60, "issue_22_cond_reinit_sleeper: a released waiter slept on");
#ifdef UNDER_TSAN
    /* ThreadSanitizer runs a handler only when the thread next enters an
     * intercepted call; a futex wait that the kernel restarts (SA_RESTART)
     * never returns to one, so the waiter cannot be held.  The other
     * builds run this test. */
    if (!test_is_emulated()) {
        printf("ThreadSanitizer cannot hold a thread in a raw futex wait: skipped\n");
        CHECK(1);
        return test_done();
    }
#endif
    test_hold_init();
    /* Re-install the holder with SA_RESTART: the kernel then restarts an
     * interrupted futex wait with its original value, as it does for most
     * programs' handlers. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = test_hold_handler;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    REQUIRE(sigaction(SIGUSR2, &sa, NULL) == 0);

    run(1);
    run(2);
    return test_done();
}
