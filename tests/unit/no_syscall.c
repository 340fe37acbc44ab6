/* Uncontended operations make no futex system call: a seccomp filter turns
 * every futex-family call into SIGSYS, which this test counts.  Runs on both
 * backends (the emulated one parks on a semaphore, itself a futex). */
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "harness.h"

#ifndef __NR_futex_waitv
#define __NR_futex_waitv 449
#endif

static volatile sig_atomic_t trapped, trapped_nr;

static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
    (void)sig; (void)ctx;
    trapped++;
    trapped_nr = si->si_syscall;
}

#define TRAP_IF(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
                    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP)

static void forbid_futex(void)
{
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        TRAP_IF(SYS_futex), TRAP_IF(__NR_futex_waitv), TRAP_IF(454), TRAP_IF(455), TRAP_IF(456),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = { (unsigned short)(sizeof f / sizeof f[0]), f };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigsys;
    sa.sa_flags = SA_SIGINFO;
    REQUIRE(sigaction(SIGSYS, &sa, NULL) == 0);
    REQUIRE(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
    REQUIRE(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0);
}

static void *idle(void *arg) { (void)arg; pause(); return NULL; }

int main(void)
{
    /* A second thread alive, as in real programs; features probed first. */
    pthread_t t;
    pthread_create(&t, NULL, idle, NULL);
    (void)fuss_futex_features();
    fuss_mutex_t m = FUSS_MUTEX_INIT;
    fuss_cond_t c = FUSS_COND_INIT;
    struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 1000);

    forbid_futex();
    for (int i = 0; i < 1000; i++) {
        CHECK_EQ(fuss_mutex_lock(&m), 0);
        CHECK_EQ(fuss_mutex_unlock(&m), 0);
        CHECK_EQ(fuss_mutex_trylock(&m), 0);
        CHECK_EQ(fuss_mutex_unlock(&m), 0);
        CHECK_EQ(fuss_mutex_timedlock(&m, CLOCK_MONOTONIC, &dl), 0);
        CHECK_EQ(fuss_cond_signal(&c), 0);
        CHECK_EQ(fuss_cond_broadcast(&c), 0);
        CHECK_EQ(fuss_mutex_unlock(&m), 0);
    }
    CHECK_EQ(trapped, 0);
    if (trapped) fprintf(stderr, "futex-family system call %d made\n", (int)trapped_nr);

    /* The filter is live: a contended path does trap. */
    uint32_t w = 0;
    fuss_futex_wake(&w, 1, FUSS_PRIVATE, NULL);
    if (!test_is_emulated()) CHECK(trapped > 0);
    return test_done();
}
