/*
 * Kill the calling process at its next futex wake-up, so a test can run a
 * primitive's real release (unlock, post, set, count-down, ...) and have its
 * process die between the release and the wake-up that should follow it:
 * the window in which a killed waker leaves its waiters asleep on an
 * available object (issue 22, defect 6 and its class; DESIGN.md,
 * "Lifecycle rules": another process may die at any instruction).  The test
 * follows whatever the release is, with no copy of the primitive's protocol.
 *
 *   test_die_at_futex_wake()   install a seccomp filter: from now on, the
 *                              first FUTEX_WAKE or FUTEX_WAKE_BITSET
 *                              (futex(2)) or futex_wake(2) (futex2) kills
 *                              the whole process with SIGSYS; every other
 *                              system call, futex waits included, runs
 *
 * The parent sees WIFSIGNALED with WTERMSIG == SIGSYS.  Call it in a child
 * process (test_fork, process.h) that has no other threads; nothing in the
 * child may need a wake-up afterwards (stdio locks, the sanitizers'
 * runtimes when uncontended, never do).  Linux only: a test using it
 * carries FUSS_TEST_LINUX_ONLY.
 */
#ifndef FUSS_TEST_KILL_AT_WAKE_H
#define FUSS_TEST_KILL_AT_WAKE_H

#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "harness.h"

/* futex_wake(2) (Linux 6.7): the same number on every architecture. */
#define TEST_SYS_FUTEX_WAKE 454

static inline void test_die_at_futex_wake(void)
{
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TEST_SYS_FUTEX_WAKE, 5, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_futex, 0, 5),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1])),
        BPF_STMT(BPF_ALU | BPF_AND | BPF_K, FUTEX_CMD_MASK),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FUTEX_WAKE, 1, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FUTEX_WAKE_BITSET, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = { (unsigned short)(sizeof f / sizeof f[0]), f };
    REQUIRE(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
    REQUIRE(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0);
}

#endif
