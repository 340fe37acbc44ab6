/* Issue 22, defect 3: an rwlock unlock must not touch the lock after the
 * atomic that releases it (DESIGN.md, "No touch after release").  POSIX lets
 * a program destroy and free an rwlock as soon as nobody holds it; a thread
 * that took it right after the release may do that while the unlocker is
 * still inside its unlock call.
 *
 * Each case runs in a child process with the lock alone in a page.  The
 * unlocker U is stopped by tests/harness/futex_gate.h at the exact
 * instruction after its releasing atomic.  Meanwhile the other thread, asleep
 * on the lock, is woken (a spurious wake-up, which the futex contract
 * allows), finds the lock free, takes it, unlocks, destroys it and replaces
 * the page with an inaccessible mapping.  Then U runs on: any access of U to
 * the lock now faults, and the gate reports TOUCH AFTER RELEASE.
 *
 *   rdunlock: U is the last reader; a writer sleeps (WR_WAIT), so U's unlock
 *             has a wake-up to do.
 *   wrunlock: U is the writer; a reader sleeps (RD_WAIT).
 *
 * FUSS_TEST_NO_SANITIZER: the gate single-steps the thread, which under a
 * sanitizer runtime would step through the runtime's own code. */
#include <stdbool.h>
#include <sys/wait.h>

#include "futex_gate.h"
#include "waiters.h"

#define RW_READERS_MASK 0x3fffffffu /* src/rwlock.c, row (1) */

static fuss_rwlock_t *rw;
static size_t page;
static _Atomic int u_holds, u_go, freed;
static int u_result = -1;

static bool lock_free(uint32_t state) { return (state & RW_READERS_MASK) == 0; }

static void free_lock(void)
{
    REQUIRE(fuss_rwlock_destroy(rw) == 0);
    REQUIRE(mmap(rw, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
            (void *)rw);
    freed = 1;
}

/* U: takes the lock its way, then (once told) unlocks through the gate. */
static void *unlocker(void *arg)
{
    bool writer = arg != NULL;
    REQUIRE((writer ? fuss_rwlock_wrlock(rw) : fuss_rwlock_rdlock(rw)) == 0);
    u_holds = 1;
    while (!u_go) sched_yield();
    gate_arm(rw, page, &rw->state_, lock_free);
    u_result = writer ? fuss_rwlock_wrunlock(rw) : fuss_rwlock_rdunlock(rw);
    gate_disarm();
    return NULL;
}

/* The other thread: sleeps on the lock behind U, then frees it. */
static void *freer(void *arg)
{
    bool writer = arg != NULL;
    if (writer) {
        REQUIRE(fuss_rwlock_wrlock(rw) == 0);
        REQUIRE(fuss_rwlock_wrunlock(rw) == 0);
    } else {
        REQUIRE(fuss_rwlock_rdlock(rw) == 0);
        REQUIRE(fuss_rwlock_rdunlock(rw) == 0);
    }
    free_lock();
    return NULL;
}

/* One case, in this (child) process.  u_writer: U holds the write lock and
 * a reader sleeps; else U holds a read lock and a writer sleeps. */
static int run_case(bool u_writer)
{
    test_watchdog(30, u_writer ? "rwlock touch after release: wrunlock"
                               : "rwlock touch after release: rdunlock");
    page = (size_t)sysconf(_SC_PAGESIZE);
    void *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(p != MAP_FAILED);
    rw = (fuss_rwlock_t *)p;
    REQUIRE(fuss_rwlock_init(rw, FUSS_PRIVATE) == 0);
    gate_init();
    pthread_t u, f;
    REQUIRE(pthread_create(&u, NULL, unlocker, u_writer ? (void *)1 : NULL) == 0);
    while (!u_holds) sched_yield();
    REQUIRE(pthread_create(&f, NULL, freer, u_writer ? NULL : (void *)1) == 0);
    /* Readers sleep on the state word, writers on the wake word. */
    const uint32_t *sleep_word = u_writer ? &rw->state_ : &rw->wseq_;
    await_waiters(sleep_word, 1);
    u_go = 1;
    gate_await_held(); /* U has released the lock and is stopped there */
    REQUIRE(fuss_futex_wake(sleep_word, 1, FUSS_PRIVATE, NULL) == 0);
    while (!freed) sched_yield();
    gate_open();
    pthread_join(u, NULL);
    pthread_join(f, NULL);
    CHECK_EQ(u_result, 0);
    return test_done();
}

static void one(const char *name, bool u_writer)
{
    fflush(NULL);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) _exit(run_case(u_writer));
    int st;
    REQUIRE(waitpid(pid, &st, 0) == pid);
    bool ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
    if (!ok) fprintf(stderr, "case %s failed (status %#x)\n", name, st);
    CHECK(ok);
}

int main(void)
{
    if (!gate_supported()) {
        printf("skipped: the gate needs Linux on x86-64\n");
        return 0;
    }
    test_watchdog(60, "rwlock touch after release");
    one("rdunlock (last reader, writer asleep)", false);
    one("wrunlock (writer, reader asleep)", true);
    return test_done();
}
