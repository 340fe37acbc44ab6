/* What the condition variable needs from the mutex (src/mutex.c). */
#ifndef FUSS_INTERNAL_MUTEX_H
#define FUSS_INTERNAL_MUTEX_H

#include <stdbool.h>

#include "fuss/mutex.h"
#include "internal/time.h"

/* Re-acquire after a condvar wait, as a thread that has slept on the word. */
int fuss__mutex_relock(fuss_mutex_t *m, const struct fuss__deadline *dl);
bool fuss__mutex_is_locked(const fuss_mutex_t *m);
/* FUSS_PRIVATE or FUSS_SHARED, as chosen at the mutex's init. */
unsigned fuss__mutex_futex_flags(const fuss_mutex_t *m);
/* After moving condvar waiters onto the mutex word: make its unlock wake
 * them (and wake one now if the mutex is free). */
void fuss__mutex_mark_parked(fuss_mutex_t *m);

#endif
