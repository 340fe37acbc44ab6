/* Owned mutex stress: 4 and 16 threads (oversubscribed) increment a counter
 * under the lock with random lock kinds (lock / trylock / timedlock on
 * either clock, and nested relocks for the recursive kind); the counter
 * must equal the number of successful outermost acquisitions, no two
 * threads may be inside at once, and each call returns a documented value.
 * Every kind the backend allows (robust and PI on linux only). */
#include "harness.h"
#include "fuss/omutex.h"

#define MAX_THREADS 16

static fuss_omutex_t m;
static unsigned kind;
static long counter;
static int inside;
static int stop;
static int overlap;

struct worker { uint64_t rng; long acquired; };

static int lock_some_way(struct worker *w)
{
    int how = (int)(test_rand(&w->rng) % 8);
    if (how == 0) return fuss_omutex_trylock(&m);
    if (how == 1 || how == 2) {
        clockid_t c = how == 1 ? CLOCK_MONOTONIC : CLOCK_REALTIME;
        struct timespec dl = test_deadline_in(c, (long)(test_rand(&w->rng) % 3));
        return fuss_omutex_timedlock(&m, c, &dl);
    }
    return fuss_omutex_lock(&m);
}

static void *worker_main(void *p)
{
    struct worker *w = p;
    while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
        int r = lock_some_way(w);
        if (r) { REQUIRE(r == EBUSY || r == ETIMEDOUT); continue; }
        if (__atomic_fetch_add(&inside, 1, __ATOMIC_RELAXED) != 0)
            __atomic_store_n(&overlap, 1, __ATOMIC_RELAXED);
        counter++;
        w->acquired++;
        int nested = 0;
        if (kind & FUSS_OMUTEX_RECURSIVE) {
            nested = (int)(test_rand(&w->rng) % 3);
            for (int i = 0; i < nested; i++) REQUIRE(lock_some_way(w) == 0);
        } else {
            REQUIRE(fuss_omutex_trylock(&m) == EBUSY);
        }
        __atomic_fetch_sub(&inside, 1, __ATOMIC_RELAXED);
        for (int i = 0; i < nested; i++) REQUIRE(fuss_omutex_unlock(&m) == 0);
        REQUIRE(fuss_omutex_unlock(&m) == 0);
    }
    return NULL;
}

int main(void)
{
    unsigned long seed = test_seed();
    double secs = test_seconds(1.0);
    test_watchdog((unsigned)(secs * 12 + 60), "omutex_stress");
    unsigned kinds[] = { 0, FUSS_OMUTEX_RECURSIVE, FUSS_OMUTEX_ROBUST, FUSS_OMUTEX_PI,
                         FUSS_OMUTEX_ROBUST | FUSS_OMUTEX_PI | FUSS_OMUTEX_RECURSIVE | FUSS_SHARED };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        kind = kinds[k];
        if (test_is_emulated() && (kind & ~FUSS_OMUTEX_RECURSIVE)) continue;
        REQUIRE(fuss_omutex_init(&m, kind) == 0);
        int counts[] = { 4, MAX_THREADS };
        for (int c = 0; c < 2; c++) {
            int n = counts[c];
            struct worker w[MAX_THREADS];
            counter = 0;
            __atomic_store_n(&stop, 0, __ATOMIC_RELAXED);
            for (int i = 0; i < n; i++) { w[i].rng = seed * 31 + (uint64_t)i + 1; w[i].acquired = 0; }
            pthread_t t[MAX_THREADS];
            for (int i = 0; i < n; i++) REQUIRE(pthread_create(&t[i], NULL, worker_main, &w[i]) == 0);
            test_sleep_ms((long)(secs * 1000 / 10));
            __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
            long total = 0;
            for (int i = 0; i < n; i++) { pthread_join(t[i], NULL); total += w[i].acquired; }
            printf("kind %#x, %d threads: %ld acquisitions\n", kind, n, total);
            CHECK_EQ(counter, total);
            CHECK(total > 0);
            CHECK_EQ(__atomic_load_n(&overlap, __ATOMIC_RELAXED), 0);
            CHECK_EQ(fuss_omutex_owner(&m), 0);
        }
        CHECK_EQ(fuss_omutex_destroy(&m), 0);
    }
    return test_done();
}
