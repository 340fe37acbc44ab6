/*
 * Counting semaphore: one 64-bit word, value in the low half (the futex word
 * sleepers wait on), registered sleepers in the high half.
 *
 * STATE WORD (fuss_sem_t.state_, 64 bits)
 *
 *   row  bits    name     meaning / who sets, who clears
 *   (1)  0..30   VALUE    units available.  post: +1 (T1); a waiter: -1 (T3, T5).
 *        31      -        always 0 (so the low half stays a valid int).
 *   (2)  32..62  WAITERS  threads that registered to sleep.  A waiter: +1 before
 *                         it sleeps (T4); -1 when it leaves, in the same CAS that
 *                         takes its unit (T5) or alone when it gives up (T6).
 *   (3)  63      SHARED   set by fuss_sem_init(FUSS_SHARED), never changed.
 *
 * TRANSITIONS (v = VALUE, n = WAITERS)
 *   T1 post       (v, n) -> (v+1, n)    if v < MAX; then wake one if n > 0
 *   T2 post       (MAX, n) unchanged    EOVERFLOW
 *   T3 take       (v, n) -> (v-1, n)    if v > 0 (trywait, fast path, spin)
 *   T4 register   (v, n) -> (v, n+1)    before sleeping
 *   T5 take       (v, n) -> (v-1, n-1)  if v > 0, by a registered waiter
 *   T6 give up    (v, n) -> (v, n-1)    deadline passed and v == 0
 *
 *   T7 cancelled (v, n) -> (v, n-1)    a registered waiter cancelled while
 *                                       asleep (fuss__sem_cancel_leave); then
 *                                       wake one if v > 0 and n-1 > 0, passing
 *                                       on a wake-up it may have consumed
 *
 * NO LOST WAKE-UP.  A waiter registers (T4) before it last sees v == 0 and
 * sleeps on the value half expecting 0.  A post that makes v > 0 after T4
 * sees n > 0 in the very CAS that adds the unit (T1), so it wakes; a post
 * before the waiter's last check left v > 0, which the check sees, or which
 * makes the futex wait return EAGAIN.  Each post wakes one: k posts wake k
 * sleepers, and a woken sleeper that loses its unit to a barging thread
 * sleeps again, still registered, so a later post wakes it.
 *
 * NO TOUCH AFTER RELEASE (DESIGN.md, "Lifecycle rules").  A post's last
 * access to the semaphore is T1's CAS: from then on a waiter may take the
 * unit, return, and destroy and free the semaphore (POSIX allows destroy
 * once no thread is blocked in it).  The wake after T1 names the value
 * half's address, and its flags (SHARED) and whether anyone registered come
 * from the value the CAS returned, never from a second read.  The other
 * calls hold nothing another thread waits for: a waiter leaving (T5, T6,
 * T7) may still be counted in WAITERS until its CAS, and T7's wake after
 * its decrement names the address only, so a destroy that sees WAITERS 0
 * never races it either.  (Looked at for issue 22: no violation.)
 *
 * KILLED WAKER.  A process-shared semaphore's poster may be killed between
 * T1's CAS and its wake (DESIGN.md, "Lifecycle rules"): the unit is there,
 * WAITERS counts the sleeper, and nobody will ever wake it.  So a shared
 * semaphore's sleeps end after FUSS__SLICE_NS at the latest
 * (fuss__slice_cap, internal/spin.h, KILLED WAKER) and the waiter looks at
 * the word again: such a death delays it by one slice, for ten wake-ups a
 * second of a thread that sleeps long.  Private sleeps are not capped (no
 * idle wake-ups).  The fast paths (T3 without a sleep) are unchanged.
 *
 * HOSTILE WORDS.  SHARED garbage on a backend without process-shared
 * futexes (where init refuses FUSS_SHARED) makes the wait answer ENOTSUP:
 * the waiter withdraws its registration (as T6) and answers EINVAL, never
 * an abort.  Other garbage is a value like any other: at worst a waiter
 * sleeps (capped, above) or takes a unit nobody posted.
 *
 * FORK.  In a fork() child only the forking thread exists (DESIGN.md,
 * "Lifecycle rules"), but WAITERS still counts the parent's sleepers, who
 * are not there.  They cost the child's posts a wake-up with nobody to wake
 * and its waiters their spin (sem_spin defers to registered sleepers), and
 * they made destroy answer EBUSY for ever, where glibc's sem_destroy
 * answers 0.  No field has room for a process id (VALUE and WAITERS take
 * 31 bits each), and destroy with waiters is undefined in POSIX anyway; so
 * destroy keeps its EBUSY, a cheap check of a common mistake, only where a
 * waiter can exist: a private semaphore's waiters are threads of this
 * process, so when the caller is the only thread (internal/sole_thread.h,
 * a few system calls on this error path only) WAITERS is stale and destroy
 * answers 0.  A child that has started threads of its own before destroying
 * still gets EBUSY from the stale count: fuss_sem_init() starts afresh (as
 * sem.h says).  A shared semaphore's waiters may be in other processes,
 * the parent included: its answer is unchanged.  No fast path changes.
 *
 * ORDERING.  A post publishes the poster's writes: T1 is a release CAS and
 * every successful take (T3, T5) is an acquire CAS, so each unit carries a
 * happens-before edge from its post to its taker.  T4 and T6 only count and
 * are relaxed; the futex wait's own atomic compare (internal/wait.h) is what
 * orders the sleep against the post's wake.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "fuss/sem.h"
#include "internal/assert.h"
#include "internal/atomic64.h"
#include "internal/sem.h"
#include "internal/sole_thread.h"
#include "internal/spin.h"
#include "internal/wait.h"

#define SEM_VALUE_MASK  UINT64_C(0x000000007fffffff) /* row (1) */
#define SEM_WAITER_ONE  UINT64_C(0x0000000100000000) /* row (2) */
#define SEM_WAITER_MASK UINT64_C(0x7fffffff00000000)
#define SEM_SHARED      FUSS__SEM_SHARED             /* row (3), internal/sem.h */

FUSS_STATIC_ASSERT(FUSS_SEM_VALUE_MAX == SEM_VALUE_MASK, "max value is the VALUE field");

static inline a64_t *sem_word(fuss_sem_t *s) { return A64(&s->state_); }
static inline uint32_t sem_value(uint64_t st) { return (uint32_t)(st & SEM_VALUE_MASK); }
static inline uint64_t sem_waiters(uint64_t st) { return (st & SEM_WAITER_MASK) / SEM_WAITER_ONE; }
static inline unsigned sem_flags(uint64_t st) { return (st & SEM_SHARED) ? FUSS__SHARED : 0u; }

int fuss_sem_init(fuss_sem_t *s, unsigned value, unsigned flags)
{
    if (flags & ~FUSS_SHARED) return EINVAL;
    if (value > FUSS_SEM_VALUE_MAX) return EINVAL;
    if ((flags & FUSS_SHARED) && !(fuss__backend_features() & FUSS_FEATURE_SHARED))
        return ENOTSUP;
    s->state_ = value | ((flags & FUSS_SHARED) ? SEM_SHARED : 0);
    return 0;
}

int fuss_sem_destroy(fuss_sem_t *s)
{
    uint64_t st = a64_load_relaxed(sem_word(s));
    if (!sem_waiters(st)) return 0;
    /* FORK: a private count with nobody but us in the process is stale. */
    if (!(st & SEM_SHARED) && fuss__sole_thread()) return 0;
    return EBUSY;
}

int fuss_sem_getvalue(const fuss_sem_t *s, unsigned *value)
{
    *value = sem_value(a64_load_relaxed(A64C(&s->state_)));
    return 0;
}

int fuss_sem_post(fuss_sem_t *s)
{
    a64_t *w = sem_word(s);
    uint64_t st = a64_load_relaxed(w);
    do {
        if (sem_value(st) == FUSS_SEM_VALUE_MAX) return EOVERFLOW; /* T2 */
    } while (!a64_cas_rel(w, &st, st + 1));                         /* T1 */
    if (sem_waiters(st))
        fuss__wake_one(a64_low_half(w), sem_flags(st));
    return 0;
}

/* T3: take a unit if there is one, without registering. */
static inline int sem_take(a64_t *w)
{
    uint64_t st = a64_load_relaxed(w);
    while (sem_value(st) > 0)
        if (a64_cas_acq(w, &st, st - 1)) return 0;
    return EAGAIN;
}

int fuss_sem_trywait(fuss_sem_t *s) { return sem_take(sem_word(s)); }

/* Spin with relaxed loads (no cache-line ping-pong) until a unit shows up or
 * the time budget (internal/spin.h) is spent.  Not while others are
 * registered to sleep: they are first in line, and a spinner would only
 * steal the unit a post is waking one of them for. */
static int sem_spin(a64_t *w)
{
    struct fuss__spin sp = fuss__handoff_spin(); /* internal/spin.h: HAND-OFF SPINS */
    while (fuss__spin_step(&sp)) {
        uint64_t st = a64_load_relaxed(w);
        if (sem_waiters(st)) break;
        if (sem_value(st) > 0 && sem_take(w) == 0) return 0;
    }
    return EAGAIN;
}

/* Registered waiter leaves: T5 if a unit is there, else T6 (-> ETIMEDOUT). */
static int sem_leave(a64_t *w)
{
    uint64_t st = a64_load_relaxed(w);
    for (;;) {
        if (sem_value(st) > 0) {
            if (a64_cas_acq(w, &st, st - 1 - SEM_WAITER_ONE)) return 0; /* T5 */
        } else if (a64_cas_relaxed(w, &st, st - SEM_WAITER_ONE)) {
            return ETIMEDOUT;                                          /* T6 */
        }
    }
}

static int sem_wait_slow(a64_t *w, const struct fuss__deadline *dl,
                         const struct fuss__sleep_hooks *hooks)
{
    if (sem_spin(w) == 0) return 0;
    uint64_t st = a64_fetch_add_relaxed(w, SEM_WAITER_ONE) + SEM_WAITER_ONE; /* T4 */
    unsigned flags = sem_flags(st);
    int64_t slept_since = 0; /* the first sleep's start, to tune the spin */
    for (;;) {
        while (sem_value(st) > 0)
            if (a64_cas_acq(w, &st, st - 1 - SEM_WAITER_ONE)) return 0; /* T5 */
        if (hooks) hooks->before(hooks->arg);
        bool first_sleep = slept_since == 0;
        if (first_sleep) slept_since = fuss__now_ns();
        struct fuss__deadline capped; /* KILLED WAKER: look again after a slice */
        const struct fuss__deadline *until = fuss__slice_cap(&capped, dl, flags);
        int r = fuss__wait(a64_low_half(w), 0, FUSS_FUTEX_BITSET_ANY, until, flags);
        if (first_sleep && r == 0) fuss__handoff_slept(fuss__now_ns() - slept_since);
        if (hooks) hooks->after(hooks->arg);
        if (r == -ENOTSUP) { /* HOSTILE WORDS: SHARED garbage, no shared futexes */
            a64_fetch_add_relaxed(w, -SEM_WAITER_ONE); /* as T6 */
            return EINVAL;
        }
        if (r == -ETIMEDOUT && until == dl) return sem_leave(w);
        /* POSIX sem_wait reports a signal handler's interruption; fuss's own
         * API retries.  The drop-in (hooks) wants the former. */
        if (r == -EINTR && hooks) return sem_leave(w) ? EINTR : 0;
        /* -ETIMEDOUT here: the slice ended, not the caller's deadline. */
        fuss__require(r == 0 || r == -EAGAIN || r == -EINTR || r == -ETIMEDOUT,
                      "fuss_sem_wait: futex wait failed (%d)", r);
        st = a64_load_relaxed(w);
    }
}

int fuss_sem_wait(fuss_sem_t *s)
{
    if (sem_take(sem_word(s)) == 0) return 0;
    return sem_wait_slow(sem_word(s), NULL, NULL);
}

int fuss_sem_timedwait(fuss_sem_t *s, clockid_t clock, const struct timespec *deadline)
{
    struct fuss__deadline dl;
    const struct fuss__deadline *dlp;
    int e = fuss__deadline_make(&dl, clock, deadline, &dlp);
    if (e) return e;
    if (sem_take(sem_word(s)) == 0) return 0;
    return sem_wait_slow(sem_word(s), dlp, NULL);
}

/* ---- for the pthread drop-in (internal/sem.h) ------------------------------ */

int fuss__sem_wait_hooked(fuss_sem_t *s, const struct fuss__deadline *dl,
                          const struct fuss__sleep_hooks *hooks)
{
    if (sem_take(sem_word(s)) == 0) return 0;
    return sem_wait_slow(sem_word(s), dl, hooks);
}

/* T7 */
void fuss__sem_cancel_leave(fuss_sem_t *s)
{
    a64_t *w = sem_word(s);
    uint64_t st = a64_fetch_add_relaxed(w, -SEM_WAITER_ONE) - SEM_WAITER_ONE;
    if (sem_value(st) > 0 && sem_waiters(st) > 0)
        (void)fuss__wake_one(a64_low_half(w), sem_flags(st));
}
