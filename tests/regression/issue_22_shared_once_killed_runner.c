/* Issue 22, the class of defect 6 in fuss_once: a process-shared once
 * whose runner is killed after fn returned and T3's exchange made it DONE
 * (src/once.c) but before its wake-up left the caller asleep on a done
 * once for ever: the sleep had no cap, and DONE is final, so nothing would
 * ever wake it.  The runner's fn, once the other caller sleeps, installs a
 * filter that kills its process at the futex wake (kill_at_wake.h) and
 * returns, so fuss_once's real exchange and wake follow.  The sleeping
 * caller (another process) must return 0 without running fn; a hang is the
 * watchdog's.
 * FUSS_TEST_LINUX_ONLY */
#include "kill_at_wake.h"
#include "process.h"

#include <fuss/once.h>

struct shared {
    fuss_once_t o;
    int running; /* the runner is inside fn */
    int go;      /* the other caller is asleep: return from fn */
    int ran;     /* times fn ran */
    int result;  /* the sleeper's fuss_once */
};

static struct shared *S;

static void fn(void)
{
    __atomic_fetch_add(&S->ran, 1, __ATOMIC_RELAXED);
    __atomic_store_n(&S->running, 1, __ATOMIC_RELEASE);
    test_await_flag(&S->go);
    test_die_at_futex_wake(); /* fuss_once's wake after T3 kills the runner */
}

static int runner(void *arg)
{
    (void)arg;
    (void)fuss_once(&S->o, fn); /* dies inside, at its wake-up */
    return 1;                   /* it woke nobody */
}

static int sleeper(void *arg)
{
    (void)arg;
    int r = fuss_once(&S->o, fn);
    __atomic_store_n(&S->result, r, __ATOMIC_RELEASE);
    return r == 0 ? 0 : 2;
}

int main(void)
{
    test_watchdog(60, "a fuss_once caller stayed asleep on a done once whose runner was killed");
    S = test_shared_map(sizeof *S);
    S->result = -1;
    REQUIRE(fuss_once_init(&S->o, FUSS_SHARED) == 0);
    pid_t r = test_fork(runner, NULL);
    test_await_flag(&S->running);
    pid_t w = test_fork(sleeper, NULL);
    test_await_futex_sleep(w);
    __atomic_store_n(&S->go, 1, __ATOMIC_RELEASE);
    int st = test_wait_status(r);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS);
    CHECK(test_wait_ok(w));
    CHECK_EQ(__atomic_load_n(&S->result, __ATOMIC_ACQUIRE), 0);
    CHECK_EQ(__atomic_load_n(&S->ran, __ATOMIC_RELAXED), 1);
    return test_done();
}
