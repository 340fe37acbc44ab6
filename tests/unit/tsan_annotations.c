/* ThreadSanitizer understands fuss locks: data protected by a fuss mutex
 * gives no report, the same data unprotected does.  Each case runs in a
 * child process so the expected report cannot fail this test; outside a
 * TSan build the test says it has nothing to check.  FUSS_TEST_NO_FALLBACK */
#include <sys/wait.h>

#include "harness.h"

#if defined(__SANITIZE_THREAD__)
#define TSAN_BUILD 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TSAN_BUILD 1
#endif
#endif

#define TSAN_EXIT 66

#ifdef TSAN_BUILD
static fuss_mutex_t m;
static long shared_counter;
static int use_lock;

static void *bump(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000; i++) {
        if (use_lock) fuss_mutex_lock(&m);
        shared_counter++;
        if (use_lock) fuss_mutex_unlock(&m);
    }
    return NULL;
}

static int run_case(int locked)
{
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        use_lock = locked;
        pthread_t a, b;
        pthread_create(&a, NULL, bump, NULL);
        pthread_create(&b, NULL, bump, NULL);
        pthread_join(a, NULL);
        pthread_join(b, NULL);
        exit(0); /* not _exit: TSan sets the exit code at exit */
    }
    int status;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

#endif

int main(void)
{
#ifdef TSAN_BUILD
    CHECK_EQ(run_case(1), 0);
    CHECK_EQ(run_case(0), TSAN_EXIT);
#else
    printf("not a ThreadSanitizer build: nothing to check here\n");
    CHECK(1);
#endif
    return test_done();
}
