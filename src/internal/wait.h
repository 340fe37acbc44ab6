/*
 * The backend contract: the only way primitives and the public futex layer
 * reach a wait queue.  Exactly one backend file (src/backend/linux.c or
 * src/backend/emulated.c) implements it in a given library; it is the only
 * code that makes system calls.
 *
 * RESULTS.  Internally, every call returns a non-negative result (0, a count,
 * an index) or a NEGATIVE errno value, kernel style; the public layer turns
 * these into fuss's positive-errno convention.  Callers here never see errno.
 *
 * THE PROMISE THAT NO WAKE-UP IS LOST.  fuss__wait() compares *word with
 * expected and enqueues the caller as one atomic step with respect to every
 * fuss__wake*() / requeue / wake_op on the same word.  So if a waker changes
 * the word and then wakes, a waiter either saw the new value (-EAGAIN) or was
 * already queued and is woken.  The linux backend gets this from the kernel's
 * hash-bucket lock; the emulated backend from its own bucket lock (queue.c).
 *
 * A WAIT MAY RETURN EARLY FOR ANY REASON (0 without a wake-up).  Callers loop.
 *
 *   fuss__wait      0 | -EAGAIN | -ETIMEDOUT | -EINTR | -EFAULT | -ENOTSUP
 *   fuss__wake      number woken (>= 0) | -EFAULT | -ENOTSUP
 *   fuss__requeue   woken + requeued (>= 0) | -EAGAIN (cmp failed) | ...
 *   fuss__wake_op   total woken (>= 0) | -EFAULT | -ENOTSUP
 *   fuss__waitv     index woken (>= 0) | -EAGAIN | -ETIMEDOUT | -EINTR | ...
 *   fuss__*_pi      0 | negative errno, see <fuss/futex.h>
 *
 * Arguments are already validated by the caller (aligned non-NULL words,
 * valid deadlines, bitset != 0, counts clamped to INT_MAX, known op codes).
 */
#ifndef FUSS_INTERNAL_WAIT_H
#define FUSS_INTERNAL_WAIT_H

#include <stdint.h>

#include "fuss/futex.h"
#include "internal/atomic.h"
#include "internal/time.h"

/* Flags of the contract: the public FUSS_PRIVATE / FUSS_SHARED values. */
#define FUSS__SHARED FUSS_SHARED

int fuss__wait(const a32_t *word, uint32_t expected, uint32_t bitset,
               const struct fuss__deadline *dl, unsigned flags);
int fuss__wake(const a32_t *word, int count, uint32_t bitset, unsigned flags);
/* cmp_expected NULL: plain FUTEX_REQUEUE, no comparison. */
/* fuss__wait for a caller that must release a lock before sleeping (a
 * condvar waiter and its mutex): the backend calls unlock(arg) exactly once,
 * after it has made sure the wait will see any later wake-up, and never
 * reads *word after that call.  The linux backend releases, then sleeps
 * (the kernel reads the word and answers EFAULT if it is gone); the emulated
 * backend queues first, then releases, so a waiter never reads a condvar
 * that a broadcast may already have let its owner free.  Results as for
 * fuss__wait. */
int fuss__wait_unlock(const a32_t *word, uint32_t expected, const struct fuss__deadline *dl,
                      unsigned flags, void (*unlock)(void *), void *arg);
int fuss__requeue(const a32_t *from, const uint32_t *cmp_expected, int nwake, int nrequeue,
                  const a32_t *to, unsigned flags);
int fuss__wake_op(const a32_t *word1, int nwake1, a32_t *word2, int nwake2,
                  uint32_t op, unsigned flags);
int fuss__waitv(const fuss_futex_waiter_t *waiters, unsigned count,
                const struct fuss__deadline *dl);
int fuss__lock_pi(a32_t *word, const struct fuss__deadline *dl, unsigned flags);
int fuss__trylock_pi(a32_t *word, unsigned flags);
int fuss__unlock_pi(a32_t *word, unsigned flags);

/* clock_gettime, for converting relative timeouts and for spin budgets. */
void fuss__clock_now(clockid_t clock, struct timespec *now);
const char *fuss__backend_name(void);
unsigned fuss__backend_features(void); /* FUSS_FEATURE_* */

/* Convenience wrappers primitives use. */
static inline int fuss__wake_one(const a32_t *w, unsigned flags)
{
    return fuss__wake(w, 1, FUSS_FUTEX_BITSET_ANY, flags);
}
static inline int fuss__wake_all(const a32_t *w, unsigned flags)
{
    return fuss__wake(w, 0x7fffffff, FUSS_FUTEX_BITSET_ANY, flags);
}

/* Evaluate a FUTEX_OP encoding on the old value: returns the new value and
 * sets *wake2 to the comparison's outcome.  Shared by the emulated backend
 * and the tests; the public layer rejects unknown op/cmp codes first. */
static inline uint32_t fuss__futex_op_apply(uint32_t op, uint32_t old, int *wake2)
{
    uint32_t kind = (op >> 28) & 0x7u;
    int shift = (op >> 28) & FUSS_FUTEX_OP_ARG_SHIFT;
    uint32_t cmp = (op >> 24) & 0xfu;
    int32_t oparg = (int32_t)(op << 8) >> 20;  /* sign-extend 12 bits */
    int32_t cmparg = (int32_t)(op << 20) >> 20;
    if (shift) oparg = (int32_t)(1u << (oparg & 31)); /* the kernel masks too */
    uint32_t v = (uint32_t)oparg, nv = old;
    switch (kind) {
    case FUSS_FUTEX_OP_SET:  nv = v; break;
    case FUSS_FUTEX_OP_ADD:  nv = old + v; break;
    case FUSS_FUTEX_OP_OR:   nv = old | v; break;
    case FUSS_FUTEX_OP_ANDN: nv = old & ~v; break;
    case FUSS_FUTEX_OP_XOR:  nv = old ^ v; break;
    }
    int32_t o = (int32_t)old;
    switch (cmp) {
    case FUSS_FUTEX_OP_CMP_EQ: *wake2 = o == cmparg; break;
    case FUSS_FUTEX_OP_CMP_NE: *wake2 = o != cmparg; break;
    case FUSS_FUTEX_OP_CMP_LT: *wake2 = o < cmparg; break;
    case FUSS_FUTEX_OP_CMP_LE: *wake2 = o <= cmparg; break;
    case FUSS_FUTEX_OP_CMP_GT: *wake2 = o > cmparg; break;
    default:                   *wake2 = o >= cmparg; break;
    }
    return nv;
}

static inline int fuss__futex_op_valid(uint32_t op)
{
    return ((op >> 28) & 0x7u) <= FUSS_FUTEX_OP_XOR && ((op >> 24) & 0xfu) <= FUSS_FUTEX_OP_CMP_GE;
}

/* ---- owner identity and the robust list (omutex) ---------------------------
 * For fuss_omutex_t (src/omutex.c, src/omutex_robust.c), which records its
 * owner's thread id in the lock word and links robust mutexes into the
 * kernel's per-thread robust list.
 *
 *   fuss__gettid            the caller's kernel thread id (> 0); never fails.
 *                           Callers cache it (a system call on linux).
 *   fuss__get_robust_list   *head = the calling thread's registered robust
 *                           list head, or NULL if it has none: 0 | -ENOTSUP
 *   fuss__set_robust_list   register head for the calling thread, replacing
 *                           any earlier registration (callers only do this
 *                           when there is none): 0 | -ENOTSUP | -EINVAL
 *
 * The emulated backend answers -ENOTSUP for both robust-list calls: without
 * the kernel nobody notices a thread's death. */
struct fuss__robust_head {       /* the kernel's struct robust_list_head (ABI) */
    void *list;                  /* first entry (bit 0: it is a PI futex), or &list when empty */
    long futex_offset;           /* lock word address minus entry address */
    void *list_op_pending;       /* entry being locked or unlocked right now, or NULL */
};
uint32_t fuss__gettid(void);
/* The calling thread's real-time priority (>= 1) if it runs under SCHED_FIFO
 * or SCHED_RR, else 0 (also if the question cannot be asked).  A system
 * call or two: for slow paths only (rwlock.c, REAL-TIME READERS). */
int fuss__sched_rt_priority(void);
int fuss__get_robust_list(struct fuss__robust_head **head);
int fuss__set_robust_list(struct fuss__robust_head *head);

#endif /* FUSS_INTERNAL_WAIT_H */
