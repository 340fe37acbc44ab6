/*
 * Events (manual- and auto-reset) and latches.
 *
 * EVENT WORD (fuss_event_t.state_)
 *
 *   row  bits   name     meaning / who sets, who clears
 *   (1)  0      SET      the event is set.  set(): on (E1, A1); reset(): off;
 *                        an auto-reset release takes it off (A3).
 *   (2)  1      WAITERS  a thread may sleep on the word.  A waiter sets it
 *                        before sleeping (E2, A2); set() clears it in the CAS
 *                        that sets SET, and then wakes.  An auto-reset waiter
 *                        that slept puts it back when it takes SET (A3):
 *                        other sleepers may remain.
 *   (3)  2      AUTO     auto-reset mode.  init only, never changed.
 *   (4)  3      SHARED   process-shared.  init only, never changed.
 *   (5)  4..31  GEN      manual mode: +1 by every set() that turns SET on
 *                        (E1).  A sleeper that sees GEN move was released,
 *                        even if reset() already turned SET off again.
 *
 * TRANSITIONS
 *   E1 manual set      !SET -> SET, WAITERS off, GEN+1   (release); wake all
 *                      if WAITERS was on.  SET already on: no change.
 *   E2 manual wait     SET: return.  Else WAITERS on (relaxed), sleep
 *                      expecting that word; return once SET or GEN moved.
 *   A1 auto set        !SET -> SET, WAITERS off (release); wake one if WAITERS
 *                      was on.  SET already on: no change (sets coalesce).
 *   A2 auto wait       !SET: WAITERS on, sleep expecting that word.
 *   A3 auto take       SET -> !SET (acquire); WAITERS on if this thread slept.
 *   R  reset           SET off (relaxed; it publishes nothing).
 *
 * NO LOST WAKE-UP.  A waiter sleeps only on a word with WAITERS on and SET
 * off; a set that follows changes the word and, seeing WAITERS, wakes.  In
 * auto mode a set wakes one sleeper and clears WAITERS; that sleeper, on
 * taking SET (A3), turns WAITERS back on, so the next set wakes the next
 * sleeper (one empty wake when none is left; a waiter that times out leaves
 * the same harmless extra wake behind).
 *
 * LATCH WORDS (fuss_latch_t: count_ and gen_, read and changed together as
 * one 64-bit atomic word; waiters sleep on the gen_ half)
 *   row  word   bits    name     meaning / who sets, who clears
 *   (6)  count_ 0..29   COUNT    add(): +n (L1); done(): -1 (L2).
 *   (7)  count_ 30      WAITERS  a waiter may sleep on gen_.  Set by a waiter
 *                                (L3); cleared by the done() that makes COUNT 0.
 *   (8)  count_ 31      SHARED   init only.
 *   (9)  gen_   0..31   GEN      +1 by the done() that makes COUNT 0 while
 *                                WAITERS was on, in the same CAS (L2).
 *   L1 add     COUNT+n <= MAX, else EOVERFLOW (no change).
 *   L2 done    COUNT 0: EINVAL (no change).  COUNT 1 -> 0 clears WAITERS and,
 *              if it was on, bumps GEN, in one CAS of both words; then wakes
 *              all on gen_.
 *   L3 wait    read both words at once; COUNT 0: return.  Else WAITERS on (a
 *              CAS of both words), sleep on gen_ expecting the GEN read;
 *              return once GEN moved or COUNT is 0.
 * NO LOST WAKE-UP.  A waiter's sleep expects the GEN of the very state in
 * which it set WAITERS (or saw it set); the done() that ends that count
 * sees WAITERS and bumps GEN after it, so the sleep sees the new GEN
 * (EAGAIN) or is queued before the wake.
 * NO EARLY RETURN.  GEN moves only in the step that makes COUNT 0, so a GEN
 * newer than the waiter's snapshot means a zero after its call began.  (With
 * the bump as a second step after the CAS, a wait that began after an add()
 * had raised the count again could be released by the previous zero's late
 * bump: found by models/latch.pml.)
 *
 * NO TOUCH AFTER RELEASE (DESIGN.md, "Lifecycle rules").  set()'s last
 * access to the event is its CAS (E1/A1): a waiter may return and free the
 * event at once; the wake after it names the word's address with the flags
 * and WAITERS of the value that CAS replaced.  done()'s last access to the
 * latch is its CAS (L2), which makes COUNT 0 and bumps GEN: a waiter may
 * return and free the latch then; the wake names gen_'s address, computed
 * from the pointer without a read, with the flags of the old count.
 * reset() and add() release nobody.  A waiter that gives up (timed) reads
 * the word once more after its sleep, which is legal: it is still inside
 * its call.  (Looked at for issue 22: no violation.)
 *
 * KILLED WAKER.  In a process-shared event or latch the releasing process
 * may be killed between its CAS (E1/A1, L2), which already cleared WAITERS,
 * and its wake (DESIGN.md, "Lifecycle rules"): the event is set or the
 * latch open, no later call will see a bit to wake for, and the sleepers
 * would sleep for ever.  So a shared object's sleeps (E2, A2, L3) end
 * after FUSS__SLICE_NS at the latest (fuss__wait_sliced, internal/spin.h,
 * KILLED WAKER) and the sleeper looks at the word again, as after a
 * wake-up: such a death delays it by one slice, for ten wake-ups a second
 * of a thread that sleeps long.  Private sleeps are not capped (no idle
 * wake-ups).  Only the sleeping path pays.
 *
 * HOSTILE WORDS.  SHARED garbage on a backend without process-shared
 * futexes (init refuses FUSS_SHARED there) makes the wait answer ENOTSUP:
 * the waits answer EINVAL, unless the word says they are released, never
 * an abort.  Any other garbage is a state like any other (set or not, a
 * count), which at worst releases a waiter early or keeps it waiting.
 *
 * ORDERING.  Releases (set, done) are release operations and the checks that
 * end a wait are acquire loads or an acquire CAS.  done() is acq_rel so that
 * the last done() carries all earlier done()s' writes to the GEN bump, which
 * waiters read with acquire.  Waiting bits are relaxed: the futex compare
 * orders sleeping against waking.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuss/event.h"
#include "internal/assert.h"
#include "internal/atomic.h"
#include "internal/atomic64.h"
#include "internal/spin.h"
#include "internal/wait.h"

#define EV_SET     0x1u  /* row (1) */
#define EV_WAITERS 0x2u  /* row (2) */
#define EV_AUTO    0x4u  /* row (3) */
#define EV_SHARED  0x8u  /* row (4) */
#define EV_GEN_ONE 0x10u /* row (5) */
#define EV_GEN_MASK (~(EV_GEN_ONE - 1u))

#define LATCH_COUNT   FUSS_LATCH_COUNT_MAX /* row (6) */
#define LATCH_WAITERS 0x40000000u          /* row (7) */
#define LATCH_SHARED  0x80000000u          /* row (8) */

/* The latch's two words as one 64-bit value; memcpy keeps each field where
 * the struct puts it, whatever the byte order. */
struct latch_state {
    uint32_t count, gen;
};
FUSS_STATIC_ASSERT(offsetof(fuss_latch_t, gen_) == 4 && sizeof(fuss_latch_t) == 8 &&
                       _Alignof(fuss_latch_t) == 8,
                   "fuss_latch_t is one aligned 64-bit word");

FUSS_STATIC_ASSERT(FUSS_LATCH_COUNT_MAX == 0x3fffffffu, "COUNT is bits 0..29");

static bool shared_ok(unsigned flags)
{
    return !(flags & FUSS_SHARED) || (fuss__backend_features() & FUSS_FEATURE_SHARED);
}

/* ---- events ------------------------------------------------------------- */

static inline unsigned ev_flags(uint32_t s) { return (s & EV_SHARED) ? FUSS__SHARED : 0u; }

int fuss_event_init(fuss_event_t *e, unsigned flags)
{
    if (flags & ~(FUSS_SHARED | FUSS_EVENT_AUTO_RESET | FUSS_EVENT_SET)) return EINVAL;
    if (!shared_ok(flags)) return ENOTSUP;
    e->state_ = ((flags & FUSS_SHARED) ? EV_SHARED : 0u) |
                ((flags & FUSS_EVENT_AUTO_RESET) ? EV_AUTO : 0u) |
                ((flags & FUSS_EVENT_SET) ? EV_SET : 0u);
    return 0;
}

int fuss_event_destroy(fuss_event_t *e)
{
    (void)e;
    return 0;
}

int fuss_event_is_set(const fuss_event_t *e)
{
    return (a32_load_relaxed(A32C(&e->state_)) & EV_SET) != 0;
}

int fuss_event_reset(fuss_event_t *e)
{
    a32_fetch_and_relaxed(A32(&e->state_), ~EV_SET);                     /* R */
    return 0;
}

int fuss_event_set(fuss_event_t *e)
{
    a32_t *w = A32(&e->state_);
    uint32_t s = a32_load_relaxed(w), n;
    do {
        if (s & EV_SET) return 0;                                /* E1/A1: coalesce */
        n = (s | EV_SET) & ~EV_WAITERS;
        if (!(s & EV_AUTO)) n += EV_GEN_ONE;                     /* E1 */
    } while (!a32_cas_rel(w, &s, n));
    if (s & EV_WAITERS) {
        if (s & EV_AUTO) fuss__wake_one(w, ev_flags(s));         /* A1 */
        else fuss__wake_all(w, ev_flags(s));                     /* E1 */
    }
    return 0;
}

/* Sleep until the word moves away from s, after turning WAITERS on, or
 * for a slice at most.  Returns 0, ETIMEDOUT or EINVAL (fuss__wait_sliced). */
static int ev_sleep(a32_t *w, uint32_t s, const struct fuss__deadline *dl)
{
    if (!(s & EV_WAITERS)) {
        if (!a32_cas_relaxed(w, &s, s | EV_WAITERS)) return 0; /* moved: look again */
        s |= EV_WAITERS;
    }
    return fuss__wait_sliced(w, s, dl, ev_flags(s), "fuss_event_wait");
}

static int ev_wait_manual(a32_t *w, uint32_t s, const struct fuss__deadline *dl)
{
    uint32_t gen = s & EV_GEN_MASK;
    for (;;) {
        int r = ev_sleep(w, s, dl);                                       /* E2 */
        s = a32_load_acquire(w);
        if ((s & EV_SET) || (s & EV_GEN_MASK) != gen) return 0;
        if (r) return r;
    }
}

static int ev_wait_auto(a32_t *w, uint32_t s, const struct fuss__deadline *dl)
{
    uint32_t slept = 0; /* EV_WAITERS once this thread has slept (A3) */
    for (;;) {
        while (s & EV_SET)                                                /* A3 */
            if (a32_cas_acq(w, &s, (s & ~EV_SET) | slept)) return 0;
        int r = ev_sleep(w, s, dl);                                       /* A2 */
        slept = EV_WAITERS;
        s = a32_load_relaxed(w);
        if (r && !(s & EV_SET)) return r;
    }
}

static int ev_wait(fuss_event_t *e, const struct fuss__deadline *dl)
{
    a32_t *w = A32(&e->state_);
    uint32_t s = a32_load_acquire(w);
    if (s & EV_AUTO) {
        uint32_t seen = s;
        if ((s & EV_SET) && a32_cas_acq(w, &seen, s & ~EV_SET)) return 0; /* A3 fast */
        return ev_wait_auto(w, seen, dl);
    }
    if (s & EV_SET) return 0;
    return ev_wait_manual(w, s, dl);
}

int fuss_event_wait(fuss_event_t *e) { return ev_wait(e, NULL); }

int fuss_event_timedwait(fuss_event_t *e, clockid_t clock, const struct timespec *deadline)
{
    struct fuss__deadline dl;
    const struct fuss__deadline *dlp;
    int r = fuss__deadline_make(&dl, clock, deadline, &dlp);
    return r ? r : ev_wait(e, dlp);
}

/* ---- latches ------------------------------------------------------------ */

static inline unsigned latch_flags(uint32_t c) { return (c & LATCH_SHARED) ? FUSS__SHARED : 0u; }
static inline a64_t *latch_word(fuss_latch_t *l) { return A64(l); }
static inline const a32_t *latch_gen(fuss_latch_t *l) { return A32C(&l->gen_); }

static inline uint64_t latch_pack(struct latch_state v)
{
    uint64_t x;
    memcpy(&x, &v, sizeof x);
    return x;
}

static inline struct latch_state latch_unpack(uint64_t x)
{
    struct latch_state v;
    memcpy(&v, &x, sizeof v);
    return v;
}

int fuss_latch_init(fuss_latch_t *l, unsigned count, unsigned flags)
{
    if ((flags & ~FUSS_SHARED) || count > FUSS_LATCH_COUNT_MAX) return EINVAL;
    if (!shared_ok(flags)) return ENOTSUP;
    l->count_ = count | ((flags & FUSS_SHARED) ? LATCH_SHARED : 0u);
    l->gen_ = 0;
    return 0;
}

int fuss_latch_destroy(fuss_latch_t *l)
{
    (void)l;
    return 0;
}

int fuss_latch_add(fuss_latch_t *l, unsigned n)
{
    a64_t *w = latch_word(l);
    uint64_t x = a64_load_relaxed(w);
    struct latch_state v;
    do {
        v = latch_unpack(x);
        if (n > FUSS_LATCH_COUNT_MAX - (v.count & LATCH_COUNT)) return EOVERFLOW; /* L1 */
        v.count += n;
    } while (!a64_cas_relaxed(w, &x, latch_pack(v)));
    return 0;
}

int fuss_latch_done(fuss_latch_t *l)
{
    a64_t *w = latch_word(l);
    uint64_t x = a64_load_relaxed(w);
    struct latch_state old, v;
    do {
        old = v = latch_unpack(x);
        if ((v.count & LATCH_COUNT) == 0) return EINVAL;                  /* L2 */
        v.count -= 1;
        if ((v.count & LATCH_COUNT) == 0 && (v.count & LATCH_WAITERS)) {
            v.count &= ~LATCH_WAITERS;
            v.gen += 1;
        }
    } while (!a64_cas_acqrel(w, &x, latch_pack(v)));
    if (v.gen != old.gen) fuss__wake_all(latch_gen(l), latch_flags(old.count));
    return 0;
}

static int latch_wait_slow(fuss_latch_t *l, const struct fuss__deadline *dl)
{
    a64_t *w = latch_word(l);
    struct fuss__spin sp = FUSS__SPIN_INIT;
    while (fuss__spin_step(&sp))
        if ((latch_unpack(a64_load_relaxed(w)).count & LATCH_COUNT) == 0) break;
    for (;;) {                                                            /* L3 */
        uint64_t x = a64_load_acquire(w);
        struct latch_state v = latch_unpack(x);
        if ((v.count & LATCH_COUNT) == 0) return 0;
        if (!(v.count & LATCH_WAITERS)) {
            struct latch_state want = v;
            want.count |= LATCH_WAITERS;
            if (!a64_cas_relaxed(w, &x, latch_pack(want))) continue;
        }
        int r = fuss__wait_sliced(latch_gen(l), v.gen, dl, latch_flags(v.count), "fuss_latch_wait");
        struct latch_state now = latch_unpack(a64_load_acquire(w));
        if (now.gen != v.gen) return 0;
        if (r) return (now.count & LATCH_COUNT) ? r : 0; /* ETIMEDOUT or EINVAL */
    }
}

static int latch_wait(fuss_latch_t *l, const struct fuss__deadline *dl)
{
    if ((latch_unpack(a64_load_acquire(latch_word(l))).count & LATCH_COUNT) == 0) return 0;
    return latch_wait_slow(l, dl);
}

int fuss_latch_wait(fuss_latch_t *l) { return latch_wait(l, NULL); }

int fuss_latch_timedwait(fuss_latch_t *l, clockid_t clock, const struct timespec *deadline)
{
    struct fuss__deadline dl;
    const struct fuss__deadline *dlp;
    int r = fuss__deadline_make(&dl, clock, deadline, &dlp);
    return r ? r : latch_wait(l, dlp);
}
