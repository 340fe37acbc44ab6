/*
 * worker_pool — a fixed pool of threads taking jobs from a bounded queue,
 * with one fuss_mutex_t and two fuss_cond_t (see fuss_mutex(3), fuss_cond(3)).
 *
 * Usage: worker_pool [threads [jobs]]   (defaults: 4 threads, 100000 jobs)
 * QUICK: 4 20000
 * Checks: every job ran exactly once, and the results add up.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fuss.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUEUE_CAP 64
#define MAX_THREADS 64

struct pool {
    fuss_mutex_t lock;
    fuss_cond_t not_empty;  /* a job was queued, or the pool is closing */
    fuss_cond_t not_full;   /* a job was taken */
    unsigned jobs[QUEUE_CAP];
    unsigned head, len;
    int closing;
};

static struct pool pool;   /* all-zero: an unlocked mutex and two idle condvars */
static unsigned char *ran;           /* ran[j]: how often job j ran (written once per job) */
static unsigned long long done_sum[MAX_THREADS];

static void submit(unsigned job)
{
    fuss_mutex_lock(&pool.lock);
    while (pool.len == QUEUE_CAP)
        fuss_cond_wait(&pool.not_full, &pool.lock);
    pool.jobs[(pool.head + pool.len++) % QUEUE_CAP] = job;
    fuss_cond_signal(&pool.not_empty);
    fuss_mutex_unlock(&pool.lock);
}

/* Returns 0 with a job in *job, or 1 once the pool is closed and drained. */
static int take(unsigned *job)
{
    fuss_mutex_lock(&pool.lock);
    while (pool.len == 0 && !pool.closing)
        fuss_cond_wait(&pool.not_empty, &pool.lock);
    int finished = pool.len == 0;
    if (!finished) {
        *job = pool.jobs[pool.head];
        pool.head = (pool.head + 1) % QUEUE_CAP;
        pool.len--;
        fuss_cond_signal(&pool.not_full);
    }
    fuss_mutex_unlock(&pool.lock);
    return finished;
}

static void *worker(void *arg)
{
    unsigned id = (unsigned)(size_t)arg, job;
    while (take(&job) == 0) {
        ran[job]++;                             /* each job goes to one worker */
        done_sum[id] += (unsigned long long)job * job;
    }
    return NULL;
}

/* argv[i] as a whole decimal number in [lo, hi], or def when absent; anything
 * else (a word, a sign, trailing junk, out of range) is an error. */
static int arg(int argc, char **argv, int i, unsigned long lo, unsigned long hi,
               unsigned long def, unsigned *out)
{
    if (i >= argc) { *out = (unsigned)def; return 0; }
    char *end;
    errno = 0;
    unsigned long v = strtoul(argv[i], &end, 10);
    if (argv[i][0] < '0' || argv[i][0] > '9' || *end || errno || v < lo || v > hi) return -1;
    *out = (unsigned)v;
    return 0;
}

int main(int argc, char **argv)
{
    unsigned nthreads, njobs;
    if (argc > 3 || arg(argc, argv, 1, 1, MAX_THREADS, 4, &nthreads) ||
        arg(argc, argv, 2, 1, 100000000, 100000, &njobs)) {
        fprintf(stderr, "usage: worker_pool [threads (1-%d) [jobs (1-100000000)]]\n",
                MAX_THREADS);
        return 2;
    }
    ran = calloc(njobs, 1);
    if (!ran) { fprintf(stderr, "worker_pool: calloc: %s\n", strerror(errno)); return 1; }
    pthread_t t[MAX_THREADS];
    for (unsigned i = 0; i < nthreads; i++) {
        int e = pthread_create(&t[i], NULL, worker, (void *)(size_t)i);
        if (e) { fprintf(stderr, "worker_pool: pthread_create: %s\n", strerror(e)); return 1; }
    }

    for (unsigned j = 0; j < njobs; j++)
        submit(j);
    fuss_mutex_lock(&pool.lock);
    pool.closing = 1;
    fuss_cond_broadcast(&pool.not_empty);       /* wake every idle worker */
    fuss_mutex_unlock(&pool.lock);

    unsigned long long sum = 0, want = 0;
    for (unsigned i = 0; i < nthreads; i++) {
        pthread_join(t[i], NULL);
        sum += done_sum[i];
    }
    unsigned bad = 0;
    for (unsigned j = 0; j < njobs; j++) {
        want += (unsigned long long)j * j;
        bad += ran[j] != 1;
    }
    printf("worker_pool: %u threads ran %u jobs; sum of squares %llu (expected %llu); "
           "%u jobs not run exactly once\n", nthreads, njobs, sum, want, bad);
    free(ran);
    return sum == want && bad == 0 ? 0 : 1;
}
