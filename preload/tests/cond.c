/* Condition variables: producer/consumer with signal and broadcast, on
 * normal and recursive mutexes; timed waits on both clocks. */
#include "check.h"

#define ITEMS 20000
#define CONSUMERS 3
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t rm = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static pthread_cond_t nonempty = PTHREAD_COND_INITIALIZER, nonfull = PTHREAD_COND_INITIALIZER;
static int queue, produced, consumed, done;
static pthread_mutex_t *mx;

static void *consumer(void *arg)
{
    (void)arg;
    EQ(pthread_mutex_lock(mx), 0);
    for (;;) {
        while (queue == 0 && !done) EQ(pthread_cond_wait(&nonempty, mx), 0);
        if (queue == 0 && done) break;
        queue--;
        consumed++;
        EQ(pthread_cond_signal(&nonfull), 0);
    }
    EQ(pthread_mutex_unlock(mx), 0);
    return NULL;
}

static void run(pthread_mutex_t *which)
{
    pthread_t t[CONSUMERS];
    mx = which;
    queue = produced = consumed = done = 0;
    spawn(t, CONSUMERS, consumer, NULL);
    for (int i = 0; i < ITEMS; i++) {
        EQ(pthread_mutex_lock(mx), 0);
        while (queue >= 4) EQ(pthread_cond_wait(&nonfull, mx), 0);
        queue++;
        produced++;
        if (i % 7 == 0) EQ(pthread_cond_broadcast(&nonempty), 0);
        else EQ(pthread_cond_signal(&nonempty), 0);
        EQ(pthread_mutex_unlock(mx), 0);
    }
    EQ(pthread_mutex_lock(mx), 0);
    done = 1;
    EQ(pthread_cond_broadcast(&nonempty), 0);
    EQ(pthread_mutex_unlock(mx), 0);
    join(t, CONSUMERS);
    EQ(consumed, ITEMS);
}

int main(void)
{
    run(&m);
    run(&rm);

    pthread_condattr_t ca;
    pthread_cond_t mc;
    pthread_condattr_init(&ca);
    EQ(pthread_condattr_setclock(&ca, CLOCK_MONOTONIC), 0);
    EQ(pthread_cond_init(&mc, &ca), 0);
    EQ(pthread_mutex_lock(&m), 0);
    struct timespec at = after_ms(CLOCK_MONOTONIC, 30), now;
    EQ(pthread_cond_timedwait(&mc, &m, &at), ETIMEDOUT);
    clock_gettime(CLOCK_MONOTONIC, &now);
    CHECK(now.tv_sec > at.tv_sec || (now.tv_sec == at.tv_sec && now.tv_nsec >= at.tv_nsec));
    EQ(pthread_mutex_trylock(&m), EBUSY); /* re-acquired */
    at = after_ms(CLOCK_REALTIME, 20);
    EQ(pthread_cond_clockwait(&mc, &m, CLOCK_REALTIME, &at), ETIMEDOUT);
    at = after_ms(CLOCK_MONOTONIC, 20);
    EQ(pthread_cond_clockwait(&nonempty, &m, CLOCK_MONOTONIC, &at), ETIMEDOUT);
    EQ(pthread_cond_clockwait(&nonempty, &m, CLOCK_PROCESS_CPUTIME_ID, &at), EINVAL);
    struct timespec bad = { 0, -1 };
    EQ(pthread_cond_timedwait(&nonempty, &m, &bad), EINVAL);
    EQ(pthread_mutex_unlock(&m), 0);
    EQ(pthread_cond_destroy(&mc), 0);

    /* error-checking mutex not held: EPERM */
    pthread_mutex_t em = PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP;
    EQ(pthread_cond_wait(&nonempty, &em), EPERM);
    puts("cond: ok");
    return 0;
}
