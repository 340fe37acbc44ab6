/*
 * mutex.c — fuss_mutex_t, a sleeping lock in one 32-bit word.
 *
 * THE LOCK WORD
 *   bit  name      set by                         cleared by
 *   0    LOCKED    the acquirer (CAS)             unlock's release (T7); NOT
 *                                                 by a hand-off (T8)
 *   1    PARKED    a thread about to sleep; a     unlock's release (which
 *                  sleep-loop acquirer; a         then wakes one)
 *                  condvar broadcast that moved
 *                  its waiters onto the word
 *   2    STARVING  a sleeper that has waited      that same sleeper, "the
 *                  longer than FAIR_NS, if no     starver": when it gets the
 *                  one else starves (T5)          lock (T9) or gives up
 *                                                 (T10); nobody else, but
 *                                                 for STALE STARVING below
 *   3    HANDOFF   unlock while STARVING (T8):    the eligible thread that
 *                  the lock is "in transit"       claims it (T9)
 *   4-25 STARVER   with STARVING, on a private    with STARVING, always
 *                  word only: the starver's       (so 0 whenever STARVING
 *                  process id (T5); see FORK      is clear, and always 0 on
 *                                                 a shared word)
 *   31   SHARED    fuss_mutex_init(FUSS_SHARED)   never (constant)
 *
 *   "Eligible": a thread that has slept in the futex queue of this lock in
 *   this call (a futex wait that did not answer EAGAIN), or a condvar
 *   waiter re-locking (it may have been moved onto the queue, C3).
 *
 *   States (SHARED omitted; it never changes):
 *   (S1) 0                   free, nobody asleep
 *   (S2) LOCKED              held, nobody asleep
 *   (S3) LOCKED|PARKED       held, sleepers may exist: unlock must wake one
 *   (S4) PARKED              free, sleepers may exist (after a condvar moved
 *                            waiters here, or a sleeper's unlocker raced)
 *   (S5) S3 + STARVING       held; the starver is in the sleep loop
 *   (S6) S5 + HANDOFF        in transit: nobody holds it; the next owner is
 *                            whichever eligible thread claims it
 *   Invariants: HANDOFF => STARVING => LOCKED (checked by models/mutex.pml),
 *   PARKED is set whenever STARVING is (T5 sets both, and only T7
 *   clears PARKED), and STARVER is 0 unless STARVING is set on a private
 *   word.  While STARVING is set the lock is never free, so
 *   nobody can barge (T1, T2, trylock) until the starver has been served.
 *
 *   Transitions:
 *   (T1) lock fast path       S1 -> S2 by CAS (acquire)
 *   (T2) spin acquire         free, not PARKED -> +LOCKED
 *   (T3) sleep-loop acquire   free -> +LOCKED|PARKED (PARKED because other
 *                             sleepers may remain)
 *   (T4) going to sleep       held or in transit -> +PARKED, then futex
 *                             wait on exactly that value
 *   (T5) starving             eligible, waited longer than FAIR_NS, held
 *                             (not in transit), STARVING clear:
 *                             +PARKED|STARVING (and STARVER = getpid() on
 *                             a private word), the caller is now the
 *                             starver; then futex wait
 *   (T6) unlock fast path     S2 -> S1 by CAS (release)
 *   (T7) unlock slow path     not STARVING, or a STALE one (FORK): -> only
 *                             SHARED kept, by CAS (release); then, if
 *                             PARKED or STARVING was set, wake one
 *   (T8) hand-off             STARVING, not stale: +HANDOFF by CAS
 *                             (release; LOCKED and PARKED stay), then wake
 *                             one sleeper
 *   (T9) claim                an eligible thread that sees LOCKED|HANDOFF:
 *                             -HANDOFF by CAS (acquire; PARKED stays), and
 *                             -STARVING if it is the starver (or, on a
 *                             process-shared word, if nobody claimed the
 *                             hand-off for a whole capped sleep: see STALE
 *                             STARVING)
 *   (T10) starver gives up    its deadline passed: in transit -> claim (T9)
 *                             and return 0; else -STARVING, ETIMEDOUT.
 *                             (Other threads leave without a write.)
 *   (T11) orphan claim        in transit with a STALE starver (FORK): any
 *                             thread, newcomer or trylock included, claims
 *                             it and clears STARVING: -HANDOFF-STARVING by
 *                             CAS (acquire).  destroy counts such a word as
 *                             unlocked.
 *   (Every clearing of STARVING clears STARVER with it.)
 *
 * WHO CLAIMS A HAND-OFF.  Only eligible threads; newcomers (T1, T2, a
 * first pass of the sleep loop, trylock) never do, they queue behind (T4);
 * except in a fork child, for a starver left in the parent (T11, FORK).
 * Some eligible thread always comes: HANDOFF is set only while STARVING is,
 * and the starver stays in the sleep loop until it owns the lock, leaving
 * early only by T10, which claims a hand-off it sees.  The hand-off's wake
 * either wakes a sleeper (a futex wait woken by a wake returns 0, never
 * ETIMEDOUT; the woken thread is eligible and claims, or sees that another
 * eligible thread did and sleeps again with PARKED), or finds the queue
 * empty, and then the starver is running and will read the word before it
 * sleeps or leaves.  So an unlock never needs to take a hand-off back.
 * (Taking it back when the wake found nobody would be unsafe: an eligible
 * thread outside the queue may already have claimed, unlocked and freed
 * the mutex.)
 *
 * NO LOST WAKE-UP.  A sleeper sleeps only on a value with PARKED set (T4,
 * T5), and the futex wait compares atomically, so an unlock that changes
 * the word (T7 clears PARKED, T8 sets HANDOFF) before the sleeper sleeps
 * makes the wait fail with EAGAIN.  An unlock after that wakes one sleeper
 * (T7, T8), and the woken thread's acquisition keeps or re-sets PARKED (T3,
 * T9), since others may still sleep.  A condvar broadcast moves waiters
 * here first and sets PARKED afterwards, waking one itself if the lock was
 * free (cond.c, fuss__mutex_mark_parked).
 *
 * NO TOUCH AFTER RELEASE.  Unlock's last access to the word is its CAS, the
 * release (T7) or the hand-off (T8); the wake-up after it only names the
 * address (the kernel, or the emulated queue's hash, never dereferences a
 * word in a wake), so another thread may destroy and free the mutex as soon
 * as it can lock it.  A word in transit cannot be freed legally: the
 * starver is still blocked in a lock call on it.
 *
 * FAIRNESS.  Barging keeps throughput high; the hand-off bounds unfairness.
 * A sleeper that has slept, been woken and still found the lock taken after
 * FAIR_NS becomes the starver (one at a time; others keep sleeping as in
 * T4).  From then on every unlock hands the lock to a sleeper (T8, T9)
 * instead of releasing it, so newcomers cannot barge and the lock goes
 * round the futex queue (FIFO on both backends) until the starver has it;
 * only then does STARVING go and barging resume.  A newcomer that sleeps
 * behind a starver sleeps at most FAIR_NS, then is eligible (it has slept)
 * and may claim a hand-off too.  Correctness does not need this cap (T10
 * clears a timed-out starver's bit), but it keeps the running threads
 * changing: without it, the share of acquisitions of the least served of
 * 16 threads on 2 CPUs (bench tiny, min/max) fell from ~0.45 to ~0.25,
 * since threads then wait for the CPU rather than for the lock.
 *
 * STALE STARVING.  In a process-shared mutex the starver may die (be
 * killed) while it sleeps.  In a private mutex only a fork child clears
 * another's STARVING (FORK), but any extra clearing is safe (a STARVING bit always belongs to
 * its last setter, which is still in the sleep loop, since leaving clears
 * it): so on a shared word a claimer whose last sleep, on a word in
 * transit, ended at its cap (FAIR_NS or SLICE_NS) and that finds the very
 * same value clears STARVING too: while the starver lives, a hand-off is
 * claimed within a wake-up, so one unclaimed for that long has nobody left
 * to claim it.  A dead starver thus costs one wait of at most SLICE_NS
 * (FAIR_NS for newcomers), and hand-offs instead of releases until then.
 *
 * FORK.  In a fork() child only the forking thread exists, so on a private
 * word every bit another thread left means nothing: a holder other than
 * the forking thread never unlocks (POSIX: the child must not use such a
 * lock; the pthread_atfork pattern takes it in "prepare" so that the
 * forking thread is the holder); PARKED costs the first unlock one wake-up
 * with nobody to wake (an emulated-backend wake may pick a dead thread's
 * queue node: nobody real loses it, since nobody real slept), then T7
 * clears it; a spinner leaves no bit.  But STARVING and HANDOFF would
 * block for ever, as nobody claims a hand-off for a starver that is not
 * there (issue 22).  So a private word's starver writes its process id
 * into STARVER when it sets STARVING (T5), and STARVING whose STARVER is
 * not getpid() is STALE: its starver lived in an ancestor process.  An
 * unlock then releases (T7) instead of handing off, and a word in transit
 * may be claimed by anyone (T11).  getpid() is a system call, but it is
 * made only where STARVING is set (T5, an unlock that would hand off, a
 * newcomer or trylock meeting a word in transit), next to a futex call or
 * a failure: the fast paths and the non-starving slow paths never make
 * it.  Pids fit: the kernel's PID_MAX_LIMIT is 2^22.  A shared word is
 * legitimately used by other processes: STARVER stays 0 there, and its
 * dead starvers are handled by STALE STARVING.  Known limit: a grandchild
 * whose pid recycles the pid of the process whose starver set the bit
 * (that process gone, the child between never having unlocked the mutex)
 * sees it as live, and pays today's cost: hand-offs and ~FAIR_NS per lock.
 * A condvar waiter re-locking (eligible) claims a stale hand-off as T9
 * does, keeping STARVING; its unlock then clears it (T7).  Whether another
 * thread's bit is stale cannot change while it is read: a process's id is
 * fixed, and the word is read whole.
 *
 * ORDERING.  Acquisitions (T1-T3, T9, T11) are acquire CASes; releases and
 * hand-offs (T6-T8) are release CASes, and a claim reads the hand-off's
 * value or a later one in its release sequence.  The other bits carry no
 * data, so setting them (T4, T5) and T10's -STARVING are relaxed.  The
 * futex wait/wake pair orders itself (kernel hash-bucket lock, or the
 * emulated queue's bucket mutex).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

#include "fuss/mutex.h"
#include "internal/atomic.h"
#include "internal/counters.h"
#include "internal/mutex.h"
#include "internal/spin.h"
#include "internal/tsan.h"
#include "internal/wait.h"

#define LOCKED   0x1u
#define PARKED   0x2u
#define STARVING 0x4u
#define HANDOFF  0x8u
#define STARVER_SHIFT 4
#define STARVER  (0x3fffffu << STARVER_SHIFT) /* 22 bits: PID_MAX_LIMIT is 2^22 */
#define SHARED   0x80000000u

/* A sleeper that has waited this long gets the lock handed to it, ahead
 * of newcomers: 1 ms, Go's sync.Mutex starvationThresholdNs; parking_lot's
 * fair unlock fires after a random 0-1 ms.  Long enough that handing over
 * (a wake-up, ~5-50 us each) is rare; short enough that nobody notices the
 * wait. */
#define FAIR_NS 1000000

/* No sleep lasts longer than this (internal/spin.h): garbage that flips
 * SHARED, say, makes the two sides use different futex keys. */
#define SLICE_NS FUSS__SLICE_NS

_Static_assert(sizeof(fuss_mutex_t) == sizeof(a32_t), "mutex is one word");

#ifdef FUSS_CONTENTION_COUNTERS
_Thread_local struct fuss__mutex_counters fuss__mutex_counters;
#endif

static unsigned futex_flags(uint32_t s) { return (s & SHARED) ? FUSS_SHARED : FUSS_PRIVATE; }

static bool is_free(uint32_t s) { return !(s & LOCKED); }
static bool in_transit(uint32_t s) { return (s & (LOCKED | HANDOFF)) == (LOCKED | HANDOFF); }

/* This process's STARVER field (FORK). */
static uint32_t starver_tag(void) { return ((uint32_t)getpid() << STARVER_SHIFT) & STARVER; }

/* STARVING set on a private word by a thread of another process (an
 * ancestor: the word came through fork()), so its starver is not here
 * (FORK).  A system call: only on paths that see STARVING. */
static bool stale_starver(uint32_t s)
{
    return (s & (STARVING | SHARED)) == STARVING && (s & STARVER) != starver_tag();
}

int fuss_mutex_init(fuss_mutex_t *m, unsigned flags)
{
    if (flags & ~FUSS_SHARED) return EINVAL;
    if ((flags & FUSS_SHARED) && !(fuss__backend_features() & FUSS_FEATURE_SHARED))
        return ENOTSUP;
    a32_store_relaxed(A32(&m->word), (flags & FUSS_SHARED) ? SHARED : 0);
    return 0;
}

int fuss_mutex_destroy(fuss_mutex_t *m)
{
    uint32_t s = a32_load_relaxed(A32(&m->word));
    /* In transit to a starver that is not in this process: nobody holds it
     * nor can claim it but through T11, which a destroyer would not call. */
    if (in_transit(s) && stale_starver(s)) return 0;
    return (s & LOCKED) ? EBUSY : 0;
}

/* ---- slow paths ------------------------------------------------------------ */

/* ADAPTIVE SPIN.  How long a first waiter spins (T2) is learnt per thread
 * (internal/spin.h, BLOCK-COST SPINS): after a spin that was spent, the
 * first real sleep that follows is timed, and the shortest of the thread's
 * recent such sleeps sets the next spins' length, from the plain budget
 * (2 us) up to 16 times it.  Spins that succeed, or stop early because
 * someone sleeps, teach nothing.  Initial-exec TLS: one load, no call. */
static _Thread_local fuss__block_window spin_window __attribute__((tls_model("initial-exec")));

enum spin_result { SPIN_TOOK, SPIN_QUEUED, SPIN_SPENT };

/* (T2) Spin while the holder is likely to release soon: only while nobody
 * sleeps (else queue behind them; a starving or in-transit word has PARKED
 * too).  Doubling gaps (fuss__backoff_step) and a first look one cache-line
 * round trip away (spin.h, FIRST LOOK): each raised the tiny critical
 * section's throughput by half or more against a look after every pause
 * (docs/bench/tuning.md, "Mutex spin"). */
static enum spin_result lock_spin(a32_t *w)
{
    struct fuss__backoff b = fuss__backoff_scaled(fuss__block_shift(spin_window));
    do {
        uint32_t s = a32_load_relaxed(w);
        if (s & (PARKED | STARVING | HANDOFF)) { FUSS__COUNT(spin_queued); return SPIN_QUEUED; }
        if (is_free(s) && a32_cas_acq(w, &s, s | LOCKED)) { FUSS__COUNT(spin_took); return SPIN_TOOK; }
    } while (fuss__backoff_step(&b));
    FUSS__COUNT(spin_spent);
    return SPIN_SPENT;
}

/* (T9), (T11) claim a hand-off, or (T3) take a free word, from the sleep
 * loop.  clear_starving: the caller is the starver (or a stale-STARVING
 * claimer). */
static bool take(a32_t *w, uint32_t *s, bool clear_starving)
{
    uint32_t to = (*s | LOCKED | PARKED) & ~HANDOFF;
    if (clear_starving) to &= ~(STARVING | STARVER);
    return a32_cas_acq(w, s, to);
}

/* (T10) The deadline passed.  Only the starver writes: it must not leave a
 * hand-off nobody may claim, nor its STARVING bit behind. */
static int give_up(a32_t *w, bool starver)
{
    if (!starver) return ETIMEDOUT;
    uint32_t s = a32_load_relaxed(w);
    for (;;) {
        if (in_transit(s)) {
            if (take(w, &s, true)) return 0; /* (T9): served at the deadline */
        } else if (!(s & STARVING) || a32_cas_relaxed(w, &s, s & ~(STARVING | STARVER))) {
            return ETIMEDOUT;
        }
    }
}

/* The sleep loop: (T3), (T4), (T5), (T9), (T10).  eligible: the caller has
 * already slept on this word (a condvar waiter that may have been moved
 * here); it becomes so after its first real sleep (not EAGAIN).  learn:
 * the caller's spin was spent, so time the first real sleep (ADAPTIVE
 * SPIN); unless it ended at the caller's own deadline, which says nothing
 * of the wake-up. */
static int lock_park(a32_t *w, const struct fuss__deadline *dl, bool eligible, bool learn)
{
    int64_t first_sleep = 0;
    bool starver = false;
    bool woken = false; /* for FUSS__COUNT only */
    uint32_t stale_on = 0; /* in transit for a whole capped sleep: STALE STARVING */
    for (;;) {
        uint32_t s = a32_load_relaxed(w);
        /* The stale check (a system call) only for a newcomer at a word in
         * transit, which would otherwise sleep: eligible claimers never pay. */
        bool orphan = false;
        if (is_free(s) || (in_transit(s) && (eligible || (orphan = stale_starver(s))))) {
            /* (T3), (T9), (T11) */
            if (take(w, &s, starver || orphan || ((s & SHARED) && s == stale_on))) return 0;
            continue;
        }
        if (woken) FUSS__COUNT(woken_then_held);
        woken = false;
        uint32_t sleep_on = s | PARKED;                                            /* (T4) */
        bool starve = eligible && !(s & (STARVING | HANDOFF)) && first_sleep &&
                      fuss__now_ns() - first_sleep > FAIR_NS;
        if (starve) sleep_on |= STARVING | ((s & SHARED) ? 0 : starver_tag());    /* (T5) */
        if (sleep_on != s && !a32_cas_relaxed(w, &s, sleep_on)) continue;
        starver |= starve;

        /* A newcomer behind a starver sleeps at most FAIR_NS (see FAIRNESS);
         * every sleep ends after SLICE_NS at the latest. */
        struct fuss__deadline capped;
        bool behind_starver = !eligible && (sleep_on & STARVING);
        const struct fuss__deadline *until =
            fuss__deadline_cap(&capped, dl, behind_starver ? FAIR_NS : SLICE_NS);
        int64_t sleep_start = first_sleep && !learn ? 0 : fuss__now_ns();
        if (!first_sleep) first_sleep = sleep_start;
        fuss__tsan_divert_begin(w);
        FUSS__COUNT(sleeps);
        int r = fuss__wait(w, sleep_on, FUSS_FUTEX_BITSET_ANY, until, futex_flags(s));
        fuss__tsan_divert_end(w);
        if (r == -EAGAIN) FUSS__COUNT(sleep_eagain);
        if (r == 0) { FUSS__COUNT(woken); woken = true; }
        /* SHARED set on a backend without process-shared words: the word is
         * garbage (init refuses FUSS_SHARED there). */
        if (r == -ENOTSUP) return EINVAL;
        if (r == -EAGAIN) continue; /* never slept: eligibility unchanged */
        eligible = true;
        if (r == -ETIMEDOUT && until == dl) return give_up(w, starver);          /* (T10) */
        if (learn) fuss__block_slept(&spin_window, fuss__now_ns() - sleep_start);
        learn = false;
        stale_on = r == -ETIMEDOUT && in_transit(sleep_on) ? sleep_on : 0;
    }
}

static int lock_slow(a32_t *w, const struct fuss__deadline *dl)
{
    uint32_t s = a32_load_relaxed(w);
    /* A process-shared mutex is free at SHARED, not 0: retry the fast path. */
    if (s == SHARED && a32_cas_acq(w, &s, SHARED | LOCKED)) return 0;
    FUSS__COUNT(slow);
    enum spin_result spun = lock_spin(w);
    if (spun == SPIN_TOOK) return 0;
    return lock_park(w, dl, false, spun == SPIN_SPENT);
}

/* (T7), (T8) */
static int unlock_slow(a32_t *w)
{
    uint32_t s = a32_load_relaxed(w);
    for (;;) {
        /* Free, or in transit (nobody holds it): not ours to unlock. */
        if ((s & (LOCKED | HANDOFF)) != LOCKED) return EPERM;
        if ((s & STARVING) && !stale_starver(s)) {
            if (a32_cas_rel(w, &s, s | HANDOFF)) break;                           /* (T8) */
        } else if (a32_cas_rel(w, &s, s & SHARED)) {                              /* (T7) */
            break;
        }
    }
    /* Our last access was the CAS (NO TOUCH AFTER RELEASE). */
    if (s & (PARKED | STARVING)) {
        fuss__tsan_divert_begin(w);
        int woke = fuss__wake_one(w, futex_flags(s));
        fuss__tsan_divert_end(w);
        FUSS__COUNT(unlock_wakes);
        if (woke == 0) FUSS__COUNT(unlock_wakes_nobody);
        (void)woke;
    }
    return 0;
}

/* ---- public entry points ----------------------------------------------------- */

__attribute__((noinline)) static int lock_slow_noinline(a32_t *w, const struct fuss__deadline *dl)
{
    return lock_slow(w, dl);
}

int fuss_mutex_lock(fuss_mutex_t *m)
{
    fuss__tsan_pre_lock(m, 0);
    uint32_t s = 0;
    int r = 0;
    if (__builtin_expect(!a32_cas_acq(A32(&m->word), &s, LOCKED), 0))      /* (T1) */
        r = lock_slow_noinline(A32(&m->word), NULL);
    fuss__tsan_post_lock(m, r ? FUSS__TSAN_TRY | FUSS__TSAN_TRY_FAILED : 0, 0);
    return r;
}

static int trylock(a32_t *w)
{
    uint32_t s = 0;
    if (a32_cas_acq(w, &s, LOCKED)) return 0;                                 /* (T1) */
    /* Free with bits set (SHARED, or PARKED after a condvar broadcast): a
     * trylock may take it.  Never a word in transit (LOCKED stays set during
     * a hand-off), unless its starver is not in this process (T11), and
     * never while a sleeper starves (STARVING => LOCKED; the test only
     * guards against garbage in a shared word). */
    for (;;) {
        if (is_free(s) && !(s & STARVING)) {
            if (a32_cas_acq(w, &s, (s | LOCKED) & ~HANDOFF)) return 0; /* HANDOFF: garbage */
        } else if (in_transit(s) && stale_starver(s)) {                           /* (T11) */
            if (a32_cas_acq(w, &s, s & ~(HANDOFF | STARVING | STARVER))) return 0;
        } else {
            return EBUSY;
        }
    }
}

int fuss_mutex_trylock(fuss_mutex_t *m)
{
    fuss__tsan_pre_lock(m, FUSS__TSAN_TRY);
    int r = trylock(A32(&m->word));
    fuss__tsan_post_lock(m, r ? FUSS__TSAN_TRY | FUSS__TSAN_TRY_FAILED : FUSS__TSAN_TRY, 0);
    return r;
}

int fuss_mutex_timedlock(fuss_mutex_t *m, clockid_t clock, const struct timespec *deadline)
{
    struct fuss__deadline dl;
    const struct fuss__deadline *dlp;
    int e = fuss__deadline_make(&dl, clock, deadline, &dlp);
    if (e) return e;
    fuss__tsan_pre_lock(m, FUSS__TSAN_TRY);
    uint32_t s = 0;
    int r = 0;
    if (!a32_cas_acq(A32(&m->word), &s, LOCKED))                              /* (T1) */
        r = lock_slow_noinline(A32(&m->word), dlp);
    fuss__tsan_post_lock(m, r ? FUSS__TSAN_TRY | FUSS__TSAN_TRY_FAILED : FUSS__TSAN_TRY, 0);
    return r;
}

__attribute__((noinline)) static int unlock_slow_noinline(a32_t *w) { return unlock_slow(w); }

int fuss_mutex_unlock(fuss_mutex_t *m)
{
    /* TSan must not be told of an unlock that is refused (EPERM). */
    if (FUSS__TSAN_ON && (a32_load_relaxed(A32(&m->word)) & (LOCKED | HANDOFF)) != LOCKED)
        return EPERM;
    fuss__tsan_pre_unlock(m, 0);
    uint32_t s = LOCKED;
    int r = 0;
    if (__builtin_expect(!a32_cas_rel(A32(&m->word), &s, 0), 0))             /* (T6) */
        r = unlock_slow_noinline(A32(&m->word));
    fuss__tsan_post_unlock(m, 0);
    return r;
}

/* ---- for the condition variable (internal/mutex.h) --------------------------- */

int fuss__mutex_relock(fuss_mutex_t *m, const struct fuss__deadline *dl)
{
    /* The caller slept on a condvar and may have been moved onto this word
     * by a broadcast: acquire as an eligible sleeper would (T3, T9), keeping
     * PARKED; a hand-off's wake may have picked it. */
    fuss__tsan_pre_lock(m, 0);
    int r = lock_park(A32(&m->word), dl, true, false);
    fuss__tsan_post_lock(m, 0, 0);
    return r;
}

bool fuss__mutex_is_locked(const fuss_mutex_t *m)
{
    return (a32_load_relaxed(A32C(&m->word)) & LOCKED) != 0;
}

unsigned fuss__mutex_futex_flags(const fuss_mutex_t *m)
{
    return futex_flags(a32_load_relaxed(A32C(&m->word)));
}

void fuss__mutex_mark_parked(fuss_mutex_t *m)
{
    a32_t *w = A32(&m->word);
    uint32_t old = a32_fetch_or_relaxed(w, PARKED);
    /* Waiters were moved here before this; if the lock is free nobody's
     * unlock will wake them, so wake one now (it acquires with PARKED). */
    if (is_free(old)) (void)fuss__wake_one(w, futex_flags(old));
}
