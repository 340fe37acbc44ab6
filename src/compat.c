/*
 * System-call-compatible entry points: fuss_futex() speaks the Linux futex(2)
 * interface, fuss_futex_openbsd() the OpenBSD one.  Both decode the op, map
 * the arguments onto the backend contract, and report like a system call:
 * the result, or -1 with errno.  Argument checks follow the kernel's answers
 * (EFAULT for a NULL word, EINVAL for a misaligned one, ENOSYS for an unknown
 * op or an invalid FUTEX_OP encoding).
 *
 * Differences from the raw system call, each documented in <fuss/futex.h>:
 *   FUTEX_FD                               ENOSYS (as Linux since 2.6.26)
 *   FUTEX_WAIT_REQUEUE_PI, CMP_REQUEUE_PI  ENOSYS (not offered by fuss)
 *   a wake count of 0 or less              wakes nobody (the kernel wakes one)
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuss/futex.h"
#include "internal/wait.h"

#define CMD_MASK (~(FUSS_FUTEX_CMD_PRIVATE | FUSS_FUTEX_CMD_CLOCK_REALTIME))

static long fail(int e)
{
    errno = e;
    return -1;
}

/* Backend result to system-call result. */
static long syscall_result(int r) { return r < 0 ? fail(-r) : r; }

static int word_error(const void *w)
{
    if (!w) return EFAULT;
    if ((uintptr_t)w & 3u) return EINVAL;
    return 0;
}

static int count_of(uint32_t v) { return (int32_t)v < 0 ? 0 : (int)v; }

/* The count that REQUEUE and WAKE_OP pass in the timeout argument's place. */
static int count_in_pointer(const struct timespec *t)
{
    long v = (long)(intptr_t)t;
    return v < 0 ? -1 : v > INT_MAX ? INT_MAX : (int)v;
}

static long compat_wait(uint32_t *uaddr, uint32_t val, const struct timespec *timeout,
                        bool relative, clockid_t clock, uint32_t bitset, unsigned flags)
{
    struct fuss__deadline dl;
    const struct fuss__deadline *dlp = NULL;
    if (bitset == 0) return fail(EINVAL);
    if (timeout) {
        if (!fuss__timespec_valid(timeout)) return fail(EINVAL);
        dl.clock = clock;
        dl.at = *timeout;
        if (relative) {
            struct timespec now;
            fuss__clock_now(clock, &now);
            dl.at = fuss__timespec_add(now, *timeout);
        }
        dlp = &dl;
    }
    return syscall_result(fuss__wait(A32C(uaddr), val, bitset, dlp, flags));
}

static long compat_lock_pi(uint32_t *uaddr, const struct timespec *timeout, clockid_t clock,
                           unsigned flags)
{
    struct fuss__deadline dl;
    if (timeout && !fuss__timespec_valid(timeout)) return fail(EINVAL);
    if (timeout) { dl.clock = clock; dl.at = *timeout; }
    return syscall_result(fuss__lock_pi(A32(uaddr), timeout ? &dl : NULL, flags));
}

long fuss_futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec *timeout,
                uint32_t *uaddr2, uint32_t val3)
{
    int cmd = op & CMD_MASK;
    unsigned flags = (op & FUSS_FUTEX_CMD_PRIVATE) ? FUSS_PRIVATE : FUSS_SHARED;
    bool realtime = (op & FUSS_FUTEX_CMD_CLOCK_REALTIME) != 0;
    if (realtime && cmd != FUSS_FUTEX_CMD_WAIT && cmd != FUSS_FUTEX_CMD_WAIT_BITSET &&
        cmd != FUSS_FUTEX_CMD_LOCK_PI2 && cmd != FUSS_FUTEX_CMD_WAIT_REQUEUE_PI)
        return fail(ENOSYS);
    clockid_t clock = realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC;
    int e = word_error(uaddr);
    if (e) return fail(e);

    switch (cmd) {
    case FUSS_FUTEX_CMD_WAIT:
        return compat_wait(uaddr, val, timeout, true, clock, FUSS_FUTEX_BITSET_ANY, flags);
    case FUSS_FUTEX_CMD_WAIT_BITSET:
        return compat_wait(uaddr, val, timeout, false, clock, val3, flags);
    case FUSS_FUTEX_CMD_WAKE:
        val3 = FUSS_FUTEX_BITSET_ANY;
        /* fall through */
    case FUSS_FUTEX_CMD_WAKE_BITSET:
        if (val3 == 0) return fail(EINVAL);
        if (count_of(val) == 0) return 0;
        return syscall_result(fuss__wake(A32C(uaddr), count_of(val), val3, flags));
    case FUSS_FUTEX_CMD_REQUEUE:
    case FUSS_FUTEX_CMD_CMP_REQUEUE: {
        int nrequeue = count_in_pointer(timeout);
        if ((e = word_error(uaddr2))) return fail(e);
        if ((int32_t)val < 0 || nrequeue < 0) return fail(EINVAL);
        return syscall_result(fuss__requeue(A32C(uaddr),
                                            cmd == FUSS_FUTEX_CMD_CMP_REQUEUE ? &val3 : NULL,
                                            (int)val, nrequeue, A32C(uaddr2), flags));
    }
    case FUSS_FUTEX_CMD_WAKE_OP: {
        int nwake2 = count_in_pointer(timeout);
        if ((e = word_error(uaddr2))) return fail(e);
        if (!fuss__futex_op_valid(val3)) return fail(ENOSYS);
        return syscall_result(fuss__wake_op(A32C(uaddr), count_of(val), A32(uaddr2),
                                            nwake2 < 0 ? 0 : nwake2, val3, flags));
    }
    case FUSS_FUTEX_CMD_LOCK_PI:
        return compat_lock_pi(uaddr, timeout, CLOCK_REALTIME, flags);
    case FUSS_FUTEX_CMD_LOCK_PI2:
        return compat_lock_pi(uaddr, timeout, clock, flags);
    case FUSS_FUTEX_CMD_TRYLOCK_PI:
        return syscall_result(fuss__trylock_pi(A32(uaddr), flags));
    case FUSS_FUTEX_CMD_UNLOCK_PI:
        return syscall_result(fuss__unlock_pi(A32(uaddr), flags));
    case FUSS_FUTEX_CMD_FD:
    default:
        return fail(ENOSYS);
    }
}

int fuss_futex_openbsd(volatile uint32_t *uaddr, int op, int val, const struct timespec *timeout,
                       volatile uint32_t *uaddr2)
{
    uint32_t *w = (uint32_t *)(uintptr_t)uaddr, *w2 = (uint32_t *)(uintptr_t)uaddr2;
    int linux_op = op & FUSS_OPENBSD_FUTEX_PRIVATE_FLAG ? FUSS_FUTEX_CMD_PRIVATE : 0;
    switch (op & ~FUSS_OPENBSD_FUTEX_PRIVATE_FLAG) {
    case FUSS_OPENBSD_FUTEX_WAIT:
        return (int)fuss_futex(w, FUSS_FUTEX_CMD_WAIT | linux_op, (uint32_t)val, timeout, NULL, 0);
    case FUSS_OPENBSD_FUTEX_WAKE:
        return (int)fuss_futex(w, FUSS_FUTEX_CMD_WAKE | linux_op, (uint32_t)val, NULL, NULL, 0);
    case FUSS_OPENBSD_FUTEX_REQUEUE: {
        /* OpenBSD returns the number woken only. */
        int e = word_error(w);
        if (!e) e = word_error(w2);
        int nrequeue = count_in_pointer(timeout);
        if (e) return (int)fail(e);
        if (val < 0 || nrequeue < 0) return (int)fail(EINVAL);
        int r = fuss__requeue(A32C(w), NULL, val, nrequeue, A32C(w2),
                              linux_op ? FUSS_PRIVATE : FUSS_SHARED);
        if (r < 0) return (int)fail(-r);
        return r < val ? r : val;
    }
    default:
        return (int)fail(ENOSYS);
    }
}
