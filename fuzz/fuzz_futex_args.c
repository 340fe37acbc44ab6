/*
 * fuzz_futex_args: arbitrary calls of the public futex API, including the
 * system-call-compatible entry points fuss_futex() and fuss_futex_openbsd().
 *
 * Words are NULL, or anywhere (aligned or not) in a small heap buffer the
 * target owns, so ASan sees any access outside it; their values, the
 * expected values, counts, flags, bitsets, FUTEX_OP encodings, clocks and
 * timespecs are all fuzzed.  Nothing may block: a wait whose word matches
 * gets a deadline in the past (a valid timespec is moved before "now"); a
 * wait with no deadline gets an expected value that differs from the word.
 * Everything runs in one thread, so there is never a waiter to wake.
 *
 * Promises checked (<fuss/futex.h>): only the documented results, in the
 * documented order of checks (bad word / flags / bitset, then deadline,
 * then ENOTSUP on the emulated backend, then the word's value); counts of
 * woken and requeued threads are 0; wake-op leaves exactly the value the
 * FUTEX_OP encoding describes (computed here, independently); waitv never
 * returns spuriously.  Plus: no crash, no hang, no sanitizer report.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "fuss/futex.h"
#include "fuzz_input.h"

#define BUF_BYTES 64

static uint8_t *buf;
static bool emulated;

/* ---- fuzzed arguments -------------------------------------------------------- */

static uint32_t *fuzz_word(struct fuzz_in *in)
{
    uint8_t k = fuzz_u8(in);
    if (k == 0xff) return NULL;
    /* Mostly aligned, sometimes not: any offset that keeps 4 bytes inside. */
    unsigned off = (k & 0x80u) ? (unsigned)(k % (BUF_BYTES - 3)) : (unsigned)(k % (BUF_BYTES / 4)) * 4;
    return (uint32_t *)(void *)(buf + off);
}

static bool aligned_word(const void *w) { return w && ((uintptr_t)w & 3u) == 0; }

static uint32_t load(const uint32_t *w)
{
    uint32_t v;
    memcpy(&v, w, sizeof v); /* misaligned words are read bytewise here */
    return v;
}

static unsigned fuzz_flags(struct fuzz_in *in)
{
    uint8_t k = fuzz_u8(in);
    return k < 0xf0 ? (k & 1u) : fuzz_u32(in);
}

static bool flags_valid(unsigned f) { return f == FUSS_PRIVATE || f == FUSS_SHARED; }

static clockid_t fuzz_clock(struct fuzz_in *in)
{
    uint8_t k = fuzz_u8(in);
    if (k < 0x70) return CLOCK_MONOTONIC;
    if (k < 0xe0) return CLOCK_REALTIME;
    return (clockid_t)(int32_t)fuzz_u32(in);
}

static bool clock_valid(clockid_t c) { return c == CLOCK_MONOTONIC || c == CLOCK_REALTIME; }

static bool ts_valid(const struct timespec *t)
{
    return t->tv_sec >= 0 && t->tv_nsec >= 0 && t->tv_nsec < 1000000000L;
}

/* Any timespec at all; NULL is chosen by the callers. */
static struct timespec fuzz_ts(struct fuzz_in *in)
{
    struct timespec t;
    uint8_t k = fuzz_u8(in);
    switch (k & 3u) {
    case 0: t.tv_sec = 0; t.tv_nsec = 0; break;
    case 1: t.tv_sec = (time_t)(k >> 2); t.tv_nsec = (long)(fuzz_u32(in) % 1000000000u); break;
    default:
        t.tv_sec = (time_t)fuzz_u64(in);
        t.tv_nsec = (long)fuzz_u64(in);
        break;
    }
    return t;
}

/* A valid absolute deadline is moved into the past on its clock, so a wait
 * can never block on it.  Invalid ones stay: they must give EINVAL. */
static void make_past(struct timespec *t, clockid_t clock)
{
    if (!ts_valid(t) || !clock_valid(clock)) return;
    struct timespec now;
    clock_gettime(clock, &now);
    if (t->tv_sec < now.tv_sec) return;
    t->tv_sec = 0; /* both clocks are well past 1 s on any running system */
}

/* A valid relative timeout becomes at most 1 us. */
static void make_short(struct timespec *t)
{
    if (!ts_valid(t)) return;
    t->tv_sec = 0;
    t->tv_nsec %= 1000;
}

/* ---- result checks ----------------------------------------------------------- */

#define ONE_OF(r, ...) one_of((r), (const int[]){ __VA_ARGS__, -1 })

static bool one_of(int r, const int *set)
{
    for (; *set != -1; set++)
        if (r == *set) return true;
    return false;
}

#define EXPECT(what, r, ...) \
    FUZZ_CHECK(ONE_OF((r), __VA_ARGS__), "%s returned %d", (what), (r))

/* The result of a wait whose arguments passed every check. */
static void check_wait_result(const char *what, int r, bool matches, unsigned flags)
{
    if (emulated && flags == FUSS_SHARED) { EXPECT(what, r, ENOTSUP); return; }
    /* 0 is always allowed: "every wait may return 0 without a wake-up". */
    if (matches) EXPECT(what, r, ETIMEDOUT, 0);
    else EXPECT(what, r, EAGAIN, 0);
}

/* ---- the calls --------------------------------------------------------------- */

static void do_wait(struct fuzz_in *in, int kind)
{
    uint32_t *w = fuzz_word(in);
    uint32_t expected = fuzz_u32(in);
    uint32_t bitset = kind == 3 ? fuzz_u32(in) : FUSS_FUTEX_BITSET_ANY;
    unsigned flags = fuzz_flags(in);
    clockid_t clock = fuzz_clock(in);
    struct timespec ts = fuzz_ts(in);
    bool null_ts = kind == 1 || (fuzz_u8(in) & 7u) == 0;
    if (aligned_word(w) && (fuzz_u8(in) & 1u)) expected = load(w); /* often a match */
    bool matches = aligned_word(w) && load(w) == expected;
    if (matches && null_ts) expected = ~expected, matches = false; /* would sleep forever */
    if (matches) { if (kind == 2) make_short(&ts); else make_past(&ts, clock); }

    int r;
    const char *what;
    switch (kind) {
    case 0: what = "wait_until"; r = fuss_futex_wait_until(w, expected, clock, null_ts ? NULL : &ts, flags); break;
    case 1: what = "wait"; r = fuss_futex_wait(w, expected, flags); break;
    case 2: what = "wait_for"; r = fuss_futex_wait_for(w, expected, null_ts ? NULL : &ts, flags); break;
    default: what = "wait_bitset";
        r = fuss_futex_wait_bitset(w, expected, bitset, clock, null_ts ? NULL : &ts, flags); break;
    }
    if (!aligned_word(w) || !flags_valid(flags) || bitset == 0) { EXPECT(what, r, EINVAL); return; }
    if (!null_ts && !ts_valid(&ts)) { EXPECT(what, r, EINVAL); return; }
    /* wait_for's timeout is relative and always on CLOCK_MONOTONIC. */
    if (!null_ts && kind != 2 && !clock_valid(clock)) { EXPECT(what, r, EINVAL); return; }
    check_wait_result(what, r, matches, flags);
}

static void do_wake(struct fuzz_in *in, bool bitset_form)
{
    uint32_t *w = fuzz_word(in);
    unsigned count = fuzz_count(in), flags = fuzz_flags(in);
    uint32_t bitset = bitset_form ? fuzz_u32(in) : FUSS_FUTEX_BITSET_ANY;
    unsigned woken = 12345;
    unsigned *wp = (fuzz_u8(in) & 3u) ? &woken : NULL;
    int r = bitset_form ? fuss_futex_wake_bitset(w, count, bitset, flags, wp)
                        : fuss_futex_wake(w, count, flags, wp);
    if (wp) FUZZ_CHECK(woken == 0, "wake: woken %u with nobody waiting", woken);
    if (!aligned_word(w) || !flags_valid(flags) || bitset == 0) EXPECT("wake", r, EINVAL);
    else if (emulated && flags == FUSS_SHARED && count != 0) EXPECT("wake", r, ENOTSUP);
    else EXPECT("wake", r, 0);
}

static void do_requeue(struct fuzz_in *in, bool cmp)
{
    uint32_t *from = fuzz_word(in), *to = fuzz_word(in);
    uint32_t expected = fuzz_u32(in);
    unsigned nwake = fuzz_count(in), nrequeue = fuzz_count(in), flags = fuzz_flags(in);
    if (aligned_word(from) && (fuzz_u8(in) & 1u)) expected = load(from);
    unsigned woken = 777, requeued = 777;
    int r = cmp ? fuss_futex_cmp_requeue(from, expected, nwake, nrequeue, to, flags, &woken, &requeued)
                : fuss_futex_requeue(from, nwake, nrequeue, to, flags, &woken, &requeued);
    FUZZ_CHECK(woken == 0 && requeued == 0, "requeue: woken %u requeued %u", woken, requeued);
    if (!aligned_word(from) || !aligned_word(to) || !flags_valid(flags)) { EXPECT("requeue", r, EINVAL); return; }
    bool differs = cmp && load(from) != expected;
    if (emulated && flags == FUSS_SHARED) {
        if (differs) EXPECT("requeue", r, ENOTSUP, EAGAIN);
        else EXPECT("requeue", r, ENOTSUP);
    } else {
        EXPECT("requeue", r, differs ? EAGAIN : 0);
    }
}

/* FUTEX_OP, computed from the header's description alone. */
static bool op_valid(uint32_t op) { return ((op >> 28) & 7u) <= 4u && ((op >> 24) & 15u) <= 5u; }

static uint32_t op_reference(uint32_t op, uint32_t old)
{
    uint32_t kind = (op >> 28) & 7u;
    uint32_t arg = (op >> 12) & 0xfffu;
    if (arg & 0x800u) arg |= 0xfffff000u; /* 12-bit signed */
    if ((op >> 28) & FUSS_FUTEX_OP_ARG_SHIFT) arg = (uint32_t)1 << (arg & 31u);
    switch (kind) {
    case FUSS_FUTEX_OP_SET: return arg;
    case FUSS_FUTEX_OP_ADD: return old + arg;
    case FUSS_FUTEX_OP_OR: return old | arg;
    case FUSS_FUTEX_OP_ANDN: return old & ~arg;
    default: return old ^ arg;
    }
}

static void do_wake_op(struct fuzz_in *in)
{
    uint32_t *w1 = fuzz_word(in), *w2 = fuzz_word(in);
    unsigned n1 = fuzz_count(in), n2 = fuzz_count(in), flags = fuzz_flags(in);
    uint32_t op = fuzz_u32(in);
    if (fuzz_u8(in) & 1u) op &= 0xcfffffffu; /* mostly known op and cmp codes */
    if (fuzz_u8(in) & 1u) op &= 0xf3ffffffu;
    uint32_t old = aligned_word(w2) ? load(w2) : 0;
    unsigned woken = 99;
    int r = fuss_futex_wake_op(w1, n1, w2, n2, op, flags, &woken);
    FUZZ_CHECK(woken == 0, "wake_op: woken %u", woken);
    if (!aligned_word(w1) || !aligned_word(w2) || !flags_valid(flags) || !op_valid(op)) {
        EXPECT("wake_op", r, EINVAL);
    } else if (emulated && flags == FUSS_SHARED) {
        EXPECT("wake_op", r, ENOTSUP);
    } else {
        EXPECT("wake_op", r, 0);
        FUZZ_CHECK(load(w2) == op_reference(op, old), "wake_op %#x on %#x left %#x, want %#x",
                   op, old, load(w2), op_reference(op, old));
        return;
    }
    if (aligned_word(w2)) FUZZ_CHECK(load(w2) == old, "failed wake_op changed the word");
}

static void do_waitv(struct fuzz_in *in)
{
    fuss_futex_waiter_t v[FUSS_FUTEX_WAITV_MAX + 2];
    unsigned count = fuzz_u8(in) % (FUSS_FUTEX_WAITV_MAX + 3);
    if (fuzz_u8(in) & 1u) count %= 5; /* small ones are the interesting ones */
    bool null_v = (fuzz_u8(in) & 0x1fu) == 0;
    bool bad = null_v || count == 0 || count > FUSS_FUTEX_WAITV_MAX, shared = false, mismatch = false;
    for (unsigned i = 0; i < count; i++) {
        v[i].word = fuzz_word(in);
        v[i].flags = fuzz_flags(in);
        v[i].expected = fuzz_u32(in);
        if (aligned_word(v[i].word) && (fuzz_u8(in) & 3u)) v[i].expected = load(v[i].word);
        if (!aligned_word(v[i].word) || !flags_valid(v[i].flags)) bad = true;
        if (v[i].flags == FUSS_SHARED) shared = true;
    }
    clockid_t clock = fuzz_clock(in);
    struct timespec ts = fuzz_ts(in);
    bool null_ts = (fuzz_u8(in) & 7u) == 0;
    if (!bad) {
        for (unsigned i = 0; i < count; i++)
            if (load(v[i].word) != v[i].expected) mismatch = true;
        if (!mismatch && null_ts) { v[0].expected = ~v[0].expected; mismatch = true; }
        if (!mismatch) make_past(&ts, clock);
    }
    unsigned index = 4242;
    int r = fuss_futex_waitv(null_v ? NULL : v, count, clock, null_ts ? NULL : &ts, &index);
    if (bad) { EXPECT("waitv", r, EINVAL); return; }
    if (!null_ts && (!ts_valid(&ts) || !clock_valid(clock))) { EXPECT("waitv", r, EINVAL); return; }
    if (emulated && shared) { EXPECT("waitv", r, ENOTSUP); return; }
    /* No spurious returns for waitv; a shared word on a kernel without
     * futex_waitv may be ENOTSUP (see the header). */
    if (shared && !(fuss_futex_features() & FUSS_FEATURE_WAITV))
        EXPECT("waitv", r, mismatch ? EAGAIN : ETIMEDOUT, ENOTSUP);
    else
        EXPECT("waitv", r, mismatch ? EAGAIN : ETIMEDOUT);
    FUZZ_CHECK(index == 4242, "waitv set *index on failure");
}

static uint32_t pi_word;

#define EXPECT_PI(what, r, ...) \
    FUZZ_CHECK(ONE_OF((r), __VA_ARGS__), "%s on word %#x (my tid %#x) returned %d", (what), \
               pi_word, my_tid(), (r))

static uint32_t my_tid(void) { return (uint32_t)syscall(SYS_gettid); }

static void do_pi(struct fuzz_in *in)
{
    uint32_t *w = fuzz_word(in);
    unsigned flags = fuzz_flags(in);
    uint8_t k = fuzz_u8(in);
    /* Interesting owners: none, me, a thread that cannot exist, anything. */
    if (aligned_word(w)) {
        uint32_t bits = (uint32_t)(k & 0xc0u) << 24; /* WAITERS, OWNER_DIED */
        switch ((k >> 3) & 3u) {
        case 0: *w = bits; break;
        case 1: *w = bits | my_tid(); break;
        case 2: *w = bits | FUSS_FUTEX_TID_MASK; break;
        default: break;
        }
    }
    int r;
    bool invalid = !aligned_word(w) || !flags_valid(flags);
    /* Say which owner the kernel was asked about when a check fails. */
    pi_word = aligned_word(w) ? load(w) : 0;
    switch (k & 3u) {
    case 0: {
        clockid_t clock = fuzz_clock(in);
        struct timespec ts = fuzz_ts(in);
        make_past(&ts, clock); /* never NULL: the owner might be a live thread */
        r = fuss_futex_lock_pi(w, clock, &ts, flags);
        if (invalid || !ts_valid(&ts) || !clock_valid(clock)) EXPECT("lock_pi", r, EINVAL);
        else if (emulated) EXPECT("lock_pi", r, ENOTSUP);
        else EXPECT_PI("lock_pi", r, 0, ETIMEDOUT, EDEADLK, ESRCH, EPERM, EINVAL);
        break;
    }
    case 1:
        r = fuss_futex_trylock_pi(w, flags);
        if (invalid) EXPECT("trylock_pi", r, EINVAL);
        else if (emulated) EXPECT("trylock_pi", r, ENOTSUP);
        else EXPECT_PI("trylock_pi", r, 0, EBUSY, EDEADLK, ESRCH, EPERM, EINVAL);
        break;
    default:
        r = fuss_futex_unlock_pi(w, flags);
        if (invalid) EXPECT("unlock_pi", r, EINVAL);
        else if (emulated) EXPECT("unlock_pi", r, ENOTSUP);
        else EXPECT_PI("unlock_pi", r, 0, EPERM, EINVAL);
        break;
    }
}

/* ---- the system-call-compatible entry points --------------------------------- */

static void do_linux_compat(struct fuzz_in *in)
{
    uint32_t *w = fuzz_word(in), *w2 = fuzz_word(in);
    uint8_t k = fuzz_u8(in);
    int cmd = k % 16;
    int op = cmd | ((k & 0x10u) ? FUSS_FUTEX_CMD_PRIVATE : 0) |
             ((k & 0x20u) ? FUSS_FUTEX_CMD_CLOCK_REALTIME : 0);
    if ((k & 0xc0u) == 0xc0u) op = (int)fuzz_u32(in);
    cmd = op & ~(FUSS_FUTEX_CMD_PRIVATE | FUSS_FUTEX_CMD_CLOCK_REALTIME);
    bool priv = (op & FUSS_FUTEX_CMD_PRIVATE) != 0;
    bool realtime = (op & FUSS_FUTEX_CMD_CLOCK_REALTIME) != 0;
    uint32_t val = fuzz_u32(in), val3 = fuzz_u32(in);
    struct timespec ts = fuzz_ts(in);
    const struct timespec *tp = (fuzz_u8(in) & 7u) ? &ts : NULL;
    bool is_wait = cmd == FUSS_FUTEX_CMD_WAIT || cmd == FUSS_FUTEX_CMD_WAIT_BITSET;
    bool is_lock = cmd == FUSS_FUTEX_CMD_LOCK_PI || cmd == FUSS_FUTEX_CMD_LOCK_PI2;
    bool count_in_ptr = cmd == FUSS_FUTEX_CMD_REQUEUE || cmd == FUSS_FUTEX_CMD_CMP_REQUEUE ||
                        cmd == FUSS_FUTEX_CMD_WAKE_OP;
    if (aligned_word(w) && (fuzz_u8(in) & 1u)) val = load(w);
    if (aligned_word(w) && cmd == FUSS_FUTEX_CMD_CMP_REQUEUE && (fuzz_u8(in) & 1u)) val3 = load(w);
    if (is_wait && aligned_word(w) && load(w) == val) {
        if (!tp) val = ~val;
        else if (cmd == FUSS_FUTEX_CMD_WAIT) make_short(&ts);
        else make_past(&ts, realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC);
    }
    if (is_lock) { /* never forever: the word may name a live thread */
        tp = &ts;
        make_past(&ts, cmd == FUSS_FUTEX_CMD_LOCK_PI || realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC);
    }
    if (count_in_ptr) tp = (const struct timespec *)(intptr_t)(int32_t)fuzz_u32(in);
    uint32_t old2 = aligned_word(w2) ? load(w2) : 0;
    errno = 0;
    long r = fuss_futex(w, op, val, tp, w2, val3);
    int e = errno;
    if (r >= 0) {
        /* Nobody ever waits here: every count is 0. */
        FUZZ_CHECK(r == 0, "futex op %#x returned %ld", op, r);
        if (cmd == FUSS_FUTEX_CMD_WAKE_OP)
            FUZZ_CHECK(load(w2) == op_reference(val3, old2), "futex wake_op %#x on %#x left %#x",
                       val3, old2, load(w2));
        return;
    }
    FUZZ_CHECK(r == -1, "futex op %#x returned %ld", op, r);
    bool rt_ok = cmd == FUSS_FUTEX_CMD_WAIT || cmd == FUSS_FUTEX_CMD_WAIT_BITSET ||
                 cmd == FUSS_FUTEX_CMD_LOCK_PI2 || cmd == FUSS_FUTEX_CMD_WAIT_REQUEUE_PI;
    if (realtime && !rt_ok) { EXPECT("futex: realtime flag", e, ENOSYS); return; }
    if (!w) { EXPECT("futex: NULL word", e, EFAULT); return; }
    if (!aligned_word(w)) { EXPECT("futex: misaligned word", e, EINVAL); return; }
    switch (cmd) {
    case FUSS_FUTEX_CMD_WAIT:
    case FUSS_FUTEX_CMD_WAIT_BITSET:
        EXPECT("futex: wait", e, EAGAIN, ETIMEDOUT, EINVAL, ENOTSUP);
        if (e == ENOTSUP) FUZZ_CHECK(emulated && !priv, "wait: ENOTSUP on linux/private");
        break;
    case FUSS_FUTEX_CMD_WAKE:
    case FUSS_FUTEX_CMD_WAKE_BITSET:
        EXPECT("futex: wake", e, EINVAL, ENOTSUP);
        break;
    case FUSS_FUTEX_CMD_REQUEUE:
    case FUSS_FUTEX_CMD_CMP_REQUEUE:
        EXPECT("futex: requeue", e, EAGAIN, EINVAL, EFAULT, ENOTSUP);
        if (e == EAGAIN) FUZZ_CHECK(cmd == FUSS_FUTEX_CMD_CMP_REQUEUE && load(w) != val3,
                                    "requeue: EAGAIN without a differing word");
        break;
    case FUSS_FUTEX_CMD_WAKE_OP:
        EXPECT("futex: wake_op", e, EINVAL, EFAULT, ENOSYS, ENOTSUP);
        if (aligned_word(w2)) FUZZ_CHECK(load(w2) == old2, "failed wake_op changed the word");
        break;
    case FUSS_FUTEX_CMD_LOCK_PI:
    case FUSS_FUTEX_CMD_LOCK_PI2:
        EXPECT("futex: lock_pi", e, ETIMEDOUT, EDEADLK, ESRCH, EPERM, EINVAL, ENOTSUP);
        break;
    case FUSS_FUTEX_CMD_TRYLOCK_PI:
        EXPECT("futex: trylock_pi", e, EBUSY, EDEADLK, EINVAL, ENOTSUP, ESRCH, EPERM, EAGAIN);
        break;
    case FUSS_FUTEX_CMD_UNLOCK_PI:
        EXPECT("futex: unlock_pi", e, EPERM, EINVAL, ENOTSUP);
        break;
    default:
        EXPECT("futex: unknown op", e, ENOSYS);
        break;
    }
}

static void do_openbsd(struct fuzz_in *in)
{
    uint32_t *w = fuzz_word(in), *w2 = fuzz_word(in);
    uint8_t k = fuzz_u8(in);
    int op = (k & 3) | ((k & 4) ? FUSS_OPENBSD_FUTEX_PRIVATE_FLAG : 0);
    if ((k & 0xf0u) == 0xf0u) op = (int)fuzz_u32(in);
    int val = (int)fuzz_u32(in);
    struct timespec ts = fuzz_ts(in);
    const struct timespec *tp = (fuzz_u8(in) & 7u) ? &ts : NULL;
    int kind = op & ~FUSS_OPENBSD_FUTEX_PRIVATE_FLAG;
    if (aligned_word(w) && (fuzz_u8(in) & 1u)) val = (int)load(w);
    if (kind == FUSS_OPENBSD_FUTEX_WAIT && aligned_word(w) && load(w) == (uint32_t)val) {
        if (!tp) val = ~val;
        else make_short(&ts);
    }
    if (kind == FUSS_OPENBSD_FUTEX_REQUEUE) tp = (const struct timespec *)(intptr_t)(int32_t)fuzz_u32(in);
    errno = 0;
    int r = fuss_futex_openbsd(w, op, val, tp, w2);
    int e = errno;
    if (r >= 0) { FUZZ_CHECK(r == 0, "openbsd futex op %#x returned %d", op, r); return; }
    FUZZ_CHECK(r == -1, "openbsd futex op %#x returned %d", op, r);
    switch (kind) {
    case FUSS_OPENBSD_FUTEX_WAIT: EXPECT("openbsd wait", e, EAGAIN, ETIMEDOUT, EINVAL, EFAULT, ENOTSUP); break;
    case FUSS_OPENBSD_FUTEX_WAKE: EXPECT("openbsd wake", e, EINVAL, EFAULT, ENOTSUP); break;
    case FUSS_OPENBSD_FUTEX_REQUEUE: EXPECT("openbsd requeue", e, EINVAL, EFAULT, ENOTSUP); break;
    default: EXPECT("openbsd unknown op", e, ENOSYS); break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = { data, size };
    emulated = strcmp(fuss_futex_backend(), "emulated") == 0;
    buf = malloc(BUF_BYTES);
    fuzz_bytes(&in, buf, BUF_BYTES < size / 4 ? BUF_BYTES : size / 4); /* the words' values */
    for (int steps = 0; in.left && steps < 64; steps++) {
        uint8_t op = fuzz_u8(&in);
        switch (op % 14) {
        case 0: case 1: case 2: case 3: do_wait(&in, op % 14); break;
        case 4: do_wake(&in, false); break;
        case 5: do_wake(&in, true); break;
        case 6: do_requeue(&in, false); break;
        case 7: do_requeue(&in, true); break;
        case 8: do_wake_op(&in); break;
        case 9: do_waitv(&in); break;
        case 10: do_pi(&in); break;
        case 11: do_linux_compat(&in); break;
        case 12: do_openbsd(&in); break;
        default: {
            uint32_t *w = fuzz_word(&in); /* the word's owner rewrites it */
            if (aligned_word(w)) *w = fuzz_u32(&in);
            break;
        }
        }
    }
    free(buf);
    return 0;
}
