/* Issue 6, found by models/robust.pml (RCFG_DIE_BEFORE_WAKE): a robust
 * owner that dies after its unlock released the word (T7's exchange) but
 * before its wake-up, while another thread has already taken the free word
 * by the fast path, leaves a sleeper asleep for ever.  The kernel's exit
 * handling passes a pending wake-up on only while the word is still free;
 * here the new owner holds it without WAITERS, so its own unlock takes the
 * fast path and wakes nobody.
 *
 * The test plays the dying owner H by hand: H locks, B sleeps behind it, H
 * releases the word exactly as unlock_slow does (exchange to 0) and stops;
 * main takes the free word, H exits without waking, main unlocks.  B must
 * still get the mutex (the fix: a robust sleeper looks at the word again
 * after a bounded slice, src/omutex.c).  FUSS_TEST_LINUX_ONLY */
#include "harness.h"

#include <fuss/omutex.h>

static fuss_omutex_t m;
static int b_done, h_step, main_step;

static void wait_for(int *flag, int value)
{
    while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) < value) test_sleep_ms(1);
}

static void *dying_owner(void *arg)
{
    (void)arg;
    REQUIRE(fuss_omutex_lock(&m) == 0);
    __atomic_store_n(&h_step, 1, __ATOMIC_RELEASE); /* holding */
    wait_for(&main_step, 1);                        /* B is asleep */
    /* unlock_slow's release (T7), without the wake-up that follows it. */
    (void)__atomic_exchange_n(&m.word, 0, __ATOMIC_RELEASE);
    __atomic_store_n(&h_step, 2, __ATOMIC_RELEASE);
    wait_for(&main_step, 2);                        /* main took the word */
    return NULL;                                    /* dies, owing B a wake-up */
}

static void *sleeper(void *arg)
{
    (void)arg;
    int r = fuss_omutex_lock(&m);
    CHECK(r == 0);
    if (r == 0) CHECK(fuss_omutex_unlock(&m) == 0);
    __atomic_store_n(&b_done, 1, __ATOMIC_RELEASE);
    return NULL;
}

int main(void)
{
    test_watchdog(60, "omutex death before wake");
    REQUIRE(fuss_omutex_init(&m, FUSS_OMUTEX_ROBUST) == 0);
    pthread_t h, b;
    REQUIRE(pthread_create(&h, NULL, dying_owner, NULL) == 0);
    wait_for(&h_step, 1);
    REQUIRE(pthread_create(&b, NULL, sleeper, NULL) == 0);
    while (!(__atomic_load_n(&m.word, __ATOMIC_ACQUIRE) & 0x80000000u)) test_sleep_ms(1);
    test_sleep_ms(50); /* B has set WAITERS: let it fall asleep */
    __atomic_store_n(&main_step, 1, __ATOMIC_RELEASE);
    wait_for(&h_step, 2);
    REQUIRE(fuss_omutex_lock(&m) == 0); /* the free word, by the fast path */
    CHECK((__atomic_load_n(&m.word, __ATOMIC_RELAXED) & 0x80000000u) == 0);
    __atomic_store_n(&main_step, 2, __ATOMIC_RELEASE);
    REQUIRE(pthread_join(h, NULL) == 0);
    REQUIRE(fuss_omutex_unlock(&m) == 0);
    /* B must get the mutex: allow 5 s (the fix needs ~0.1 s). */
    for (int i = 0; i < 5000 && !__atomic_load_n(&b_done, __ATOMIC_ACQUIRE); i++)
        test_sleep_ms(1);
    CHECK(__atomic_load_n(&b_done, __ATOMIC_ACQUIRE) == 1);
    if (!b_done) return test_done(); /* B is stranded: exit without joining */
    REQUIRE(pthread_join(b, NULL) == 0);
    return test_done();
}
