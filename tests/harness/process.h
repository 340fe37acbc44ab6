/*
 * Helpers for tests that share memory between processes: unique segment
 * names, a shared anonymous mapping, children that run a function and
 * report by exit status, and passing descriptors over a UNIX socket.
 *
 *   test_shm_name(buf, tag)     "/fuss-test-<pid>-<tag>": unique per run, so
 *                               backends and ctest -j never collide
 *   test_shared_map(len)        a zeroed MAP_SHARED | MAP_ANONYMOUS mapping
 *   test_fork(fn, arg)          child runs fn(arg) and _exits with its result; it
 *                               dies with the parent, and aborts after 120 s
 *   test_wait_ok(pid)           1 if the child exited with status 0; prints why not
 *   test_await_futex_sleep(pid) until the kernel says pid sleeps on a futex
 *   test_await_flag(flag)       until another process sets *flag (shared)
 *   test_kill(pid)              SIGKILL and reap
 *   test_send_fd / test_recv_fd SCM_RIGHTS over a socketpair
 */
#ifndef FUSS_TEST_PROCESS_H
#define FUSS_TEST_PROCESS_H

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "harness.h"

#define TEST_CHILD_WATCHDOG_S 120

static inline const char *test_shm_name(char *buf, size_t n, const char *tag)
{
    snprintf(buf, n, "/fuss-test-%ld-%s", (long)getpid(), tag);
    return buf;
}

static inline void *test_shared_map(size_t len)
{
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    REQUIRE(p != MAP_FAILED);
    return p;
}

/* The child's result is its exit status: 0 = all its checks passed. */
static inline pid_t test_fork(int (*fn)(void *), void *arg)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        /* A hung test must not leave hung children behind: they die with
         * the parent, or on their own watchdog. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        alarm(TEST_CHILD_WATCHDOG_S);
        _exit(fn(arg) & 0xff);
    }
    return pid;
}

static inline int test_wait_status(pid_t pid)
{
    int st;
    while (waitpid(pid, &st, 0) < 0) REQUIRE(errno == EINTR);
    return st;
}

static inline int test_wait_ok(pid_t pid)
{
    int st = test_wait_status(pid);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return 1;
    if (WIFSIGNALED(st)) fprintf(stderr, "child %ld killed by signal %d\n", (long)pid, WTERMSIG(st));
    else fprintf(stderr, "child %ld exited with %d\n", (long)pid, WEXITSTATUS(st));
    return 0;
}

/* Wait (up to 10 s) until process pid sleeps in a futex wait, as the
 * kernel reports it (/proc/<pid>/wchan). */
static inline void test_await_futex_sleep(pid_t pid)
{
    char path[64], buf[128];
    snprintf(path, sizeof path, "/proc/%ld/wchan", (long)pid);
    for (int i = 0; i < 10000; i++) {
        FILE *f = fopen(path, "r");
        size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
        if (f) fclose(f);
        buf[n] = '\0';
        if (strstr(buf, "futex")) return;
        test_sleep_ms(1);
    }
    fprintf(stderr, "process %ld never slept on a futex\n", (long)pid);
    exit(1);
}

/* SIGKILL pid and reap it. */
/* Wait (sleeping, 1 ms at a time) until another process sets *flag, a
 * word in a test_shared_map() mapping; the acquire pairs with its
 * release store. */
static inline void test_await_flag(int *flag)
{
    while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE)) test_sleep_ms(1);
}

static inline void test_kill(pid_t pid)
{
    REQUIRE(kill(pid, SIGKILL) == 0);
    int st = test_wait_status(pid);
    REQUIRE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

static inline int test_send_fd(int sock, int fd)
{
    char byte = 'F';
    struct iovec iov = { &byte, 1 };
    union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
    memset(&u, 0, sizeof u);
    struct msghdr msg = { 0 };
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = u.buf;
    msg.msg_controllen = sizeof u.buf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static inline int test_recv_fd(int sock)
{
    char byte;
    struct iovec iov = { &byte, 1 };
    union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
    struct msghdr msg = { 0 };
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = u.buf;
    msg.msg_controllen = sizeof u.buf;
    if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1) return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (!c || c->cmsg_type != SCM_RIGHTS) return -1;
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return fd;
}

#endif
