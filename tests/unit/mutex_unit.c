/* Mutex: size, zero-init, error codes of every call, single-threaded. */
#include "harness.h"

int main(void)
{
    fuss_mutex_t m = FUSS_MUTEX_INIT, z;
    memset(&z, 0, sizeof z);
    CHECK_EQ(sizeof(fuss_mutex_t), 4);

    CHECK_EQ(fuss_mutex_lock(&z), 0);          /* all-zero memory is a mutex */
    CHECK_EQ(fuss_mutex_trylock(&z), EBUSY);
    CHECK_EQ(fuss_mutex_destroy(&z), EBUSY);
    CHECK_EQ(fuss_mutex_unlock(&z), 0);
    CHECK_EQ(fuss_mutex_unlock(&z), EPERM);     /* not locked */
    CHECK_EQ(fuss_mutex_destroy(&z), 0);

    CHECK_EQ(fuss_mutex_init(&m, 0x40), EINVAL);
    CHECK_EQ(fuss_mutex_init(&m, FUSS_PRIVATE), 0);
    CHECK_EQ(fuss_mutex_trylock(&m), 0);
    CHECK_EQ(fuss_mutex_trylock(&m), EBUSY);

    struct timespec bad = { 0, 1000000000L }, neg = { -1, 0 }, past = { 0, 0 };
    /* Malformed deadlines are EINVAL even when the lock is held... */
    CHECK_EQ(fuss_mutex_timedlock(&m, CLOCK_MONOTONIC, &bad), EINVAL);
    CHECK_EQ(fuss_mutex_timedlock(&m, CLOCK_REALTIME, &neg), EINVAL);
    CHECK_EQ(fuss_mutex_timedlock(&m, CLOCK_PROCESS_CPUTIME_ID, &past), EINVAL);
    CHECK_EQ(fuss_mutex_timedlock(&m, CLOCK_MONOTONIC, &past), ETIMEDOUT);
    CHECK_EQ(fuss_mutex_timedlock(&m, CLOCK_REALTIME, &past), ETIMEDOUT);
    CHECK_EQ(fuss_mutex_unlock(&m), 0);
    /* ...and when it is free. */
    CHECK_EQ(fuss_mutex_timedlock(&m, CLOCK_MONOTONIC, &bad), EINVAL);
    CHECK_EQ(fuss_mutex_trylock(&m), 0);
    CHECK_EQ(fuss_mutex_unlock(&m), 0);
    CHECK_EQ(fuss_mutex_timedlock(&m, CLOCK_MONOTONIC, &past), 0); /* free: no wait */
    CHECK_EQ(fuss_mutex_unlock(&m), 0);

    int r = fuss_mutex_init(&m, FUSS_SHARED);
    if (test_is_emulated()) {
        CHECK_EQ(r, ENOTSUP);
    } else {
        CHECK_EQ(r, 0);
        CHECK_EQ(fuss_mutex_lock(&m), 0);
        CHECK_EQ(fuss_mutex_trylock(&m), EBUSY);
        CHECK_EQ(fuss_mutex_unlock(&m), 0);
        CHECK_EQ(fuss_mutex_trylock(&m), 0);
        CHECK_EQ(fuss_mutex_timedlock(&m, CLOCK_MONOTONIC, &past), ETIMEDOUT);
        CHECK_EQ(fuss_mutex_unlock(&m), 0);
        CHECK_EQ(fuss_mutex_unlock(&m), EPERM);
    }
    return test_done();
}
