/* rwlock PREFER_READER: a SCHED_FIFO reader waits for a waiting writer (POSIX, Thread Execution Scheduling); a SCHED_OTHER one does not. */
/* FUSS_TEST_NO_SANITIZER: real-time threads pinned to one CPU; a sanitizer's
 * background thread would be starved or starve them. */
/*
 * All threads run on one CPU so that priorities, not luck, decide who runs.
 * Every wait of the test's own sleeps (test_sleep_ms, await_waiters): a
 * real-time thread that spun for a lower-priority one on the same CPU would
 * hang the machine's CPU until the watchdog.  Without the right to use
 * SCHED_FIFO (EPERM), the test says so and passes.
 */
#include <sched.h>

#include "waiters.h"
#include "fuss/rwlock.h"

static fuss_rwlock_t rw;
static _Atomic int order;          /* who got the lock when: 1, 2, ... */
static _Atomic int w_at, b_at;     /* order at which W / B got it */
static _Atomic int b_try;          /* B's tryrdlock result */
static int policy, prio;           /* the scenario's scheduling */

static int set_sched(int pol, int pr)
{
    struct sched_param sp = {.sched_priority = pr};
    return pthread_setschedparam(pthread_self(), pol, &sp);
}

static void *writer(void *p)
{
    (void)p;
    REQUIRE(set_sched(policy, prio) == 0);
    REQUIRE(fuss_rwlock_wrlock(&rw) == 0);
    w_at = ++order;
    test_sleep_ms(20); /* let B look at a write-held lock too */
    REQUIRE(fuss_rwlock_wrunlock(&rw) == 0);
    return NULL;
}

static void *reader_b(void *p)
{
    (void)p;
    REQUIRE(set_sched(policy, prio) == 0);
    int r = fuss_rwlock_tryrdlock(&rw);
    b_try = r;
    if (r != 0) REQUIRE(fuss_rwlock_rdlock(&rw) == 0);
    b_at = ++order;
    REQUIRE(fuss_rwlock_rdunlock(&rw) == 0);
    return NULL;
}

/* Reader A (main) holds a read lock; writer W blocks; then reader B comes. */
static void scenario(int pol, const char *name)
{
    policy = pol;
    prio = pol == SCHED_OTHER ? 0 : sched_get_priority_min(pol) + 1;
    REQUIRE(set_sched(policy, prio) == 0);
    REQUIRE(fuss_rwlock_init(&rw, FUSS_RWLOCK_PREFER_READER) == 0);
    order = 0;
    w_at = b_at = 0;
    b_try = -1;
    CHECK_EQ(fuss_rwlock_rdlock(&rw), 0);                   /* A */
    pthread_t w, b;
    REQUIRE(pthread_create(&w, NULL, writer, NULL) == 0);
    await_waiters(&rw.wseq_, 1);                            /* W sleeps */
    REQUIRE(pthread_create(&b, NULL, reader_b, NULL) == 0);
    if (pol == SCHED_OTHER) {
        /* Reader preference, as glibc: B gets in past the waiting writer. */
        for (int i = 0; i < 5000 && b_at == 0; i++) test_sleep_ms(1);
        CHECK_EQ(b_try, 0);
        CHECK_EQ(b_at, 1);
        CHECK_EQ(w_at, 0);
    } else {
        /* B sleeps, or (wrongly) got in: either ends the wait. */
        for (int i = 0; i < 5000 && b_at == 0 && count_waiters(&rw.state_) == 0; i++)
            test_sleep_ms(1);
        CHECK_EQ(b_try, EBUSY);
        CHECK_EQ(b_at, 0);
    }
    CHECK_EQ(fuss_rwlock_rdunlock(&rw), 0);                 /* A leaves */
    pthread_join(w, NULL);
    pthread_join(b, NULL);
    if (pol != SCHED_OTHER) {
        /* B waited until W had had the lock. */
        CHECK_EQ(w_at, 1);
        CHECK_EQ(b_at, 2);
    }
    CHECK_EQ(fuss_rwlock_destroy(&rw), 0);
    REQUIRE(set_sched(SCHED_OTHER, 0) == 0);
    fprintf(stderr, "rwlock_rt_writer_pref: %s: try %d, W %d, B %d\n", name, b_try, w_at, b_at);
}

int main(void)
{
    test_watchdog(30, "rwlock_rt_writer_pref");
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
    REQUIRE(sched_setaffinity(0, sizeof one, &one) == 0); /* threads inherit it */
    int e = set_sched(SCHED_FIFO, sched_get_priority_min(SCHED_FIFO) + 1);
    if (e == EPERM) {
        fprintf(stderr, "rwlock_rt_writer_pref: SKIP, SCHED_FIFO not permitted\n");
        return 0;
    }
    REQUIRE(e == 0);
    REQUIRE(set_sched(SCHED_OTHER, 0) == 0);
    scenario(SCHED_OTHER, "SCHED_OTHER");
    scenario(SCHED_FIFO, "SCHED_FIFO");
    scenario(SCHED_RR, "SCHED_RR");
    return test_done();
}
