/* Mutex stress: N threads (2..16, oversubscribed) increment a counter under
 * the lock with random lock kinds (lock / trylock / timedlock); the counter
 * must equal the number of successful acquisitions, no two threads may be
 * inside at once, and every thread must make progress (no starvation). */
#include "harness.h"

#define MAX_THREADS 16

static fuss_mutex_t m;
static long counter;
static int inside; /* __atomic builtins throughout */
static int stop;
static int overlap;

struct worker { uint64_t rng; long acquired; };

static void *worker_main(void *p)
{
    struct worker *w = p;
    while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
        int kind = (int)(test_rand(&w->rng) % 8), r;
        if (kind == 0) r = fuss_mutex_trylock(&m);
        else if (kind == 1) {
            struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, (long)(test_rand(&w->rng) % 3));
            r = fuss_mutex_timedlock(&m, CLOCK_MONOTONIC, &dl);
        } else r = fuss_mutex_lock(&m);
        if (r) { REQUIRE(r == EBUSY || r == ETIMEDOUT); continue; }
        if (__atomic_fetch_add(&inside, 1, __ATOMIC_RELAXED) != 0) __atomic_store_n(&overlap, 1, __ATOMIC_RELAXED);
        counter++;
        w->acquired++;
        __atomic_fetch_sub(&inside, 1, __ATOMIC_RELAXED);
        REQUIRE(fuss_mutex_unlock(&m) == 0);
    }
    return NULL;
}

int main(void)
{
    unsigned long seed = test_seed();
    double secs = test_seconds(1.0);
    test_watchdog((unsigned)(secs * 4 + 30), "mutex_stress");
    int counts[] = { 2, 4, MAX_THREADS };
    for (int c = 0; c < 3; c++) {
        int n = counts[c];
        struct worker w[MAX_THREADS];
        counter = 0;
        __atomic_store_n(&stop, 0, __ATOMIC_RELAXED);
        for (int i = 0; i < n; i++) { w[i].rng = seed * 31 + (uint64_t)i + 1; w[i].acquired = 0; }
        pthread_t t[MAX_THREADS];
        for (int i = 0; i < n; i++) pthread_create(&t[i], NULL, worker_main, &w[i]);
        test_sleep_ms((long)(secs * 1000 / 3));
        __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
        long total = 0, min = -1;
        for (int i = 0; i < n; i++) {
            pthread_join(t[i], NULL);
            total += w[i].acquired;
            if (min < 0 || w[i].acquired < min) min = w[i].acquired;
        }
        printf("%d threads: %ld acquisitions, fewest per thread %ld\n", n, total, min);
        CHECK_EQ(counter, total);
        CHECK(min > 0); /* nobody starved */
    }
    CHECK_EQ(overlap, 0);
    CHECK_EQ(fuss_mutex_destroy(&m), 0);
    return test_done();
}
