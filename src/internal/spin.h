/*
 * Time-bounded spinning, for every primitive's slow path.  A thread that
 * finds a word busy spins with relaxed loads for about FUSS__SPIN_BUDGET_NS
 * before it sleeps in the backend.
 *
 * Why a time budget, not an iteration count: the cost of one PAUSE differs
 * by more than 10x between CPU generations (about 10 cycles before Skylake,
 * about 140 after; 24 ns measured on the development VM), so a fixed count
 * means a different wait on every machine.  fuss__spin_iterations() measures
 * PAUSE once per process (spin.c) and converts the budget into iterations,
 * so a spin never reads the clock.
 *
 * Where the number comes from: FUSS__SPIN_BUDGET_NS = 2000 (override with
 * -DFUSS__SPIN_BUDGET_NS=...).  Spinning no longer than one sleep/wake
 * hand-off costs is 2-competitive with the best offline choice (Karlin, Li,
 * Manasse, Owicki, "Empirical studies of competitive spinning", SOSP 1991);
 * a futex hand-off is 2-5 us on bare-metal x86, so the budget stays below
 * it.  What a spin must cover is much shorter: on idle cores the other side
 * answers after two cache-line transfers (~0.2-0.4 us), so 2 us covers it
 * about five times over.  The cost is real when cores are oversubscribed: a
 * spinner holds the CPU the lock holder needs, which is why callers stop
 * spinning as soon as they see sleepers queued.
 */
#ifndef FUSS_INTERNAL_SPIN_H
#define FUSS_INTERNAL_SPIN_H

#include <stdbool.h>
#include <stdint.h>

#include "internal/atomic.h"
#include "internal/time.h"

#ifndef FUSS__SPIN_BUDGET_NS
#define FUSS__SPIN_BUDGET_NS 2000
#endif

/* cpu_relax() iterations that take about FUSS__SPIN_BUDGET_NS here. */
uint32_t fuss__spin_iterations(void);

/* A spin in progress: FUSS__SPIN_INIT, then while (fuss__spin_step(&sp)). */
struct fuss__spin {
    uint32_t left; /* 0 until the first step */
    bool started;
};

#define FUSS__SPIN_INIT { 0, false }

/* One spin step: relax the CPU; returns false once the budget is spent. */
static inline bool fuss__spin_step(struct fuss__spin *sp)
{
    if (!sp->started) {
        sp->left = fuss__spin_iterations();
        sp->started = true;
    }
    cpu_relax();
    return --sp->left != 0;
}

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t fuss__now_ns(void);

/* *out = the earlier of dl and now + ns (on dl's clock, or MONOTONIC);
 * returns the deadline to use. */
const struct fuss__deadline *fuss__deadline_cap(struct fuss__deadline *out,
                                                const struct fuss__deadline *dl, int64_t ns);

#endif
