/*
 * rw_cache — a read-mostly cache guarded by a fuss_rwlock_t (fuss_rwlock(3)).
 * Lookups take the read lock, so they run in parallel; a miss computes the
 * value and inserts it under the write lock, re-checking first, because
 * another thread may have inserted it between the two locks (a read lock
 * cannot be upgraded: that would deadlock).
 *
 * Usage: rw_cache [threads [lookups per thread [keys]]]   (4 200000 4096)
 * QUICK: 4 20000 1024
 * NEEDS: fuss/rwlock.h
 * Checks: every lookup returns the right value, and each key is computed
 * exactly once.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fuss/rwlock.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREADS 64
#define MAX_KEYS 65536

struct entry { uint32_t key, present; uint64_t value; };

static fuss_rwlock_t cache_lock = FUSS_RWLOCK_INIT;    /* writer-preferring */
static struct entry cache[MAX_KEYS];                   /* open addressing, no eviction */
static unsigned nkeys;
static unsigned long computed;                         /* under the write lock */

static uint64_t expensive(uint32_t key)                /* what the cache saves */
{
    uint64_t x = key * 0x9e3779b97f4a7c15u;
    for (int i = 0; i < 64; i++) x ^= x >> 29, x *= 0xbf58476d1ce4e5b9u;
    return x;
}

static struct entry *slot_of(uint32_t key)             /* caller holds the lock */
{
    return &cache[(key * 2654435761u) % MAX_KEYS];     /* nkeys <= MAX_KEYS: no collisions */
}

static uint64_t lookup(uint32_t key, unsigned long *hits)
{
    fuss_rwlock_rdlock(&cache_lock);
    struct entry *e = slot_of(key);
    int hit = e->present && e->key == key;
    uint64_t v = e->value;
    fuss_rwlock_rdunlock(&cache_lock);
    if (hit) { ++*hits; return v; }

    fuss_rwlock_wrlock(&cache_lock);
    e = slot_of(key);
    if (!e->present) {                                 /* nobody beat us to it */
        e->key = key;
        e->value = expensive(key);
        e->present = 1;
        computed++;
    }
    v = e->value;
    fuss_rwlock_wrunlock(&cache_lock);
    return v;
}

struct result { unsigned long lookups, hits, wrong; };

static void *reader(void *arg)
{
    struct result *r = arg;
    unsigned seed = (unsigned)(uintptr_t)arg;
    for (unsigned long i = 0; i < r->lookups; i++) {
        uint32_t key = (uint32_t)rand_r(&seed) % nkeys;
        if (lookup(key, &r->hits) != expensive(key)) r->wrong++;
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
    unsigned nthreads, per;
    if (argc > 4 || arg(argc, argv, 1, 1, MAX_THREADS, 4, &nthreads) ||
        arg(argc, argv, 2, 1, 1000000000, 200000, &per) ||
        arg(argc, argv, 3, 1, MAX_KEYS, 4096, &nkeys)) {
        fprintf(stderr, "usage: rw_cache [threads (1-%d) [lookups per thread (1-1000000000) "
                        "[keys (1-%d)]]]\n", MAX_THREADS, MAX_KEYS);
        return 2;
    }

    pthread_t t[MAX_THREADS];
    struct result res[MAX_THREADS] = { { 0, 0, 0 } };
    for (unsigned i = 0; i < nthreads; i++) {
        res[i].lookups = per;
        int e = pthread_create(&t[i], NULL, reader, &res[i]);
        if (e) { fprintf(stderr, "rw_cache: pthread_create: %s\n", strerror(e)); return 1; }
    }
    unsigned long lookups = 0, hits = 0, wrong = 0;
    for (unsigned i = 0; i < nthreads; i++) {
        pthread_join(t[i], NULL);
        lookups += res[i].lookups, hits += res[i].hits, wrong += res[i].wrong;
    }
    unsigned long distinct = 0;
    for (unsigned i = 0; i < MAX_KEYS; i++) distinct += cache[i].present;
    printf("rw_cache: %u threads, %lu lookups of %u keys: %lu hits (%.1f%%), %lu keys "
           "computed for %lu distinct keys cached, %lu wrong values\n", nthreads, lookups,
           nkeys, hits, 100.0 * (double)hits / (double)lookups, computed, distinct, wrong);
    return wrong == 0 && computed == distinct ? 0 : 1;
}
