/* once stress: under concurrent callers fn runs exactly once and all callers see its effects. */
#include "harness.h"
#include "fuss/once.h"

#define NTHREADS 4
#define NOBJ 20000
static fuss_once_t onces[NOBJ];
static _Atomic int runs[NOBJ];
static int payload[NOBJ];        /* plain data written by fn, read by every caller */
static _Atomic int violations, stop;
/* Written between the two barriers.  Atomic although the barriers order
 * it: plain, gcc 12 -O2 loaded it right after the first barrier call (its
 * interprocedural analysis sees that spin_barrier never writes it) and so
 * missed the winner's write, and one thread ran past the last round alone
 * (a watchdog "hang" in about one run in five, once the machine finished
 * all NOBJ objects within the test's second). */
static _Atomic int quit;
static int nobj;                 /* objects used; written by thread 0 between barriers */
static _Atomic int spin_arrived, spin_gen;

/* A spinning barrier: its threads leave within nanoseconds of each other,
 * which is what makes them collide on the once object.  Returns 1 in one
 * thread per round. */
static int spin_barrier(void)
{
    int gen = spin_gen;
    if (++spin_arrived == NTHREADS) {
        spin_arrived = 0;
        spin_gen = gen + 1;
        return 1;
    }
    for (unsigned n = 0; spin_gen == gen; n++)
        if (n % 1024 == 1023) sched_yield(); /* 2 cores, 4 threads: let the others run */
    return 0;
}

static void init_obj(void *p)
{
    int i = (int)(intptr_t)p;
    runs[i]++;
    if (i % 8 == 0) sched_yield();  /* let other callers pile up and sleep */
    payload[i] = i + 1;
}

static void *worker(void *p)
{
    for (int i = 0;; i++) {
        /* One thread decides whether to go on; then everyone hits object i
         * at the same moment. */
        if (spin_barrier()) quit = i == NOBJ || stop;
        spin_barrier();
        if (quit) {
            if (p == NULL) nobj = i;
            break;
        }
        REQUIRE(fuss_once_arg(&onces[i], init_obj, (void *)(intptr_t)i) == 0);
        if (payload[i] != i + 1) violations++;
        REQUIRE(fuss_once_arg(&onces[i], init_obj, (void *)(intptr_t)i) == 0);
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
    test_sleep_ms((long)(secs * 1000));
    stop = 1;
    for (int i = 0; i < NTHREADS; i++) pthread_join(t[i], NULL);
    int bad = 0;
    for (int i = 0; i < NOBJ; i++) bad += runs[i] != (i < nobj);
    printf("%d objects\n", nobj);
    CHECK(nobj > 0);
    CHECK_EQ(bad, 0);
    CHECK_EQ(violations, 0);
    return test_done();
}
