/* For the pthread drop-in: pthread_once's init routine may be cancelled. */
#ifndef FUSS_INTERNAL_ONCE_H
#define FUSS_INTERNAL_ONCE_H

#include "fuss/once.h"

/* Called by the thread running fn, from fn's cancellation cleanup: back to
 * NEW, waking the callers waiting for fn (T4 in src/once.c). */
void fuss__once_abandon(fuss_once_t *o);

#endif
