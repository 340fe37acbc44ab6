/*
 * fuzz_primitives: single-threaded operation sequences over the locking
 * primitives, starting from ARBITRARY object contents.
 *
 * The hostile-sharer case: a process-shared lock lives in memory another
 * process can scribble on, and a bug elsewhere can corrupt a private one.
 * fuss cannot give such an object a meaning, but it must not crash, hang,
 * corrupt memory outside the object, or answer anything its header does not
 * document.  So the objects start as fuzz bytes (memcpy'd in) and the input
 * may overwrite them again between operations.
 *
 * Only operations that cannot block are used: try-forms, timed forms with a
 * deadline in the past (or a malformed one, which must give EINVAL),
 * unlock, signal, broadcast; fuss_mutex_lock only on a word whose LOCKED bit
 * is clear.  A hang is caught by libFuzzer's -timeout.
 *
 * Promises checked, per <fuss/mutex.h> and <fuss/cond.h>:
 *   mutex: (timed)lock may also say EINVAL for a corrupt word (mutex.h);
 *          trylock 0 | EBUSY, and EBUSY whenever it is locked; after any
 *          successful acquisition it is locked; timedlock (past deadline)
 *          0 | ETIMEDOUT | EINVAL, and ETIMEDOUT when it was locked;
 *          unlock 0 | EPERM, EPERM exactly when it was not locked or in
 *          transit, and afterwards unlocked or in transit (a word that
 *          claims a starving sleeper is handed over, not released);
 *          destroy EBUSY exactly when locked; init 0 | EINVAL | ENOTSUP.
 *   cond:  signal, broadcast 0; destroy 0, or EBUSY when the word claims
 *          spinners (a corrupt word); timedwait EPERM when the mutex is
 *          not locked, else 0 | ETIMEDOUT | EINVAL, and the mutex is locked
 *          again on return.
 * "Locked" is bit 0 of the mutex word, "in transit" (being handed to a
 * sleeper) bits 0 and 3 (the table in src/mutex.c): the only internal facts
 * used here.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fuss.h"
#include "fuzz_input.h"

#define NMUTEX 2

struct objects {
    fuss_mutex_t m[NMUTEX];
    fuss_cond_t c;
};

static bool emulated;

#define ONE_OF(r, ...) one_of((r), (const int[]){ __VA_ARGS__, -1 })
static bool one_of(int r, const int *set)
{
    for (; *set != -1; set++)
        if (r == *set) return true;
    return false;
}
#define EXPECT(what, r, ...) FUZZ_CHECK(ONE_OF((r), __VA_ARGS__), "%s returned %d", (what), (r))

static bool locked(const fuss_mutex_t *m) { return (__atomic_load_n(&m->word, __ATOMIC_RELAXED) & 1u) != 0; }
static bool in_transit(const fuss_mutex_t *m)
{
    return (__atomic_load_n(&m->word, __ATOMIC_RELAXED) & 9u) == 9u;
}
/* In transit to a starver of another process (src/mutex.c, FORK: STARVING
 * on a private word whose STARVER field, bits 4-25, is not this process's
 * pid): nobody here holds it, and trylock/timedlock may claim it (T11). */
static bool stale_transit(const fuss_mutex_t *m)
{
    uint32_t w = __atomic_load_n(&m->word, __ATOMIC_RELAXED);
    uint32_t starver = (w >> 4) & 0x3fffffu, me = (uint32_t)getpid() & 0x3fffffu;
    return in_transit(m) && (w & (0x4u | 0x80000000u)) == 0x4u && starver != me;
}

/* A deadline in the past, or (sometimes) a malformed one or a bad clock. */
static bool fuzz_deadline(struct fuzz_in *in, clockid_t *clock, struct timespec *ts)
{
    uint8_t k = fuzz_u8(in);
    *clock = (k & 1u) ? CLOCK_REALTIME : CLOCK_MONOTONIC;
    ts->tv_sec = (time_t)(k >> 4);
    ts->tv_nsec = (long)(fuzz_u32(in) % 1000000000u);
    switch ((k >> 1) & 7u) {
    case 0: ts->tv_nsec = -1 - (long)(k >> 4); return false;
    case 1: ts->tv_nsec = 1000000000L + (long)k; return false;
    case 2: ts->tv_sec = -1 - (time_t)(k >> 4); return false;
    case 3: *clock = (clockid_t)(int32_t)fuzz_u32(in);
            return *clock == CLOCK_MONOTONIC || *clock == CLOCK_REALTIME;
    default: return true; /* tv_sec < 16: long past on both clocks */
    }
}

static unsigned fuzz_init_flags(struct fuzz_in *in)
{
    uint8_t k = fuzz_u8(in);
    return k < 0xf0 ? (k & 1u) : fuzz_u32(in);
}

static void init_result(const char *what, int r, unsigned flags)
{
    if (flags & ~FUSS_SHARED) EXPECT(what, r, EINVAL);
    else if (flags == FUSS_SHARED && emulated) EXPECT(what, r, ENOTSUP);
    else EXPECT(what, r, 0);
}

static void mutex_op(struct fuzz_in *in, fuss_mutex_t *m, uint8_t op)
{
    bool stale = stale_transit(m), was = locked(m) && !stale;
    int r;
    switch (op % 6) {
    case 0:
        r = fuss_mutex_trylock(m);
        EXPECT("mutex_trylock", r, 0, EBUSY);
        if (was) EXPECT("mutex_trylock of a locked mutex", r, EBUSY);
        if (!r) FUZZ_CHECK(locked(m), "trylock succeeded but the mutex is not locked");
        break;
    case 1: {
        clockid_t clock;
        struct timespec ts;
        bool valid = fuzz_deadline(in, &clock, &ts);
        r = fuss_mutex_timedlock(m, clock, &ts);
        if (!valid) { EXPECT("mutex_timedlock, bad deadline", r, EINVAL); break; }
        /* EINVAL: a corrupt word (SHARED on the emulated backend), mutex.h */
        EXPECT("mutex_timedlock", r, 0, ETIMEDOUT, EINVAL);
        if (was) EXPECT("mutex_timedlock of a locked mutex", r, ETIMEDOUT, EINVAL);
        if (!r) FUZZ_CHECK(locked(m), "timedlock succeeded but the mutex is not locked");
        break;
    }
    case 2:
        if (was) break; /* would block for ever */
        r = fuss_mutex_lock(m);
        EXPECT("mutex_lock", r, 0, EINVAL);
        if (!r) FUZZ_CHECK(locked(m), "lock returned but the mutex is not locked");
        break;
    case 3: {
        bool transit = in_transit(m);
        r = fuss_mutex_unlock(m);
        EXPECT("mutex_unlock", r, was && !transit ? 0 : EPERM);
        FUZZ_CHECK(!locked(m) || in_transit(m), "unlock left the mutex locked");
        break;
    }
    case 4:
        r = fuss_mutex_destroy(m);
        EXPECT("mutex_destroy", r, was ? EBUSY : 0); /* a stale transit counts as free */
        break;
    default: {
        unsigned flags = fuzz_init_flags(in);
        r = fuss_mutex_init(m, flags);
        init_result("mutex_init", r, flags);
        if (!r) FUZZ_CHECK(!locked(m), "init left the mutex locked");
        break;
    }
    }
}

static void cond_op(struct fuzz_in *in, struct objects *o, uint8_t op)
{
    int r;
    switch (op % 5) {
    case 0: r = fuss_cond_signal(&o->c); EXPECT("cond_signal", r, 0); break;
    case 1: r = fuss_cond_broadcast(&o->c); EXPECT("cond_broadcast", r, 0); break;
    case 2:
        /* Garbage SPIN bits (link bits 2-6, src/cond.c) make destroy wait for
         * spinners that do not exist: 10 ms when shared, 1 s when private;
         * skip the slow private case, it would only stall the fuzzer. */
        if ((o->c.link & 0x7cu) && !(o->c.link & 1u)) break;
        r = fuss_cond_destroy(&o->c);
        EXPECT("cond_destroy", r, 0, EBUSY);
        if (!(o->c.link & 0x7cu)) EXPECT("cond_destroy without spinners", r, 0);
        break;
    case 3: {
        unsigned flags = fuzz_init_flags(in);
        r = fuss_cond_init(&o->c, flags);
        init_result("cond_init", r, flags);
        break;
    }
    default: {
        fuss_mutex_t *m = &o->m[fuzz_u8(in) % NMUTEX];
        clockid_t clock;
        struct timespec ts;
        bool valid = fuzz_deadline(in, &clock, &ts);
        bool was = locked(m);
        r = fuss_cond_timedwait(&o->c, m, clock, &ts);
        if (!valid) EXPECT("cond_timedwait, bad deadline", r, EINVAL);
        else if (!was) EXPECT("cond_timedwait without the mutex", r, EPERM);
        else EXPECT("cond_timedwait", r, 0, ETIMEDOUT, EINVAL);
        if (valid && was && r != EINVAL)
            FUZZ_CHECK(locked(m), "cond_timedwait returned without the mutex");
        break;
    }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = { data, size };
    emulated = strcmp(fuss_futex_backend(), "emulated") == 0;
    /* On the heap, alone: ASan reports any access next to the objects. */
    struct objects *o = malloc(sizeof *o);
    fuzz_bytes(&in, o, sizeof *o);
    for (int steps = 0; in.left && steps < 256; steps++) {
        uint8_t op = fuzz_u8(&in);
        uint8_t arg = fuzz_u8(&in);
        switch (op % 4) {
        case 0: mutex_op(&in, &o->m[arg % NMUTEX], arg / NMUTEX); break;
        case 1: cond_op(&in, o, arg); break;
        case 2: if (arg < 32) fuzz_bytes(&in, o, sizeof *o); break; /* the hostile sharer */
        default: {
            /* Flip chosen bits of one word: states a protocol bug could leave. */
            uint32_t *w = (uint32_t *)(void *)o + arg % (sizeof *o / 4);
            *w ^= fuzz_u32(&in);
            break;
        }
        }
    }
    free(o);
    return 0;
}
