/*
 * contention — what fuss_mutex_t does per acquisition under contention
 * (src/internal/counters.h), for the tiny critical section of fuss-bench:
 * N threads each lock, increment a shared counter, unlock, for S seconds.
 * Built by probe.sh with -DFUSS_CONTENTION_COUNTERS; not part of make bench
 * (the counters are compiled out of the library proper).
 *
 *   contention THREADS SECONDS
 * prints one line: threads, Mops/s, and per acquisition: slow-path calls,
 * spins that took it, spins stopped at PARKED, spins spent, futex waits,
 * waits that answered EAGAIN, waits woken, woken that found the lock held,
 * unlock wakes, unlock wakes that woke nobody; and voluntary context
 * switches (getrusage) per acquisition.
 */

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "fuss.h"
#include "internal/counters.h"

static fuss_mutex_t mutex = FUSS_MUTEX_INIT;
static unsigned long counter;
static atomic_int stop, ready;
static struct fuss__mutex_counters totals;
static pthread_mutex_t totals_lock = PTHREAD_MUTEX_INITIALIZER;

static void add(struct fuss__mutex_counters *t, const struct fuss__mutex_counters *c)
{
    unsigned long *d = (unsigned long *)t;
    const unsigned long *s = (const unsigned long *)c;
    for (size_t i = 0; i < sizeof *c / sizeof(unsigned long); i++) d[i] += s[i];
}

static void *worker(void *a)
{
    unsigned long *mine = a;
    atomic_fetch_add(&ready, 1);
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        fuss_mutex_lock(&mutex);
        counter++;
        fuss_mutex_unlock(&mutex);
        (*mine)++;
    }
    pthread_mutex_lock(&totals_lock);
    add(&totals, &fuss__mutex_counters);
    pthread_mutex_unlock(&totals_lock);
    return NULL;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 4;
    double secs = argc > 2 ? atof(argv[2]) : 1.0;
    pthread_t t[256];
    unsigned long ops[256] = {0};
    if (n < 1 || n > 256) return 2;
    for (int i = 0; i < n; i++) pthread_create(&t[i], NULL, worker, &ops[i]);
    while (atomic_load(&ready) < n) {}
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    struct timespec d = { (time_t)secs, (long)((secs - (time_t)secs) * 1e9) };
    nanosleep(&d, NULL);
    atomic_store(&stop, 1);
    for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
    getrusage(RUSAGE_SELF, &r1);
    unsigned long total = 0;
    for (int i = 0; i < n; i++) total += ops[i];
    if (total != counter) { fprintf(stderr, "lost updates: %lu != %lu\n", counter, total); return 1; }
    double per = total ? 1.0 / (double)total : 0;
    const struct fuss__mutex_counters *c = &totals;
    printf("%3d %7.2f  slow %.4f took %.4f queued %.4f spent %.4f  sleeps %.4f eagain %.4f "
           "woken %.4f woken-held %.4f  wakes %.4f nobody %.4f  vcsw %.4f\n",
           n, (double)total / secs / 1e6, c->slow * per, c->spin_took * per, c->spin_queued * per,
           c->spin_spent * per, c->sleeps * per, c->sleep_eagain * per, c->woken * per,
           c->woken_then_held * per, c->unlock_wakes * per, c->unlock_wakes_nobody * per,
           (double)(r1.ru_nvcsw - r0.ru_nvcsw) * per);
    return 0;
}
