/*
 * Once: a 4-byte state word.
 *
 * STATE WORD (fuss_once_t.state_)
 *
 *   row  bits/value  name          meaning / who moves it
 *   (1)  0..1 = 0    NEW           fn not started.  Initial (all-zero).
 *   (2)  0..1 = 1    RUNNING       one thread runs fn; nobody sleeps yet.
 *                                  Set by the thread that wins T1 (or T5).
 *   (3)  0..1 = 2    RUNNING_WAIT  fn runs and a caller may sleep on the
 *                                  word.  Set by a caller before it sleeps
 *                                  (T2).
 *   (4)  0..1 = 3    DONE          fn has returned.  Set by the runner (T3);
 *                                  final.
 *   (5)  2..23       RUNNER        with RUNNING or RUNNING_WAIT on a private
 *                                  word only: the runner's process id, set
 *                                  with RUNNING (T1, T5), kept by T2, cleared
 *                                  by T3 and T4; see FORK.  0 otherwise (so
 *                                  DONE is exactly 3, and a shared word's
 *                                  RUNNER is always 0).
 *   (6)  31          SHARED        set by fuss_once_init(FUSS_SHARED), never
 *                                  changed.  Any other value (bits 24-30,
 *                                  RUNNER with NEW or DONE or on a shared
 *                                  word) is garbage (another process's, in
 *                                  shared memory): fuss_once answers EINVAL.
 *
 * TRANSITIONS (tag = RUNNER for this process on a private word, else 0)
 *   T1 NEW -> RUNNING|tag         CAS (acquire) by the caller that will run fn
 *   T2 RUNNING|r -> RUNNING_WAIT|r  CAS (relaxed) by a caller that will
 *                                 sleep (r: this process's tag, FORK)
 *   T3 RUNNING | RUNNING_WAIT -> DONE   exchange (release) by the runner, which
 *                                 wakes all if the old value was RUNNING_WAIT
 *   T4 RUNNING | RUNNING_WAIT -> NEW    exchange (release) by the runner when
 *                                 fn was cancelled (fuss__once_abandon, the
 *                                 pthread drop-in: POSIX pthread_once); wakes
 *                                 all if the old value was RUNNING_WAIT, and
 *                                 the woken callers start over at T1
 *   T5 RUNNING|r | RUNNING_WAIT|r -> RUNNING|tag, r != tag (a private word
 *                                 whose runner is in an ancestor process):
 *                                 CAS (acquire) by a caller that takes the
 *                                 run over and runs fn itself (FORK); nobody
 *                                 of this process sleeps on the old value,
 *                                 since T2 sets RUNNING_WAIT only with its
 *                                 own process's tag
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
 * FORK.  In a fork() child only the forking thread exists (DESIGN.md,
 * "Lifecycle rules"): a once that another thread of the parent was running
 * at fork() would keep RUNNING for ever, and every caller in the child would
 * wait for a runner that is not there.  glibc's pthread_once runs the
 * routine again in the child (its fork generation); so does fuss: on a
 * private word the runner writes its process id into RUNNER (T1), and a
 * caller that finds RUNNING or RUNNING_WAIT with another process's id takes
 * the run over (T5) and runs fn itself, as if the parent's run had never
 * begun.  (The forking thread itself cannot be inside fn at fork() unless fn
 * forks: then the child's RUNNER is stale too, and a call from inside fn,
 * recursive and undefined as in POSIX, runs fn once more instead of
 * deadlocking.)  getpid() is called only on the slow path that sees NEW or
 * RUNNING(_WAIT), once per call: the DONE fast path is unchanged.  Pids fit
 * in 22 bits: the kernel's PID_MAX_LIMIT is 2^22.  A process-shared once is
 * run by other processes legitimately: RUNNER stays 0 there and a child waits
 * for the parent process's runner, which still exists.  Known limit, as in
 * mutex.c: a grandchild whose pid recycles that of the runner's process (that
 * process gone, the child between never having called fuss_once) sees the
 * run as its own and waits for ever, as before this rule.
 *
 * ORDERING.  T3 is a release and every caller that sees DONE does so with an
 * acquire load, so fn's writes happen before each caller returns.  T1 is an
 * acquire only for symmetry; T2 is relaxed (it carries no data).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

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
#define ONCE_STATE        0x3u
#define ONCE_RUNNER_SHIFT 2
#define ONCE_RUNNER       (0x3fffffu << ONCE_RUNNER_SHIFT) /* row (5): 22 bits, PID_MAX_LIMIT is 2^22 */
#define ONCE_SHARED       0x80000000u /* row (6) */

static unsigned once_flags(uint32_t s) { return (s & ONCE_SHARED) ? FUSS_SHARED : FUSS_PRIVATE; }

/* This process's RUNNER field on a private word, 0 on a shared one (FORK).
 * A system call: the slow path only. */
static uint32_t runner_tag(uint32_t sh)
{
    return sh ? 0u : ((uint32_t)getpid() << ONCE_RUNNER_SHIFT) & ONCE_RUNNER;
}

int fuss_once_init(fuss_once_t *o, unsigned flags)
{
    if (flags & ~FUSS_SHARED) return EINVAL;
    if ((flags & FUSS_SHARED) && !(fuss__backend_features() & FUSS_FEATURE_SHARED))
        return ENOTSUP;
    a32_store_relaxed(A32(&o->state_), (flags & FUSS_SHARED) ? ONCE_SHARED : ONCE_NEW);
    return 0;
}

/* The winner of T1 or T5 runs fn, then T3. */
static int once_run(a32_t *w, uint32_t sh, void (*fn)(void), void (*fn_arg)(void *), void *arg)
{
    if (fn) fn(); else fn_arg(arg);
    if ((a32_swap_rel(w, ONCE_DONE | sh) & ONCE_STATE) == ONCE_RUNNING_WAIT) /* T3 */
        fuss__wake_all(w, once_flags(sh));
    return 0;
}

static int once_slow(fuss_once_t *o, void (*fn)(void), void (*fn_arg)(void *), void *arg)
{
    a32_t *w = A32(&o->state_);
    uint32_t s = a32_load_acquire(w);
    const uint32_t sh = s & ONCE_SHARED; /* constant: row (6) */
    const uint32_t tag = runner_tag(sh); /* row (5), FORK */
    for (;;) {
        if ((s & ONCE_SHARED) != sh) return EINVAL;                        /* row (6) */
        uint32_t runner = s & ONCE_RUNNER, state = s & ONCE_STATE;
        if (s & ~(ONCE_SHARED | ONCE_RUNNER | ONCE_STATE)) return EINVAL;  /* garbage, row (6) */
        bool running = state == ONCE_RUNNING || state == ONCE_RUNNING_WAIT;
        if (runner && (sh || !running)) return EINVAL;                     /* garbage, row (6) */
        if (running && runner != tag) {                                    /* T5 (FORK) */
            /* The runner is in an ancestor process, not here: run fn. */
            if (!a32_cas_acq(w, &s, ONCE_RUNNING | tag)) continue;
            return once_run(w, sh, fn, fn_arg, arg);
        }
        switch (state) {
        case ONCE_DONE:                                                    /* row (4) */
            /* s may come from a failed (relaxed) CAS: read DONE again with
             * acquire, or fn's writes might not be visible yet. */
            (void)a32_load_acquire(w);
            return 0;
        case ONCE_NEW:                                                     /* T1 */
            if (!a32_cas_acq(w, &s, ONCE_RUNNING | tag | sh)) continue;
            return once_run(w, sh, fn, fn_arg, arg);
        case ONCE_RUNNING:                                                 /* T2 */
            if (!a32_cas_relaxed(w, &s, ONCE_RUNNING_WAIT | tag | sh)) continue;
            /* fall through */
        default: {                                                         /* row (3) */
            /* KILLED WAKER: a shared word's sleep looks again after a slice;
             * EINVAL: SHARED garbage on a backend without shared futexes. */
            int e = fuss__wait_sliced(w, ONCE_RUNNING_WAIT | tag | sh, NULL, once_flags(sh), "fuss_once");
            if (e) return e;
            s = a32_load_acquire(w);
            continue;
        }
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
    if ((a32_swap_rel(w, ONCE_NEW | sh) & ONCE_STATE) == ONCE_RUNNING_WAIT)
        fuss__wake_all(w, once_flags(sh));
}
