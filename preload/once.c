/* The drop-in's pthread_once. */
#include "fuss_pthread.h"

/* ---- once ----------------------------------------------------------------------------- */

struct once_run {
    fuss_once_t *o;
    void (*fn)(void);
};
static void once_cancelled(void *arg) { fuss__once_abandon(((struct once_run *)arg)->o); }
static void once_run(void *arg)
{
    struct once_run *run = arg;
    pthread_cleanup_push(once_cancelled, run);
    run->fn();
    pthread_cleanup_pop(0);
}

EXPORT int pthread_once(pthread_once_t *o, void (*fn)(void))
{
    OFF_TO_GLIBC_OR_COUNT(S_ONCE, pthread_once, o, fn);
    struct once_run run = { (fuss_once_t *)(void *)o, fn };
    return fuss_once_arg(run.o, once_run, &run);
}
