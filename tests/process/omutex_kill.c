/* Robust, process-shared owned mutex in a MAP_SHARED mapping: a process
 * SIGKILLed while holding it makes the parent's lock return EOWNERDEAD; a
 * locker asleep at the moment of the kill is woken with EOWNERDEAD; and a
 * seeded campaign of kills at random points of a lock/update/unlock loop
 * never wedges the mutex nor hides a torn update (two counters updated
 * under the lock stay equal unless EOWNERDEAD said otherwise).  Plain and
 * PI.  FUSS_TEST_LINUX_ONLY */
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "harness.h"
#include "fuss/omutex.h"

struct shm {
    fuss_omutex_t m;
    int ready;
    volatile long a, b;   /* protected by m: equal outside critical sections */
};

static struct shm *sh;

static pid_t spawn(void (*fn)(void))
{
    fflush(stdout);
    pid_t p = fork();
    REQUIRE(p >= 0);
    if (p == 0) { fn(); _exit(0); }
    return p;
}

static void reap(pid_t p)
{
    int st;
    REQUIRE(waitpid(p, &st, 0) == p);
}

static void hold_forever(void)
{
    if (fuss_omutex_lock(&sh->m) != 0) _exit(3);
    __atomic_store_n(&sh->ready, 1, __ATOMIC_RELEASE);
    for (;;) pause();
}

static void wait_ready(void)
{
    while (!__atomic_load_n(&sh->ready, __ATOMIC_ACQUIRE)) test_sleep_ms(1);
}

struct sleeper { int result; int started; };

static void *sleep_lock(void *p)
{
    struct sleeper *s = (struct sleeper *)p;
    __atomic_store_n(&s->started, 1, __ATOMIC_RELEASE);
    struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 20000);
    s->result = fuss_omutex_timedlock(&sh->m, CLOCK_MONOTONIC, &dl);
    if (s->result == EOWNERDEAD) {
        CHECK_EQ(fuss_omutex_consistent(&sh->m), 0);
        CHECK_EQ(fuss_omutex_unlock(&sh->m), 0);
    }
    return NULL;
}

static void churn(void)
{
    for (;;) {
        int r = fuss_omutex_lock(&sh->m);
        if (r == EOWNERDEAD) { sh->b = sh->a; fuss_omutex_consistent(&sh->m); }
        else if (r) _exit(4);
        sh->a++;
        sh->b++;
        __atomic_store_n(&sh->ready, 1, __ATOMIC_RELEASE);
        fuss_omutex_unlock(&sh->m);
    }
}

static void run(unsigned flags, int kills, uint64_t *rng)
{
    REQUIRE(fuss_omutex_init(&sh->m, FUSS_SHARED | FUSS_OMUTEX_ROBUST | flags) == 0);

    /* 1. owner killed -> EOWNERDEAD for the parent */
    __atomic_store_n(&sh->ready, 0, __ATOMIC_RELAXED);
    pid_t p = spawn(hold_forever);
    wait_ready();
    CHECK_EQ(fuss_omutex_owner(&sh->m), p);
    CHECK_EQ(fuss_omutex_trylock(&sh->m), EBUSY);
    kill(p, SIGKILL);
    reap(p);
    CHECK_EQ(fuss_omutex_lock(&sh->m), EOWNERDEAD);
    CHECK_EQ(fuss_omutex_consistent(&sh->m), 0);
    CHECK_EQ(fuss_omutex_unlock(&sh->m), 0);

    /* 2. a locker asleep at the moment of the kill gets EOWNERDEAD */
    __atomic_store_n(&sh->ready, 0, __ATOMIC_RELAXED);
    p = spawn(hold_forever);
    wait_ready();
    struct sleeper s = { -1, 0 };
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, sleep_lock, &s) == 0);
    while (!__atomic_load_n(&s.started, __ATOMIC_ACQUIRE)) test_sleep_ms(1);
    test_sleep_ms(30);
    kill(p, SIGKILL);
    reap(p);
    pthread_join(t, NULL);
    CHECK_EQ(s.result, EOWNERDEAD);
    CHECK_EQ(fuss_omutex_lock(&sh->m), 0);      /* consistent again */
    CHECK_EQ(fuss_omutex_unlock(&sh->m), 0);

    /* 3. kills at random points */
    sh->a = sh->b = 0;
    int deaths = 0, torn = 0;
    for (int k = 0; k < kills; k++) {
        __atomic_store_n(&sh->ready, 0, __ATOMIC_RELAXED);
        p = spawn(churn);
        wait_ready();
        struct timespec d = { 0, (long)(test_rand(rng) % 200000) };
        nanosleep(&d, NULL);
        kill(p, SIGKILL);
        reap(p);
        struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 5000);
        int r = fuss_omutex_timedlock(&sh->m, CLOCK_MONOTONIC, &dl);
        CHECK(r == 0 || r == EOWNERDEAD);
        if (r != 0 && r != EOWNERDEAD) {
            fprintf(stderr, "kill %d: lock %d, word %#x\n", k, r, sh->m.word);
            break;
        }
        if (r == EOWNERDEAD) {
            deaths++;
            if (sh->a != sh->b) torn++;
            sh->b = sh->a;                 /* repair */
            CHECK_EQ(fuss_omutex_consistent(&sh->m), 0);
        }
        CHECK_EQ(sh->a, sh->b);            /* never torn without EOWNERDEAD */
        CHECK_EQ(fuss_omutex_unlock(&sh->m), 0);
    }
    printf("flags %#x: %d kills, %d inside the lock (%d mid-update)\n", flags, kills, deaths, torn);
}

int main(void)
{
    test_watchdog(240, "omutex_kill");
    uint64_t rng = test_seed() | 1;
    sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    REQUIRE(sh != MAP_FAILED);
    int kills = (int)(100 * test_seconds(1));
    run(0, kills, &rng);
    run(FUSS_OMUTEX_PI, kills, &rng);
    run(FUSS_OMUTEX_RECURSIVE, kills / 4, &rng);
    return test_done();
}
