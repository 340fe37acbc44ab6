/* The condition variable's split wait, for waiters whose mutex is not a
 * fuss_mutex_t or who must run code around the sleep (the pthread drop-in's
 * cancellation).  See SPLIT WAIT in src/cond.c. */
#ifndef FUSS_INTERNAL_COND_H
#define FUSS_INTERNAL_COND_H

#include <stdint.h>

#include "fuss/cond.h"

/* Register as a waiter (C1), holding the mutex.  m: the fuss_mutex_t the
 * caller holds (broadcast may move waiters onto it), or NULL for any other
 * mutex (broadcast then wakes all).  Returns the value to sleep on with
 * fuss__wait(&c->seq, value, FUSS_FUTEX_BITSET_ANY, deadline, *flags) after
 * releasing the mutex; after that wait the caller must not touch c. */
uint32_t fuss__cond_wait_begin(fuss_cond_t *c, const fuss_mutex_t *m, unsigned *flags);

#endif
