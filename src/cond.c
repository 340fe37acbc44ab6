/*
 * cond.c — fuss_cond_t, a condition variable in two 32-bit words.
 *
 * WORD 0: seq (the futex word waiters sleep on)
 *   A 32-bit sequence, incremented (wrapping) by every signal and broadcast
 *   that finds a waiter (C2, C3).  Nothing else writes it but (C0): a
 *   waiter that registers leaves it alone, so it cannot make the futex
 *   wait of a waiter before it fail (a spurious wake-up for that waiter
 *   and, with many waiters, a storm of them: the waiter count used to live
 *   here).
 *
 * WORD 1: link (rows cited at the branches as "row (n)")
 *   (1) bit 0       SHARED  set at init, constant: use process-shared futex calls
 *   (2) bit 1       MIXED   waiters used different mutexes: broadcast wakes all
 *   (3) bits 2-4    unused, 0
 *   (4) bit 5       DESTROY a destroyer sleeps on link until INSIDE is 0;
 *                           set by destroy (C7); cleared by init only
 *   (5) bit 6       SLEEPERS a waiter may be in (or entering) its futex
 *                           wait: set by a waiter before it sleeps (C1,
 *                           C4), cleared with the last COUNT (C2, C3);
 *                           signal and broadcast make no system call while
 *                           it is clear (a spinning waiter sees seq change
 *                           by itself)
 *   (6) bits 7-13   COUNT   an upper bound on the number of registered
 *                           waiters no signal has yet been counted against;
 *                           at COUNT_MAX (127) it is sticky ("many") until a
 *                           broadcast
 *   (7) bits 14-22  the mutex's address minus the condvar's, in 4-byte units
 *                   (signed, so within 1 KiB); 0 = unknown.  An offset, not a
 *                   pointer, so it is the same in every process mapping a
 *                   shared segment.  A mutex further away counts as MIXED.
 *   (8) bits 23-31  INSIDE  the exact number of waiters between (C1) and
 *                           their last access (C5), signalled or not: what
 *                           destroy waits for.  +1 in (C1)'s CAS, -1 by the
 *                           waiter itself (C5); at 511 it is full (C6).  At
 *                           the top of the word so that garbage (another
 *                           process's, in shared memory) that makes a
 *                           decrement wrap stays inside the field.
 *   Every write is a CAS or an add that keeps the other fields.  The offset
 *   is written by waiters (C1) only; it is read by broadcast, and only for a
 *   private condvar: in shared memory it could be garbage written by another
 *   process, so a process-shared broadcast wakes every waiter instead.
 *
 *   Transitions:
 *   (C0) leave 0    a waiter that reads seq == 0 first sets it to 1 (CAS):
 *                   no waiter ever sleeps on 0, the value that init and
 *                   all-zero memory write.  Only the first waiter after
 *                   init (or after seq wraps to 0) writes it, and nobody
 *                   sleeps on 0, so it wakes nobody.  (It does not make
 *                   re-initialisation safe by itself: the new generation
 *                   passes through 1, 2, ... again; (C5)/(C7) do.)
 *   (C1) register   a waiter, holding the mutex: load seq (the value it
 *                   will sleep on), THEN one CAS on link, with release:
 *                   INSIDE += 1, COUNT += 1 (unless MAX) and record the
 *                   mutex (the sole registered waiter replaces what an
 *                   earlier generation left; otherwise a different mutex
 *                   sets MIXED); a waiter that will not spin (C4) sets
 *                   SLEEPERS in the same CAS; then a seq_cst fence, before
 *                   its futex wait reads seq
 *   (C2) signal     CAS on link, with acquire: COUNT > 0: COUNT -= 1 (unless
 *                   MAX), and clear SLEEPERS if COUNT becomes 0; COUNT == 0:
 *                   return; then seq += 1 (relaxed RMW); a seq_cst fence;
 *                   wake one if SLEEPERS was set in the CAS's old value or
 *                   is set now (relaxed load)
 *   (C3) broadcast  CAS on link, with acquire: COUNT > 0: COUNT = 0 and
 *                   SLEEPERS clear; then seq += 1 (relaxed RMW); a seq_cst
 *                   fence; if SLEEPERS was set (old value or now): wake
 *                   BROADCAST_WAKE sleepers, move the rest onto the mutex
 *                   recorded in that CAS's link value and mark it PARKED,
 *                   which wakes one if the mutex is free (or wake all)
 *   (C4) spin       after (C1), if it is the only unsignalled waiter
 *                   (COUNT == 1): release the mutex; read seq (relaxed) for
 *                   up to a hand-off spin (spin.h): a changed seq is the
 *                   signal; then (C5) and re-lock the mutex plainly (it
 *                   never slept, so it was never moved onto the mutex's
 *                   queue).  Otherwise it sets SLEEPERS (relaxed RMW),
 *                   fences (seq_cst) and sleeps as in (C1).
 *   (C5) leave      after its futex wait returned (or its spin saw the
 *                   signal): INSIDE -= 1, a release RMW, the waiter's last
 *                   access to the condvar; if it took INSIDE to 0 and
 *                   DESTROY was set, wake all on link (the address only).
 *   (C6) full       a waiter that finds INSIDE at its maximum registers
 *                   nothing: it releases the mutex, naps (1 ms, or to its
 *                   deadline) on a word of its own, re-locks and returns
 *                   as a spurious wake-up.  It never touches the condvar
 *                   after releasing the mutex, as nothing makes destroy
 *                   wait for it.  (511 waiters in one condvar at once;
 *                   beyond that, the extra ones poll.)
 *   (C7) destroy    INSIDE == 0 (acquire load): done.  Else set DESTROY
 *                   (acquire RMW) and sleep on link until INSIDE is 0;
 *                   EBUSY if no waiter left for 1 s (100 ms when shared).
 *   init writes both words (relaxed stores: the caller publishes the
 *   object).  A waiter never changes COUNT after (C1): a timed-out or
 *   spuriously woken waiter leaves its count behind.  COUNT may thus
 *   exceed the true number of unsignalled waiters (a later signal spends
 *   one system call on nobody and removes it); it never falls below it,
 *   which is what signal's "nobody waits" shortcut relies on.
 *
 * HOOKED WAIT (the pthread drop-in, internal/cond.h).  There is one wait,
 * cond_wait below, and fuss__cond_wait_hooked is it with the caller's
 * mutex behind hooks (an owned mutex, or glibc's own for a
 * priority-ceiling one: m NULL, so (C1) sets MIXED and broadcast (C3)
 * wakes all instead of moving waiters onto a word of another format) and
 * code run around the futex wait (the drop-in's asynchronous
 * cancellation).  The same steps, spin included, so the table's rows hold
 * unchanged and models/cond.pml checks both callers.  fuss_cond_wait's
 * copy is the same function inlined with no hooks.
 *
 * NO LOST WAKE-UP.  A waiter reads the value it will sleep on, then
 * registers (C1), while holding the mutex.  A signaller that changed the
 * predicate under the mutex therefore finds COUNT > 0 for every waiter that
 * checked the predicate before the change, and its seq increment comes
 * after that waiter's read, so the waiter's futex wait fails (EAGAIN),
 * which it takes as its wake-up, or it already sleeps and is woken by the
 * wake in (C2) or moved/woken in (C3).  The read must come first: read
 * after registering, it could see the increment of a signal that, called
 * without the mutex, consumed this very registration in between, and the
 * waiter would sleep uncounted (models/cond.pml, BUG_REGISTER_BEFORE_READ).
 * seq has 32 bits: a waiter would have to be stopped between releasing the
 * mutex and sleeping for 4 billion signals for a stale value to match (the
 * ABA window of every sequence condvar).
 *
 * DESTROY-SAFETY (issue 22).  POSIX lets the owner destroy a condvar right
 * after a broadcast, clear it and initialise it again (glibc's
 * tst-cond20).  A waiter the broadcast released may not have made its
 * futex call yet (preempted after releasing the mutex), or may be about to
 * make it again: a signal handler installed with SA_RESTART that ran while
 * it slept makes the kernel restart the wait with the old value.  A
 * sequence cannot protect it: the re-initialised object's seq passes
 * through the small values again (C0), and its wait would match and sleep
 * on an object it is not registered with.  So every waiter stays counted
 * in INSIDE from (C1) until its futex wait has returned (C5), and destroy
 * waits for INSIDE to reach 0 (C7).  After (C5) a waiter only re-locks the
 * mutex.  models/cond.pml checks this (REINIT, BUG_DESTROY_NO_WAIT).
 *
 * NO TOUCH AFTER RELEASE.  A waiter: (C5)'s decrement is its last access;
 * the wake after it names the address only (a destroyer may be gone, and
 * the word freed or reused: at worst a spurious wake-up for someone else).
 * A spinner's (C5) likewise comes after its last read of seq.  Signal and
 * broadcast: the release is seq += 1 (a spinner or a waiter on its way to
 * sleep sees it and may return); after it they read link again (the
 * SLEEPERS check of (C2, C3)) and then wake by address.  A waiter that
 * returns needs the mutex, so with the mutex held across signal the whole
 * call comes first; without it the program must not destroy the condvar
 * until signal or broadcast has returned (POSIX and glibc ask the same;
 * fuss/cond.h says so).  The re-read is what lets a signal skip the wake
 * while a waiter only spins: it pairs with (C4)'s SLEEPERS write.
 *
 * FORK.  Only the forking thread exists in the child.  COUNT and SLEEPERS
 * left by other threads cost at most one wake-up of nobody; their INSIDE
 * never falls, so destroy in the child answers EBUSY after 1 s.  The child
 * may fuss_cond_init() the condvar again (nobody is inside any more).
 *
 * CANCELLATION.  fuss_cond_wait is not a cancellation point (the library
 * has none).  The drop-in makes its hooked wait cancellable between the
 * before() and after() hooks, and its cleanup calls
 * fuss__cond_cancel_leave: POSIX forbids a cancelled waiter to consume a
 * signal another waiter needs, and a waiter cancelled after a signal's
 * wake-up reached it (or with a signal on its way) cannot tell, so if seq
 * moved since it read its value it signals once (C2) before it leaves
 * (C5), while it is still INSIDE and the condvar cannot be destroyed.  A
 * signal nobody needed costs one spurious wake-up.  If seq has not moved,
 * no signal was sent since it registered and none can reach it any more
 * (it is off the futex queue), so it passes nothing on.  A thread
 * cancelled asynchronously elsewhere inside the wait stays INSIDE: destroy
 * answers EBUSY after 1 s.
 *
 * ORDERING.  The mutex orders a waiter's registration against a
 * signaller's predicate change, and the futex calls order the sleep against
 * the wake (Rust std's futex condvar argues the same).  SLEEPERS is a
 * Dekker pair: the waiter writes SLEEPERS, fences, then its futex wait
 * reads seq; the signaller writes seq, fences, then reads SLEEPERS.  With
 * both fences seq_cst, either the signaller sees SLEEPERS and wakes, or
 * the waiter's wait sees the new seq and fails; a SLEEPERS cleared by the
 * signaller's own CAS was seen in that CAS's old value.  (A SLEEPERS that
 * its setter no longer needs only costs a wake of nobody.)  One more pair
 * is needed for a signal sent without the mutex: register's CAS on link is a
 * release, so the waiter's earlier read of seq happens before anything a
 * signaller does after its acquire CAS that consumed the registration, in
 * particular its seq increment (which the read therefore cannot see).
 * INSIDE is a release/acquire pair: each waiter's (C5) is a release RMW,
 * destroy reads it with acquire, so all the waiter's accesses happen before
 * destroy returns.  Everything else is relaxed.  The mutex is released and
 * re-acquired with its own orders.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuss/cond.h"
#include "internal/atomic.h"
#include "internal/cond.h"
#include "internal/mutex.h"
#include "internal/spin.h"
#include "internal/wait.h"

#define LINK_SHARED       0x1u            /* row (1) */
#define LINK_MIXED        0x2u            /* row (2) */
#define LINK_DESTROY      0x20u           /* row (4) */
#define LINK_SLEEPERS     0x40u           /* row (5) */
#define LINK_COUNT_ONE    0x80u           /* row (6) */
#define LINK_COUNT_MASK   0x3f80u         /* at the mask: sticky "many" */
#define LINK_OFFSET_SHIFT 14              /* row (7) */
#define LINK_OFFSET_MASK  0x007fc000u
#define LINK_OFFSET_LIMIT (1 << 8)        /* 4-byte units either way */
#define LINK_OFFSET_UP    9               /* bits above the field */
#define LINK_INSIDE_ONE   0x00800000u     /* row (8) */
#define LINK_INSIDE_MASK  0xff800000u     /* at the mask: full (C6) */

/* The futex flags for a condvar whose link word reads l. */
static unsigned link_flags(uint32_t l) { return (l & LINK_SHARED) ? FUSS_SHARED : FUSS_PRIVATE; }

static unsigned cond_flags(const fuss_cond_t *c)
{
    return link_flags(a32_load_relaxed(A32C(&c->link)));
}

int fuss_cond_init(fuss_cond_t *c, unsigned flags)
{
    if (flags & ~FUSS_SHARED) return EINVAL;
    if ((flags & FUSS_SHARED) && !(fuss__backend_features() & FUSS_FEATURE_SHARED))
        return ENOTSUP;
    a32_store_relaxed(A32(&c->seq), 0);
    a32_store_relaxed(A32(&c->link), (flags & FUSS_SHARED) ? LINK_SHARED : 0);
    return 0;
}

/* internal/cond.h: how many sleepers a broadcast wakes (the rest it moves). */
#define BROADCAST_WAKE FUSS__COND_BROADCAST_WAKE

/* A destroyer waits for the waiters still inside (row 8): a broadcast or
 * signal released them and they leave when the scheduler next runs them,
 * so it waits as long as INSIDE keeps falling.  INSIDE that stays put
 * belongs to a waiter that is still blocked (destroying then is undefined
 * in POSIX), to a waiter process that died, to threads that did not
 * survive fork() (FORK), or to garbage: after DESTROY_WAIT_NS without a
 * waiter leaving destroy says EBUSY rather than hang (1 s covers any sane
 * run queue; a process-shared condvar, where the dead and the hostile
 * live, gives up after 100 ms, a few scheduling periods). */
#define DESTROY_WAIT_NS 1000000000
#define SHARED_DESTROY_WAIT_NS 100000000
#define DESTROY_NAP_NS 1000000 /* the wake-up (C5) is the norm; this covers garbage */

static uint32_t inside(uint32_t l) { return (l & LINK_INSIDE_MASK) / LINK_INSIDE_ONE; }

int fuss_cond_destroy(fuss_cond_t *c)
{
    a32_t *link = A32(&c->link);
    /* Acquire: pairs with each leaver's release (C5), so nothing a waiter
     * did to the condvar can come after destroy returns. */
    uint32_t l = a32_load_acquire(link);
    if (inside(l) == 0) return 0;
    uint32_t last = inside(l);
    int64_t since = fuss__now_ns();
    for (;;) {
        /* (C7) Ask the last leaver for a wake-up, then sleep on link. */
        if (!(l & LINK_DESTROY)) l = a32_fetch_or_acq(link, LINK_DESTROY) | LINK_DESTROY;
        if (inside(l) == 0) return 0;
        int64_t now = fuss__now_ns();
        if (inside(l) < last) {
            last = inside(l);
            since = now;
        } else if (now - since > ((l & LINK_SHARED) ? SHARED_DESTROY_WAIT_NS : DESTROY_WAIT_NS)) {
            return EBUSY;
        }
        struct fuss__deadline soon;
        (void)fuss__wait(link, l, FUSS_FUTEX_BITSET_ANY,
                         fuss__deadline_cap(&soon, NULL, DESTROY_NAP_NS), link_flags(l));
        l = a32_load_acquire(link);
    }
}

/* The mutex's offset as stored in link, or LINK_MIXED if it cannot be
 * (too far away, or a mutex of the other sharedness). */
static uint32_t encode_mutex(const fuss_cond_t *c, const fuss_mutex_t *m, uint32_t link)
{
    ptrdiff_t off = (const char *)m - (const char *)c;
    if (off == 0 || off % 4 || off / 4 < -LINK_OFFSET_LIMIT || off / 4 >= LINK_OFFSET_LIMIT)
        return LINK_MIXED;
    if (fuss__mutex_futex_flags(m) != link_flags(link))
        return LINK_MIXED;
    /* Masked: a negative offset's sign bits must not reach INSIDE. */
    return ((uint32_t)(int32_t)(off / 4) << LINK_OFFSET_SHIFT) & LINK_OFFSET_MASK;
}

/* link's mutex field after a waiter using want (encode_mutex's result, or
 * LINK_MIXED) registers on link value l: the sole registered waiter may
 * replace whatever an earlier generation left; otherwise a different mutex
 * means broadcast cannot requeue. */
static uint32_t with_mutex(uint32_t l, uint32_t want)
{
    uint32_t cur = l & (LINK_MIXED | LINK_OFFSET_MASK);
    uint32_t to = (cur == want || cur == 0 || (l & LINK_COUNT_MASK) == 0) ? want : LINK_MIXED;
    return (l & ~(LINK_MIXED | LINK_OFFSET_MASK)) | to;
}

static fuss_mutex_t *linked_mutex(fuss_cond_t *c, uint32_t l)
{
    if ((l & LINK_MIXED) || !(l & LINK_OFFSET_MASK)) return NULL;
    /* Sign-extend the field: move its top bit to bit 31, shift back. */
    ptrdiff_t units = (int32_t)((l & LINK_OFFSET_MASK) << LINK_OFFSET_UP) >>
                      (LINK_OFFSET_UP + LINK_OFFSET_SHIFT);
    return (fuss_mutex_t *)(void *)((char *)c + units * 4);
}

static void unlock_mutex(void *m) { (void)fuss_mutex_unlock(m); }

/* (C5) leave: the waiter's last access to the condvar.  Release, so that
 * its reads of seq (and the kernel's comparison, inside the wait that
 * returned before this) happen before destroy's acquire sees INSIDE fall;
 * the wake after it names the address only (NO TOUCH AFTER RELEASE). */
static void leave(fuss_cond_t *c)
{
    a32_t *link = A32(&c->link);
    uint32_t l = a32_fetch_sub_rel(link, LINK_INSIDE_ONE);
    if (inside(l) == 1 && (l & LINK_DESTROY))
        (void)fuss__wake_all(link, link_flags(l));
}

/* (C4): spin on seq for a signal; true if seq moved past v.  A hand-off
 * spin (internal/spin.h, HAND-OFF SPINS): the signal is the partner's
 * answer, as a post is a semaphore waiter's, and a partner that sleeps
 * answers only after its own wake-up. */
static bool spin_for_signal(const a32_t *seq, uint32_t v)
{
    struct fuss__spin sp = fuss__handoff_spin();
    do {
        if (a32_load_relaxed(seq) != v) return true;
    } while (fuss__spin_step(&sp));
    return false;
}

/* (C1): registers the caller and returns the value of seq to sleep on;
 * *sole: no other unsignalled waiter is registered.  m NULL: a mutex of
 * another kind (MIXED).  may_spin: the caller spins if it is the sole
 * waiter (else SLEEPERS is set here).  The caller is counted INSIDE until
 * it leaves (C5).  Returns false, registering nothing, when INSIDE is full
 * (C6). */
static bool register_waiter(fuss_cond_t *c, const fuss_mutex_t *m, bool may_spin,
                            uint32_t *value, bool *sole)
{
    a32_t *link = A32(&c->link);
    uint32_t l = a32_load_relaxed(link), next;
    uint32_t want = m ? encode_mutex(c, m, l) : LINK_MIXED;
    /* First the value, then the registration (ORDERING above).  Never
     * sleep on 0 (C0). */
    a32_t *seq = A32(&c->seq);
    uint32_t v = a32_load_relaxed(seq);
    if (v == 0 && a32_cas_relaxed(seq, &v, 1)) v = 1; /* else v is the new value */
    do {
        if ((l & LINK_INSIDE_MASK) == LINK_INSIDE_MASK) return false; /* (C6) */
        next = with_mutex(l, want);
        if ((l & LINK_COUNT_MASK) != LINK_COUNT_MASK) next += LINK_COUNT_ONE;
        next += LINK_INSIDE_ONE;
        *sole = (next & LINK_COUNT_MASK) == LINK_COUNT_ONE;
        if (!(may_spin && *sole)) next |= LINK_SLEEPERS;
    } while (!a32_cas_rel(link, &l, next));
    if (next & LINK_SLEEPERS) fence_seq_cst(); /* before the futex wait reads seq */
    *value = v;
    return true;
}

/* (C6): INSIDE is full: wait without touching the condvar after the
 * mutex is released (nothing would make destroy wait for us), a nap on a
 * word nobody wakes, and return as a spurious wake-up; the caller's loop
 * re-checks its predicate.  Returns the wait's result (-ETIMEDOUT only at
 * the caller's own deadline). */
#define FULL_NAP_NS 1000000
static int nap_uncounted(const struct fuss__deadline *dl)
{
    static a32_t nobody;
    struct fuss__deadline capped;
    const struct fuss__deadline *until = fuss__deadline_cap(&capped, dl, FULL_NAP_NS);
    int r = fuss__wait(&nobody, 0, FUSS_FUTEX_BITSET_ANY, until, FUSS_PRIVATE);
    return r == -ETIMEDOUT && until != dl ? 0 : r;
}

/* (C4): a spinner that gives up announces its sleep. */
static void mark_sleeper(a32_t *link)
{
    /* Always the write, even if the bit looks set: the Dekker argument
     * (ORDERING) is about this thread's own write.  A system call follows,
     * so the RMW costs nothing worth saving. */
    (void)a32_fetch_or_relaxed(link, LINK_SLEEPERS);
    fence_seq_cst(); /* before the futex wait reads seq */
}

/* (C2, C3): after the seq increment; old: link before our CAS. */
static bool sleepers_seen(const a32_t *link, uint32_t old)
{
    if (old & LINK_SLEEPERS) return true;
    fence_seq_cst();
    return (a32_load_relaxed(link) & LINK_SLEEPERS) != 0;
}

/* The caller's mutex, released and re-acquired: a fuss_mutex_t (h NULL)
 * or the hooks' (HOOKED WAIT). */
static inline int release(fuss_mutex_t *m, struct fuss__cond_hooks *h)
{
    if (h) return h->unlock(h->arg);
    fuss_mutex_unlock(m);
    return 0;
}

/* The futex wait of (C1, C4), with the hooks' code around it.  With hooks
 * (the drop-in) a signal handler's interruption sleeps again, as glibc's
 * pthread_cond_wait does (its tst-eintr5 asserts the wait never returns):
 * still INSIDE, on the value read at (C1), so a signal sent meanwhile
 * makes the wait fail at once (DESTROY-SAFETY covers the repeated wait).
 * fuss_cond_wait returns instead (a spurious wake-up). */
static inline int sleep_on(const a32_t *seq, uint32_t v, const struct fuss__deadline *dl,
                           unsigned flags, struct fuss__cond_hooks *h)
{
    int r;
    if (h) h->before(h->arg);
    do r = fuss__wait(seq, v, FUSS_FUTEX_BITSET_ANY, dl, flags);
    while (h && r == -EINTR);
    if (h) h->after(h->arg);
    return r;
}

/* The one wait, for fuss_cond_wait (h NULL: m is a fuss_mutex_t the caller
 * holds) and for the drop-in (HOOKED WAIT).  Always inlined, so that
 * fuss_cond_wait's copy folds every hook test away. */
static inline __attribute__((always_inline)) int
cond_wait(fuss_cond_t *c, fuss_mutex_t *m, const struct fuss__deadline *dl,
          struct fuss__cond_hooks *h)
{
    if (!h && !fuss__mutex_is_locked(m)) return EPERM;
    a32_t *seq = A32(&c->seq);
    unsigned flags = cond_flags(c);
    bool sole;
    uint32_t v;
    int r;
    /* Spin only as the sole waiter (a hand-off, as in a ping-pong): with
     * others queued the signal will go to them first, and spinners would
     * only take CPU from the threads the wake-ups are for. */
    if (!register_waiter(c, m, true, &v, &sole)) {                                /* (C1) */
        r = release(m, h);                                                        /* (C6) */
        if (r) return r; /* nothing registered, nothing to undo */
        r = nap_uncounted(dl);
    } else if (sole) {                                                            /* (C4) */
        if (h) h->value = v;
        int e = release(m, h);
        if (e) {
            leave(c);                                                             /* (C5) */
            return e;
        }
        if (spin_for_signal(seq, v)) {
            leave(c);                                                             /* (C5) */
            if (h) return h->relock(h->arg, false);
            return fuss_mutex_lock(m); /* never slept: never moved onto the mutex */
        }
        mark_sleeper(A32(&c->link));
        int64_t slept_since = fuss__now_ns();
        r = sleep_on(seq, v, dl, flags, h);
        leave(c);                                                                 /* (C5) */
        if (r == 0) fuss__handoff_slept(fuss__now_ns() - slept_since); /* woken */
    } else if (!h) {
        /* The emulated backend queues us before it releases the mutex, so
         * a wake-up sent as soon as the mutex is free finds us queued. */
        r = fuss__wait_unlock(seq, v, dl, flags, unlock_mutex, m);
        leave(c);                                                                 /* (C5) */
    } else {
        h->value = v;
        int e = release(m, h);
        if (e) {
            leave(c);                                                             /* (C5) */
            return e;
        }
        r = sleep_on(seq, v, dl, flags, h);
        leave(c);                                                                 /* (C5) */
    }
    int e = h ? h->relock(h->arg, true) : fuss__mutex_relock(m, NULL);
    if (e) return e; /* EINVAL: the mutex word is corrupt (mutex.h); the hooks' errors */
    /* 0: woken; EAGAIN: a signal came before we slept; EINTR: a signal
     * handler ran. */
    return r == -ETIMEDOUT ? ETIMEDOUT : 0;
}

int fuss__cond_wait_hooked(fuss_cond_t *c, fuss_mutex_t *m, const struct fuss__deadline *dl,
                           struct fuss__cond_hooks *h)
{
    return cond_wait(c, m, dl, h);
}

/* The cancelled waiter's way out (HOOKED WAIT): a signal sent since it
 * read value may have been its wake-up, so it passes one on before (C5);
 * after (C5) it must not touch the condvar. */
void fuss__cond_cancel_leave(fuss_cond_t *c, uint32_t value)
{
    if (a32_load_relaxed(A32(&c->seq)) != value) (void)fuss_cond_signal(c);
    leave(c);                                                                     /* (C5) */
}

int fuss_cond_wait(fuss_cond_t *c, fuss_mutex_t *m)
{
    return cond_wait(c, m, NULL, NULL);
}

int fuss_cond_timedwait(fuss_cond_t *c, fuss_mutex_t *m, clockid_t clock,
                        const struct timespec *deadline)
{
    struct fuss__deadline dl;
    const struct fuss__deadline *dlp;
    int e = fuss__deadline_make(&dl, clock, deadline, &dlp);
    if (e) return e;
    return cond_wait(c, m, dlp, NULL);
}

/* (C2) */
int fuss_cond_signal(fuss_cond_t *c)
{
    a32_t *link = A32(&c->link);
    uint32_t l = a32_load_relaxed(link), next;
    do {
        uint32_t count = l & LINK_COUNT_MASK;
        if (count == 0) return 0; /* nobody waits: no system call */
        next = count == LINK_COUNT_MASK ? l : l - LINK_COUNT_ONE;
        if ((next & LINK_COUNT_MASK) == 0) next &= ~LINK_SLEEPERS;
    } while (!a32_cas_acq(link, &l, next));
    a32_t *seq = A32(&c->seq);
    (void)a32_fetch_add_relaxed(seq, 1);
    /* Nobody asleep: the waiter spins and sees seq change (no system call) */
    if (sleepers_seen(link, l))
        (void)fuss__wake_one(seq, link_flags(l));
    return 0;
}

/* (C3) */
int fuss_cond_broadcast(fuss_cond_t *c)
{
    a32_t *link = A32(&c->link);
    uint32_t l = a32_load_relaxed(link);
    do {
        if ((l & LINK_COUNT_MASK) == 0) return 0;
    } while (!a32_cas_acq(link, &l, l & ~(LINK_COUNT_MASK | LINK_SLEEPERS)));
    a32_t *seq = A32(&c->seq);
    (void)a32_fetch_add_relaxed(seq, 1);
    if (!sleepers_seen(link, l)) return 0; /* only spinners: they see seq */
    unsigned flags = link_flags(l);
    /* A process-shared condvar's link word is written by other processes:
     * trusting it would let a crashed or hostile sharer aim our requeue and
     * mark_parked at any word within 512 KiB.  Shared condvars wake all.
     * The mutex is the one recorded by the generation we just released. */
    fuss_mutex_t *m = flags == FUSS_SHARED ? NULL : linked_mutex(c, l);
    if (m) {
        /* Wake BROADCAST_WAKE and move the rest onto the mutex.
         * mark_parked then makes the mutex's next unlock wake the first
         * of those moved, or wakes it itself if the mutex is free.  Plain
         * requeue is enough (no compare): every waiter that registered
         * before our CAS either sleeps now (and is woken or moved) or
         * fails its wait; later ones are merely moved early (a spurious
         * wake-up). */
        int r = fuss__requeue(seq, NULL, BROADCAST_WAKE, INT_MAX, A32(&m->word), flags);
        if (r >= 0) {
            if (r > 0) fuss__mutex_mark_parked(m); /* someone was moved */
            return 0;
        }
    }
    (void)fuss__wake_all(seq, flags);
    return 0;
}
