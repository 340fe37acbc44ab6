/* Wake-op applies every op (with and without ARG_SHIFT, 12-bit args sign-extended) to word2, wakes word2's waiters exactly when the signed comparison of the old value holds, and reports the total woken. */
#include "waiters.h"

static uint32_t word1, word2;

struct op_case { unsigned op; int32_t oparg; uint32_t old, expect; };

static const struct op_case op_cases[] = {
    { FUSS_FUTEX_OP_SET,  5,      0x0f0u, 5u },
    { FUSS_FUTEX_OP_SET,  -2,     0x0f0u, 0xfffffffeu },  /* 0xffe sign-extended */
    { FUSS_FUTEX_OP_SET,  -2048,  0u,     0xfffff800u },  /* most negative 12-bit */
    { FUSS_FUTEX_OP_SET,  2047,   0u,     0x7ffu },
    { FUSS_FUTEX_OP_ADD,  5,      0x0f0u, 0x0f5u },
    { FUSS_FUTEX_OP_ADD,  -1,     0x0f0u, 0x0efu },
    { FUSS_FUTEX_OP_ADD,  1,      0xffffffffu, 0u },
    { FUSS_FUTEX_OP_OR,   0x30c,  0x0f0u, 0x3fcu },
    { FUSS_FUTEX_OP_OR,   -16,    0x00fu, 0xffffffffu },
    { FUSS_FUTEX_OP_ANDN, 0x030,  0x0f0u, 0x0c0u },
    { FUSS_FUTEX_OP_ANDN, -256,   0x12345u, 0x45u },
    { FUSS_FUTEX_OP_XOR,  0x0ff,  0x0f0u, 0x00fu },
    { FUSS_FUTEX_OP_XOR,  -1,     0x0f0u, 0xffffff0fu },
    /* ARG_SHIFT: the operand is 1 << oparg. */
    { FUSS_FUTEX_OP_SET  | FUSS_FUTEX_OP_ARG_SHIFT, 31, 7u,     0x80000000u },
    { FUSS_FUTEX_OP_SET  | FUSS_FUTEX_OP_ARG_SHIFT, 0,  7u,     1u },
    { FUSS_FUTEX_OP_ADD  | FUSS_FUTEX_OP_ARG_SHIFT, 4,  0x0f0u, 0x100u },
    { FUSS_FUTEX_OP_OR   | FUSS_FUTEX_OP_ARG_SHIFT, 3,  0x0f0u, 0x0f8u },
    { FUSS_FUTEX_OP_ANDN | FUSS_FUTEX_OP_ARG_SHIFT, 5,  0x0f0u, 0x0d0u },
    { FUSS_FUTEX_OP_XOR  | FUSS_FUTEX_OP_ARG_SHIFT, 20, 0x0f0u, 0x1000f0u },
};

struct cmp_case { unsigned cmp; int32_t cmparg; uint32_t old; int holds; };

static const struct cmp_case cmp_cases[] = {
    { FUSS_FUTEX_OP_CMP_EQ, 7, 7, 1 },   { FUSS_FUTEX_OP_CMP_EQ, 7, 8, 0 },
    { FUSS_FUTEX_OP_CMP_EQ, -1, 0xffffffffu, 1 }, /* cmparg 0xfff is -1 */
    { FUSS_FUTEX_OP_CMP_EQ, -1, 0xfffu, 0 },
    { FUSS_FUTEX_OP_CMP_NE, 7, 7, 0 },   { FUSS_FUTEX_OP_CMP_NE, 7, 6, 1 },
    { FUSS_FUTEX_OP_CMP_LT, 7, 6, 1 },   { FUSS_FUTEX_OP_CMP_LT, 7, 7, 0 },
    { FUSS_FUTEX_OP_CMP_LT, 1, 0xffffffffu, 1 }, /* signed: -1 < 1 */
    { FUSS_FUTEX_OP_CMP_LE, 7, 7, 1 },   { FUSS_FUTEX_OP_CMP_LE, 7, 8, 0 },
    { FUSS_FUTEX_OP_CMP_GT, 7, 8, 1 },   { FUSS_FUTEX_OP_CMP_GT, 7, 7, 0 },
    { FUSS_FUTEX_OP_CMP_GT, 0, 0x80000000u, 0 }, /* signed: INT_MIN > 0 is false */
    { FUSS_FUTEX_OP_CMP_GE, 7, 7, 1 },   { FUSS_FUTEX_OP_CMP_GE, 7, 6, 0 },
    { FUSS_FUTEX_OP_CMP_GE, -2048, 0xfffff800u, 1 },
};

static void check_op(const struct op_case *c)
{
    unsigned woken = 99;
    word2 = c->old;
    CHECK_EQ(fuss_futex_wake_op(&word1, 1, &word2, 1,
                                FUSS_FUTEX_OP(c->op, c->oparg, FUSS_FUTEX_OP_CMP_EQ, 0),
                                FUSS_PRIVATE, &woken), 0);
    if (word2 != c->expect)
        fprintf(stderr, "op %u oparg %d on 0x%x: got 0x%x, want 0x%x\n", c->op, c->oparg, c->old,
                word2, c->expect);
    CHECK_EQ(word2, c->expect);
    CHECK_EQ(woken, 0);
}

/* One waiter on each word; the op adds 0 so only the comparison decides. */
static void check_cmp(const struct cmp_case *c)
{
    struct waiter w1, w2;
    unsigned woken = 99;
    word1 = 0;
    word2 = c->old;
    waiter_start(&w1, &word1, 0, FUSS_FUTEX_BITSET_ANY);
    waiter_start(&w2, &word2, c->old, FUSS_FUTEX_BITSET_ANY);
    await_waiters(&word1, 1);
    await_waiters(&word2, 1);
    CHECK_EQ(fuss_futex_wake_op(&word1, 1, &word2, 1,
                                FUSS_FUTEX_OP(FUSS_FUTEX_OP_ADD, 0, c->cmp, c->cmparg),
                                FUSS_PRIVATE, &woken), 0);
    if ((int)woken != 1 + c->holds)
        fprintf(stderr, "cmp %u cmparg %d old 0x%x: woke %u\n", c->cmp, c->cmparg, c->old, woken);
    CHECK_EQ(woken, 1 + c->holds);
    CHECK_EQ(word2, c->old);
    pthread_join(w1.thread, NULL);
    CHECK_EQ(w1.result, 0);
    if (!c->holds) {
        test_sleep_ms(5);
        CHECK_EQ(waiters_done(&w2, 1), 0);
        CHECK_EQ(count_waiters(&word2), 1);
        CHECK_EQ(fuss_futex_wake(&word2, 1, FUSS_PRIVATE, &woken), 0);
        CHECK_EQ(woken, 1);
    }
    pthread_join(w2.thread, NULL);
    CHECK_EQ(w2.result, 0);
}

int main(void)
{
    test_watchdog(30, "futex_wake_op");
    for (size_t i = 0; i < sizeof op_cases / sizeof op_cases[0]; i++) check_op(&op_cases[i]);
    for (size_t i = 0; i < sizeof cmp_cases / sizeof cmp_cases[0]; i++) check_cmp(&cmp_cases[i]);

    /* Counts: up to nwake1 on word1 plus, when cmp holds, up to nwake2 on word2. */
    enum { N = 3 };
    struct waiter a[N], b[N];
    unsigned woken = 99;
    word1 = 0;
    word2 = 0;
    for (int i = 0; i < N; i++) {
        waiter_start(&a[i], &word1, 0, FUSS_FUTEX_BITSET_ANY);
        waiter_start(&b[i], &word2, 0, FUSS_FUTEX_BITSET_ANY);
    }
    await_waiters(&word1, N);
    await_waiters(&word2, N);
    /* cmp false (old 0 != 0 is false): word1's two only. */
    CHECK_EQ(fuss_futex_wake_op(&word1, 2, &word2, 2,
                                FUSS_FUTEX_OP(FUSS_FUTEX_OP_ADD, 1, FUSS_FUTEX_OP_CMP_NE, 0),
                                FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 2);
    CHECK_EQ(word2, 1);
    /* cmp true (old 1 == 1): one more of word1, two of word2. */
    CHECK_EQ(fuss_futex_wake_op(&word1, 2, &word2, 2,
                                FUSS_FUTEX_OP(FUSS_FUTEX_OP_ADD, 1, FUSS_FUTEX_OP_CMP_EQ, 1),
                                FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 3);
    CHECK_EQ(word2, 2);
    CHECK_EQ(count_waiters(&word1), 0);
    CHECK_EQ(count_waiters(&word2), 1);
    CHECK_EQ(fuss_futex_wake_op(&word1, 5, &word2, 5,
                                FUSS_FUTEX_OP(FUSS_FUTEX_OP_SET, 0, FUSS_FUTEX_OP_CMP_GE, 0),
                                FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 1);
    CHECK_EQ(word2, 0);
    for (int i = 0; i < N; i++) {
        pthread_join(a[i].thread, NULL);
        pthread_join(b[i].thread, NULL);
        CHECK_EQ(a[i].result, 0);
        CHECK_EQ(b[i].result, 0);
    }
    return test_done();
}
