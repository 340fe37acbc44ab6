/* Robust list coexistence with glibc: one thread holds glibc robust pthread
 * mutexes and fuss robust owned mutexes (plain and PI), interleaved in its
 * robust list, unlocks some out of order (so glibc unlinks through fuss
 * nodes and fuss through glibc's), and dies holding the rest: every one
 * reports EOWNERDEAD to its next locker.  Then the same in a fork child.
 *
 * FUSS_TEST_LINUX_ONLY
 * FUSS_TEST_NO_SANITIZER: ThreadSanitizer models pthread mutexes itself and
 * reports a dead owner's robust pthread mutexes as double locks. */
#include <sys/mman.h>
#include <sys/wait.h>

#include "harness.h"
#include "fuss/omutex.h"

enum { N = 4 };
static pthread_mutex_t pm[N];
static fuss_omutex_t fm[N];

static void setup(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    for (int i = 0; i < N; i++) {
        REQUIRE(pthread_mutex_init(&pm[i], &a) == 0);
        REQUIRE(fuss_omutex_init(&fm[i], FUSS_OMUTEX_ROBUST | (i & 1 ? FUSS_OMUTEX_PI : 0)) == 0);
    }
    pthread_mutexattr_destroy(&a);
}

/* Lock all, interleaved; release the middle ones in an order that makes
 * each library unlink entries whose neighbours belong to the other. */
static void *owner(void *arg)
{
    (void)arg;
    for (int i = 0; i < N; i++) {
        CHECK_EQ(pthread_mutex_lock(&pm[i]), 0);
        CHECK_EQ(fuss_omutex_lock(&fm[i]), 0);
    }
    /* List, front first: f3 p3 f2 p2 f1 p1 f0 p0.  Each unlock below
     * uses prev/next links that the other library wrote last. */
    CHECK_EQ(fuss_omutex_unlock(&fm[1]), 0);   /* between p2 and p1 */
    CHECK_EQ(pthread_mutex_unlock(&pm[1]), 0); /* its prev was set by fuss */
    CHECK_EQ(pthread_mutex_unlock(&pm[2]), 0); /* between f2 and f0 */
    CHECK_EQ(fuss_omutex_unlock(&fm[2]), 0);   /* its prev was set by glibc */
    /* relock one of each so list fronts change owner again */
    CHECK_EQ(fuss_omutex_lock(&fm[2]), 0);
    CHECK_EQ(pthread_mutex_lock(&pm[2]), 0);
    return NULL; /* dies holding pm[0,2,3] and fm[0,2,3] */
}

static void check_after_death(void)
{
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, owner, NULL) == 0);
    pthread_join(t, NULL);
    for (int i = 0; i < N; i++) {
        int want = (i == 1) ? 0 : EOWNERDEAD;
        CHECK_EQ(pthread_mutex_lock(&pm[i]), want);
        if (want) CHECK_EQ(pthread_mutex_consistent(&pm[i]), 0);
        CHECK_EQ(pthread_mutex_unlock(&pm[i]), 0);
        CHECK_EQ(fuss_omutex_lock(&fm[i]), want);
        if (want) CHECK_EQ(fuss_omutex_consistent(&fm[i]), 0);
        CHECK_EQ(fuss_omutex_unlock(&fm[i]), 0);
    }
    /* The main thread's own list still works for both after all that: hold
     * one of each while a helper verifies they are held. */
    CHECK_EQ(pthread_mutex_lock(&pm[0]), 0);
    CHECK_EQ(fuss_omutex_lock(&fm[0]), 0);
    CHECK_EQ(pthread_mutex_unlock(&pm[0]), 0);
    CHECK_EQ(fuss_omutex_unlock(&fm[0]), 0);
}

int main(void)
{
    test_watchdog(60, "omutex_coexist");
    setup();
    check_after_death();

    struct { pthread_mutex_t pm; fuss_omutex_t fm; } *shared =
        mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    REQUIRE(shared != MAP_FAILED);
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    REQUIRE(pthread_mutex_init(&shared->pm, &a) == 0);
    REQUIRE(fuss_omutex_init(&shared->fm, FUSS_SHARED | FUSS_OMUTEX_ROBUST) == 0);

    /* Hold one of each across fork: the child must not own them, and its
     * own threads' deaths must still be reported. */
    CHECK_EQ(fuss_omutex_lock(&fm[3]), 0);
    CHECK_EQ(pthread_mutex_lock(&pm[3]), 0);
    fflush(stdout);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        test_checks_passed = test_checks_failed = 0;
        CHECK_EQ(fuss_omutex_owner(&fm[3]) != (pid_t)gettid(), 1);
        CHECK_EQ(fuss_omutex_unlock(&fm[3]), EPERM);   /* the parent holds it, not us */
        setup();
        check_after_death();
        /* The child's main thread (whose robust list glibc re-registered at
         * fork) exits holding shared ones: the parent must hear of it. */
        CHECK_EQ(pthread_mutex_lock(&shared->pm), 0);
        CHECK_EQ(fuss_omutex_lock(&shared->fm), 0);
        fflush(stdout);
        _exit(test_checks_failed ? 1 : 0);
    }
    int st;
    REQUIRE(waitpid(pid, &st, 0) == pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CHECK_EQ(pthread_mutex_lock(&shared->pm), EOWNERDEAD);
    CHECK_EQ(fuss_omutex_lock(&shared->fm), EOWNERDEAD);
    CHECK_EQ(fuss_omutex_unlock(&fm[3]), 0);
    CHECK_EQ(pthread_mutex_unlock(&pm[3]), 0);
    return test_done();
}
