/*
 * The user-space queue's two primitives (backend/queue.c): a short lock for
 * each bucket and a per-thread parker a waker posts once.
 *
 * Two implementations, one per backend, chosen by the build:
 *   backend/park_futex.c   the linux backend: a futex word each, with the
 *                          backend's own kernel calls.  So the library makes
 *                          no pthread_* or sem_* call that libfuss-pthread.so
 *                          (which is built on this backend) also exports:
 *                          inside the drop-in those would bind to its own
 *                          exports, a circle (DESIGN.md, "Layers").
 *   backend/park_posix.c   the emulated backend (FUSS_PARK_POSIX): a pthread
 *                          mutex and a POSIX semaphore, so that backend
 *                          makes no futex call of its own.
 *
 * Both: a lock of zero bytes is unlocked and may be re-initialised in a
 * fork child by fuss__park_lock_reset; a parker holds at most one token
 * (posted once per claim, queue.c) and is 0 whenever a wait begins.
 */
#ifndef FUSS_INTERNAL_PARK_H
#define FUSS_INTERNAL_PARK_H

#include "internal/atomic.h"
#include "internal/time.h"

#ifdef FUSS_PARK_POSIX
#include <pthread.h>
#include <semaphore.h>
typedef pthread_mutex_t fuss__park_lock_t;
#define FUSS__PARK_LOCK_INIT PTHREAD_MUTEX_INITIALIZER
typedef sem_t fuss__parker_t;
#else
typedef struct { a32_t word; } fuss__park_lock_t; /* park_futex.c, THE LOCK */
#define FUSS__PARK_LOCK_INIT { 0 }
typedef struct { a32_t token; } fuss__parker_t;   /* park_futex.c, THE PARKER */
/* The linux backend's private futex calls, without the queue (linux.c):
 * fuss__wait's results; the wake's count is not needed. */
int fuss__kernel_wait_private(const a32_t *word, uint32_t expected, const struct fuss__deadline *dl);
void fuss__kernel_wake_private(const a32_t *word, int count);
#endif

void fuss__park_lock(fuss__park_lock_t *l);
void fuss__park_unlock(fuss__park_lock_t *l);
/* In a fork child only: whatever another thread left, l is unlocked now. */
void fuss__park_lock_reset(fuss__park_lock_t *l);

void fuss__parker_init(fuss__parker_t *p);
/* Give p its token.  p's thread may return (and exit) as soon as it sees
 * it, so the post touches only what a thread-local parker allows. */
void fuss__parker_post(fuss__parker_t *p);
/* Take the token: 0; or, without one, -ETIMEDOUT at dl (NULL: never) or
 * -EINTR after a signal handler ran. */
int fuss__parker_wait(fuss__parker_t *p, const struct fuss__deadline *dl);
/* Take the token, however long it takes (a post is known to be coming). */
void fuss__parker_consume(fuss__parker_t *p);

#endif
