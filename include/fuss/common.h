/*
 * fuss/common.h — conventions shared by every fuss header.
 *
 * ERRORS.  Every public function returns 0 on success or a positive errno
 * value (EAGAIN, ETIMEDOUT, EINVAL, ...) on failure, and never sets errno.
 * Functions that report a count (how many waiters were woken, say) do so
 * through an optional out-parameter; the return value stays an error code.
 * The one exception is fuss_futex(), the seed-compatible entry point, which
 * reports errors like the system call it replaces: -1 and errno.
 * A kernel answer that no documented case explains aborts the process with
 * a message naming the call: continuing would risk a lost wake-up.
 *
 * TIMEOUTS.  Deadlines are absolute, on an explicit clock: CLOCK_MONOTONIC
 * (immune to clock changes; the default everywhere) or CLOCK_REALTIME.
 * A malformed timespec (tv_sec < 0, tv_nsec outside [0, 999999999]) or any
 * other clock gives EINVAL.  A deadline already past is not an error: the
 * call behaves as a try and returns ETIMEDOUT if it would have to sleep.
 *
 * INITIALIZATION.  All-zero memory is a valid, unlocked, thread-private
 * object of every fuss type.
 *
 * These headers compile as C11 and as C++11.
 */
#ifndef FUSS_COMMON_H
#define FUSS_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <sys/types.h> /* clockid_t, which strict C11 <time.h> does not declare */
#include <time.h>

#include "annotations.h" /* FUSS_CAPABILITY, FUSS_ACQUIRE, ... (clang -Wthread-safety) */

#if defined(__GNUC__) || defined(__clang__)
#  define FUSS_API __attribute__((visibility("default")))
#  define FUSS_NODISCARD __attribute__((warn_unused_result))
#else
#  define FUSS_API
#  define FUSS_NODISCARD
#endif

#ifdef __cplusplus
#  define FUSS_BEGIN_DECLS extern "C" {
#  define FUSS_END_DECLS }
#else
#  define FUSS_BEGIN_DECLS
#  define FUSS_END_DECLS
#endif

#if defined(__cplusplus)
#  define FUSS_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#  define FUSS_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

/* Flags accepted by every operation that can address shared memory. */
#define FUSS_PRIVATE 0u /* the word is used by threads of one process only */
#define FUSS_SHARED  1u /* the word may live in memory shared between processes */

#endif /* FUSS_COMMON_H */
