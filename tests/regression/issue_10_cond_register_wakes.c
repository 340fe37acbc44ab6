/* Issue 10 (broadcast row): a waiter registering on fuss_cond_t woke the
 * waiters before it.  The waiter count lived in the futex word itself
 * (src/cond.c, seq bits 0-9), so every registration changed the value that
 * the earlier waiters, which had released the mutex but were not yet
 * asleep, were about to sleep on: their futex wait failed (EAGAIN) and they
 * returned spuriously, re-took the mutex and registered again, changing the
 * word once more.  In the broadcast benchmark 92% of waits ended that way.
 *
 * How the test catches it, twice:
 *   1. the word: with one waiter asleep, a second one registers; the futex
 *      word must be exactly as it was (only signal and broadcast write it);
 *   2. the behaviour: waiter A waits (alone, so it first spins, which widens
 *      the window), and waiter B, blocked on the mutex, takes it the moment
 *      A releases it and registers.  Nobody signals until both sleep; A must
 *      never return before the broadcast.  The old code returned early in a
 *      good share of the rounds; a futex wait with an unchanged word cannot
 *      fail, so the fixed code never does. */
#include "waiters.h"

#define ROUNDS 200

static fuss_mutex_t m;
static fuss_cond_t c;
static int released; /* under m: the broadcast has been sent */
static int a_waiting; /* atomic: A holds m and is about to wait */
static int early;     /* under m: returns of A before the broadcast */

static void *waiter_a(void *arg)
{
    (void)arg;
    fuss_mutex_lock(&m);
    __atomic_store_n(&a_waiting, 1, __ATOMIC_RELEASE);
    while (!released) {
        CHECK_EQ(fuss_cond_wait(&c, &m), 0);
        if (!released) early++;
    }
    fuss_mutex_unlock(&m);
    return NULL;
}

static void *waiter_b(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&a_waiting, __ATOMIC_ACQUIRE)) sched_yield();
    fuss_mutex_lock(&m); /* contended: granted as A's wait releases m */
    while (!released) CHECK_EQ(fuss_cond_wait(&c, &m), 0);
    fuss_mutex_unlock(&m);
    return NULL;
}

static void release_all(void)
{
    fuss_mutex_lock(&m);
    released = 1;
    CHECK_EQ(fuss_cond_broadcast(&c), 0);
    fuss_mutex_unlock(&m);
}

int main(void)
{
    test_watchdog(120, "issue_10_cond_register_wakes");

    /* 1. The word. */
    pthread_t a, b;
    released = 0;
    REQUIRE(pthread_create(&a, NULL, waiter_b, NULL) == 0); /* waits for a_waiting */
    __atomic_store_n(&a_waiting, 1, __ATOMIC_RELEASE);
    await_waiters(&c.seq, 1);
    uint32_t before = __atomic_load_n(&c.seq, __ATOMIC_RELAXED);
    REQUIRE(pthread_create(&b, NULL, waiter_b, NULL) == 0);
    await_waiters(&c.seq, 2);
    CHECK_EQ(__atomic_load_n(&c.seq, __ATOMIC_RELAXED), before);
    release_all();
    pthread_join(a, NULL);
    pthread_join(b, NULL);

    /* 2. The behaviour. */
    for (int r = 0; r < ROUNDS; r++) {
        released = 0;
        __atomic_store_n(&a_waiting, 0, __ATOMIC_RELAXED);
        REQUIRE(pthread_create(&a, NULL, waiter_a, NULL) == 0);
        REQUIRE(pthread_create(&b, NULL, waiter_b, NULL) == 0);
        await_waiters(&c.seq, 2);
        release_all();
        pthread_join(a, NULL);
        pthread_join(b, NULL);
    }
    printf("early returns of the first waiter: %d of %d rounds\n", early, ROUNDS);
    CHECK_EQ(early, 0);
    return test_done();
}
