/* Issue 22, the class of defect 6 in the latch: a process-shared latch
 * whose last count-down is killed after done()'s CAS (L2, src/event.c:
 * COUNT 0, GEN bumped) but before its wake-up left the sleeper asleep on an
 * open latch for ever: the sleep had no cap, and nothing else would ever
 * change the latch.  The counter runs the real fuss_latch_done under a
 * filter that kills its process at the futex wake (kill_at_wake.h).  The
 * sleeper (another process) must return by itself; a hang is the
 * watchdog's.
 * FUSS_TEST_LINUX_ONLY */
#include "kill_at_wake.h"
#include "process.h"

#include <fuss/event.h>

struct shared {
    fuss_latch_t l;
    int go;     /* the sleeper is asleep: count down */
    int result; /* the sleeper's fuss_latch_wait */
};

static struct shared *S;

static int counter(void *arg)
{
    (void)arg;
    test_await_flag(&S->go);
    test_die_at_futex_wake();
    (void)fuss_latch_done(&S->l); /* dies inside, at its wake-up */
    return 1;                     /* the count-down woke nobody */
}

static int sleeper(void *arg)
{
    (void)arg;
    int r = fuss_latch_wait(&S->l);
    __atomic_store_n(&S->result, r, __ATOMIC_RELEASE);
    return r == 0 ? 0 : 2;
}

int main(void)
{
    test_watchdog(60, "a latch sleeper stayed asleep on an open latch whose last counter was killed");
    S = test_shared_map(sizeof *S);
    S->result = -1;
    REQUIRE(fuss_latch_init(&S->l, 1, FUSS_SHARED) == 0);
    pid_t c = test_fork(counter, NULL);
    pid_t w = test_fork(sleeper, NULL);
    test_await_futex_sleep(w);
    __atomic_store_n(&S->go, 1, __ATOMIC_RELEASE);
    int st = test_wait_status(c);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS);
    CHECK(test_wait_ok(w));
    CHECK_EQ(__atomic_load_n(&S->result, __ATOMIC_ACQUIRE), 0);
    CHECK_EQ(fuss_latch_done(&S->l), EINVAL); /* open: nothing left to count down */
    CHECK_EQ(fuss_latch_destroy(&S->l), 0);
    return test_done();
}
