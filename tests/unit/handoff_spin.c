/* The hand-off spin's scale (src/internal/spin.h, HAND-OFF SPINS): a sleep
 * shorter than FUSS__HANDOFF_SHORT_NS after a failed spin doubles the next
 * spins, up to 2^FUSS__HANDOFF_MAX_SHIFT; a longer one halves them, down to
 * the plain budget; each thread has its own scale.  The rule, not its
 * timing: the slept durations are given, not measured. */
#include "harness.h"
#include "internal/spin.h"

static void *fresh_thread(void *arg)
{
    *(unsigned *)arg = fuss__handoff_shift();
    return NULL;
}

int main(void)
{
    CHECK_EQ(fuss__handoff_shift(), 0u);
    uint32_t base = fuss__spin_iterations();
    struct fuss__spin sp = fuss__handoff_spin();
    CHECK_EQ(sp.left, base);

    /* Short sleeps: the scale climbs one step each, and stops at the cap. */
    for (unsigned i = 1; i <= FUSS__HANDOFF_MAX_SHIFT + 3; i++) {
        fuss__handoff_slept(FUSS__HANDOFF_SHORT_NS - 1);
        unsigned want = i < FUSS__HANDOFF_MAX_SHIFT ? i : FUSS__HANDOFF_MAX_SHIFT;
        CHECK_EQ(fuss__handoff_shift(), want);
    }
    sp = fuss__handoff_spin();
    CHECK_EQ(sp.left, base << FUSS__HANDOFF_MAX_SHIFT);

    /* Another thread starts from the plain budget. */
    unsigned other = 99;
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, fresh_thread, &other) == 0);
    pthread_join(t, NULL);
    CHECK_EQ(other, 0u);

    /* Long sleeps: down one step each, never below 0. */
    for (int i = FUSS__HANDOFF_MAX_SHIFT - 1; i >= -2; i--) {
        fuss__handoff_slept(FUSS__HANDOFF_SHORT_NS);
        CHECK_EQ(fuss__handoff_shift(), (unsigned)(i > 0 ? i : 0));
    }
    sp = fuss__handoff_spin();
    CHECK_EQ(sp.left, base);
    return test_done();
}
