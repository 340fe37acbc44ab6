/*
 * A gate that stops one thread right after the atomic that releases a lock
 * word, at that exact instruction, and keeps it there: the deterministic
 * way to test NO TOUCH AFTER RELEASE (DESIGN.md, "Lifecycle rules"; issue
 * 22).  Linux on x86-64 only; elsewhere gate_supported() is false and the
 * test says it skipped.  Not for sanitizer builds (FUSS_TEST_NO_SANITIZER):
 * their runtimes run the atomics, and would be stepped through.
 *
 *   gate_init()                   install the SIGSEGV and SIGTRAP handlers
 *   gate_arm(page, word, done)    from the thread to stop, just before its
 *                                 unlock call: every write it makes to page
 *                                 is single-stepped; after each one the gate
 *                                 reads *word, and once done(*word) says the
 *                                 lock is free, the thread is held in the
 *                                 SIGTRAP handler
 *   gate_await_held()             (another thread) wait until it is held
 *   gate_open()                   let it run on; from here on any access it
 *                                 makes to page ends the test with
 *                                 "TOUCH AFTER RELEASE" (exit status 1)
 *
 * HOW.  gate_arm makes the page read-only, so the thread's next write to it
 * (an atomic read-modify-write, even one whose compare fails) faults before
 * it happens.  The SIGSEGV handler makes the page writable again and sets
 * the trap flag (TF) in the saved flags, so the faulting instruction runs
 * once and the CPU stops the thread right after it with SIGTRAP.  There the
 * gate looks at the word: still held, it write-protects the page again and
 * lets the thread go on to its next write; free, it parks the thread until
 * gate_open().  Meanwhile the test lets another thread take the lock,
 * release and destroy it, and replace the page with an inaccessible mapping
 * (mmap MAP_FIXED, PROT_NONE), as a program that frees the lock would.  A
 * later load or store by the stopped thread then faults again, and the
 * SIGSEGV handler reports it.  Wakes that only name the address do not
 * fault: a private futex wake never reads the word (either backend).
 *
 * Plain reads of the page (loads) are not stopped while armed: a load does
 * not release anything.  Another thread that writes to the page while it is
 * write-protected waits in the handler until the armed thread is held (a
 * legal schedule: as if it had been preempted).  One gate at a time, one
 * armed thread.
 */
#ifndef FUSS_TEST_FUTEX_GATE_H
#define FUSS_TEST_FUTEX_GATE_H

#include <stdbool.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>

#include "harness.h"

#if defined(__linux__) && defined(__x86_64__)
#define GATE_SUPPORTED 1
#else
#define GATE_SUPPORTED 0
#endif

enum { GATE_OFF, GATE_ARMED, GATE_STEPPING, GATE_HELD, GATE_OPEN };

static struct {
    char *page;
    size_t len;
    const uint32_t *word;
    bool (*done)(uint32_t);
    long tid;
    _Atomic int phase;
    _Atomic int open;
    _Atomic int steps;   /* writes stepped over, for the test's report */
} gate;

static inline bool gate_supported(void) { return GATE_SUPPORTED; }

static inline bool gate_in_page(const void *a)
{
    return (const char *)a >= gate.page && (const char *)a < gate.page + gate.len;
}

static void gate_say(const char *s)
{
    ssize_t r = write(2, s, strlen(s));
    (void)r;
}

#if GATE_SUPPORTED
#define GATE_TF 0x100 /* EFLAGS trap flag */

static void gate_segv(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = (ucontext_t *)ctx;
    if (gate_in_page(si->si_addr) && syscall(SYS_gettid) == gate.tid) {
        if (gate.phase == GATE_ARMED) {
            if (mprotect(gate.page, gate.len, PROT_READ | PROT_WRITE) != 0) _exit(3);
            uc->uc_mcontext.gregs[REG_EFL] |= GATE_TF;
            gate.phase = GATE_STEPPING;
            return;
        }
        if (gate.phase == GATE_OPEN) {
            gate_say("TOUCH AFTER RELEASE: the unlocking thread accessed the lock's memory "
                     "after the atomic that released it (another thread had already taken, "
                     "released, destroyed and unmapped it)\n");
            _exit(1);
        }
    }
    if (gate_in_page(si->si_addr) &&
        (gate.phase == GATE_ARMED || gate.phase == GATE_STEPPING)) {
        /* Another thread writes while the page is write-protected: it just
         * waits (as if preempted) until the armed thread is held and the
         * page writable, then retries. */
        struct timespec ms = {0, 1000000};
        while (gate.phase == GATE_ARMED || gate.phase == GATE_STEPPING) nanosleep(&ms, NULL);
        return;
    }
    /* Not ours: the default action, by faulting again. */
    signal(sig, SIG_DFL);
}

static void gate_trap(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    ucontext_t *uc = (ucontext_t *)ctx;
    if (gate.phase != GATE_STEPPING) return;
    uc->uc_mcontext.gregs[REG_EFL] &= ~(greg_t)GATE_TF;
    gate.steps++;
    if (!gate.done(__atomic_load_n(gate.word, __ATOMIC_SEQ_CST))) {
        if (mprotect(gate.page, gate.len, PROT_READ) != 0) _exit(3);
        gate.phase = GATE_ARMED;
        return;
    }
    gate.phase = GATE_HELD;
    struct timespec ms = {0, 1000000};
    while (!gate.open) nanosleep(&ms, NULL);
    gate.phase = GATE_OPEN;
}
#endif

static inline void gate_init(void)
{
#if GATE_SUPPORTED
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sa.sa_sigaction = gate_segv;
    REQUIRE(sigaction(SIGSEGV, &sa, NULL) == 0);
    sa.sa_sigaction = gate_trap;
    REQUIRE(sigaction(SIGTRAP, &sa, NULL) == 0);
#endif
}

static inline void gate_arm(void *page, size_t len, const uint32_t *word, bool (*done)(uint32_t))
{
    gate.page = (char *)page;
    gate.len = len;
    gate.word = word;
    gate.done = done;
    gate.open = 0;
    gate.steps = 0;
    gate.tid = syscall(SYS_gettid);
    gate.phase = GATE_ARMED;
    REQUIRE(mprotect(page, len, PROT_READ) == 0);
}

static inline void gate_await_held(void)
{
    for (int i = 0; gate.phase != GATE_HELD; i++) {
        if (i >= 10000) { /* 10 s */
            fprintf(stderr, "gate: the armed thread never released the word (phase %d)\n",
                    (int)gate.phase);
            exit(1);
        }
        test_sleep_ms(1);
    }
}

static inline void gate_open(void) { gate.open = 1; }

/* After the armed thread's call returned: stop watching the page. */
static inline void gate_disarm(void) { gate.phase = GATE_OFF; }

#endif
