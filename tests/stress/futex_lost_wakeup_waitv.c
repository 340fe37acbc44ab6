/* Lost-wake-up stress, waitv variant: every thread waits on its two stations (and decoys) at once with waitv, mostly woken through cmp-requeue to auxiliary words; exercises the emulated queue path. */
#include "lost_wakeup.h"

int main(void)
{
    return lw_run("futex_lost_wakeup_waitv", (struct lw_config){ .waitv_two = 1, .requeue_pct = 60 });
}
