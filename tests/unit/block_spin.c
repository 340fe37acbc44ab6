/* The mutex's spin length (src/internal/spin.h, BLOCK-COST SPINS): each
 * timed sleep after a spent spin needs the smallest shift s with
 * FUSS__SPIN_BUDGET_NS << s >= its duration (at most
 * FUSS__HANDOFF_MAX_SHIFT), and the next spins use the least shift any of
 * the last FUSS__BLOCK_WINDOW sleeps needed.  The rule, not its timing: the
 * slept durations are given, not measured.  FUSS_TEST_NO_FALLBACK */
#include "harness.h"
#include "internal/spin.h"

#define BUDGET ((int64_t)FUSS__SPIN_BUDGET_NS)

static void check_shift_for(void)
{
    CHECK_EQ(fuss__block_shift_for(0), 0u);
    CHECK_EQ(fuss__block_shift_for(BUDGET), 0u);
    CHECK_EQ(fuss__block_shift_for(BUDGET + 1), 1u);
    CHECK_EQ(fuss__block_shift_for(2 * BUDGET), 1u);
    CHECK_EQ(fuss__block_shift_for(2 * BUDGET + 1), 2u);
    CHECK_EQ(fuss__block_shift_for(BUDGET << FUSS__HANDOFF_MAX_SHIFT), (unsigned)FUSS__HANDOFF_MAX_SHIFT);
    /* Longer sleeps say nothing more: the cap. */
    CHECK_EQ(fuss__block_shift_for(INT64_C(1) << 40), (unsigned)FUSS__HANDOFF_MAX_SHIFT);
}

static void check_window(void)
{
    fuss__block_window w = 0;
    CHECK_EQ(fuss__block_shift(w), 0u); /* no samples: the plain budget */

    /* The first sample decides: no zero slot counts as a sample. */
    fuss__block_slept(&w, 10 * BUDGET);
    CHECK_EQ(fuss__block_shift(w), 4u);

    /* The least of the window wins, wherever it is in the window. */
    fuss__block_slept(&w, 3 * BUDGET);
    CHECK_EQ(fuss__block_shift(w), 2u);
    for (int i = 0; i < FUSS__BLOCK_WINDOW - 1; i++) {
        fuss__block_slept(&w, INT64_C(1) << 40);
        CHECK_EQ(fuss__block_shift(w), 2u);
    }
    /* The short sample was the window's oldest; one more pushes it out. */
    fuss__block_slept(&w, INT64_C(1) << 40);
    CHECK_EQ(fuss__block_shift(w), (unsigned)FUSS__HANDOFF_MAX_SHIFT);

    /* One short sleep brings the spins straight back to the plain budget. */
    fuss__block_slept(&w, BUDGET / 2);
    CHECK_EQ(fuss__block_shift(w), 0u);
    for (int i = 0; i < FUSS__BLOCK_WINDOW - 1; i++) fuss__block_slept(&w, 2 * BUDGET);
    CHECK_EQ(fuss__block_shift(w), 0u);
    fuss__block_slept(&w, 2 * BUDGET);
    CHECK_EQ(fuss__block_shift(w), 1u);
}

static void check_scaled_budget(void)
{
    uint32_t base = fuss__spin_iterations();
    for (unsigned s = 0; s <= FUSS__HANDOFF_MAX_SHIFT; s++) {
        struct fuss__backoff b = fuss__backoff_scaled(s);
        CHECK_EQ(b.left, base << s);
        /* It spends exactly that many pauses, in doubling gaps. */
        uint32_t looks = 0;
        while (fuss__backoff_step(&b)) looks++;
        CHECK_EQ(b.left, 0u);
        CHECK(looks <= 32u - (unsigned)__builtin_clz(base << s) + 1u);
    }
}

/* spin.h, FIRST LOOK: the first look comes after about FUSS__FIRST_LOOK_NS
 * of pauses, not one, and the gaps double from there, for both the plain
 * and the scaled budgets. */
static void check_first_look(void)
{
    uint32_t base = fuss__spin_iterations();
    uint32_t first = fuss__first_gap();
    CHECK(first >= 1u);
    CHECK_EQ(first, (uint32_t)((uint64_t)base * FUSS__FIRST_LOOK_NS / FUSS__SPIN_BUDGET_NS) ?: 1u);
    CHECK(first < base);

    struct fuss__backoff plain = FUSS__BACKOFF_INIT;
    CHECK(fuss__backoff_step(&plain));
    CHECK_EQ(plain.left, base - first);
    for (unsigned s = 0; s <= FUSS__HANDOFF_MAX_SHIFT; s++) {
        struct fuss__backoff b = fuss__backoff_scaled(s);
        uint32_t total = base << s, spent = 0, gap = first;
        while (fuss__backoff_step(&b)) {
            uint32_t n = gap < total - spent ? gap : total - spent;
            spent += n;
            CHECK_EQ(b.left, total - spent);
            gap *= 2;
        }
        CHECK_EQ(spent, total);
    }
}

int main(void)
{
    check_shift_for();
    check_window();
    check_scaled_budget();
    check_first_look();
    return test_done();
}
