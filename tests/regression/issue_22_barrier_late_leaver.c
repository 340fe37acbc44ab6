/* Issue 22, defect 1: the next round erased a late leaver's count.  Round
 * k+1 may be made of other threads than round k; its last arrival stored
 * LEAVING = count over the pending decrement of a round-k thread still
 * inside fuss_barrier_wait, so destroy returned while that thread was inside
 * (and the counter later wrapped to 0xffffffff).
 *
 * Made deterministic with hold.h: A sleeps in round k and is held there (as
 * a preemption would) while B completes round k and C, D do round k+1; then
 * destroy runs.  It must not return before A has left: the barrier lives in
 * its own page, which the destroyer replaces with PROT_NONE as soon as
 * destroy returns, so any later access by A faults (caught below).
 * Phase 2: the serial thread destroys at once while A is held, then the
 * memory is reused and the barrier re-initialised for more rounds. */
#include <sys/mman.h>

#include "hold.h"
#include "waiters.h"
#include "fuss/barrier.h"

static fuss_barrier_t *b;
static size_t page;

static void fresh_page(void)
{
    REQUIRE(mmap(b, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
                 0) == (void *)b);
}

static void bar_free(void)
{
    REQUIRE(mmap(b, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
            (void *)b);
}

static void on_segv(int sig)
{
    (void)sig;
    static const char msg[] = "SIGSEGV: a thread touched the barrier after destroy returned\n";
    ssize_t r = write(2, msg, sizeof msg - 1);
    (void)r;
    _exit(1);
}

struct job {
    pthread_t t;
    int result;
    _Atomic int done;
    int destroy_if_serial; /* the serial thread destroys and frees at once */
    int destroyed;
};

static void *do_wait(void *p)
{
    struct job *j = p;
    j->result = fuss_barrier_wait(b);
    if (j->destroy_if_serial && j->result == FUSS_BARRIER_SERIAL_THREAD) {
        j->destroyed = fuss_barrier_destroy(b);
        bar_free();
    }
    j->done = 1;
    return NULL;
}

static void *do_destroy(void *p)
{
    struct job *j = p;
    j->result = fuss_barrier_destroy(b);
    bar_free();
    j->done = 1;
    return NULL;
}

static void start(struct job *j, void *(*fn)(void *))
{
    j->done = 0;
    REQUIRE(pthread_create(&j->t, NULL, fn, j) == 0);
}

static void run_wait(struct job *j)
{
    start(j, do_wait);
    pthread_join(j->t, NULL);
}

/* Threads that have taken a ticket and not yet left (src/barrier.c, rows
 * (1) and (4)). */
static uint32_t inside(void)
{
    return __atomic_load_n(&b->arrived_, __ATOMIC_RELAXED) -
           __atomic_load_n(&b->leaving_, __ATOMIC_RELAXED);
}

/* Until j has finished or sleeps on word (destroy waiting for a leaver). */
static void finished_or_asleep(struct job *j, const uint32_t *word)
{
    for (int i = 0; i < 10000 && !j->done; i++) {
        if (count_waiters(word) >= 1) return;
        test_sleep_ms(1);
    }
    REQUIRE(j->done);
}

int main(void)
{
    test_watchdog(30, "barrier late leaver");
    test_hold_init();
    signal(SIGSEGV, on_segv);
    page = (size_t)sysconf(_SC_PAGESIZE);
    b = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(b != MAP_FAILED);

    /* Phase 1: round k = {A, B}, round k+1 = {C, D}, A still inside. */
    REQUIRE(fuss_barrier_init(b, 2, FUSS_PRIVATE) == 0);
    struct job a = {0}, bb = {0}, c = {0}, d = {0}, x = {0};
    start(&a, do_wait);
    await_waiters(&b->seq_, 1);
    test_hold(a.t);
    run_wait(&bb);
    CHECK_EQ(bb.result, FUSS_BARRIER_SERIAL_THREAD);
    start(&c, do_wait);
    await_waiters(&b->seq_, 1);
    run_wait(&d);
    pthread_join(c.t, NULL);
    CHECK_EQ(c.result + d.result, FUSS_BARRIER_SERIAL_THREAD);
    CHECK_EQ(inside(), 1); /* A's ticket is still counted */
    start(&x, do_destroy);
    finished_or_asleep(&x, &b->arrived_);
    CHECK(!x.done); /* destroy must wait for A */
    test_release();
    pthread_join(a.t, NULL);
    pthread_join(x.t, NULL);
    CHECK_EQ(a.result, 0);
    CHECK_EQ(x.result, 0);

    /* Phase 2: the serial thread destroys and frees at once while A is held
     * inside; then the memory is reused for a new barrier. */
    fresh_page();
    REQUIRE(fuss_barrier_init(b, 2, FUSS_PRIVATE) == 0);
    a = (struct job){0};
    bb = (struct job){.destroy_if_serial = 1};
    start(&a, do_wait);
    await_waiters(&b->seq_, 1);
    test_hold(a.t);
    start(&bb, do_wait);
    finished_or_asleep(&bb, &b->arrived_);
    CHECK(!bb.done);
    test_release();
    pthread_join(a.t, NULL);
    pthread_join(bb.t, NULL);
    CHECK_EQ(bb.result, FUSS_BARRIER_SERIAL_THREAD);
    CHECK_EQ(bb.destroyed, 0);

    fresh_page(); /* re-init on the same address */
    REQUIRE(fuss_barrier_init(b, 2, FUSS_PRIVATE) == 0);
    for (int round = 0; round < 3; round++) {
        c = (struct job){0};
        start(&c, do_wait);
        run_wait(&d);
        pthread_join(c.t, NULL);
        CHECK_EQ(c.result + d.result, FUSS_BARRIER_SERIAL_THREAD);
    }
    CHECK_EQ(inside(), 0);
    CHECK_EQ(fuss_barrier_destroy(b), 0);
    munmap(b, page);
    return test_done();
}
