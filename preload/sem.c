/* The drop-in's sem_*: unnamed semaphores, and named ones from glibc's sem_open. */
#include "fuss_pthread.h"

/* ---- unnamed semaphores (they report errors in errno) ------------------------------- */

static int sem_ret(int r)
{
    if (LIKELY(r == 0)) return 0;
    errno = r;
    return -1;
}

EXPORT int sem_init(sem_t *s, int pshared, unsigned value)
{
    OFF_TO_GLIBC(sem_init, s, pshared, value);
    if (value > SEM_VALUE_MAX || value > FUSS_SEM_VALUE_MAX) return sem_ret(EINVAL);
    memset(s, 0, sizeof *s);
    return sem_ret(fuss_sem_init(FS(s), value, pshared ? FUSS_SHARED : 0));
}

EXPORT int sem_destroy(sem_t *s)
{
    OFF_TO_GLIBC(sem_destroy, s);
    return sem_ret(fuss_sem_destroy(FS(s)));
}

EXPORT int sem_post(sem_t *s)
{
    OFF_TO_GLIBC_OR_COUNT(S_SEM, sem_post, s);
    return sem_ret(fuss_sem_post(FS(s)));
}

EXPORT int sem_getvalue(sem_t *s, int *value)
{
    OFF_TO_GLIBC(sem_getvalue, s, value);
    unsigned v;
    int r = fuss_sem_getvalue(FS(s), &v);
    if (r == 0) *value = (int)v;
    return sem_ret(r);
}

EXPORT int sem_trywait(sem_t *s)
{
    OFF_TO_GLIBC_OR_COUNT(S_SEM, sem_trywait, s);
    return sem_ret(fuss_sem_trywait(FS(s)));
}

struct sem_waiter {
    fuss_sem_t *s;
    int old;
};
static void sem_before(void *arg) { async_on(&((struct sem_waiter *)arg)->old); }
static void sem_after(void *arg) { async_off(&((struct sem_waiter *)arg)->old); }
static void sem_cancelled(void *arg) { fuss__sem_cancel_leave(((struct sem_waiter *)arg)->s); }

static int sem_sleep(fuss_sem_t *s, const struct fuss__deadline *dlp)
{
    struct sem_waiter w = { s, PTHREAD_CANCEL_DEFERRED };
    struct fuss__sleep_hooks hooks = { sem_before, sem_after, &w };
    int r;
    pthread_cleanup_push(sem_cancelled, &w);
    r = fuss__sem_wait_hooked(s, dlp, &hooks);
    pthread_cleanup_pop(0);
    return r;
}

static int sem_block(sem_t *s, clockid_t clock, const struct timespec *at)
{
    pthread_testcancel();
    if (g_mode == MODE_STATS) stat_call(S_SEM);
    struct timespec epoch;
    at = posix_deadline(at, &epoch);
    /* glibc checks the deadline before anything else (unlike its mutex). */
    struct fuss__deadline dl;
    const struct fuss__deadline *dlp = NULL;
    int e = fuss__deadline_make(&dl, clock, at, &dlp);
    if (e) return sem_ret(e);
    if (fuss_sem_trywait(FS(s)) == 0) return 0;
    if (g_mode == MODE_STATS) stat_contend(S_SEM);
    return sem_ret(sem_sleep(FS(s), dlp));
}

EXPORT int sem_wait(sem_t *s)
{
    OFF_TO_GLIBC(sem_wait, s);
    return sem_block(s, CLOCK_REALTIME, NULL);
}

EXPORT int sem_timedwait(sem_t *s, const struct timespec *at)
{
    OFF_TO_GLIBC(sem_timedwait, s, at);
    return sem_block(s, CLOCK_REALTIME, at);
}

EXPORT int sem_clockwait(sem_t *s, clockid_t clock, const struct timespec *at)
{
    OFF_TO_GLIBC(sem_clockwait, s, clock, at);
    return sem_block(s, clock, at);
}


/* ---- named semaphores: glibc's sem_open, marked process-shared --------------------------
 *
 * glibc's sem_open creates (or maps) the object in glibc's layout: the
 * 64-bit word at 0 holds the value in its low 32 bits and the waiter count
 * in its high 32, and `private` at 8 says FUTEX_SHARED.  The value and the
 * waiter count are where fuss_sem_t keeps them (src/sem.c rows (1), (2);
 * glibc's SEM_VALUE_MAX is INT_MAX, so bit 31 stays 0), but glibc never sets
 * fuss's SHARED bit (row (3)), so fuss would use private futexes on it and a
 * post in one process would wake nobody in another.  After every successful
 * open the drop-in ORs the bit in (idempotent: every opener does it, before
 * it returns the object to the program, so no fuss call ever sees the word
 * without it).
 *
 * A process on plain glibc may share the object: it reads the bit as 2^31
 * waiters.  glibc 2.36 (nptl/sem_post.c, sem_waitcommon.c, 64-bit atomics)
 * only tests the count for non-zero in sem_post, so every post makes a
 * FUTEX_WAKE system call (spare wake-ups, nothing worse); its waiters add
 * and subtract 1 << 32 in pairs, which keeps the bit, and its fast path and
 * sem_getvalue use the low 32 bits only.  Both sides wait and wake on the low
 * half as a shared futex, so posts cross in either direction.
 *
 * sem_close and sem_unlink stay glibc's (they unmap and unlink; fuss keeps
 * no state of its own).  SEM_FAILED and errno come back untouched, and with
 * FUSS_PTHREAD=off the call is glibc's alone. */

EXPORT sem_t *sem_open(const char *name, int oflag, ...)
{
    sem_t *(*real)(const char *, int, ...) = real_sem_open;
    if (UNLIKELY(!real)) /* before the constructor */
        *(void **)&real = dlsym(RTLD_NEXT, "sem_open");
    sem_t *s;
    if (oflag & O_CREAT) {
        va_list ap;
        va_start(ap, oflag);
        mode_t mode = va_arg(ap, mode_t);
        unsigned value = va_arg(ap, unsigned);
        va_end(ap);
        s = real(name, oflag, mode, value);
    } else {
        s = real(name, oflag);
    }
    if (g_mode == MODE_OFF || s == SEM_FAILED) return s;
    a64_t *w = A64(&FS(s)->state_);
    uint64_t st = a64_load_relaxed(w);
    while (!(st & FUSS__SEM_SHARED) && !a64_cas_relaxed(w, &st, st | FUSS__SEM_SHARED)) {
    }
    return s;
}
