/* Every other primitive, FUSS_SHARED in a MAP_SHARED mapping, across
 * forked processes: rwlock (writers exclusive, readers see consistent
 * data), semaphore (posts and waits balance; a ping-pong), barrier (every
 * round complete, one serial process per round), manual and auto-reset
 * events, latch.  (fuss_once_t is thread-private by design: once.h.)
 * FUSS_TEST_LINUX_ONLY */
#include "fuss/barrier.h"
#include "fuss/event.h"
#include "fuss/rwlock.h"
#include "fuss/sem.h"
#include "process.h"

#define PROCS 4
#define RW_ITERS 5000
#define SEM_ITEMS 5000
#define ROUNDS 300

struct shared {
    fuss_rwlock_t rw;
    long a, b, writes;
    int writers_inside, readers_inside, rw_bad;

    fuss_sem_t items, ping, pong;
    long taken;

    fuss_barrier_t bar;
    int round_of[PROCS];
    int serial[ROUNDS];
    int bar_bad;

    fuss_event_t manual, autoreset;
    int released;
    fuss_latch_t latch;
    int latch_bad;
};

static struct shared *S;

static int rw_worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    for (int i = 0; i < RW_ITERS; i++) {
        if ((i + id) % 4 == 0) {
            if (fuss_rwlock_wrlock(&S->rw)) return 10;
            if (__atomic_fetch_add(&S->writers_inside, 1, __ATOMIC_RELAXED) != 0 ||
                __atomic_load_n(&S->readers_inside, __ATOMIC_RELAXED) != 0)
                __atomic_fetch_add(&S->rw_bad, 1, __ATOMIC_RELAXED);
            S->a++;
            sched_yield();
            S->b++;
            S->writes++;
            __atomic_fetch_sub(&S->writers_inside, 1, __ATOMIC_RELAXED);
            if (fuss_rwlock_wrunlock(&S->rw)) return 11;
        } else {
            struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 60000);
            if (fuss_rwlock_timedrdlock(&S->rw, CLOCK_MONOTONIC, &dl)) return 12;
            __atomic_fetch_add(&S->readers_inside, 1, __ATOMIC_RELAXED);
            if (S->a != S->b || __atomic_load_n(&S->writers_inside, __ATOMIC_RELAXED))
                __atomic_fetch_add(&S->rw_bad, 1, __ATOMIC_RELAXED);
            __atomic_fetch_sub(&S->readers_inside, 1, __ATOMIC_RELAXED);
            if (fuss_rwlock_unlock(&S->rw)) return 13;
        }
    }
    return 0;
}

static int sem_poster(void *arg)
{
    (void)arg;
    for (int i = 0; i < SEM_ITEMS; i++)
        if (fuss_sem_post(&S->items)) return 10;
    return 0;
}

static int sem_taker(void *arg)
{
    (void)arg;
    for (int i = 0; i < SEM_ITEMS; i++) {
        if (fuss_sem_wait(&S->items)) return 10;
        __atomic_fetch_add(&S->taken, 1, __ATOMIC_RELAXED);
    }
    return 0;
}

static int sem_pong(void *arg)
{
    (void)arg;
    for (int i = 0; i < 2000; i++) {
        if (fuss_sem_wait(&S->ping)) return 10;
        if (fuss_sem_post(&S->pong)) return 11;
    }
    return 0;
}

static int bar_worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    for (int r = 0; r < ROUNDS; r++) {
        S->round_of[id] = r;
        int x = fuss_barrier_wait(&S->bar);
        if (x == FUSS_BARRIER_SERIAL_THREAD) __atomic_fetch_add(&S->serial[r], 1, __ATOMIC_RELAXED);
        else if (x != 0) return 10;
        for (int j = 0; j < PROCS; j++)
            if (__atomic_load_n(&S->round_of[j], __ATOMIC_RELAXED) < r)
                __atomic_fetch_add(&S->bar_bad, 1, __ATOMIC_RELAXED);
        if (fuss_barrier_wait(&S->bar) < -1) return 11; /* nobody runs ahead a round */
    }
    return 0;
}

static int event_waiter(void *arg)
{
    fuss_event_t *e = arg;
    if (fuss_event_wait(e)) return 10;
    __atomic_fetch_add(&S->released, 1, __ATOMIC_RELAXED);
    return 0;
}

static int latch_worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    if (id % 2) return fuss_latch_wait(&S->latch) ? 10 : 0;
    return fuss_latch_done(&S->latch) ? 11 : 0;
}

static void run(int n, int (*fn)(void *), int pass_id, void *arg)
{
    pid_t pid[PROCS];
    for (int i = 0; i < n; i++) pid[i] = test_fork(fn, pass_id ? (void *)(intptr_t)i : arg);
    for (int i = 0; i < n; i++) CHECK(test_wait_ok(pid[i]));
}

static void await_blocked(int n)
{
    /* The waiters are children; a sleep is enough here: a waiter that is
     * late only makes the test weaker, never wrong. */
    (void)n;
    test_sleep_ms(50);
}

int main(void)
{
    test_watchdog(120, "shared_prims: lost wake-up between processes");
    S = test_shared_map(sizeof *S);
    REQUIRE(fuss_rwlock_init(&S->rw, FUSS_SHARED) == 0);
    REQUIRE(fuss_sem_init(&S->items, 0, FUSS_SHARED) == 0);
    REQUIRE(fuss_sem_init(&S->ping, 0, FUSS_SHARED) == 0);
    REQUIRE(fuss_sem_init(&S->pong, 0, FUSS_SHARED) == 0);
    REQUIRE(fuss_barrier_init(&S->bar, PROCS, FUSS_SHARED) == 0);
    REQUIRE(fuss_event_init(&S->manual, FUSS_SHARED) == 0);
    REQUIRE(fuss_event_init(&S->autoreset, FUSS_SHARED | FUSS_EVENT_AUTO_RESET) == 0);
    REQUIRE(fuss_latch_init(&S->latch, 2, FUSS_SHARED) == 0);

    run(PROCS, rw_worker, 1, NULL);
    CHECK_EQ(S->rw_bad, 0);
    CHECK_EQ(S->a, S->writes);
    CHECK_EQ(S->writes, (long)RW_ITERS * PROCS / 4);

    pid_t p[4];
    p[0] = test_fork(sem_taker, NULL);
    p[1] = test_fork(sem_taker, NULL);
    p[2] = test_fork(sem_poster, NULL);
    p[3] = test_fork(sem_poster, NULL);
    for (int i = 0; i < 4; i++) CHECK(test_wait_ok(p[i]));
    CHECK_EQ(S->taken, 2L * SEM_ITEMS);
    unsigned v = 99;
    CHECK_EQ(fuss_sem_getvalue(&S->items, &v), 0);
    CHECK_EQ(v, 0);
    p[0] = test_fork(sem_pong, NULL);
    int pong_errors = 0;
    for (int i = 0; i < 2000; i++) {
        pong_errors += fuss_sem_post(&S->ping) != 0;
        pong_errors += fuss_sem_wait(&S->pong) != 0;
    }
    CHECK_EQ(pong_errors, 0);
    CHECK(test_wait_ok(p[0]));

    run(PROCS, bar_worker, 1, NULL);
    CHECK_EQ(S->bar_bad, 0);
    int one_serial = 1;
    for (int r = 0; r < ROUNDS; r++) one_serial &= S->serial[r] == 1;
    CHECK(one_serial);

    /* Manual reset: one set releases every waiting process. */
    for (int i = 0; i < 3; i++) p[i] = test_fork(event_waiter, &S->manual);
    await_blocked(3);
    CHECK_EQ(fuss_event_set(&S->manual), 0);
    for (int i = 0; i < 3; i++) CHECK(test_wait_ok(p[i]));
    CHECK_EQ(S->released, 3);
    /* Auto reset: each set releases one; wait for it before the next set,
     * since sets do not accumulate. */
    S->released = 0;
    for (int i = 0; i < 3; i++) p[i] = test_fork(event_waiter, &S->autoreset);
    for (int k = 1; k <= 3; k++) {
        CHECK_EQ(fuss_event_set(&S->autoreset), 0);
        while (__atomic_load_n(&S->released, __ATOMIC_RELAXED) < k) test_sleep_ms(1);
        CHECK_EQ(__atomic_load_n(&S->released, __ATOMIC_RELAXED), k);
    }
    for (int i = 0; i < 3; i++) CHECK(test_wait_ok(p[i]));

    /* Latch: two processes count down, two wait (and the parent). */
    run(PROCS, latch_worker, 1, NULL);
    CHECK_EQ(fuss_latch_wait(&S->latch), 0);
    return test_done();
}
