/* A hostile sharer: one process writes seeded random garbage (and, a
 * quarter of the time, plausible-looking bit patterns) into the words of a
 * shared mutex, and of a condvar and its mutex, while three processes use
 * them with deadlines only.  Nobody may crash or hang, every call must
 * return a documented result, and nothing outside the objects may be
 * written: each object sits between canary bytes that are checked at the
 * end (run it in the ASan build too).
 * FUSS_TEST_LINUX_ONLY */
#include <sched.h>

#include "process.h"

#define USERS 3
#define CANARY 0xa5

enum { OBJ_MUTEX, OBJ_CMUTEX, OBJ_COND, NOBJ };
static const char *const obj_name[NOBJ] = { "mutex", "cond's mutex", "cond" };

struct slot {
    unsigned char before[56];
    union { fuss_mutex_t m; fuss_cond_t c; uint32_t w[2]; } obj;
    unsigned char after[64];
};

enum { OP_TIMEDLOCK, OP_TRYLOCK, OP_UNLOCK, OP_TIMEDWAIT, OP_SIGNAL, OP_BROADCAST, NOPS };
static const char *const op_name[NOPS] = { "timedlock", "trylock", "unlock", "cond_timedwait",
                                           "signal", "broadcast" };

struct shared {
    struct slot slot[NOBJ];
    int stop;
    unsigned long seed;
    long ops[USERS];
    int current[USERS]; /* the operation each user is in, for a hang report */
    long bad;
    long results[NOPS][4]; /* 0, ETIMEDOUT/EBUSY, EPERM, other */
};

static struct shared *S;

static void record(int op, int r, int allowed_mask)
{
    /* allowed_mask: bit 0 = 0, bit 1 = ETIMEDOUT, bit 2 = EBUSY, bit 3 = EPERM */
    int bit = r == 0 ? 1 : r == ETIMEDOUT ? 2 : r == EBUSY ? 4 : r == EPERM ? 8 : 0;
    int col = r == 0 ? 0 : (r == ETIMEDOUT || r == EBUSY) ? 1 : r == EPERM ? 2 : 3;
    __atomic_fetch_add(&S->results[op][col], 1, __ATOMIC_RELAXED);
    if (!(bit & allowed_mask)) {
        __atomic_fetch_add(&S->bad, 1, __ATOMIC_RELAXED);
        fprintf(stderr, "undocumented result: %s returned %d\n", op_name[op], r);
    }
}

static struct timespec soon(uint64_t *rng)
{
    return test_deadline_in(CLOCK_MONOTONIC, 1 + (long)(test_rand(rng) % 4));
}

static int user(void *arg)
{
    int id = (int)(intptr_t)arg;
    uint64_t rng = S->seed * 3 + (uint64_t)id + 1;
    fuss_mutex_t *m = &S->slot[OBJ_MUTEX].obj.m, *cm = &S->slot[OBJ_CMUTEX].obj.m;
    fuss_cond_t *c = &S->slot[OBJ_COND].obj.c;
    while (!__atomic_load_n(&S->stop, __ATOMIC_RELAXED)) {
        struct timespec dl = soon(&rng);
        int r;
        switch (test_rand(&rng) % 4) {
        case 0:
            S->current[id] = OP_TIMEDLOCK;
            r = fuss_mutex_timedlock(m, CLOCK_MONOTONIC, &dl);
            record(OP_TIMEDLOCK, r, 1 | 2);
            if (r == 0) record(OP_UNLOCK, fuss_mutex_unlock(m), 1 | 8);
            break;
        case 1:
            S->current[id] = OP_TRYLOCK;
            r = fuss_mutex_trylock(m);
            record(OP_TRYLOCK, r, 1 | 4);
            if (r == 0) record(OP_UNLOCK, fuss_mutex_unlock(m), 1 | 8);
            break;
        case 2:
            S->current[id] = OP_TIMEDLOCK;
            r = fuss_mutex_timedlock(cm, CLOCK_MONOTONIC, &dl);
            record(OP_TIMEDLOCK, r, 1 | 2);
            if (r != 0) break;
            dl = soon(&rng);
            /* EPERM: the garbage unlocked the mutex under us. */
            S->current[id] = OP_TIMEDWAIT;
            r = fuss_cond_timedwait(c, cm, CLOCK_MONOTONIC, &dl);
            record(OP_TIMEDWAIT, r, 1 | 2 | 8);
            S->current[id] = OP_UNLOCK;
            if (r != EPERM) record(OP_UNLOCK, fuss_mutex_unlock(cm), 1 | 8);
            break;
        default:
            S->current[id] = OP_SIGNAL;
            if (test_rand(&rng) & 1) record(OP_SIGNAL, fuss_cond_signal(c), 1);
            else record(OP_BROADCAST, fuss_cond_broadcast(c), 1);
        }
        S->ops[id]++;
    }
    return 0;
}

/* Garbage: fully random words, or the bits these objects use (mutex bits
 * 0-2 and 31; the condvar's link offsets pointing near the object). */
static uint32_t garbage(uint64_t *rng, int obj, int w)
{
    uint64_t x = test_rand(rng);
    if ((x & 3) != 0) return (uint32_t)(x >> 32);
    if (obj != OBJ_COND) return (uint32_t)(x >> 8) & 0x80000007u;
    if (w == 0) return (uint32_t)(x >> 16);                            /* seq */
    /* link: random flags and count (bits 0-13), an offset within 512 bytes
     * of the condvar (bits 14-22, in 4-byte units; a negative one also sets
     * bits of INSIDE, 23-31, which the honest side must survive too) */
    return ((uint32_t)((int32_t)(x >> 40) % 128) << 14) | ((uint32_t)(x >> 8) & 0x3fffu);
}

static int hostile(void *arg)
{
    (void)arg;
    uint64_t rng = S->seed;
    while (!__atomic_load_n(&S->stop, __ATOMIC_RELAXED)) {
        int obj = (int)(test_rand(&rng) % NOBJ);
        int w = obj == OBJ_COND ? (int)(test_rand(&rng) & 1) : 0;
        __atomic_store_n(&S->slot[obj].obj.w[w], garbage(&rng, obj, w), __ATOMIC_RELAXED);
        if (test_rand(&rng) % 8 == 0) test_sleep_ms(1);
        else sched_yield();
    }
    /* Stop being hostile: leave free objects behind (without waking anyone,
     * as garbage would), so that a user that re-checks the words can finish
     * even if its sleep lost a wake-up to the garbage. */
    (void)fuss_mutex_init(&S->slot[OBJ_MUTEX].obj.m, FUSS_SHARED);
    (void)fuss_mutex_init(&S->slot[OBJ_CMUTEX].obj.m, FUSS_SHARED);
    (void)fuss_cond_init(&S->slot[OBJ_COND].obj.c, FUSS_SHARED);
    return 0;
}

static int canaries_intact(void)
{
    int ok = 1;
    for (int i = 0; i < NOBJ; i++) {
        for (size_t b = 0; b < sizeof S->slot[i].before; b++)
            if (S->slot[i].before[b] != CANARY) {
                fprintf(stderr, "canary before %s, byte %zu: 0x%02x\n", obj_name[i], b,
                        S->slot[i].before[b]);
                ok = 0;
            }
        for (size_t b = 0; b < sizeof S->slot[i].after; b++)
            if (S->slot[i].after[b] != CANARY) {
                fprintf(stderr, "canary after %s, byte %zu: 0x%02x\n", obj_name[i], b,
                        S->slot[i].after[b]);
                ok = 0;
            }
    }
    return ok;
}

int main(void)
{
    test_watchdog(180, "hostile_sharer");
    S = test_shared_map(sizeof *S);
    S->seed = test_seed() | 1;
    memset(S->slot, CANARY, sizeof S->slot);
    REQUIRE(fuss_mutex_init(&S->slot[OBJ_MUTEX].obj.m, FUSS_SHARED) == 0);
    REQUIRE(fuss_mutex_init(&S->slot[OBJ_CMUTEX].obj.m, FUSS_SHARED) == 0);
    REQUIRE(fuss_cond_init(&S->slot[OBJ_COND].obj.c, FUSS_SHARED) == 0);

    pid_t users[USERS], bad_guy;
    for (int i = 0; i < USERS; i++) users[i] = test_fork(user, (void *)(intptr_t)i);
    bad_guy = test_fork(hostile, NULL);
    test_sleep_ms((long)(test_seconds(1.5) * 1000));
    __atomic_store_n(&S->stop, 1, __ATOMIC_RELAXED);

    /* Every user must come back: its calls all have deadlines.  Give them
     * 30 s (their deadlines are a few ms), then call it a hang. */
    CHECK(test_wait_ok(bad_guy));
    for (int i = 0; i < USERS; i++) {
        int st = 0, gone = 0;
        for (int t = 0; t < 30000 && !gone; t++) {
            pid_t r = waitpid(users[i], &st, WNOHANG);
            if (r == users[i]) gone = 1;
            else test_sleep_ms(1);
        }
        if (!gone) {
            fprintf(stderr, "user %d hung in %s after %ld operations (killed)\n", i,
                    op_name[S->current[i]], S->ops[i]);
            kill(users[i], SIGKILL);
            waitpid(users[i], &st, 0);
        }
        CHECK(gone);
        if (gone) CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
        if (gone && WIFSIGNALED(st)) fprintf(stderr, "user %d died of signal %d\n", i, WTERMSIG(st));
        CHECK(S->ops[i] > 0);
    }
    CHECK_EQ(S->bad, 0);
    CHECK(canaries_intact());
    for (int op = 0; op < NOPS; op++)
        printf("%-15s 0:%-8ld timeout/busy:%-8ld EPERM:%-8ld other:%ld\n", op_name[op],
               S->results[op][0], S->results[op][1], S->results[op][2], S->results[op][3]);
    return test_done();
}
