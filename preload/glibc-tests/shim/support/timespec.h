#ifndef SHIM_TIMESPEC_H
#define SHIM_TIMESPEC_H
#define TIMESPEC_HZ 1000000000L
#include <time.h>
#include <support/check.h>
static inline struct timespec make_timespec(time_t s, long ns) { struct timespec t = { s, ns }; return t; }
static inline struct timespec timespec_add(struct timespec a, struct timespec b)
{ struct timespec r = { a.tv_sec + b.tv_sec, a.tv_nsec + b.tv_nsec }; if (r.tv_nsec >= 1000000000L) { r.tv_sec++; r.tv_nsec -= 1000000000L; } return r; }
static inline struct timespec timespec_sub(struct timespec a, struct timespec b)
{ struct timespec r = { a.tv_sec - b.tv_sec, a.tv_nsec - b.tv_nsec }; if (r.tv_nsec < 0) { r.tv_sec--; r.tv_nsec += 1000000000L; } return r; }
static inline struct timespec xclock_now(clockid_t c) { struct timespec t; if (clock_gettime(c, &t)) shim_fail(1, "clock_gettime"); return t; }
#define xclock_gettime(c, t) do { if (clock_gettime(c, t)) shim_fail(1, "clock_gettime"); } while (0)
static inline int shim_ts_before(struct timespec a, struct timespec b) { return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec); }
#define TEST_TIMESPEC_BEFORE(a, b) TEST_VERIFY(shim_ts_before(a, b))
#define TEST_TIMESPEC_BEFORE_NOW(a, c) TEST_VERIFY(!shim_ts_before(xclock_now(c), a))
#define TEST_TIMESPEC_NOW_OR_AFTER(c, a) TEST_VERIFY(!shim_ts_before(xclock_now(c), a))
#define TEST_TIMESPEC_EQUAL_OR_AFTER(a, b) TEST_VERIFY(!shim_ts_before(a, b))
#endif
