/*
 * fuss-bench — shared declarations.
 *
 * The benchmark is one driver (main.c) crossing scenarios (scenarios.c) with
 * implementations (impl_*.c).  Each impl_*.c registers its entries from a
 * constructor, so a binary holds exactly the implementations whose sources
 * were linked into it: fuss-bench (fuss on the linux backend, glibc, nsync,
 * references), fuss-bench-emulated (fuss on the emulated backend) and
 * fuss-bench-musl (the pthread rows on musl).  The driver runs the latter two
 * as subprocesses, one measurement point per process, and merges their
 * results, so implementations from all three stay interleaved.
 */
#ifndef FUSS_BENCH_H
#define FUSS_BENCH_H

#include <stddef.h>
#include <stdint.h>

/* C++ adapters (impl_abseil.cc) include this header too. */
#ifdef __cplusplus
#  define BENCH_ALIGNAS(n) alignas(n)
extern "C" {
#else
#  define BENCH_ALIGNAS(n) _Alignas(n)
#endif

#if defined(__x86_64__) || defined(__i386__)
#  define bench_pause() __builtin_ia32_pause()
#elif defined(__aarch64__)
#  define bench_pause() __asm__ __volatile__("yield")
#else
#  define bench_pause() ((void)0)
#endif

#define BENCH_NOINLINE __attribute__((noinline))
#define BENCH_LINE 128 /* two cache lines: keeps the adjacent-line prefetcher out */

/* Storage for any lock object, alone on its own pair of cache lines. */
struct bench_slot {
    BENCH_ALIGNAS(BENCH_LINE) unsigned char bytes[BENCH_LINE];
};

enum bench_kind { K_MUTEX, K_COND, K_SEM, K_RWLOCK, K_FUTEX, K_NKINDS };

#define IMPL_SHARED_OK   0x01u /* works in MAP_SHARED memory between processes */
#define IMPL_REFERENCE   0x02u /* non-sleeping reference: uncontended rows only */
#define IMPL_HANDOFF     0x04u /* pipe / eventfd: ping-pong rows only */
#define IMPL_REMOTE      0x08u /* lives in another binary (run as subprocess) */
#define IMPL_UNCONTENDED 0x10u /* a variant shown in the uncontended rows only
                                  (fuss-shared: its contended path is fuss's) */

struct bench_impl {
    const char *name;      /* row label; "glibc" is the ratio base */
    enum bench_kind kind;
    unsigned flags;
    const char *type_name; /* for the sizes row */
    size_t size;           /* sizeof the object */

    /* all kinds except K_FUTEX; shared != 0 asks for process-shared mode.
     * Returns 0 or an errno (the point is then skipped). */
    int (*init)(void *o, int shared);
    void (*destroy)(void *o);

    /* K_MUTEX (and the companion mutex of K_COND) */
    void (*lock)(void *o);
    void (*unlock)(void *o);
    /* K_RWLOCK: lock/unlock above are the write side */
    void (*rdlock)(void *o);
    void (*rdunlock)(void *o);
    /* K_COND */
    const struct bench_impl *mutex;
    void (*wait)(void *c, void *m);
    void (*signal)(void *c);
    void (*broadcast)(void *c);
    /* K_SEM */
    void (*post)(void *s);
    void (*semwait)(void *s);
    /* K_FUTEX: returns 0 or an errno (EAGAIN expected in futex-hash) */
    int (*fwait)(uint32_t *w, uint32_t val);
    void (*fwake)(uint32_t *w, unsigned n);

    /* Uncontended loops, each a direct (non-inlined) call to the
     * implementation's own functions, n times. */
    void (*loop)(void *o, uint64_t n);    /* mutex pair / sem post+wait pair */
    void (*loop_rd)(void *o, uint64_t n); /* rwlock read pair */
    void (*loop_wr)(void *o, uint64_t n); /* rwlock write pair */

    const char *host; /* IMPL_REMOTE: the binary that runs it */
};

void bench_register(const struct bench_impl *impl);
/* An object that has no timed row (barrier, once, event...) but a size. */
void bench_register_size(const char *impl, const char *param, const char *type, size_t size);

/* Generates `static void loop_<tag>(void *o, uint64_t n)` calling the
 * implementation's lock and unlock directly, with nothing inlined into the
 * loop that the others would not get. */
#define BENCH_PAIR_LOOP(tag, type, first, second)                              \
    static BENCH_NOINLINE void loop_##tag(void *o, uint64_t n)                 \
    {                                                                          \
        type *obj = o;                                                         \
        for (uint64_t i = 0; i < n; i++) {                                     \
            first(obj);                                                        \
            second(obj);                                                       \
            __asm__ __volatile__("" ::: "memory");                             \
        }                                                                      \
    }

/* One measurement of one point. NaN where a figure does not apply. */
struct bench_sample {
    double value;        /* the scenario's main figure, in its unit */
    double fair_minmax;  /* fewest / most acquisitions per thread */
    double fair_minmean; /* fewest / mean */
    double p50, p99, p999, pmax; /* acquire latency, ns */
    double other_cpu;    /* CPU time of other processes / (ncpu * wall) */
    double first;        /* broadcast: until the first waiter holds the mutex, us */
    long invcsw;         /* involuntary context switches during the point */
    double sleeps;       /* contended locks: voluntary context switches of the
                            measuring threads / acquisitions */
    int ok;              /* the correctness check passed */
    int skipped;         /* could not run (note says why) */
    char note[120];
};

struct bench_params {
    int threads;
    double seconds;
    uint64_t work_iters;    /* iterations of bench_work() for ~1 us */
    uint64_t callgrind_n;   /* fixed-iteration mode (0 = timed) */
    int self_test;
};

/* Scenario entry points (scenarios.c, futexbench.c, pshared.c) */
struct bench_scenario {
    const char *name;
    enum bench_kind kind;
    const char *unit;
    int higher_better;
    const int *threads; /* default thread counts, 0-terminated; NULL = one point at 0 */
    const char *base;   /* ratio base implementation */
    const char *desc;
    int (*accepts)(const struct bench_impl *impl);
    void (*run)(const struct bench_impl *impl, const struct bench_params *p,
                struct bench_sample *s);
};

extern const struct bench_scenario bench_scenarios[];
extern const int bench_nscenarios;

/* util.c */
double bench_now(void);                 /* CLOCK_MONOTONIC seconds */
uint64_t bench_now_ns(void);
void bench_work(uint64_t iters);        /* busy work outside the lock */
uint64_t bench_calibrate_work(double target_ns);
void bench_start_idle_thread(void);
void bench_sample_init(struct bench_sample *s);
void bench_fairness(const uint64_t *counts, int n, struct bench_sample *s);

struct bench_disturb {
    double wall0;
    uint64_t busy_ticks0, own_us0;
    long invcsw0;
};
void bench_disturb_begin(struct bench_disturb *d);
void bench_disturb_end(struct bench_disturb *d, struct bench_sample *s, double extra_own_s);
uint64_t bench_own_cpu_us(void);
/* Voluntary context switches (sleeps) of the calling thread so far. */
long bench_thread_nvcsw(void);

/* latency histogram (log-linear, ~3% resolution) */
#define HIST_SUB_BITS 5
#define HIST_BUCKETS (64 << HIST_SUB_BITS)
struct bench_hist {
    uint64_t n, max;
    uint64_t b[HIST_BUCKETS];
};
void hist_add(struct bench_hist *h, uint64_t v);
void hist_merge(struct bench_hist *into, const struct bench_hist *from);
double hist_quantile(const struct bench_hist *h, double q);

/* A start line for the threads of one point. */
struct bench_gate {
    BENCH_ALIGNAS(BENCH_LINE) unsigned ready;
    BENCH_ALIGNAS(BENCH_LINE) unsigned go;
    BENCH_ALIGNAS(BENCH_LINE) unsigned stop;
};
void gate_arrive_and_wait(struct bench_gate *g);
int gate_stopped(const struct bench_gate *g);
/* Start fn(args + i*sz) on n threads; join them. */
void *bench_spawn(int n, void *(*fn)(void *), void *args, size_t sz);
void bench_join(void *threads, int n);
/* Wait for n threads at the gate, open it, let them run for seconds, raise
 * stop; returns the measured interval (go to stop) in seconds. */
double gate_run(struct bench_gate *g, int n, double seconds, struct bench_disturb *d);

#ifdef __cplusplus
}
#endif

#endif
