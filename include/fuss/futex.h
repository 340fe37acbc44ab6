/*
 * fuss/futex.h — the futex operations, as one checked, portable API.
 *
 * A futex is a 32-bit word plus a wait queue the system keeps for it.  These
 * calls let a thread sleep while a word holds a value it expects, and let
 * another thread wake sleepers after changing the word.  They are the
 * building block of every fuss lock; most programs want <fuss.h>'s mutex,
 * condition variable and friends instead.
 *
 * Words and flags.  A word must be 4-byte aligned and non-NULL (else EINVAL).
 * Pass FUSS_PRIVATE when only threads of one process use the word (faster:
 * the system need not translate the address), FUSS_SHARED when the word lives
 * in memory shared between processes (mmap MAP_SHARED, shm_open, shmat); the
 * word may then sit at a different address in each process.  Waiters and
 * wakers of one word must agree on the flag.
 *
 * Backends.  The "linux" backend uses futex(2), futex_waitv(2) and, on Linux
 * 6.7 and later, futex_wait/futex_wake(2), probing at run time and falling
 * back on older kernels.  The "emulated" backend keeps its own wait queues in
 * user space (hashed by address); it serves private words only and answers
 * ENOTSUP for FUSS_SHARED and for the priority-inheritance operations.
 * fuss_futex_backend() names the backend in use.
 *
 * Waiting.  Every wait may return 0 without a wake-up ("spurious"): callers
 * re-check their condition in a loop.  Waits return:
 *   0          woken (or spuriously)
 *   EAGAIN     the word did not hold the expected value (checked atomically
 *              with going to sleep: a wake-up between the caller's check and
 *              the sleep is never lost)
 *   ETIMEDOUT  the deadline passed
 *   EINTR      a signal handler ran (linux backend only); re-check and retry
 *   EINVAL     NULL or misaligned word, malformed deadline, bad clock, bitset 0
 *   EFAULT     the word is not mapped (linux backend)
 *   ENOTSUP    FUSS_SHARED on the emulated backend
 *
 * Example: a one-shot flag.
 *     static uint32_t ready;
 *     // waiter
 *     while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) == 0)
 *         fuss_futex_wait(&ready, 0, FUSS_PRIVATE);
 *     // setter
 *     __atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
 *     fuss_futex_wake(&ready, FUSS_FUTEX_WAKE_ALL, FUSS_PRIVATE, NULL);
 */
#ifndef FUSS_FUTEX_H
#define FUSS_FUTEX_H

#include "common.h"

FUSS_BEGIN_DECLS

#define FUSS_FUTEX_WAKE_ALL   0x7fffffffu /* count meaning "every waiter" */
#define FUSS_FUTEX_BITSET_ANY 0xffffffffu /* bitset matching every waiter */
#define FUSS_FUTEX_WAITV_MAX  128u        /* most words one waitv takes */

/* ---- wait and wake -------------------------------------------------------- */

/* Sleep while *word == expected, with no timeout. */
FUSS_API int fuss_futex_wait(const uint32_t *word, uint32_t expected, unsigned flags);

/* Sleep while *word == expected, until the absolute deadline on clock
 * (CLOCK_MONOTONIC or CLOCK_REALTIME).  deadline NULL waits forever. */
FUSS_API int fuss_futex_wait_until(const uint32_t *word, uint32_t expected, clockid_t clock,
                                   const struct timespec *deadline, unsigned flags);

/* Sleep while *word == expected, for at most the relative timeout, measured
 * on CLOCK_MONOTONIC.  timeout NULL waits forever. */
FUSS_API int fuss_futex_wait_for(const uint32_t *word, uint32_t expected,
                                 const struct timespec *timeout, unsigned flags);

/* Wake up to count waiters of word (FUSS_FUTEX_WAKE_ALL for all).  *woken,
 * if not NULL, receives how many were woken (0 when nobody waited).  A count
 * of 0 wakes nobody.  Returns 0, EINVAL, EFAULT or ENOTSUP. */
FUSS_API int fuss_futex_wake(const uint32_t *word, unsigned count, unsigned flags,
                             unsigned *woken);

/* As above, but a waiter is eligible only if its bitset and the waker's share
 * a bit (FUTEX_WAIT_BITSET / FUTEX_WAKE_BITSET).  A bitset of 0 is EINVAL. */
FUSS_API int fuss_futex_wait_bitset(const uint32_t *word, uint32_t expected, uint32_t bitset,
                                    clockid_t clock, const struct timespec *deadline,
                                    unsigned flags);
FUSS_API int fuss_futex_wake_bitset(const uint32_t *word, unsigned count, uint32_t bitset,
                                    unsigned flags, unsigned *woken);

/* ---- requeue ---------------------------------------------------------------- */

/* Wake up to nwake waiters of from, then move up to nrequeue of the remaining
 * ones to wait on to instead (they wake when to is woken).  *woken and
 * *requeued (each may be NULL) receive the counts.
 * fuss_futex_cmp_requeue first checks, atomically with the operation, that
 * *from == expected, and returns EAGAIN (doing nothing) if not: use it, not
 * the plain form, whenever the word can change concurrently. */
FUSS_API int fuss_futex_requeue(const uint32_t *from, unsigned nwake, unsigned nrequeue,
                                const uint32_t *to, unsigned flags,
                                unsigned *woken, unsigned *requeued);
FUSS_API int fuss_futex_cmp_requeue(const uint32_t *from, uint32_t expected, unsigned nwake,
                                    unsigned nrequeue, const uint32_t *to, unsigned flags,
                                    unsigned *woken, unsigned *requeued);

/* ---- wake-op ---------------------------------------------------------------- */

/* FUTEX_WAKE_OP: atomically { old = *word2; *word2 = old OP oparg; } then wake
 * up to nwake1 waiters of word1 and, if (old CMP cmparg), up to nwake2
 * waiters of word2.  op is built with FUSS_FUTEX_OP(); oparg and cmparg are
 * 12-bit signed values; with FUSS_FUTEX_OP_ARG_SHIFT the operand is
 * 1 << oparg (oparg in 0..31).  The comparison is on signed 32-bit values.
 * *woken receives the total woken on both words.  An op or cmp outside the
 * values below is EINVAL. */
#define FUSS_FUTEX_OP_SET  0u /* *word2 = oparg */
#define FUSS_FUTEX_OP_ADD  1u /* *word2 += oparg */
#define FUSS_FUTEX_OP_OR   2u /* *word2 |= oparg */
#define FUSS_FUTEX_OP_ANDN 3u /* *word2 &= ~oparg */
#define FUSS_FUTEX_OP_XOR  4u /* *word2 ^= oparg */
#define FUSS_FUTEX_OP_ARG_SHIFT 8u /* or'ed into op: use (1 << oparg) */
#define FUSS_FUTEX_OP_CMP_EQ 0u
#define FUSS_FUTEX_OP_CMP_NE 1u
#define FUSS_FUTEX_OP_CMP_LT 2u
#define FUSS_FUTEX_OP_CMP_LE 3u
#define FUSS_FUTEX_OP_CMP_GT 4u
#define FUSS_FUTEX_OP_CMP_GE 5u
#define FUSS_FUTEX_OP(op, oparg, cmp, cmparg)                                 \
    ((((uint32_t)(op) & 0xfu) << 28) | (((uint32_t)(cmp) & 0xfu) << 24) |     \
     (((uint32_t)(oparg) & 0xfffu) << 12) | ((uint32_t)(cmparg) & 0xfffu))

FUSS_API int fuss_futex_wake_op(const uint32_t *word1, unsigned nwake1, uint32_t *word2,
                                unsigned nwake2, uint32_t op, unsigned flags, unsigned *woken);

/* ---- wait on several words -------------------------------------------------- */

typedef struct fuss_futex_waiter {
    const uint32_t *word; /* aligned, non-NULL */
    uint32_t expected;    /* sleep only while *word == expected */
    unsigned flags;       /* FUSS_PRIVATE or FUSS_SHARED, per word */
} fuss_futex_waiter_t;

/* Sleep until any of the count words (1..FUSS_FUTEX_WAITV_MAX) is woken.
 * Returns 0 and sets *index (may be NULL) to the position of the word whose
 * wake-up ended the wait; EAGAIN if some word did not hold its expected value
 * on entry; ETIMEDOUT; EINTR; EINVAL (count 0 or too large, bad word, bad
 * deadline).  Unlike the single-word waits it does not return spuriously.
 * On kernels before 5.16 (no futex_waitv) the linux backend emulates it for
 * private words with a user-space queue that fuss's own wake operations
 * consult; such a waiter is not woken by a raw futex(2) system call, and
 * shared words then answer ENOTSUP. */
FUSS_API int fuss_futex_waitv(const fuss_futex_waiter_t *waiters, unsigned count,
                              clockid_t clock, const struct timespec *deadline,
                              unsigned *index);

/* ---- priority inheritance --------------------------------------------------- */

/* The PI word protocol (fixed by the kernel): 0 = unlocked; otherwise the
 * owner's thread id (gettid()) in the low 30 bits, FUSS_FUTEX_WAITERS set
 * while threads are blocked, FUSS_FUTEX_OWNER_DIED set when a robust owner
 * died.  A locker first tries CAS 0 -> tid itself; these calls are the slow
 * path.  While a higher-priority thread waits, the owner runs at its
 * priority.  Linux backend only; the emulated backend answers ENOTSUP.
 *   fuss_futex_lock_pi:    0, ETIMEDOUT, EDEADLK (caller owns it), ESRCH
 *                          (the word names a thread that does not exist),
 *                          EPERM (the word names a thread that cannot own a
 *                          PI futex, e.g. a kernel thread), EINVAL, ENOTSUP.
 *                          A CLOCK_MONOTONIC deadline needs FUTEX_LOCK_PI2
 *                          (Linux 5.14); older kernels get it converted to
 *                          CLOCK_REALTIME at the call.
 *   fuss_futex_trylock_pi: 0, EBUSY (another owner), EDEADLK, ESRCH, EPERM
 *                          (as for lock), EINVAL, ENOTSUP
 *   fuss_futex_unlock_pi:  0, EPERM (caller is not the owner), EINVAL, ENOTSUP */
#define FUSS_FUTEX_WAITERS    0x80000000u
#define FUSS_FUTEX_OWNER_DIED 0x40000000u
#define FUSS_FUTEX_TID_MASK   0x3fffffffu

FUSS_API int fuss_futex_lock_pi(uint32_t *word, clockid_t clock,
                                const struct timespec *deadline, unsigned flags);
FUSS_API int fuss_futex_trylock_pi(uint32_t *word, unsigned flags);
FUSS_API int fuss_futex_unlock_pi(uint32_t *word, unsigned flags);

/* ---- what this process runs on ---------------------------------------------- */

#define FUSS_FEATURE_SHARED   0x01u /* process-shared words work */
#define FUSS_FEATURE_WAITV    0x02u /* waitv served by the kernel, not emulated */
#define FUSS_FEATURE_FUTEX2   0x04u /* futex_wait/futex_wake syscalls (6.7+) in use */
#define FUSS_FEATURE_PI       0x08u /* priority-inheritance operations */
#define FUSS_FEATURE_LOCK_PI2 0x10u /* PI lock with a CLOCK_MONOTONIC deadline */

/* "linux" or "emulated". */
FUSS_API const char *fuss_futex_backend(void);
/* FUSS_FEATURE_* bits available to this process (probed once, at first use).
 * The environment variable FUSS_DISABLE (a comma list of futex2, waitv,
 * lock_pi2) turns probed kernel features off, for tests and buggy kernels. */
FUSS_API unsigned fuss_futex_features(void);

/* ---- the system-call-compatible entry point --------------------------------- */

/* fuss_futex() takes the arguments of the Linux futex(2) system call, with
 * the op codes of <linux/futex.h> (values repeated below as FUSS_FUTEX_CMD_*,
 * optionally or'ed with FUSS_FUTEX_CMD_PRIVATE and FUSS_FUTEX_CMD_CLOCK_REALTIME)
 * and reports like it: the operation's result (0, or a count), or -1 with
 * errno set.  Code written against the futex(2) page ports by replacing
 * "syscall(SYS_futex," with "fuss_futex(".  FUTEX_FD answers ENOSYS, as it has
 * since Linux 2.6.26: wait on a word with fuss_futex_waitv() or signal an
 * eventfd(2) instead.  Unknown ops answer ENOSYS.
 *
 * fuss_futex_openbsd() takes the OpenBSD futex(2) arguments and op codes
 * (FUSS_OPENBSD_FUTEX_WAIT = 1, _WAKE = 2, _REQUEUE = 3, | _PRIVATE_FLAG);
 * <fuss/compat/openbsd_futex.h> maps OpenBSD's names onto it. */
#define FUSS_FUTEX_CMD_WAIT             0
#define FUSS_FUTEX_CMD_WAKE             1
#define FUSS_FUTEX_CMD_FD               2
#define FUSS_FUTEX_CMD_REQUEUE          3
#define FUSS_FUTEX_CMD_CMP_REQUEUE      4
#define FUSS_FUTEX_CMD_WAKE_OP          5
#define FUSS_FUTEX_CMD_LOCK_PI          6
#define FUSS_FUTEX_CMD_UNLOCK_PI        7
#define FUSS_FUTEX_CMD_TRYLOCK_PI       8
#define FUSS_FUTEX_CMD_WAIT_BITSET      9
#define FUSS_FUTEX_CMD_WAKE_BITSET      10
#define FUSS_FUTEX_CMD_WAIT_REQUEUE_PI  11
#define FUSS_FUTEX_CMD_CMP_REQUEUE_PI   12
#define FUSS_FUTEX_CMD_LOCK_PI2         13
#define FUSS_FUTEX_CMD_PRIVATE          128
#define FUSS_FUTEX_CMD_CLOCK_REALTIME   256

FUSS_API long fuss_futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec *timeout,
                         uint32_t *uaddr2, uint32_t val3);

#define FUSS_OPENBSD_FUTEX_WAIT         1
#define FUSS_OPENBSD_FUTEX_WAKE         2
#define FUSS_OPENBSD_FUTEX_REQUEUE      3
#define FUSS_OPENBSD_FUTEX_PRIVATE_FLAG 128

FUSS_API int fuss_futex_openbsd(volatile uint32_t *uaddr, int op, int val,
                                const struct timespec *timeout, volatile uint32_t *uaddr2);

FUSS_END_DECLS

#endif /* FUSS_FUTEX_H */
