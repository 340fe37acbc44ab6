/* barrier destroy: EBUSY while a round is incomplete; the serial thread may destroy at once. */
#include "waiters.h"
#include "fuss/barrier.h"

static fuss_barrier_t b;
static _Atomic int results[3];

static void *waiter(void *p)
{
    results[(intptr_t)p] = fuss_barrier_wait(&b);
    return NULL;
}

int main(void)
{
    test_watchdog(30, "barrier_destroy");
    REQUIRE(fuss_barrier_init(&b, 3, FUSS_PRIVATE) == 0);
    pthread_t t[2];
    for (intptr_t i = 0; i < 2; i++) REQUIRE(pthread_create(&t[i], NULL, waiter, (void *)i) == 0);
    await_waiters(&b.seq_, 2);
    CHECK_EQ(fuss_barrier_destroy(&b), EBUSY);
    results[2] = fuss_barrier_wait(&b);
    if (results[2] == FUSS_BARRIER_SERIAL_THREAD) CHECK_EQ(fuss_barrier_destroy(&b), 0);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    int serial = 0;
    for (int i = 0; i < 3; i++) serial += results[i] == FUSS_BARRIER_SERIAL_THREAD;
    CHECK_EQ(serial, 1);
    if (results[2] != FUSS_BARRIER_SERIAL_THREAD)
        CHECK_EQ(b.arrived_ - b.leaving_, 0); /* every ticket has left (src/barrier.c) */
    CHECK_EQ(fuss_barrier_destroy(&b), 0);
    return test_done();
}
