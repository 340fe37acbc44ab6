/*
 * Bounded spinning.  Spin loops are bounded in time, not in iterations:
 * PAUSE costs ~10 cycles on older x86 and ~140 on Skylake and later, so a
 * fixed count would spin 10x longer on one machine than another.  The
 * iteration count for SPIN_NS is calibrated once per process (spin.c).
 */
#ifndef FUSS_INTERNAL_SPIN_H
#define FUSS_INTERNAL_SPIN_H

#include <stdint.h>

#include "internal/time.h"

/* How long a contended locker spins before sleeping: about the cost of a
 * futex sleep + wake-up on current x86 Linux (2-5 us, see fuss-bench's
 * futex round trip); spinning longer than a sleep would cost is waste. */
#define FUSS_SPIN_NS 2000

/* cpu_relax() iterations that take about FUSS_SPIN_NS here. */
uint32_t fuss__spin_iterations(void);
/* CLOCK_MONOTONIC in nanoseconds. */
int64_t fuss__now_ns(void);

/* *out = the earlier of dl and now + ns (on dl's clock, or MONOTONIC);
 * returns the deadline to use. */
const struct fuss__deadline *fuss__deadline_cap(struct fuss__deadline *out,
                                                const struct fuss__deadline *dl, int64_t ns);

#endif
