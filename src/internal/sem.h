/* The semaphore's wait with code around each sleep, for the pthread
 * drop-in's cancellation (see T7 in src/sem.c). */
#ifndef FUSS_INTERNAL_SEM_H
#define FUSS_INTERNAL_SEM_H

#include "fuss/sem.h"
#include "internal/time.h"

/* Row (3) of fuss_sem_t's state word (src/sem.c): the SHARED flag, bit 63.
 * For code that marks storage it did not initialise as process-shared (the
 * drop-in's sem_open); src/sem.c's SEM_SHARED is this bit. */
#define FUSS__SEM_SHARED UINT64_C(0x8000000000000000)

/* before() runs just before each futex wait, after() just after it; while
 * between them the caller is a registered waiter. */
struct fuss__sleep_hooks {
    void (*before)(void *arg);
    void (*after)(void *arg);
    void *arg;
};

/* fuss_sem_wait / fuss_sem_timedwait (dl NULL: no deadline) with hooks. */
int fuss__sem_wait_hooked(fuss_sem_t *s, const struct fuss__deadline *dl,
                          const struct fuss__sleep_hooks *hooks);
/* A waiter cancelled between before() and after() leaves (T7). */
void fuss__sem_cancel_leave(fuss_sem_t *s);

#endif
