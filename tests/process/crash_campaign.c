/*
 * Crash campaign: kill a process, lose nothing.  FUSS_TEST_LINUX_ONLY
 *
 * Worker processes append records to a journal in shared memory under a
 * process-shared robust fuss_omutex_t.  The parent SIGKILLs a random worker
 * at a random moment (seeded), over and over, and starts a new one.  A worker
 * that gets EOWNERDEAD repairs the journal (drops the torn record beyond the
 * committed count) and marks the mutex consistent.  At the end every record
 * a worker acknowledged must be in the journal, intact, in order.
 *
 * The journal protocol: record i is written at slot i % SLOTS, then `count`
 * is published (release); a record is acknowledged by its worker only after
 * the unlock that follows.  A kill at any point can therefore leave at most
 * one torn slot, the one at `count`, and never lose an acknowledged one.  The
 * journal is a ring, so the oldest record's slot is the next to be written:
 * the check covers the SLOTS - 1 records before `count`.
 *
 * Kills: FUSS_TEST_KILLS (default 200; `make soak` runs 10,000).
 */
#include <signal.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "harness.h"
#include "fuss/omutex.h"

#define WORKERS 3
#define SLOTS (1u << 16) /* a ring: the last SLOTS - 1 records are checked */
#define PAYLOAD 6

struct record {
    uint64_t index;
    uint64_t payload[PAYLOAD];
    uint64_t check; /* a function of index and payload: detects a torn record */
};

struct journal {
    fuss_omutex_t lock;
    uint64_t count;               /* committed records; guarded by lock */
    uint64_t repairs;             /* EOWNERDEAD seen; guarded by lock */
    uint64_t torn_dropped;        /* repairs that found a torn slot */
    _Atomic uint64_t acked[WORKERS]; /* highest index + 1 each worker acknowledged */
    struct record slots[SLOTS];
};

static uint64_t check_of(const struct record *r)
{
    uint64_t h = r->index * 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < PAYLOAD; i++) h = (h ^ r->payload[i]) * 0x100000001B3ull;
    return h;
}

static int record_ok(const struct record *r, uint64_t index)
{
    return r->index == index && r->check == check_of(r);
}

/* EOWNERDEAD: the previous owner died inside; only the slot at count can be
 * half-written, and it is not committed: clear it. */
static void repair(struct journal *j)
{
    struct record *r = &j->slots[j->count % SLOTS];
    j->repairs++;
    if (!record_ok(r, j->count) && !(j->count >= SLOTS && record_ok(r, j->count - SLOTS))) {
        memset(r, 0, sizeof *r);
        j->torn_dropped++;
    }
    REQUIRE(fuss_omutex_consistent(&j->lock) == 0);
}

static void append_one(struct journal *j, int worker, uint64_t *rng)
{
    int e = fuss_omutex_lock(&j->lock);
    if (e == EOWNERDEAD) repair(j);
    else REQUIRE(e == 0);
    uint64_t idx = j->count;
    struct record *r = &j->slots[idx % SLOTS];
    r->index = idx;
    for (int i = 0; i < PAYLOAD; i++) r->payload[i] = test_rand(rng);
    r->check = check_of(r);
    __atomic_store_n(&j->count, idx + 1, __ATOMIC_RELEASE);
    REQUIRE(fuss_omutex_unlock(&j->lock) == 0);
    /* Acknowledged only now: this is what must never be lost. */
    atomic_store_explicit(&j->acked[worker], idx + 1, memory_order_release);
}

static void worker_main(struct journal *j, int worker, uint64_t seed)
{
    uint64_t rng = seed | 1;
    for (;;) append_one(j, worker, &rng);
}

static pid_t start_worker(struct journal *j, int worker, uint64_t seed)
{
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        worker_main(j, worker, seed);
        _exit(0);
    }
    return pid;
}

static long kills_wanted(void)
{
    const char *s = getenv("FUSS_TEST_KILLS");
    return s ? atol(s) : 200;
}

int main(void)
{
    uint64_t rng = test_seed();
    long kills = kills_wanted();
    test_watchdog((unsigned)(60 + kills / 20), "crash_campaign: journal stuck (robust mutex not recovered?)");
    struct journal *j = mmap(NULL, sizeof *j, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    REQUIRE(j != MAP_FAILED);
    int e = fuss_omutex_init(&j->lock, FUSS_SHARED | FUSS_OMUTEX_ROBUST);
    if (e == ENOTSUP) { printf("robust mutexes not supported here: skipped\n"); CHECK(1); return test_done(); }
    REQUIRE(e == 0);

    pid_t pids[WORKERS];
    for (int w = 0; w < WORKERS; w++) pids[w] = start_worker(j, w, test_rand(&rng));
    for (long k = 0; k < kills; k++) {
        /* Let the workers run 0.1-2 ms, then kill one of them anywhere. */
        struct timespec t = { 0, 100000 + (long)(test_rand(&rng) % 1900000) };
        nanosleep(&t, NULL);
        int w = (int)(test_rand(&rng) % WORKERS);
        REQUIRE(kill(pids[w], SIGKILL) == 0);
        int status;
        REQUIRE(waitpid(pids[w], &status, 0) == pids[w]);
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        pids[w] = start_worker(j, w, test_rand(&rng));
    }
    for (int w = 0; w < WORKERS; w++) {
        if (kill(pids[w], SIGKILL) == 0) waitpid(pids[w], NULL, 0);
    }

    /* The last kill may have left the mutex owner-dead: recover as a user would. */
    e = fuss_omutex_lock(&j->lock);
    if (e == EOWNERDEAD) repair(j);
    else CHECK_EQ(e, 0);
    uint64_t count = j->count, bad = 0;
    uint64_t first = count >= SLOTS ? count - SLOTS + 1 : 0;
    for (uint64_t i = first; i < count; i++) bad += !record_ok(&j->slots[i % SLOTS], i);
    CHECK_EQ(bad, 0);
    for (int w = 0; w < WORKERS; w++) CHECK(atomic_load(&j->acked[w]) <= count);
    CHECK(j->repairs > 0); /* kills did land inside the critical section */
    printf("kills %ld, records %llu, owner-dead repairs %llu (torn slots dropped %llu)\n", kills,
           (unsigned long long)count, (unsigned long long)j->repairs,
           (unsigned long long)j->torn_dropped);
    CHECK_EQ(fuss_omutex_unlock(&j->lock), 0);
    return test_done();
}
