/* Issue 22, defect 6: a process-shared owned mutex that is not robust,
 * whose unlocker is killed after its release (T7's exchange, src/omutex.c)
 * but before its wake-up, left the sleeper asleep on a free mutex for ever:
 * lock_wait capped only robust sleeps (OWED WAKE-UPS), and for a word that
 * is not robust the kernel does nothing at all when a process dies.
 * tests/regression/issue_6_omutex_death_before_wake.c did not catch it:
 * it covers the robust kind only, whose sleeps were capped, and it kills a
 * thread, not a process (a thread of a private mutex cannot die alone).
 *
 * Both kinds that are not robust (error-checking, recursive), each with the
 * unlocker killed two ways:
 *   by hand   the child does exactly what unlock's slow path does up to the
 *             wake (the release exchange of a WAITERS word) and _exits;
 *   seccomp   the child calls the real fuss_omutex_unlock under a filter
 *             that kills the process at its first futex wake, so the test
 *             follows whatever the release is (kill_at_wake.h).
 * The sleeper (another child) must get the mutex; a hang is the watchdog's.
 * FUSS_TEST_LINUX_ONLY */
#include "kill_at_wake.h"
#include "process.h"

#include <fuss/omutex.h>

#define WAITERS 0x80000000u

struct shared {
    fuss_omutex_t m;
    int held;    /* the unlocker holds m */
    int go;      /* the sleeper is asleep: release */
    int sleeper_result;
};

static struct shared *S;

static int unlocker(void *arg)
{
    int by_seccomp = (int)(intptr_t)arg;
    if (fuss_omutex_lock(&S->m) != 0) return 3;
    __atomic_store_n(&S->held, 1, __ATOMIC_RELEASE);
    test_await_flag(&S->go);
    if (by_seccomp) {
        test_die_at_futex_wake();
        (void)fuss_omutex_unlock(&S->m); /* dies inside, at its wake-up */
        return 0;                        /* or the release woke nobody */
    }
    /* unlock_slow -> release_word's (T7): exchange to 0, then the wake. */
    uint32_t was = __atomic_exchange_n(&S->m.word, 0, __ATOMIC_RELEASE);
    if (!(was & WAITERS)) return 4; /* the sleeper never announced itself */
    _exit(0);                       /* killed before the wake-up */
}

static int sleeper(void *arg)
{
    (void)arg;
    int r = fuss_omutex_lock(&S->m);
    __atomic_store_n(&S->sleeper_result, r, __ATOMIC_RELEASE);
    if (r != 0) return 5;
    return fuss_omutex_unlock(&S->m) == 0 ? 0 : 6;
}

static void run(unsigned flags, int by_seccomp)
{
    printf("%s, unlocker killed %s\n", (flags & FUSS_OMUTEX_RECURSIVE) ? "recursive" : "error-checking",
           by_seccomp ? "by seccomp at its wake" : "by hand after its release");
    memset(S, 0, sizeof *S);
    S->sleeper_result = -1;
    REQUIRE(fuss_omutex_init(&S->m, FUSS_SHARED | flags) == 0);
    pid_t u = test_fork(unlocker, (void *)(intptr_t)by_seccomp);
    test_await_flag(&S->held);
    pid_t s = test_fork(sleeper, NULL);
    /* Asleep in the kernel, with WAITERS announced in the word. */
    test_await_futex_sleep(s);
    CHECK(__atomic_load_n(&S->m.word, __ATOMIC_ACQUIRE) & WAITERS);
    __atomic_store_n(&S->go, 1, __ATOMIC_RELEASE);
    int st = test_wait_status(u);
    if (by_seccomp) CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS);
    else CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    /* The unlocker is gone and nobody else will ever touch the mutex: the
     * sleeper must find it free by itself. */
    CHECK(test_wait_ok(s));
    CHECK_EQ(__atomic_load_n(&S->sleeper_result, __ATOMIC_ACQUIRE), 0);
    CHECK_EQ(fuss_omutex_owner(&S->m), 0);
}

int main(void)
{
    test_watchdog(60, "a sleeper stayed asleep on a free shared omutex whose unlocker was killed");
    S = test_shared_map(sizeof *S);
    for (int by_seccomp = 0; by_seccomp < 2; by_seccomp++) {
        run(0, by_seccomp);
        run(FUSS_OMUTEX_RECURSIVE, by_seccomp);
    }
    return test_done();
}
