/* issue 4 (hostile sharer): fuss_cond_timedwait re-acquires the mutex with
 * no deadline and no re-check (src/cond.c, cond_wait: fuss__mutex_relock(m,
 * NULL)).  If the mutex word is changed without a wake-up while the waiter
 * sleeps in that re-acquisition (a sharer writing garbage, here: "locked,
 * sleepers" and then "free"), the deadline-bounded call never returns,
 * although the mutex is free.  Expected: it returns ETIMEDOUT, holding
 * the mutex, soon after the word becomes free. */
#include "waiters.h"

#define LOCKED_PARKED 0x3u /* src/mutex.c rows: LOCKED | PARKED */

static fuss_mutex_t m;
static fuss_cond_t c;
static int result = -1;

static void *waiter(void *arg)
{
    (void)arg;
    fuss_mutex_lock(&m);
    struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 100);
    result = fuss_cond_timedwait(&c, &m, CLOCK_MONOTONIC, &dl);
    fuss_mutex_unlock(&m);
    return NULL;
}

int main(void)
{
    test_watchdog(60, "issue_4_cond_relock");
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    await_waiters(&c.seq, 1);
    __atomic_store_n(&m.word, LOCKED_PARKED, __ATOMIC_RELAXED);  /* garbage: held */
    await_waiters(&m.word, 1);    /* the timed-out waiter now sleeps to re-lock */
    __atomic_store_n(&m.word, 0, __ATOMIC_RELAXED);              /* garbage: free, no wake */
    struct timespec limit;
    clock_gettime(CLOCK_REALTIME, &limit);
    limit.tv_sec += 10;
    int joined = pthread_timedjoin_np(t, NULL, &limit);
    CHECK_EQ(joined, 0);
    if (joined == 0) CHECK_EQ(result, ETIMEDOUT);
    return test_done();
}
