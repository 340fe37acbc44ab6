/*
 * User-space wait queues ("parking lot"), keyed by word address.
 *
 * The emulated backend is built entirely on this; the linux backend uses it
 * only to emulate futex_waitv on kernels that lack it.  It serves words of
 * one process (private words) only.  Results follow internal/wait.h: a
 * non-negative result or a negative errno.
 */
#ifndef FUSS_INTERNAL_QUEUE_H
#define FUSS_INTERNAL_QUEUE_H

#include <stdint.h>

#include "internal/wait.h"

int fuss__q_wait(const a32_t *word, uint32_t expected, uint32_t bitset,
                 const struct fuss__deadline *dl);
int fuss__q_wait_unlock(const a32_t *word, uint32_t expected, const struct fuss__deadline *dl,
                        void (*unlock)(void *), void *arg);
int fuss__q_wake(const a32_t *word, int count, uint32_t bitset);
int fuss__q_requeue(const a32_t *from, const uint32_t *cmp_expected, int nwake, int nrequeue,
                    const a32_t *to);
int fuss__q_wake_op(const a32_t *word1, int nwake1, a32_t *word2, int nwake2, uint32_t op);
int fuss__q_waitv(const fuss_futex_waiter_t *waiters, unsigned count,
                  const struct fuss__deadline *dl);

/* Number of waitv calls currently queued here.  The linux backend's wakes
 * consult the queue only while this is non-zero; see the fence (W) in
 * queue.c and its partner in linux.c. */
unsigned fuss__q_waitv_active(void);

#endif
