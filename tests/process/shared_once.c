/* A process-shared fuss_once_t: of several processes calling at once, exactly
 * one runs its function, and every caller returns only after it finished.
 * FUSS_TEST_LINUX_ONLY */
#include <sys/mman.h>
#include <sys/wait.h>

#include "harness.h"

#define PROCS 4

struct shared {
    fuss_once_t once;
    uint32_t runs;      /* fn calls, all processes */
    uint32_t finished;  /* set by fn at its end */
    uint32_t early;     /* callers that returned before fn finished */
    uint32_t go;
};

static struct shared *sh;

static void init_fn(void)
{
    __atomic_fetch_add(&sh->runs, 1, __ATOMIC_RELAXED);
    test_sleep_ms(50); /* let the other processes arrive and sleep */
    __atomic_store_n(&sh->finished, 1, __ATOMIC_RELEASE);
}

int main(void)
{
    test_watchdog(60, "shared_once");
    sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    REQUIRE(sh != MAP_FAILED);
    CHECK_EQ(fuss_once_init(&sh->once, 0x40), EINVAL);
    REQUIRE(fuss_once_init(&sh->once, FUSS_SHARED) == 0);
    pid_t pid[PROCS];
    for (int i = 0; i < PROCS; i++) {
        pid[i] = fork();
        REQUIRE(pid[i] >= 0);
        if (pid[i] == 0) {
            while (!__atomic_load_n(&sh->go, __ATOMIC_ACQUIRE)) {}
            int r = fuss_once(&sh->once, init_fn);
            if (r || !__atomic_load_n(&sh->finished, __ATOMIC_ACQUIRE))
                __atomic_fetch_add(&sh->early, 1, __ATOMIC_RELAXED);
            _exit(r);
        }
    }
    __atomic_store_n(&sh->go, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < PROCS; i++) {
        int st;
        REQUIRE(waitpid(pid[i], &st, 0) == pid[i]);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    CHECK_EQ(sh->runs, 1);
    CHECK_EQ(sh->early, 0);
    CHECK_EQ(fuss_once(&sh->once, init_fn), 0); /* done: not run again */
    CHECK_EQ(sh->runs, 1);
    /* Garbage in the word is refused, not trusted. */
    sh->once.state_ = 0x80000007u;
    CHECK_EQ(fuss_once(&sh->once, init_fn), EINVAL);
    return test_done();
}
