/* fuss_futex() behaves like futex(2): -1 and errno (EAGAIN, ETIMEDOUT, EINVAL, EFAULT for NULL, ENOSYS for FUTEX_FD and unknown ops), counts from WAKE/REQUEUE/CMP_REQUEUE (woken + requeued), relative FUTEX_WAIT and absolute WAIT_BITSET timeouts. */
#include "waiters.h"

#define P FUSS_FUTEX_CMD_PRIVATE

static uint32_t word, word2;

static int reached(clockid_t clock, struct timespec t)
{
    struct timespec now;
    clock_gettime(clock, &now);
    return now.tv_sec > t.tv_sec || (now.tv_sec == t.tv_sec && now.tv_nsec >= t.tv_nsec);
}

#define CHECK_FAIL(call, e)                                                          \
    do {                                                                             \
        errno = 0;                                                                   \
        long r_ = (call);                                                            \
        CHECK_EQ(r_, -1);                                                            \
        CHECK_EQ(errno, (e));                                                        \
    } while (0)

static void *compat_waiter(void *arg)
{
    uint32_t *w = (uint32_t *)arg;
    while (__atomic_load_n(w, __ATOMIC_ACQUIRE) == 0) {
        long r = fuss_futex(w, FUSS_FUTEX_CMD_WAIT | P, 0, NULL, NULL, 0);
        if (r != 0 && errno != EAGAIN && errno != EINTR) {
            fprintf(stderr, "FUTEX_WAIT: errno %d\n", errno);
            return (void *)1;
        }
    }
    return NULL;
}

int main(void)
{
    test_watchdog(30, "futex_compat_linux");
    struct timespec rel = { 0, 20000000L }, bad = { 0, 1000000000L }, neg = { -1, 0 };
    char buf[8] __attribute__((aligned(4))) = { 0 };

    CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_WAIT | P, 1, NULL, NULL, 0), EAGAIN);
    CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_WAIT_BITSET | P, 1, NULL, NULL, ~0u), EAGAIN);
    CHECK_FAIL(fuss_futex(NULL, FUSS_FUTEX_CMD_WAIT | P, 0, NULL, NULL, 0), EFAULT);
    CHECK_FAIL(fuss_futex(NULL, FUSS_FUTEX_CMD_WAKE | P, 1, NULL, NULL, 0), EFAULT);
    CHECK_FAIL(fuss_futex((uint32_t *)(buf + 1), FUSS_FUTEX_CMD_WAIT | P, 0, NULL, NULL, 0),
               EINVAL);
    CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_WAIT | P, 0, &bad, NULL, 0), EINVAL);
    CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_WAIT | P, 0, &neg, NULL, 0), EINVAL);
    CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_WAIT_BITSET | P, 0, &bad, NULL, ~0u), EINVAL);
    CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_WAIT_BITSET | P, 0, NULL, NULL, 0), EINVAL);
    CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_WAKE_BITSET | P, 1, NULL, NULL, 0), EINVAL);
    CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_FD | P, 0, NULL, NULL, 0), ENOSYS);
    CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_FD, SIGUSR1, NULL, NULL, 0), ENOSYS);
    CHECK_FAIL(fuss_futex(&word, 14 | P, 0, NULL, NULL, 0), ENOSYS);
    CHECK_FAIL(fuss_futex(&word, 99, 0, NULL, NULL, 0), ENOSYS);
    CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_WAIT_REQUEUE_PI | P, 0, NULL, &word2, 0), ENOSYS);
    CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_WAKE_OP | P, 1, (void *)1, &word2,
                          FUSS_FUTEX_OP(7, 0, 0, 0)), ENOSYS);

    /* Relative timeout for FUTEX_WAIT (on CLOCK_MONOTONIC, or REALTIME with the flag). */
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_WAIT | P, 0, &rel, NULL, 0), ETIMEDOUT);
    start.tv_nsec += rel.tv_nsec;
    if (start.tv_nsec >= 1000000000L) { start.tv_nsec -= 1000000000L; start.tv_sec++; }
    CHECK(reached(CLOCK_MONOTONIC, start));
    CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_WAIT | P | FUSS_FUTEX_CMD_CLOCK_REALTIME, 0, &rel,
                          NULL, 0), ETIMEDOUT);
    /* Absolute for WAIT_BITSET, on each clock. */
    struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 20);
    CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_WAIT_BITSET | P, 0, &dl, NULL, ~0u), ETIMEDOUT);
    CHECK(reached(CLOCK_MONOTONIC, dl));
    dl = test_deadline_in(CLOCK_REALTIME, 20);
    CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_WAIT_BITSET | P | FUSS_FUTEX_CMD_CLOCK_REALTIME, 0,
                          &dl, NULL, ~0u), ETIMEDOUT);
    CHECK(reached(CLOCK_REALTIME, dl));
    struct timespec epoch = { 0, 0 };
    CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_WAIT_BITSET | P, 0, &epoch, NULL, ~0u), ETIMEDOUT);

    /* Counts. */
    CHECK_EQ(fuss_futex(&word, FUSS_FUTEX_CMD_WAKE | P, 5, NULL, NULL, 0), 0);
    enum { N = 5 };
    struct waiter w[N];
    for (int i = 0; i < N; i++) waiter_start(&w[i], &word, 0, FUSS_FUTEX_BITSET_ANY);
    await_waiters(&word, N);
    CHECK_EQ(fuss_futex(&word, FUSS_FUTEX_CMD_WAKE | P, 1, NULL, NULL, 0), 1);
    /* CMP_REQUEUE: a changed word, then woken + requeued. */
    CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_CMP_REQUEUE | P, 1, (void *)2, &word2, 1), EAGAIN);
    await_waiters(&word, N - 1);
    CHECK_EQ(fuss_futex(&word, FUSS_FUTEX_CMD_CMP_REQUEUE | P, 1, (void *)2, &word2, 0), 3);
    CHECK_EQ(count_waiters(&word2), 2);
    CHECK_EQ(count_waiters(&word), 1);
    /* REQUEUE: woken + requeued, like the kernel. */
    CHECK_EQ(fuss_futex(&word2, FUSS_FUTEX_CMD_REQUEUE | P, 1, (void *)5, &word, 0), 2);
    CHECK_EQ(count_waiters(&word), 2);
    CHECK_EQ(fuss_futex(&word, FUSS_FUTEX_CMD_WAKE_BITSET | P, 10, NULL, NULL, 0x3), 2);
    /* WAKE_OP with nobody left: 0, and the op applied. */
    CHECK_EQ(fuss_futex(&word, FUSS_FUTEX_CMD_WAKE_OP | P, 1, (void *)1, &word2,
                        FUSS_FUTEX_OP(FUSS_FUTEX_OP_ADD, 3, FUSS_FUTEX_OP_CMP_EQ, 0)), 0);
    CHECK_EQ(word2, 3);
    for (int i = 0; i < N; i++) {
        pthread_join(w[i].thread, NULL);
        CHECK_EQ(w[i].result, 0);
    }

    /* A fuss_futex wait is woken by a fuss_futex wake. */
    word = 0;
    pthread_t t;
    void *ret = (void *)2;
    REQUIRE(pthread_create(&t, NULL, compat_waiter, &word) == 0);
    await_waiters(&word, 1);
    __atomic_store_n(&word, 1, __ATOMIC_RELEASE);
    CHECK_EQ(fuss_futex(&word, FUSS_FUTEX_CMD_WAKE | P, 1, NULL, NULL, 0), 1);
    pthread_join(t, &ret);
    CHECK(ret == NULL);

    if (test_is_emulated()) {
        /* Without FUTEX_PRIVATE_FLAG the word is shared: not served here. */
        CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_WAKE, 1, NULL, NULL, 0), ENOTSUP);
        CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_WAIT, 1, NULL, NULL, 0), ENOTSUP);
        CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_LOCK_PI | P, 0, NULL, NULL, 0), ENOTSUP);
    } else {
        CHECK_FAIL(fuss_futex(&word, FUSS_FUTEX_CMD_WAIT, 0, NULL, NULL, 0), EAGAIN);
        CHECK_EQ(fuss_futex(&word, FUSS_FUTEX_CMD_WAKE, 1, NULL, NULL, 0), 0);
        uint32_t pi = 0;
        CHECK_EQ(fuss_futex(&pi, FUSS_FUTEX_CMD_LOCK_PI | P, 0, NULL, NULL, 0), 0);
        CHECK(pi != 0);
        CHECK_FAIL(fuss_futex(&pi, FUSS_FUTEX_CMD_TRYLOCK_PI | P, 0, NULL, NULL, 0), EDEADLK);
        CHECK_EQ(fuss_futex(&pi, FUSS_FUTEX_CMD_UNLOCK_PI | P, 0, NULL, NULL, 0), 0);
        CHECK_EQ(pi, 0);
        CHECK_EQ(fuss_futex(&pi, FUSS_FUTEX_CMD_TRYLOCK_PI | P, 0, NULL, NULL, 0), 0);
        CHECK_EQ(fuss_futex(&pi, FUSS_FUTEX_CMD_UNLOCK_PI | P, 0, NULL, NULL, 0), 0);
    }
    return test_done();
}
