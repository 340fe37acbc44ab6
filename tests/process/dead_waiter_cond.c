/* A process SIGKILLed while it sleeps in fuss_cond_wait does not wedge the
 * condvar: it leaves its registration in the waiter count (an over-count
 * the condvar tolerates), the kernel drops it from the futex queue, and
 * each signal still wakes a live waiter; broadcast wakes all live ones.
 * FUSS_TEST_LINUX_ONLY */
#include "process.h"

struct shared {
    fuss_mutex_t m;
    fuss_cond_t c;
    int tickets, woke;
};
static struct shared *S;

static int waiter(void *arg)
{
    (void)arg;
    fuss_mutex_lock(&S->m);
    while (S->tickets == 0)
        if (fuss_cond_wait(&S->c, &S->m) != 0) return 10;
    S->tickets--;
    S->woke++;
    fuss_mutex_unlock(&S->m);
    return 0;
}

static void give(int n, int broadcast)
{
    fuss_mutex_lock(&S->m);
    S->tickets += n;
    CHECK_EQ(broadcast ? fuss_cond_broadcast(&S->c) : fuss_cond_signal(&S->c), 0);
    fuss_mutex_unlock(&S->m);
}

int main(void)
{
    test_watchdog(120, "dead_waiter_cond: a dead waiter swallowed a wake-up");
    S = test_shared_map(sizeof *S);
    REQUIRE(fuss_mutex_init(&S->m, FUSS_SHARED) == 0);
    REQUIRE(fuss_cond_init(&S->c, FUSS_SHARED) == 0);
    for (int broadcast = 0; broadcast < 2; broadcast++) {
        pid_t w[3];
        S->woke = 0;
        for (int i = 0; i < 3; i++) {
            w[i] = test_fork(waiter, NULL);
            test_await_futex_sleep(w[i]);
        }
        test_kill(w[1]); /* the middle one: signal order must not matter */
        if (broadcast) give(2, 1);
        else for (int i = 0; i < 2; i++) give(1, 0);
        CHECK(test_wait_ok(w[0]));
        CHECK(test_wait_ok(w[2]));
        CHECK_EQ(S->woke, 2);
        CHECK_EQ(S->tickets, 0);
    }
    return test_done();
}
