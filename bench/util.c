/*
 * fuss-bench — timing, busy work, disturbance detection, latency histogram,
 * thread start line.
 */
#include "bench.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A dependent chain the compiler cannot fold: the "work outside the lock". */
BENCH_NOINLINE void bench_work(uint64_t iters)
{
    uint64_t x = iters | 1;
    for (uint64_t i = 0; i < iters; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        __asm__ __volatile__("" : "+r"(x));
    }
}

uint64_t bench_calibrate_work(double target_ns)
{
    const uint64_t probe = 2000000;
    double best = 1e9;
    for (int i = 0; i < 3; i++) { /* best of three: the least disturbed */
        double t0 = bench_now();
        bench_work(probe);
        double t = bench_now() - t0;
        if (t < best)
            best = t;
    }
    double per_iter_ns = best * 1e9 / (double)probe;
    uint64_t n = (uint64_t)(target_ns / per_iter_ns);
    return n ? n : 1;
}

static void *idle_main(void *arg)
{
    int fd = *(int *)arg;
    char c;
    /* Blocks for the life of the process: the write end is never written. */
    while (read(fd, &c, 1) < 0) {
    }
    return NULL;
}

/* glibc takes shortcuts (no atomics) while a process has never had a second
 * thread; keep one alive and idle so every figure is the multi-threaded one. */
void bench_start_idle_thread(void)
{
    static int fds[2];
    pthread_t t;
    if (pipe(fds) != 0 || pthread_create(&t, NULL, idle_main, &fds[0]) != 0) {
        perror("fuss-bench: idle thread");
        exit(2);
    }
    pthread_detach(t);
}

void bench_sample_init(struct bench_sample *s)
{
    memset(s, 0, sizeof *s);
    s->value = s->fair_minmax = s->fair_minmean = NAN;
    s->p50 = s->p99 = s->p999 = s->pmax = s->first = NAN;
    s->other_cpu = s->sleeps = NAN;
    s->ok = 1;
}

void bench_fairness(const uint64_t *counts, int n, struct bench_sample *s)
{
    uint64_t mn = UINT64_MAX, mx = 0, sum = 0;
    for (int i = 0; i < n; i++) {
        if (counts[i] < mn)
            mn = counts[i];
        if (counts[i] > mx)
            mx = counts[i];
        sum += counts[i];
    }
    s->fair_minmax = mx ? (double)mn / (double)mx : 0;
    s->fair_minmean = sum ? (double)mn * n / (double)sum : 0;
}

/* ---- disturbance: CPU time of everyone else during the point --------------- */

static uint64_t busy_ticks(void)
{
    FILE *f = fopen("/proc/stat", "r");
    if (!f)
        return 0;
    unsigned long long v[10] = {0};
    int got = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
                     &v[3], &v[4], &v[5], &v[6], &v[7]);
    fclose(f);
    if (got < 8)
        return 0;
    /* user nice system [idle] [iowait] irq softirq steal */
    return v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
}

uint64_t bench_own_cpu_us(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000u +
           (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

/* Per thread, not RUSAGE_SELF: the process-wide count would add the start
 * line's polling, the driver's sleep and join and the watchdog's wake-ups,
 * which a lock that never sleeps (mcs) would then be charged with. */
long bench_thread_nvcsw(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_THREAD, &ru) != 0)
        return 0;
    return ru.ru_nvcsw;
}

void bench_disturb_begin(struct bench_disturb *d)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    d->invcsw0 = ru.ru_nivcsw;
    d->own_us0 = bench_own_cpu_us();
    d->busy_ticks0 = busy_ticks();
    d->wall0 = bench_now();
}

void bench_disturb_end(struct bench_disturb *d, struct bench_sample *s, double extra_own_s)
{
    double wall = bench_now() - d->wall0;
    uint64_t busy = busy_ticks() - d->busy_ticks0;
    double own = (double)(bench_own_cpu_us() - d->own_us0) * 1e-6 + extra_own_s;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    s->invcsw = ru.ru_nivcsw - d->invcsw0;
    long hz = sysconf(_SC_CLK_TCK);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    if (hz <= 0 || ncpu <= 0 || wall <= 0 || busy == 0) {
        s->other_cpu = NAN;
        return;
    }
    double other = (double)busy / (double)hz - own;
    if (other < 0)
        other = 0; /* tick granularity */
    s->other_cpu = other / ((double)ncpu * wall);
}

/* ---- histogram ------------------------------------------------------------- */

static unsigned hist_index(uint64_t v)
{
    if (v < (1u << HIST_SUB_BITS))
        return (unsigned)v;
    unsigned msb = 63u - (unsigned)__builtin_clzll(v);
    unsigned shift = msb - HIST_SUB_BITS;
    unsigned idx = (shift + 1) * (1u << HIST_SUB_BITS) +
                   (unsigned)((v >> shift) & ((1u << HIST_SUB_BITS) - 1));
    return idx < HIST_BUCKETS ? idx : HIST_BUCKETS - 1;
}

static double hist_value(unsigned idx)
{
    if (idx < (1u << HIST_SUB_BITS))
        return idx;
    unsigned shift = idx / (1u << HIST_SUB_BITS) - 1;
    uint64_t mant = (1u << HIST_SUB_BITS) | (idx & ((1u << HIST_SUB_BITS) - 1));
    /* middle of the bucket */
    return ((double)mant + 0.5) * (double)(1ull << shift);
}

void hist_add(struct bench_hist *h, uint64_t v)
{
    h->b[hist_index(v)]++;
    h->n++;
    if (v > h->max)
        h->max = v;
}

void hist_merge(struct bench_hist *into, const struct bench_hist *from)
{
    for (unsigned i = 0; i < HIST_BUCKETS; i++)
        into->b[i] += from->b[i];
    into->n += from->n;
    if (from->max > into->max)
        into->max = from->max;
}

double hist_quantile(const struct bench_hist *h, double q)
{
    if (h->n == 0)
        return NAN;
    uint64_t rank = (uint64_t)ceil(q * (double)h->n);
    if (rank == 0)
        rank = 1;
    uint64_t acc = 0;
    for (unsigned i = 0; i < HIST_BUCKETS; i++) {
        acc += h->b[i];
        if (acc >= rank) {
            double v = hist_value(i);
            return v > (double)h->max ? (double)h->max : v;
        }
    }
    return (double)h->max;
}

/* ---- start line -------------------------------------------------------------- */

void gate_arrive_and_wait(struct bench_gate *g)
{
    __atomic_fetch_add(&g->ready, 1, __ATOMIC_ACQ_REL);
    while (!__atomic_load_n(&g->go, __ATOMIC_ACQUIRE))
        usleep(50); /* oversubscribed runs: do not burn the cores the others need */
}

int gate_stopped(const struct bench_gate *g)
{
    return __atomic_load_n(&g->stop, __ATOMIC_RELAXED);
}

void *bench_spawn(int n, void *(*fn)(void *), void *args, size_t sz)
{
    pthread_t *t = calloc((size_t)n, sizeof *t);
    if (!t)
        abort();
    for (int i = 0; i < n; i++) {
        if (pthread_create(&t[i], NULL, fn, (char *)args + (size_t)i * sz) != 0) {
            perror("fuss-bench: pthread_create");
            exit(2);
        }
    }
    return t;
}

void bench_join(void *threads, int n)
{
    pthread_t *t = threads;
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    free(t);
}

double gate_run(struct bench_gate *g, int n, double seconds, struct bench_disturb *d)
{
    while (__atomic_load_n(&g->ready, __ATOMIC_ACQUIRE) < (unsigned)n)
        usleep(100);
    if (d)
        bench_disturb_begin(d);
    double t0 = bench_now();
    __atomic_store_n(&g->go, 1, __ATOMIC_RELEASE);
    struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
    while (nanosleep(&ts, &ts) != 0) {
    }
    double t1 = bench_now();
    __atomic_store_n(&g->stop, 1, __ATOMIC_RELEASE);
    return t1 - t0;
}
