/* Process-shared words (FUSS_TEST_LINUX_ONLY): a child waiting with FUSS_SHARED in a MAP_SHARED mapping is woken by its parent's FUSS_SHARED wake, never by a FUSS_PRIVATE one. */
#include <sys/mman.h>
#include <sys/wait.h>

#include "harness.h"

struct page { uint32_t word, scratch, child_result, child_ran; };

static unsigned count_shared(struct page *p)
{
    unsigned moved = 0;
    REQUIRE(fuss_futex_requeue(&p->word, 0, FUSS_FUTEX_WAKE_ALL, &p->scratch, FUSS_SHARED, NULL,
                               &moved) == 0);
    REQUIRE(fuss_futex_requeue(&p->scratch, 0, FUSS_FUTEX_WAKE_ALL, &p->word, FUSS_SHARED, NULL,
                               NULL) == 0);
    return moved;
}

int main(void)
{
    test_watchdog(30, "futex_fork_shared");
    struct page *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    REQUIRE(p != MAP_FAILED);
    memset(p, 0, sizeof *p);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        alarm(20);
        __atomic_store_n(&p->child_ran, 1, __ATOMIC_RELEASE);
        int r;
        do r = fuss_futex_wait(&p->word, 0, FUSS_SHARED);
        while ((r == 0 || r == EINTR) && __atomic_load_n(&p->word, __ATOMIC_ACQUIRE) == 0);
        __atomic_store_n(&p->child_result, (uint32_t)r, __ATOMIC_RELEASE);
        _exit(r == 0 ? 0 : 3);
    }
    for (int i = 0; i < 10000 && count_shared(p) < 1; i++) test_sleep_ms(1);
    CHECK_EQ(count_shared(p), 1);

    /* Private wakes look in this process's private queue: not the child. */
    unsigned woken = 99;
    CHECK_EQ(fuss_futex_wake(&p->word, FUSS_FUTEX_WAKE_ALL, FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 0);
    test_sleep_ms(20);
    CHECK_EQ(count_shared(p), 1);
    int status;
    CHECK_EQ(waitpid(pid, &status, WNOHANG), 0); /* still asleep */

    __atomic_store_n(&p->word, 1, __ATOMIC_RELEASE);
    CHECK_EQ(fuss_futex_wake(&p->word, FUSS_FUTEX_WAKE_ALL, FUSS_SHARED, &woken), 0);
    CHECK_EQ(woken, 1);
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
    CHECK_EQ(p->child_result, 0);
    munmap(p, 4096);
    return test_done();
}
