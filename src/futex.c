/*
 * The public futex layer: checks every argument once, then calls the backend
 * contract (internal/wait.h) and turns its negative-errno results into the
 * public convention (positive errno, counts through out-parameters).
 *
 * Checks shared by every call: the word is non-NULL and 4-byte aligned, the
 * flags are FUSS_PRIVATE or FUSS_SHARED, deadlines are valid on a supported
 * clock.  Counts above INT_MAX are clamped (the kernel takes an int).
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuss/futex.h"
#include "internal/wait.h"

static bool word_ok(const void *word)
{
    return word && ((uintptr_t)word & (sizeof(uint32_t) - 1)) == 0;
}

static bool flags_ok(unsigned flags) { return (flags & ~FUSS_SHARED) == 0; }

static int count_clamp(unsigned n) { return n > INT_MAX ? INT_MAX : (int)n; }

/* Backend result (>= 0 or -errno) to public error code. */
static int as_error(int r) { return r < 0 ? -r : 0; }

static void set_out(unsigned *out, unsigned v)
{
    if (out) *out = v;
}

int fuss_futex_wait_bitset(const uint32_t *word, uint32_t expected, uint32_t bitset,
                           clockid_t clock, const struct timespec *deadline, unsigned flags)
{
    struct fuss__deadline dl;
    const struct fuss__deadline *dlp;
    if (!word_ok(word) || !flags_ok(flags) || bitset == 0) return EINVAL;
    int e = fuss__deadline_make(&dl, clock, deadline, &dlp);
    if (e) return e;
    return as_error(fuss__wait(A32C(word), expected, bitset, dlp, flags));
}

int fuss_futex_wait_until(const uint32_t *word, uint32_t expected, clockid_t clock,
                          const struct timespec *deadline, unsigned flags)
{
    return fuss_futex_wait_bitset(word, expected, FUSS_FUTEX_BITSET_ANY, clock, deadline, flags);
}

int fuss_futex_wait(const uint32_t *word, uint32_t expected, unsigned flags)
{
    return fuss_futex_wait_bitset(word, expected, FUSS_FUTEX_BITSET_ANY, CLOCK_MONOTONIC, NULL,
                                  flags);
}

int fuss_futex_wait_for(const uint32_t *word, uint32_t expected, const struct timespec *timeout,
                        unsigned flags)
{
    if (!timeout) return fuss_futex_wait(word, expected, flags);
    if (!fuss__timespec_valid(timeout)) return EINVAL;
    struct timespec now;
    fuss__clock_now(CLOCK_MONOTONIC, &now);
    struct timespec at = fuss__timespec_add(now, *timeout);
    return fuss_futex_wait_until(word, expected, CLOCK_MONOTONIC, &at, flags);
}

int fuss_futex_wake_bitset(const uint32_t *word, unsigned count, uint32_t bitset, unsigned flags,
                           unsigned *woken)
{
    set_out(woken, 0);
    if (!word_ok(word) || !flags_ok(flags) || bitset == 0) return EINVAL;
    if (count == 0) return 0;
    int r = fuss__wake(A32C(word), count_clamp(count), bitset, flags);
    if (r < 0) return -r;
    set_out(woken, (unsigned)r);
    return 0;
}

int fuss_futex_wake(const uint32_t *word, unsigned count, unsigned flags, unsigned *woken)
{
    return fuss_futex_wake_bitset(word, count, FUSS_FUTEX_BITSET_ANY, flags, woken);
}

static int requeue(const uint32_t *from, const uint32_t *cmp_expected, unsigned nwake,
                   unsigned nrequeue, const uint32_t *to, unsigned flags, unsigned *woken,
                   unsigned *requeued)
{
    set_out(woken, 0);
    set_out(requeued, 0);
    if (!word_ok(from) || !word_ok(to) || !flags_ok(flags)) return EINVAL;
    int nw = count_clamp(nwake), nr = count_clamp(nrequeue);
    int r = fuss__requeue(A32C(from), cmp_expected, nw, nr, A32C(to), flags);
    if (r < 0) return -r;
    /* Every backend wakes before it moves, so the total splits exactly. */
    unsigned w = (unsigned)(r < nw ? r : nw);
    set_out(woken, w);
    set_out(requeued, (unsigned)r - w);
    return 0;
}

int fuss_futex_requeue(const uint32_t *from, unsigned nwake, unsigned nrequeue, const uint32_t *to,
                       unsigned flags, unsigned *woken, unsigned *requeued)
{
    return requeue(from, NULL, nwake, nrequeue, to, flags, woken, requeued);
}

int fuss_futex_cmp_requeue(const uint32_t *from, uint32_t expected, unsigned nwake,
                           unsigned nrequeue, const uint32_t *to, unsigned flags,
                           unsigned *woken, unsigned *requeued)
{
    return requeue(from, &expected, nwake, nrequeue, to, flags, woken, requeued);
}

int fuss_futex_wake_op(const uint32_t *word1, unsigned nwake1, uint32_t *word2, unsigned nwake2,
                       uint32_t op, unsigned flags, unsigned *woken)
{
    set_out(woken, 0);
    if (!word_ok(word1) || !word_ok(word2) || !flags_ok(flags) || !fuss__futex_op_valid(op))
        return EINVAL;
    int r = fuss__wake_op(A32C(word1), count_clamp(nwake1), A32(word2), count_clamp(nwake2), op,
                          flags);
    if (r < 0) return -r;
    set_out(woken, (unsigned)r);
    return 0;
}

int fuss_futex_waitv(const fuss_futex_waiter_t *waiters, unsigned count, clockid_t clock,
                     const struct timespec *deadline, unsigned *index)
{
    struct fuss__deadline dl;
    const struct fuss__deadline *dlp;
    if (!waiters || count == 0 || count > FUSS_FUTEX_WAITV_MAX) return EINVAL;
    for (unsigned i = 0; i < count; i++)
        if (!word_ok(waiters[i].word) || !flags_ok(waiters[i].flags)) return EINVAL;
    int e = fuss__deadline_make(&dl, clock, deadline, &dlp);
    if (e) return e;
    int r = fuss__waitv(waiters, count, dlp);
    if (r < 0) return -r;
    set_out(index, (unsigned)r);
    return 0;
}

int fuss_futex_lock_pi(uint32_t *word, clockid_t clock, const struct timespec *deadline,
                       unsigned flags)
{
    struct fuss__deadline dl;
    const struct fuss__deadline *dlp;
    if (!word_ok(word) || !flags_ok(flags)) return EINVAL;
    int e = fuss__deadline_make(&dl, clock, deadline, &dlp);
    if (e) return e;
    return as_error(fuss__lock_pi(A32(word), dlp, flags));
}

int fuss_futex_trylock_pi(uint32_t *word, unsigned flags)
{
    if (!word_ok(word) || !flags_ok(flags)) return EINVAL;
    return as_error(fuss__trylock_pi(A32(word), flags));
}

int fuss_futex_unlock_pi(uint32_t *word, unsigned flags)
{
    if (!word_ok(word) || !flags_ok(flags)) return EINVAL;
    return as_error(fuss__unlock_pi(A32(word), flags));
}

const char *fuss_futex_backend(void) { return fuss__backend_name(); }

unsigned fuss_futex_features(void) { return fuss__backend_features(); }
