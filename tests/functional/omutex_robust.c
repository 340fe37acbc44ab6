/* Robust owned mutex, threads: an owner thread that exits holding it makes
 * the next locker (and a locker already asleep at that moment) get
 * EOWNERDEAD holding the lock; consistent() makes it usable again; unlocking
 * without consistent() makes it ENOTRECOVERABLE for everyone, sleepers
 * included, until init.  Plain and PI, private and shared.
 * FUSS_TEST_LINUX_ONLY (robust mutexes need the kernel's robust list) */
#include <sys/syscall.h>

#include "harness.h"
#include "fuss/omutex.h"

static fuss_omutex_t m;

static void *die_holding(void *arg)
{
    int depth = (int)(intptr_t)arg;
    for (int i = 0; i < depth; i++) CHECK_EQ(fuss_omutex_lock(&m), 0);
    return NULL;       /* thread exit with the lock held */
}

static void kill_owner(int depth)
{
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, die_holding, (void *)(intptr_t)depth) == 0);
    pthread_join(t, NULL);
}

/* Threads record results; main checks them after joining (the harness
 * counters are not thread-safe). */
struct sleeper { int result, unlock_result; int started; };
static int holder_result;

static void *sleep_lock(void *p)
{
    struct sleeper *s = (struct sleeper *)p;
    __atomic_store_n(&s->started, 1, __ATOMIC_RELEASE);
    s->result = fuss_omutex_lock(&m);
    s->unlock_result = (s->result == EOWNERDEAD || s->result == 0) ? fuss_omutex_unlock(&m) : 0;
    return NULL;
}

static void *hold_then_exit(void *arg)
{
    (void)arg;
    holder_result = fuss_omutex_lock(&m);
    test_sleep_ms(50);  /* the sleeper blocks meanwhile */
    return NULL;
}

static void run(unsigned flags)
{
    REQUIRE(fuss_omutex_init(&m, FUSS_OMUTEX_ROBUST | flags) == 0);

    /* 1. dead owner -> EOWNERDEAD, consistent -> usable */
    kill_owner(flags & FUSS_OMUTEX_RECURSIVE ? 3 : 1);
    CHECK_EQ(fuss_omutex_owner(&m), 0);
    CHECK_EQ(fuss_omutex_lock(&m), EOWNERDEAD);
    CHECK_EQ(fuss_omutex_owner(&m), (pid_t)gettid());
    CHECK_EQ(fuss_omutex_consistent(&m), 0);
    CHECK_EQ(fuss_omutex_consistent(&m), EINVAL);       /* already consistent */
    CHECK_EQ(fuss_omutex_unlock(&m), 0);
    CHECK_EQ(fuss_omutex_unlock(&m), EPERM);            /* recursion depth was reset */
    CHECK_EQ(fuss_omutex_lock(&m), 0);
    CHECK_EQ(fuss_omutex_unlock(&m), 0);

    /* 2. trylock and timedlock see the dead owner too */
    kill_owner(1);
    CHECK_EQ(fuss_omutex_trylock(&m), EOWNERDEAD);
    CHECK_EQ(fuss_omutex_consistent(&m), 0);
    CHECK_EQ(fuss_omutex_unlock(&m), 0);
    kill_owner(1);
    struct timespec dl = test_deadline_in(CLOCK_REALTIME, 5000);
    CHECK_EQ(fuss_omutex_timedlock(&m, CLOCK_REALTIME, &dl), EOWNERDEAD);
    CHECK_EQ(fuss_omutex_consistent(&m), 0);
    CHECK_EQ(fuss_omutex_unlock(&m), 0);

    /* 3. a locker asleep when the owner dies is woken with EOWNERDEAD */
    pthread_t owner, sl;
    struct sleeper s = { -1, -1, 0 };
    REQUIRE(pthread_create(&owner, NULL, hold_then_exit, NULL) == 0);
    while (fuss_omutex_owner(&m) == 0) test_sleep_ms(1);
    REQUIRE(pthread_create(&sl, NULL, sleep_lock, &s) == 0);
    pthread_join(owner, NULL);
    pthread_join(sl, NULL);
    CHECK_EQ(holder_result, 0);
    CHECK_EQ(s.unlock_result, 0);
    CHECK_EQ(s.result, EOWNERDEAD);   /* it unlocked without consistent(): */

    /* 4. ... so the mutex is now not recoverable, for everyone */
    CHECK_EQ(fuss_omutex_lock(&m), ENOTRECOVERABLE);
    CHECK_EQ(fuss_omutex_trylock(&m), ENOTRECOVERABLE);
    CHECK_EQ(fuss_omutex_timedlock(&m, CLOCK_MONOTONIC, &(struct timespec){ 0, 0 }),
             ENOTRECOVERABLE);
    CHECK_EQ(fuss_omutex_owner(&m), 0);
    CHECK_EQ(fuss_omutex_unlock(&m), EPERM);
    CHECK_EQ(fuss_omutex_destroy(&m), 0);

    /* 5. sleepers at the moment it becomes not recoverable all get it */
    REQUIRE(fuss_omutex_init(&m, FUSS_OMUTEX_ROBUST | flags) == 0);
    kill_owner(1);
    CHECK_EQ(fuss_omutex_lock(&m), EOWNERDEAD);
    struct sleeper ss[3] = { { -1, -1, 0 }, { -1, -1, 0 }, { -1, -1, 0 } };
    pthread_t st[3];
    for (int i = 0; i < 3; i++) REQUIRE(pthread_create(&st[i], NULL, sleep_lock, &ss[i]) == 0);
    for (int i = 0; i < 3; i++)
        while (!__atomic_load_n(&ss[i].started, __ATOMIC_ACQUIRE)) test_sleep_ms(1);
    test_sleep_ms(50);
    CHECK_EQ(fuss_omutex_unlock(&m), 0);      /* without consistent() */
    for (int i = 0; i < 3; i++) {
        pthread_join(st[i], NULL);
        CHECK_EQ(ss[i].result, ENOTRECOVERABLE);
    }
    /* init makes it a fresh mutex */
    REQUIRE(fuss_omutex_init(&m, FUSS_OMUTEX_ROBUST | flags) == 0);
    CHECK_EQ(fuss_omutex_lock(&m), 0);
    CHECK_EQ(fuss_omutex_unlock(&m), 0);
}

/* A thread whose robust list is not glibc's: none at all (fuss registers
 * its own head), or one with another geometry (ENOTSUP). */
struct kernel_head { void *list; long futex_offset; void *pending; };
static int foreign_init_result;

static void *no_list_owner(void *arg)
{
    (void)arg;
    REQUIRE(syscall(SYS_set_robust_list, NULL, sizeof(struct kernel_head)) == 0);
    holder_result = fuss_omutex_lock(&m);
    return NULL;       /* dies holding it, listed only on fuss's own head */
}

static void *foreign_list_thread(void *arg)
{
    static _Thread_local struct kernel_head h;
    (void)arg;
    h.list = &h.list;
    h.futex_offset = -20;   /* not fuss's (nor glibc's) geometry */
    REQUIRE(syscall(SYS_set_robust_list, &h, sizeof h) == 0);
    fuss_omutex_t x;
    foreign_init_result = fuss_omutex_init(&x, FUSS_OMUTEX_ROBUST);
    return NULL;
}

static void other_heads(void)
{
    REQUIRE(fuss_omutex_init(&m, FUSS_OMUTEX_ROBUST) == 0);
    holder_result = -1;
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, no_list_owner, NULL) == 0);
    pthread_join(t, NULL);
    CHECK_EQ(holder_result, 0);
    CHECK_EQ(fuss_omutex_lock(&m), EOWNERDEAD);
    CHECK_EQ(fuss_omutex_consistent(&m), 0);
    CHECK_EQ(fuss_omutex_unlock(&m), 0);

    REQUIRE(pthread_create(&t, NULL, foreign_list_thread, NULL) == 0);
    pthread_join(t, NULL);
    CHECK_EQ(foreign_init_result, ENOTSUP);
}

int main(void)
{
    test_watchdog(60, "omutex_robust");
    unsigned kinds[] = { 0, FUSS_OMUTEX_RECURSIVE, FUSS_SHARED, FUSS_OMUTEX_PI,
                         FUSS_OMUTEX_PI | FUSS_SHARED | FUSS_OMUTEX_RECURSIVE };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        printf("kind %#x\n", kinds[k]);
        run(kinds[k]);
    }
    other_heads();
    return test_done();
}
