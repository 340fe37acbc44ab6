/*
 * Helpers for futex tests: threads that wait on a word and record how their
 * wait ended, and a way to know they are asleep before waking them.
 */
#ifndef FUSS_TEST_WAITERS_H
#define FUSS_TEST_WAITERS_H

#include "harness.h"

struct waiter {
    pthread_t thread;
    const uint32_t *word;
    uint32_t expected;
    uint32_t bitset;
    int result;           /* fuss_futex_wait's result */
    int done;             /* set when the wait returned (__atomic builtins) */
};

static void *waiter_main(void *p)
{
    struct waiter *w = (struct waiter *)p;
    w->result = fuss_futex_wait_bitset(w->word, w->expected, w->bitset, CLOCK_MONOTONIC, NULL,
                                       FUSS_PRIVATE);
    __atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
    return NULL;
}

static inline void waiter_start(struct waiter *w, const uint32_t *word, uint32_t expected,
                                uint32_t bitset)
{
    w->word = word;
    w->expected = expected;
    w->bitset = bitset;
    w->result = -1;
    w->done = 0;
    REQUIRE(pthread_create(&w->thread, NULL, waiter_main, w) == 0);
}

/* How many threads wait on word now: move them all to a scratch word and
 * back (nobody is woken).  Only for tests: a wake of word during the
 * round trip would miss them. */
static inline unsigned count_waiters(const uint32_t *word)
{
    static uint32_t scratch;
    unsigned moved = 0, back = 0;
    REQUIRE(fuss_futex_requeue(word, 0, FUSS_FUTEX_WAKE_ALL, &scratch, FUSS_PRIVATE, NULL,
                               &moved) == 0);
    REQUIRE(fuss_futex_requeue(&scratch, 0, FUSS_FUTEX_WAKE_ALL, word, FUSS_PRIVATE, NULL,
                               &back) == 0);
    return moved;
}

/* Wait (up to 10 s) until at least n threads sleep on word. */
static inline void await_waiters(const uint32_t *word, unsigned n)
{
    for (int i = 0; i < 10000; i++) {
        if (count_waiters(word) >= n) return;
        test_sleep_ms(1);
    }
    fprintf(stderr, "await_waiters: %u waiters never arrived\n", n);
    exit(1);
}

static inline int waiters_done(struct waiter *w, int n)
{
    int d = 0;
    for (int i = 0; i < n; i++) d += __atomic_load_n(&w[i].done, __ATOMIC_ACQUIRE);
    return d;
}

#endif
