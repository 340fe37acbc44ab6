/* rwlock timed locks: ETIMEDOUT at the deadline on both clocks, EINVAL for malformed deadlines. */
#include "harness.h"
#include "fuss/rwlock.h"

static fuss_rwlock_t rw;

static void *hold_read(void *p) { (void)p; REQUIRE(fuss_rwlock_rdlock(&rw) == 0); return NULL; }

int main(void)
{
    test_watchdog(30, "rwlock_timed");
    clockid_t clocks[2] = { CLOCK_MONOTONIC, CLOCK_REALTIME };
    struct timespec bad[3] = { { 0, 1000000000L }, { -1, 0 }, { 0, -1 } };
    for (int i = 0; i < 3; i++) {  /* checked before the (free) lock is taken */
        CHECK_EQ(fuss_rwlock_timedrdlock(&rw, CLOCK_MONOTONIC, &bad[i]), EINVAL);
        CHECK_EQ(fuss_rwlock_timedwrlock(&rw, CLOCK_REALTIME, &bad[i]), EINVAL);
    }
    struct timespec ok = test_deadline_in(CLOCK_MONOTONIC, 10);
    CHECK_EQ(fuss_rwlock_timedwrlock(&rw, CLOCK_PROCESS_CPUTIME_ID, &ok), EINVAL);
    CHECK_EQ(fuss_rwlock_trywrlock(&rw), 0);  /* nothing was taken by the EINVAL calls */
    CHECK_EQ(fuss_rwlock_wrunlock(&rw), 0);

    for (int c = 0; c < 2; c++) {
        /* Write-held by this thread: a reader and a writer elsewhere time out. */
        CHECK_EQ(fuss_rwlock_wrlock(&rw), 0);
        struct timespec dl = test_deadline_in(clocks[c], 50);
        CHECK_EQ(fuss_rwlock_timedrdlock(&rw, clocks[c], &dl), ETIMEDOUT);
        struct timespec now;
        clock_gettime(clocks[c], &now);
        CHECK(now.tv_sec > dl.tv_sec || (now.tv_sec == dl.tv_sec && now.tv_nsec >= dl.tv_nsec));
        dl = test_deadline_in(clocks[c], 50);
        CHECK_EQ(fuss_rwlock_timedwrlock(&rw, clocks[c], &dl), ETIMEDOUT);
        CHECK_EQ(fuss_rwlock_wrunlock(&rw), 0);

        /* Read-held by another thread: a timed writer gives up, and then
         * readers are not held back by the writer that left. */
        pthread_t t;
        REQUIRE(pthread_create(&t, NULL, hold_read, NULL) == 0);
        pthread_join(t, NULL);
        dl = test_deadline_in(clocks[c], 50);
        CHECK_EQ(fuss_rwlock_timedwrlock(&rw, clocks[c], &dl), ETIMEDOUT);
        CHECK_EQ(fuss_rwlock_rdunlock(&rw), 0);   /* the other thread's read lock */
        CHECK_EQ(fuss_rwlock_tryrdlock(&rw), 0);
        CHECK_EQ(fuss_rwlock_rdunlock(&rw), 0);
        CHECK_EQ(fuss_rwlock_destroy(&rw), 0);
    }
    return test_done();
}
