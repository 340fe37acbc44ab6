/* A FUSS_SHARED mutex in a MAP_SHARED mapping excludes across processes:
 * four processes each add ITERS to a plain counter under the lock (mixing
 * lock, trylock and timedlock), and the total is exact.
 * FUSS_TEST_LINUX_ONLY */
#include <sched.h>

#include "process.h"

#define PROCS 4
#define ITERS 20000

struct shared {
    fuss_mutex_t lock;
    long counter;
    int inside;
    int overlaps;
};

static int worker(void *arg)
{
    struct shared *s = arg;
    for (int i = 0; i < ITERS; i++) {
        int r;
        switch (i % 3) {
        case 0: r = fuss_mutex_lock(&s->lock); break;
        case 1:
            while ((r = fuss_mutex_trylock(&s->lock)) == EBUSY) sched_yield();
            break;
        default: {
            struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 60000);
            r = fuss_mutex_timedlock(&s->lock, CLOCK_MONOTONIC, &dl);
        }
        }
        if (r != 0) return 10;
        if (s->inside++ != 0) s->overlaps++;
        s->counter++;
        if (i % 64 == 0) sched_yield(); /* hold it across a reschedule: others sleep */
        s->inside--;
        if (fuss_mutex_unlock(&s->lock) != 0) return 11;
    }
    return 0;
}

int main(void)
{
    test_watchdog(120, "shared_mutex: a process never got the lock");
    struct shared *s = test_shared_map(sizeof *s);
    REQUIRE(fuss_mutex_init(&s->lock, FUSS_SHARED) == 0);
    pid_t pid[PROCS];
    for (int i = 0; i < PROCS; i++) pid[i] = test_fork(worker, s);
    for (int i = 0; i < PROCS; i++) CHECK(test_wait_ok(pid[i]));
    CHECK_EQ(s->counter, (long)PROCS * ITERS);
    CHECK_EQ(s->overlaps, 0);
    CHECK_EQ(fuss_mutex_trylock(&s->lock), 0);
    CHECK_EQ(fuss_mutex_unlock(&s->lock), 0);
    CHECK_EQ(fuss_mutex_destroy(&s->lock), 0);
    return test_done();
}
