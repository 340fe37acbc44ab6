/* Condvar stress: producers and consumers over a bounded queue with signal
 * and broadcast (random), timed and untimed waits: every item produced is
 * consumed exactly once, nobody hangs (lost wake-up -> watchdog). */
#include "harness.h"

#define PRODUCERS 3
#define CONSUMERS 3
#define CAPACITY 4

static fuss_mutex_t m;
static fuss_cond_t not_empty, not_full;
static long queue[CAPACITY];
static int head, len;
static long produced_sum, consumed_sum, consumed_count;
static long per_producer;
static int producers_left = PRODUCERS;

struct role { uint64_t rng; int id; };

static void wait_on(fuss_cond_t *c, uint64_t *rng)
{
    if (test_rand(rng) % 4 == 0) {
        struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 1);
        int r = fuss_cond_timedwait(c, &m, CLOCK_MONOTONIC, &dl);
        REQUIRE(r == 0 || r == ETIMEDOUT);
    } else {
        REQUIRE(fuss_cond_wait(c, &m) == 0);
    }
}

static void wake(fuss_cond_t *c, uint64_t *rng)
{
    if (test_rand(rng) % 3 == 0) fuss_cond_broadcast(c);
    else fuss_cond_signal(c);
}

static void *producer(void *p)
{
    struct role *r = p;
    for (long i = 1; i <= per_producer; i++) {
        long item = i * PRODUCERS + r->id;
        fuss_mutex_lock(&m);
        while (len == CAPACITY) wait_on(&not_full, &r->rng);
        queue[(head + len++) % CAPACITY] = item;
        produced_sum += item;
        wake(&not_empty, &r->rng);
        fuss_mutex_unlock(&m);
    }
    fuss_mutex_lock(&m);
    producers_left--;
    fuss_cond_broadcast(&not_empty);
    fuss_mutex_unlock(&m);
    return NULL;
}

static void *consumer(void *p)
{
    struct role *r = p;
    for (;;) {
        fuss_mutex_lock(&m);
        while (len == 0 && producers_left > 0) wait_on(&not_empty, &r->rng);
        if (len == 0) { fuss_mutex_unlock(&m); return NULL; }
        long item = queue[head];
        head = (head + 1) % CAPACITY;
        len--;
        consumed_sum += item;
        consumed_count++;
        wake(&not_full, &r->rng);
        fuss_mutex_unlock(&m);
    }
}

int main(void)
{
    unsigned long seed = test_seed();
    per_producer = (long)(test_seconds(1.0) * 40000);
    test_watchdog(60, "cond_stress: producers/consumers stuck (lost wake-up?)");
    pthread_t t[PRODUCERS + CONSUMERS];
    struct role roles[PRODUCERS + CONSUMERS];
    for (int i = 0; i < PRODUCERS + CONSUMERS; i++) {
        roles[i].rng = seed + (uint64_t)i * 7919 + 1;
        roles[i].id = i;
        pthread_create(&t[i], NULL, i < PRODUCERS ? producer : consumer, &roles[i]);
    }
    for (int i = 0; i < PRODUCERS + CONSUMERS; i++) pthread_join(t[i], NULL);
    printf("items: %ld\n", consumed_count);
    CHECK_EQ(consumed_count, per_producer * PRODUCERS);
    CHECK_EQ(consumed_sum, produced_sum);
    CHECK_EQ(len, 0);
    return test_done();
}
