/* issue 4 (hostile sharer): fuss_cond_broadcast trusts the mutex offset
 * stored in the condvar's link word.  A sharer that overwrites link makes
 * broadcast requeue waiters onto, and fuss__mutex_mark_parked OR a bit
 * into, whatever word that offset names: a write outside both objects
 * (src/cond.c, fuss_cond_broadcast -> linked_mutex -> mark_parked).
 * Here the link is pointed at a canary next to the condvar; the canary must
 * survive the broadcast.  The objects are process-shared, as in the threat
 * (a private condvar's link can only be overwritten by the process itself);
 * the emulated backend has no shared objects and skips. */
#include "waiters.h"

#define CANARY 0xa5a5a5a5u

static struct {
    fuss_mutex_t m;
    uint32_t pad[7];
    fuss_cond_t c;
    uint32_t canary[8];
} s;

static void *waiter(void *arg)
{
    (void)arg;
    fuss_mutex_lock(&s.m);
    struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 2000);
    int r = fuss_cond_timedwait(&s.c, &s.m, CLOCK_MONOTONIC, &dl);
    CHECK(r == 0 || r == ETIMEDOUT);
    fuss_mutex_unlock(&s.m);
    return NULL;
}

int main(void)
{
    test_watchdog(60, "issue_4_cond_link");
    if (fuss_mutex_init(&s.m, FUSS_SHARED) == ENOTSUP) {
        printf("no process-shared objects on this backend: skipped\n");
        CHECK(1);
        return test_done();
    }
    REQUIRE(fuss_cond_init(&s.c, FUSS_SHARED) == 0);
    for (int i = 0; i < 8; i++) s.canary[i] = CANARY;
    pthread_t t[2];
    for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, waiter, NULL);
    test_sleep_ms(100); /* both registered (shared words: await_waiters cannot count them) */
    /* What a hostile (or buggy) sharer writes: an offset of +8 bytes (2
     * units at bit 14, src/cond.c), i.e. the first canary word, with the
     * flags and the waiter count left as they were. */
    uint32_t link = __atomic_load_n(&s.c.link, __ATOMIC_RELAXED);
    __atomic_store_n(&s.c.link, (link & 0x3fffu) | (2u << 14), __ATOMIC_RELAXED);
    CHECK_EQ(fuss_cond_broadcast(&s.c), 0);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < 8; i++) CHECK_EQ(s.canary[i], CANARY);
    return test_done();
}
