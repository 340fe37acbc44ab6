/*
 * mutex.c — fuss_mutex_t, a sleeping lock in one 32-bit word.
 *
 * THE LOCK WORD
 *   bit  name      set by                         cleared by
 *   0    LOCKED    the acquirer (CAS)             unlock
 *   1    PARKED    a thread about to sleep; a     unlock (which then wakes one)
 *                  condvar broadcast that moved
 *                  its waiters onto the word
 *   2    STARVING  a sleeper that has waited      an eligible thread acquiring;
 *                  longer than FAIR_NS            never by unlock
 *   31   SHARED    fuss_mutex_init(FUSS_SHARED)   never (constant)
 *
 *   States (SHARED omitted; it never changes):
 *   (S1) 0                   free, nobody asleep
 *   (S2) LOCKED              held, nobody asleep
 *   (S3) LOCKED|PARKED       held, sleepers may exist: unlock must wake one
 *   (S4) PARKED              free, sleepers may exist (after a condvar moved
 *                            waiters here, or a sleeper's unlocker raced)
 *   (S5) +STARVING           any of the above with a starving sleeper: no
 *                            barging; only "eligible" threads (ones that have
 *                            already slept on this lock) may acquire
 *
 *   Transitions:
 *   (T1) lock fast path       S1 -> S2 by CAS (acquire)
 *   (T2) spin acquire         free, not STARVING -> +LOCKED (keeps PARKED)
 *   (T3) sleeper acquire      free, eligible -> +LOCKED|PARKED, -STARVING
 *                             (PARKED because other sleepers may remain)
 *   (T4) going to sleep       held (or STARVING) -> +PARKED, then futex wait
 *                             on exactly that value
 *   (T5) starving             eligible sleeper that failed after FAIR_NS:
 *                             +PARKED|STARVING, then futex wait
 *   (T6) unlock fast path     S2 -> S1 by CAS (release)
 *   (T7) unlock slow path     -> only SHARED|STARVING kept, by CAS (release);
 *                             then, if PARKED was set, wake one sleeper
 *
 * NO LOST WAKE-UP.  A sleeper sleeps only on a value with PARKED set (T4,
 * T5), and the futex wait compares atomically, so an unlock that clears
 * PARKED before the sleeper sleeps makes the wait fail with EAGAIN.  An
 * unlock that clears PARKED after that wakes one sleeper (T7), and the woken
 * thread re-sets PARKED when it acquires (T3), since others may still sleep.
 * A condvar broadcast moves waiters here first and sets PARKED afterwards,
 * waking one itself if the lock was free (cond.c, fuss__mutex_mark_parked).
 *
 * NO TOUCH AFTER RELEASE.  Unlock's last access to the word is the releasing
 * CAS; the wake-up after it only names the address (the kernel, or the
 * emulated queue's hash, never dereferences a word in a wake), so another
 * thread may destroy and free the mutex as soon as it can lock it.
 *
 * FAIRNESS.  Barging keeps throughput high; STARVING bounds unfairness.  A
 * newcomer that finds STARVING sleeps behind the sleepers, but with a
 * timeout of FAIR_NS, after which it is eligible too: so a STARVING bit left
 * behind by a sleeper that timed out cannot block anyone for long.
 *
 * ORDERING.  Acquisitions are acquire CASes and releases release CASes; the
 * bits other than LOCKED carry no data, so setting them is relaxed.  The
 * futex wait/wake pair orders itself (kernel hash-bucket lock, or the
 * emulated queue's bucket mutex).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "fuss/mutex.h"
#include "internal/atomic.h"
#include "internal/mutex.h"
#include "internal/spin.h"
#include "internal/tsan.h"
#include "internal/wait.h"

#define LOCKED   0x1u
#define PARKED   0x2u
#define STARVING 0x4u
#define SHARED   0x80000000u

/* A sleeper that has waited this long gets the lock ahead of newcomers:
 * 1 ms, Go's sync.Mutex starvationThresholdNs; parking_lot's fair unlock
 * fires after a random 0-1 ms.  Long enough that handing over (a wake-up,
 * ~5-50 us) is rare; short enough that nobody notices the wait. */
#define FAIR_NS 1000000

/* No sleep lasts longer than this before the sleeper looks at the word
 * again.  A process-shared word can be changed by another process without
 * a wake-up (a crashed or hostile sharer, or garbage that flips SHARED so
 * the two sides use different futex keys); re-checking bounds such a stall
 * to 100 ms while costing a long-blocked thread ten wake-ups a second. */
#define SLICE_NS 100000000

_Static_assert(sizeof(fuss_mutex_t) == sizeof(a32_t), "mutex is one word");

static unsigned futex_flags(uint32_t s) { return (s & SHARED) ? FUSS_SHARED : FUSS_PRIVATE; }

static bool is_free(uint32_t s) { return !(s & LOCKED); }

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
    return (a32_load_relaxed(A32(&m->word)) & LOCKED) ? EBUSY : 0;
}

/* ---- slow paths ------------------------------------------------------------ */

/* (T2) Spin while the holder is likely to release soon: only while nobody
 * sleeps (else queue behind them) and nobody starves.  With doubling gaps
 * (fuss__backoff_step): against a look after every pause, this took the
 * tiny-critical-section benchmark from ~29 to ~45 Mops/s at 2 and 4
 * threads on the development VM (make bench, scenario tiny). */
static bool lock_spin(a32_t *w)
{
    struct fuss__backoff b = FUSS__BACKOFF_INIT;
    do {
        uint32_t s = a32_load_relaxed(w);
        if (s & (PARKED | STARVING)) return false;
        if (is_free(s) && a32_cas_acq(w, &s, s | LOCKED)) return true;
    } while (fuss__backoff_step(&b));
    return false;
}

/* The sleep loop: (T3), (T4), (T5).  eligible: the caller has already slept
 * on this word (a condvar waiter that may have been moved here). */
static int lock_park(a32_t *w, const struct fuss__deadline *dl, bool eligible)
{
    int64_t first_sleep = 0;
    for (;;) {
        uint32_t s = a32_load_relaxed(w);
        if (is_free(s) && (eligible || !(s & STARVING))) {
            if (a32_cas_acq(w, &s, (s | LOCKED | PARKED) & ~STARVING)) return 0; /* (T3) */
            continue;
        }
        uint32_t sleep_on = s | PARKED;                                            /* (T4) */
        if (eligible && first_sleep && fuss__now_ns() - first_sleep > FAIR_NS)
            sleep_on |= STARVING;                                                  /* (T5) */
        if (sleep_on != s && !a32_cas_relaxed(w, &s, sleep_on)) continue;

        /* A newcomer behind a starving sleeper waits at most FAIR_NS (see
         * FAIRNESS above); every sleep ends after SLICE_NS at the latest. */
        struct fuss__deadline capped;
        bool behind_starving = !eligible && (sleep_on & STARVING);
        const struct fuss__deadline *until =
            fuss__deadline_cap(&capped, dl, behind_starving ? FAIR_NS : SLICE_NS);
        if (!first_sleep) first_sleep = fuss__now_ns();
        fuss__tsan_divert_begin(w);
        int r = fuss__wait(w, sleep_on, FUSS_FUTEX_BITSET_ANY, until, futex_flags(s));
        fuss__tsan_divert_end(w);
        /* SHARED set on a backend without process-shared words: the word is
         * garbage (init refuses FUSS_SHARED there). */
        if (r == -ENOTSUP) return EINVAL;
        eligible = true;
        if (r == -ETIMEDOUT && until == dl) return ETIMEDOUT;
    }
}

static int lock_slow(a32_t *w, const struct fuss__deadline *dl)
{
    uint32_t s = a32_load_relaxed(w);
    /* A process-shared mutex is free at SHARED, not 0: retry the fast path. */
    if (s == SHARED && a32_cas_acq(w, &s, SHARED | LOCKED)) return 0;
    if (lock_spin(w)) return 0;
    return lock_park(w, dl, false);
}

/* (T7) */
static int unlock_slow(a32_t *w)
{
    uint32_t s = a32_load_relaxed(w);
    for (;;) {
        if (!(s & LOCKED)) return EPERM;
        if (a32_cas_rel(w, &s, s & (SHARED | STARVING))) break;
    }
    if (s & PARKED) {
        fuss__tsan_divert_begin(w);
        (void)fuss__wake_one(w, futex_flags(s));
        fuss__tsan_divert_end(w);
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
     * trylock may take it unless sleepers are starving. */
    while (is_free(s) && !(s & STARVING))
        if (a32_cas_acq(w, &s, s | LOCKED)) return 0;
    return EBUSY;
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
    if (FUSS__TSAN_ON && !(a32_load_relaxed(A32(&m->word)) & LOCKED)) return EPERM;
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
     * by a broadcast: acquire as a sleeper would (T3), keeping PARKED. */
    fuss__tsan_pre_lock(m, 0);
    int r = lock_park(A32(&m->word), dl, true);
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
