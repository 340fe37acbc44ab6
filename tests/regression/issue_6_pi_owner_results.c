/* Issue 6, found by fuzz_futex_args: fuss_futex_trylock_pi on a word whose
 * owner field names a thread that does not exist returns ESRCH, which
 * <fuss/futex.h> does not list for trylock_pi (it lists 0, EBUSY, EDEADLK,
 * EINVAL, ENOTSUP); the kernel answers ESRCH there (and EPERM when the tid
 * is a kernel thread, also undocumented for trylock_pi and lock_pi).  Either
 * the header documents them or the backend maps them.  lock_pi's ESRCH is
 * documented and checked too.  FUSS_TEST_NO_FALLBACK */
#include "harness.h"

static int one_of(int r, const int *set, int n)
{
    for (int i = 0; i < n; i++)
        if (r == set[i]) return 1;
    return 0;
}

int main(void)
{
    /* TID_MASK is far above pid_max (at most 2^22): no such thread. */
    uint32_t w = FUSS_FUTEX_TID_MASK;
    int r = fuss_futex_trylock_pi(&w, FUSS_PRIVATE);
    static const int trylock_doc[] = { 0, EBUSY, EDEADLK, ESRCH, EPERM, EINVAL, ENOTSUP };
    printf("trylock_pi on a dead owner: %d (%s)\n", r, strerror(r));
    CHECK(one_of(r, trylock_doc, 7));

    w = FUSS_FUTEX_TID_MASK;
    struct timespec past = { 0, 0 };
    r = fuss_futex_lock_pi(&w, CLOCK_REALTIME, &past, FUSS_PRIVATE);
    static const int lock_doc[] = { 0, ETIMEDOUT, EDEADLK, ESRCH, EPERM, EINVAL, ENOTSUP };
    printf("lock_pi on a dead owner: %d (%s)\n", r, strerror(r));
    CHECK(one_of(r, lock_doc, 7));
    return test_done();
}
