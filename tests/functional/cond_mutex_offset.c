/* The condvar records its mutex as a signed offset in a field of link
 * (src/cond.c, row 7) between COUNT and INSIDE: a mutex before the condvar
 * (negative offset) and one after it must both be found again by a
 * broadcast (which moves waiters onto it), and neither may spill into
 * INSIDE, which fuss_cond_destroy waits on: after every waiter returned,
 * destroy must answer 0 at once (a spilled sign bit reads as 511 waiters
 * still inside, EBUSY after a second).  Also a mutex just outside the
 * field's range (the broadcast then wakes all). */
#include "harness.h"

#define WAITERS 3

static struct {
    fuss_mutex_t before;
    fuss_cond_t c;
    fuss_mutex_t after;
    char gap[2048];
    fuss_mutex_t far;
} s;
static fuss_mutex_t *m;
static int go, registered;

static void *waiter(void *arg)
{
    (void)arg;
    fuss_mutex_lock(m);
    registered++;
    while (!go) CHECK_EQ(fuss_cond_wait(&s.c, m), 0);
    fuss_mutex_unlock(m);
    return NULL;
}

static void round_with(fuss_mutex_t *mutex)
{
    m = mutex;
    go = registered = 0;
    REQUIRE(fuss_cond_init(&s.c, 0) == 0);
    pthread_t t[WAITERS];
    for (int i = 0; i < WAITERS; i++) REQUIRE(pthread_create(&t[i], NULL, waiter, NULL) == 0);
    for (;;) {
        fuss_mutex_lock(m);
        if (registered == WAITERS) break;
        fuss_mutex_unlock(m);
        test_sleep_ms(1);
    }
    go = 1;
    CHECK_EQ(fuss_cond_broadcast(&s.c), 0);
    fuss_mutex_unlock(m);
    for (int i = 0; i < WAITERS; i++) pthread_join(t[i], NULL);
    CHECK_EQ(s.c.link >> 23, 0); /* INSIDE: nobody */
    CHECK_EQ(fuss_cond_destroy(&s.c), 0);
}

int main(void)
{
    test_watchdog(60, "cond_mutex_offset: a broadcast lost its waiters");
    round_with(&s.before);
    round_with(&s.after);
    round_with(&s.far);
    return test_done();
}
