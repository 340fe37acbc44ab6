/*
 * Reader-writer lock: a state word and a writer wake-up word.
 *
 * STATE WORD (fuss_rwlock_t.state_)
 *
 *   row  bits    name       meaning / who sets, who clears
 *   (1)  0..29   READERS    number of read locks held, 0..MAX_READERS; the
 *                           value WRITE_LOCKED (all ones) means a writer
 *                           holds the lock instead.  Readers +1/-1, a writer
 *                           sets/clears WRITE_LOCKED, always by CAS.
 *   (2)  30      RD_WAIT    a reader may sleep on this word.  Set by a reader
 *                           before it sleeps (S1); cleared only by the wake
 *                           step K2, which then wakes every reader.
 *   (3)  31      WR_WAIT    a writer may sleep on wseq.  Set by a writer before
 *                           it sleeps (S2) and by a writer that takes the lock
 *                           after sleeping (others may still sleep: W1);
 *                           cleared only by the wake step K1, which then wakes
 *                           one writer.  Under writer preference, and for
 *                           real-time readers always, it also stops new
 *                           readers (R1).
 *
 * WAKE WORD (fuss_rwlock_t.wseq_)
 *   (4)  bit 0   SHARED     set by init, never changed.
 *   (5)  bit 1   PREF_RD    set by init (FUSS_RWLOCK_PREFER_READER), never changed.
 *   (6)  2..31   sequence   +SEQ_ONE (release) by K1 before each writer wake;
 *                           writers sleep on the whole word.  Wraps harmlessly.
 *
 * TRANSITIONS (r = READERS)
 *   R1 read lock     r -> r+1      if r < MAX_READERS and no writer holds it
 *                                  and ((PREF_RD and the caller is not
 *                                  real-time) or !WR_WAIT).  Fast path:
 *                                  the whole word < MAX_READERS (no bit set).
 *   R2 read unlock   r -> r-1      if 1 <= r <= MAX_READERS, else EPERM (R3);
 *                                  if it makes r 0 with a waiting bit: K.
 *   W1 write lock    0 -> WRITE_LOCKED, waiting bits kept (+WR_WAIT if the
 *                                  writer slept).
 *   W2 write unlock  WRITE_LOCKED -> 0, else EPERM (W3); waiting bits: K.
 *   S1 reader sleeps: set RD_WAIT, futex-wait on state expecting that value.
 *   S2 writer sleeps: set WR_WAIT, read wseq, re-check state, wait on wseq.
 *   K  wake step, by the unlock that leaves r == 0 with a waiting bit
 *      (unlock_contended), inside its releasing CAS, which changes both
 *      words at once:
 *      K1  clear WR_WAIT and bump the sequence; after it, wake one writer;
 *      K2  clear RD_WAIT; after it, wake all readers.
 *      Writer preference, both bits: K1, and K2 only if a probe (a wake of
 *          one writer made while still holding the lock) woke nobody: the
 *          WR_WAIT may be left by a writer that was the last to sleep (W1)
 *          or gave up (T).  Otherwise RD_WAIT stays for the woken writer's
 *          unlock.
 *      Reader preference, both bits, by a write unlock: K2 and K1 (the
 *          writer competes with the readers; under this preference they
 *          win: they are woken first, unless the unlocker is real-time).
 *          By a read unlock: as under writer preference (REAL-TIME READERS).
 *   Kf the same by a timed writer giving up on a free lock (T, rw_wake):
 *      writer preference: K1, then K2 if it woke nobody; reader preference:
 *      K2, then K1 if WR_WAIT is set (REAL-TIME READERS).
 *   T  a timed reader that gives up leaves its RD_WAIT set; a writer that
 *      gives up runs Kf if the lock is free, and if it is held clears WR_WAIT
 *      and RD_WAIT and wakes every writer (which set WR_WAIT again) and
 *      reader: otherwise its phantom WR_WAIT would hold back readers with
 *      nobody left to clear it until the last reader leaves, or would be
 *      what a K's probe found (it may have woken this very writer).
 *
 * REAL-TIME READERS (POSIX, Thread Execution Scheduling: a SCHED_FIFO or
 * SCHED_RR reader shall not take a read lock while writers of higher or equal
 * priority wait).  The lock records no priorities, so a real-time reader
 * waits for any WR_WAIT, even under PREF_RD: conservative, and a writer's
 * wake then goes by the kernel's priority-ordered futex queue.  It asks for
 * its policy (fuss__sched_rt_priority, a system call) only when it sees
 * WR_WAIT on a lock no writer holds under PREF_RD: the fast paths, which
 * never take a read lock past a waiting bit, are unchanged.  Consequences:
 * under PREF_RD a reader that sleeps while the lock is read-held is a
 * real-time one (any other gets in), and RD_WAIT set during a write hold
 * is cleared at its release (K2 always runs there), so a read release with
 * both bits takes writer preference's K (probe, writer first) and the
 * real-time readers stay asleep until that writer's unlock.  A release by
 * a real-time writer wakes the writer before the readers, so on one CPU a
 * writer of equal priority runs first.  Kf under PREF_RD runs K1 after K2:
 * a woken real-time reader would sleep again behind WR_WAIT on a free lock
 * that no unlock is left to release.  A real-time reader's recursive read
 * lock waits behind a waiting writer like any reader's under writer
 * preference (the header's deadlock warning).
 *
 * NO LOST WAKE-UP.  A reader sleeps (S1) only on a word with RD_WAIT set, and
 * only K2 clears RD_WAIT, after which it wakes all: a change of the word in
 * between makes its futex wait return EAGAIN.  A writer sets WR_WAIT, then
 * reads wseq (acquire), then re-reads state: if K1 cleared WR_WAIT before the
 * writer read wseq, the release bump of wseq makes the cleared bit visible and
 * the writer retries instead of sleeping; if K1 bumps wseq after that read,
 * the futex wait on wseq returns EAGAIN or is woken.  (An unlock's K1 clears
 * and bumps in its releasing CAS, one atomic step: a writer that read wseq
 * before it sleeps on a stale value or is queued for the wake; one that read
 * it after sees the release.)  Every state in which a thread
 * sleeps has a holder (whose unlock runs K) or is one that K is running on.
 * A WR_WAIT with no writer asleep behind it (W1 sets it for writers that may
 * not exist; T leaves it) would make a K1 wake nobody: K2 then still runs
 * (the probe, or both kinds woken), so such a bit costs one empty wake,
 * never a stall; a phantom RD_WAIT (T) likewise.
 *
 * NO TOUCH AFTER RELEASE (DESIGN.md, "Lifecycle rules").  An unlock's last
 * access to the object is its releasing CAS (R2, W2): from that instant
 * another thread may take the lock, release it, destroy it and free its
 * memory, which POSIX allows as soon as nobody holds the lock.  So K runs
 * in the unlocker before or in that CAS: the flags are read and the probe's
 * wake is made while the unlocker still holds the lock, and the CAS itself
 * (64 bits, both words) clears the waiting bits and bumps wseq.  After it
 * the unlocker only calls wakes, which name the two
 * addresses with flags read before (a private wake never dereferences its
 * word on either backend; a shared one on memory already unmapped answers
 * EFAULT, which the backend returns and nobody needs).  What K cannot know
 * before the release, whether a wake finds anyone, is never needed after
 * it: the probe asks while the lock is still held, and otherwise both kinds
 * are woken.  Timed waiters that give up (T: rw_wake, withdraw_writer) may
 * read and write the object after their own CASes: they hold nothing, and a
 * program may not free the lock while a thread is still inside a call on it.
 * tests/regression/issue_22_rwlock_touch_after_release.c stops an unlocker
 * right after its release to check this; models/rwlock.pml checks it as a
 * property (ghost "users").
 *
 * KILLED WAKER.  In a process-shared rwlock the unlocker may be killed
 * between its releasing CAS, which already cleared the waiting bits (K),
 * and its wakes (DESIGN.md, "Lifecycle rules"): the lock is free, no later
 * unlock will see a bit to wake for, and the sleepers would sleep for ever.
 * So a shared rwlock's sleeps (S1, S2) end after FUSS__SLICE_NS at the
 * latest (fuss__wait_sliced, internal/spin.h, KILLED WAKER) and the sleeper
 * looks at the words again, as after a wake-up: such a death delays it by
 * one slice, for ten wake-ups a second of a thread that sleeps long.
 * Private sleeps are not capped (no idle wake-ups).  Only the sleeping
 * path pays; the fast paths are unchanged.
 *
 * HOSTILE WORDS.  SHARED garbage in wseq on a backend without
 * process-shared futexes (init refuses FUSS_SHARED there) makes a wait
 * answer ENOTSUP: the lock calls answer EINVAL (a writer first withdraws
 * as in T), never an abort.  Any other garbage is a lock state like any
 * other: held (a timed lock ends in ETIMEDOUT), free, or EPERM at unlock.
 *
 * ORDERING.  Acquiring CASes are acquire and unlocking CASes are release:
 * that is the lock's own happens-before.  The contended unlock's CAS is a
 * 64-bit one over both words, at the address of the state word, where all
 * other accesses are 32-bit: the same memory location starts at the same
 * address, and x86-64 and AArch64 keep mixed-size atomics to it coherent.  Setting and clearing waiting bits
 * is relaxed (they carry no data; the futex compare orders sleep vs. wake),
 * except the wseq bump (release) paired with the writer's acquire read of
 * wseq, which the S2 re-check relies on (above).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuss/rwlock.h"
#include "internal/assert.h"
#include "internal/atomic.h"
#include "internal/atomic64.h"
#include "internal/spin.h"
#include "internal/wait.h"

#define RW_READERS_MASK 0x3fffffffu        /* row (1) */
#define RW_WRITE_LOCKED RW_READERS_MASK    /* row (1): a writer holds it */
#define RW_MAX_READERS  (RW_READERS_MASK - 1u)
#define RW_RD_WAIT      0x40000000u        /* row (2) */
#define RW_WR_WAIT      0x80000000u        /* row (3) */
#define RW_WAITING      (RW_RD_WAIT | RW_WR_WAIT)

#define RW_SHARED       0x1u               /* row (4) */
#define RW_PREF_RD      0x2u               /* row (5) */
#define RW_SEQ_ONE      0x4u               /* row (6) */

FUSS_STATIC_ASSERT(FUSS_RWLOCK_PREFER_READER == RW_PREF_RD, "init flag is stored as is");

static inline uint32_t readers(uint32_t s) { return s & RW_READERS_MASK; }
static inline bool write_locked(uint32_t s) { return readers(s) == RW_WRITE_LOCKED; }
static inline bool read_locked(uint32_t s) { return readers(s) != 0 && !write_locked(s); }
static inline unsigned rw_flags(const fuss_rwlock_t *rw)
{
    return (a32_load_relaxed(A32C(&rw->wseq_)) & RW_SHARED) ? FUSS__SHARED : 0u;
}
static inline bool prefer_reader(const fuss_rwlock_t *rw)
{
    return (a32_load_relaxed(A32C(&rw->wseq_)) & RW_PREF_RD) != 0;
}

/* R1's condition, apart from the reader-count limit. */
static inline bool read_lockable(uint32_t s, bool pref_rd)
{
    return !write_locked(s) && (pref_rd || !(s & RW_WR_WAIT));
}

int fuss_rwlock_init(fuss_rwlock_t *rw, unsigned flags)
{
    if (flags & ~(FUSS_SHARED | FUSS_RWLOCK_PREFER_READER)) return EINVAL;
    if ((flags & FUSS_SHARED) && !(fuss__backend_features() & FUSS_FEATURE_SHARED))
        return ENOTSUP;
    rw->state_ = 0;
    rw->wseq_ = ((flags & FUSS_SHARED) ? RW_SHARED : 0u) | (flags & RW_PREF_RD);
    return 0;
}

int fuss_rwlock_destroy(fuss_rwlock_t *rw)
{
    return readers(a32_load_relaxed(A32C(&rw->state_))) ? EBUSY : 0;
}

/* Kf: a timed writer that gave up saw the lock free with state s; wake whom
 * the preference says, the other kind if that woke nobody.  Only for a
 * waiter, never after an unlock's release (NO TOUCH AFTER RELEASE). */
static void rw_wake(fuss_rwlock_t *rw, uint32_t s)
{
    a32_t *st = A32(&rw->state_);
    unsigned flags = rw_flags(rw);
    bool pref_rd = prefer_reader(rw);
    while (readers(s) == 0 && (s & RW_WAITING)) {
        if ((s & RW_RD_WAIT) && (pref_rd || !(s & RW_WR_WAIT))) {
            if (!a32_cas_relaxed(st, &s, s & ~RW_RD_WAIT)) continue;       /* K2 */
            (void)fuss__wake_all(st, flags);
            /* PREF_RD: K1 as well, as the unlock does: a real-time reader
             * just woken does not pass WR_WAIT (R1) and would sleep again
             * on a free lock that nobody is left to release. */
            if (!(s & RW_WR_WAIT)) return;
            s &= ~RW_RD_WAIT;
        } else {
            if (!a32_cas_relaxed(st, &s, s & ~RW_WR_WAIT)) continue;       /* K1 */
            a32_fetch_add_rel(A32(&rw->wseq_), RW_SEQ_ONE);
            if (fuss__wake_one(A32(&rw->wseq_), flags) > 0 || !(s & RW_RD_WAIT)) return;
            s &= ~RW_WR_WAIT;
        }
    }
}

/* The two words as one 64-bit value (fuss_rwlock_t is 8-aligned, like the
 * latch): the contended release changes both in one CAS.  memcpy keeps each
 * field where the struct puts it, whatever the byte order. */
struct rw_words {
    uint32_t state, wseq;
};
FUSS_STATIC_ASSERT(offsetof(fuss_rwlock_t, wseq_) == 4 && sizeof(fuss_rwlock_t) == 8 &&
                       _Alignof(fuss_rwlock_t) == 8,
                   "fuss_rwlock_t is one aligned 64-bit word");

static inline uint64_t rw_pack(struct rw_words v)
{
    uint64_t x;
    memcpy(&x, &v, sizeof x);
    return x;
}

static inline struct rw_words rw_unpack(uint64_t x)
{
    struct rw_words v;
    memcpy(&v, &x, sizeof v);
    return v;
}

/* R2 or W2 of the holder whose unlock leaves the lock free with waiting
 * bits (s: the state it saw, held by this thread), with K.  The releasing
 * CAS takes both words at once: it drops the hold, clears the bits K
 * handles and bumps wseq for K1, so it is this call's last access; after
 * it only wakes on the two addresses, with flags it read before (NO TOUCH
 * AFTER RELEASE, above).  Nothing is written before that CAS, so a writer
 * that sets WR_WAIT meanwhile costs one retry, never a ping-pong. */
static int unlock_contended(fuss_rwlock_t *rw, uint32_t s)
{
    a64_t *both = A64(rw);
    a32_t *st = A32(&rw->state_);
    a32_t *seq = A32(&rw->wseq_);
    struct rw_words v = {s, a32_load_relaxed(seq)};
    uint64_t x = rw_pack(v); /* the CAS checks both halves */
    bool probed = false, writer_woken = false;
    /* REAL-TIME READERS: under PREF_RD a reader sleeping on a read-held lock
     * is a real-time one behind a waiting writer (R1), so a read release
     * with both bits goes as under writer preference. */
    bool by_writer = write_locked(s);
    for (;;) {
        v = rw_unpack(x);
        unsigned flags = (v.wseq & RW_SHARED) ? FUSS__SHARED : 0u;       /* row (4) */
        bool pref_rd = (v.wseq & RW_PREF_RD) != 0;                        /* row (5) */
        bool readers_first = pref_rd && by_writer;
        struct rw_words n = v;
        n.state = write_locked(v.state) ? v.state & ~RW_READERS_MASK : v.state - 1;
        bool k1 = false, k2 = false;
        if (readers(n.state) == 0) { /* else another reader came in: R2 only */
            if ((n.state & RW_WR_WAIT) && (n.state & RW_RD_WAIT) && !readers_first && !probed) {
                /* The probe: a writer to go first, or a WR_WAIT with nobody
                 * behind it (W1, T), so the readers must be woken?  Asked
                 * now, while we hold the lock; after the release the
                 * answer could not be acted on.  The woken writer sees the
                 * lock held and sleeps again on wseq, whose bump below
                 * fails that wait or finds it queued for the wake. */
                probed = true;
                writer_woken = fuss__wake_one(seq, flags) > 0;
            }
            k1 = (n.state & RW_WR_WAIT) != 0;
            k2 = (n.state & RW_RD_WAIT) && (readers_first || !k1 || !writer_woken);
            if (k1) {                                                     /* K1 */
                n.state &= ~RW_WR_WAIT;
                n.wseq += RW_SEQ_ONE; /* row (6): wraps in bits 2..31, flags kept */
            }
            if (k2) n.state &= ~RW_RD_WAIT;                               /* K2 */
        }
        if (!a64_cas_rel(both, &x, rw_pack(n))) continue;                 /* R2/W2 */
        /* Released: from here on, addresses and local values only.  A
         * real-time writer releasing to both kinds wakes the writer first
         * (REAL-TIME READERS: equal priority, the writer goes first). */
        if (k1 && k2 && readers_first && fuss__sched_rt_priority() > 0) readers_first = false;
        if (k1 && !readers_first) (void)fuss__wake_one(seq, flags);
        if (k2) (void)fuss__wake_all(st, flags);
        if (k1 && readers_first) (void)fuss__wake_one(seq, flags);
        return 0;
    }
}

/* T: a writer that gives up on a free lock runs Kf (the lock may have been
 * released since it looked).  One that gives up while the lock is held must
 * not leave its
 * WR_WAIT behind.  Read-held: under writer preference new readers would stay
 * out with no writer left to wait for.  Write-held: the holder's unlock may
 * have probed and woken this very writer, and so keeps RD_WAIT for a writer
 * that is now leaving (K).  Other writers may be waiting too and the bit does
 * not count them: clear it, bump wseq and wake every writer, so each
 * remaining one sets it again; readers are woken as well and set RD_WAIT
 * again if they still cannot get in. */
static void withdraw_writer(fuss_rwlock_t *rw)
{
    a32_t *st = A32(&rw->state_);
    unsigned flags = rw_flags(rw);
    uint32_t s = a32_load_relaxed(st);
    for (;;) {
        if (readers(s) == 0) {
            /* Released meanwhile, perhaps keeping RD_WAIT for this writer
             * (the probe woke it): Kf. */
            if (s & RW_WAITING) rw_wake(rw, s);
            return;
        }
        if (!(s & RW_WR_WAIT)) return;
        if (!a32_cas_relaxed(st, &s, s & ~(RW_WR_WAIT | RW_RD_WAIT))) continue;
        a32_fetch_add_rel(A32(&rw->wseq_), RW_SEQ_ONE);
        (void)fuss__wake_all(A32(&rw->wseq_), flags);
        if (s & RW_RD_WAIT) (void)fuss__wake_all(st, flags);
        return;
    }
}

/* ---- readers ------------------------------------------------------------ */

static int rdlock_slow(fuss_rwlock_t *rw, const struct fuss__deadline *dl)
{
    a32_t *st = A32(&rw->state_);
    bool pref_rd = prefer_reader(rw);
    int rt = -1; /* REAL-TIME READERS: asked once, and only if it matters */
    struct fuss__backoff sp = FUSS__BACKOFF_INIT; /* spin.h: doubling gaps */
    uint32_t s = a32_load_relaxed(st);
    for (;;) {
        if (pref_rd && rt < 0 && (s & RW_WR_WAIT) && !write_locked(s))
            rt = fuss__sched_rt_priority() > 0;
        if (read_lockable(s, pref_rd && rt != 1)) {                       /* R1 */
            if (readers(s) >= RW_MAX_READERS) return EAGAIN;
            if (a32_cas_acq(st, &s, s + 1)) return 0;
            continue;
        }
        /* Spin only while no one sleeps: behind sleepers we would barge. */
        if (!(s & RW_WAITING) && fuss__backoff_step(&sp)) {
            s = a32_load_relaxed(st);
            continue;
        }
        if (!(s & RW_RD_WAIT)) {                                          /* S1 */
            if (!a32_cas_relaxed(st, &s, s | RW_RD_WAIT)) continue;
            s |= RW_RD_WAIT;
        }
        int r = fuss__wait_sliced(st, s, dl, rw_flags(rw), "fuss_rwlock_rdlock");
        if (r) return r; /* ETIMEDOUT (T), leaving RD_WAIT; EINVAL (HOSTILE WORDS) */
        s = a32_load_relaxed(st);
    }
}

static inline int rdlock_fast(fuss_rwlock_t *rw)
{
    /* Guess the lone reader's state 0 instead of loading the word first: a
     * locked op straight after a load of its own line costs more than the
     * guess saves (docs/bench/tuning.md, "Rwlock read guess").  A wrong
     * guess costs one failed CAS, which hands back the value to retry with. */
    a32_t *st = A32(&rw->state_);
    uint32_t s = 0;
    if (a32_cas_acq(st, &s, 1)) return 0;                                 /* R1 */
    if (s < RW_MAX_READERS && a32_cas_acq(st, &s, s + 1)) return 0;       /* R1 */
    return EBUSY;
}

int fuss_rwlock_rdlock(fuss_rwlock_t *rw)
{
    if (rdlock_fast(rw) == 0) return 0;
    return rdlock_slow(rw, NULL);
}

int fuss_rwlock_timedrdlock(fuss_rwlock_t *rw, clockid_t clock, const struct timespec *deadline)
{
    struct fuss__deadline dl;
    const struct fuss__deadline *dlp;
    int e = fuss__deadline_make(&dl, clock, deadline, &dlp);
    if (e) return e;
    if (rdlock_fast(rw) == 0) return 0;
    return rdlock_slow(rw, dlp);
}

int fuss_rwlock_tryrdlock(fuss_rwlock_t *rw)
{
    a32_t *st = A32(&rw->state_);
    uint32_t s = a32_load_relaxed(st);
    bool pref_rd = prefer_reader(rw);
    int rt = -1; /* as in rdlock_slow */
    for (;;) {
        if (pref_rd && rt < 0 && (s & RW_WR_WAIT) && !write_locked(s))
            rt = fuss__sched_rt_priority() > 0;
        if (!read_lockable(s, pref_rd && rt != 1)) return EBUSY;
        if (readers(s) >= RW_MAX_READERS) return EAGAIN;
        if (a32_cas_acq(st, &s, s + 1)) return 0;                         /* R1 */
    }
}

int fuss_rwlock_rdunlock(fuss_rwlock_t *rw)
{
    a32_t *st = A32(&rw->state_);
    uint32_t s = 1; /* the lone reader's state, guessed as in rdlock_fast */
    while (!a32_cas_rel(st, &s, s - 1)) {                                 /* R2 */
        if (!read_locked(s)) return EPERM;                                /* R3 */
        if (readers(s) == 1 && (s & RW_WAITING)) return unlock_contended(rw, s); /* K */
    }
    return 0;
}

/* ---- writers ------------------------------------------------------------ */

static int wrlock_slow(fuss_rwlock_t *rw, const struct fuss__deadline *dl)
{
    a32_t *st = A32(&rw->state_);
    a32_t *seq = A32(&rw->wseq_);
    struct fuss__backoff sp = FUSS__BACKOFF_INIT; /* spin.h: doubling gaps */
    uint32_t slept = 0; /* RW_WR_WAIT once this writer has slept (W1) */
    uint32_t s = a32_load_relaxed(st);
    for (;;) {
        if (readers(s) == 0) {                                            /* W1 */
            if (a32_cas_acq(st, &s, s | RW_WRITE_LOCKED | slept)) return 0;
            continue;
        }
        if (!(s & RW_WAITING) && fuss__backoff_step(&sp)) {
            s = a32_load_relaxed(st);
            continue;
        }
        if (!(s & RW_WR_WAIT)) {                                          /* S2 */
            if (!a32_cas_relaxed(st, &s, s | RW_WR_WAIT)) continue;
        }
        uint32_t q = a32_load_acquire(seq);
        s = a32_load_relaxed(st);
        if (readers(s) == 0 || !(s & RW_WR_WAIT)) continue; /* K1 ran meanwhile */
        int r = fuss__wait_sliced(seq, q, dl, rw_flags(rw), "fuss_rwlock_wrlock");
        slept = RW_WR_WAIT;
        s = a32_load_relaxed(st);
        if (r) { /* ETIMEDOUT (T) or EINVAL (HOSTILE WORDS): leave as T does */
            withdraw_writer(rw);
            return r;
        }
    }
}

static inline int wrlock_fast(fuss_rwlock_t *rw)
{
    uint32_t s = 0;
    return a32_cas_acq(A32(&rw->state_), &s, RW_WRITE_LOCKED) ? 0 : EBUSY; /* W1 */
}

int fuss_rwlock_wrlock(fuss_rwlock_t *rw)
{
    if (wrlock_fast(rw) == 0) return 0;
    return wrlock_slow(rw, NULL);
}

int fuss_rwlock_timedwrlock(fuss_rwlock_t *rw, clockid_t clock, const struct timespec *deadline)
{
    struct fuss__deadline dl;
    const struct fuss__deadline *dlp;
    int e = fuss__deadline_make(&dl, clock, deadline, &dlp);
    if (e) return e;
    if (wrlock_fast(rw) == 0) return 0;
    return wrlock_slow(rw, dlp);
}

int fuss_rwlock_trywrlock(fuss_rwlock_t *rw)
{
    a32_t *st = A32(&rw->state_);
    uint32_t s = a32_load_relaxed(st);
    do {
        if (readers(s) != 0) return EBUSY;
    } while (!a32_cas_acq(st, &s, s | RW_WRITE_LOCKED));                  /* W1 */
    return 0;
}

int fuss_rwlock_wrunlock(fuss_rwlock_t *rw)
{
    a32_t *st = A32(&rw->state_);
    uint32_t s = RW_WRITE_LOCKED; /* the uncontended guess: one CAS */
    while (!a32_cas_rel(st, &s, 0)) {                                     /* W2 */
        if (!write_locked(s)) return EPERM;                               /* W3 */
        if (s & RW_WAITING) return unlock_contended(rw, s);               /* K */
    }
    return 0;
}

int fuss_rwlock_unlock(fuss_rwlock_t *rw)
{
    /* The caller's own lock keeps the kind stable while we look at it. */
    uint32_t s = a32_load_relaxed(A32C(&rw->state_));
    if (write_locked(s)) return fuss_rwlock_wrunlock(rw);
    return fuss_rwlock_rdunlock(rw);
}
