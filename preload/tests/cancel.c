/* Cancellation inside pthread_cond_wait (the cleanup handler sees the
 * mutex held) and inside sem_wait (the semaphore keeps working). */
#include <semaphore.h>
#include <unistd.h>
#include "check.h"

static pthread_mutex_t m = PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP;
static pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static sem_t s;
static volatile int waiting, cleanup_ok, cleanup_ran;

static void cleanup(void *arg)
{
    pthread_mutex_t *mx = arg;
    cleanup_ran = 1;
    if (mx == &m) cleanup_ok = pthread_mutex_unlock(mx) == 0; /* EPERM if not held */
    else cleanup_ok = pthread_mutex_trylock(mx) == EBUSY && pthread_mutex_unlock(mx) == 0;
}

static void *cond_waiter(void *arg)
{
    pthread_mutex_t *mx = arg;
    EQ(pthread_mutex_lock(mx), 0);
    pthread_cleanup_push(cleanup, mx);
    waiting = 1;
    for (;;) pthread_cond_wait(&c, mx);
    pthread_cleanup_pop(0);
    return NULL;
}

static void *sem_waiter(void *arg)
{
    (void)arg;
    waiting = 1;
    for (;;) sem_wait(&s);
    return NULL;
}

static void cancel_cond(pthread_mutex_t *mx)
{
    pthread_t t;
    void *ret;
    waiting = cleanup_ok = cleanup_ran = 0;
    EQ(pthread_create(&t, NULL, cond_waiter, mx), 0);
    while (!waiting) usleep(1000);
    EQ(pthread_mutex_lock(mx), 0); /* it is asleep: it released the mutex */
    EQ(pthread_mutex_unlock(mx), 0);
    EQ(pthread_cancel(t), 0);
    EQ(pthread_join(t, &ret), 0);
    CHECK(ret == PTHREAD_CANCELED);
    EQ(cleanup_ran, 1);
    EQ(cleanup_ok, 1);
    EQ(pthread_mutex_lock(mx), 0);
    EQ(pthread_mutex_unlock(mx), 0);
}

int main(void)
{
    cancel_cond(&m);
    cancel_cond(&pm);

    EQ(sem_init(&s, 0, 0), 0);
    pthread_t t[2];
    void *ret;
    for (int i = 0; i < 2; i++) {
        waiting = 0;
        EQ(pthread_create(&t[i], NULL, sem_waiter, NULL), 0);
        while (!waiting) usleep(1000);
    }
    usleep(20000);
    EQ(pthread_cancel(t[0]), 0);
    EQ(pthread_join(t[0], &ret), 0);
    CHECK(ret == PTHREAD_CANCELED);
    EQ(sem_post(&s), 0); /* must reach t[1], which then waits again */
    int v = 1;
    for (int i = 0; i < 1000 && v != 0; i++) { usleep(1000); sem_getvalue(&s, &v); }
    EQ(v, 0);
    EQ(pthread_cancel(t[1]), 0);
    EQ(pthread_join(t[1], &ret), 0);
    CHECK(ret == PTHREAD_CANCELED);
    EQ(sem_post(&s), 0);
    EQ(sem_wait(&s), 0);
    puts("cancel: ok");
    return 0;
}
