/*
 * Barrier: four 32-bit words.
 *
 *   row  word      bits    name       meaning / who sets, who clears
 *   (1)  arrived_  0..31   ARRIVED    threads arrived in the current round.
 *                                     +1 by each arrival (B1); set to 0 by
 *                                     the last arrival of the round (B2).
 *   (2)  seq_      0       SLEEPERS   a thread may sleep on seq_.  Set by a
 *                                     waiter before it sleeps (B3); cleared
 *                                     by the round's end (B2).
 *   (3)  seq_      1..31   ROUND      round number: +1 by the last arrival
 *                                     (B2).  Waiters sleep until it moves.
 *   (4)  count_    0..30   COUNT-1    set by init only (zero: one thread).
 *   (5)  count_    31      SHARED     set by init only.
 *   (6)  leaving_  0..30   LEAVING    threads of the last completed round
 *                                     still inside wait: set to COUNT by the
 *                                     last arrival (B2), -1 by each thread as
 *                                     its very last access (B4).
 *   (7)  leaving_  31      DESTROYER  destroy() sleeps on leaving_ (B5).
 *
 * TRANSITIONS
 *   B1 arrive   read ROUND r, then ARRIVED += 1 (acq_rel).
 *   B2 last     ARRIVED == COUNT: ARRIVED = 0, LEAVING = COUNT, then seq_ =
 *               r+1 with SLEEPERS off (release); wake all if SLEEPERS was on.
 *   B3 wait     until ROUND != r: spin, then SLEEPERS on and sleep on seq_.
 *   B4 leave    LEAVING -= 1 (release); wake the destroyer if it was the last.
 *   B5 destroy  ARRIVED != 0: EBUSY.  Else sleep until LEAVING == 0.
 *
 * ROUNDS NEVER MIX.  A thread reads ROUND before it is counted, and round
 * r+1 cannot complete before every thread of round r has arrived again,
 * which each does only after seeing ROUND move past r.  ARRIVED is reset
 * before ROUND moves (B2), so no arrival of round r+1 is counted in round r.
 * LEAVING is set only by a last arrival, which happens after every thread of
 * the previous round has done its B4 (each B4 precedes that thread's next
 * arrival), so B2's store never overwrites a pending decrement.
 *
 * NO LOST WAKE-UP.  A waiter sleeps only on seq_ == r|SLEEPERS; B2 replaces
 * the whole word and wakes when it held SLEEPERS.
 *
 * ORDERING.  Each arrival is a release on ARRIVED, the last arrival's acq_rel
 * RMW reads them all and its release write of seq_ is read with acquire by
 * every waiter: all writes before the barrier happen before all returns.
 */
#include <errno.h>
#include <stdint.h>

#include "fuss/barrier.h"
#include "internal/assert.h"
#include "internal/atomic.h"
#include "internal/spin.h"
#include "internal/wait.h"

#define BAR_SLEEPERS   0x1u         /* row (2) */
#define BAR_ROUND_ONE  0x2u         /* row (3) */
#define BAR_COUNT_MASK 0x7fffffffu  /* row (4) */
#define BAR_SHARED     0x80000000u  /* row (5) */
#define BAR_LEAVE_MASK 0x7fffffffu  /* row (6) */
#define BAR_DESTROYER  0x80000000u  /* row (7) */

FUSS_STATIC_ASSERT(FUSS_BARRIER_COUNT_MAX == BAR_COUNT_MASK, "count - 1 fits in COUNT-1");

static int check_wait(int r, const char *what)
{
    fuss__require(r == 0 || r == -EAGAIN || r == -EINTR, "%s: futex wait failed (%d)", what, r);
    return r;
}

int fuss_barrier_init(fuss_barrier_t *b, unsigned count, unsigned flags)
{
    if ((flags & ~FUSS_SHARED) || count == 0 || count > FUSS_BARRIER_COUNT_MAX) return EINVAL;
    if ((flags & FUSS_SHARED) && !(fuss__backend_features() & FUSS_FEATURE_SHARED))
        return ENOTSUP;
    b->arrived_ = 0;
    b->seq_ = 0;
    b->leaving_ = 0;
    b->count_ = (count - 1) | ((flags & FUSS_SHARED) ? BAR_SHARED : 0u);
    return 0;
}

int fuss_barrier_destroy(fuss_barrier_t *b)
{
    if (a32_load_relaxed(A32C(&b->arrived_)) != 0) return EBUSY;         /* B5 */
    a32_t *lv = A32(&b->leaving_);
    unsigned flags = (a32_load_relaxed(A32C(&b->count_)) & BAR_SHARED) ? FUSS__SHARED : 0u;
    for (;;) {
        uint32_t v = a32_load_acquire(lv);
        if ((v & BAR_LEAVE_MASK) == 0) {
            if (v) a32_store_relaxed(lv, 0); /* everyone left: nobody else writes it */
            return 0;
        }
        if (!(v & BAR_DESTROYER) && !a32_cas_relaxed(lv, &v, v | BAR_DESTROYER)) continue;
        check_wait(fuss__wait(lv, v | BAR_DESTROYER, FUSS_FUTEX_BITSET_ANY, NULL, flags),
                   "fuss_barrier_destroy");
    }
}

static void bar_leave(fuss_barrier_t *b, unsigned flags)
{
    uint32_t old = a32_fetch_sub_rel(A32(&b->leaving_), 1);                 /* B4 */
    if ((old & BAR_LEAVE_MASK) == 1 && (old & BAR_DESTROYER))
        fuss__wake_all(A32(&b->leaving_), flags);
}

static void bar_await(a32_t *seq, uint32_t round, unsigned flags)
{
    struct fuss__spin sp = FUSS__SPIN_INIT;
    while ((a32_load_relaxed(seq) & ~BAR_SLEEPERS) == round)
        if (!fuss__spin_step(&sp)) break;
    for (;;) {                                                               /* B3 */
        uint32_t s = a32_load_acquire(seq);
        if ((s & ~BAR_SLEEPERS) != round) return;
        if (!(s & BAR_SLEEPERS) && !a32_cas_relaxed(seq, &s, s | BAR_SLEEPERS)) continue;
        check_wait(fuss__wait(seq, round | BAR_SLEEPERS, FUSS_FUTEX_BITSET_ANY, NULL, flags),
                   "fuss_barrier_wait");
    }
}

int fuss_barrier_wait(fuss_barrier_t *b)
{
    uint32_t cfg = a32_load_relaxed(A32C(&b->count_));
    uint32_t count = (cfg & BAR_COUNT_MASK) + 1;
    unsigned flags = (cfg & BAR_SHARED) ? FUSS__SHARED : 0u;
    a32_t *seq = A32(&b->seq_);
    uint32_t round = a32_load_acquire(seq) & ~BAR_SLEEPERS;
    uint32_t arrived = a32_fetch_add_acqrel(A32(&b->arrived_), 1) + 1;       /* B1 */
    if (arrived < count) {
        bar_await(seq, round, flags);
        bar_leave(b, flags);
        return 0;
    }
    fuss__assert(arrived == count);
    a32_store_relaxed(A32(&b->arrived_), 0);                                 /* B2 */
    a32_store_relaxed(A32(&b->leaving_), count);
    if (a32_swap_rel(seq, round + BAR_ROUND_ONE) & BAR_SLEEPERS)
        fuss__wake_all(seq, flags);
    bar_leave(b, flags);
    return FUSS_BARRIER_SERIAL_THREAD;
}
