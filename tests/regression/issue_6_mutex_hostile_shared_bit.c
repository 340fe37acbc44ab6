/* Issue 6, found by fuzz_primitives: on the emulated backend, a mutex word
 * with the SHARED bit (bit 31) set and LOCKED (a hostile or corrupted word:
 * fuss_mutex_init refuses FUSS_SHARED there) makes fuss_mutex_timedlock
 * spin for ever instead of returning ETIMEDOUT: lock_park (src/mutex.c)
 * retries fuss__wait, which answers ENOTSUP at once, and never looks at the
 * deadline itself.  A past deadline must give ETIMEDOUT (or at least some
 * return); the watchdog turns the busy loop into a failure.  Since the fix
 * the corrupt word is reported as EINVAL (documented in mutex.h); a
 * timeout is as good an answer. */
#include "harness.h"

int main(void)
{
    test_watchdog(20, "mutex timedlock with a hostile SHARED bit never returned");
    fuss_mutex_t m;
    m.word = 0x80000000u | 0x1u; /* SHARED | LOCKED, held by "another process" */
    struct timespec past = { 0, 0 };
    int r = fuss_mutex_timedlock(&m, CLOCK_MONOTONIC, &past);
    CHECK(r == ETIMEDOUT || r == EINVAL);
    m.word = 0x80000000u | 0x1u | 0x4u; /* and starving */
    r = fuss_mutex_timedlock(&m, CLOCK_REALTIME, &past);
    CHECK(r == ETIMEDOUT || r == EINVAL);
    return test_done();
}
