/* rwlock preference: a waiting writer blocks new readers (default), but not under PREFER_READER. */
#include "waiters.h"
#include "fuss/rwlock.h"

static fuss_rwlock_t rw;
static _Atomic int writer_done;

static void *writer(void *p)
{
    (void)p;
    REQUIRE(fuss_rwlock_wrlock(&rw) == 0);
    writer_done = 1;
    REQUIRE(fuss_rwlock_wrunlock(&rw) == 0);
    return NULL;
}

static void scenario(unsigned flags)
{
    REQUIRE(fuss_rwlock_init(&rw, flags) == 0);
    writer_done = 0;
    CHECK_EQ(fuss_rwlock_rdlock(&rw), 0);
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, writer, NULL) == 0);
    await_waiters(&rw.wseq_, 1);               /* the writer sleeps */
    int r = fuss_rwlock_tryrdlock(&rw);
    struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 20);
    int rt = fuss_rwlock_timedrdlock(&rw, CLOCK_MONOTONIC, &dl);
    if (flags & FUSS_RWLOCK_PREFER_READER) {
        CHECK_EQ(r, 0);
        CHECK_EQ(rt, 0);
        CHECK_EQ(fuss_rwlock_rdunlock(&rw), 0);
        CHECK_EQ(fuss_rwlock_rdunlock(&rw), 0);
    } else {
        CHECK_EQ(r, EBUSY);
        CHECK_EQ(rt, ETIMEDOUT);
    }
    CHECK_EQ(writer_done, 0);
    CHECK_EQ(fuss_rwlock_rdunlock(&rw), 0);   /* last reader: the writer goes */
    pthread_join(t, NULL);
    CHECK_EQ(writer_done, 1);
    CHECK_EQ(fuss_rwlock_destroy(&rw), 0);
}

int main(void)
{
    test_watchdog(30, "rwlock_writer_pref");
    scenario(FUSS_PRIVATE);
    scenario(FUSS_RWLOCK_PREFER_READER);
    return test_done();
}
