/* once stress: under concurrent callers fn runs exactly once and all callers see its effects. */
#include "harness.h"
#include "fuss/once.h"

#define NTHREADS 4
#define NOBJ 4096
static fuss_once_t onces[NOBJ];
static _Atomic int runs[NOBJ];
static int payload[NOBJ];        /* plain data written by fn, read by every caller */
static _Atomic int violations, stop;
static _Atomic int next_obj;

static void init_obj(void *p)
{
    int i = (int)(intptr_t)p;
    runs[i]++;
    if (i % 64 == 0) sched_yield();  /* let other callers pile up and sleep */
    payload[i] = i + 1;
}

static void *worker(void *p)
{
    (void)p;
    for (;;) {
        int i = next_obj;
        if (i >= NOBJ) break;
        REQUIRE(fuss_once_arg(&onces[i], init_obj, (void *)(intptr_t)i) == 0);
        if (payload[i] != i + 1) violations++;
        /* The first caller to finish moves everybody on. */
        int exp = i;
        __atomic_compare_exchange_n((int *)&next_obj, &exp, i + 1, 0, __ATOMIC_SEQ_CST,
                                    __ATOMIC_SEQ_CST);
        if (stop) break;
    }
    return NULL;
}

int main(void)
{
    test_seed();
    double secs = test_seconds(1.0);
    test_watchdog((unsigned)secs + 30, "once_stress");
    pthread_t t[NTHREADS];
    for (long i = 0; i < NTHREADS; i++) REQUIRE(pthread_create(&t[i], NULL, worker, (void *)i) == 0);
    double end = test_now() + secs;
    while (next_obj < NOBJ && test_now() < end) test_sleep_ms(5);
    stop = 1;
    for (int i = 0; i < NTHREADS; i++) pthread_join(t[i], NULL);
    int n = next_obj, bad = 0;
    for (int i = 0; i < n; i++) bad += runs[i] != 1;
    for (int i = n; i < NOBJ; i++) bad += runs[i] > 1;
    printf("%d objects\n", n);
    CHECK_EQ(bad, 0);
    CHECK_EQ(violations, 0);
    return test_done();
}
