/*
 * The test harness: checks that count and report, a watchdog that turns a
 * hang into a diagnostic, and the seed / duration knobs of stress tests.
 *
 *   CHECK(cond)             record a failure (with file:line) and go on;
 *                           safe to call from several threads
 *   CHECK_EQ(a, b)          same, printing both values (as long long)
 *   REQUIRE(cond)           record and end the test program now
 *   test_watchdog(s, what)  abort with "what" if still running after s seconds
 *   test_seed()             FUSS_TEST_SEED or a fresh one; printed
 *   test_seconds(d)         FUSS_TEST_SECONDS or d (stress-test duration)
 *   test_done()             prints "N passed, N failed", returns the exit code
 *   test_read_task(t, f, b, n)  /proc/self/task/<t>/<f> into b (NUL-ended)
 *
 * Every test binary is linked with one backend's library; the same source
 * runs on both (tests/CMakeLists.txt).
 */
#ifndef FUSS_TEST_HARNESS_H
#define FUSS_TEST_HARNESS_H

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fuss.h"

static int test_checks_passed, test_checks_failed;
static const char *test_watchdog_what = "test";
static char test_watchdog_detail[512];

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (cond) __atomic_fetch_add(&test_checks_passed, 1, __ATOMIC_RELAXED);     \
        else { __atomic_fetch_add(&test_checks_failed, 1, __ATOMIC_RELAXED);        \
               fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } \
    } while (0)

#define CHECK_EQ(a, b)                                                                \
    do {                                                                              \
        long long va_ = (long long)(a), vb_ = (long long)(b);                         \
        if (va_ == vb_) __atomic_fetch_add(&test_checks_passed, 1, __ATOMIC_RELAXED); \
        else { __atomic_fetch_add(&test_checks_failed, 1, __ATOMIC_RELAXED);        \
               fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %s (%lld vs %lld)\n",   \
                       __FILE__, __LINE__, #a, #b, va_, vb_); }                       \
    } while (0)

#define REQUIRE(cond)                                                                 \
    do {                                                                              \
        if (!(cond)) { fprintf(stderr, "%s:%d: REQUIRE failed: %s\n", __FILE__,       \
                               __LINE__, #cond); exit(1); }                           \
    } while (0)

static inline int test_done(void)
{
    printf("%s: %d passed, %d failed\n", fuss_futex_backend(), test_checks_passed,
           test_checks_failed);
    return test_checks_failed ? 1 : 0;
}

static void test_watchdog_fire(int sig)
{
    (void)sig;
    static const char msg[] = "\nWATCHDOG: test hung (lost wake-up or deadlock?): ";
    ssize_t r = write(2, msg, sizeof msg - 1);
    r = write(2, test_watchdog_what, strlen(test_watchdog_what));
    r = write(2, "\n", 1);
    r = write(2, test_watchdog_detail, strlen(test_watchdog_detail));
    (void)r;
    abort();
}

static inline void test_watchdog(unsigned seconds, const char *what)
{
    test_watchdog_what = what;
    signal(SIGALRM, test_watchdog_fire);
    alarm(seconds);
}

static inline unsigned long test_seed(void)
{
    const char *s = getenv("FUSS_TEST_SEED");
    unsigned long seed;
    if (s) seed = strtoul(s, NULL, 0);
    else {
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        seed = (unsigned long)t.tv_nsec ^ ((unsigned long)getpid() << 16);
    }
    printf("seed: FUSS_TEST_SEED=%lu\n", seed);
    fflush(stdout);
    return seed;
}

static inline double test_seconds(double dflt)
{
    const char *s = getenv("FUSS_TEST_SECONDS");
    return s ? atof(s) : dflt;
}

/* xorshift64*: a tiny per-thread generator for seeded stress tests. */
static inline uint64_t test_rand(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

static inline double test_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static inline struct timespec test_deadline_in(clockid_t clock, long ms)
{
    struct timespec t;
    clock_gettime(clock, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) { t.tv_nsec -= 1000000000L; t.tv_sec++; }
    if (t.tv_nsec < 0) { t.tv_nsec += 1000000000L; t.tv_sec--; } /* ms < 0 */
    return t;
}

static inline void test_sleep_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&t, &t) != 0 && errno == EINTR) {}
}

/* Read /proc/self/task/<tid>/<file> (e.g. "stat", "syscall") into buf,
 * NUL-terminated; the test ends if it cannot be opened. */
static inline void test_read_task(pid_t tid, const char *file, char *buf, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/%s", (int)tid, file);
    FILE *f = fopen(path, "r");
    REQUIRE(f != NULL);
    size_t n = fread(buf, 1, size - 1, f);
    fclose(f);
    buf[n] = '\0';
}

static inline int test_is_emulated(void)
{
    return strcmp(fuss_futex_backend(), "emulated") == 0;
}

/* Spawn n threads running fn(arg_i) where arg_i = base + i*size; join all. */
static inline void test_run_threads(int n, void *(*fn)(void *), void *base, size_t size)
{
    pthread_t t[256];
    REQUIRE(n <= 256);
    for (int i = 0; i < n; i++)
        REQUIRE(pthread_create(&t[i], NULL, fn, (char *)base + (size_t)i * size) == 0);
    for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
}

#endif
