/* Issue 2: on a kernel with futex_wake(2) (6.7+), FUSS_FEATURE_FUTEX2 must be reported (the probe passed mask -1, which the kernel rejects with EINVAL for 32-bit futexes). FUSS_TEST_NO_FALLBACK */
#include <sys/syscall.h>

#include "harness.h"

int main(void)
{
    if (test_is_emulated()) {
        CHECK_EQ(fuss_futex_features() & FUSS_FEATURE_FUTEX2, 0);
        return test_done();
    }
    uint32_t dummy = 0;
    /* futex_wake(uaddr, mask, nr, FUTEX2_SIZE_U32 | FUTEX2_PRIVATE): 0 woken. */
    long r = syscall(454, &dummy, 0xffffffffL, 1L, 0x02L | 128L, 0L, 0L);
    int kernel_has_futex2 = r == 0;
    printf("kernel futex_wake: %s\n", kernel_has_futex2 ? "yes" : "no");
    const char *off = getenv("FUSS_DISABLE");
    if (kernel_has_futex2 && !(off && strstr(off, "futex2")))
        CHECK(fuss_futex_features() & FUSS_FEATURE_FUTEX2);
    return test_done();
}
