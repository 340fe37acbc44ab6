/* barrier: sizes, count 0 -> EINVAL, zero-init is a one-thread barrier, one thread's rounds. */
#include "harness.h"
#include "fuss/barrier.h"

int main(void)
{
    test_watchdog(30, "barrier_states");
    CHECK(sizeof(fuss_barrier_t) <= 16);
    fuss_barrier_t b;
    CHECK_EQ(fuss_barrier_init(&b, 0, FUSS_PRIVATE), EINVAL);
    CHECK_EQ(fuss_barrier_init(&b, 2, 0x10), EINVAL);
    CHECK_EQ(fuss_barrier_init(&b, FUSS_BARRIER_COUNT_MAX + 1u, FUSS_PRIVATE), EINVAL);

    memset(&b, 0, sizeof b);
    for (int i = 0; i < 5; i++) CHECK_EQ(fuss_barrier_wait(&b), FUSS_BARRIER_SERIAL_THREAD);
    CHECK_EQ(fuss_barrier_destroy(&b), 0);

    CHECK_EQ(fuss_barrier_init(&b, 1, FUSS_PRIVATE), 0);
    for (int i = 0; i < 5; i++) CHECK_EQ(fuss_barrier_wait(&b), FUSS_BARRIER_SERIAL_THREAD);
    CHECK_EQ(fuss_barrier_destroy(&b), 0);

    int r = fuss_barrier_init(&b, 1, FUSS_SHARED);
    CHECK_EQ(r, test_is_emulated() ? ENOTSUP : 0);
    if (r == 0) CHECK_EQ(fuss_barrier_wait(&b), FUSS_BARRIER_SERIAL_THREAD);
    return test_done();
}
