/* Named semaphores (sem_open) between processes: a forked child (same
 * mapping address, its own address space), a fork+exec of this program
 * (its own mapping, at an address of its own) in the same mode, and one
 * exec'd without the drop-in (plain glibc on the other side).  Each waiter
 * blocks before the other side posts; a lost cross-process wake-up shows as
 * ETIMEDOUT after WAIT_MS (the drop-in used to leave glibc's sem_open
 * storage process-private: a post in one process woke nobody in another).
 * Also the value, getvalue, trywait, EOVERFLOW and sem_open's errors. */
#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define WAIT_MS 5000 /* generous: the other side posts after NAP_MS */
#define NAP_MS  200

extern char **environ;
static pid_t parent;
static char base[64];

static void nap(void) { usleep(NAP_MS * 1000); }

static void name_of(char *out, size_t n, const char *b, const char *what)
{
    snprintf(out, n, "%s-%s", b, what);
}

static sem_t *open_existing(const char *b, const char *what)
{
    char n[96];
    name_of(n, sizeof n, b, what);
    sem_t *s = sem_open(n, 0);
    CHECK(s != SEM_FAILED);
    return s;
}

/* Take one unit within WAIT_MS, or fail loudly. */
static void take(sem_t *s, const char *who)
{
    struct timespec at = after_ms(CLOCK_REALTIME, WAIT_MS);
    if (sem_timedwait(s, &at) != 0) {
        fprintf(stderr, "%s: sem_timedwait: %s (a post from another process did not wake it)\n",
                who, strerror(errno));
        exit(1);
    }
}

static void unlink_all(void)
{
    if (getpid() != parent) return; /* a child's exit must not remove them */
    static const char *const what[] = { "go", "ack", "val", "max" };
    char n[96];
    for (size_t i = 0; i < sizeof what / sizeof *what; i++) {
        name_of(n, sizeof n, base, what[i]);
        sem_unlink(n);
    }
}

/* The drop-in is answering in this process (fuss or stats mode). */
static int under_fuss(void)
{
    const char *pre = getenv("LD_PRELOAD"), *off = getenv("FUSS_PTHREAD");
    return pre && strstr(pre, "fuss-pthread") && !(off && (!strcmp(off, "off") || !strcmp(off, "0")));
}

/* The exec'd side: argv = self exec-child BASE VALUE (val's value now). */
static int exec_child(const char *b, int expect)
{
    sem_t *go = open_existing(b, "go"), *ack = open_existing(b, "ack");
    sem_t *val = open_existing(b, "val");
    int v = -1;
    EQ(sem_getvalue(val, &v), 0);
    EQ(v, expect);
    EQ(sem_trywait(val), 0);
    take(go, "exec'd child"); /* posted by the parent after NAP_MS */
    nap();                    /* the parent is asleep on ack by now */
    EQ(sem_post(ack), 0);
    EQ(sem_close(val), 0);
    EQ(sem_close(ack), 0);
    EQ(sem_close(go), 0);
    return 0;
}

static void wait_ok(pid_t pid, const char *who)
{
    int st;
    EQ(waitpid(pid, &st, 0), pid);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "%s failed (status 0x%x)\n", who, st);
        exit(1);
    }
}

static void run_exec_child(sem_t *go, sem_t *ack, sem_t *val, int plain_glibc, const char *who)
{
    int v = -1;
    EQ(sem_getvalue(val, &v), 0);
    char expect[16];
    snprintf(expect, sizeof expect, "%d", v);
    char *args[] = { "named_sem", "exec-child", base, expect, NULL };
    char **env = environ, *none[] = { NULL };
    if (plain_glibc) env = none; /* no LD_PRELOAD: glibc's own sem_* */
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        execve("/proc/self/exe", args, env);
        _exit(127);
    }
    nap(); /* the child is asleep on go by now */
    EQ(sem_post(go), 0);
    take(ack, who);
    wait_ok(pid, who);
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "exec-child")) return exec_child(argv[2], atoi(argv[3]));
    alarm(120); /* a hang fails the test */
    parent = getpid();
    snprintf(base, sizeof base, "/fuss-named-sem-%ld", (long)parent);
    atexit(unlink_all);
    char n_go[96], n_ack[96], n_val[96], n_max[96];
    name_of(n_go, sizeof n_go, base, "go");
    name_of(n_ack, sizeof n_ack, base, "ack");
    name_of(n_val, sizeof n_val, base, "val");
    name_of(n_max, sizeof n_max, base, "max");

    /* sem_open's errors are glibc's. */
    errno = 0;
    CHECK(sem_open(n_go, 0) == SEM_FAILED);
    EQ(errno, ENOENT);
    errno = 0;
    CHECK(sem_open(n_go, O_CREAT, 0600, (unsigned)SEM_VALUE_MAX + 1u) == SEM_FAILED);
    EQ(errno, EINVAL);

    sem_t *go = sem_open(n_go, O_CREAT | O_EXCL, 0600, 0);
    sem_t *ack = sem_open(n_ack, O_CREAT | O_EXCL, 0600, 0);
    sem_t *val = sem_open(n_val, O_CREAT | O_EXCL, 0600, 3);
    CHECK(go != SEM_FAILED && ack != SEM_FAILED && val != SEM_FAILED);
    errno = 0;
    CHECK(sem_open(n_go, O_CREAT | O_EXCL, 0600, 0) == SEM_FAILED);
    EQ(errno, EEXIST);

    /* value, getvalue, trywait; an O_CREAT open of an existing one keeps its
     * value, and reopening changes nothing */
    int v = -1;
    EQ(sem_getvalue(val, &v), 0);
    EQ(v, 3);
    sem_t *val2 = sem_open(n_val, O_CREAT, 0600, 7);
    CHECK(val2 != SEM_FAILED);
    EQ(sem_getvalue(val2, &v), 0);
    EQ(v, 3);
    EQ(sem_trywait(val2), 0);
    EQ(sem_post(val), 0);
    EQ(sem_getvalue(val, &v), 0);
    EQ(v, 3);
    EQ(sem_getvalue(go, &v), 0);
    EQ(v, 0);
    errno = 0;
    EQ(sem_trywait(go), -1);
    EQ(errno, EAGAIN);
    struct timespec at = after_ms(CLOCK_REALTIME, 20);
    errno = 0;
    EQ(sem_timedwait(go, &at), -1);
    EQ(errno, ETIMEDOUT);
    sem_t *max = sem_open(n_max, O_CREAT | O_EXCL, 0600, (unsigned)SEM_VALUE_MAX);
    CHECK(max != SEM_FAILED);
    EQ(sem_getvalue(max, &v), 0);
    EQ(v, SEM_VALUE_MAX);
    errno = 0;
    EQ(sem_post(max), -1);
    EQ(errno, EOVERFLOW);
    EQ(sem_close(max), 0);
    EQ(sem_unlink(n_max), 0);

    /* 1. forked child, untimed and timed waits on the inherited mapping and
     *    on a second open after the fork; the parent waits on the child. */
    for (int round = 0; round < 2; round++) {
        pid_t pid = fork();
        CHECK(pid >= 0);
        if (pid == 0) {
            sem_t *g = round ? open_existing(base, "go") : go;
            if (round) {
                take(g, "forked child");
            } else {
                alarm(WAIT_MS / 1000); /* SIGALRM kills it if the post is lost */
                EQ(sem_wait(g), 0);
                alarm(0);
            }
            nap();
            EQ(sem_post(ack), 0);
            _exit(0);
        }
        nap();
        EQ(sem_post(go), 0);
        take(ack, "parent, forked child's post");
        wait_ok(pid, "forked child");
    }

    /* 2. fork+exec of this program in the same mode: its own mapping. */
    run_exec_child(go, ack, val, 0, "parent, exec'd child's post");
    EQ(sem_getvalue(val, &v), 0);
    EQ(v, 2);

    /* 3. and the other side on plain glibc (mixing is allowed). */
    run_exec_child(go, ack, val, 1, "parent, plain glibc child's post");
    EQ(sem_getvalue(val, &v), 0);
    EQ(v, 1);

    if (under_fuss()) {
        /* The drop-in marks the storage process-shared with the same bit as
         * an unnamed pshared semaphore gets from sem_init. */
        sem_t unnamed;
        EQ(sem_init(&unnamed, 1, 0), 0);
        uint64_t shared_bit = *(uint64_t *)(void *)&unnamed;
        CHECK(shared_bit != 0 && (shared_bit & (shared_bit - 1)) == 0);
        CHECK(*(uint64_t *)(void *)go & shared_bit);
        CHECK(*(uint64_t *)(void *)val2 & shared_bit);
        EQ(sem_destroy(&unnamed), 0);
    }

    /* closed and reopened: a fresh mapping of the same object */
    EQ(sem_close(go), 0);
    go = open_existing(base, "go");
    EQ(sem_getvalue(go, &v), 0);
    EQ(v, 0);
    EQ(sem_post(go), 0);
    EQ(sem_trywait(go), 0);

    EQ(sem_close(val2), 0);
    EQ(sem_close(val), 0);
    EQ(sem_close(ack), 0);
    EQ(sem_close(go), 0);
    EQ(sem_unlink(n_go), 0);
    EQ(sem_unlink(n_ack), 0);
    EQ(sem_unlink(n_val), 0);
    errno = 0;
    CHECK(sem_open(n_go, 0) == SEM_FAILED);
    EQ(errno, ENOENT);
    puts("named_sem: ok");
    return 0;
}
