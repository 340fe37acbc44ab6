/* Issue 22, the class of defect 5 outside the mutexes: the SHARED bit of
 * a sem, rwlock, event, latch, barrier or once word chooses the futex
 * flags of its sleeps, so another process's garbage there made the wait
 * answer ENOTSUP wherever there are no process-shared futexes (the
 * emulated backend), and each of these primitives aborted on that answer
 * (check_wait / fuss__require), where the honest side must get an errno
 * (DESIGN.md, "Lifecycle rules").  Now each returns EINVAL, as mutex.c and
 * once.c already did.  Each call runs in a child process, so an abort is a
 * failed check, not the end of the test.
 *
 * On linux the garbage bit only makes a private word's sleeps shared,
 * which works: the timed calls (past deadline) answer ETIMEDOUT there, and
 * the untimed ones, which would sleep, run on the emulated backend only. */
#include "process.h"

#include <fuss/barrier.h>
#include <fuss/event.h>
#include <fuss/once.h>
#include <fuss/rwlock.h>
#include <fuss/sem.h>

#include "internal/sem.h" /* FUSS__SEM_SHARED */

/* The words' SHARED bits and states, from each file's table. */
#define RW_WRITE_LOCKED 0x3fffffffu /* src/rwlock.c row (1) */
#define RW_SHARED       0x1u        /* src/rwlock.c row (4) */
#define EV_AUTO         0x4u        /* src/event.c row (3) */
#define EV_SHARED       0x8u        /* src/event.c row (4) */
#define LATCH_SHARED    0x80000000u /* src/event.c row (8) */
#define BAR_SHARED      0x80000000u /* src/barrier.c row (6) */
#define ONCE_RUNNING    1u          /* src/once.c row (2) */
#define ONCE_SHARED     0x80000000u /* src/once.c row (5) */

static const struct timespec past = { 0, 0 };
static int emulated;

static int expect; /* what the call must answer */
static int (*call)(void);

static int child(void *arg)
{
    (void)arg;
    int r = call();
    if (r != expect) fprintf(stderr, "  answered %d, not %d\n", r, expect);
    return r == expect ? 0 : 1;
}

/* Run fn in a child: it must answer `want`, not abort. */
static void check_call(const char *what, int (*fn)(void), int want)
{
    printf("%s: %d\n", what, want);
    call = fn;
    expect = want;
    CHECK(test_wait_ok(test_fork(child, NULL)));
}

static int sem_timed(void)
{
    fuss_sem_t s;
    s.state_ = FUSS__SEM_SHARED; /* value 0 */
    int r = fuss_sem_timedwait(&s, CLOCK_MONOTONIC, &past);
    /* The waiter left as if it had never waited (WAITERS back to 0). */
    return fuss_sem_destroy(&s) == 0 ? r : -1;
}

static int sem_untimed(void)
{
    fuss_sem_t s;
    s.state_ = FUSS__SEM_SHARED;
    int r = fuss_sem_wait(&s);
    return fuss_sem_destroy(&s) == 0 ? r : -1;
}

static fuss_rwlock_t write_held(void)
{
    fuss_rwlock_t rw;
    rw.state_ = RW_WRITE_LOCKED; /* "another process" holds it */
    rw.wseq_ = RW_SHARED;
    return rw;
}

static int rw_timedrd(void)
{
    fuss_rwlock_t rw = write_held();
    return fuss_rwlock_timedrdlock(&rw, CLOCK_MONOTONIC, &past);
}

static int rw_timedwr(void)
{
    fuss_rwlock_t rw = write_held();
    return fuss_rwlock_timedwrlock(&rw, CLOCK_MONOTONIC, &past);
}

static int rw_rd(void)
{
    fuss_rwlock_t rw = write_held();
    return fuss_rwlock_rdlock(&rw);
}

static int rw_wr(void)
{
    fuss_rwlock_t rw = write_held();
    return fuss_rwlock_wrlock(&rw);
}

static int ev_timed_manual(void)
{
    fuss_event_t e;
    e.state_ = EV_SHARED;
    return fuss_event_timedwait(&e, CLOCK_MONOTONIC, &past);
}

static int ev_timed_auto(void)
{
    fuss_event_t e;
    e.state_ = EV_SHARED | EV_AUTO;
    return fuss_event_timedwait(&e, CLOCK_MONOTONIC, &past);
}

static int ev_manual(void)
{
    fuss_event_t e;
    e.state_ = EV_SHARED;
    return fuss_event_wait(&e);
}

static int ev_auto(void)
{
    fuss_event_t e;
    e.state_ = EV_SHARED | EV_AUTO;
    return fuss_event_wait(&e);
}

static int latch_timed(void)
{
    fuss_latch_t l;
    l.count_ = 1 | LATCH_SHARED;
    l.gen_ = 0;
    return fuss_latch_timedwait(&l, CLOCK_MONOTONIC, &past);
}

static int latch_untimed(void)
{
    fuss_latch_t l;
    l.count_ = 1 | LATCH_SHARED;
    l.gen_ = 0;
    return fuss_latch_wait(&l);
}

static int bar_round(void)
{
    fuss_barrier_t b;
    b.arrived_ = 0;
    b.seq_ = 0;
    b.leaving_ = 0;
    b.count_ = 1 | BAR_SHARED; /* count 2: the first arrival sleeps (B3) */
    int r = fuss_barrier_wait(&b);
    /* Its ticket left (B4): destroy sees a round half full, not a hang. */
    return b.leaving_ == 1 ? r : -1;
}

static int bar_full(void)
{
    fuss_barrier_t b;
    b.arrived_ = 0x7fffffffu; /* above MAX_IN (0x7ffffffe for count 2): B0 */
    b.seq_ = 0;
    b.leaving_ = 0;
    b.count_ = 1 | BAR_SHARED;
    return fuss_barrier_wait(&b);
}

static int bar_destroy(void)
{
    fuss_barrier_t b;
    b.arrived_ = 1; /* count 1: one ticket taken, not left: B5 sleeps */
    b.seq_ = 0;
    b.leaving_ = 0;
    b.count_ = 0 | BAR_SHARED;
    return fuss_barrier_destroy(&b);
}

static void never(void) {}

static int once_running(void)
{
    fuss_once_t o;
    o.state_ = ONCE_RUNNING | ONCE_SHARED; /* "another process" runs fn */
    return fuss_once(&o, never);
}

int main(void)
{
    test_watchdog(60, "a call on a word with a garbage SHARED bit never returned");
    emulated = test_is_emulated();
    int timed = emulated ? EINVAL : ETIMEDOUT;
    check_call("sem timedwait", sem_timed, timed);
    check_call("rwlock timedrdlock", rw_timedrd, timed);
    check_call("rwlock timedwrlock", rw_timedwr, timed);
    check_call("event timedwait, manual", ev_timed_manual, timed);
    check_call("event timedwait, auto-reset", ev_timed_auto, timed);
    check_call("latch timedwait", latch_timed, timed);
    if (!emulated) {
        printf("linux: the untimed calls would sleep (a shared futex works here); skipped\n");
        return test_done();
    }
    check_call("sem wait", sem_untimed, EINVAL);
    check_call("rwlock rdlock", rw_rd, EINVAL);
    check_call("rwlock wrlock", rw_wr, EINVAL);
    check_call("event wait, manual", ev_manual, EINVAL);
    check_call("event wait, auto-reset", ev_auto, EINVAL);
    check_call("latch wait", latch_untimed, EINVAL);
    check_call("barrier wait, in a round", bar_round, EINVAL);
    check_call("barrier wait, waiting for the reset", bar_full, EINVAL);
    check_call("barrier destroy", bar_destroy, EINVAL);
    check_call("once, another caller running", once_running, EINVAL);
    return test_done();
}
