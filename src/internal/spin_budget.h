/*
 * Time-bounded spinning for the primitives' slow paths (rwlock, sem, barrier,
 * event, latch).  A thread that finds a word busy spins with relaxed loads
 * for at most FUSS__SPIN_BUDGET_NS before it sleeps in the backend.
 *
 * Why a time budget, not an iteration count: the cost of one `pause` differs
 * by more than 10x between CPU generations (about 10 cycles before Skylake,
 * about 140 after; 24 ns measured on the development VM), so an iteration
 * count means a different wait on every machine.  The clock is read every
 * FUSS__SPIN_CHECK_EVERY iterations only, and not at all by a spin that ends
 * before its first check, so short spins never pay for clock_gettime.
 *
 * Where the numbers come from:
 *   FUSS__SPIN_BUDGET_NS = 2000 (override with -DFUSS__SPIN_BUDGET_NS=...).
 *     Spinning no longer than one sleep/wake hand-off costs is 2-competitive
 *     with the best offline choice (Karlin, Li, Manasse, Owicki, "Empirical
 *     studies of competitive spinning", SOSP 1991); a futex hand-off is
 *     2-5 us on bare-metal x86, so the budget stays below it.  What a spin
 *     must cover is much shorter: in a post/wait ping-pong on idle cores the
 *     other side answers after two cache-line transfers (~0.2-0.4 us), so
 *     2 us covers it about five times over.  The cost is real when cores are
 *     oversubscribed: on the shared 2-core development VM (load ~5) a
 *     semaphore ping-pong took 5.7 us per round trip without spinning,
 *     8.7 us with a 1 us budget, 13 us with 2 or 4 us (glibc, which does not
 *     spin: 3.4-5 us), because the spinner holds the CPU the other thread
 *     needs.  The budget is therefore the smallest that covers the idle-core
 *     hand-off with margin; re-measure it on an idle multi-core machine.
 *   FUSS__SPIN_CHECK_EVERY = 16.  16 pauses are 0.2-0.4 us: the budget is
 *     overrun by at most ~10%, while clock_gettime (21 ns via vDSO, measured)
 *     adds at most ~5% to the spin's cost.
 */
#ifndef FUSS_INTERNAL_SPIN_BUDGET_H
#define FUSS_INTERNAL_SPIN_BUDGET_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "internal/atomic.h"
#include "internal/time.h"
#include "internal/wait.h"

#ifndef FUSS__SPIN_BUDGET_NS
#define FUSS__SPIN_BUDGET_NS   2000
#endif
#define FUSS__SPIN_CHECK_EVERY 16u

struct fuss__spin {
    unsigned iter;
    int64_t until_ns; /* 0 until the first clock check */
};

#define FUSS__SPIN_INIT { 0, 0 }

/* One spin step: relax the CPU; returns false once the budget is spent. */
static inline bool fuss__spin_step(struct fuss__spin *sp)
{
    cpu_relax();
    if (++sp->iter % FUSS__SPIN_CHECK_EVERY) return true;
    struct timespec now;
    fuss__clock_now(CLOCK_MONOTONIC, &now);
    int64_t t = fuss__timespec_to_ns(now);
    if (sp->until_ns == 0) {
        sp->until_ns = t + FUSS__SPIN_BUDGET_NS;
        return true;
    }
    return t < sp->until_ns;
}

#endif /* FUSS_INTERNAL_SPIN_BUDGET_H */
