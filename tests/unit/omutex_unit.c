/* Owned mutex: size, zero-init, error codes of every call, recursion counts,
 * single-threaded, every flag combination the backend allows. */
#include "harness.h"
#include "fuss/omutex.h"

static void errorcheck(unsigned flags)
{
    fuss_omutex_t m;
    REQUIRE(fuss_omutex_init(&m, flags) == 0);
    pid_t me = (pid_t)gettid();
    CHECK_EQ(fuss_omutex_owner(&m), 0);
    CHECK_EQ(fuss_omutex_unlock(&m), EPERM);         /* not locked */
    CHECK_EQ(fuss_omutex_consistent(&m), EINVAL);
    CHECK_EQ(fuss_omutex_lock(&m), 0);
    CHECK_EQ(fuss_omutex_owner(&m), me);
    CHECK_EQ(fuss_omutex_lock(&m), EDEADLK);         /* relock by the owner */
    CHECK_EQ(fuss_omutex_trylock(&m), EBUSY);
    struct timespec past = { 0, 0 };
    CHECK_EQ(fuss_omutex_timedlock(&m, CLOCK_MONOTONIC, &past), EDEADLK);
    CHECK_EQ(fuss_omutex_destroy(&m), EBUSY);
    CHECK_EQ(fuss_omutex_consistent(&m), EINVAL);    /* held but consistent */
    CHECK_EQ(fuss_omutex_unlock(&m), 0);
    CHECK_EQ(fuss_omutex_unlock(&m), EPERM);
    CHECK_EQ(fuss_omutex_owner(&m), 0);
    CHECK_EQ(fuss_omutex_trylock(&m), 0);
    CHECK_EQ(fuss_omutex_unlock(&m), 0);
    CHECK_EQ(fuss_omutex_timedlock(&m, CLOCK_REALTIME, &past), 0); /* free: no wait */
    CHECK_EQ(fuss_omutex_unlock(&m), 0);
    CHECK_EQ(fuss_omutex_destroy(&m), 0);
}

static void recursive(unsigned flags)
{
    fuss_omutex_t m;
    REQUIRE(fuss_omutex_init(&m, flags | FUSS_OMUTEX_RECURSIVE) == 0);
    enum { DEPTH = 1000 };
    for (int i = 0; i < DEPTH; i++) {
        int r = (i % 3 == 0) ? fuss_omutex_lock(&m) : (i % 3 == 1) ? fuss_omutex_trylock(&m)
              : fuss_omutex_timedlock(&m, CLOCK_MONOTONIC, &(struct timespec){ 0, 0 });
        CHECK_EQ(r, 0);
    }
    int unlocked = 0;
    while (fuss_omutex_unlock(&m) == 0) unlocked++;   /* exactly DEPTH unlocks succeed */
    CHECK_EQ(unlocked, DEPTH);
    CHECK_EQ(fuss_omutex_owner(&m), 0);
    CHECK_EQ(fuss_omutex_destroy(&m), 0);
}

static void deadlines(unsigned flags)
{
    fuss_omutex_t m;
    REQUIRE(fuss_omutex_init(&m, flags) == 0);
    struct timespec bad = { 0, 1000000000L }, neg = { -1, 0 }, past = { 0, 0 };
    /* Malformed deadlines are EINVAL whether the lock is free or held. */
    CHECK_EQ(fuss_omutex_timedlock(&m, CLOCK_MONOTONIC, &bad), EINVAL);
    CHECK_EQ(fuss_omutex_timedlock(&m, CLOCK_REALTIME, &neg), EINVAL);
    CHECK_EQ(fuss_omutex_timedlock(&m, CLOCK_PROCESS_CPUTIME_ID, &past), EINVAL);
    CHECK_EQ(fuss_omutex_owner(&m), 0);
    CHECK_EQ(fuss_omutex_lock(&m), 0);
    CHECK_EQ(fuss_omutex_timedlock(&m, CLOCK_MONOTONIC, &bad), EINVAL);
    CHECK_EQ(fuss_omutex_unlock(&m), 0);
}

int main(void)
{
    fuss_omutex_t z, i = FUSS_OMUTEX_INIT;
    memset(&z, 0, sizeof z);
#if defined(__LP64__)
    CHECK_EQ(sizeof(fuss_omutex_t), 40);
#endif
    CHECK_EQ(memcmp(&z, &i, sizeof z), 0);
    /* All-zero memory is an error-checking mutex. */
    CHECK_EQ(fuss_omutex_lock(&z), 0);
    CHECK_EQ(fuss_omutex_lock(&z), EDEADLK);
    CHECK_EQ(fuss_omutex_unlock(&z), 0);
    CHECK_EQ(fuss_omutex_unlock(&z), EPERM);

    CHECK_EQ(fuss_omutex_init(&i, 0x10), EINVAL);
    CHECK_EQ(fuss_omutex_init(&i, 0x80000000u), EINVAL);

    unsigned all[] = { 0, FUSS_SHARED, FUSS_OMUTEX_ROBUST, FUSS_OMUTEX_PI,
                       FUSS_SHARED | FUSS_OMUTEX_ROBUST, FUSS_OMUTEX_ROBUST | FUSS_OMUTEX_PI,
                       FUSS_SHARED | FUSS_OMUTEX_ROBUST | FUSS_OMUTEX_PI };
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) {
        int r = fuss_omutex_init(&i, all[k]);
        if (test_is_emulated() && all[k] != 0) {
            CHECK_EQ(r, ENOTSUP);   /* shared, robust and PI need the kernel */
            continue;
        }
        CHECK_EQ(r, 0);
        errorcheck(all[k]);
        recursive(all[k]);
        deadlines(all[k]);
    }
    return test_done();
}
