/* The mutex's hand-off (src/mutex.c, T5, T8-T10): once a sleeper starves,
 * the lock goes to sleepers until the starving one has it, so a barging
 * trylock loop gets nothing before it; and a starving timedlock that gives
 * up leaves neither STARVING nor a hand-off behind.
 *
 * How the starver is made, without relying on timing for the outcome: the
 * main thread holds the mutex; S sleeps on it; after S has slept more than
 * FAIR_NS (1 ms), a futex wake on the mutex word (a spurious wake-up, which
 * the mutex must tolerate) makes S look again, find the lock held, and
 * become the starver (STARVING appears in the word).  A second sleeper A
 * queues, and S is woken spuriously once more so that it sleeps again,
 * behind A.  Then a thread B loops on trylock, and main unlocks.  Before
 * the hand-off, A would take the lock, clear STARVING, release it, and B
 * would barge in before S woke.  Now every unlock while S starves hands
 * the lock over, and B's first success must come after S's acquisition.
 * Which sleeper is woken first does not matter for the check. */
#include "harness.h"
#include "waiters.h"

#define STARVING 0x4u /* src/mutex.c, lock word table */
#define HANDOFF  0x8u
#define ROUNDS   5

static fuss_mutex_t m;
static int s_got, a_got;     /* written inside the critical section */
static int b_early, b_total; /* B's successes before S's, and in all (atomic) */
static int b_unlock_errors;
static int stop;

static uint32_t word(void) { return __atomic_load_n(&m.word, __ATOMIC_RELAXED); }

static void *sleeper(void *arg)
{
    int *got = arg;
    CHECK_EQ(fuss_mutex_lock(&m), 0);
    *got = 1;
    CHECK_EQ(fuss_mutex_unlock(&m), 0);
    return NULL;
}

static void *barger(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
        if (fuss_mutex_trylock(&m) != 0) continue;
        if (!s_got) b_early++;
        __atomic_fetch_add(&b_total, 1, __ATOMIC_RELAXED); /* main polls it */
        if (fuss_mutex_unlock(&m) != 0) b_unlock_errors++;
    }
    return NULL;
}

/* Spurious wake-ups until the word shows STARVING, then until the starver
 * sleeps again (n sleepers in all). */
static void make_starver(unsigned n)
{
    for (int i = 0; !(word() & STARVING); i++) {
        REQUIRE(i < 10000);
        REQUIRE(fuss_futex_wake(&m.word, 1, FUSS_PRIVATE, NULL) == 0);
        test_sleep_ms(1);
    }
    await_waiters(&m.word, n);
}

static void round_barging(void)
{
    s_got = a_got = b_early = b_total = b_unlock_errors = 0;
    __atomic_store_n(&stop, 0, __ATOMIC_RELAXED);
    REQUIRE(fuss_mutex_lock(&m) == 0);
    pthread_t s, a, b;
    REQUIRE(pthread_create(&s, NULL, sleeper, &s_got) == 0);
    await_waiters(&m.word, 1);
    test_sleep_ms(3); /* S has now slept longer than FAIR_NS */
    make_starver(1);
    REQUIRE(pthread_create(&a, NULL, sleeper, &a_got) == 0);
    await_waiters(&m.word, 2);
    /* Wake S (the older sleeper) once more: it sleeps again behind A. */
    REQUIRE(fuss_futex_wake(&m.word, 1, FUSS_PRIVATE, NULL) == 0);
    await_waiters(&m.word, 2);
    CHECK((word() & STARVING) != 0); /* only S's acquisition clears it */
    REQUIRE(pthread_create(&b, NULL, barger, NULL) == 0);
    CHECK_EQ(fuss_mutex_unlock(&m), 0); /* a hand-off (T8) */
    pthread_join(s, NULL);
    pthread_join(a, NULL);
    /* B may stop once it has had the lock (it is free now). */
    for (int i = 0; i < 100000 && !__atomic_load_n(&b_total, __ATOMIC_RELAXED); i++) sched_yield();
    __atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
    pthread_join(b, NULL);
    CHECK(s_got && a_got);
    CHECK_EQ(b_early, 0);
    CHECK(b_total > 0);
    CHECK_EQ(b_unlock_errors, 0);
    CHECK_EQ(word() & (STARVING | HANDOFF), 0);
}

static int t_result = -1;

static void *timed_sleeper(void *arg)
{
    (void)arg;
    struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 2000);
    t_result = fuss_mutex_timedlock(&m, CLOCK_MONOTONIC, &dl);
    if (t_result == 0) CHECK_EQ(fuss_mutex_unlock(&m), 0);
    return NULL;
}

/* A starver whose deadline passes while the lock is held clears STARVING
 * (T10): the next unlock releases, and trylock gets the lock. */
static void round_timeout(void)
{
    REQUIRE(fuss_mutex_lock(&m) == 0);
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, timed_sleeper, NULL) == 0);
    await_waiters(&m.word, 1);
    test_sleep_ms(3);
    make_starver(1);
    pthread_join(t, NULL); /* held throughout: it must time out */
    CHECK_EQ(t_result, ETIMEDOUT);
    CHECK_EQ(word() & (STARVING | HANDOFF), 0);
    CHECK_EQ(fuss_mutex_unlock(&m), 0);
    CHECK_EQ(fuss_mutex_trylock(&m), 0);
    CHECK_EQ(fuss_mutex_unlock(&m), 0);
}

int main(void)
{
    test_watchdog(120, "mutex_handoff");
    for (int i = 0; i < ROUNDS; i++) round_barging();
    round_timeout();
    CHECK_EQ(fuss_mutex_destroy(&m), 0);
    return test_done();
}
