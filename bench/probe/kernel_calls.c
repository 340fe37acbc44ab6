/* The two private futex calls park_futex.c needs (internal/park.h), for
 * probe.sh's "emulated backend with the futex parker" build, where linux.c
 * (which normally provides them) is not linked. */
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <errno.h>

#include "internal/park.h"

int fuss__kernel_wait_private(const a32_t *word, uint32_t expected, const struct fuss__deadline *dl)
{
    int op = FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG |
             (dl && dl->clock == CLOCK_REALTIME ? FUTEX_CLOCK_REALTIME : 0);
    long r = syscall(SYS_futex, word, op, expected, dl ? &dl->at : NULL, NULL, FUTEX_BITSET_MATCH_ANY);
    return r == 0 ? 0 : -errno;
}

void fuss__kernel_wake_private(const a32_t *word, int count)
{
    (void)syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, count, NULL, NULL, 0);
}
