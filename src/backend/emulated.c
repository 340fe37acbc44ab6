/*
 * The emulated backend: futex semantics without a kernel futex, for private
 * words.  Everything is done by the user-space queues of queue.c; this file
 * only states what the backend cannot do.
 *
 * Cannot do, and says so with ENOTSUP:
 *   - process-shared words: the queues live in this process's memory, so
 *     another process's waker could never find our waiters;
 *   - priority inheritance: boosting the owner's priority needs the kernel.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <unistd.h> /* gettid */

#include "internal/assert.h"
#include "internal/queue.h"
#include "internal/wait.h"

int fuss__wait(const a32_t *word, uint32_t expected, uint32_t bitset,
               const struct fuss__deadline *dl, unsigned flags)
{
    if (flags & FUSS__SHARED) return -ENOTSUP;
    return fuss__q_wait(word, expected, bitset, dl);
}

int fuss__wait_unlock(const a32_t *word, uint32_t expected, const struct fuss__deadline *dl,
                      unsigned flags, void (*unlock)(void *), void *arg)
{
    if (flags & FUSS__SHARED) {
        unlock(arg);
        return -ENOTSUP;
    }
    return fuss__q_wait_unlock(word, expected, dl, unlock, arg);
}

int fuss__wake(const a32_t *word, int count, uint32_t bitset, unsigned flags)
{
    if (flags & FUSS__SHARED) return -ENOTSUP;
    return fuss__q_wake(word, count, bitset);
}

int fuss__requeue(const a32_t *from, const uint32_t *cmp_expected, int nwake, int nrequeue,
                  const a32_t *to, unsigned flags)
{
    if (flags & FUSS__SHARED) return -ENOTSUP;
    return fuss__q_requeue(from, cmp_expected, nwake, nrequeue, to);
}

int fuss__wake_op(const a32_t *word1, int nwake1, a32_t *word2, int nwake2,
                  uint32_t op, unsigned flags)
{
    if (flags & FUSS__SHARED) return -ENOTSUP;
    return fuss__q_wake_op(word1, nwake1, word2, nwake2, op);
}

int fuss__waitv(const fuss_futex_waiter_t *waiters, unsigned count,
                const struct fuss__deadline *dl)
{
    for (unsigned i = 0; i < count; i++)
        if (waiters[i].flags & FUSS__SHARED) return -ENOTSUP;
    return fuss__q_waitv(waiters, count, dl);
}

int fuss__lock_pi(a32_t *word, const struct fuss__deadline *dl, unsigned flags)
{
    (void)word; (void)dl; (void)flags;
    return -ENOTSUP;
}

int fuss__trylock_pi(a32_t *word, unsigned flags)
{
    (void)word; (void)flags;
    return -ENOTSUP;
}

int fuss__unlock_pi(a32_t *word, unsigned flags)
{
    (void)word; (void)flags;
    return -ENOTSUP;
}

void fuss__clock_now(clockid_t clock, struct timespec *now)
{
    fuss__require(clock_gettime(clock, now) == 0, "clock_gettime(%d) failed", (int)clock);
}

const char *fuss__backend_name(void) { return "emulated"; }

unsigned fuss__backend_features(void) { return 0; }

/* ---- owner identity and the robust list (omutex) -------------------------- */

/* Thread ids come from the kernel on any Linux; only robust lists need the
 * kernel's help at thread death, which this backend does not rely on. */
uint32_t fuss__gettid(void) { return (uint32_t)gettid(); }

/* The waits here are queued in arrival order, not by priority; a caller
 * still learns whether it is a real-time thread (rwlock.c). */
int fuss__sched_rt_priority(void)
{
    int pol;
    struct sched_param sp;
    if (pthread_getschedparam(pthread_self(), &pol, &sp) != 0) return 0;
    if (pol != SCHED_FIFO && pol != SCHED_RR) return 0;
    return sp.sched_priority > 0 ? sp.sched_priority : 1;
}

int fuss__get_robust_list(struct fuss__robust_head **head)
{
    (void)head;
    return -ENOTSUP;
}

int fuss__set_robust_list(struct fuss__robust_head *head)
{
    (void)head;
    return -ENOTSUP;
}
