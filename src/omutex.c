/*
 * omutex.c — fuss_omutex_t, the owned mutex: error-checking, recursive,
 * robust, priority-inheriting (see fuss/omutex.h for the contract).
 *
 * THE LOCK WORD (m->word): the kernel's robust / PI futex format, so that
 * the kernel can mark a dead owner's locks and boost a PI owner.
 *   bits   name        set by                           cleared by
 *   0-29   TID         the acquirer (CAS; the kernel    unlock
 *                      for a PI hand-over)
 *   30     OWNER_DIED  the kernel, when a robust owner  the next acquirer
 *                      dies holding the word
 *   31     WAITERS     a thread about to sleep (non-PI) unlock; the kernel (PI)
 *                      or the kernel (PI)
 *
 *   States (T = a thread id):
 *   (S1) 0                        free
 *   (S2) T                        held by T, nobody asleep
 *   (S3) T|WAITERS                held by T, sleepers may exist
 *   (S4) OWNER_DIED[|WAITERS]     robust: the owner died holding it; free for
 *                                 the next locker, which gets EOWNERDEAD
 *   (S5) T|OWNER_DIED[|WAITERS]   robust PI: the kernel gave a dead owner's
 *                                 lock to waiter T, which reports EOWNERDEAD
 *   Any other value is garbage written by another process: see HOSTILE
 *   WORDS (H1-H7) for what each operation answers.
 *
 * THE META WORD (m->meta)
 *   bits 0-3   FLAGS   FUSS_SHARED, RECURSIVE, ROBUST, PI (the public values):
 *                      set by init, constant afterwards
 *   bits 4-5   STATE   robust only: CONSISTENT (0), INCONSISTENT (the holder
 *                      got EOWNERDEAD and has not called consistent()),
 *                      NOTRECOVERABLE (someone unlocked it inconsistent)
 *   bits 8-31  DEPTH   recursive: how many times the owner locked it beyond
 *                      the first
 *   Only the thread holding the lock writes STATE and DEPTH, so plain
 *   (relaxed) stores suffice; others only read FLAGS.
 *
 *   Transitions (N = the caller's thread id; non-PI first):
 *   (T1) lock fast path       S1 -> N by CAS (acquire)
 *   (T2) relock by the owner  TID == N: EDEADLK, EBUSY (trylock), or DEPTH+1
 *   (T3) going to sleep       S2 -> S3 by CAS, then futex wait on S3 for at
 *                             most SLICE_NS (OWED WAKE-UPS), then look again
 *   (T4) sleeper acquire      S1 -> N|WAITERS (others may still sleep)
 *   (T5) dead-owner takeover  S4 -> N, keeping WAITERS; STATE = INCONSISTENT,
 *                             DEPTH = 0; returns EOWNERDEAD
 *   (T6) unlock fast path     DEPTH > 0: DEPTH-1; else S2 -> S1 by CAS (release)
 *   (T7) unlock slow path     S3 -> S1 by exchange (release), then wake one
 *   (T8) owner death (kernel) robust S2/S3 of a dead T -> S4, waking one
 *                             sleeper if WAITERS (robust list, see below)
 *   (T9) give up              unlock while INCONSISTENT: STATE =
 *                             NOTRECOVERABLE, then release as T6/T7
 *   (T10) refuse              any acquisition that finds STATE ==
 *                             NOTRECOVERABLE releases again (T6/T7, so the
 *                             wake-ups chain on to every sleeper) and returns
 *                             ENOTRECOVERABLE
 *   With FUSS_OMUTEX_PI the kernel arbitrates every contended case:
 *   (P1) lock fast path       S1 -> N by CAS (acquire), as T1
 *   (P2) lock slow path       FUTEX_LOCK_PI / TRYLOCK_PI: the kernel sets
 *                             WAITERS, boosts the owner, and returns once it
 *                             made us the owner (S2, S3 or S5)
 *   (P3) dead-owner takeover  S5 -> clear OWNER_DIED by fetch_and (the kernel
 *                             may set WAITERS meanwhile); then as T5
 *   (P4) unlock fast path     S2 -> S1 by CAS (release)
 *   (P5) unlock slow path     FUTEX_UNLOCK_PI: the kernel hands the word to
 *                             the top waiter (or frees it); it refuses a
 *                             garbage word (H3-H5)
 *   T2, T9 and T10 apply to PI mutexes too (T10 releasing by P4/P5).
 *   (A1) adopt kind           meta 0 -> FLAGS by one CAS, only while meta is
 *                             0 (fuss__omutex_adopt_kind, for the pthread
 *                             drop-in: a statically initialized recursive
 *                             pthread mutex is all zero but recursive).
 *                             While meta is 0 nobody else writes it (DEPTH
 *                             needs RECURSIVE, STATE needs ROBUST), so the
 *                             CAS cannot overwrite an owner's update.
 *
 * THE ROBUST LIST PROTOCOL (internal/omutex.h for the list itself).  A
 * robust lock: (R1) list_op_pending = entry; (R2) acquire the word;
 * (R3) link the entry at the list's front; (R4) list_op_pending = NULL.
 * A robust unlock: (R5) list_op_pending = entry; (R6) unlink; (R7) release
 * the word; (R8) list_op_pending = NULL.  A death between any two steps is
 * handled by the kernel: before (R2) or after (R7) the word does not carry
 * our id and the kernel leaves it (if it carries no id at all it wakes one
 * waiter, covering a death between our release and our wake-up, or a woken
 * waiter's death); between them the word carries our id and is reachable
 * from the list or from list_op_pending, and the kernel marks it (T8).
 * list_op_pending stays set while a robust locker sleeps, so a sleeper that
 * dies after being woken passes its wake-up on.
 *
 * OWED WAKE-UPS.  A thread that dies after its unlock released the word
 * (T7) but before its wake-up, or after being woken but before taking the
 * word, owes the sleepers a wake-up.  For a word that is not robust the
 * kernel does nothing at a death: a process-shared mutex whose unlocking
 * process is killed in that window is free with its sleepers asleep
 * (tests/regression/issue_22_omutex_killed_unlocker.c; glibc has the same
 * window).  For a robust word the kernel passes the wake-up on only while
 * the word is still free when it looks; if a newcomer has already taken the
 * free word by the fast path (no WAITERS), the newcomer's unlock takes the
 * fast path too and nobody wakes the sleepers (models/robust.pml,
 * RCFG_DIE_BEFORE_WAKE and RCFG_DIE_AFTER_WAKE, RCFG_NOT_ROBUST for the
 * first case; tests/regression/issue_6_omutex_death_before_wake.c).
 * Keeping WAITERS set in the released word would close the gap, but
 * nothing could ever clear it again and every later unlock would make a
 * system call.  So every sleeper instead looks at the word again every
 * SLICE_NS, the cap mutex.c puts on all its sleeps: such a death delays a
 * sleeper by that much at most, for the price of ten wake-ups a second for
 * a thread that sleeps long.  Private mutexes are capped too, as in
 * mutex.c: garbage that clears F_SHARED in meta makes the two sides sleep
 * and wake on different futex keys.  (PI sleepers sleep in the kernel,
 * which hands the lock over at unlock: no window.)
 *
 * HOSTILE WORDS.  Another process may write anything into m->word or
 * m->meta of a process-shared mutex (DESIGN.md, Lifecycle rules).  Every
 * answer of the kernel or value of a word such garbage can cause gives an
 * errno, never an abort, and no loop waits on a value without a cap:
 *   (H1) LOCK_PI: the word names a thread that does not exist -> ESRCH:
 *        ENOTRECOVERABLE (as for a PI owner that exited)
 *   (H2) LOCK_PI / TRYLOCK_PI: any other refusal (the kernel's PI state
 *        names another owner, a kernel thread, non-PI waiters; PI in meta
 *        where the backend has none) -> EINVAL
 *   (H3) UNLOCK_PI: the word names another thread when the kernel reads it
 *        (written after our own check, unlock_slow) -> EPERM
 *   (H4) UNLOCK_PI: the word changed under the kernel's release, which
 *        therefore did not happen -> EAGAIN (glibc's futex_unlock_pi passes
 *        both EPERM and EAGAIN up too)
 *   (H5) UNLOCK_PI: any other refusal (the kernel's PI state names another
 *        owner: the word was rewritten to name us) -> EINVAL
 *   (H6) a futex wait answers ENOTSUP: SHARED or ROBUST in meta on a
 *        backend that has no shared futexes (init refuses both) -> EINVAL
 *   (H7) ROBUST in meta, but this thread has no robust list fuss can use:
 *        the lock calls answer ENOTSUP, unlock EPERM
 *   A word naming our own id gives EDEADLK/EBUSY (T2) or lets us unlock;
 *   a word naming another live thread is a held mutex (a timed lock ends
 *   in ETIMEDOUT); OWNER_DIED or WAITERS without an id is free (T1, T4,
 *   P2).  Not defended: the robust list links (robust_prev/robust_next)
 *   are in the object, where the kernel's ABI puts them; garbage there is
 *   followed by the owner's unlock and by the kernel, as with glibc.
 *
 * FORK (issue 22, defect 4).  Only the forking thread exists in the child,
 * with a new thread id.  Bits other threads left are harmless: WAITERS
 * costs one wake-up (T7) and a sleeper's slice cap looks again; a mutex
 * another thread held stays held, as POSIX says.  But the TID of a mutex
 * the forking thread itself held (the pthread_atfork pattern: lock in
 * "prepare", unlock in "child") is its id in the parent, so the child's
 * unlock answers EPERM, its lock waits and destroy answers EBUSY: the same
 * as glibc 2.36 for error-checking and robust mutexes.  Documented as the
 * limit (omutex.h, fuss_omutex(3), FORK), not fixed, because a fix needs:
 *   (a) the parent-side id: omutex_robust.c's atfork child handler would
 *       keep the cached id it forgets (fuss__othread.tid) as a new field,
 *       say fuss__othread.fork_tid (not this file's to change now);
 *   (b) every owner check here (T2, unlock, fuss_omutex_owner) to accept
 *       TID == fork_tid on a PRIVATE word and first move the word to the
 *       new id by CAS, keeping WAITERS and OWNER_DIED (a shared word's
 *       parent-side holder is still alive in the parent: never adopted);
 *   (c) for ROBUST, linking the entry into the child's robust list again
 *       (the handler empties it, so the child's death would not mark the
 *       mutex), and for PI, the same CAS before FUTEX_UNLOCK_PI, which
 *       refuses a word naming another thread (H3); with WAITERS the
 *       kernel's PI state of a private futex does not survive into the
 *       child, so the adopted word must also drop WAITERS;
 *   (d) an answer for a grandchild: fork_tid is only one generation deep.
 *
 * NO TOUCH AFTER RELEASE.  Unlock's last access to m is the atomic that
 * lets another thread take it: the release CAS (T6, P4), the exchange
 * (T7), or FUTEX_UNLOCK_PI (P5), in which the kernel does the release
 * itself.  After it come only the wake-up, which names the address and
 * never reads it (the kernel, or the emulated queue's hash), and, for a
 * robust mutex, R8 on this thread's own list head.  A refused UNLOCK_PI
 * (H3-H5) is reported without another look at the word.  meta is read
 * before the release, never after.  So the next owner may destroy and
 * free the mutex as soon as it can lock it.
 *
 * FUTEX FLAGS.  Robust non-PI words are always waited on and woken as
 * shared futexes: the kernel's wake-up at a thread's death (T8) is a shared
 * one, which would not find a waiter that slept with the private flag.
 *
 * ORDERING.  Acquisitions are acquire CASes (a32_cas_acq; after the
 * kernel's PI hand-over, a32_load_acquire), releases are release
 * CASes/exchanges (a32_cas_rel, a32_exchange_rel, and a32_fetch_or_rel
 * before FUTEX_UNLOCK_PI).  STATE and DEPTH are data protected by the lock
 * itself, so they are relaxed: a NOTRECOVERABLE stored before a release is
 * seen by whoever acquires next, which reads STATE only after its
 * acquiring operation (T10).  WAITERS carries no data; setting it is
 * relaxed (a32_cas_relaxed), and the futex wait's atomic compare rules out
 * lost wake-ups exactly as in mutex.c; so is P3's clearing of OWNER_DIED by
 * the owner (a32_fetch_and_relaxed).  Loads that only choose a path are
 * relaxed; the CAS that follows them decides.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "fuss/omutex.h"
#include "internal/assert.h"
#include "internal/atomic.h"
#include "internal/omutex.h"
#include "internal/spin.h"
#include "internal/wait.h"

#define TID_MASK   FUSS_FUTEX_TID_MASK
#define OWNER_DIED FUSS_FUTEX_OWNER_DIED
#define WAITERS    FUSS_FUTEX_WAITERS

#define F_SHARED    FUSS_SHARED
#define F_RECURSIVE FUSS_OMUTEX_RECURSIVE
#define F_ROBUST    FUSS_OMUTEX_ROBUST
#define F_PI        FUSS_OMUTEX_PI
#define F_ALL       (F_SHARED | F_RECURSIVE | F_ROBUST | F_PI)

#define STATE_MASK         0x30u
#define STATE_CONSISTENT   0x00u
#define STATE_INCONSISTENT 0x10u
#define STATE_NOTREC       0x20u
#define DEPTH_ONE          0x100u
#define DEPTH_MASK         0xffffff00u

/* How long a sleeper sleeps before it looks at the word again (see OWED
 * WAKE-UPS; internal/spin.h): the constant mutex.c caps its sleeps with. */
#define SLICE_NS FUSS__SLICE_NS

/* Meta bits that send lock/unlock off the plain error-checking fast path. */
#define LOCK_SLOW_META   (F_ROBUST | F_PI)
#define UNLOCK_SLOW_META (F_ROBUST | F_PI | DEPTH_MASK)

_Static_assert((F_ALL & (STATE_MASK | DEPTH_MASK)) == 0, "meta fields overlap");
_Static_assert(offsetof(fuss_omutex_t, word) == 0, "the lock word comes first");
#if defined(__LP64__)
_Static_assert(FUSS__OMUTEX_FUTEX_OFFSET == -32, "glibc's robust list geometry (LP64)");
#endif

static a32_t *W(fuss_omutex_t *m) { return A32(&m->word); }
static a32_t *META(fuss_omutex_t *m) { return A32(&m->meta); }

static unsigned futex_flags(uint32_t meta)
{
    return (meta & (F_SHARED | F_ROBUST)) ? FUSS_SHARED : FUSS_PRIVATE; /* FUTEX FLAGS */
}

static uintptr_t entry_tag(uint32_t meta) { return (meta & F_PI) ? FUSS__ENTRY_PI : 0; }

/* ---- init, destroy, queries ------------------------------------------------ */

int fuss_omutex_init(fuss_omutex_t *m, unsigned flags)
{
    if (flags & ~F_ALL) return EINVAL;
    unsigned features = fuss__backend_features();
    if ((flags & F_SHARED) && !(features & FUSS_FEATURE_SHARED)) return ENOTSUP;
    if ((flags & F_PI) && !(features & FUSS_FEATURE_PI)) return ENOTSUP;
    if ((flags & F_ROBUST) && fuss__othread_head_lookup() != 0) return ENOTSUP;
    a32_store_relaxed(W(m), 0);
    a32_store_relaxed(META(m), flags);
    for (int i = 0; i < 4; i++) m->reserved[i] = 0;
    m->robust_prev = m->robust_next = NULL;
    return 0;
}

int fuss_omutex_destroy(fuss_omutex_t *m)
{
    return (a32_load_relaxed(W(m)) & TID_MASK) ? EBUSY : 0;
}

pid_t fuss_omutex_owner(const fuss_omutex_t *m)
{
    return (pid_t)(a32_load_relaxed(A32C(&m->word)) & TID_MASK);
}

int fuss_omutex_consistent(fuss_omutex_t *m)
{
    uint32_t meta = a32_load_relaxed(META(m));
    if (!(meta & F_ROBUST) || (meta & STATE_MASK) != STATE_INCONSISTENT) return EINVAL;
    if ((a32_load_relaxed(W(m)) & TID_MASK) != fuss__self_tid()) return EPERM;
    a32_store_relaxed(META(m), meta & ~STATE_MASK);
    return 0;
}

/* ---- release (T6, T7, P4, P5) ---------------------------------------------- */

/* 0, or what the kernel's FUTEX_UNLOCK_PI says about a word another
 * process wrote (H3-H5).  Nothing here touches m after the release (NO
 * TOUCH AFTER RELEASE), and nothing after a refused one either: the word
 * is then garbage, and the caller only reports it. */
static int release_word(fuss_omutex_t *m, uint32_t meta, uint32_t tid)
{
    a32_t *w = W(m);
    uint32_t s = tid;
    if (a32_cas_rel(w, &s, 0)) return 0;                                        /* (T6)(P4) */
    if (meta & F_PI) {
        /* The kernel hands the lock over, unseen by ThreadSanitizer: this
         * value-preserving release RMW, paired with the acquire load after
         * FUTEX_LOCK_PI (P2), shows it the hand-over (cheap next to the
         * system call). */
        (void)a32_fetch_or_rel(w, 0);
        switch (fuss__unlock_pi(w, futex_flags(meta))) {                          /* (P5) */
        case 0:       return 0;
        case -EPERM:  return EPERM;  /* (H3) */
        case -EAGAIN: return EAGAIN; /* (H4) */
        default:      return EINVAL; /* (H5) */
        }
    }
    s = a32_exchange_rel(w, 0);                                                   /* (T7) */
    if (s & WAITERS) (void)fuss__wake_one(w, futex_flags(meta));
    return 0;
}

/* ---- after acquiring ----------------------------------------------------- */

/* (T2) The caller already holds m. */
static int relock(fuss_omutex_t *m, uint32_t meta, struct fuss__robust_head *h, bool try)
{
    if (h) robust_done(h);
    if (!(meta & F_RECURSIVE)) return try ? EBUSY : EDEADLK;
    if ((meta & DEPTH_MASK) == DEPTH_MASK) return EAGAIN;
    a32_store_relaxed(META(m), meta + DEPTH_ONE);
    return 0;
}

/* The word now carries tid.  For a robust mutex, list_op_pending names it
 * (R1): check STATE (T10), link (R3, R4), report a dead owner (T5). */
static int acquired(fuss_omutex_t *m, uint32_t tid, struct fuss__robust_head *h, bool died)
{
    if (!h) return 0;
    uint32_t meta = a32_load_relaxed(META(m));
    if ((meta & STATE_MASK) == STATE_NOTREC) {                                   /* (T10) */
        (void)release_word(m, meta, tid); /* refused (H3-H5): the word is garbage anyway */
        robust_done(h);
        return ENOTRECOVERABLE;
    }
    robust_link(h, m, entry_tag(meta));                                          /* (R3)(R4) */
    if (!died) return 0;
    a32_store_relaxed(META(m), (meta & F_ALL) | STATE_INCONSISTENT);            /* (T5) */
    return EOWNERDEAD;
}

/* ---- lock slow paths ------------------------------------------------------- */

/* Non-PI: spin, then sleep.  h: the robust list head (list_op_pending
 * already names m), or NULL. */
static int lock_wait(fuss_omutex_t *m, uint32_t meta, uint32_t tid, struct fuss__robust_head *h,
                     const struct fuss__deadline *dl, bool try)
{
    a32_t *w = W(m);
    struct fuss__backoff spin = FUSS__BACKOFF_INIT; /* spin.h: doubling gaps */
    bool slept = false;
    for (;;) {
        uint32_t s = a32_load_relaxed(w);
        uint32_t owner = s & TID_MASK;
        if (owner == 0) {
            /* (T1)(T4)(T5): free, or its owner died (S4).  WAITERS stays:
             * other sleepers may exist. */
            uint32_t want = tid | (s & WAITERS) | (slept ? WAITERS : 0);
            if (a32_cas_acq(w, &s, want)) return acquired(m, tid, h, (s & OWNER_DIED) != 0);
            continue;
        }
        if (owner == tid) return relock(m, meta, h, try);                        /* (T2) */
        if (try) {
            if (h) robust_done(h);
            return EBUSY;
        }
        /* Spin only while nobody sleeps: otherwise queue behind them. */
        if (!try && !(s & WAITERS) && fuss__backoff_step(&spin)) continue;
        if (!(s & WAITERS) && !a32_cas_relaxed(w, &s, s | WAITERS)) continue;   /* (T3) */
        /* Every sleep looks at the word again after a slice: see OWED
         * WAKE-UPS above. */
        struct fuss__deadline capped;
        const struct fuss__deadline *until = fuss__deadline_cap(&capped, dl, SLICE_NS);
        int r = fuss__wait(w, s | WAITERS, FUSS_FUTEX_BITSET_ANY, until, futex_flags(meta));
        if (r == -ENOTSUP) {                                                     /* (H6) */
            if (h) robust_done(h);
            return EINVAL;
        }
        /* Our own mapped memory: no value of the word makes this fault. */
        fuss__require(r != -EFAULT, "omutex %p: futex wait failed (%d)", (void *)m, r);
        slept = true;
        if (r == -ETIMEDOUT && until == dl) {
            if (h) robust_done(h);
            return ETIMEDOUT;
        }
    }
}

/* PI: (P1) then the kernel (P2). */
static int lock_pi(fuss_omutex_t *m, uint32_t meta, uint32_t tid, struct fuss__robust_head *h,
                   const struct fuss__deadline *dl, bool try)
{
    a32_t *w = W(m);
    uint32_t s = 0;
    if (a32_cas_acq(w, &s, tid)) return acquired(m, tid, h, false);              /* (P1) */
    if ((s & TID_MASK) == tid) return relock(m, meta, h, try);                   /* (T2) */
    int r = try ? fuss__trylock_pi(w, futex_flags(meta))
                : fuss__lock_pi(w, dl, futex_flags(meta));                        /* (P2) */
    if (r == 0) {
        bool died = (a32_load_acquire(w) & OWNER_DIED) != 0;   /* acquire: see (P5) */
        if (died) (void)a32_fetch_and_relaxed(w, ~OWNER_DIED);                    /* (P3) */
        return acquired(m, tid, h, died);
    }
    if (h) robust_done(h);
    switch (r) {
    case -ETIMEDOUT: return ETIMEDOUT;
    case -EBUSY:     return EBUSY;
    /* The word names us: written between our CAS and the kernel's read. */
    case -EDEADLK:   return try ? EBUSY : EDEADLK;
    /* (H1) The word names a thread that no longer exists: a PI owner that
     * was not robust exited holding it (or garbage).  Nobody can ever own
     * it again. */
    case -ESRCH:     return ENOTRECOVERABLE;
    /* (H2) Not a valid PI word (the kernel's PI state names another owner,
     * the owner is a kernel thread, non-PI waiters sleep on it), or PI set
     * by garbage in meta where init would refuse it (ENOTSUP). */
    default:         return EINVAL;
    }
}

static int lock_slow(fuss_omutex_t *m, uint32_t meta, uint32_t tid,
                     const struct fuss__deadline *dl, bool try)
{
    struct fuss__robust_head *h = NULL;
    if (meta & F_ROBUST) {
        h = fuss__self_head();
        if (!h) return ENOTSUP;                                                  /* (H7) */
        robust_pending(h, robust_entry(m, entry_tag(meta)));                     /* (R1) */
    }
    if (meta & F_PI) return lock_pi(m, meta, tid, h, dl, try);
    return lock_wait(m, meta, tid, h, dl, try);
}

__attribute__((noinline)) static int lock_slow_noinline(fuss_omutex_t *m, uint32_t meta,
                                                        uint32_t tid,
                                                        const struct fuss__deadline *dl, bool try)
{
    return lock_slow(m, meta, tid, dl, try);
}

/* The robust non-PI fast path, inline because it is the common robust case:
 * (R1), (T1), then (T10)'s check and (R3)(R4). */
static inline int lock_robust_fast(fuss_omutex_t *m, uint32_t meta, uint32_t tid,
                                   const struct fuss__deadline *dl, bool try)
{
    struct fuss__robust_head *h = fuss__self_head();
    if (__builtin_expect(h == NULL, 0)) return ENOTSUP;                          /* (H7) */
    robust_pending(h, robust_entry(m, 0));                                       /* (R1) */
    uint32_t s = 0;
    if (__builtin_expect(a32_cas_acq(W(m), &s, tid), 1))                          /* (T1) */
        return acquired(m, tid, h, false);
    return lock_slow_noinline(m, meta, tid, dl, try);
}

static inline int lock_common(fuss_omutex_t *m, const struct fuss__deadline *dl, bool try)
{
    uint32_t meta = a32_load_relaxed(META(m));
    uint32_t tid = fuss__self_tid();
    if (__builtin_expect(!(meta & LOCK_SLOW_META), 1)) {
        uint32_t s = 0;
        if (__builtin_expect(a32_cas_acq(W(m), &s, tid), 1)) return 0;            /* (T1) */
    } else if ((meta & (F_ROBUST | F_PI)) == F_ROBUST) {
        return lock_robust_fast(m, meta, tid, dl, try);
    }
    return lock_slow_noinline(m, meta, tid, dl, try);
}

/* ---- public lock entry points ---------------------------------------------- */

int fuss_omutex_lock(fuss_omutex_t *m) { return lock_common(m, NULL, false); }

int fuss_omutex_trylock(fuss_omutex_t *m) { return lock_common(m, NULL, true); }

int fuss_omutex_timedlock(fuss_omutex_t *m, clockid_t clock, const struct timespec *deadline)
{
    struct fuss__deadline dl;
    const struct fuss__deadline *dlp;
    int e = fuss__deadline_make(&dl, clock, deadline, &dlp);
    if (e) return e;
    return lock_common(m, dlp, false);
}

/* ---- unlock ---------------------------------------------------------------- */

static int unlock_slow(fuss_omutex_t *m, uint32_t meta, uint32_t tid)
{
    if ((a32_load_relaxed(W(m)) & TID_MASK) != tid) return EPERM;
    if (meta & DEPTH_MASK) {                                                     /* (T6) */
        a32_store_relaxed(META(m), meta - DEPTH_ONE);
        return 0;
    }
    if (!(meta & F_ROBUST)) return release_word(m, meta, tid);
    /* A thread without a robust list cannot have locked a robust mutex:
     * ROBUST is garbage (H7). */
    struct fuss__robust_head *h = fuss__self_head();
    if (!h) return EPERM;
    if ((meta & STATE_MASK) == STATE_INCONSISTENT) {                            /* (T9) */
        meta = (meta & ~STATE_MASK) | STATE_NOTREC;
        a32_store_relaxed(META(m), meta);
    }
    robust_pending(h, robust_entry(m, entry_tag(meta)));                         /* (R5) */
    robust_unlink(m);                                                            /* (R6) */
    int e = release_word(m, meta, tid);                                          /* (R7) */
    robust_done(h);                                                              /* (R8) */
    return e;
}

__attribute__((noinline)) static int unlock_slow_noinline(fuss_omutex_t *m, uint32_t meta,
                                                          uint32_t tid)
{
    return unlock_slow(m, meta, tid);
}

int fuss_omutex_unlock(fuss_omutex_t *m)
{
    uint32_t meta = a32_load_relaxed(META(m));
    uint32_t tid = fuss__self_tid();
    if (__builtin_expect(!(meta & UNLOCK_SLOW_META), 1)) {
        uint32_t s = tid;
        if (__builtin_expect(a32_cas_rel(W(m), &s, 0), 1)) return 0;              /* (T6) */
    }
    return unlock_slow_noinline(m, meta, tid);
}

/* ---- for the pthread drop-in (internal/omutex.h) ---------------------------- */

/* (A1) Every caller reads meta after its own load or failed CAS of it, so
 * by coherence each caller goes on with the flags set. */
void fuss__omutex_adopt_kind(fuss_omutex_t *m, unsigned flags)
{
    uint32_t meta = a32_load_relaxed(META(m));
    if (__builtin_expect(meta != 0, 1)) return;
    (void)a32_cas_relaxed(META(m), &meta, flags & F_ALL);
}
