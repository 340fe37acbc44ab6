/*
 * cond.c — fuss_cond_t, a condition variable in two 32-bit words.
 *
 * WORD 0: seq (the futex word waiters sleep on)
 *   bits   name    meaning
 *   0-9    COUNT   an upper bound on the number of blocked waiters; at
 *                  COUNT_MAX it is sticky ("many") until a broadcast
 *   10-31  SEQ     incremented (by SEQ_ONE, wrapping) by every signal and
 *                  broadcast that finds COUNT > 0
 *
 *   Transitions:
 *   (C1) register   a waiter, holding the mutex: COUNT += 1 (unless MAX);
 *                   the new value is the one it sleeps on
 *   (C2) signal     COUNT > 0: SEQ += 1, COUNT -= 1 (unless MAX), one CAS;
 *                   then wake one sleeper
 *   (C3) broadcast  COUNT > 0: SEQ += 1, COUNT = 0, one CAS; then wake one
 *                   and move the rest onto the mutex (or wake all)
 *   Nothing else writes seq.  In particular a waiter never writes it again
 *   after (C1): a timed-out or spuriously woken waiter leaves its count
 *   behind.  COUNT may thus exceed the true number of waiters (a later
 *   signal spends one system call on nobody and removes it); it never falls
 *   below it, which is what signal's "nobody waits" shortcut relies on.
 *
 * WORD 1: link
 *   bit 0      SHARED  set at init, constant: use process-shared futex calls
 *   bit 1      MIXED   waiters used different mutexes: broadcast wakes all
 *   bits 2-6   SPIN    waiters spinning on seq after releasing the mutex
 *                      (C4, C5); destroy waits until it is 0
 *   bit 7      DESTROY a destroyer sleeps on link until SPIN is 0; set by
 *                      destroy, never cleared (the object is dead)
 *   bits 8-31  the mutex's address minus the condvar's, in 4-byte units
 *              (signed, so within 32 MiB); 0 = unknown.  An offset, not a
 *              pointer, so it is the same in every process mapping a shared
 *              segment.  A mutex further away counts as MIXED.
 *   The offset is written by waiters (C1) only, by CAS so SPIN is kept; it
 *   is read by broadcast, and only for a private condvar: in shared memory
 *   it could be garbage written by another process, so a process-shared
 *   broadcast wakes every waiter instead.
 *
 *   (C4) spin     after (C1), holding the mutex, if it is the only waiter
 *                 registered: SPIN += 1 unless it is at its maximum (then
 *                 the waiter just sleeps); release the
 *                 mutex; read seq for up to the spin budget (spin.h): a
 *                 changed SEQ is the signal, and the waiter re-locks the
 *                 mutex plainly (it never slept, so it was never moved onto
 *                 the mutex's queue).  Otherwise it sleeps as in (C1).
 *   (C5) unspin   SPIN -= 1: the spinner's last access to the condvar.  On
 *                 the emulated backend it comes after the waiter is queued
 *                 (fuss__wait_unlock), since queueing reads seq.
 *
 * SPLIT WAIT (the pthread drop-in, internal/cond.h).  fuss__cond_wait_begin
 * performs (C1) for a caller that releases and re-acquires the mutex itself
 * (an owned mutex, or glibc's own for a priority-ceiling mutex): it links
 * the given fuss_mutex_t, or, for NULL, sets MIXED so that broadcast (C3)
 * wakes all instead of moving waiters onto a word of another format.  The
 * caller then sleeps with fuss__wait on &c->seq expecting the returned value
 * and the returned flags: exactly the steps of cond_wait below, so the
 * table's rows hold unchanged.

 * NO LOST WAKE-UP.  A waiter registers and reads the value it will sleep on
 * in one atomic step (C1), while holding the mutex.  A signaller that
 * changed the predicate under the mutex therefore sees COUNT > 0 for every
 * waiter that checked the predicate before the change, and its SEQ
 * increment makes the futex wait of a waiter that has not yet slept fail
 * (EAGAIN), which the waiter takes as its wake-up.  A sleeper is woken by
 * the wake in (C2) or moved/woken in (C3).  SEQ has 22 bits: a waiter would
 * have to be stopped between releasing the mutex and sleeping for 4 million
 * signals for a stale value to match (the ABA window of every sequence
 * condvar; glibc's is wider, Rust std's is the same).
 *
 * DESTROY-SAFETY.  After its futex wait returns, a waiter only re-locks the
 * mutex: it never reads the condvar again, so a condvar may be destroyed and
 * freed as soon as no thread is blocked on it (POSIX).  Between releasing
 * the mutex and sleeping, a waiter counts as blocked and a broadcast may
 * release it: fuss__wait_unlock makes sure the backend does not read seq
 * after the release (the emulated backend queues the waiter before it
 * releases the mutex; the kernel answers EFAULT for a vanished word).
 *
 * ORDERING.  Every access here is relaxed: the mutex orders the waiter's
 * registration against the signaller's predicate change, and the futex
 * calls order the sleep against the wake (Rust std's futex condvar argues
 * the same).  The mutex is released and re-acquired with its own orders.
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

#define COUNT_MASK 0x3ffu
#define COUNT_MAX  COUNT_MASK
#define SEQ_ONE    0x400u

#define LINK_SHARED 0x1u
#define LINK_MIXED  0x2u
#define LINK_SPIN_ONE  0x4u
#define LINK_SPIN_MASK 0x7cu
#define LINK_DESTROY   0x80u
#define LINK_OFFSET_SHIFT 8
#define LINK_OFFSET_MASK 0xffffff00u
#define LINK_OFFSET_LIMIT (1 << 23) /* 4-byte units either way */

static unsigned cond_flags(const fuss_cond_t *c)
{
    return (a32_load_relaxed(A32C(&c->link)) & LINK_SHARED) ? FUSS_SHARED : FUSS_PRIVATE;
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

/* A destroyer waits for spinners (C5) that a broadcast or signal has
 * already released: they leave within the spin budget, or when the
 * scheduler runs them again (1 s covers any sane run queue).  SPIN could be
 * garbage (another process's, in shared memory, or corruption): give up
 * then and say EBUSY rather than hang; a shared condvar gives up after
 * 10 ms, since there the garbage may be deliberate. */
#define DESTROY_WAIT_NS 1000000000
#define SHARED_DESTROY_WAIT_NS 10000000

int fuss_cond_destroy(fuss_cond_t *c)
{
    const a32_t *link = A32C(&c->link);
    int64_t start = 0;
    for (uint32_t l; ((l = a32_load_acquire(link)) & LINK_SPIN_MASK) != 0;) {
        int64_t now = fuss__now_ns();
        if (!start) start = now;
        if (now - start > ((l & LINK_SHARED) ? SHARED_DESTROY_WAIT_NS : DESTROY_WAIT_NS))
            return EBUSY;
        /* Ask the last spinner for a wake-up (C5), and sleep on link. */
        if (!(l & LINK_DESTROY)) l = a32_fetch_or_relaxed(A32(&c->link), LINK_DESTROY) | LINK_DESTROY;
        struct fuss__deadline soon;
        (void)fuss__wait(link, l, FUSS_FUTEX_BITSET_ANY,
                         fuss__deadline_cap(&soon, NULL, 50000),
                         (l & LINK_SHARED) ? FUSS_SHARED : FUSS_PRIVATE);
    }
    return 0;
}

/* The mutex's offset as stored in link, or LINK_MIXED if it cannot be
 * (too far away, or a mutex of the other sharedness). */
static uint32_t encode_mutex(const fuss_cond_t *c, const fuss_mutex_t *m, uint32_t link)
{
    ptrdiff_t off = (const char *)m - (const char *)c;
    if (off == 0 || off % 4 || off / 4 < -LINK_OFFSET_LIMIT || off / 4 >= LINK_OFFSET_LIMIT)
        return LINK_MIXED;
    if (fuss__mutex_futex_flags(m) != ((link & LINK_SHARED) ? FUSS_SHARED : FUSS_PRIVATE))
        return LINK_MIXED;
    return (uint32_t)(int32_t)(off / 4) << LINK_OFFSET_SHIFT;
}

/* Record which mutex the waiters use, for broadcast's requeue.  Called with
 * the mutex held, before registering; sole_waiter: no one else registered. */
static void link_mutex(fuss_cond_t *c, const fuss_mutex_t *m, bool sole_waiter)
{
    a32_t *link = A32(&c->link);
    uint32_t l = a32_load_relaxed(link);
    uint32_t want = encode_mutex(c, m, l);
    uint32_t cur = l & (LINK_MIXED | LINK_OFFSET_MASK);
    /* Alone, we may replace whatever an earlier generation left; otherwise
     * a different mutex means broadcast cannot requeue.  CAS: spinners
     * change SPIN concurrently (C4, C5). */
    while (cur != want) {
        uint32_t to = (sole_waiter || cur == 0) ? want : LINK_MIXED;
        uint32_t keep = l & (LINK_SHARED | LINK_SPIN_MASK | LINK_DESTROY);
        if (a32_cas_relaxed(link, &l, keep | to)) return;
        cur = l & (LINK_MIXED | LINK_OFFSET_MASK);
    }
}

static fuss_mutex_t *linked_mutex(fuss_cond_t *c)
{
    uint32_t l = a32_load_relaxed(A32C(&c->link));
    if ((l & LINK_MIXED) || !(l & LINK_OFFSET_MASK)) return NULL;
    ptrdiff_t units = (int32_t)(l & LINK_OFFSET_MASK) >> LINK_OFFSET_SHIFT;
    return (fuss_mutex_t *)(void *)((char *)c + units * 4);
}

static void unlock_mutex(void *m) { (void)fuss_mutex_unlock(m); }

/* (C4): join the spinners unless there are already as many as SPIN holds. */
static bool enter_spin(a32_t *link)
{
    uint32_t l = a32_load_relaxed(link);
    do {
        if ((l & LINK_SPIN_MASK) == LINK_SPIN_MASK) return false;
    } while (!a32_cas_relaxed(link, &l, l + LINK_SPIN_ONE));
    return true;
}

/* (C5): the release pairs with destroy's acquire load of SPIN. */
static void leave_spin(void *c)
{
    a32_t *link = A32(&((fuss_cond_t *)c)->link);
    uint32_t l = a32_fetch_sub_rel(link, LINK_SPIN_ONE);
    /* A destroyer may be sleeping on link for the last spinner. */
    if ((l & LINK_SPIN_MASK) == LINK_SPIN_ONE && (l & LINK_DESTROY))
        (void)fuss__wake_all(link, (l & LINK_SHARED) ? FUSS_SHARED : FUSS_PRIVATE);
}

/* (C4): spin on seq for a signal; true if SEQ moved past v's. */
static bool spin_for_signal(const a32_t *seq, uint32_t v)
{
    struct fuss__spin sp = FUSS__SPIN_INIT;
    do {
        if ((a32_load_relaxed(seq) ^ v) & ~COUNT_MASK) return true;
    } while (fuss__spin_step(&sp));
    return false;
}

/* (C1) */
static uint32_t register_waiter(a32_t *seq)
{
    uint32_t s = a32_load_relaxed(seq), next;
    do {
        next = (s & COUNT_MASK) == COUNT_MAX ? s : s + 1;
    } while (!a32_cas_relaxed(seq, &s, next));
    return next;
}

uint32_t fuss__cond_wait_begin(fuss_cond_t *c, const fuss_mutex_t *m, unsigned *flags)
{
    a32_t *seq = A32(&c->seq);
    *flags = cond_flags(c);
    if (m) {
        link_mutex(c, m, (a32_load_relaxed(seq) & COUNT_MASK) == 0);
    } else {
        a32_t *link = A32(&c->link);
        uint32_t l = a32_load_relaxed(link);
        if (!(l & LINK_MIXED)) (void)a32_fetch_or_relaxed(link, LINK_MIXED); /* keeps SPIN */
    }
    return register_waiter(seq);                                                  /* (C1) */
}

static int cond_wait(fuss_cond_t *c, fuss_mutex_t *m, const struct fuss__deadline *dl)
{
    if (!fuss__mutex_is_locked(m)) return EPERM;
    a32_t *seq = A32(&c->seq);
    unsigned flags = cond_flags(c);
    link_mutex(c, m, (a32_load_relaxed(seq) & COUNT_MASK) == 0);
    uint32_t v = register_waiter(seq);
    int r;
    /* Spin only as the sole waiter (a hand-off, as in a ping-pong): with
     * others queued the signal will go to them first, and spinners would
     * only take CPU from the threads the wake-ups are for. */
    bool sole = (v & COUNT_MASK) == 1;
    if (sole && enter_spin(A32(&c->link))) {                                      /* (C4) */
        fuss_mutex_unlock(m);
        if (spin_for_signal(seq, v)) {
            leave_spin(c);                                                        /* (C5) */
            return fuss_mutex_lock(m); /* never slept: never moved onto the mutex */
        }
        /* The backend calls leave_spin once seq will not be read again. */
        r = fuss__wait_unlock(seq, v, dl, flags, leave_spin, c);
    } else {
        /* Once the mutex is released a broadcast may wake us and its caller
         * free the condvar: the backend releases it for us at the point
         * after which it never reads seq again (internal/wait.h). */
        r = fuss__wait_unlock(seq, v, dl, flags, unlock_mutex, m);
    }
    int e = fuss__mutex_relock(m, NULL);
    if (e) return e; /* EINVAL: the mutex word is corrupt (mutex.h) */
    /* 0: woken; EAGAIN: a signal came before we slept (or another waiter
     * registered: a spurious wake-up); EINTR: a signal handler ran; EFAULT:
     * the condvar is already gone (destroyed after a broadcast). */
    return r == -ETIMEDOUT ? ETIMEDOUT : 0;
}

int fuss_cond_wait(fuss_cond_t *c, fuss_mutex_t *m)
{
    return cond_wait(c, m, NULL);
}

int fuss_cond_timedwait(fuss_cond_t *c, fuss_mutex_t *m, clockid_t clock,
                        const struct timespec *deadline)
{
    struct fuss__deadline dl;
    const struct fuss__deadline *dlp;
    int e = fuss__deadline_make(&dl, clock, deadline, &dlp);
    if (e) return e;
    return cond_wait(c, m, dlp);
}

/* (C2) */
int fuss_cond_signal(fuss_cond_t *c)
{
    a32_t *seq = A32(&c->seq);
    uint32_t s = a32_load_relaxed(seq), next;
    do {
        if ((s & COUNT_MASK) == 0) return 0; /* nobody waits: no system call */
        next = s + SEQ_ONE - ((s & COUNT_MASK) == COUNT_MAX ? 0 : 1);
    } while (!a32_cas_relaxed(seq, &s, next));
    (void)fuss__wake_one(seq, cond_flags(c));
    return 0;
}

/* (C3) */
int fuss_cond_broadcast(fuss_cond_t *c)
{
    a32_t *seq = A32(&c->seq);
    uint32_t s = a32_load_relaxed(seq), next;
    do {
        if ((s & COUNT_MASK) == 0) return 0;
        next = (s + SEQ_ONE) & ~COUNT_MASK;
    } while (!a32_cas_relaxed(seq, &s, next));
    unsigned flags = cond_flags(c);
    /* A process-shared condvar's link word is written by other processes:
     * trusting it would let a crashed or hostile sharer aim our requeue and
     * mark_parked at any word within 2 GiB.  Shared condvars wake all. */
    fuss_mutex_t *m = flags == FUSS_SHARED ? NULL : linked_mutex(c);
    if (m) {
        /* Plain requeue is enough (no compare): every waiter that registered
         * before our SEQ change either sleeps now (and is woken or moved) or
         * fails its wait; later ones are merely woken early. */
        int r = fuss__requeue(seq, NULL, 1, INT_MAX, A32(&m->word), flags);
        if (r >= 0) {
            if (r > 1) fuss__mutex_mark_parked(m); /* someone was moved */
            return 0;
        }
    }
    (void)fuss__wake_all(seq, flags);
    return 0;
}
