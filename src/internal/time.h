/*
 * Deadlines.  Every timed operation in fuss takes an absolute deadline on an
 * explicit clock (DESIGN.md, "Timeouts"); this header validates them and does
 * the little arithmetic the layers need.  A NULL deadline means "forever".
 */
#ifndef FUSS_INTERNAL_TIME_H
#define FUSS_INTERNAL_TIME_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define FUSS__NSEC_PER_SEC 1000000000L

struct fuss__deadline {
    clockid_t clock;    /* CLOCK_MONOTONIC or CLOCK_REALTIME */
    struct timespec at; /* absolute time on that clock */
};

static inline bool fuss__timespec_valid(const struct timespec *ts)
{
    return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < FUSS__NSEC_PER_SEC;
}

static inline bool fuss__clock_valid(clockid_t clock)
{
    return clock == CLOCK_MONOTONIC || clock == CLOCK_REALTIME;
}

/* Fill *dl from a public (clock, deadline) pair.  Returns 0, or EINVAL for a
 * malformed timespec or an unsupported clock.  *out is NULL for "forever". */
static inline int fuss__deadline_make(struct fuss__deadline *dl, clockid_t clock,
                                      const struct timespec *at,
                                      const struct fuss__deadline **out)
{
    if (!at) { *out = NULL; return 0; }
    if (!fuss__clock_valid(clock) || !fuss__timespec_valid(at))
        return EINVAL;
    dl->clock = clock;
    dl->at = *at;
    *out = dl;
    return 0;
}

/* a - b, normalised; may be negative. */
static inline struct timespec fuss__timespec_sub(struct timespec a, struct timespec b)
{
    struct timespec r = { a.tv_sec - b.tv_sec, a.tv_nsec - b.tv_nsec };
    if (r.tv_nsec < 0) { r.tv_nsec += FUSS__NSEC_PER_SEC; r.tv_sec--; }
    return r;
}

/* a + b for valid, non-negative operands; saturates instead of overflowing,
 * so a huge relative timeout means "practically forever", not "already past". */
static inline struct timespec fuss__timespec_add(struct timespec a, struct timespec b)
{
    struct timespec r;
    r.tv_nsec = a.tv_nsec + b.tv_nsec;
    long carry = r.tv_nsec >= FUSS__NSEC_PER_SEC;
    if (carry) r.tv_nsec -= FUSS__NSEC_PER_SEC;
    if (__builtin_add_overflow(a.tv_sec, b.tv_sec, &r.tv_sec) ||
        __builtin_add_overflow(r.tv_sec, (time_t)carry, &r.tv_sec)) {
        r.tv_sec = (time_t)((~(unsigned long long)0) >> 1 >> (64 - 8 * sizeof(time_t)));
        r.tv_nsec = FUSS__NSEC_PER_SEC - 1;
    }
    return r;
}

static inline int fuss__timespec_cmp(struct timespec a, struct timespec b)
{
    if (a.tv_sec != b.tv_sec) return a.tv_sec < b.tv_sec ? -1 : 1;
    if (a.tv_nsec != b.tv_nsec) return a.tv_nsec < b.tv_nsec ? -1 : 1;
    return 0;
}

static inline int64_t fuss__timespec_to_ns(struct timespec t)
{
    return (int64_t)t.tv_sec * FUSS__NSEC_PER_SEC + t.tv_nsec;
}

#endif /* FUSS_INTERNAL_TIME_H */
