/* What glibc does where POSIX leaves room, and programs (and glibc's own
 * tests) rely on it (issue 23, causes 1, 4, 5, 6):
 *   - a deadline with a negative tv_sec (and a valid tv_nsec) is in the
 *     past, not malformed: ETIMEDOUT, or 0 when the object is available
 *     (POSIX allows EINVAL only for tv_nsec; Open POSIX, glibc tst-sem13);
 *   - destroying a mutex that a condvar waiter will re-lock says EBUSY
 *     (glibc tst-mutex8, tst-mutexpi8; glibc exempts robust mutexes);
 *   - pthread_cond_timedwait with a normal mutex the caller does not hold
 *     waits and times out (glibc tst-eintr5);
 *   - unlocking a rwlock nobody holds returns 0 (Open POSIX
 *     rwlock_unlock/4-1). */
#include <semaphore.h>
#include <unistd.h>
#include "check.h"

static const struct timespec past = { -1, 0 };

static void negative_deadlines(void)
{
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    EQ(pthread_mutex_timedlock(&m, &past), 0); /* free: taken */
    EQ(pthread_mutex_timedlock(&m, &past), ETIMEDOUT); /* held (by us) */
    EQ(pthread_mutex_clocklock(&m, CLOCK_MONOTONIC, &past), ETIMEDOUT);
    EQ(pthread_mutex_unlock(&m), 0);

    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_t em;
    EQ(pthread_mutex_init(&em, &ma), 0);
    EQ(pthread_mutex_timedlock(&em, &past), 0);
    EQ(pthread_mutex_unlock(&em), 0);
    EQ(pthread_mutex_destroy(&em), 0);

    pthread_cond_t c = PTHREAD_COND_INITIALIZER;
    EQ(pthread_mutex_lock(&m), 0);
    EQ(pthread_cond_timedwait(&c, &m, &past), ETIMEDOUT);
    EQ(pthread_cond_clockwait(&c, &m, CLOCK_MONOTONIC, &past), ETIMEDOUT);
    EQ(pthread_mutex_trylock(&m), EBUSY); /* re-locked on the way out */
    EQ(pthread_mutex_unlock(&m), 0);

    pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
    EQ(pthread_rwlock_timedrdlock(&rw, &past), 0);
    EQ(pthread_rwlock_timedwrlock(&rw, &past), ETIMEDOUT);
    EQ(pthread_rwlock_clockwrlock(&rw, CLOCK_MONOTONIC, &past), ETIMEDOUT);
    EQ(pthread_rwlock_unlock(&rw), 0);
    EQ(pthread_rwlock_clockwrlock(&rw, CLOCK_REALTIME, &past), 0);
    EQ(pthread_rwlock_unlock(&rw), 0);

    sem_t s;
    EQ(sem_init(&s, 0, 1), 0);
    EQ(sem_timedwait(&s, &past), 0); /* a unit is available */
    errno = 0;
    EQ(sem_timedwait(&s, &past), -1);
    EQ(errno, ETIMEDOUT);
    errno = 0;
    EQ(sem_clockwait(&s, CLOCK_MONOTONIC, &past), -1);
    EQ(errno, ETIMEDOUT);
    /* A bad tv_nsec stays EINVAL. */
    const struct timespec bad = { 0, 1000000000L };
    errno = 0;
    EQ(sem_timedwait(&s, &bad), -1);
    EQ(errno, EINVAL);
    EQ(sem_destroy(&s), 0);
}

static pthread_mutex_t cm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cc = PTHREAD_COND_INITIALIZER;
static volatile int waiting, go;

static void *cond_waiter(void *arg)
{
    (void)arg;
    EQ(pthread_mutex_lock(&cm), 0);
    waiting = 1;
    while (!go) EQ(pthread_cond_wait(&cc, &cm), 0);
    EQ(pthread_mutex_unlock(&cm), 0);
    return NULL;
}

static void destroy_busy_under_cond_wait(pthread_mutexattr_t *a)
{
    if (a) EQ(pthread_mutex_init(&cm, a), 0);
    waiting = go = 0;
    pthread_t t;
    EQ(pthread_create(&t, NULL, cond_waiter, NULL), 0);
    for (;;) { /* the waiter is inside pthread_cond_wait once it let go */
        EQ(pthread_mutex_lock(&cm), 0);
        if (waiting) break;
        EQ(pthread_mutex_unlock(&cm), 0);
        usleep(1000);
    }
    EQ(pthread_mutex_unlock(&cm), 0);
    EQ(pthread_mutex_destroy(&cm), EBUSY);
    EQ(pthread_mutex_lock(&cm), 0);
    go = 1;
    EQ(pthread_cond_signal(&cc), 0);
    EQ(pthread_mutex_unlock(&cm), 0);
    EQ(pthread_join(t, NULL), 0);
    EQ(pthread_mutex_destroy(&cm), 0); /* the waiter is gone */
    EQ(pthread_mutex_init(&cm, a), 0);
}

static void cond_wait_without_the_mutex(void)
{
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;
    struct timespec at = after_ms(CLOCK_REALTIME, 20);
    EQ(pthread_cond_timedwait(&c, &m, &at), ETIMEDOUT);
    EQ(pthread_mutex_unlock(&m), 0); /* it came back locked */
}

static void rwlock_unlock_unheld(void)
{
    pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
    EQ(pthread_rwlock_unlock(&rw), 0); /* (glibc's lock is broken after it: not used again) */
}

int main(void)
{
    negative_deadlines();
    destroy_busy_under_cond_wait(NULL);
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
    destroy_busy_under_cond_wait(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_NORMAL);
    pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    destroy_busy_under_cond_wait(&a); /* (glibc exempts robust ones: not checked) */
    cond_wait_without_the_mutex();
    rwlock_unlock_unheld();
    puts("glibc_compat: ok");
    return 0;
}
