/* Issue 10 (found by glibc's tst-rwlock15 under the drop-in): a writer whose
 * timed lock gives up while readers hold a writer-preferring rwlock left its
 * WR_WAIT bit behind, so new readers were refused (and blocked) although no
 * writer waited any more.  After the timeout a new reader must get in. */
#include "harness.h"

static fuss_rwlock_t rw = FUSS_RWLOCK_INIT;

static void *timed_writer(void *arg)
{
    (void)arg;
    struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 20);
    CHECK_EQ(fuss_rwlock_timedwrlock(&rw, CLOCK_MONOTONIC, &dl), ETIMEDOUT);
    return NULL;
}

static void *late_reader(void *arg)
{
    (void)arg;
    CHECK_EQ(fuss_rwlock_tryrdlock(&rw), 0);
    struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 2000);
    int r = fuss_rwlock_timedrdlock(&rw, CLOCK_MONOTONIC, &dl);
    CHECK_EQ(r, 0);
    if (r == 0) fuss_rwlock_unlock(&rw);
    fuss_rwlock_unlock(&rw);
    return NULL;
}

int main(void)
{
    test_watchdog(30, "issue_10_rwlock_timed_writer");
    REQUIRE(fuss_rwlock_rdlock(&rw) == 0);
    pthread_t t;
    pthread_create(&t, NULL, timed_writer, NULL);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, late_reader, NULL);
    pthread_join(t, NULL);
    CHECK_EQ(fuss_rwlock_unlock(&rw), 0);
    CHECK_EQ(fuss_rwlock_trywrlock(&rw), 0);
    CHECK_EQ(fuss_rwlock_unlock(&rw), 0);
    return test_done();
}
