/* A writer SIGKILLed while it waits for a shared rwlock held by a reader
 * must not leave readers and writers blocked behind it: after the reader
 * unlocks, a new reader and a new writer get the lock.
 * FUSS_TEST_LINUX_ONLY */
#include "fuss/rwlock.h"
#include "process.h"

static fuss_rwlock_t *RW;

static int writer(void *arg)
{
    (void)arg;
    struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 20000);
    if (fuss_rwlock_timedwrlock(RW, CLOCK_MONOTONIC, &dl)) return 10;
    return fuss_rwlock_unlock(RW) ? 11 : 0;
}

static int reader(void *arg)
{
    (void)arg;
    struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 5000);
    int r = fuss_rwlock_timedrdlock(RW, CLOCK_MONOTONIC, &dl);
    if (r) {
        fprintf(stderr, "reader after a dead writer: %d\n", r);
        return 10;
    }
    return fuss_rwlock_unlock(RW) ? 11 : 0;
}

int main(void)
{
    test_watchdog(120, "dead_waiter_rwlock");
    RW = test_shared_map(sizeof *RW);
    for (int prefer_reader = 0; prefer_reader < 2; prefer_reader++) {
        REQUIRE(fuss_rwlock_init(RW, FUSS_SHARED | (prefer_reader ? FUSS_RWLOCK_PREFER_READER : 0)) == 0);
        REQUIRE(fuss_rwlock_rdlock(RW) == 0);
        pid_t w = test_fork(writer, NULL);
        test_await_futex_sleep(w);
        test_kill(w);
        CHECK_EQ(fuss_rwlock_unlock(RW), 0);
        CHECK(test_wait_ok(test_fork(reader, NULL)));
        CHECK(test_wait_ok(test_fork(writer, NULL)));
        CHECK_EQ(fuss_rwlock_trywrlock(RW), 0);
        CHECK_EQ(fuss_rwlock_unlock(RW), 0);
    }
    return test_done();
}
