/* Garbage in an owned mutex's meta word (issue 22, the class of defect 5):
 * flag bits that init would refuse, or that name a kind the mutex was not
 * locked as, give an errno, never an abort or a write through a null list
 * link (src/omutex.c, HOSTILE WORDS H6, H7).  Both backends: on the
 * emulated one SHARED and ROBUST can only be garbage.
 *   SHARED on a held word, timed lock    EINVAL (no shared futexes: H6) or
 *                                        ETIMEDOUT (linux)
 *   ROBUST, lock                         ENOTSUP (no robust list: H7), or 0
 *   ROBUST set after a plain lock, unlock  EPERM (H7), or 0 (linux: the
 *                                        never-linked node is left alone) */
#include "harness.h"

#include <fuss/omutex.h>

int main(void)
{
    test_watchdog(30, "omutex with a hostile meta word never returned");
    int emulated = test_is_emulated();
    fuss_omutex_t m = FUSS_OMUTEX_INIT;

    m.word = 0x12345; /* "another process's thread" holds it */
    m.meta = FUSS_SHARED;
    struct timespec past = { 0, 0 };
    int r = fuss_omutex_timedlock(&m, CLOCK_MONOTONIC, &past);
    CHECK(emulated ? r == EINVAL : r == ETIMEDOUT);

    m = (fuss_omutex_t)FUSS_OMUTEX_INIT;
    m.meta = FUSS_OMUTEX_ROBUST;
    r = fuss_omutex_lock(&m);
    CHECK_EQ(r, emulated ? ENOTSUP : 0);
    if (r == 0) CHECK_EQ(fuss_omutex_unlock(&m), 0);

    m = (fuss_omutex_t)FUSS_OMUTEX_INIT;
    CHECK_EQ(fuss_omutex_lock(&m), 0);
    m.meta = FUSS_OMUTEX_ROBUST; /* written while we hold it as a plain mutex */
    CHECK_EQ(fuss_omutex_unlock(&m), emulated ? EPERM : 0);
    return test_done();
}
