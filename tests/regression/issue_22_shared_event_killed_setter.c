/* Issue 22, the class of defect 6 in the event: a process-shared event
 * whose setter is killed after set()'s CAS (E1/A1, src/event.c) but before
 * its wake-up left the sleeper asleep on a set event for ever: the sleep
 * had no cap, and the CAS had cleared WAITERS, so a second set() would not
 * wake it either.  The setter runs the real fuss_event_set under a filter
 * that kills its process at the futex wake (kill_at_wake.h); manual and
 * auto-reset.  The sleeper (another process) must return by itself; a hang
 * is the watchdog's.
 * FUSS_TEST_LINUX_ONLY */
#include "kill_at_wake.h"
#include "process.h"

#include <fuss/event.h>

struct shared {
    fuss_event_t e;
    int go;     /* the sleeper is asleep: set */
    int result; /* the sleeper's fuss_event_wait */
};

static struct shared *S;

static int setter(void *arg)
{
    (void)arg;
    test_await_flag(&S->go);
    test_die_at_futex_wake();
    (void)fuss_event_set(&S->e); /* dies inside, at its wake-up */
    return 1;                    /* the set woke nobody */
}

static int sleeper(void *arg)
{
    (void)arg;
    int r = fuss_event_wait(&S->e);
    __atomic_store_n(&S->result, r, __ATOMIC_RELEASE);
    return r == 0 ? 0 : 2;
}

static void run(unsigned mode)
{
    int autoreset = (mode & FUSS_EVENT_AUTO_RESET) != 0;
    printf("%s event, the setter killed at its wake\n", autoreset ? "auto-reset" : "manual");
    memset(S, 0, sizeof *S);
    S->result = -1;
    REQUIRE(fuss_event_init(&S->e, FUSS_SHARED | mode) == 0);
    pid_t p = test_fork(setter, NULL);
    pid_t w = test_fork(sleeper, NULL);
    test_await_futex_sleep(w);
    __atomic_store_n(&S->go, 1, __ATOMIC_RELEASE);
    int st = test_wait_status(p);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS);
    CHECK(test_wait_ok(w));
    CHECK_EQ(__atomic_load_n(&S->result, __ATOMIC_ACQUIRE), 0);
    /* Manual: still set.  Auto: the sleeper's release took the set. */
    CHECK_EQ(fuss_event_is_set(&S->e), !autoreset);
    CHECK_EQ(fuss_event_destroy(&S->e), 0);
}

int main(void)
{
    test_watchdog(60, "an event sleeper stayed asleep on a set event whose setter was killed");
    S = test_shared_map(sizeof *S);
    run(0);
    run(FUSS_EVENT_AUTO_RESET);
    return test_done();
}
