/* A broadcast wakes FUSS__COND_BROADCAST_WAKE sleepers and moves the rest
 * onto the mutex (no thundering herd): with eight waiters asleep and the
 * mutex held by the broadcaster, exactly two leave their condvar wait and go
 * to sleep on the mutex word; the other six stay in the very futex wait they
 * began on the condvar (a requeue moves a sleeper without waking it).  Which
 * word each waiter's blocking system call names is read from
 * /proc/self/task/TID/syscall (its first argument is the futex address on
 * futex(2) and on futex_wait(2) alike).  Then the mutex's unlocks hand every
 * waiter its turn.  A private condvar only: a shared one wakes all (cond.c).
 * FUSS_TEST_LINUX_ONLY (the emulated backend sleeps in user space) */
#include "harness.h"
#include "internal/cond.h"

#include <sys/syscall.h>

#define WAITERS 8
_Static_assert(FUSS__COND_BROADCAST_WAKE < WAITERS, "some waiters must be moved, not woken");

static fuss_mutex_t m;
static fuss_cond_t c;
static int go, awake;
static _Atomic pid_t tids[WAITERS]; /* 0 until the waiter has started */

static void *waiter(void *arg)
{
    int i = (int)(intptr_t)arg;
    fuss_mutex_lock(&m);
    tids[i] = (pid_t)syscall(SYS_gettid);
    while (!go) REQUIRE(fuss_cond_wait(&c, &m) == 0);
    awake++;
    fuss_mutex_unlock(&m);
    return NULL;
}

enum where { RUNNING, ON_COND, ON_MUTEX, ELSEWHERE };

/* The word thread tid is blocked on, from its syscall file. */
static enum where where_is(pid_t tid)
{
    char buf[256];
    test_read_task(tid, "syscall", buf, sizeof buf);
    long nr;
    unsigned long long addr;
    if (sscanf(buf, "%ld 0x%llx", &nr, &addr) != 2) return RUNNING; /* "running", "-1 ..." */
    if (addr == (uintptr_t)&c.seq) return ON_COND;
    if (addr == (uintptr_t)&m) return ON_MUTEX;
    return ELSEWHERE;
}

/* Count where the waiters are once that has stayed the same for 100 ms (20
 * looks), or give up after 10 s. */
static void census(int counts[4])
{
    int last[4] = { -1, -1, -1, -1 }, same = 0;
    for (int tries = 0; tries < 2000 && same < 20; tries++) {
        memset(counts, 0, 4 * sizeof counts[0]);
        for (int i = 0; i < WAITERS; i++) counts[where_is(tids[i])]++;
        same = memcmp(counts, last, sizeof last) == 0 && counts[RUNNING] == 0 ? same + 1 : 0;
        memcpy(last, counts, sizeof last);
        test_sleep_ms(5);
    }
}

int main(void)
{
    test_watchdog(60, "cond_broadcast_requeue: a waiter was never woken");
    pthread_t t[WAITERS];
    for (int i = 0; i < WAITERS; i++) pthread_create(&t[i], NULL, waiter, (void *)(intptr_t)i);

    for (int i = 0; i < WAITERS; i++)
        while (tids[i] == 0) test_sleep_ms(1);
    int counts[4];
    census(counts);
    REQUIRE(counts[ON_COND] == WAITERS); /* all asleep in their condvar wait */

    fuss_mutex_lock(&m);
    go = 1;
    CHECK_EQ(fuss_cond_broadcast(&c), 0);
    census(counts); /* the mutex is still ours: woken waiters sleep on it */
    CHECK_EQ(counts[ON_MUTEX], FUSS__COND_BROADCAST_WAKE);
    CHECK_EQ(counts[ON_COND], WAITERS - FUSS__COND_BROADCAST_WAKE);
    CHECK_EQ(counts[ELSEWHERE], 0);
    CHECK_EQ(awake, 0);
    fuss_mutex_unlock(&m);

    for (int i = 0; i < WAITERS; i++) pthread_join(t[i], NULL);
    CHECK_EQ(awake, WAITERS);
    CHECK_EQ(fuss_cond_destroy(&c), 0);
    return test_done();
}
