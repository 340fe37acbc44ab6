/* Lost-wake-up stress: tokens handed round a ring of stations through every wake method (count, bitset, wake-op, cmp-requeue) to waiters in every wait mode; seeded, time-bounded, with a stall diagnostic. */
#include "lost_wakeup.h"

int main(void)
{
    return lw_run("futex_lost_wakeup", (struct lw_config){ .waitv_two = 0, .requeue_pct = 20 });
}
