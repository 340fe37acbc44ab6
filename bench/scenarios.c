/*
 * fuss-bench — the scenarios.  Each run function measures one point (one
 * implementation, one thread count, one repetition) and fills a sample; the
 * driver (main.c) repeats, interleaves and aggregates.  Every scenario also
 * checks what it can about correctness (shared counter == acquisitions,
 * ping-pong counts agree, no reader saw a half-done write) and clears
 * sample->ok when that fails; the self-test asserts those checks.
 */
#include "bench.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void *alloc_shared(size_t size, int shared)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("fuss-bench: mmap");
        exit(2);
    }
    return p; /* zero-filled */
}

static void skip(struct bench_sample *s, const char *why, int err)
{
    s->skipped = 1;
    if (err)
        snprintf(s->note, sizeof s->note, "%s: %s", why, strerror(err));
    else
        snprintf(s->note, sizeof s->note, "%s", why);
}

/* ---- accept predicates ------------------------------------------------------ */

static int acc_mutex_all(const struct bench_impl *i) { return i->kind == K_MUTEX; }
static int acc_mutex(const struct bench_impl *i)
{
    return i->kind == K_MUTEX && !(i->flags & (IMPL_REFERENCE | IMPL_UNCONTENDED));
}
static int acc_rwlock(const struct bench_impl *i) { return i->kind == K_RWLOCK; }
static int acc_sem_pair(const struct bench_impl *i)
{
    return i->kind == K_SEM && !(i->flags & IMPL_HANDOFF);
}
static int acc_sem(const struct bench_impl *i) { return i->kind == K_SEM; }
static int acc_cond(const struct bench_impl *i) { return i->kind == K_COND; }
static int acc_cond_shared(const struct bench_impl *i)
{
    return i->kind == K_COND && (i->flags & IMPL_SHARED_OK);
}
static int acc_sem_shared(const struct bench_impl *i)
{
    return i->kind == K_SEM && (i->flags & IMPL_SHARED_OK);
}
static int acc_futex_rt(const struct bench_impl *i)
{
    return i->kind == K_FUTEX || (i->kind == K_SEM && (i->flags & IMPL_HANDOFF));
}
static int acc_futex(const struct bench_impl *i) { return i->kind == K_FUTEX; }

/* ---- uncontended ------------------------------------------------------------ */

/* callgrind.sh collects instructions inside this function only
 * (valgrind --toggle-collect=bench_callgrind_region). */
BENCH_NOINLINE void bench_callgrind_region(void (*loop)(void *, uint64_t), void *o, uint64_t n);
BENCH_NOINLINE void bench_callgrind_region(void (*loop)(void *, uint64_t), void *o, uint64_t n)
{
    loop(o, n);
    __asm__ __volatile__("" ::: "memory");
}

static void run_loop(void (*loop)(void *, uint64_t), void *o, const struct bench_params *p,
                     struct bench_sample *s)
{
    if (p->callgrind_n) {
        bench_callgrind_region(loop, o, p->callgrind_n);
        s->value = (double)p->callgrind_n;
        return;
    }
    loop(o, 20000); /* warm caches and branch predictors */
    uint64_t n = 1000;
    double t;
    for (;;) { /* size the run so it lasts about p->seconds */
        double t0 = bench_now();
        loop(o, n);
        t = bench_now() - t0;
        if (t > 0.01 || n > (1ull << 40))
            break;
        n *= 4;
    }
    uint64_t total = (uint64_t)((double)n * (p->seconds / t));
    if (total < n)
        total = n;
    struct bench_disturb d;
    bench_disturb_begin(&d);
    double t0 = bench_now();
    loop(o, total);
    t = bench_now() - t0;
    bench_disturb_end(&d, s, 0);
    s->value = t * 1e9 / (double)total;
}

static void run_uncontended(const struct bench_impl *impl, const struct bench_params *p,
                            struct bench_sample *s)
{
    struct bench_slot *slot = alloc_shared(sizeof *slot, 0);
    int r = impl->init(slot, 0);
    if (r) {
        skip(s, "init", r);
    } else {
        void (*loop)(void *, uint64_t) = impl->loop;
        run_loop(loop, slot, p, s);
        impl->destroy(slot);
    }
    munmap(slot, sizeof *slot);
}

static void run_rw_uncontended(const struct bench_impl *impl, const struct bench_params *p,
                               struct bench_sample *s, int write)
{
    struct bench_slot *slot = alloc_shared(sizeof *slot, 0);
    int r = impl->init(slot, 0);
    if (r) {
        skip(s, "init", r);
    } else {
        run_loop(write ? impl->loop_wr : impl->loop_rd, slot, p, s);
        impl->destroy(slot);
    }
    munmap(slot, sizeof *slot);
}
static void run_rw_read(const struct bench_impl *i, const struct bench_params *p,
                        struct bench_sample *s)
{
    run_rw_uncontended(i, p, s, 0);
}
static void run_rw_write(const struct bench_impl *i, const struct bench_params *p,
                         struct bench_sample *s)
{
    run_rw_uncontended(i, p, s, 1);
}

/* ---- contended mutex: tiny / realistic / latency ---------------------------- */

#define CS_LINES 4 /* "realistic": cache lines written inside the critical section */

struct cshared {
    struct bench_slot lock;
    _Alignas(BENCH_LINE) uint64_t counter;
    _Alignas(BENCH_LINE) uint64_t lines[CS_LINES][BENCH_LINE / 8];
    struct bench_gate gate;
    const struct bench_impl *impl;
    uint64_t work;
    int realistic, latency;
};

struct cthread {
    _Alignas(BENCH_LINE) struct cshared *sh;
    uint64_t count;
    long vcsw; /* this thread's voluntary context switches while measuring */
    struct bench_hist *hist;
};

static void *contended_main(void *arg)
{
    struct cthread *t = arg;
    struct cshared *sh = t->sh;
    void (*lock)(void *) = sh->impl->lock, (*unlock)(void *) = sh->impl->unlock;
    uint64_t n = 0;
    gate_arrive_and_wait(&sh->gate);
    long vcsw0 = bench_thread_nvcsw();
    while (!gate_stopped(&sh->gate)) {
        uint64_t t0 = sh->latency ? bench_now_ns() : 0;
        lock(&sh->lock);
        if (sh->latency)
            hist_add(t->hist, bench_now_ns() - t0);
        uint64_t c = ++sh->counter;
        if (sh->realistic)
            for (int i = 0; i < CS_LINES; i++) {
                sh->lines[i][0] += c;
                sh->lines[i][7] ^= c;
            }
        unlock(&sh->lock);
        n++;
        if (sh->realistic)
            bench_work(sh->work);
    }
    t->vcsw = bench_thread_nvcsw() - vcsw0;
    t->count = n;
    return NULL;
}

static void run_contended(const struct bench_impl *impl, const struct bench_params *p,
                          struct bench_sample *s, int realistic, int latency)
{
    int n = p->threads > 0 ? p->threads : 1;
    struct cshared *sh = alloc_shared(sizeof *sh, 0);
    struct cthread *th = alloc_shared((size_t)n * sizeof *th, 0); /* aligned */
    int r = impl->init(&sh->lock, 0);
    if (r) {
        skip(s, "init", r);
        goto out;
    }
    sh->impl = impl;
    sh->work = p->work_iters;
    sh->realistic = realistic;
    sh->latency = latency;
    for (int i = 0; i < n; i++) {
        th[i].sh = sh;
        if (latency)
            th[i].hist = calloc(1, sizeof(struct bench_hist));
    }
    void *h = bench_spawn(n, contended_main, th, sizeof *th);
    struct bench_disturb d;
    double secs = gate_run(&sh->gate, n, p->seconds, &d);
    bench_join(h, n);
    bench_disturb_end(&d, s, 0);

    uint64_t total = 0, *counts = calloc((size_t)n, sizeof *counts);
    long vcsw = 0;
    struct bench_hist *all = latency ? calloc(1, sizeof *all) : NULL;
    for (int i = 0; i < n; i++) {
        counts[i] = th[i].count;
        total += th[i].count;
        vcsw += th[i].vcsw;
        if (latency) {
            hist_merge(all, th[i].hist);
            free(th[i].hist);
        }
    }
    bench_fairness(counts, n, s);
    s->sleeps = total ? (double)vcsw / (double)total : NAN;
    if (total != sh->counter) {
        s->ok = 0;
        snprintf(s->note, sizeof s->note, "COUNTER MISMATCH: %llu acquisitions, counter %llu",
                 (unsigned long long)total, (unsigned long long)sh->counter);
    }
    if (latency) {
        s->p50 = hist_quantile(all, 0.50);
        s->p99 = hist_quantile(all, 0.99);
        s->p999 = hist_quantile(all, 0.999);
        s->pmax = (double)all->max;
        s->value = s->p99;
        free(all);
    } else {
        s->value = (double)total / secs * 1e-6;
    }
    free(counts);
    impl->destroy(&sh->lock);
out:
    munmap(th, (size_t)n * sizeof *th);
    munmap(sh, sizeof *sh);
}

static void run_tiny(const struct bench_impl *i, const struct bench_params *p,
                     struct bench_sample *s)
{
    run_contended(i, p, s, 0, 0);
}
static void run_realistic(const struct bench_impl *i, const struct bench_params *p,
                          struct bench_sample *s)
{
    run_contended(i, p, s, 1, 0);
}
static void run_latency(const struct bench_impl *i, const struct bench_params *p,
                        struct bench_sample *s)
{
    run_contended(i, p, s, 1, 1);
}

/* ---- ping-pong: condvar, semaphore, futex words; threads or processes -------- */

struct pingpong {
    struct bench_slot a, b;         /* cond: a = mutex, b = cond; sem: two sems */
    _Alignas(BENCH_LINE) uint32_t wa; /* futex words */
    _Alignas(BENCH_LINE) uint32_t wb;
    _Alignas(BENCH_LINE) int turn;
    int done;
    _Alignas(BENCH_LINE) uint64_t rounds[2];
    struct bench_gate gate;
    const struct bench_impl *impl;
    int role_of_thread[2];
};

struct pp_arg {
    struct pingpong *pp;
    int role;
};

static void pp_cond(struct pingpong *pp, int me)
{
    const struct bench_impl *ci = pp->impl, *mi = ci->mutex;
    uint64_t n = 0;
    mi->lock(&pp->a);
    for (;;) {
        while (pp->turn != me && !pp->done)
            ci->wait(&pp->b, &pp->a);
        if (pp->done)
            break;
        pp->turn = !me;
        n++;
        ci->signal(&pp->b);
        if (me == 0 && gate_stopped(&pp->gate)) {
            pp->done = 1;
            ci->broadcast(&pp->b);
            break;
        }
    }
    mi->unlock(&pp->a);
    pp->rounds[me] = n;
}

static void pp_sem(struct pingpong *pp, int me)
{
    const struct bench_impl *si = pp->impl;
    uint64_t n = 0;
    if (me == 0) {
        for (;;) {
            si->post(&pp->a);
            si->semwait(&pp->b);
            n++;
            if (gate_stopped(&pp->gate)) {
                __atomic_store_n(&pp->done, 1, __ATOMIC_RELEASE);
                si->post(&pp->a);
                break;
            }
        }
    } else {
        for (;;) {
            si->semwait(&pp->a);
            if (__atomic_load_n(&pp->done, __ATOMIC_ACQUIRE))
                break;
            n++;
            si->post(&pp->b);
        }
    }
    pp->rounds[me] = n;
}

static void pp_futex(struct pingpong *pp, int me)
{
    const struct bench_impl *fi = pp->impl;
    uint64_t n = 0;
    if (me == 0) {
        for (;;) {
            __atomic_store_n(&pp->wa, 1, __ATOMIC_RELEASE);
            fi->fwake(&pp->wa, 1);
            while (__atomic_load_n(&pp->wb, __ATOMIC_ACQUIRE) == 0)
                fi->fwait(&pp->wb, 0);
            __atomic_store_n(&pp->wb, 0, __ATOMIC_RELAXED);
            n++;
            if (gate_stopped(&pp->gate)) {
                __atomic_store_n(&pp->done, 1, __ATOMIC_RELAXED);
                __atomic_store_n(&pp->wa, 1, __ATOMIC_RELEASE);
                fi->fwake(&pp->wa, 1);
                break;
            }
        }
    } else {
        for (;;) {
            while (__atomic_load_n(&pp->wa, __ATOMIC_ACQUIRE) == 0)
                fi->fwait(&pp->wa, 0);
            if (__atomic_load_n(&pp->done, __ATOMIC_RELAXED))
                break;
            __atomic_store_n(&pp->wa, 0, __ATOMIC_RELAXED);
            n++;
            __atomic_store_n(&pp->wb, 1, __ATOMIC_RELEASE);
            fi->fwake(&pp->wb, 1);
        }
    }
    pp->rounds[me] = n;
}

static void pp_role(struct pingpong *pp, int role)
{
    gate_arrive_and_wait(&pp->gate);
    switch (pp->impl->kind) {
    case K_COND: pp_cond(pp, role); break;
    case K_SEM: pp_sem(pp, role); break;
    default: pp_futex(pp, role); break;
    }
}

static void *pp_main(void *arg)
{
    struct pp_arg *a = arg;
    pp_role(a->pp, a->role);
    return NULL;
}

static uint64_t children_cpu_us(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000u +
           (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

/* Round trips between two threads (procs == 0) or two processes. */
static void run_pingpong(const struct bench_impl *impl, const struct bench_params *p,
                         struct bench_sample *s, int procs)
{
    struct pingpong *pp = alloc_shared(sizeof *pp, procs);
    pp->impl = impl;
    int r = 0;
    if (impl->kind == K_COND) {
        r = impl->mutex->init(&pp->a, procs);
        if (!r && (r = impl->init(&pp->b, procs)) != 0)
            impl->mutex->destroy(&pp->a);
    } else if (impl->kind == K_SEM) {
        r = impl->init(&pp->a, procs);
        if (!r && (r = impl->init(&pp->b, procs)) != 0)
            impl->destroy(&pp->a);
    }
    if (r) {
        skip(s, procs ? "process-shared init" : "init", r);
        munmap(pp, sizeof *pp);
        return;
    }
    struct bench_disturb d;
    double secs;
    uint64_t child_us0 = children_cpu_us();
    if (!procs) {
        struct pp_arg args[2] = {{pp, 0}, {pp, 1}};
        void *h = bench_spawn(2, pp_main, args, sizeof args[0]);
        secs = gate_run(&pp->gate, 2, p->seconds, &d);
        bench_join(h, 2);
    } else {
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0) {
            perror("fuss-bench: fork");
            exit(2);
        }
        if (pid == 0) {
            bench_start_idle_thread();
            pp_role(pp, 1);
            _exit(0);
        }
        struct pp_arg arg = {pp, 0};
        void *h = bench_spawn(1, pp_main, &arg, sizeof arg);
        secs = gate_run(&pp->gate, 2, p->seconds, &d);
        bench_join(h, 1);
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
        }
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            s->ok = 0;
            snprintf(s->note, sizeof s->note, "partner process failed");
        }
    }
    bench_disturb_end(&d, s, (double)(children_cpu_us() - child_us0) * 1e-6);
    /* With a condvar, thread 0 may stop right after handing over a turn the
     * other never took; the semaphore and futex hand-offs end balanced. */
    uint64_t r0 = pp->rounds[0], r1 = pp->rounds[1];
    uint64_t slack = impl->kind == K_COND ? 1 : 0;
    if (r0 < r1 || r0 - r1 > slack || r0 == 0) {
        s->ok = 0;
        snprintf(s->note, sizeof s->note, "PING-PONG MISMATCH: %llu vs %llu rounds",
                 (unsigned long long)r0, (unsigned long long)r1);
    }
    s->value = r0 ? secs * 1e9 / (double)r0 : NAN;
    if (impl->kind == K_COND) {
        impl->destroy(&pp->b);
        impl->mutex->destroy(&pp->a);
    } else if (impl->kind == K_SEM) {
        impl->destroy(&pp->a);
        impl->destroy(&pp->b);
    }
    munmap(pp, sizeof *pp);
}

static void run_pp_threads(const struct bench_impl *i, const struct bench_params *p,
                           struct bench_sample *s)
{
    run_pingpong(i, p, s, 0);
}
static void run_pp_procs(const struct bench_impl *i, const struct bench_params *p,
                         struct bench_sample *s)
{
    run_pingpong(i, p, s, 1);
}

/* ---- broadcast to N waiters until the last holds the mutex ------------------ */

struct bcast {
    struct bench_slot m, cv, cv_main;
    _Alignas(BENCH_LINE) int waiting, woken, stop;
    uint64_t gen, t_first, t_last;
    uint64_t total_woken;
    struct bench_gate gate;
    const struct bench_impl *impl;
    int n;
};

static void *bcast_waiter(void *arg)
{
    struct bcast *b = *(struct bcast **)arg;
    const struct bench_impl *ci = b->impl, *mi = ci->mutex;
    gate_arrive_and_wait(&b->gate);
    mi->lock(&b->m);
    for (;;) {
        /* The last to wait again tells the main thread the next round may
         * start.  Mid-round waiting also climbs back to n (each woken
         * waiter waits again), but then the main thread waits for woken:
         * signalling it there would wake it once per waiter, so that it
         * fought the waiters for the mutex in every hop it times. */
        if (++b->waiting == b->n && (b->woken == 0 || b->woken == b->n))
            ci->signal(&b->cv_main);
        uint64_t gen = b->gen;
        while (b->gen == gen)
            ci->wait(&b->cv, &b->m);
        b->waiting--;
        if (b->stop)
            break;
        b->total_woken++;
        if (b->woken == 0)
            b->t_first = bench_now_ns();
        if (++b->woken == b->n) {
            b->t_last = bench_now_ns();
            ci->signal(&b->cv_main);
        }
    }
    mi->unlock(&b->m);
    return NULL;
}

static void run_broadcast(const struct bench_impl *impl, const struct bench_params *p,
                          struct bench_sample *s)
{
    int n = p->threads > 0 ? p->threads : 16;
    struct bcast *b = alloc_shared(sizeof *b, 0);
    const struct bench_impl *mi = impl->mutex;
    int r = mi->init(&b->m, 0);
    if (!r && (r = impl->init(&b->cv, 0)) == 0 && (r = impl->init(&b->cv_main, 0)) != 0)
        impl->destroy(&b->cv);
    if (r) {
        skip(s, "init", r);
        munmap(b, sizeof *b);
        return;
    }
    b->impl = impl;
    b->n = n;
    struct bcast **args = calloc((size_t)n, sizeof *args);
    for (int i = 0; i < n; i++)
        args[i] = b;
    void *h = bench_spawn(n, bcast_waiter, args, sizeof *args);
    while (__atomic_load_n(&b->gate.ready, __ATOMIC_ACQUIRE) < (unsigned)n)
        usleep(100);
    struct bench_disturb d;
    bench_disturb_begin(&d);
    __atomic_store_n(&b->gate.go, 1, __ATOMIC_RELEASE);
    double end = bench_now() + p->seconds, sum_ns = 0, first_ns = 0;
    uint64_t rounds = 0;
    mi->lock(&b->m);
    do {
        while (b->waiting < n)
            impl->wait(&b->cv_main, &b->m);
        b->woken = 0;
        uint64_t t0 = bench_now_ns();
        b->gen++;
        impl->broadcast(&b->cv);
        while (b->woken < n)
            impl->wait(&b->cv_main, &b->m);
        sum_ns += (double)(b->t_last - t0);
        first_ns += (double)(b->t_first - t0);
        rounds++;
    } while (bench_now() < end);
    b->stop = 1;
    b->gen++;
    impl->broadcast(&b->cv);
    mi->unlock(&b->m);
    bench_join(h, n);
    bench_disturb_end(&d, s, 0);
    if (b->total_woken != rounds * (uint64_t)n) {
        s->ok = 0;
        snprintf(s->note, sizeof s->note, "BROADCAST MISMATCH: %llu wake-ups for %llu rounds",
                 (unsigned long long)b->total_woken, (unsigned long long)rounds);
    }
    s->value = sum_ns / (double)rounds * 1e-3; /* us */
    s->first = first_ns / (double)rounds * 1e-3;
    impl->destroy(&b->cv_main);
    impl->destroy(&b->cv);
    mi->destroy(&b->m);
    free(args);
    munmap(b, sizeof *b);
}

/* ---- rwlock read-mostly mixes ------------------------------------------------- */

struct rwshared {
    struct bench_slot lock;
    _Alignas(BENCH_LINE) uint64_t d0;
    _Alignas(BENCH_LINE) uint64_t d1;
    _Alignas(BENCH_LINE) uint64_t torn;
    struct bench_gate gate;
    const struct bench_impl *impl;
    uint64_t work;
    unsigned write_per_mille;
};

struct rwthread {
    _Alignas(BENCH_LINE) struct rwshared *sh;
    uint64_t count, writes;
    long vcsw;
    uint64_t seed;
};

static void *rw_main(void *arg)
{
    struct rwthread *t = arg;
    struct rwshared *sh = t->sh;
    const struct bench_impl *im = sh->impl;
    uint64_t x = t->seed, n = 0, w = 0, torn = 0;
    gate_arrive_and_wait(&sh->gate);
    long vcsw0 = bench_thread_nvcsw();
    while (!gate_stopped(&sh->gate)) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        if (x % 1000 < sh->write_per_mille) {
            im->lock(&sh->lock);
            uint64_t v = sh->d0 + 1;
            sh->d0 = v;
            sh->d1 = v;
            im->unlock(&sh->lock);
            w++;
        } else {
            im->rdlock(&sh->lock);
            if (sh->d0 != sh->d1)
                torn++;
            im->rdunlock(&sh->lock);
        }
        n++;
        bench_work(sh->work);
    }
    t->vcsw = bench_thread_nvcsw() - vcsw0;
    t->count = n;
    t->writes = w;
    if (torn)
        __atomic_fetch_add(&sh->torn, torn, __ATOMIC_RELAXED);
    return NULL;
}

static void run_rw_mix(const struct bench_impl *impl, const struct bench_params *p,
                       struct bench_sample *s, unsigned write_per_mille)
{
    int n = p->threads > 0 ? p->threads : 4;
    struct rwshared *sh = alloc_shared(sizeof *sh, 0);
    struct rwthread *th = alloc_shared((size_t)n * sizeof *th, 0); /* aligned */
    int r = impl->init(&sh->lock, 0);
    if (r) {
        skip(s, "init", r);
        goto out;
    }
    sh->impl = impl;
    sh->work = p->work_iters / 4; /* ~250 ns between operations */
    sh->write_per_mille = write_per_mille;
    for (int i = 0; i < n; i++) {
        th[i].sh = sh;
        th[i].seed = 0x9e3779b97f4a7c15u * (uint64_t)(i + 1);
    }
    void *h = bench_spawn(n, rw_main, th, sizeof *th);
    struct bench_disturb d;
    double secs = gate_run(&sh->gate, n, p->seconds, &d);
    bench_join(h, n);
    bench_disturb_end(&d, s, 0);
    uint64_t total = 0, writes = 0, *counts = calloc((size_t)n, sizeof *counts);
    long vcsw = 0;
    for (int i = 0; i < n; i++) {
        counts[i] = th[i].count;
        total += th[i].count;
        writes += th[i].writes;
        vcsw += th[i].vcsw;
    }
    bench_fairness(counts, n, s);
    s->sleeps = total ? (double)vcsw / (double)total : NAN;
    free(counts);
    if (sh->torn || writes != sh->d0) {
        s->ok = 0;
        snprintf(s->note, sizeof s->note, "RWLOCK VIOLATION: %llu torn reads, %llu/%llu writes",
                 (unsigned long long)sh->torn, (unsigned long long)sh->d0,
                 (unsigned long long)writes);
    }
    s->value = (double)total / secs * 1e-6;
    impl->destroy(&sh->lock);
out:
    munmap(th, (size_t)n * sizeof *th);
    munmap(sh, sizeof *sh);
}
static void run_rw90(const struct bench_impl *i, const struct bench_params *p,
                     struct bench_sample *s)
{
    run_rw_mix(i, p, s, 100);
}
static void run_rw99(const struct bench_impl *i, const struct bench_params *p,
                     struct bench_sample *s)
{
    run_rw_mix(i, p, s, 10);
}

/* ---- futex hash: every thread on its own word --------------------------------- */

struct fhthread {
    _Alignas(BENCH_LINE) uint32_t word;
    uint64_t count;
    uint64_t unexpected;
    struct bench_gate *gate;
    const struct bench_impl *impl;
};

static void *fh_main(void *arg)
{
    struct fhthread *t = arg;
    const struct bench_impl *im = t->impl;
    uint64_t n = 0, bad = 0;
    gate_arrive_and_wait(t->gate);
    while (!gate_stopped(t->gate)) {
        /* The word holds 0: waiting for 1 returns EAGAIN after the hash
         * bucket is looked up and locked; the wake finds nobody. */
        if (im->fwait(&t->word, 1) != EAGAIN)
            bad++;
        im->fwake(&t->word, 1);
        n += 2;
    }
    t->count = n;
    t->unexpected = bad;
    return NULL;
}

static void run_futex_hash(const struct bench_impl *impl, const struct bench_params *p,
                           struct bench_sample *s)
{
    int n = p->threads > 0 ? p->threads : 1;
    struct bench_gate *gate = alloc_shared(sizeof *gate, 0);
    struct fhthread *th = alloc_shared(sizeof *th * (size_t)n, 0);
    for (int i = 0; i < n; i++) {
        th[i].gate = gate;
        th[i].impl = impl;
    }
    void *h = bench_spawn(n, fh_main, th, sizeof *th);
    struct bench_disturb d;
    double secs = gate_run(gate, n, p->seconds, &d);
    bench_join(h, n);
    bench_disturb_end(&d, s, 0);
    uint64_t total = 0, bad = 0, *counts = calloc((size_t)n, sizeof *counts);
    for (int i = 0; i < n; i++) {
        counts[i] = th[i].count;
        total += th[i].count;
        bad += th[i].unexpected;
    }
    bench_fairness(counts, n, s);
    free(counts);
    if (bad) {
        s->ok = 0;
        snprintf(s->note, sizeof s->note, "%llu waits did not return EAGAIN",
                 (unsigned long long)bad);
    }
    s->value = (double)total / secs * 1e-6;
    munmap(th, sizeof *th * (size_t)n);
    munmap(gate, sizeof *gate);
}

static void run_futex_rt(const struct bench_impl *impl, const struct bench_params *p,
                         struct bench_sample *s)
{
    run_pingpong(impl, p, s, 0);
}

/* ---- the table of scenarios ------------------------------------------------------- */

/* The contended sweep: powers of two to 32, then, on a machine with more
 * than 16 CPUs, the CPU count and twice it (every core busy, every core
 * oversubscribed twice); filled in before main() runs. */
static int sweep[] = {1, 2, 4, 8, 16, 32, 0, 0, 0};

__attribute__((constructor)) static void sweep_for_this_machine(void)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int k = 6;
    if (ncpu > 32 && ncpu <= 512)
        sweep[k++] = (int)ncpu;
    if (ncpu > 16 && ncpu <= 512)
        sweep[k++] = (int)(2 * ncpu);
    sweep[k] = 0;
}
static const int four[] = {4, 0};
static const int sixteen[] = {16, 0};
static const int hash_threads[] = {1, 4, 16, 0};

const struct bench_scenario bench_scenarios[] = {
    {"uncontended", K_MUTEX, "ns/pair", 0, NULL, "glibc",
     "mutex lock+unlock, one thread (a second one alive and idle)", acc_mutex_all,
     run_uncontended},
    {"rw-read", K_RWLOCK, "ns/pair", 0, NULL, "glibc",
     "rwlock rdlock+unlock, uncontended", acc_rwlock, run_rw_read},
    {"rw-write", K_RWLOCK, "ns/pair", 0, NULL, "glibc",
     "rwlock wrlock+unlock, uncontended", acc_rwlock, run_rw_write},
    {"sem-pair", K_SEM, "ns/pair", 0, NULL, "glibc",
     "semaphore post+wait, uncontended", acc_sem_pair, run_uncontended},
    {"tiny", K_MUTEX, "Mops/s", 1, sweep, "glibc",
     "contended, critical section = one counter increment", acc_mutex, run_tiny},
    {"realistic", K_MUTEX, "Mops/s", 1, sweep, "glibc",
     "contended, 4 cache lines written inside, ~1 us of work outside", acc_mutex,
     run_realistic},
    {"latency", K_MUTEX, "ns p99", 0, four, "glibc",
     "acquire latency (lock call to lock held), realistic critical section", acc_mutex,
     run_latency},
    {"cond-pingpong", K_COND, "ns/round", 0, NULL, "glibc",
     "two threads hand a turn back and forth through mutex+condvar", acc_cond,
     run_pp_threads},
    {"broadcast", K_COND, "us", 0, sixteen, "glibc",
     "broadcast to N waiters until the last one holds the mutex", acc_cond, run_broadcast},
    {"sem-pingpong", K_SEM, "ns/round", 0, NULL, "glibc",
     "two threads, two semaphores, post/wait round trip", acc_sem, run_pp_threads},
    {"rwlock-90", K_RWLOCK, "Mops/s", 1, four, "glibc",
     "90% reads / 10% writes, ~250 ns between operations", acc_rwlock, run_rw90},
    {"rwlock-99", K_RWLOCK, "Mops/s", 1, four, "glibc",
     "99% reads / 1% writes, ~250 ns between operations", acc_rwlock, run_rw99},
    {"pshared-cond", K_COND, "ns/round", 0, NULL, "glibc",
     "two processes, mutex+condvar ping-pong in a MAP_SHARED mapping", acc_cond_shared,
     run_pp_procs},
    {"pshared-sem", K_SEM, "ns/round", 0, NULL, "glibc",
     "two processes, semaphore ping-pong in a MAP_SHARED mapping", acc_sem_shared,
     run_pp_procs},
    {"futex-roundtrip", K_FUTEX, "ns/round", 0, NULL, "syscall",
     "futex wait->wake->wait round trip between two threads", acc_futex_rt, run_futex_rt},
    {"futex-hash", K_FUTEX, "Mops/s", 1, hash_threads, "syscall",
     "each thread waits (EAGAIN) and wakes (nobody) on its own word", acc_futex,
     run_futex_hash},
    {"sizes", K_NKINDS, "bytes", 0, NULL, "glibc", "sizeof each object", NULL, NULL},
};
const int bench_nscenarios = (int)(sizeof bench_scenarios / sizeof bench_scenarios[0]);
