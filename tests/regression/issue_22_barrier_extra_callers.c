/* Issue 22: more than `count` concurrent callers of fuss_barrier_wait.  As
 * with glibc, the extras queue for the next round (barrier.h): count 3,
 * A and B sleep, C and E arrive together; one of them completes round 1,
 * the other waits for round 2, which F and G complete.  Before issue 22 an
 * extra could take its round from before its arrival and return at once.
 *
 * Phase 2 drives the epoch reset (src/barrier.c, B0/B6) without 2^31
 * arrivals: the words are set just below MAX_IN, and callers past MAX_IN
 * must sleep until the last ticket of the epoch (A, held inside) has left. */
#include "hold.h"
#include "waiters.h"
#include "fuss/barrier.h"

static fuss_barrier_t b;

struct job { pthread_t t; int result; _Atomic int done; };

static void *do_wait(void *p)
{
    struct job *j = p;
    j->result = fuss_barrier_wait(&b);
    j->done = 1;
    return NULL;
}

static void start(struct job *j)
{
    *j = (struct job){0};
    REQUIRE(pthread_create(&j->t, NULL, do_wait, j) == 0);
}

static int ndone(struct job *j, int n)
{
    int d = 0;
    for (int i = 0; i < n; i++) d += j[i].done;
    return d;
}

static int nserial(struct job *j, int n)
{
    int s = 0;
    for (int i = 0; i < n; i++) {
        CHECK(j[i].result == 0 || j[i].result == FUSS_BARRIER_SERIAL_THREAD);
        s += j[i].result == FUSS_BARRIER_SERIAL_THREAD;
    }
    return s;
}

int main(void)
{
    test_watchdog(30, "barrier extra callers");
    test_hold_init();

    /* Phase 1: 4 callers for a round of 3. */
    REQUIRE(fuss_barrier_init(&b, 3, FUSS_PRIVATE) == 0);
    struct job j[6];
    start(&j[0]);
    start(&j[1]);
    await_waiters(&b.seq_, 2);
    start(&j[2]);
    start(&j[3]);
    for (int i = 0; i < 10000 && ndone(j, 4) < 3; i++) test_sleep_ms(1);
    CHECK_EQ(ndone(j, 4), 3);
    await_waiters(&b.seq_, 1); /* the extra sleeps, queued for round 2 */
    CHECK_EQ(ndone(j, 4), 3);
    CHECK_EQ(__atomic_load_n(&b.arrived_, __ATOMIC_RELAXED), 4); /* the extra is inside */
    start(&j[4]);
    start(&j[5]);
    for (int i = 0; i < 6; i++) pthread_join(j[i].t, NULL);
    CHECK_EQ(nserial(j, 6), 2); /* one per round */
    CHECK_EQ(b.arrived_ - b.leaving_, 0);
    CHECK_EQ(fuss_barrier_destroy(&b), 0);

    /* Phase 2: the epoch ends at MAX_IN = 0x7ffffffe for count 2. */
    const uint32_t max_in = 0x7ffffffeu;
    REQUIRE(fuss_barrier_init(&b, 2, FUSS_PRIVATE) == 0);
    b.arrived_ = b.leaving_ = max_in - 2;
    b.seq_ = (max_in - 2) << 1; /* RELEASED, row (3) */
    start(&j[0]);                /* A: ticket MAX_IN - 1 */
    await_waiters(&b.seq_, 1);
    test_hold(j[0].t);
    start(&j[1]);                /* B: ticket MAX_IN, releases A's round */
    pthread_join(j[1].t, NULL);
    start(&j[2]);                /* C, D: past MAX_IN, wait for the reset */
    start(&j[3]);
    await_waiters(&b.arrived_, 2);
    CHECK_EQ(ndone(j, 4), 1);
    test_release();              /* A leaves last: the reset lets C, D in */
    for (int i = 0; i < 4; i++) pthread_join(j[i].t, NULL);
    CHECK_EQ(nserial(j, 4), 2);
    CHECK_EQ(b.arrived_, 2);     /* C and D: tickets 1 and 2 of the new epoch */
    CHECK_EQ(b.leaving_, 2);
    CHECK_EQ(b.seq_, 2u << 1);
    CHECK_EQ(fuss_barrier_destroy(&b), 0);
    return test_done();
}
