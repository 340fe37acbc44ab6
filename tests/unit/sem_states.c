/* sem: sizes, zero-init, post/wait/trywait/getvalue transitions and error codes. */
#include "harness.h"
#include "fuss/sem.h"

int main(void)
{
    test_watchdog(30, "sem_states");
    CHECK_EQ(sizeof(fuss_sem_t), 8);
    unsigned v = 99;

    fuss_sem_t s;
    memset(&s, 0, sizeof s);
    CHECK_EQ(fuss_sem_getvalue(&s, &v), 0);
    CHECK_EQ(v, 0);
    CHECK_EQ(fuss_sem_trywait(&s), EAGAIN);
    CHECK_EQ(fuss_sem_post(&s), 0);
    CHECK_EQ(fuss_sem_post(&s), 0);
    fuss_sem_getvalue(&s, &v);
    CHECK_EQ(v, 2);
    CHECK_EQ(fuss_sem_wait(&s), 0);
    CHECK_EQ(fuss_sem_trywait(&s), 0);
    CHECK_EQ(fuss_sem_trywait(&s), EAGAIN);
    fuss_sem_getvalue(&s, &v);
    CHECK_EQ(v, 0);
    CHECK_EQ(fuss_sem_destroy(&s), 0);

    fuss_sem_t i3 = FUSS_SEM_INIT(3);
    fuss_sem_getvalue(&i3, &v);
    CHECK_EQ(v, 3);

    CHECK_EQ(fuss_sem_init(&s, FUSS_SEM_VALUE_MAX + 1u, FUSS_PRIVATE), EINVAL);
    CHECK_EQ(fuss_sem_init(&s, 0, 0x10), EINVAL);
    CHECK_EQ(fuss_sem_init(&s, FUSS_SEM_VALUE_MAX - 1, FUSS_PRIVATE), 0);
    CHECK_EQ(fuss_sem_post(&s), 0);
    CHECK_EQ(fuss_sem_post(&s), EOVERFLOW);
    fuss_sem_getvalue(&s, &v);
    CHECK_EQ(v, FUSS_SEM_VALUE_MAX);     /* the failed post changed nothing */
    CHECK_EQ(fuss_sem_trywait(&s), 0);
    CHECK_EQ(fuss_sem_post(&s), 0);

    struct timespec past = { 0, 0 };
    CHECK_EQ(fuss_sem_init(&s, 1, FUSS_PRIVATE), 0);
    CHECK_EQ(fuss_sem_timedwait(&s, CLOCK_MONOTONIC, &past), 0);
    CHECK_EQ(fuss_sem_timedwait(&s, CLOCK_MONOTONIC, &past), ETIMEDOUT);
    fuss_sem_getvalue(&s, &v);
    CHECK_EQ(v, 0);
    CHECK_EQ(fuss_sem_destroy(&s), 0);       /* the timed-out waiter unregistered */

    int r = fuss_sem_init(&s, 1, FUSS_SHARED);
    CHECK_EQ(r, test_is_emulated() ? ENOTSUP : 0);
    if (r == 0) {
        CHECK_EQ(fuss_sem_wait(&s), 0);
        CHECK_EQ(fuss_sem_post(&s), 0);
        fuss_sem_getvalue(&s, &v);
        CHECK_EQ(v, 1);
    }
    return test_done();
}
