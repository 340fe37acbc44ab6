/* Issue 22, the class of defect 6 in the semaphore: a process-shared
 * semaphore whose poster is killed after its post (T1's CAS, src/sem.c)
 * but before its wake-up left the sleeper asleep on a unit for ever; the
 * sleep had no cap, and nobody else would ever post.  The poster runs the
 * real fuss_sem_post under a filter that kills its process at the futex
 * wake (kill_at_wake.h).  The sleeper (another process) must take the unit
 * by itself; a hang is the watchdog's.
 * FUSS_TEST_LINUX_ONLY */
#include "kill_at_wake.h"
#include "process.h"

#include <fuss/sem.h>

struct shared {
    fuss_sem_t s;
    int go;     /* the sleeper is asleep: post */
    int result; /* the sleeper's fuss_sem_wait */
};

static struct shared *S;

static int poster(void *arg)
{
    (void)arg;
    test_await_flag(&S->go);
    test_die_at_futex_wake();
    (void)fuss_sem_post(&S->s); /* dies inside, at its wake-up */
    return 1;                   /* the post woke nobody: no sleeper registered */
}

static int sleeper(void *arg)
{
    (void)arg;
    int r = fuss_sem_wait(&S->s);
    __atomic_store_n(&S->result, r, __ATOMIC_RELEASE);
    return r == 0 ? 0 : 2;
}

int main(void)
{
    test_watchdog(60, "a sem sleeper stayed asleep on a unit whose poster was killed before its wake");
    S = test_shared_map(sizeof *S);
    S->result = -1;
    REQUIRE(fuss_sem_init(&S->s, 0, FUSS_SHARED) == 0);
    pid_t p = test_fork(poster, NULL);
    pid_t w = test_fork(sleeper, NULL);
    test_await_futex_sleep(w); /* registered, asleep in the kernel */
    __atomic_store_n(&S->go, 1, __ATOMIC_RELEASE);
    int st = test_wait_status(p);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS);
    /* The poster is gone, its unit posted, and nobody will wake the sleeper. */
    CHECK(test_wait_ok(w));
    CHECK_EQ(__atomic_load_n(&S->result, __ATOMIC_ACQUIRE), 0);
    unsigned v = 99;
    CHECK_EQ(fuss_sem_getvalue(&S->s, &v), 0);
    CHECK_EQ(v, 0);
    CHECK_EQ(fuss_sem_destroy(&S->s), 0); /* the sleeper left WAITERS as it found it */
    return test_done();
}
