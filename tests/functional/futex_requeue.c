/* Requeue wakes and moves exactly the numbers asked and reports them; requeued waiters wake with the target word; cmp_requeue on a changed word answers EAGAIN and does nothing. */
#include "waiters.h"

#define N 5

static uint32_t from, to;

static void join_all(struct waiter *w, int n)
{
    for (int i = 0; i < n; i++) {
        pthread_join(w[i].thread, NULL);
        CHECK_EQ(w[i].result, 0);
    }
}

/* Wait until exactly n of w are done, and make sure no more follow soon. */
static void expect_done(struct waiter *w, int n)
{
    for (int i = 0; i < 10000 && waiters_done(w, N) < n; i++) test_sleep_ms(1);
    test_sleep_ms(20);
    CHECK_EQ(waiters_done(w, N), n);
}

static void start_all(struct waiter *w)
{
    for (int i = 0; i < N; i++) waiter_start(&w[i], &from, 0, FUSS_FUTEX_BITSET_ANY);
    await_waiters(&from, N);
}

static void plain_or_cmp(int cmp)
{
    struct waiter w[N];
    unsigned woken = 99, requeued = 99;
    start_all(w);
    /* Wake 1, requeue 2 of 5. */
    int r = cmp ? fuss_futex_cmp_requeue(&from, 0, 1, 2, &to, FUSS_PRIVATE, &woken, &requeued)
                : fuss_futex_requeue(&from, 1, 2, &to, FUSS_PRIVATE, &woken, &requeued);
    CHECK_EQ(r, 0);
    CHECK_EQ(woken, 1);
    CHECK_EQ(requeued, 2);
    expect_done(w, 1);
    CHECK_EQ(count_waiters(&from), 2);
    CHECK_EQ(count_waiters(&to), 2);

    /* Waking the source no longer reaches the requeued ones ... */
    CHECK_EQ(fuss_futex_wake(&from, FUSS_FUTEX_WAKE_ALL, FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 2);
    expect_done(w, 3);
    CHECK_EQ(count_waiters(&to), 2);
    /* ... waking the target does. */
    CHECK_EQ(fuss_futex_wake(&to, FUSS_FUTEX_WAKE_ALL, FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 2);
    join_all(w, N);
}

int main(void)
{
    test_watchdog(30, "futex_requeue");
    plain_or_cmp(0);
    plain_or_cmp(1);

    struct waiter w[N];
    unsigned woken = 99, requeued = 99;
    start_all(w);

    /* Nothing asked, nothing done. */
    CHECK_EQ(fuss_futex_requeue(&from, 0, 0, &to, FUSS_PRIVATE, &woken, &requeued), 0);
    CHECK_EQ(woken, 0);
    CHECK_EQ(requeued, 0);
    CHECK_EQ(count_waiters(&from), N);

    /* A changed word: EAGAIN, counts 0, nobody woken or moved. */
    woken = requeued = 99;
    CHECK_EQ(fuss_futex_cmp_requeue(&from, 1, 1, N, &to, FUSS_PRIVATE, &woken, &requeued),
             EAGAIN);
    CHECK_EQ(woken, 0);
    CHECK_EQ(requeued, 0);
    test_sleep_ms(10);
    CHECK_EQ(waiters_done(w, N), 0);
    CHECK_EQ(count_waiters(&from), N);
    CHECK_EQ(count_waiters(&to), 0);

    /* Requeue all, wake none; then more asked than there are. */
    CHECK_EQ(fuss_futex_cmp_requeue(&from, 0, 0, FUSS_FUTEX_WAKE_ALL, &to, FUSS_PRIVATE, &woken,
                                    &requeued), 0);
    CHECK_EQ(woken, 0);
    CHECK_EQ(requeued, N);
    CHECK_EQ(count_waiters(&from), 0);
    CHECK_EQ(fuss_futex_requeue(&to, 2, 10, &from, FUSS_PRIVATE, &woken, &requeued), 0);
    CHECK_EQ(woken, 2);
    CHECK_EQ(requeued, N - 2);
    expect_done(w, 2);
    CHECK_EQ(count_waiters(&from), N - 2);
    CHECK_EQ(fuss_futex_requeue(&from, 10, 10, &to, FUSS_PRIVATE, &woken, &requeued), 0);
    CHECK_EQ(woken, N - 2);
    CHECK_EQ(requeued, 0);
    join_all(w, N);

    /* Nobody waiting. */
    CHECK_EQ(fuss_futex_cmp_requeue(&from, 0, 1, 1, &to, FUSS_PRIVATE, &woken, &requeued), 0);
    CHECK_EQ(woken, 0);
    CHECK_EQ(requeued, 0);
    CHECK_EQ(fuss_futex_requeue(&from, 1, 1, &to, FUSS_PRIVATE, NULL, NULL), 0);
    return test_done();
}
