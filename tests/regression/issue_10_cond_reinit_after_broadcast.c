/* Issue 10, found by glibc's tst-cond20 under the drop-in: a condvar may be
 * destroyed right after a broadcast, cleared and initialised again while a
 * waiter the broadcast released has not yet gone to sleep (POSIX: after the
 * broadcast nobody is blocked on it).  That waiter's futex wait then
 * compares the new memory with the value it read before the broadcast.
 * Once the waiter count moved out of the futex word (src/cond.c), a waiter
 * on a fresh condvar read seq == 0, which is exactly what fuss_cond_init
 * (and all-zero memory) writes again: its wait did not fail, and it slept
 * forever on a condvar nobody would signal.
 *
 * How the test catches it:
 *   1. the word: a waiter on a fresh (zero) condvar must not sleep on 0, the
 *      value every re-initialisation writes;
 *   2. the behaviour, tst-cond20's pattern: waiters wait, the main thread
 *      broadcasts, destroys, clears and re-initialises the condvar at once,
 *      every round; every waiter must come back (watchdog).  The window is
 *      a few instructions between a waiter's unlock and its futex call, so
 *      this part caught the bug in none of 300 rounds here: part 1 is the
 *      check that fails on the bad code; part 2 guards the whole pattern.
 *      (glibc's tst-cond20 under the drop-in, in make test, hung every time,
 *      with 10 waiters and 1000 rounds.) */
#include <string.h>

#include "waiters.h"

#define WAITERS 4
#define ROUNDS 300

static fuss_mutex_t m;
static fuss_cond_t c;
static int arrived, round_no;
static fuss_barrier_t bar;

static void *waiter(void *arg)
{
    (void)arg;
    for (int r = 0; r < ROUNDS; r++) {
        fuss_mutex_lock(&m);
        arrived++;
        (void)fuss_cond_wait(&c, &m); /* once: an early return is allowed */
        fuss_mutex_unlock(&m);
        fuss_barrier_wait(&bar); /* the main thread re-initialises c */
        fuss_barrier_wait(&bar);
    }
    return NULL;
}

static void *waiter_once(void *arg)
{
    (void)arg;
    fuss_mutex_lock(&m);
    (void)fuss_cond_wait(&c, &m);
    fuss_mutex_unlock(&m);
    return NULL;
}

int main(void)
{
    test_watchdog(120, "issue_10_cond_reinit_after_broadcast: a released waiter slept on");

    /* 1. The word. */
    pthread_t t[WAITERS];
    REQUIRE(pthread_create(&t[0], NULL, waiter_once, NULL) == 0);
    await_waiters(&c.seq, 1);
    CHECK(__atomic_load_n(&c.seq, __ATOMIC_RELAXED) != 0);
    fuss_mutex_lock(&m);
    CHECK_EQ(fuss_cond_broadcast(&c), 0);
    fuss_mutex_unlock(&m);
    pthread_join(t[0], NULL);

    /* 2. The behaviour. */
    REQUIRE(fuss_barrier_init(&bar, WAITERS + 1, 0) == 0);
    REQUIRE(fuss_cond_init(&c, 0) == 0);
    arrived = 0;
    for (int i = 0; i < WAITERS; i++) REQUIRE(pthread_create(&t[i], NULL, waiter, NULL) == 0);
    for (round_no = 0; round_no < ROUNDS; round_no++) {
        for (;;) { /* all registered (they hold the mutex to count) */
            fuss_mutex_lock(&m);
            if (arrived == WAITERS) break;
            fuss_mutex_unlock(&m);
            sched_yield();
        }
        arrived = 0;
        CHECK_EQ(fuss_cond_broadcast(&c), 0);
        fuss_mutex_unlock(&m);
        CHECK_EQ(fuss_cond_destroy(&c), 0);
        memset(&c, round_no & 1 ? 0xff : 0, sizeof c); /* the memory is reused */
        fuss_barrier_wait(&bar);
        REQUIRE(fuss_cond_init(&c, 0) == 0);
        fuss_barrier_wait(&bar);
    }
    for (int i = 0; i < WAITERS; i++) pthread_join(t[i], NULL);
    return test_done();
}
