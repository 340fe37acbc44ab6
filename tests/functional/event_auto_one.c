/* auto-reset event: each set releases exactly one of several sleeping waiters. */
#include "waiters.h"
#include "fuss/event.h"

#define N 3
static fuss_event_t ev;
static _Atomic int released;

static void *waiter(void *p)
{
    (void)p;
    REQUIRE(fuss_event_wait(&ev) == 0);
    released++;
    return NULL;
}

int main(void)
{
    test_watchdog(30, "event_auto_one");
    REQUIRE(fuss_event_init(&ev, FUSS_EVENT_AUTO_RESET) == 0);
    pthread_t t[N];
    for (int i = 0; i < N; i++) REQUIRE(pthread_create(&t[i], NULL, waiter, NULL) == 0);
    for (int k = 1; k <= N; k++) {
        await_waiters(&ev.state_, (unsigned)(N - k + 1));
        CHECK_EQ(fuss_event_set(&ev), 0);
        for (int i = 0; i < 2000 && released < k; i++) test_sleep_ms(1);
        test_sleep_ms(20);                    /* a second release would show by now */
        CHECK_EQ(released, k);
        CHECK_EQ(fuss_event_is_set(&ev), 0);  /* consumed by the released waiter */
    }
    for (int i = 0; i < N; i++) pthread_join(t[i], NULL);
    return test_done();
}
