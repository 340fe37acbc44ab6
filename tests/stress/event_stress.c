/* event/latch stress: no lost wake-ups; every waiter of a set / a zero count is released. */
#include "harness.h"
#include "fuss/event.h"

#define NWAIT 3
static fuss_event_t manual, autoev;
static fuss_latch_t latch, round_done;
static _Atomic int stop, phase;
static _Atomic long auto_taken, auto_given;
static uint64_t seed;

/* Manual events and latches: in each round every waiter must come through. */
static void *round_waiter(void *p)
{
    uint64_t rng = seed ^ (uintptr_t)p;
    for (int r = 1;; r++) {
        while (phase < r) { if (stop) return NULL; sched_yield(); }
        REQUIRE(fuss_event_wait(&manual) == 0);
        if (test_rand(&rng) & 1) REQUIRE(fuss_latch_wait(&latch) == 0);
        else {
            struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 10000);
            REQUIRE(fuss_latch_timedwait(&latch, CLOCK_MONOTONIC, &dl) == 0);
        }
        fuss_latch_done(&round_done);
    }
}

static void *latch_worker(void *p)
{
    (void)p;
    REQUIRE(fuss_latch_done(&latch) == 0);
    return NULL;
}

static void *auto_waiter(void *p)
{
    (void)p;
    while (!stop) {
        struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 5);
        int r = fuss_event_timedwait(&autoev, CLOCK_MONOTONIC, &dl);
        if (r == 0) auto_taken++;
        else REQUIRE(r == ETIMEDOUT);
    }
    return NULL;
}

int main(void)
{
    seed = test_seed();
    double secs = test_seconds(1.0);
    test_watchdog((unsigned)secs + 30, "event_stress");
    pthread_t w[NWAIT], a[2];
    REQUIRE(fuss_event_init(&autoev, FUSS_EVENT_AUTO_RESET) == 0);
    for (long i = 0; i < NWAIT; i++) REQUIRE(pthread_create(&w[i], NULL, round_waiter, (void *)(i + 1)) == 0);
    for (long i = 0; i < 2; i++) REQUIRE(pthread_create(&a[i], NULL, auto_waiter, NULL) == 0);
    double end = test_now() + secs;
    long rounds = 0;
    uint64_t rng = seed;
    while (test_now() < end) {
        /* Auto-reset: hand out one release whenever the event is not set. */
        if (!fuss_event_is_set(&autoev)) { auto_given++; fuss_event_set(&autoev); }

        REQUIRE(fuss_latch_init(&round_done, NWAIT, FUSS_PRIVATE) == 0);
        REQUIRE(fuss_latch_add(&latch, 2) == 0);
        fuss_event_reset(&manual);
        phase++;
        if (test_rand(&rng) & 1) sched_yield();
        fuss_event_set(&manual);
        pthread_t lw[2];
        for (int i = 0; i < 2; i++) REQUIRE(pthread_create(&lw[i], NULL, latch_worker, NULL) == 0);
        for (int i = 0; i < 2; i++) pthread_join(lw[i], NULL);
        REQUIRE(fuss_latch_wait(&round_done) == 0);  /* a lost wake-up hangs here */
        rounds++;
    }
    stop = 1;
    for (int i = 0; i < NWAIT; i++) pthread_join(w[i], NULL);
    for (int i = 0; i < 2; i++) pthread_join(a[i], NULL);
    /* Every release handed out was taken, or is still pending in the event. */
    printf("%ld rounds, auto: %ld given, %ld taken\n", rounds, (long)auto_given, (long)auto_taken);
    CHECK_EQ(auto_given, auto_taken + fuss_event_is_set(&autoev));
    CHECK(rounds > 0);
    return test_done();
}
