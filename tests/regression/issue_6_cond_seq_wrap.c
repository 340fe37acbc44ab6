/* Issue 6, classic futex bug "sequence counter wrap-around": fuss_cond_t's
 * word 0 is a 32-bit sequence that every signal and broadcast increments,
 * and word 1 holds, among other fields, a 7-bit waiter count (bits 7-13,
 * sticky at 127, src/cond.c).  A signal or broadcast at the top of the
 * sequence wraps it; if the wrap were treated as "nothing changed", or the
 * count carried into the next field of link, a waiter would sleep through
 * its wake-up or a signal would think nobody waits.
 *
 * How the test catches it: the raw seq field is set just below the wrap (the
 * struct fields are public) with no waiter; waiters then block and are
 * signalled or broadcast to, repeatedly across the wrap, each checked to
 * return (watchdog).  Then the count is set to its sticky maximum (127)
 * with the sequence at the top: three waiters register (the count must stay
 * 127, not carry into the mutex offset above it) and three signals must
 * wake all three. */
#include "harness.h"

#define COUNT_MASK  0x3f80u     /* link bits 7-13 */
#define OFFSET_MASK 0x007fc000u /* link bits 14-22: the mutex's offset (src/cond.c) */

static fuss_mutex_t m;
static fuss_cond_t c;
static int tokens, registered;

static void *taker(void *arg)
{
    (void)arg;
    fuss_mutex_lock(&m);
    registered++;
    while (tokens == 0) REQUIRE(fuss_cond_wait(&c, &m) == 0);
    tokens--;
    fuss_mutex_unlock(&m);
    return NULL;
}

static void await_registered(int n)
{
    for (;;) {
        fuss_mutex_lock(&m);
        int ok = registered >= n;
        fuss_mutex_unlock(&m);
        if (ok) return;
        sched_yield();
    }
}

/* n waiters block; then n tokens, given by signals or one broadcast. */
static void round_of(int n, int use_broadcast)
{
    pthread_t t[8];
    registered = 0;
    for (int i = 0; i < n; i++) REQUIRE(pthread_create(&t[i], NULL, taker, NULL) == 0);
    await_registered(n);
    fuss_mutex_lock(&m);
    if (use_broadcast) { tokens = n; CHECK_EQ(fuss_cond_broadcast(&c), 0); }
    fuss_mutex_unlock(&m);
    if (!use_broadcast)
        for (int i = 0; i < n; i++) {
            fuss_mutex_lock(&m);
            tokens++;
            CHECK_EQ(fuss_cond_signal(&c), 0);
            fuss_mutex_unlock(&m);
        }
    for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
    CHECK_EQ(tokens, 0);
}

int main(void)
{
    test_watchdog(60, "cond sequence wrap-around: a waiter slept through its wake-up");

    /* Across the wrap of the 22-bit sequence, several times. */
    for (int start = 1; start <= 4; start++) {
        c.seq = 0u - (uint32_t)start; /* 'start' increments below the wrap */
        for (int r = 0; r < 8; r++) round_of(1 + r % 3, r % 2);
        CHECK(c.seq < 64u); /* it did wrap */
    }

    /* The sticky maximum of the count, at the top of the sequence. */
    c.seq = 0u - 1;
    c.link |= COUNT_MASK;
    uint32_t offset = c.link & OFFSET_MASK;
    registered = 0;
    pthread_t t[3];
    for (int i = 0; i < 3; i++) REQUIRE(pthread_create(&t[i], NULL, taker, NULL) == 0);
    await_registered(3);
    /* Atomic reads: a waiter woken spuriously leaves (INSIDE -= 1 on this
     * word) without the mutex (ThreadSanitizer saw that race). */
    fuss_mutex_lock(&m);
    uint32_t link = __atomic_load_n(&c.link, __ATOMIC_RELAXED);
    CHECK_EQ(link & COUNT_MASK, COUNT_MASK); /* did not carry into the offset */
    CHECK_EQ(link & OFFSET_MASK, offset);
    CHECK_EQ(__atomic_load_n(&c.seq, __ATOMIC_RELAXED), 0u - 1);
    fuss_mutex_unlock(&m);
    for (int i = 0; i < 3; i++) {
        fuss_mutex_lock(&m);
        tokens++;
        CHECK_EQ(fuss_cond_signal(&c), 0);
        fuss_mutex_unlock(&m);
    }
    for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
    CHECK_EQ(tokens, 0);
    /* Signals at the maximum keep it (a signal cannot know how many are
     * left); a broadcast clears it. */
    CHECK_EQ(c.link & COUNT_MASK, COUNT_MASK);
    CHECK_EQ(fuss_cond_broadcast(&c), 0);
    CHECK_EQ(c.link & COUNT_MASK, 0);
    round_of(2, 0); /* and it works normally afterwards */
    return test_done();
}
