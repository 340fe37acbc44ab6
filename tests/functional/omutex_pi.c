/* Priority-inheritance owned mutex: while a SCHED_FIFO thread blocks on it,
 * the (SCHED_OTHER) owner runs at the waiter's priority, as the kernel
 * reports it (/proc/self/task/<tid>/stat field 18, "prio": -1 - rt_priority
 * for a real-time priority), and drops back when it unlocks; the waiter then
 * owns it.  Timed PI locks time out on both clocks.  Skips the boost check,
 * saying why, where SCHED_FIFO is not permitted.  FUSS_TEST_LINUX_ONLY */
#include <sched.h>

#include "harness.h"
#include "fuss/omutex.h"

#define WAITER_RT_PRIO 10

static fuss_omutex_t m;

static long kernel_prio(pid_t tid)
{
    char buf[1024];
    test_read_task(tid, "stat", buf, sizeof buf);
    char *p = strrchr(buf, ')');   /* the command name may contain anything */
    REQUIRE(p != NULL);
    char *save = NULL, *tok = strtok_r(p + 1, " ", &save);   /* field 3, "state" */
    for (int field = 3; field < 18 && tok; field++) tok = strtok_r(NULL, " ", &save);
    REQUIRE(tok != NULL);
    return strtol(tok, NULL, 10);
}

struct waiter { int result, unlock_result; pid_t tid; };

static void *waiter_main(void *arg)
{
    struct waiter *w = (struct waiter *)arg;
    __atomic_store_n(&w->tid, (pid_t)gettid(), __ATOMIC_RELEASE);
    w->result = fuss_omutex_lock(&m);
    w->unlock_result = w->result == 0 ? fuss_omutex_unlock(&m) : 0;
    return NULL;
}

static void *timed_locker(void *arg)
{
    (void)arg;
    for (int c = 0; c < 2; c++) {
        clockid_t clock = c ? CLOCK_REALTIME : CLOCK_MONOTONIC;
        struct timespec dl = test_deadline_in(clock, 20);
        CHECK_EQ(fuss_omutex_timedlock(&m, clock, &dl), ETIMEDOUT);
        struct timespec now;
        clock_gettime(clock, &now);
        CHECK(now.tv_sec > dl.tv_sec || (now.tv_sec == dl.tv_sec && now.tv_nsec >= dl.tv_nsec));
        CHECK_EQ(fuss_omutex_trylock(&m), EBUSY);
    }
    return NULL;
}

static void boost(unsigned flags)
{
    REQUIRE(fuss_omutex_init(&m, FUSS_OMUTEX_PI | flags) == 0);
    pid_t me = (pid_t)gettid();
    long before = kernel_prio(me);
    CHECK_EQ(fuss_omutex_lock(&m), 0);

    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
    pthread_attr_setschedpolicy(&a, SCHED_FIFO);
    struct sched_param sp = { .sched_priority = WAITER_RT_PRIO };
    pthread_attr_setschedparam(&a, &sp);
    struct waiter w = { -1, -1, 0 };
    pthread_t t;
    int e = pthread_create(&t, &a, waiter_main, &w);
    pthread_attr_destroy(&a);
    if (e == EPERM) {
        printf("SKIPPED the priority boost check: SCHED_FIFO not permitted here "
               "(needs CAP_SYS_NICE or RLIMIT_RTPRIO >= %d)\n", WAITER_RT_PRIO);
        CHECK_EQ(fuss_omutex_unlock(&m), 0);
        return;
    }
    REQUIRE(e == 0);
    long boosted = before;
    for (int i = 0; i < 5000 && boosted != -1 - WAITER_RT_PRIO; i++) {
        test_sleep_ms(1);
        boosted = kernel_prio(me);
    }
    printf("flags %#x: owner prio %ld, while a FIFO %d waiter blocks %ld\n", flags, before,
           WAITER_RT_PRIO, boosted);
    CHECK_EQ(boosted, -1 - WAITER_RT_PRIO);
    CHECK_EQ(fuss_omutex_unlock(&m), 0);
    CHECK_EQ(kernel_prio(me), before);       /* the boost ends with the unlock */
    pthread_join(t, NULL);
    CHECK_EQ(w.result, 0);
    CHECK_EQ(w.unlock_result, 0);
}

int main(void)
{
    test_watchdog(60, "omutex_pi");
    if (!(fuss_futex_features() & FUSS_FEATURE_PI)) {
        printf("SKIPPED: the kernel has no priority-inheritance futexes\n");
        return test_done();
    }
    boost(0);
    boost(FUSS_OMUTEX_ROBUST | FUSS_SHARED);

    REQUIRE(fuss_omutex_init(&m, FUSS_OMUTEX_PI) == 0);
    CHECK_EQ(fuss_omutex_lock(&m), 0);
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, timed_locker, NULL) == 0);
    pthread_join(t, NULL);
    CHECK_EQ(fuss_omutex_unlock(&m), 0);
    return test_done();
}
