/* Owned mutex held by another thread: timedlock gives ETIMEDOUT on both
 * clocks, trylock EBUSY, unlock by a non-owner EPERM; then a blocked locker
 * gets it when the owner unlocks.  Every kind the backend allows. */
#include "harness.h"
#include "fuss/omutex.h"

static fuss_omutex_t m;
static int phase;
static int holder_lock, holder_unlock; /* checked by main after the join */

static void *holder(void *arg)
{
    (void)arg;
    holder_lock = fuss_omutex_lock(&m);
    __atomic_store_n(&phase, 1, __ATOMIC_RELEASE);
    while (__atomic_load_n(&phase, __ATOMIC_ACQUIRE) != 2) test_sleep_ms(1);
    test_sleep_ms(20);     /* let the main thread block in lock() */
    holder_unlock = fuss_omutex_unlock(&m);
    return NULL;
}

static void run(unsigned flags)
{
    REQUIRE(fuss_omutex_init(&m, flags) == 0);
    phase = 0;
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, holder, NULL) == 0);
    while (__atomic_load_n(&phase, __ATOMIC_ACQUIRE) != 1) test_sleep_ms(1);

    CHECK_EQ(fuss_omutex_trylock(&m), EBUSY);
    CHECK_EQ(fuss_omutex_unlock(&m), EPERM);           /* not the owner */
    CHECK_EQ(fuss_omutex_destroy(&m), EBUSY);
    for (int c = 0; c < 2; c++) {
        clockid_t clock = c ? CLOCK_REALTIME : CLOCK_MONOTONIC;
        struct timespec dl = test_deadline_in(clock, 30), now;
        CHECK_EQ(fuss_omutex_timedlock(&m, clock, &dl), ETIMEDOUT);
        clock_gettime(clock, &now);
        CHECK(now.tv_sec > dl.tv_sec || (now.tv_sec == dl.tv_sec && now.tv_nsec >= dl.tv_nsec));
        struct timespec past = { 0, 0 };
        CHECK_EQ(fuss_omutex_timedlock(&m, clock, &past), ETIMEDOUT);
    }
    __atomic_store_n(&phase, 2, __ATOMIC_RELEASE);
    struct timespec far = test_deadline_in(CLOCK_MONOTONIC, 20000);
    CHECK_EQ(fuss_omutex_timedlock(&m, CLOCK_MONOTONIC, &far), 0);   /* blocks, then owns */
    CHECK_EQ(fuss_omutex_owner(&m), (pid_t)gettid());
    CHECK_EQ(fuss_omutex_unlock(&m), 0);
    pthread_join(t, NULL);
    CHECK_EQ(holder_lock, 0);
    CHECK_EQ(holder_unlock, 0);
    CHECK_EQ(fuss_omutex_destroy(&m), 0);
}

int main(void)
{
    test_watchdog(60, "omutex_timedlock");
    unsigned kinds[] = { 0, FUSS_OMUTEX_RECURSIVE, FUSS_SHARED, FUSS_OMUTEX_ROBUST, FUSS_OMUTEX_PI,
                         FUSS_OMUTEX_ROBUST | FUSS_OMUTEX_PI | FUSS_SHARED };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        if (test_is_emulated() && (kinds[k] & ~FUSS_OMUTEX_RECURSIVE)) continue;
        run(kinds[k]);
    }
    return test_done();
}
