/* rwlock stress: readers never overlap a writer, writers are exclusive, both preferences. */
#include "harness.h"
#include "fuss/rwlock.h"

#define NTHREADS 4
static fuss_rwlock_t rw;
static _Atomic int readers_in, writers_in, violations;
static _Atomic int stop;
static uint64_t seed;
static long shared_a, shared_b; /* written by writers only, equal outside writes */
static _Atomic long rd_ops, wr_ops;

static void *worker(void *p)
{
    uint64_t rng = seed ^ ((uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ull) ^ 1;
    while (!stop) {
        unsigned op = (unsigned)(test_rand(&rng) % 8);
        struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 1);
        if (op < 2) {                                  /* writer */
            int r = op == 0 ? fuss_rwlock_wrlock(&rw)
                            : fuss_rwlock_timedwrlock(&rw, CLOCK_MONOTONIC, &dl);
            if (r == ETIMEDOUT) continue;
            REQUIRE(r == 0);
            if (writers_in++ != 0 || readers_in != 0) violations++;
            shared_a++;
            shared_b++;
            writers_in--;
            wr_ops++;
            REQUIRE(fuss_rwlock_wrunlock(&rw) == 0);
        } else {                                       /* reader */
            int r = op < 6 ? fuss_rwlock_rdlock(&rw)
                  : op == 6 ? fuss_rwlock_timedrdlock(&rw, CLOCK_MONOTONIC, &dl)
                            : fuss_rwlock_tryrdlock(&rw);
            if (r == ETIMEDOUT || r == EBUSY) continue;
            REQUIRE(r == 0);
            readers_in++;
            if (writers_in != 0) violations++;
            if (__atomic_load_n(&shared_a, __ATOMIC_RELAXED) !=
                __atomic_load_n(&shared_b, __ATOMIC_RELAXED)) violations++;
            readers_in--;
            rd_ops++;
            REQUIRE(fuss_rwlock_unlock(&rw) == 0);
        }
    }
    return NULL;
}

static void run(unsigned flags, double secs)
{
    REQUIRE(fuss_rwlock_init(&rw, flags) == 0);
    stop = 0;
    pthread_t t[NTHREADS];
    for (long i = 0; i < NTHREADS; i++) REQUIRE(pthread_create(&t[i], NULL, worker, (void *)i) == 0);
    test_sleep_ms((long)(secs * 1000));
    stop = 1;
    for (int i = 0; i < NTHREADS; i++) pthread_join(t[i], NULL);
    CHECK_EQ(violations, 0);
    CHECK_EQ(shared_a, shared_b);
    CHECK(wr_ops > 0 && rd_ops > 0);
    CHECK_EQ(fuss_rwlock_destroy(&rw), 0);
    CHECK_EQ(fuss_rwlock_trywrlock(&rw), 0);     /* quiescent: free */
    printf("flags %u: %ld reads, %ld writes\n", flags, (long)rd_ops, (long)wr_ops);
}

int main(void)
{
    seed = test_seed();
    double secs = test_seconds(1.0);
    test_watchdog((unsigned)(secs * 2) + 30, "rwlock_stress");
    run(FUSS_PRIVATE, secs / 2);
    run(FUSS_RWLOCK_PREFER_READER, secs / 2);
    return test_done();
}
