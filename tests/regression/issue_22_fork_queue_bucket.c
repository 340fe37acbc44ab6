/*
 * Regression (issue 22, fork class): fork while another thread is inside a
 * bucket of the user-space queue (src/backend/queue.c).
 *
 * The queue guards each bucket with a lock.  A fork copies that lock as it
 * is; if another thread held it, the child (whose only thread is the forking
 * one) deadlocked on its first wait or wake that hashed to the bucket, and
 * the lists still held the nodes of threads the child does not have.  It
 * showed under TSan as a rare hang of issue_22_fork_all/emulated, when a
 * waiter was still queueing as main forked.
 *
 * Made deterministic with userfaultfd: the word a waiter reads under the
 * bucket lock lies in a page that is not there yet, so the waiter stops in
 * the page fault holding the lock, and main forks then.  The fault is
 * resolved 300 ms later by another thread.  The queue is used by the
 * emulated backend and by the linux backend's waitv emulation (the
 * linux-fallback run, FUSS_DISABLE=waitv); with the kernel's futex_waitv the
 * waiter stops in the kernel holding nothing, and the child must work too.
 */
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "harness.h"
#include "process.h"

static int uffd = -1;
static char *page;
static long page_size;
static uint32_t other_word; /* an ordinary word of the same waitv */

static uint32_t *faulting_word(void) { return (uint32_t *)(page + 64); }

static int open_userfaultfd(void)
{
    int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
    if (fd < 0) return -1;
    struct uffdio_api api = { .api = UFFD_API };
    if (ioctl(fd, UFFDIO_API, &api) != 0) { close(fd); return -1; }
    return fd;
}

static void *waiter(void *a)
{
    (void)a;
    fuss_futex_waiter_t w[2] = {
        { &other_word, 0, FUSS_PRIVATE },
        { faulting_word(), 1, FUSS_PRIVATE }, /* reads 0 once the page is there */
    };
    int r = fuss_futex_waitv(w, 2, CLOCK_MONOTONIC, NULL, NULL);
    CHECK_EQ(r, EAGAIN);
    return NULL;
}

static void *resolver(void *a)
{
    (void)a;
    test_sleep_ms(300);
    struct uffdio_zeropage z = { .range = { (uintptr_t)page, (uint64_t)page_size } };
    REQUIRE(ioctl(uffd, UFFDIO_ZEROPAGE, &z) == 0);
    return NULL;
}

static int child(void *a)
{
    (void)a;
    alarm(5); /* a deadlocked child dies of SIGALRM and fails the test */
    unsigned woken = 99;
    CHECK_EQ(fuss_futex_wake(faulting_word(), FUSS_FUTEX_WAKE_ALL, FUSS_PRIVATE, &woken), 0);
    CHECK_EQ(woken, 0u); /* the parent's waiter is not the child's */
    fuss_futex_waiter_t w[2] = {
        { &other_word, 0, FUSS_PRIVATE },
        { faulting_word(), 0, FUSS_PRIVATE },
    };
    struct timespec soon = test_deadline_in(CLOCK_MONOTONIC, 0);
    CHECK_EQ(fuss_futex_waitv(w, 2, CLOCK_MONOTONIC, &soon, NULL), ETIMEDOUT);
    return test_checks_failed;
}

int main(void)
{
    test_watchdog(60, "fork while a waiter holds a queue bucket");
    uffd = open_userfaultfd();
    if (uffd < 0) {
        printf("skipped: no userfaultfd here (errno %d; root or vm.unprivileged_userfaultfd)\n",
               errno);
        return test_done();
    }
    page_size = sysconf(_SC_PAGESIZE);
    page = mmap(NULL, (size_t)page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(page != MAP_FAILED);
    struct uffdio_register reg = {
        .range = { (uintptr_t)page, (uint64_t)page_size },
        .mode = UFFDIO_REGISTER_MODE_MISSING,
    };
    REQUIRE(ioctl(uffd, UFFDIO_REGISTER, &reg) == 0);

    pthread_t w, r;
    REQUIRE(pthread_create(&w, NULL, waiter, NULL) == 0);
    /* The waiter is stopped in the fault once the fault is reported. */
    struct pollfd p = { .fd = uffd, .events = POLLIN };
    REQUIRE(poll(&p, 1, 10000) == 1);
    struct uffd_msg msg;
    REQUIRE(read(uffd, &msg, sizeof msg) == (ssize_t)sizeof msg);
    REQUIRE(msg.event == UFFD_EVENT_PAGEFAULT);

    REQUIRE(pthread_create(&r, NULL, resolver, NULL) == 0);
    CHECK(test_wait_ok(test_fork(child, NULL)));
    pthread_join(r, NULL);
    pthread_join(w, NULL);
    return test_done();
}
