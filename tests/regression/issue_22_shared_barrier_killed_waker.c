/* Issue 22, the class of defect 6 in the barrier: a process-shared barrier
 * whose waker is killed between the store that frees its waiters and the
 * wake-up left them asleep for ever (src/barrier.c: the sleeps had no cap,
 * and no later step of the barrier would wake them).  Both sleeps:
 *   round    a waiter sleeps for its round (B3); the last arrival runs
 *            the real fuss_barrier_wait under a filter that kills its
 *            process at the futex wake (kill_at_wake.h): it dies after
 *            B2's release, before B2's wake;
 *   destroy  destroy sleeps until the last leaver's reset (B5); that
 *            leaver, under the same filter, dies after B6's IN = 0, before
 *            B6's wake.  To have destroy asleep while the leaver is still
 *            inside, the leaver (asleep in its round) is stopped
 *            (SIGSTOP), the round completed and destroy called, and only
 *            then is it continued.
 * The sleeper (another process) must return by itself; a hang is the
 * watchdog's.
 * FUSS_TEST_LINUX_ONLY */
#include "kill_at_wake.h"
#include "process.h"

#include <fuss/barrier.h>

struct shared {
    fuss_barrier_t b;
    int go;     /* the sleeper is asleep: arrive */
    int result; /* the sleeper's wait or destroy */
};

static struct shared *S;

/* The killed waker: the last arrival (round), or the last leaver (destroy). */
static int waker(void *arg)
{
    int last_arrival = (int)(intptr_t)arg;
    if (last_arrival) test_await_flag(&S->go);
    test_die_at_futex_wake();
    (void)fuss_barrier_wait(&S->b); /* dies inside, at its wake-up */
    return 1;                       /* it woke nobody */
}

static int round_sleeper(void *arg)
{
    (void)arg;
    int r = fuss_barrier_wait(&S->b);
    __atomic_store_n(&S->result, r, __ATOMIC_RELEASE);
    return r == 0 ? 0 : 2; /* the first ticket of two is not the serial one */
}

static int destroyer(void *arg)
{
    (void)arg;
    int r = fuss_barrier_destroy(&S->b);
    __atomic_store_n(&S->result, r, __ATOMIC_RELEASE);
    return r == 0 ? 0 : 2;
}

static void run_round(void)
{
    printf("a waiter asleep in its round, the last arrival killed at its wake\n");
    memset(S, 0, sizeof *S);
    S->result = -7;
    REQUIRE(fuss_barrier_init(&S->b, 2, FUSS_SHARED) == 0);
    pid_t k = test_fork(waker, (void *)(intptr_t)1);
    pid_t w = test_fork(round_sleeper, NULL);
    test_await_futex_sleep(w);
    __atomic_store_n(&S->go, 1, __ATOMIC_RELEASE);
    int st = test_wait_status(k);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS);
    CHECK(test_wait_ok(w));
    CHECK_EQ(__atomic_load_n(&S->result, __ATOMIC_ACQUIRE), 0);
    /* The dead waker's ticket never leaves: the barrier stays in use. */
}

static void run_destroy(void)
{
    printf("destroy asleep, the last leaver killed at its reset's wake\n");
    memset(S, 0, sizeof *S);
    S->result = -7;
    REQUIRE(fuss_barrier_init(&S->b, 2, FUSS_SHARED) == 0);
    pid_t k = test_fork(waker, (void *)(intptr_t)0);
    test_await_futex_sleep(k); /* ticket 1, asleep in its round */
    REQUIRE(kill(k, SIGSTOP) == 0);
    int st;
    REQUIRE(waitpid(k, &st, WUNTRACED) == k && WIFSTOPPED(st));
    /* Ticket 2 releases the round and leaves; k still holds ticket 1. */
    CHECK_EQ(fuss_barrier_wait(&S->b), FUSS_BARRIER_SERIAL_THREAD);
    pid_t d = test_fork(destroyer, NULL);
    test_await_futex_sleep(d); /* waiting for k's reset */
    REQUIRE(kill(k, SIGCONT) == 0);
    st = test_wait_status(k);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS);
    CHECK(test_wait_ok(d));
    CHECK_EQ(__atomic_load_n(&S->result, __ATOMIC_ACQUIRE), 0);
}

int main(void)
{
    test_watchdog(60, "a barrier sleeper stayed asleep after its waker was killed before its wake");
    S = test_shared_map(sizeof *S);
    run_round();
    run_destroy();
    return test_done();
}
