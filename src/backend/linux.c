/*
 * The linux backend: the contract of internal/wait.h on futex(2),
 * futex_waitv(2) (5.16) and the futex2 calls futex_wait/futex_wake/
 * futex_requeue (6.7), probed once at first use, with fallbacks:
 *
 *   feature      used for                      without it
 *   futex2       wait, wake, cmp-requeue       FUTEX_WAIT_BITSET / FUTEX_WAKE_BITSET /
 *                                              FUTEX_CMP_REQUEUE (same semantics)
 *   waitv        fuss__waitv                   user-space queue (queue.c) for private
 *                                              words; ENOTSUP for shared ones
 *   lock_pi2     PI lock, CLOCK_MONOTONIC      FUTEX_LOCK_PI with the deadline
 *                deadline                      converted to CLOCK_REALTIME
 *
 * The environment variable FUSS_DISABLE=futex2,waitv,lock_pi2 switches
 * probed features off, so tests run every fallback on a new kernel.
 *
 * Kernel results are passed up as negative errno values.  Results that no
 * documented case explains abort, naming the call (DESIGN.md, "Errors").
 */
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "internal/assert.h"
#include "internal/park.h"
#include "internal/queue.h"
#include "internal/wait.h"

#ifndef __NR_futex_waitv
#  define __NR_futex_waitv 449
#endif
/* futex2 numbers are the same on every architecture with the unified table. */
#ifndef __NR_futex_wake
#  define __NR_futex_wake 454
#  define __NR_futex_wait 455
#  define __NR_futex_requeue 456
#endif
#ifndef FUTEX2_SIZE_U32
#  define FUTEX2_SIZE_U32 0x02
#endif
#ifndef FUTEX2_PRIVATE
#  define FUTEX2_PRIVATE FUTEX_PRIVATE_FLAG
#endif
#ifndef FUTEX_LOCK_PI2
#  define FUTEX_LOCK_PI2 13
#endif

/* The public constants repeat the kernel's values; keep them honest. */
_Static_assert(FUSS_FUTEX_CMD_WAIT == FUTEX_WAIT && FUSS_FUTEX_CMD_WAKE == FUTEX_WAKE &&
               FUSS_FUTEX_CMD_FD == FUTEX_FD && FUSS_FUTEX_CMD_REQUEUE == FUTEX_REQUEUE &&
               FUSS_FUTEX_CMD_CMP_REQUEUE == FUTEX_CMP_REQUEUE &&
               FUSS_FUTEX_CMD_WAKE_OP == FUTEX_WAKE_OP && FUSS_FUTEX_CMD_LOCK_PI == FUTEX_LOCK_PI &&
               FUSS_FUTEX_CMD_UNLOCK_PI == FUTEX_UNLOCK_PI &&
               FUSS_FUTEX_CMD_TRYLOCK_PI == FUTEX_TRYLOCK_PI &&
               FUSS_FUTEX_CMD_WAIT_BITSET == FUTEX_WAIT_BITSET &&
               FUSS_FUTEX_CMD_WAKE_BITSET == FUTEX_WAKE_BITSET &&
               FUSS_FUTEX_CMD_WAIT_REQUEUE_PI == FUTEX_WAIT_REQUEUE_PI &&
               FUSS_FUTEX_CMD_CMP_REQUEUE_PI == FUTEX_CMP_REQUEUE_PI &&
               FUSS_FUTEX_CMD_PRIVATE == FUTEX_PRIVATE_FLAG &&
               FUSS_FUTEX_CMD_CLOCK_REALTIME == FUTEX_CLOCK_REALTIME,
               "FUSS_FUTEX_CMD_* must equal <linux/futex.h>");
_Static_assert(FUSS_FUTEX_OP(FUSS_FUTEX_OP_ADD, 1, FUSS_FUTEX_OP_CMP_GT, 2) ==
                   (uint32_t)FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_GT, 2),
               "FUSS_FUTEX_OP must encode like FUTEX_OP");
_Static_assert(FUSS_FUTEX_WAITERS == FUTEX_WAITERS && FUSS_FUTEX_OWNER_DIED == FUTEX_OWNER_DIED &&
               FUSS_FUTEX_TID_MASK == FUTEX_TID_MASK, "PI word bits must match the kernel");

/* ---- system calls ---------------------------------------------------------- */

/* A system call that never touches errno: fuss reports errors by value. */
static long raw_syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
#if defined(__x86_64__)
    long ret;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    __asm__ __volatile__("syscall"
                         : "=a"(ret)
                         : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                         : "rcx", "r11", "memory");
    return ret;
#else
    int saved = errno;
    long ret = syscall(nr, a, b, c, d, e, f);
    if (ret == -1) ret = -errno;
    errno = saved;
    return ret;
#endif
}

static long sys_futex(const void *uaddr, int op, uint32_t val, const void *timeout_or_val2,
                      const void *uaddr2, uint32_t val3)
{
    return raw_syscall6(SYS_futex, (long)uaddr, op, (long)val, (long)timeout_or_val2,
                        (long)uaddr2, (long)val3);
}

/* The futex2 calls take 64-bit time on every architecture. */
struct kernel_timespec { int64_t tv_sec; long long tv_nsec; };

struct kernel_waitv { uint64_t val; uint64_t uaddr; uint32_t flags; uint32_t reserved; };

/* ---- features ------------------------------------------------------------- */

#define FEATURES_PROBED 0x80000000u
static _Atomic unsigned features_cache;

static bool disabled_by_env(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0')) return true;
        p = strchr(p, ',');
        if (p) p++;
    }
    return false;
}

static unsigned probe_features(void)
{
    unsigned f = FUSS_FEATURE_SHARED;
    uint32_t dummy = 0;
    /* Each probe uses arguments the call rejects or ignores when it exists,
     * so only ENOSYS is told apart and nothing changes state. */
    if (raw_syscall6(__NR_futex_waitv, 0, 0, 0, 0, 0, 0) != -ENOSYS)
        f |= FUSS_FEATURE_WAITV;
    /* futex_wake's mask must fit the futex size (32 bits): -1L is EINVAL. */
    if (raw_syscall6(__NR_futex_wake, (long)&dummy, (long)FUSS_FUTEX_BITSET_ANY, 0,
                     FUTEX2_SIZE_U32 | FUTEX2_PRIVATE, 0, 0) == 0)
        f |= FUSS_FEATURE_FUTEX2;
    if (sys_futex(NULL, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0) != -ENOSYS)
        f |= FUSS_FEATURE_PI;
    if ((f & FUSS_FEATURE_PI) && sys_futex(NULL, FUTEX_LOCK_PI2, 0, NULL, NULL, 0) != -ENOSYS)
        f |= FUSS_FEATURE_LOCK_PI2;
    const char *off = getenv("FUSS_DISABLE");
    if (disabled_by_env(off, "futex2")) f &= ~FUSS_FEATURE_FUTEX2;
    if (disabled_by_env(off, "waitv")) f &= ~FUSS_FEATURE_WAITV;
    if (disabled_by_env(off, "lock_pi2")) f &= ~FUSS_FEATURE_LOCK_PI2;
    return f;
}

/* Racing first callers probe twice and store the same answer: harmless. */
static unsigned features(void)
{
    unsigned f = atomic_load_explicit(&features_cache, memory_order_relaxed);
    if (__builtin_expect(!(f & FEATURES_PROBED), 0)) {
        f = probe_features() | FEATURES_PROBED;
        atomic_store_explicit(&features_cache, f, memory_order_relaxed);
    }
    return f;
}

unsigned fuss__backend_features(void) { return features() & ~FEATURES_PROBED; }
const char *fuss__backend_name(void) { return "linux"; }

void fuss__clock_now(clockid_t clock, struct timespec *now)
{
    fuss__require(clock_gettime(clock, now) == 0, "clock_gettime(%d) failed", (int)clock);
}

/* ---- result checking ------------------------------------------------------ */

static int wait_result(long r, const char *call)
{
    switch (r) {
    case 0:
    case -EAGAIN:
    case -ETIMEDOUT:
    case -EINTR:
    case -EFAULT:
        return (int)r;
    default:
        fuss__fatal("%s: unexpected result %ld", call, r);
    }
}

/* Wakes may see EINVAL when user code mixes PI and non-PI use of a word. */
static int wake_result(long r, const char *call)
{
    if (r >= 0 || r == -EFAULT || r == -EINVAL || r == -EAGAIN) return (int)r;
    fuss__fatal("%s: unexpected result %ld", call, r);
}

static bool waitv_emulated(void) { return !(features() & FUSS_FEATURE_WAITV); }

/* (W) With waitv emulated, a waker must also look in the user-space queue.
 * The fence orders the caller's change of the word before the read of the
 * waiter count; it pairs with the seq_cst increment and fence in
 * fuss__q_waitv (queue.c, "(W)").  Costs nothing when the kernel has waitv. */
static bool emulated_waitv_waiters(unsigned flags)
{
    if (!waitv_emulated() || (flags & FUSS__SHARED)) return false;
    fence_seq_cst();
    return fuss__q_waitv_active() != 0;
}

/* ---- wait and wake -------------------------------------------------------- */

int fuss__wait(const a32_t *word, uint32_t expected, uint32_t bitset,
               const struct fuss__deadline *dl, unsigned flags)
{
    bool priv = !(flags & FUSS__SHARED);
    long r;
    if (features() & FUSS_FEATURE_FUTEX2) {
        struct kernel_timespec ts;
        if (dl) { ts.tv_sec = dl->at.tv_sec; ts.tv_nsec = dl->at.tv_nsec; }
        r = raw_syscall6(__NR_futex_wait, (long)word, expected, bitset,
                         FUTEX2_SIZE_U32 | (priv ? FUTEX2_PRIVATE : 0), dl ? (long)&ts : 0,
                         dl ? dl->clock : 0);
    } else {
        int op = FUTEX_WAIT_BITSET | (priv ? FUTEX_PRIVATE_FLAG : 0) |
                 (dl && dl->clock == CLOCK_REALTIME ? FUTEX_CLOCK_REALTIME : 0);
        r = sys_futex(word, op, expected, dl ? &dl->at : NULL, NULL, bitset);
    }
    return wait_result(r, "futex wait");
}

int fuss__wait_unlock(const a32_t *word, uint32_t expected, const struct fuss__deadline *dl,
                      unsigned flags, void (*unlock)(void *), void *arg)
{
    unlock(arg);
    return fuss__wait(word, expected, FUSS_FUTEX_BITSET_ANY, dl, flags);
}

static int kernel_wake(const a32_t *word, int count, uint32_t bitset, bool priv)
{
    long r;
    if (features() & FUSS_FEATURE_FUTEX2)
        r = raw_syscall6(__NR_futex_wake, (long)word, (long)(unsigned long)bitset, count,
                         FUTEX2_SIZE_U32 | (priv ? FUTEX2_PRIVATE : 0), 0, 0);
    else
        r = sys_futex(word, FUTEX_WAKE_BITSET | (priv ? FUTEX_PRIVATE_FLAG : 0), (uint32_t)count,
                      NULL, NULL, bitset);
    return wake_result(r, "futex wake");
}

/* For park_futex.c, the queue's own lock and parker (internal/park.h). */
int fuss__kernel_wait_private(const a32_t *word, uint32_t expected, const struct fuss__deadline *dl)
{
    return fuss__wait(word, expected, FUSS_FUTEX_BITSET_ANY, dl, 0);
}

void fuss__kernel_wake_private(const a32_t *word, int count)
{
    (void)kernel_wake(word, count, FUSS_FUTEX_BITSET_ANY, true);
}

int fuss__wake(const a32_t *word, int count, uint32_t bitset, unsigned flags)
{
    int r = kernel_wake(word, count, bitset, !(flags & FUSS__SHARED));
    if (r >= 0 && r < count && emulated_waitv_waiters(flags))
        r += fuss__q_wake(word, count - r, bitset);
    return r;
}

/* ---- requeue and wake-op ------------------------------------------------- */

static long kernel_cmp_requeue(const a32_t *from, uint32_t expected, int nwake, int nrequeue,
                               const a32_t *to, bool priv)
{
    if (features() & FUSS_FEATURE_FUTEX2) {
        uint32_t f = FUTEX2_SIZE_U32 | (priv ? FUTEX2_PRIVATE : 0);
        struct kernel_waitv w[2] = {
            { .val = expected, .uaddr = (uint64_t)(uintptr_t)from, .flags = f },
            { .val = 0, .uaddr = (uint64_t)(uintptr_t)to, .flags = f },
        };
        return raw_syscall6(__NR_futex_requeue, (long)w, 0, nwake, nrequeue, 0, 0);
    }
    return sys_futex(from, FUTEX_CMP_REQUEUE | (priv ? FUTEX_PRIVATE_FLAG : 0), (uint32_t)nwake,
                     (const void *)(long)nrequeue, to, expected);
}

int fuss__requeue(const a32_t *from, const uint32_t *cmp_expected, int nwake, int nrequeue,
                  const a32_t *to, unsigned flags)
{
    bool priv = !(flags & FUSS__SHARED);
    long r;
    if (cmp_expected)
        r = kernel_cmp_requeue(from, *cmp_expected, nwake, nrequeue, to, priv);
    else
        r = sys_futex(from, FUTEX_REQUEUE | (priv ? FUTEX_PRIVATE_FLAG : 0), (uint32_t)nwake,
                      (const void *)(long)nrequeue, to, 0);
    int total = wake_result(r, "futex requeue");
    if (total >= 0 && emulated_waitv_waiters(flags)) {
        /* The kernel wakes first, then moves: split its total that way. */
        int woken = total < nwake ? total : nwake, moved = total - woken;
        total += fuss__q_requeue(from, NULL, nwake - woken, nrequeue - moved, to);
    }
    return total;
}

/* FUTEX_WAKE_OP done in user space, for when emulated waitv waiters must be
 * woken too or a count is 0: the read-modify-write is one CAS, and each wake
 * follows it, so a waiter of word2 either saw the new value or is woken (if
 * cmp holds). */
static int wake_op_split(const a32_t *word1, int nwake1, a32_t *word2, int nwake2,
                         uint32_t op, unsigned flags)
{
    int wake2 = 0;
    uint32_t old = a32_load_relaxed(word2);
    while (!a32_cas_acqrel(word2, &old, fuss__futex_op_apply(op, old, &wake2)))
        ;
    int r = nwake1 ? fuss__wake(word1, nwake1, FUSS_FUTEX_BITSET_ANY, flags) : 0;
    if (r >= 0 && wake2 && nwake2) {
        int r2 = fuss__wake(word2, nwake2, FUSS_FUTEX_BITSET_ANY, flags);
        r = r2 < 0 ? r2 : r + r2;
    }
    return r;
}

int fuss__wake_op(const a32_t *word1, int nwake1, a32_t *word2, int nwake2,
                  uint32_t op, unsigned flags)
{
    /* The kernel wakes one waiter when asked for none (futex_wake_op's
     * loop counts after waking), so a count of 0 takes the split path too. */
    if (nwake1 == 0 || nwake2 == 0 || emulated_waitv_waiters(flags))
        return wake_op_split(word1, nwake1, word2, nwake2, op, flags);
    bool priv = !(flags & FUSS__SHARED);
    long r = sys_futex(word1, FUTEX_WAKE_OP | (priv ? FUTEX_PRIVATE_FLAG : 0), (uint32_t)nwake1,
                       (const void *)(long)nwake2, word2, op);
    return wake_result(r, "futex wake_op");
}

/* ---- waitv ---------------------------------------------------------------- */

int fuss__waitv(const fuss_futex_waiter_t *waiters, unsigned count,
                const struct fuss__deadline *dl)
{
    if (waitv_emulated()) {
        for (unsigned i = 0; i < count; i++)
            if (waiters[i].flags & FUSS__SHARED) return -ENOTSUP;
        return fuss__q_waitv(waiters, count, dl);
    }
    struct kernel_waitv v[FUSS_FUTEX_WAITV_MAX];
    for (unsigned i = 0; i < count; i++) {
        v[i].val = waiters[i].expected;
        v[i].uaddr = (uint64_t)(uintptr_t)waiters[i].word;
        v[i].flags = FUTEX2_SIZE_U32 | ((waiters[i].flags & FUSS__SHARED) ? 0 : FUTEX2_PRIVATE);
        v[i].reserved = 0;
    }
    struct kernel_timespec ts;
    if (dl) { ts.tv_sec = dl->at.tv_sec; ts.tv_nsec = dl->at.tv_nsec; }
    long r = raw_syscall6(__NR_futex_waitv, (long)v, count, 0, dl ? (long)&ts : 0,
                          dl ? dl->clock : 0, 0);
    if (r >= 0) return (int)r;
    return wait_result(r, "futex_waitv");
}

/* ---- priority inheritance ------------------------------------------------- */

/* LOCK_PI takes only CLOCK_REALTIME: move a monotonic deadline over. */
static struct timespec monotonic_to_realtime(struct timespec at)
{
    struct timespec mono, real;
    fuss__clock_now(CLOCK_MONOTONIC, &mono);
    fuss__clock_now(CLOCK_REALTIME, &real);
    struct timespec left = fuss__timespec_sub(at, mono);
    if (left.tv_sec < 0) return real;
    return fuss__timespec_add(real, left);
}

static int pi_result(long r, const char *call)
{
    switch (r) {
    case 0: case -ETIMEDOUT: case -EDEADLK: case -ESRCH: case -EPERM: case -EINVAL:
    case -EFAULT: case -EAGAIN: case -EBUSY: case -ENOMEM: case -EINTR: case -ENOSYS:
        return r == -ENOSYS ? -ENOTSUP : (int)r;
    default:
        fuss__fatal("%s: unexpected result %ld", call, r);
    }
}

int fuss__lock_pi(a32_t *word, const struct fuss__deadline *dl, unsigned flags)
{
    int priv = (flags & FUSS__SHARED) ? 0 : FUTEX_PRIVATE_FLAG;
    int op = FUTEX_LOCK_PI;
    struct timespec at;
    if (dl) {
        at = dl->at;
        if (features() & FUSS_FEATURE_LOCK_PI2)
            op = FUTEX_LOCK_PI2 | (dl->clock == CLOCK_REALTIME ? FUTEX_CLOCK_REALTIME : 0);
        else if (dl->clock == CLOCK_MONOTONIC)
            at = monotonic_to_realtime(at);
    }
    for (;;) {
        int r = pi_result(sys_futex(word, op | priv, 0, dl ? &at : NULL, NULL, 0), "FUTEX_LOCK_PI");
        /* EAGAIN: the owner is exiting and the kernel has not cleaned up yet
         * (futex(2)); it will shortly, so try again. */
        if (r != -EAGAIN && r != -EINTR) return r;
        sched_yield();
    }
}

int fuss__trylock_pi(a32_t *word, unsigned flags)
{
    int priv = (flags & FUSS__SHARED) ? 0 : FUTEX_PRIVATE_FLAG;
    int r = pi_result(sys_futex(word, FUTEX_TRYLOCK_PI | priv, 0, NULL, NULL, 0),
                      "FUTEX_TRYLOCK_PI");
    return r == -EAGAIN ? -EBUSY : r;
}

int fuss__unlock_pi(a32_t *word, unsigned flags)
{
    int priv = (flags & FUSS__SHARED) ? 0 : FUTEX_PRIVATE_FLAG;
    return pi_result(sys_futex(word, FUTEX_UNLOCK_PI | priv, 0, NULL, NULL, 0), "FUTEX_UNLOCK_PI");
}

/* ---- owner identity and the robust list (omutex) -------------------------- */

_Static_assert(sizeof(struct fuss__robust_head) == sizeof(struct robust_list_head) &&
                   __builtin_offsetof(struct fuss__robust_head, futex_offset) ==
                       __builtin_offsetof(struct robust_list_head, futex_offset) &&
                   __builtin_offsetof(struct fuss__robust_head, list_op_pending) ==
                       __builtin_offsetof(struct robust_list_head, list_op_pending),
               "fuss__robust_head must be the kernel's struct robust_list_head");

uint32_t fuss__gettid(void)
{
    long r = raw_syscall6(SYS_gettid, 0, 0, 0, 0, 0, 0);
    fuss__require(r > 0, "gettid: unexpected result %ld", r);
    return (uint32_t)r;
}

int fuss__sched_rt_priority(void)
{
    long pol = raw_syscall6(SYS_sched_getscheduler, 0, 0, 0, 0, 0, 0);
    if (pol < 0) return 0;
    pol &= ~(long)SCHED_RESET_ON_FORK;
    if (pol != SCHED_FIFO && pol != SCHED_RR) return 0;
    struct sched_param sp;
    if (raw_syscall6(SYS_sched_getparam, 0, (long)&sp, 0, 0, 0, 0) < 0 || sp.sched_priority < 1)
        return 1; /* real-time all the same */
    return sp.sched_priority;
}

int fuss__get_robust_list(struct fuss__robust_head **head)
{
    size_t len = 0;
    void *h = NULL;
    long r = raw_syscall6(SYS_get_robust_list, 0, (long)&h, (long)&len, 0, 0, 0);
    if (r == -ENOSYS) return -ENOTSUP;
    fuss__require(r == 0, "get_robust_list: unexpected result %ld", r);
    /* A head of another size is an ABI this code does not know. */
    if (h && len != sizeof(struct robust_list_head)) return -ENOTSUP;
    *head = (struct fuss__robust_head *)h;
    return 0;
}

int fuss__set_robust_list(struct fuss__robust_head *head)
{
    long r = raw_syscall6(SYS_set_robust_list, (long)head, (long)sizeof *head, 0, 0, 0, 0);
    if (r == -ENOSYS) return -ENOTSUP;
    if (r == -EINVAL) return -EINVAL;
    fuss__require(r == 0, "set_robust_list: unexpected result %ld", r);
    return 0;
}
