/*
 * Hold one thread where it is, as a preemption would, and let it go later:
 * the deterministic way to open a race window (issue 22).
 *
 *   test_hold_init()     install the handler (SIGUSR2); once per program
 *   test_hold(t)         interrupt thread t and keep it in a signal handler
 *                        that blocks reading a pipe; returns once it is there
 *   test_release()       let the held thread return from its handler
 *
 * A thread asleep in a wait (either backend: a futex syscall or the emulated
 * backend's parker) is held "inside the wait": whatever wakes it meanwhile,
 * it runs on only after test_release(), from the point where it slept, so
 * another thread can finish a round, destroy, re-initialise or free the
 * object first.  The handler is installed without SA_RESTART, so a kernel
 * wait returns EINTR and the library's own loop re-checks its word, as after
 * any spurious wake-up.  One thread is held at a time.
 */
#ifndef FUSS_TEST_HOLD_H
#define FUSS_TEST_HOLD_H

#include "harness.h"

static int test_hold_pipe[2] = {-1, -1};
static _Atomic int test_hold_entered;

static void test_hold_handler(int sig)
{
    (void)sig;
    int saved = errno;
    test_hold_entered = 1;
    char c;
    while (read(test_hold_pipe[0], &c, 1) < 0 && errno == EINTR) {}
    errno = saved;
}

static inline void test_hold_init(void)
{
    REQUIRE(pipe(test_hold_pipe) == 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = test_hold_handler;
    sigemptyset(&sa.sa_mask);
    REQUIRE(sigaction(SIGUSR2, &sa, NULL) == 0);
}

/* The kernel's thread id of t: glibc's thread CPU clock encodes it
 * (clockid = ~tid << 3 | CPUCLOCK_PERTHREAD | CPUCLOCK_SCHED, the kernel's
 * ABI for per-thread clocks), and glibc 2.36 has no pthread_gettid_np. */
static inline pid_t test_tid_of(pthread_t t)
{
    clockid_t clock;
    REQUIRE(pthread_getcpuclockid(t, &clock) == 0);
    return (pid_t)~((int)clock >> 3);
}

/* Whether thread tid is asleep in a system call ('S' in its stat). */
static inline int test_thread_sleeps(pid_t tid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
    FILE *f = fopen(path, "r");
    REQUIRE(f != NULL);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    const char *state = strrchr(buf, ')'); /* the name may hold spaces */
    return state && state[1] == ' ' && state[2] == 'S';
}

static inline void test_hold(pthread_t t)
{
    /* Send only once t sleeps in the kernel, and has for 5 ms running: a
     * signal that lands while it still runs library code may be handled
     * there (TSan defers every signal to its next interceptor, e.g. the
     * return of the emulated backend's bucket lock), and a thread held
     * holding a lock is not held "inside the wait". */
    pid_t tid = test_tid_of(t);
    for (int i = 0, asleep = 0; asleep < 5; i++) {
        REQUIRE(i < 10000); /* 10 s */
        asleep = test_thread_sleeps(tid) ? asleep + 1 : 0;
        test_sleep_ms(1);
    }
    test_hold_entered = 0;
    REQUIRE(pthread_kill(t, SIGUSR2) == 0);
    for (int i = 0; !test_hold_entered; i++) {
        REQUIRE(i < 10000); /* 10 s */
        test_sleep_ms(1);
    }
}

static inline void test_release(void)
{
    REQUIRE(write(test_hold_pipe[1], "x", 1) == 1);
}

#endif
