/*
 * park_posix.c — the queue's lock and parker on POSIX objects (emulated
 * backend; internal/park.h): a pthread mutex per bucket and a semaphore
 * per thread, so that backend makes no futex call of its own.
 *
 * TSan intercepts sem_post but not sem_clockwait, so the parker states the
 * hand-off it cannot see (fuss__tsan_release/acquire).
 */
#include <errno.h>

#include "internal/assert.h"
#include "internal/park.h"
#include "internal/tsan.h"

void fuss__park_lock(fuss__park_lock_t *l) { pthread_mutex_lock(l); }
void fuss__park_unlock(fuss__park_lock_t *l) { pthread_mutex_unlock(l); }

void fuss__park_lock_reset(fuss__park_lock_t *l)
{
    fuss__require(pthread_mutex_init(l, NULL) == 0, "queue: pthread_mutex_init failed");
}

void fuss__parker_init(fuss__parker_t *p)
{
    fuss__require(sem_init(p, 0, 0) == 0, "queue: sem_init failed");
}

void fuss__parker_post(fuss__parker_t *p)
{
    fuss__tsan_release(p);
    fuss__require(sem_post(p) == 0, "queue: sem_post failed");
}

int fuss__parker_wait(fuss__parker_t *p, const struct fuss__deadline *dl)
{
    int saved = errno;
    int r = dl ? sem_clockwait(p, dl->clock, &dl->at) : sem_wait(p);
    if (r == 0) {
        fuss__tsan_acquire(p);
        return 0;
    }
    r = errno;
    errno = saved;
    fuss__require(r == ETIMEDOUT || r == EINTR, "queue: parker wait failed (errno %d)", r);
    return -r;
}

void fuss__parker_consume(fuss__parker_t *p)
{
    while (fuss__parker_wait(p, NULL) != 0) {}
}
