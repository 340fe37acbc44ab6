/* Spin calibration and time helpers (internal/spin.h). */
#include <errno.h>
#include <stdatomic.h>

#include "internal/assert.h"
#include "internal/atomic.h"
#include "internal/spin.h"
#include "internal/wait.h"

#define CALIBRATION_PAUSES 256
/* Clamp: at least a few reads of the lock word; at most ~10x the budget on
 * the fastest PAUSE known (~1 ns). */
#define MIN_ITERATIONS 16
#define MAX_ITERATIONS 20000

static _Atomic uint32_t spin_iterations_cache; /* 0 = not calibrated yet */

int64_t fuss__now_ns(void)
{
    struct timespec t;
    fuss__clock_now(CLOCK_MONOTONIC, &t);
    return fuss__timespec_to_ns(t);
}

/* Racing calibrations store similar answers: harmless.  A preemption during
 * calibration makes PAUSE look slower, so we spin less: the safe side. */
uint32_t fuss__spin_iterations(void)
{
    uint32_t n = atomic_load_explicit(&spin_iterations_cache, memory_order_relaxed);
    if (__builtin_expect(n != 0, 1)) return n;
    int64_t t0 = fuss__now_ns();
    for (int i = 0; i < CALIBRATION_PAUSES; i++) cpu_relax();
    int64_t per_pause = (fuss__now_ns() - t0) / CALIBRATION_PAUSES;
    if (per_pause < 1) per_pause = 1;
    int64_t it = FUSS__SPIN_BUDGET_NS / per_pause;
    n = (uint32_t)(it < MIN_ITERATIONS ? MIN_ITERATIONS : it > MAX_ITERATIONS ? MAX_ITERATIONS : it);
    atomic_store_explicit(&spin_iterations_cache, n, memory_order_relaxed);
    return n;
}

/* internal/spin.h, HAND-OFF SPINS */
static _Thread_local unsigned char handoff_shift __attribute__((tls_model("initial-exec")));

struct fuss__spin fuss__handoff_spin(void)
{
    struct fuss__spin sp = { fuss__spin_iterations() << handoff_shift, true };
    return sp;
}

void fuss__handoff_slept(int64_t slept_ns)
{
    if (slept_ns < FUSS__HANDOFF_SHORT_NS) {
        if (handoff_shift < FUSS__HANDOFF_MAX_SHIFT) handoff_shift++;
    } else if (handoff_shift > 0) {
        handoff_shift--;
    }
}

unsigned fuss__handoff_shift(void) { return handoff_shift; }

const struct fuss__deadline *fuss__deadline_cap(struct fuss__deadline *out,
                                                const struct fuss__deadline *dl, int64_t ns)
{
    clockid_t clock = dl ? dl->clock : CLOCK_MONOTONIC;
    struct timespec now;
    fuss__clock_now(clock, &now);
    struct timespec rel = { (time_t)(ns / FUSS__NSEC_PER_SEC), (long)(ns % FUSS__NSEC_PER_SEC) };
    out->clock = clock;
    out->at = fuss__timespec_add(now, rel);
    if (dl && fuss__timespec_cmp(dl->at, out->at) <= 0) return dl;
    return out;
}

/* internal/spin.h, KILLED WAKER */
const struct fuss__deadline *fuss__slice_cap(struct fuss__deadline *out,
                                             const struct fuss__deadline *dl, unsigned flags)
{
    return (flags & FUSS__SHARED) ? fuss__deadline_cap(out, dl, FUSS__SLICE_NS) : dl;
}

int fuss__wait_sliced(const a32_t *word, uint32_t expected, const struct fuss__deadline *dl,
                      unsigned flags, const char *what)
{
    struct fuss__deadline capped;
    const struct fuss__deadline *until = fuss__slice_cap(&capped, dl, flags);
    int r = fuss__wait(word, expected, FUSS_FUTEX_BITSET_ANY, until, flags);
    if (r == -ENOTSUP) return EINVAL;
    if (r == -ETIMEDOUT) return until == dl ? ETIMEDOUT : 0;
    fuss__require(r == 0 || r == -EAGAIN || r == -EINTR, "%s: futex wait failed (%d)", what, r);
    return 0;
}
