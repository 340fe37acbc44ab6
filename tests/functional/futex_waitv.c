/* waitv reports the index of the word that was woken (up to 128 words), answers EAGAIN when any word differs at entry, and ETIMEDOUT at its deadline. */
#include "waiters.h"

#define MAXW FUSS_FUTEX_WAITV_MAX

static uint32_t words[MAXW];
static uint32_t other;

struct vwaiter {
    pthread_t thread;
    fuss_futex_waiter_t v[MAXW];
    unsigned count;
    unsigned index;
    int result;
};

static void *vwaiter_main(void *p)
{
    struct vwaiter *w = (struct vwaiter *)p;
    w->index = 999;
    w->result = fuss_futex_waitv(w->v, w->count, CLOCK_MONOTONIC, NULL, &w->index);
    return NULL;
}

static void vwaiter_start(struct vwaiter *w, unsigned count)
{
    w->count = count;
    for (unsigned i = 0; i < count; i++)
        w->v[i] = (fuss_futex_waiter_t){ &words[i], 0, FUSS_PRIVATE };
    REQUIRE(pthread_create(&w->thread, NULL, vwaiter_main, w) == 0);
    /* Every word is queued before the waiter sleeps: the last one tells. */
    await_waiters(&words[count - 1], 1);
}

/* A waiter on count words, woken through word k, reports k. */
static void check_index(unsigned count, unsigned k)
{
    struct vwaiter w;
    unsigned woken = 99;
    vwaiter_start(&w, count);
    CHECK_EQ(fuss_futex_wake(&words[k], 1, FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 1);
    pthread_join(w.thread, NULL);
    CHECK_EQ(w.result, 0);
    CHECK_EQ(w.index, k);
    /* Its other words no longer hold it. */
    for (unsigned i = 0; i < count; i++) {
        CHECK_EQ(fuss_futex_wake(&words[i], 1, FUSS_PRIVATE, &woken), 0);
        CHECK_EQ(woken, 0);
    }
}

int main(void)
{
    test_watchdog(60, "futex_waitv");
    check_index(5, 2);   /* the 3rd of several words */
    check_index(5, 0);
    check_index(5, 4);
    check_index(1, 0);
    check_index(MAXW, MAXW - 1);
    check_index(MAXW, 0);
    check_index(MAXW, 77);

    /* A word that differs at entry: EAGAIN, first, middle or last. */
    fuss_futex_waiter_t v[MAXW];
    for (unsigned i = 0; i < MAXW; i++) v[i] = (fuss_futex_waiter_t){ &words[i], 0, FUSS_PRIVATE };
    unsigned pos[3] = { 0, 3, MAXW - 1 };
    for (int p = 0; p < 3; p++) {
        v[pos[p]].expected = 1;
        CHECK_EQ(fuss_futex_waitv(v, MAXW, CLOCK_MONOTONIC, NULL, NULL), EAGAIN);
        CHECK_EQ(fuss_futex_waitv(v, pos[p] + 1, CLOCK_MONOTONIC, NULL, NULL), EAGAIN);
        v[pos[p]].expected = 0;
    }
    /* ... and nothing stays queued after it. */
    for (unsigned i = 0; i < MAXW; i++) CHECK_EQ(count_waiters(&words[i]), 0);

    /* Deadline on both clocks, with all 128 words. */
    clockid_t clocks[2] = { CLOCK_MONOTONIC, CLOCK_REALTIME };
    for (int c = 0; c < 2; c++) {
        struct timespec dl = test_deadline_in(clocks[c], 20), now;
        unsigned idx = 999;
        CHECK_EQ(fuss_futex_waitv(v, MAXW, clocks[c], &dl, &idx), ETIMEDOUT);
        clock_gettime(clocks[c], &now);
        CHECK(now.tv_sec > dl.tv_sec || (now.tv_sec == dl.tv_sec && now.tv_nsec >= dl.tv_nsec));
    }
    for (unsigned i = 0; i < MAXW; i++) CHECK_EQ(count_waiters(&words[i]), 0);

    /* A word requeued elsewhere still reports its own index when woken there. */
    struct vwaiter w;
    unsigned woken = 99, requeued = 99;
    vwaiter_start(&w, 6);
    CHECK_EQ(fuss_futex_cmp_requeue(&words[3], 0, 0, 1, &other, FUSS_PRIVATE, &woken, &requeued),
             0);
    CHECK_EQ(requeued, 1);
    CHECK_EQ(fuss_futex_wake(&other, 1, FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 1);
    pthread_join(w.thread, NULL);
    CHECK_EQ(w.result, 0);
    CHECK_EQ(w.index, 3);

    /* Several of its words woken: it returns once, with one of their indexes.
     * (The kernel may count the waiter in each wake that found it queued.) */
    vwaiter_start(&w, 4);
    unsigned total = 0;
    for (unsigned i = 0; i < 4; i++) {
        CHECK_EQ(fuss_futex_wake(&words[i], 1, FUSS_PRIVATE, &woken), 0);
        total += woken;
    }
    pthread_join(w.thread, NULL);
    CHECK(total >= 1);
    CHECK_EQ(w.result, 0);
    CHECK(w.index < 4);
    return test_done();
}
