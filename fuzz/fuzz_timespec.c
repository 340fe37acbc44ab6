/*
 * fuzz_timespec: the deadline checks and arithmetic of src/internal/time.h
 * against a reference computed in 128-bit nanoseconds.
 *
 * Input: records of { op, clock, tv_sec a, tv_nsec a, tv_sec b, tv_nsec b },
 * any bits at all, so negative, huge and unnormalised values all occur.
 * Promises checked:
 *   - fuss__timespec_valid: exactly tv_sec >= 0 and 0 <= tv_nsec < 1e9;
 *   - fuss__deadline_make: NULL -> "forever"; EINVAL exactly for a bad
 *     clock or an invalid timespec; otherwise a copy;
 *   - fuss__timespec_add (valid operands): the exact normalised sum, or
 *     { TIME_MAX, 999999999 } when that does not fit;
 *   - fuss__timespec_sub (valid operands): normalised, exact;
 *   - fuss__timespec_cmp (any operands): the sign of the difference;
 *   - fuss__timespec_to_ns (valid, representable): exact.
 * UBSan (built in) turns any signed overflow on the way into a crash.
 */
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "fuzz_input.h"
#include "internal/time.h"

typedef __int128 i128;

#define NS ((i128)1000000000)
#define TIME_T_MAX ((time_t)(~(unsigned long long)0 >> 1 >> (64 - 8 * sizeof(time_t))))

static i128 ns_of(struct timespec t) { return (i128)t.tv_sec * NS + t.tv_nsec; }

static bool ref_valid(struct timespec t)
{
    return t.tv_sec >= 0 && t.tv_nsec >= 0 && t.tv_nsec <= 999999999;
}

static struct timespec fuzz_timespec(struct fuzz_in *in)
{
    struct timespec t;
    t.tv_sec = (time_t)fuzz_u64(in);
    t.tv_nsec = (long)fuzz_u64(in);
    /* Half the time a valid one, so the arithmetic is reached often. */
    if (fuzz_u8(in) & 1u) {
        if (t.tv_sec < 0) t.tv_sec = (time_t)((uint64_t)t.tv_sec >> 1);
        t.tv_nsec = (long)((unsigned long)t.tv_nsec % 1000000000ul);
    }
    return t;
}

static clockid_t fuzz_clock(struct fuzz_in *in)
{
    static const clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_PROCESS_CPUTIME_ID,
                                        CLOCK_BOOTTIME, -1 };
    uint8_t k = fuzz_u8(in);
    return k < 5 ? clocks[k] : (clockid_t)(int32_t)fuzz_u32(in);
}

static void check_deadline(clockid_t clock, struct timespec a, bool null_deadline)
{
    struct fuss__deadline dl;
    const struct fuss__deadline *out = (const struct fuss__deadline *)&dl + 1;
    int e = fuss__deadline_make(&dl, clock, null_deadline ? NULL : &a, &out);
    if (null_deadline) {
        FUZZ_CHECK(e == 0 && out == NULL, "NULL deadline: e=%d", e);
        return;
    }
    bool ok = (clock == CLOCK_MONOTONIC || clock == CLOCK_REALTIME) && ref_valid(a);
    FUZZ_CHECK(fuss__timespec_valid(&a) == ref_valid(a), "valid(%lld, %ld)",
               (long long)a.tv_sec, a.tv_nsec);
    if (!ok) {
        FUZZ_CHECK(e == EINVAL, "clock %d {%lld, %ld}: e=%d, want EINVAL", (int)clock,
                   (long long)a.tv_sec, a.tv_nsec, e);
        return;
    }
    FUZZ_CHECK(e == 0 && out == &dl && dl.clock == clock && dl.at.tv_sec == a.tv_sec &&
               dl.at.tv_nsec == a.tv_nsec, "deadline_make did not copy: e=%d", e);
}

static void check_add(struct timespec a, struct timespec b)
{
    if (!ref_valid(a) || !ref_valid(b)) return; /* outside its domain */
    struct timespec r = fuss__timespec_add(a, b);
    i128 want = ns_of(a) + ns_of(b);
    i128 max = (i128)TIME_T_MAX * NS + 999999999;
    FUZZ_CHECK(ref_valid(r), "add gave {%lld, %ld}", (long long)r.tv_sec, r.tv_nsec);
    if (want > max)
        FUZZ_CHECK(r.tv_sec == TIME_T_MAX && r.tv_nsec == 999999999,
                   "add did not saturate: {%lld, %ld}", (long long)r.tv_sec, r.tv_nsec);
    else
        FUZZ_CHECK(ns_of(r) == want, "add {%lld,%ld}+{%lld,%ld} = {%lld,%ld}",
                   (long long)a.tv_sec, a.tv_nsec, (long long)b.tv_sec, b.tv_nsec,
                   (long long)r.tv_sec, r.tv_nsec);
}

static void check_sub(struct timespec a, struct timespec b)
{
    if (!ref_valid(a) || !ref_valid(b)) return;
    struct timespec r = fuss__timespec_sub(a, b);
    FUZZ_CHECK(r.tv_nsec >= 0 && r.tv_nsec <= 999999999, "sub not normalised: nsec %ld",
               r.tv_nsec);
    FUZZ_CHECK(ns_of(r) == ns_of(a) - ns_of(b), "sub {%lld,%ld}-{%lld,%ld} = {%lld,%ld}",
               (long long)a.tv_sec, a.tv_nsec, (long long)b.tv_sec, b.tv_nsec,
               (long long)r.tv_sec, r.tv_nsec);
}

static void check_cmp(struct timespec a, struct timespec b)
{
    int c = fuss__timespec_cmp(a, b);
    /* Lexicographic on (sec, nsec): the order of the real values whenever
     * both are normalised, and a total order otherwise. */
    int want = a.tv_sec != b.tv_sec ? (a.tv_sec < b.tv_sec ? -1 : 1)
             : a.tv_nsec != b.tv_nsec ? (a.tv_nsec < b.tv_nsec ? -1 : 1) : 0;
    FUZZ_CHECK(c == want, "cmp = %d, want %d", c, want);
    if (ref_valid(a) && ref_valid(b)) {
        i128 d = ns_of(a) - ns_of(b);
        FUZZ_CHECK(c == (d < 0 ? -1 : d > 0), "cmp disagrees with the values");
    }
    FUZZ_CHECK(fuss__timespec_cmp(b, a) == -c, "cmp not antisymmetric");
}

static void check_to_ns(struct timespec a)
{
    if (!ref_valid(a) || ns_of(a) > (i128)INT64_MAX) return;
    FUZZ_CHECK((i128)fuss__timespec_to_ns(a) == ns_of(a), "to_ns {%lld, %ld}",
               (long long)a.tv_sec, a.tv_nsec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = { data, size };
    while (in.left) {
        uint8_t op = fuzz_u8(&in);
        clockid_t clock = fuzz_clock(&in);
        struct timespec a = fuzz_timespec(&in), b = fuzz_timespec(&in);
        check_deadline(clock, a, (op & 0xf) == 0);
        check_add(a, b);
        check_add(b, a);
        check_sub(a, b);
        check_cmp(a, b);
        check_to_ns(a);
    }
    return 0;
}
