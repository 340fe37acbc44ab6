/* rwlock: sizes, zero-init, every single-thread transition and misuse error. */
#include "harness.h"
#include "fuss/rwlock.h"

static void check_shared_init(void)
{
    fuss_rwlock_t rw;
    int r = fuss_rwlock_init(&rw, FUSS_SHARED);
    CHECK_EQ(r, test_is_emulated() ? ENOTSUP : 0);
    if (r == 0) {
        CHECK_EQ(fuss_rwlock_wrlock(&rw), 0);
        CHECK_EQ(fuss_rwlock_wrunlock(&rw), 0);
    }
}

static void check_mode(unsigned flags)
{
    fuss_rwlock_t rw;
    CHECK_EQ(fuss_rwlock_init(&rw, flags), 0);
    CHECK_EQ(fuss_rwlock_rdlock(&rw), 0);
    CHECK_EQ(fuss_rwlock_tryrdlock(&rw), 0);
    CHECK_EQ(fuss_rwlock_rdlock(&rw), 0);         /* fast path's guess of 0 misses */
    CHECK_EQ(fuss_rwlock_rdunlock(&rw), 0);       /* and its guess of 1 does too */
    CHECK_EQ(fuss_rwlock_trywrlock(&rw), EBUSY);
    CHECK_EQ(fuss_rwlock_destroy(&rw), EBUSY);
    CHECK_EQ(fuss_rwlock_wrunlock(&rw), EPERM);   /* read-locked, not write-locked */
    CHECK_EQ(fuss_rwlock_rdunlock(&rw), 0);
    CHECK_EQ(fuss_rwlock_unlock(&rw), 0);         /* the second read lock */
    CHECK_EQ(fuss_rwlock_rdunlock(&rw), EPERM);   /* unlocked */
    CHECK_EQ(fuss_rwlock_unlock(&rw), EPERM);
    CHECK_EQ(fuss_rwlock_wrunlock(&rw), EPERM);

    CHECK_EQ(fuss_rwlock_wrlock(&rw), 0);
    CHECK_EQ(fuss_rwlock_tryrdlock(&rw), EBUSY);
    CHECK_EQ(fuss_rwlock_trywrlock(&rw), EBUSY);
    CHECK_EQ(fuss_rwlock_rdunlock(&rw), EPERM);   /* write-locked: must not change it */
    CHECK_EQ(fuss_rwlock_trywrlock(&rw), EBUSY);  /* still write-locked */
    CHECK_EQ(fuss_rwlock_destroy(&rw), EBUSY);
    CHECK_EQ(fuss_rwlock_unlock(&rw), 0);
    CHECK_EQ(fuss_rwlock_wrunlock(&rw), EPERM);
    CHECK_EQ(fuss_rwlock_trywrlock(&rw), 0);
    CHECK_EQ(fuss_rwlock_wrunlock(&rw), 0);
    CHECK_EQ(fuss_rwlock_destroy(&rw), 0);

    /* Past deadlines behave as tries. */
    struct timespec past = { 0, 0 };
    CHECK_EQ(fuss_rwlock_timedrdlock(&rw, CLOCK_MONOTONIC, &past), 0);
    CHECK_EQ(fuss_rwlock_timedwrlock(&rw, CLOCK_MONOTONIC, &past), ETIMEDOUT);
    CHECK_EQ(fuss_rwlock_rdunlock(&rw), 0);
    CHECK_EQ(fuss_rwlock_timedwrlock(&rw, CLOCK_REALTIME, &past), 0);
    CHECK_EQ(fuss_rwlock_timedrdlock(&rw, CLOCK_REALTIME, &past), ETIMEDOUT);
    CHECK_EQ(fuss_rwlock_wrunlock(&rw), 0);
}

static void check_reader_limit(void)
{
    /* Fill the reader count through the public state layout's documented limit. */
    fuss_rwlock_t rw = FUSS_RWLOCK_INIT;
    rw.state_ = 0x3ffffffeu - 1; /* one below the maximum number of readers */
    CHECK_EQ(fuss_rwlock_tryrdlock(&rw), 0);
    CHECK_EQ(fuss_rwlock_tryrdlock(&rw), EAGAIN);
    CHECK_EQ(fuss_rwlock_rdlock(&rw), EAGAIN);
    CHECK_EQ(fuss_rwlock_rdunlock(&rw), 0);
    CHECK_EQ(fuss_rwlock_rdlock(&rw), 0);
}

int main(void)
{
    test_watchdog(30, "rwlock_states");
    CHECK(sizeof(fuss_rwlock_t) <= 8);

    fuss_rwlock_t zero;
    memset(&zero, 0, sizeof zero);
    CHECK_EQ(fuss_rwlock_wrlock(&zero), 0);
    CHECK_EQ(fuss_rwlock_wrunlock(&zero), 0);
    CHECK_EQ(fuss_rwlock_rdlock(&zero), 0);
    CHECK_EQ(fuss_rwlock_rdunlock(&zero), 0);
    fuss_rwlock_t init = FUSS_RWLOCK_INIT;
    CHECK(memcmp(&init, &zero, sizeof zero) == 0);

    CHECK_EQ(fuss_rwlock_init(&init, 0x100), EINVAL);
    check_mode(FUSS_PRIVATE);
    check_mode(FUSS_RWLOCK_PREFER_READER);
    check_shared_init();
    check_reader_limit();
    return test_done();
}
