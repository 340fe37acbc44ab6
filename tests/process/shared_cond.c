/* A FUSS_SHARED condvar between processes: one producer and three
 * consumers through a bounded queue (every item consumed exactly once), then
 * a gate that a broadcast must open for every waiting process.
 * FUSS_TEST_LINUX_ONLY */
#include "process.h"

#define CONSUMERS 3
#define ITEMS 20000
#define SLOTS 8

struct shared {
    fuss_mutex_t lock;
    fuss_cond_t not_empty, not_full, gate;
    unsigned head, tail; /* head - tail items queued */
    int slot[SLOTS];
    int done;
    unsigned char seen[ITEMS];
    long consumed;
    int open, waiting, through;
};

static int producer(void *arg)
{
    struct shared *s = arg;
    for (int i = 0; i < ITEMS; i++) {
        fuss_mutex_lock(&s->lock);
        while (s->head - s->tail == SLOTS)
            if (fuss_cond_wait(&s->not_full, &s->lock) != 0) return 10;
        s->slot[s->head++ % SLOTS] = i;
        fuss_cond_signal(&s->not_empty);
        fuss_mutex_unlock(&s->lock);
    }
    fuss_mutex_lock(&s->lock);
    s->done = 1;
    fuss_cond_broadcast(&s->not_empty);
    fuss_mutex_unlock(&s->lock);
    return 0;
}

static int consumer(void *arg)
{
    struct shared *s = arg;
    for (;;) {
        fuss_mutex_lock(&s->lock);
        while (s->head == s->tail && !s->done)
            if (fuss_cond_wait(&s->not_empty, &s->lock) != 0) return 10;
        if (s->head == s->tail) {
            fuss_mutex_unlock(&s->lock);
            return 0;
        }
        int v = s->slot[s->tail++ % SLOTS];
        s->seen[v]++;
        s->consumed++;
        fuss_cond_signal(&s->not_full);
        fuss_mutex_unlock(&s->lock);
    }
}

static int gate_waiter(void *arg)
{
    struct shared *s = arg;
    fuss_mutex_lock(&s->lock);
    s->waiting++;
    while (!s->open)
        if (fuss_cond_wait(&s->gate, &s->lock) != 0) return 10;
    s->through++;
    fuss_mutex_unlock(&s->lock);
    return 0;
}

int main(void)
{
    test_watchdog(120, "shared_cond: lost wake-up between processes");
    struct shared *s = test_shared_map(sizeof *s);
    REQUIRE(fuss_mutex_init(&s->lock, FUSS_SHARED) == 0);
    REQUIRE(fuss_cond_init(&s->not_empty, FUSS_SHARED) == 0);
    REQUIRE(fuss_cond_init(&s->not_full, FUSS_SHARED) == 0);
    REQUIRE(fuss_cond_init(&s->gate, FUSS_SHARED) == 0);

    pid_t pid[CONSUMERS + 1];
    for (int i = 0; i < CONSUMERS; i++) pid[i] = test_fork(consumer, s);
    pid[CONSUMERS] = test_fork(producer, s);
    for (int i = 0; i <= CONSUMERS; i++) CHECK(test_wait_ok(pid[i]));
    CHECK_EQ(s->consumed, ITEMS);
    int once = 1;
    for (int i = 0; i < ITEMS; i++) once &= s->seen[i] == 1;
    CHECK(once);

    /* Broadcast: every process blocked at the gate comes through. */
    for (int i = 0; i <= CONSUMERS; i++) pid[i] = test_fork(gate_waiter, s);
    for (;;) {
        fuss_mutex_lock(&s->lock);
        int w = s->waiting;
        fuss_mutex_unlock(&s->lock);
        if (w == CONSUMERS + 1) break;
        test_sleep_ms(1);
    }
    fuss_mutex_lock(&s->lock);
    s->open = 1;
    CHECK_EQ(fuss_cond_broadcast(&s->gate), 0);
    fuss_mutex_unlock(&s->lock);
    for (int i = 0; i <= CONSUMERS; i++) CHECK(test_wait_ok(pid[i]));
    CHECK_EQ(s->through, CONSUMERS + 1);
    return test_done();
}
