/* Issue 6, classic futex bug "the condvar lost wake-up" of glibc bug 25847:
 * waiters A and B block; a signal is sent; before its wakee runs, a new
 * waiter C arrives and a second signal is sent.  glibc's grouped condvar
 * could let the first signal be consumed by C (a waiter that arrived after
 * it), leaving A or B asleep although two signals were sent for two
 * then-blocked waiters (and, with tokens, a predicate that says "go").
 *
 * How the test catches it: a token count under the mutex (a semaphore built
 * on the condvar, signal only, never broadcast).  Each round: two early
 * waiters block (main sees them registered while it holds the mutex); main
 * adds a token and signals; a late waiter is released at once, racing the
 * wakee; main adds a token and signals again, then a third token and signal
 * for the late waiter.  Three tokens for three waiters: every waiter must
 * return; one left asleep stops the round and the watchdog fires. */
#include "harness.h"

#define ROUNDS 500

static fuss_mutex_t m;
static fuss_cond_t c;
static int tokens, registered, consumed;
static _Atomic int late_go;

static void take_token(void)
{
    fuss_mutex_lock(&m);
    registered++;
    while (tokens == 0) REQUIRE(fuss_cond_wait(&c, &m) == 0);
    tokens--;
    consumed++;
    fuss_mutex_unlock(&m);
}

static void *early(void *arg) { (void)arg; take_token(); return NULL; }

static void *late(void *arg)
{
    (void)arg;
    while (!late_go) {} /* spin: arrive as soon as possible after the signal */
    take_token();
    return NULL;
}

static void give_token(void)
{
    fuss_mutex_lock(&m);
    tokens++;
    CHECK_EQ(fuss_cond_signal(&c), 0);
    fuss_mutex_unlock(&m);
}

int main(void)
{
    test_watchdog(60, "cond lost signal (glibc 25847 pattern): a waiter left asleep");
    for (int round = 0; round < ROUNDS; round++) {
        pthread_t a, b, l;
        registered = consumed = tokens = 0;
        late_go = 0;
        REQUIRE(pthread_create(&a, NULL, early, NULL) == 0);
        REQUIRE(pthread_create(&b, NULL, early, NULL) == 0);
        REQUIRE(pthread_create(&l, NULL, late, NULL) == 0);
        for (;;) {
            fuss_mutex_lock(&m);
            int both = registered == 2;
            fuss_mutex_unlock(&m);
            if (both) break;
            sched_yield();
        }
        give_token();  /* for A or B, both blocked now */
        late_go = 1;   /* C arrives while the wakee is on its way */
        give_token();  /* for the other of A, B (or C, if C took the first) */
        give_token();  /* for whoever is left */
        pthread_join(a, NULL);
        pthread_join(b, NULL);
        pthread_join(l, NULL);
        CHECK_EQ(consumed, 3);
        CHECK_EQ(tokens, 0);
    }
    return test_done();
}
