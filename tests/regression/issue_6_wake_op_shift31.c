/* Issue 6, found by fuzz_futex_args: FUTEX_WAKE_OP with FUSS_FUTEX_OP_ARG_SHIFT
 * and oparg 31 must use 1 << 31 = 0x80000000 as the operand.  The emulated
 * backend's fuss__futex_op_apply (src/internal/wait.h) computes it as
 * "1 << (oparg & 31)" on an int: undefined behaviour in ISO C for 31, reported
 * by clang's UBSan (fuzz_futex_args_emulated; red under clang -fsanitize=undefined).
 * gcc defines the shift as an extension: gcc builds pass.  Checks each op. */
#include "harness.h"

int main(void)
{
    static const struct { uint32_t op, start, want; } cases[] = {
        { FUSS_FUTEX_OP_SET,  0x00000001u, 0x80000000u },
        { FUSS_FUTEX_OP_ADD,  0x00000001u, 0x80000001u },
        { FUSS_FUTEX_OP_OR,   0x00000003u, 0x80000003u },
        { FUSS_FUTEX_OP_ANDN, 0xffffffffu, 0x7fffffffu },
        { FUSS_FUTEX_OP_XOR,  0x80000001u, 0x00000001u },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t w1 = 0, w2 = cases[i].start;
        unsigned woken = 9;
        uint32_t op = FUSS_FUTEX_OP(cases[i].op | FUSS_FUTEX_OP_ARG_SHIFT, 31,
                                    FUSS_FUTEX_OP_CMP_EQ, 0);
        CHECK_EQ(fuss_futex_wake_op(&w1, 1, &w2, 1, op, FUSS_PRIVATE, &woken), 0);
        CHECK_EQ(w2, cases[i].want);
        CHECK_EQ(woken, 0);
    }
    return test_done();
}
