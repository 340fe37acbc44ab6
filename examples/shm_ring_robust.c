/*
 * shm_ring_robust — the ring of shm_ring.c in a named segment (fuss_shm(3)),
 * guarded by a robust, process-shared fuss_omutex_t (fuss_omutex(3)), so that
 * a consumer killed in the middle of taking an item loses nothing: the next
 * locker gets EOWNERDEAD, rolls the half-done step back from an undo record,
 * and goes on.  Sleepers wait on a shared sequence word with the futex layer.
 *
 * Usage: shm_ring_robust [consumers [items]]   (defaults: 3 100000)
 * QUICK: 3 20000
 * NEEDS: fuss/shm.h fuss/omutex.h
 * Checks: the consumer taking item 1000 SIGKILLs itself while holding the lock, half-way
 * through an update; every item is still consumed exactly once.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fuss.h>
#include <fuss/omutex.h>
#include <fuss/shm.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SLOTS 64
#define VICTIM_AT 1000  /* the consumer taking item 1000 dies while taking it */

struct ring {
    uint32_t ready;     /* 0 until the creator has initialized the lock: a futex word */
    uint32_t changed;   /* bumped on every change; sleepers futex-wait on it */
    fuss_omutex_t lock; /* robust: guards everything below */
    uint32_t head, len, closing, repairs, victim_done;
    uint64_t taken, sum;                              /* consumed: count and sum of items */
    struct { uint32_t valid, head, len; uint64_t taken, sum; } undo;
    uint32_t slot[SLOTS];
};

static void lock(struct ring *r)
{
    int e = fuss_omutex_lock(&r->lock);
    if (e == EOWNERDEAD) {              /* the owner died inside: roll its step back */
        if (r->undo.valid) {
            r->head = r->undo.head, r->len = r->undo.len;
            r->taken = r->undo.taken, r->sum = r->undo.sum;
            r->undo.valid = 0;
        }
        r->repairs++;
        e = fuss_omutex_consistent(&r->lock);
    }
    if (e) { fprintf(stderr, "shm_ring_robust: fuss_omutex_lock: %s\n", strerror(e)); exit(1); }
}
static void unlock_and_notify(struct ring *r)
{
    __atomic_add_fetch(&r->changed, 1, __ATOMIC_RELEASE);
    fuss_omutex_unlock(&r->lock);
    fuss_futex_wake(&r->changed, FUSS_FUTEX_WAKE_ALL, FUSS_SHARED, NULL);
}
static void wait_for_change(struct ring *r)    /* called locked; returns locked */
{
    uint32_t seen = __atomic_load_n(&r->changed, __ATOMIC_ACQUIRE);
    fuss_omutex_unlock(&r->lock);
    fuss_futex_wait(&r->changed, seen, FUSS_SHARED);
    lock(r);
}

static void consumer(const char *name)
{
    fuss_shm_t *h;
    int e;
    while ((e = fuss_shm_open(&h, name)) == EAGAIN) {}
    if (e) { fprintf(stderr, "shm_ring_robust: fuss_shm_open(\"%s\"): %s\n", name, strerror(e)); exit(1); }
    struct ring *r = fuss_shm_data(h);
    while (__atomic_load_n(&r->ready, __ATOMIC_ACQUIRE) == 0)
        fuss_futex_wait(&r->ready, 0, FUSS_SHARED);
    for (unsigned n = 1;; n++) {
        lock(r);
        while (r->len == 0 && !r->closing) wait_for_change(r);
        if (r->len == 0) { fuss_omutex_unlock(&r->lock); break; }
        r->undo.head = r->head, r->undo.len = r->len;
        r->undo.taken = r->taken, r->undo.sum = r->sum;
        __atomic_store_n(&r->undo.valid, 1, __ATOMIC_SEQ_CST);
        uint32_t item = r->slot[r->head];
        r->head = (r->head + 1) % SLOTS, r->len--;
        /* Whoever takes item VICTIM_AT dies half-way (taken and sum not yet
         * updated); victim_done is outside the undo record, so the next
         * taker of that item does not die too. */
        if (!r->victim_done && r->taken + 1 == VICTIM_AT) {
            r->victim_done = 1;
            raise(SIGKILL);
        }
        r->taken++, r->sum += item;
        r->undo.valid = 0;
        unlock_and_notify(r);
    }
    fuss_shm_close(h);
    exit(0);
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
    unsigned nc, items;      /* one consumer dies, so at least two; it dies at item VICTIM_AT */
    if (argc > 3 || arg(argc, argv, 1, 2, 16, 3, &nc) ||
        arg(argc, argv, 2, VICTIM_AT * 2, 100000000, 100000, &items)) {
        fprintf(stderr, "usage: shm_ring_robust [consumers (2-16) [items (%d-100000000)]]\n",
                VICTIM_AT * 2);
        return 2;
    }
    char name[64];
    snprintf(name, sizeof name, "/fuss-example-ring-%d", (int)getpid());
    fuss_shm_t *h;
    int e = fuss_shm_create(&h, name, sizeof(struct ring), 0);
    if (e) { fprintf(stderr, "shm_ring_robust: fuss_shm_create: %s\n", strerror(e)); return 1; }
    pid_t pid[16];
    for (unsigned c = 0; c < nc; c++)
        if ((pid[c] = fork()) == 0) consumer(name);
        else if (pid[c] < 0) { fprintf(stderr, "shm_ring_robust: fork: %s\n", strerror(errno)); return 1; }
    struct ring *r = fuss_shm_data(h);
    e = fuss_omutex_init(&r->lock, FUSS_SHARED | FUSS_OMUTEX_ROBUST);
    if (e) {
        fprintf(stderr, "shm_ring_robust: fuss_omutex_init(FUSS_SHARED | FUSS_OMUTEX_ROBUST): %s\n",
                strerror(e));
        for (unsigned c = 0; c < nc; c++) kill(pid[c], SIGKILL);   /* they wait for "ready" */
        while (wait(NULL) > 0) {}
        fuss_shm_close(h);
        fuss_shm_unlink(name);
        return 1;
    }
    __atomic_store_n(&r->ready, 1, __ATOMIC_RELEASE);              /* publish */
    fuss_futex_wake(&r->ready, FUSS_FUTEX_WAKE_ALL, FUSS_SHARED, NULL);

    for (uint32_t i = 1; i <= items; i++) {                         /* produce 1..items */
        lock(r);
        while (r->len == SLOTS) wait_for_change(r);
        r->slot[(r->head + r->len++) % SLOTS] = i;
        unlock_and_notify(r);
    }
    lock(r);
    r->closing = 1;
    unlock_and_notify(r);
    int killed = 0, status;
    for (unsigned c = 0; c < nc; c++) {
        waitpid(pid[c], &status, 0);
        killed += WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    }
    uint64_t want = (uint64_t)items * (items + 1) / 2;
    printf("shm_ring_robust: %u items through \"%s\" to %u consumer processes; %u killed "
           "holding the lock, %u repair(s); consumed %llu items (expected %u), sum %s\n",
           items, name, nc, killed, r->repairs, (unsigned long long)r->taken, items,
           r->sum == want ? "right" : "WRONG");
    int ok = killed == 1 && r->repairs == 1 && r->taken == items && r->sum == want;
    fuss_shm_close(h);
    fuss_shm_unlink(name);
    return ok ? 0 : 1;
}
