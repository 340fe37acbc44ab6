/* Robust mutexes: owner death (thread and process) -> EOWNERDEAD,
 * consistent, ENOTRECOVERABLE; a fork child uses every kind of lock. */
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static pthread_mutex_t rm;
static pthread_mutex_t rec = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static pthread_mutex_t plain = PTHREAD_MUTEX_INITIALIZER;

static void *die_holding(void *arg)
{
    EQ(pthread_mutex_lock(arg), 0);
    return NULL; /* exits holding it */
}

static void robust_init(pthread_mutex_t *m, int pshared)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    if (pshared) pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    EQ(pthread_mutex_init(m, &a), 0);
    pthread_mutexattr_destroy(&a);
}

int main(void)
{
    robust_init(&rm, 0);
    pthread_t t;
    EQ(pthread_create(&t, NULL, die_holding, &rm), 0);
    EQ(pthread_join(t, NULL), 0);
    EQ(pthread_mutex_lock(&rm), EOWNERDEAD);
    EQ(pthread_mutex_consistent(&rm), 0);
    EQ(pthread_mutex_unlock(&rm), 0);
    EQ(pthread_mutex_lock(&rm), 0);
    EQ(pthread_mutex_unlock(&rm), 0);
    /* dead again, and this time not made consistent */
    EQ(pthread_create(&t, NULL, die_holding, &rm), 0);
    EQ(pthread_join(t, NULL), 0);
    EQ(pthread_mutex_trylock(&rm), EOWNERDEAD);
    EQ(pthread_mutex_unlock(&rm), 0);
    EQ(pthread_mutex_lock(&rm), ENOTRECOVERABLE);
    EQ(pthread_mutex_consistent(&plain), EINVAL);

    /* a process dies holding a shared robust mutex */
    pthread_mutex_t *sm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(sm != MAP_FAILED);
    robust_init(sm, 1);
    pid_t p = fork();
    if (p == 0) {
        if (pthread_mutex_lock(sm) != 0) _exit(2);
        _exit(0);
    }
    int st;
    EQ(waitpid(p, &st, 0), p);
    EQ(WEXITSTATUS(st), 0);
    EQ(pthread_mutex_lock(sm), EOWNERDEAD);
    EQ(pthread_mutex_consistent(sm), 0);
    EQ(pthread_mutex_unlock(sm), 0);

    /* fork while holding locks: the child re-initialises nothing */
    EQ(pthread_mutex_lock(&rec), 0);
    p = fork();
    if (p == 0) {
        pthread_mutex_t cm;
        robust_init(&cm, 0);
        if (pthread_mutex_lock(&cm) || pthread_mutex_unlock(&cm)) _exit(3);
        if (pthread_mutex_lock(&plain) || pthread_mutex_unlock(&plain)) _exit(4);
        /* the child is not rec's owner (a new thread id) */
        if (pthread_mutex_trylock(&rec) != EBUSY) _exit(5);
        if (pthread_mutex_lock(sm) || pthread_mutex_unlock(sm)) _exit(6);
        _exit(0);
    }
    EQ(waitpid(p, &st, 0), p);
    EQ(WEXITSTATUS(st), 0);
    EQ(pthread_mutex_unlock(&rec), 0);
    puts("robust: ok");
    return 0;
}
