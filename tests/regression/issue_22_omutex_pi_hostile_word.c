/* Issue 22, defect 5: another process that writes garbage into the word of
 * a process-shared PI owned mutex made the honest process abort:
 * release_word (src/omutex.c) required FUTEX_UNLOCK_PI to answer 0.  The
 * rule (DESIGN.md, Lifecycle rules): garbage in a shared word gets an
 * errno, never an abort, never an endless spin.  Each honest side runs in
 * a child, so an abort is reported as a failed check.  The errno for each
 * case (fuss/omutex.h, fuss_omutex(3)):
 *
 *   unlock, the kernel finds another owner recorded     EINVAL   (A)
 *     (its PI state names the real owner; the word was rewritten to name
 *     the caller, with WAITERS, so the unlock goes to the kernel)
 *   unlock, the word names another thread by the time   EPERM    (B)
 *     the kernel reads it (written between fuss's own check and the
 *     kernel's: a seccomp filter traps FUTEX_UNLOCK_PI, the handler writes
 *     the garbage and makes the real call)
 *   unlock, the word changed under the kernel's release EAGAIN   (C)
 *     (the kernel's compare-exchange found a new value: a window inside
 *     the kernel, so the handler writes the garbage and gives the answer
 *     the kernel gives there, kernel/futex/pi.c futex_unlock_pi)
 *   lock/trylock/timedlock on garbage words              (D)
 *     a dead thread's id: ENOTRECOVERABLE (as for a PI owner that exited);
 *     the caller's own id: EDEADLK / EBUSY; OWNER_DIED or WAITERS alone:
 *     free, 0; seeded random words: trylock and timedlock (the garbage may
 *     name a live thread, indistinguishable from a real owner) return 0,
 *     EBUSY, ETIMEDOUT, EDEADLK, ENOTRECOVERABLE or EINVAL.
 * FUSS_TEST_LINUX_ONLY */
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <ucontext.h>

#include "process.h"

#include <fuss/omutex.h>

#define WAITERS    0x80000000u
#define OWNER_DIED 0x40000000u
#define TID_MASK   0x3fffffffu

struct shared {
    fuss_omutex_t m;
    int held;
    uint32_t garbage;   /* what the trap handler writes (B, C) */
    int inject_eagain;  /* C: answer EAGAIN instead of making the call */
    int result;         /* the honest side's answer, for the report */
};

static struct shared *S;

static void reinit(void)
{
    memset(S, 0, sizeof *S);
    S->result = -1;
    REQUIRE(fuss_omutex_init(&S->m, FUSS_SHARED | FUSS_OMUTEX_PI) == 0);
}

__attribute__((noreturn)) static void pause_forever(void)
{
    for (;;) pause();
}

static pid_t sole_tid(void) { return (pid_t)syscall(SYS_gettid); }

static int hold_forever(void *arg)
{
    (void)arg;
    if (fuss_omutex_lock(&S->m) != 0) return 3;
    __atomic_store_n(&S->held, 1, __ATOMIC_RELEASE);
    pause_forever();
}

static int lock_and_stay(void *arg)
{
    (void)arg;
    (void)fuss_omutex_lock(&S->m);
    pause_forever();
}

/* ---- A: the kernel records another owner ----------------------------------- */

static int unlock_named_by_garbage(void *arg)
{
    (void)arg;
    /* The hostile write: the word now names this process, with WAITERS. */
    __atomic_store_n(&S->m.word, (uint32_t)sole_tid() | WAITERS, __ATOMIC_RELAXED);
    int r = fuss_omutex_unlock(&S->m);
    S->result = r;
    return r == EINVAL ? 0 : 10;
}

static void case_a(void)
{
    reinit();
    pid_t owner = test_fork(hold_forever, NULL);
    test_await_flag(&S->held);
    pid_t waiter = test_fork(lock_and_stay, NULL);
    /* The kernel sets WAITERS under the lock of the futex's hash bucket, in
     * the same hold that queues the waiter (with a PI state naming the
     * owner): an unlock, which takes that lock too, finds both. */
    while (!(__atomic_load_n(&S->m.word, __ATOMIC_ACQUIRE) & WAITERS)) test_sleep_ms(1);
    pid_t victim = test_fork(unlock_named_by_garbage, NULL);
    CHECK(test_wait_ok(victim));
    printf("A: unlock of a word rewritten to name the caller: %d (EINVAL %d)\n", S->result, EINVAL);
    test_kill(waiter);
    test_kill(owner);
}

/* ---- B, C: garbage written while the unlock is in the kernel ----------------- */

static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
    (void)sig; (void)si;
    __atomic_store_n(&S->m.word, S->garbage, __ATOMIC_RELAXED);
    long r;
    if (S->inject_eagain) r = -EAGAIN;
    else if (syscall(SYS_futex, &S->m.word, FUTEX_UNLOCK_PI, 1, NULL, NULL, 0) == 0) r = 0;
    else r = -errno;
    ucontext_t *uc = (ucontext_t *)ctx;
#if defined(__x86_64__)
    uc->uc_mcontext.gregs[REG_RAX] = r;
#elif defined(__aarch64__)
    uc->uc_mcontext.regs[0] = (unsigned long long)r;
#else
#error "set the system call's result register here"
#endif
}

/* Trap FUTEX_UNLOCK_PI made with val 0 (the library's); the handler's own
 * call passes val 1, which the kernel ignores. */
static void trap_unlock_pi(void)
{
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_futex, 0, 6),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1])),
        BPF_STMT(BPF_ALU | BPF_AND | BPF_K, FUTEX_CMD_MASK),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FUTEX_UNLOCK_PI, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
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

static int unlock_under_garbage(void *arg)
{
    int want = (int)(intptr_t)arg;
    if (fuss_omutex_lock(&S->m) != 0) return 3;
    uint32_t me = (uint32_t)sole_tid();
    /* A stray WAITERS bit sends the unlock to the kernel (P5). */
    __atomic_fetch_or(&S->m.word, WAITERS, __ATOMIC_RELAXED);
    S->garbage = want == EPERM ? (uint32_t)getppid() | WAITERS : me | WAITERS | OWNER_DIED;
    trap_unlock_pi();
    int r = fuss_omutex_unlock(&S->m);
    S->result = r;
    return r == want ? 0 : 10;
}

static void case_bc(int want)
{
    reinit();
    S->inject_eagain = want == EAGAIN;
    pid_t victim = test_fork(unlock_under_garbage, (void *)(intptr_t)want);
    CHECK(test_wait_ok(victim));
    printf("%s: unlock while the word is rewritten in the kernel: %d (want %d)\n",
           want == EPERM ? "B" : "C", S->result, want);
}

/* ---- D: the lock calls on garbage words ------------------------------------- */

static int nothing(void *arg) { (void)arg; return 0; }

static int lock_calls(void *arg)
{
    uint32_t dead = (uint32_t)(uintptr_t)arg;
    fuss_omutex_t *m = &S->m;
    struct timespec dl;
    int bad = 0;
#define EXPECT(call, ok) do { int r_ = (call); if (!(ok)) { bad++; \
        fprintf(stderr, "D: %s on %#x returned %d\n", #call, w, r_); } } while (0)
    /* A dead thread's id: nobody can ever own it (lock_pi: ESRCH). */
    uint32_t w = dead;
    m->word = w;
    EXPECT(fuss_omutex_trylock(m), r_ == ENOTRECOVERABLE);
    dl = test_deadline_in(CLOCK_MONOTONIC, 10);
    EXPECT(fuss_omutex_timedlock(m, CLOCK_MONOTONIC, &dl), r_ == ENOTRECOVERABLE);
    EXPECT(fuss_omutex_lock(m), r_ == ENOTRECOVERABLE);
    EXPECT(fuss_omutex_unlock(m), r_ == EPERM);
    /* The caller's own id, as garbage: it "holds" it. */
    w = (uint32_t)sole_tid();
    m->word = w;
    EXPECT(fuss_omutex_trylock(m), r_ == EBUSY);
    EXPECT(fuss_omutex_lock(m), r_ == EDEADLK);
    m->word = w | WAITERS; /* unlock goes to the kernel, which frees it */
    EXPECT(fuss_omutex_unlock(m), r_ == 0);
    /* No owner, only flag bits: free for the kernel. */
    uint32_t flags_only[] = { OWNER_DIED, WAITERS, OWNER_DIED | WAITERS };
    for (unsigned i = 0; i < sizeof flags_only / sizeof flags_only[0]; i++) {
        w = flags_only[i];
        m->word = w;
        EXPECT(fuss_omutex_lock(m), r_ == 0);
        EXPECT(fuss_omutex_unlock(m), r_ == 0);
    }
    /* Random words, seeded. */
    uint64_t rng = (uint64_t)S->result | 1;
    for (int i = 0; i < 200; i++) {
        w = (uint32_t)(test_rand(&rng) >> 32);
        m->word = w;
        int r = fuss_omutex_trylock(m);
        EXPECT(r, r_ == 0 || r_ == EBUSY || r_ == ENOTRECOVERABLE || r_ == EINVAL);
        if (r == 0) EXPECT(fuss_omutex_unlock(m), r_ == 0);
        m->word = w;
        dl = test_deadline_in(CLOCK_MONOTONIC, 1);
        r = fuss_omutex_timedlock(m, CLOCK_MONOTONIC, &dl);
        EXPECT(r, r_ == 0 || r_ == ETIMEDOUT || r_ == EDEADLK || r_ == ENOTRECOVERABLE ||
                      r_ == EINVAL);
        if (r == 0) EXPECT(fuss_omutex_unlock(m), r_ == 0);
    }
#undef EXPECT
    return bad ? 10 : 0;
}

static void case_d(void)
{
    reinit();
    pid_t gone = test_fork(nothing, NULL);
    CHECK(test_wait_ok(gone)); /* reaped: its id names no thread */
    S->result = (int)(test_seed() & 0x7fffffff);
    CHECK(test_wait_ok(test_fork(lock_calls, (void *)(uintptr_t)(uint32_t)gone)));
}

int main(void)
{
    test_watchdog(120, "a PI omutex with a hostile word never returned");
    S = test_shared_map(sizeof *S);
    fuss_omutex_t probe;
    if (fuss_omutex_init(&probe, FUSS_SHARED | FUSS_OMUTEX_PI) == ENOTSUP) {
        printf("no PI futexes here: nothing to test\n");
        return test_done();
    }
    case_a();
    case_bc(EPERM);
    case_bc(EAGAIN);
    case_d();
    return test_done();
}
