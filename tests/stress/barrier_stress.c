/* barrier stress: rounds never mix and each round has exactly one serial thread. */
#include "harness.h"
#include "fuss/barrier.h"

#define NTHREADS 4
#define MAXROUNDS 4000000
static fuss_barrier_t bar;
static _Atomic long arrivals;
static _Atomic unsigned char serials[MAXROUNDS];
static unsigned char cont[MAXROUNDS / 2]; /* written by a serial thread, read after the next round */
static _Atomic int violations;
static _Atomic int stop;
static long rounds;
static uint64_t seed;

static void *worker(void *p)
{
    uint64_t rng = seed ^ ((uintptr_t)p * 0x9e3779b97f4a7c15ull) ^ 1;
    for (long m = 0;; m++) {
        arrivals++;
        if (test_rand(&rng) % 16 == 0) sched_yield();
        int w = fuss_barrier_wait(&bar);
        REQUIRE(w == 0 || w == FUSS_BARRIER_SERIAL_THREAD);
        long a = arrivals;
        /* Every thread of round m has arrived; none can have passed round m+1. */
        if (a < (m + 1) * NTHREADS || a > (m + 2) * NTHREADS - 1) violations++;
        if (w == FUSS_BARRIER_SERIAL_THREAD) {
            serials[m]++;
            if (m % 2 == 0) cont[m / 2] = !stop && m + 2 < MAXROUNDS;
        }
        if (m % 2 == 1 && !cont[m / 2]) {
            if (p == NULL) rounds = m + 1;
            break;
        }
    }
    return NULL;
}

int main(void)
{
    seed = test_seed();
    double secs = test_seconds(1.0);
    test_watchdog((unsigned)secs + 30, "barrier_stress");
    REQUIRE(fuss_barrier_init(&bar, NTHREADS, FUSS_PRIVATE) == 0);
    pthread_t t[NTHREADS];
    for (long i = 0; i < NTHREADS; i++) REQUIRE(pthread_create(&t[i], NULL, worker, (void *)i) == 0);
    test_sleep_ms((long)(secs * 1000));
    stop = 1;
    for (int i = 0; i < NTHREADS; i++) pthread_join(t[i], NULL);
    long bad = 0;
    for (long m = 0; m < rounds; m++) bad += serials[m] != 1;
    printf("%ld rounds\n", rounds);
    CHECK(rounds >= 2);
    CHECK_EQ(bad, 0);
    CHECK_EQ(violations, 0);
    CHECK_EQ(fuss_barrier_destroy(&bar), 0);
    return test_done();
}
