/* Unnamed semaphores: counting across threads, errno on failure. */
#include <limits.h>
#include <semaphore.h>
#include "check.h"

static sem_t items, slots;
static long total;

static void *consumer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 10000; i++) {
        EQ(sem_wait(&items), 0);
        __atomic_fetch_add(&total, 1, __ATOMIC_RELAXED);
        EQ(sem_post(&slots), 0);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[3];
    EQ(sem_init(&items, 0, 0), 0);
    EQ(sem_init(&slots, 0, 8), 0);
    spawn(t, 3, consumer, NULL);
    for (int i = 0; i < 30000; i++) {
        EQ(sem_wait(&slots), 0);
        EQ(sem_post(&items), 0);
    }
    join(t, 3);
    EQ(total, 30000);
    int v = -1;
    EQ(sem_getvalue(&items, &v), 0);
    EQ(v, 0);
    EQ(sem_getvalue(&slots, &v), 0);
    EQ(v, 8);

    errno = 0;
    EQ(sem_trywait(&items), -1);
    EQ(errno, EAGAIN);
    struct timespec at = after_ms(CLOCK_REALTIME, 20);
    EQ(sem_timedwait(&items, &at), -1);
    EQ(errno, ETIMEDOUT);
    at = after_ms(CLOCK_MONOTONIC, 20);
    EQ(sem_clockwait(&items, CLOCK_MONOTONIC, &at), -1);
    EQ(errno, ETIMEDOUT);
    struct timespec bad = { 0, 1000000000L };
    EQ(sem_timedwait(&items, &bad), -1);
    EQ(errno, EINVAL);
    EQ(sem_post(&items), 0);
    EQ(sem_timedwait(&items, &bad), -1); /* checked even with a unit there */
    EQ(errno, EINVAL);
    EQ(sem_trywait(&items), 0);
    EQ(sem_init(&items, 0, (unsigned)SEM_VALUE_MAX + 1u), -1);
    EQ(errno, EINVAL);
    EQ(sem_init(&items, 1, SEM_VALUE_MAX), 0);
    EQ(sem_post(&items), -1);
    EQ(errno, EOVERFLOW);
    EQ(sem_destroy(&items), 0);
    EQ(sem_destroy(&slots), 0);
    puts("sem: ok");
    return 0;
}
