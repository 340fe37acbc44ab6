/*
 * shm_ring — a ring buffer shared by processes: producer and consumer
 * processes (fork) exchange items through a MAP_SHARED mapping, guarded by a
 * FUSS_SHARED mutex and two FUSS_SHARED condition variables.  The objects
 * hold no pointers, so the same code works with a named segment mapped at a
 * different address in each process (shm_open(3), fuss_shm(3));
 * shm_ring_robust.c is that version, which also survives a killed consumer.
 *
 * Usage: shm_ring [producers [consumers [items per producer]]]  (2 2 100000)
 * QUICK: 2 2 20000
 * Checks: every item arrives exactly once, and each consumer sees each
 * producer's items in the order they were produced.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fuss.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define SLOTS 256
#define MAX_PROCS 16

struct ring {
    fuss_mutex_t lock;
    fuss_cond_t not_empty, not_full;
    uint32_t head, len, closing;
    uint32_t slot[SLOTS];                /* item = producer << 24 | sequence */
    /* results, each written by one consumer */
    uint64_t received[MAX_PROCS][MAX_PROCS];  /* [consumer][producer] count */
    uint64_t sum[MAX_PROCS];
    uint32_t out_of_order[MAX_PROCS];
};

static void produce(struct ring *r, uint32_t id, uint32_t n)
{
    for (uint32_t seq = 0; seq < n; seq++) {
        fuss_mutex_lock(&r->lock);
        while (r->len == SLOTS)
            fuss_cond_wait(&r->not_full, &r->lock);
        r->slot[(r->head + r->len++) % SLOTS] = id << 24 | seq;
        fuss_cond_signal(&r->not_empty);
        fuss_mutex_unlock(&r->lock);
    }
}

static void consume(struct ring *r, uint32_t id)
{
    int64_t last[MAX_PROCS];
    for (int p = 0; p < MAX_PROCS; p++) last[p] = -1;
    for (;;) {
        fuss_mutex_lock(&r->lock);
        while (r->len == 0 && !r->closing)
            fuss_cond_wait(&r->not_empty, &r->lock);
        if (r->len == 0) { fuss_mutex_unlock(&r->lock); return; }   /* closed, drained */
        uint32_t item = r->slot[r->head];
        r->head = (r->head + 1) % SLOTS;
        r->len--;
        fuss_cond_signal(&r->not_full);
        fuss_mutex_unlock(&r->lock);

        uint32_t p = item >> 24, seq = item & 0xffffff;
        if ((int64_t)seq <= last[p]) r->out_of_order[id]++;
        last[p] = seq;
        r->received[id][p]++;
        r->sum[id] += seq;
    }
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
    uint32_t np, nc, items;             /* an item's sequence number has 24 bits */
    if (argc > 4 || arg(argc, argv, 1, 1, MAX_PROCS, 2, &np) ||
        arg(argc, argv, 2, 1, MAX_PROCS, 2, &nc) || arg(argc, argv, 3, 1, 0xffffff, 100000, &items)) {
        fprintf(stderr, "usage: shm_ring [producers (1-%d) [consumers (1-%d) "
                        "[items per producer (1-%d)]]]\n", MAX_PROCS, MAX_PROCS, 0xffffff);
        return 2;
    }

    struct ring *r = mmap(NULL, sizeof *r, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (r == MAP_FAILED) { fprintf(stderr, "shm_ring: mmap: %s\n", strerror(errno)); return 1; }
    const char *call = "fuss_mutex_init";                /* once, before the fork */
    int e = fuss_mutex_init(&r->lock, FUSS_SHARED);
    if (!e) call = "fuss_cond_init", e = fuss_cond_init(&r->not_empty, FUSS_SHARED);
    if (!e) e = fuss_cond_init(&r->not_full, FUSS_SHARED);
    if (e) { fprintf(stderr, "shm_ring: %s(FUSS_SHARED): %s\n", call, strerror(e)); return 1; }

    pid_t prod[MAX_PROCS], cons[MAX_PROCS];
    for (uint32_t c = 0; c < nc; c++)
        if ((cons[c] = fork()) == 0) { consume(r, c); _exit(0); }
        else if (cons[c] < 0) { fprintf(stderr, "shm_ring: fork: %s\n", strerror(errno)); return 1; }
    for (uint32_t p = 0; p < np; p++)
        if ((prod[p] = fork()) == 0) { produce(r, p, items); _exit(0); }
        else if (prod[p] < 0) { fprintf(stderr, "shm_ring: fork: %s\n", strerror(errno)); return 1; }
    int status, failed = 0;
    for (uint32_t p = 0; p < np; p++)
        failed |= waitpid(prod[p], &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status);
    fuss_mutex_lock(&r->lock);
    r->closing = 1;
    fuss_cond_broadcast(&r->not_empty);
    fuss_mutex_unlock(&r->lock);
    for (uint32_t c = 0; c < nc; c++)
        failed |= waitpid(cons[c], &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status);

    uint64_t total = 0, sum = 0, disorder = 0, want_sum = (uint64_t)np * items * (items - 1) / 2;
    for (uint32_t c = 0; c < nc; c++) {
        for (uint32_t p = 0; p < np; p++) total += r->received[c][p];
        sum += r->sum[c];
        disorder += r->out_of_order[c];
        printf("shm_ring: consumer %u (pid %d) received", c, (int)cons[c]);
        for (uint32_t p = 0; p < np; p++) printf(" %llu", (unsigned long long)r->received[c][p]);
        printf(" items from the %u producers\n", np);
    }
    printf("shm_ring: %u producer and %u consumer processes moved %llu items (expected %llu), "
           "%llu out of order\n", np, nc, (unsigned long long)total,
           (unsigned long long)np * items, (unsigned long long)disorder);
    return !failed && total == (uint64_t)np * items && sum == want_sum && disorder == 0 ? 0 : 1;
}
