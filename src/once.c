/*
 * Once: a 4-byte state word.
 *
 * STATE WORD (fuss_once_t.state_)
 *
 *   row  value  name          meaning / who moves it
 *   (1)  0      NEW           fn not started.  Initial (all-zero).
 *   (2)  1      RUNNING       one thread runs fn; nobody sleeps yet.
 *                             Set by the thread that wins NEW -> RUNNING (T1).
 *   (3)  2      RUNNING_WAIT  fn runs and a caller may sleep on the word.
 *                             Set by a caller before it sleeps (T2).
 *   (4)  3      DONE          fn has returned.  Set by the runner (T3); final.
 *   (5)  bit 31 SHARED        set by fuss_once_init(FUSS_SHARED), never changed;
 *                             rows (1)-(4) are the value without it.  Any other
 *                             value is garbage (another process's, in shared
 *                             memory): fuss_once answers EINVAL.
 *
 * TRANSITIONS
 *   T1 NEW -> RUNNING             CAS (acquire) by the caller that will run fn
 *   T2 RUNNING -> RUNNING_WAIT    CAS (relaxed) by a caller that will sleep
 *   T3 RUNNING | RUNNING_WAIT -> DONE   exchange (release) by the runner, which
 *                                 wakes all if the old value was RUNNING_WAIT
 *   T4 RUNNING | RUNNING_WAIT -> NEW    exchange (release) by the runner when
 *                                 fn was cancelled (fuss__once_abandon, the
 *                                 pthread drop-in: POSIX pthread_once); wakes
 *                                 all if the old value was RUNNING_WAIT, and
 *                                 the woken callers start over at T1
 *   No other transition exists; DONE is final.  Every transition keeps SHARED.
 *
 * NO LOST WAKE-UP.  A caller sleeps only expecting RUNNING_WAIT; the runner's
 * exchange returns RUNNING_WAIT to it in that case, so it wakes everyone.
 *
 * NO TOUCH AFTER RELEASE (DESIGN.md, "Lifecycle rules").  The runner's
 * last access to the word is T3's exchange (T4's for an abandoned run):
 * from then on every caller may return, and the program may free the
 * fuss_once_t (a heap object's once, a shared mapping unmapped).  The wake
 * after it names the address, with the SHARED flag read before fn ran and
 * the exchange's own result deciding whether to wake.  (Looked at for
 * issue 22: no violation.)
 *
 * KILLED WAKER.  In a process-shared once the runner may be killed between
 * T3's exchange and its wake (DESIGN.md, "Lifecycle rules"): the once is
 * DONE, which is final, and nobody would ever wake the callers asleep on
 * RUNNING_WAIT.  So a shared once's sleeps end after FUSS__SLICE_NS at the
 * latest (fuss__wait_sliced, internal/spin.h, KILLED WAKER) and the caller
 * looks at the word again: such a death delays it by one slice, for ten
 * wake-ups a second of a caller that sleeps long.  Private sleeps are not
 * capped (no idle wake-ups).  Only the sleeping path pays; the DONE fast
 * path is unchanged.  (A runner killed inside fn leaves
 * RUNNING for ever, as a thread that never returns from fn would: its
 * callers wait, looking again every slice.)
 *
 * ORDERING.  T3 is a release and every caller that sees DONE does so with an
 * acquire load, so fn's writes happen before each caller returns.  T1 is an
 * acquire only for symmetry; T2 is relaxed (it carries no data).
 */
#include <errno.h>
#include <stdint.h>

#include "fuss/once.h"
#include "internal/assert.h"
#include "internal/atomic.h"
#include "internal/once.h"
#include "internal/spin.h"
#include "internal/wait.h"

#define ONCE_NEW          0u /* row (1) */
#define ONCE_RUNNING      1u /* row (2) */
#define ONCE_RUNNING_WAIT 2u /* row (3) */
#define ONCE_DONE         3u /* row (4) */
#define ONCE_SHARED       0x80000000u /* row (5) */

static unsigned once_flags(uint32_t s) { return (s & ONCE_SHARED) ? FUSS_SHARED : FUSS_PRIVATE; }

int fuss_once_init(fuss_once_t *o, unsigned flags)
{
    if (flags & ~FUSS_SHARED) return EINVAL;
    if ((flags & FUSS_SHARED) && !(fuss__backend_features() & FUSS_FEATURE_SHARED))
        return ENOTSUP;
    a32_store_relaxed(A32(&o->state_), (flags & FUSS_SHARED) ? ONCE_SHARED : ONCE_NEW);
    return 0;
}

static int once_slow(fuss_once_t *o, void (*fn)(void), void (*fn_arg)(void *), void *arg)
{
    a32_t *w = A32(&o->state_);
    uint32_t s = a32_load_acquire(w);
    const uint32_t sh = s & ONCE_SHARED; /* constant: row (5) */
    for (;;) {
        if ((s & ONCE_SHARED) != sh) return EINVAL;                        /* row (5) */
        switch (s & ~ONCE_SHARED) {
        case ONCE_DONE:                                                    /* row (4) */
            /* s may come from a failed (relaxed) CAS: read DONE again with
             * acquire, or fn's writes might not be visible yet. */
            (void)a32_load_acquire(w);
            return 0;
        case ONCE_NEW:                                                     /* T1 */
            if (!a32_cas_acq(w, &s, ONCE_RUNNING | sh)) continue;
            if (fn) fn(); else fn_arg(arg);
            if (a32_swap_rel(w, ONCE_DONE | sh) == (ONCE_RUNNING_WAIT | sh)) /* T3 */
                fuss__wake_all(w, once_flags(sh));
            return 0;
        case ONCE_RUNNING:                                                 /* T2 */
            if (!a32_cas_relaxed(w, &s, ONCE_RUNNING_WAIT | sh)) continue;
            /* fall through */
        case ONCE_RUNNING_WAIT: {
            /* KILLED WAKER: a shared word's sleep looks again after a slice;
             * EINVAL: SHARED garbage on a backend without shared futexes. */
            int e = fuss__wait_sliced(w, ONCE_RUNNING_WAIT | sh, NULL, once_flags(sh), "fuss_once");
            if (e) return e;
            s = a32_load_acquire(w);
            continue;
        }
        default:
            return EINVAL; /* garbage: no state of the table */
        }
    }
}

int fuss_once(fuss_once_t *o, void (*fn)(void))
{
    if (__builtin_expect((a32_load_acquire(A32C(&o->state_)) & ~ONCE_SHARED) == ONCE_DONE, 1))
        return 0;
    return once_slow(o, fn, NULL, NULL);
}

int fuss_once_arg(fuss_once_t *o, void (*fn)(void *), void *arg)
{
    if (__builtin_expect((a32_load_acquire(A32C(&o->state_)) & ~ONCE_SHARED) == ONCE_DONE, 1))
        return 0;
    return once_slow(o, NULL, fn, arg);
}

/* T4: the runner's fn was cancelled; let another caller run it. */
void fuss__once_abandon(fuss_once_t *o)
{
    a32_t *w = A32(&o->state_);
    uint32_t sh = a32_load_relaxed(w) & ONCE_SHARED;
    if (a32_swap_rel(w, ONCE_NEW | sh) == (ONCE_RUNNING_WAIT | sh))
        fuss__wake_all(w, once_flags(sh));
}
