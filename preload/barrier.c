/* The drop-in's pthread_barrier_*. */
#include "fuss_pthread.h"

/* ---- barrier -------------------------------------------------------------------------- */

EXPORT int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a, unsigned count)
{
    OFF_TO_GLIBC(pthread_barrier_init, b, a, count);
    int pshared = PTHREAD_PROCESS_PRIVATE;
    if (a) pthread_barrierattr_getpshared(a, &pshared);
    if (count == 0 || count > FUSS_BARRIER_COUNT_MAX) return EINVAL;
    memset(b, 0, sizeof *b);
    return fuss_barrier_init(FB(b), count, pshared == PTHREAD_PROCESS_SHARED ? FUSS_SHARED : 0);
}

EXPORT int pthread_barrier_destroy(pthread_barrier_t *b)
{
    OFF_TO_GLIBC(pthread_barrier_destroy, b);
    return fuss_barrier_destroy(FB(b));
}

EXPORT int pthread_barrier_wait(pthread_barrier_t *b)
{
    OFF_TO_GLIBC_OR_COUNT(S_BARRIER, pthread_barrier_wait, b);
    return fuss_barrier_wait(FB(b));
}
