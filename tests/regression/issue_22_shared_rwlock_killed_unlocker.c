/* Issue 22, the class of defect 6 in the rwlock: a process-shared rwlock
 * whose writer is killed after its unlock's releasing CAS (W2 with K,
 * src/rwlock.c unlock_contended) but before the wake-up that follows left
 * the sleepers asleep on a free lock for ever: the sleeps had no cap, and
 * K had already cleared the waiting bits, so no later unlock would wake
 * them either.  The writer runs the real fuss_rwlock_wrunlock under a
 * filter that kills its process at the futex wake (kill_at_wake.h).  Once
 * with a reader asleep (K2), once with a writer asleep (K1): one kind at a
 * time, so the unlock makes no probe wake before its release.  The sleeper
 * (another process) must get the lock by itself; a hang is the watchdog's.
 * FUSS_TEST_LINUX_ONLY */
#include "kill_at_wake.h"
#include "process.h"

#include <fuss/rwlock.h>

struct shared {
    fuss_rwlock_t rw;
    int held;   /* the unlocker holds the write lock */
    int go;     /* the sleeper is asleep: unlock */
    int result; /* the sleeper's lock call */
};

static struct shared *S;

static int unlocker(void *arg)
{
    (void)arg;
    if (fuss_rwlock_wrlock(&S->rw) != 0) return 3;
    __atomic_store_n(&S->held, 1, __ATOMIC_RELEASE);
    test_await_flag(&S->go);
    test_die_at_futex_wake();
    (void)fuss_rwlock_wrunlock(&S->rw); /* dies inside, at its wake-up */
    return 1;                           /* the unlock woke nobody */
}

static int sleeper(void *arg)
{
    int reader = (int)(intptr_t)arg;
    int r = reader ? fuss_rwlock_rdlock(&S->rw) : fuss_rwlock_wrlock(&S->rw);
    __atomic_store_n(&S->result, r, __ATOMIC_RELEASE);
    if (r != 0) return 2;
    return fuss_rwlock_unlock(&S->rw) == 0 ? 0 : 4;
}

static void run(int reader)
{
    printf("a %s asleep, the writer killed at its unlock's wake\n", reader ? "reader" : "writer");
    memset(S, 0, sizeof *S);
    S->result = -1;
    REQUIRE(fuss_rwlock_init(&S->rw, FUSS_SHARED) == 0);
    pid_t u = test_fork(unlocker, NULL);
    test_await_flag(&S->held);
    pid_t w = test_fork(sleeper, (void *)(intptr_t)reader);
    test_await_futex_sleep(w);
    __atomic_store_n(&S->go, 1, __ATOMIC_RELEASE);
    int st = test_wait_status(u);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS);
    /* The writer is gone, the lock free, and nobody will wake the sleeper. */
    CHECK(test_wait_ok(w));
    CHECK_EQ(__atomic_load_n(&S->result, __ATOMIC_ACQUIRE), 0);
    CHECK_EQ(fuss_rwlock_trywrlock(&S->rw), 0);
    CHECK_EQ(fuss_rwlock_wrunlock(&S->rw), 0);
    CHECK_EQ(fuss_rwlock_destroy(&S->rw), 0);
}

int main(void)
{
    test_watchdog(60, "an rwlock sleeper stayed asleep on a free lock whose unlocker was killed");
    S = test_shared_map(sizeof *S);
    run(1);
    run(0);
    return test_done();
}
