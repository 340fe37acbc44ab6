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
 *   FUSS__SPIN_BUDGET_NS = 4000.  Spinning no longer than one sleep/wake
 *     hand-off costs is 2-competitive with the best offline choice (Karlin,
 *     Li, Manasse, Owicki, "Empirical studies of competitive spinning",
 *     SOSP 1991).  A futex hand-off (wake syscall + scheduler + return from
 *     wait) is 2-5 us on bare-metal x86 and measured 22 us on the shared
 *     2-core development VM (futex ping-pong, 45 us per round trip); the
 *     budget takes the low end so that a spin never costs more than the
 *     sleep it tries to avoid on a fast machine.  A cross-core hand-off of a
 *     cache line is ~0.1-0.2 us, so the budget covers a semaphore ping-pong's
 *     critical hand-off many times over.
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

#define FUSS__SPIN_BUDGET_NS   4000
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
