/* Issue 6, classic futex bug "the compare-requeue race" (why FUTEX_CMP_REQUEUE
 * exists): a broadcast that moves sleepers from the condvar's word to the
 * mutex's races with waiters arriving and with other signals changing the
 * word.  Done wrong, a waiter ends up queued on the mutex with nobody left to
 * wake it (requeued onto a free mutex whose state says "no sleepers"), or
 * asleep on the condvar on a value that no later wake will change.
 *
 * How the test catches it: waiters loop "lock; wait until value reaches my
 * target; unlock; raise target" while a broadcaster raises value and
 * broadcasts, and a third thread signals without the mutex, so new
 * registrations, signals and requeues interleave in every order.  Every
 * broadcast follows a change of the predicate, so every waiter must make
 * progress; a stranded one stops the round count and the watchdog fires. */
#include "harness.h"

#define WAITERS 4
#define ROUNDS  3000

static fuss_mutex_t m;
static fuss_cond_t c;
static unsigned value, seen[WAITERS];
static _Atomic int stop;

static void *waiter(void *arg)
{
    int id = (int)(intptr_t)arg;
    for (unsigned target = 1; target <= ROUNDS; target++) {
        fuss_mutex_lock(&m);
        while (value < target) REQUIRE(fuss_cond_wait(&c, &m) == 0);
        seen[id] = target;
        fuss_mutex_unlock(&m);
    }
    return NULL;
}

static void *signaller(void *arg)
{
    (void)arg;
    while (!stop) { fuss_cond_signal(&c); sched_yield(); }
    return NULL;
}

static int all_seen(unsigned v)
{
    for (int i = 0; i < WAITERS; i++)
        if (seen[i] < v) return 0;
    return 1;
}

int main(void)
{
    test_watchdog(60, "cond requeue race: a waiter stranded after a broadcast");
    pthread_t t[WAITERS], s;
    for (int i = 0; i < WAITERS; i++)
        REQUIRE(pthread_create(&t[i], NULL, waiter, (void *)(intptr_t)i) == 0);
    REQUIRE(pthread_create(&s, NULL, signaller, NULL) == 0);
    for (unsigned v = 1; v <= ROUNDS; v++) {
        fuss_mutex_lock(&m);
        value = v;
        CHECK_EQ(fuss_cond_broadcast(&c), 0);
        fuss_mutex_unlock(&m);
        /* Every few rounds let all waiters catch up, so that each round
         * starts with a fresh crowd registering against the broadcast. */
        if (v % 4 == 0)
            for (;;) {
                fuss_mutex_lock(&m);
                int ok = all_seen(v);
                fuss_mutex_unlock(&m);
                if (ok) break;
                sched_yield();
            }
    }
    for (int i = 0; i < WAITERS; i++) pthread_join(t[i], NULL);
    stop = 1;
    pthread_join(s, NULL);
    for (int i = 0; i < WAITERS; i++) CHECK_EQ(seen[i], ROUNDS);
    return test_done();
}
