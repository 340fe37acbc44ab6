/* Issue 2: wake-op with FUSS_FUTEX_OP_ARG_SHIFT and oparg 31 must give 1 << 31 without undefined behaviour (the emulated op evaluation shifted a signed 1; UBSan build fails). */
#include "harness.h"

static uint32_t word1, word2;

int main(void)
{
    unsigned woken = 99;
    word2 = 5;
    CHECK_EQ(fuss_futex_wake_op(&word1, 1, &word2, 1,
                                FUSS_FUTEX_OP(FUSS_FUTEX_OP_OR | FUSS_FUTEX_OP_ARG_SHIFT, 31,
                                              FUSS_FUTEX_OP_CMP_EQ, 0), FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(word2, 0x80000005u);
    CHECK_EQ(woken, 0);
    return test_done();
}
