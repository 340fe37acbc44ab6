/* sem stress: posts == completed waits + final value, under mixed wait kinds. */
#include "harness.h"
#include "fuss/sem.h"

#define NPROD 2
#define NCONS 3
static fuss_sem_t sem;
static _Atomic int stop;
static _Atomic long posts, takes;
static uint64_t seed;

static void *producer(void *p)
{
    uint64_t rng = seed ^ (uintptr_t)p;
    while (!stop) {
        if (fuss_sem_post(&sem) == 0) posts++;
        if (test_rand(&rng) % 64 == 0) test_sleep_ms(0);
        if (test_rand(&rng) % 512 == 0) sched_yield();
    }
    return NULL;
}

static void *consumer(void *p)
{
    uint64_t rng = seed ^ ((uintptr_t)p << 8);
    while (!stop) {
        struct timespec dl = test_deadline_in(test_rand(&rng) & 1 ? CLOCK_REALTIME : CLOCK_MONOTONIC, 2);
        int r;
        switch (test_rand(&rng) % 3) {
        case 0: r = fuss_sem_wait(&sem); break;
        case 1: r = fuss_sem_trywait(&sem); break;
        default: r = fuss_sem_timedwait(&sem, CLOCK_MONOTONIC, &dl); break;
        }
        if (r == 0) takes++;
        else REQUIRE(r == EAGAIN || r == ETIMEDOUT);
    }
    return NULL;
}

int main(void)
{
    seed = test_seed();
    double secs = test_seconds(1.0);
    test_watchdog((unsigned)secs + 30, "sem_stress");
    pthread_t p[NPROD], c[NCONS];
    for (long i = 0; i < NCONS; i++) REQUIRE(pthread_create(&c[i], NULL, consumer, (void *)(i + 1)) == 0);
    for (long i = 0; i < NPROD; i++) REQUIRE(pthread_create(&p[i], NULL, producer, (void *)(i + 1)) == 0);
    test_sleep_ms((long)(secs * 1000));
    stop = 1;
    for (int i = 0; i < NPROD; i++) pthread_join(p[i], NULL);
    /* Release consumers blocked in an untimed wait: one post each, counted. */
    for (int i = 0; i < NCONS; i++) if (fuss_sem_post(&sem) == 0) posts++;
    for (int i = 0; i < NCONS; i++) pthread_join(c[i], NULL);
    unsigned v;
    fuss_sem_getvalue(&sem, &v);
    printf("%ld posts, %ld takes, final value %u\n", (long)posts, (long)takes, v);
    CHECK_EQ(posts, takes + (long)v);
    CHECK_EQ(fuss_sem_destroy(&sem), 0);
    return test_done();
}
