/* fuss_futex_openbsd() and <fuss/compat/openbsd_futex.h> take OpenBSD's op codes (WAIT 1, WAKE 2, REQUEUE 3): WAKE and REQUEUE return the number woken, WAIT 0 or -1 with errno. */
#include "waiters.h"

#include "fuss/compat/openbsd_futex.h"

#define PF FUTEX_PRIVATE_FLAG

static uint32_t word, word2;

#define CHECK_FAIL(call, e)                                                          \
    do {                                                                             \
        errno = 0;                                                                   \
        long r_ = (call);                                                            \
        CHECK_EQ(r_, -1);                                                            \
        CHECK_EQ(errno, (e));                                                        \
    } while (0)

int main(void)
{
    test_watchdog(30, "futex_compat_openbsd");
    CHECK_EQ(FUTEX_WAIT, 1);
    CHECK_EQ(FUTEX_WAKE, 2);
    CHECK_EQ(FUTEX_REQUEUE, 3);
    struct timespec rel = { 0, 20000000L }, bad = { 0, 1000000000L }, neg = { -1, 0 };

    CHECK_FAIL(futex(&word, FUTEX_WAIT | PF, 1, NULL, NULL), EAGAIN);
    CHECK_FAIL(futex(&word, FUTEX_WAIT | PF, 0, &bad, NULL), EINVAL);
    CHECK_FAIL(futex(&word, FUTEX_WAIT | PF, 0, &neg, NULL), EINVAL);
    CHECK_FAIL(futex(NULL, FUTEX_WAKE | PF, 1, NULL, NULL), EFAULT);
    CHECK_FAIL(futex(&word, 0 | PF, 1, NULL, NULL), ENOSYS);
    CHECK_FAIL(futex(&word, 4 | PF, 1, NULL, NULL), ENOSYS);
    double t0 = test_now();
    CHECK_FAIL(futex(&word, FUTEX_WAIT | PF, 0, &rel, NULL), ETIMEDOUT);
    CHECK(test_now() - t0 >= 0.019);
    CHECK_EQ(futex(&word, FUTEX_WAKE | PF, 3, NULL, NULL), 0);

    enum { N = 5 };
    struct waiter w[N];
    for (int i = 0; i < N; i++) waiter_start(&w[i], &word, 0, FUSS_FUTEX_BITSET_ANY);
    await_waiters(&word, N);
    CHECK_EQ(futex(&word, FUTEX_WAKE | PF, 1, NULL, NULL), 1);
    await_waiters(&word, N - 1);
    /* Wake 1, requeue 2: OpenBSD reports only the one woken. */
    CHECK_EQ(futex(&word, FUTEX_REQUEUE | PF, 1, (const struct timespec *)(intptr_t)2, &word2), 1);
    CHECK_EQ(count_waiters(&word), 1);
    CHECK_EQ(count_waiters(&word2), 2);
    CHECK_EQ(fuss_futex_openbsd(&word2, FUSS_OPENBSD_FUTEX_WAKE | FUSS_OPENBSD_FUTEX_PRIVATE_FLAG,
                                10, NULL, NULL), 2);
    CHECK_EQ(futex(&word, FUTEX_WAKE | PF, 10, NULL, NULL), 1);
    for (int i = 0; i < N; i++) {
        pthread_join(w[i].thread, NULL);
        CHECK_EQ(w[i].result, 0);
    }
    /* Without the private flag the word is shared. */
    if (test_is_emulated()) CHECK_FAIL(futex(&word, FUTEX_WAKE, 1, NULL, NULL), ENOTSUP);
    else CHECK_EQ(futex(&word, FUTEX_WAKE, 1, NULL, NULL), 0);
    return test_done();
}
