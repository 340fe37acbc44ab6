#ifndef SHIM_XTHREAD_H
#define SHIM_XTHREAD_H
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <support/check.h>
#define SHIM_X(call) do { int _r = (call); if (_r) { errno = _r; shim_fail(1, "%s: %s", #call, strerror(_r)); } } while (0)
static inline pthread_t xpthread_create(pthread_attr_t *a, void *(*f)(void *), void *arg)
{ pthread_t t; SHIM_X(pthread_create(&t, a, f, arg)); return t; }
static inline void *xpthread_join(pthread_t t) { void *r; SHIM_X(pthread_join(t, &r)); return r; }
#define xpthread_mutex_lock(m) SHIM_X(pthread_mutex_lock(m))
#define xpthread_mutex_unlock(m) SHIM_X(pthread_mutex_unlock(m))
#define xpthread_mutex_init(m, a) SHIM_X(pthread_mutex_init(m, a))
#define xpthread_mutex_destroy(m) SHIM_X(pthread_mutex_destroy(m))
#define xpthread_mutex_consistent(m) SHIM_X(pthread_mutex_consistent(m))
#define xpthread_mutexattr_init(a) SHIM_X(pthread_mutexattr_init(a))
#define xpthread_mutexattr_destroy(a) SHIM_X(pthread_mutexattr_destroy(a))
#define xpthread_mutexattr_settype(a, t) SHIM_X(pthread_mutexattr_settype(a, t))
#define xpthread_mutexattr_setpshared(a, t) SHIM_X(pthread_mutexattr_setpshared(a, t))
#define xpthread_mutexattr_setrobust(a, t) SHIM_X(pthread_mutexattr_setrobust(a, t))
#define xpthread_mutexattr_setprotocol(a, t) SHIM_X(pthread_mutexattr_setprotocol(a, t))
#define xpthread_cond_wait(c, m) SHIM_X(pthread_cond_wait(c, m))
#define xpthread_cond_signal(c) SHIM_X(pthread_cond_signal(c))
#define xpthread_cond_broadcast(c) SHIM_X(pthread_cond_broadcast(c))
#define xpthread_barrier_init(b, a, n) SHIM_X(pthread_barrier_init(b, a, n))
#define xpthread_barrier_destroy(b) SHIM_X(pthread_barrier_destroy(b))
static inline int xpthread_barrier_wait(pthread_barrier_t *b)
{ int r = pthread_barrier_wait(b); if (r != 0 && r != PTHREAD_BARRIER_SERIAL_THREAD) shim_fail(1, "barrier_wait %d", r); return r; }
#define xpthread_rwlock_init(l, a) SHIM_X(pthread_rwlock_init(l, a))
#define xpthread_rwlock_rdlock(l) SHIM_X(pthread_rwlock_rdlock(l))
#define xpthread_rwlock_wrlock(l) SHIM_X(pthread_rwlock_wrlock(l))
#define xpthread_rwlock_unlock(l) SHIM_X(pthread_rwlock_unlock(l))
#define xpthread_rwlock_destroy(l) SHIM_X(pthread_rwlock_destroy(l))
#define xpthread_rwlockattr_init(a) SHIM_X(pthread_rwlockattr_init(a))
#define xpthread_rwlockattr_setkind_np(a, k) SHIM_X(pthread_rwlockattr_setkind_np(a, k))
#define xpthread_cancel(t) SHIM_X(pthread_cancel(t))
#define xpthread_detach(t) SHIM_X(pthread_detach(t))
#define xpthread_attr_init(a) SHIM_X(pthread_attr_init(a))
#define xpthread_attr_destroy(a) SHIM_X(pthread_attr_destroy(a))
#define xpthread_attr_setstacksize(a, s) SHIM_X(pthread_attr_setstacksize(a, s))
#define xpthread_attr_setdetachstate(a, s) SHIM_X(pthread_attr_setdetachstate(a, s))
#define xpthread_once(o, f) SHIM_X(pthread_once(o, f))
#define xpthread_spin_lock(l) SHIM_X(pthread_spin_lock(l))
#define xpthread_spin_unlock(l) SHIM_X(pthread_spin_unlock(l))
#define xpthread_sigmask(h, s, o) SHIM_X(pthread_sigmask(h, s, o))
#define xpthread_kill(t, s) SHIM_X(pthread_kill(t, s))
/* glibc's delayed_exit (its support/xthread.h declares it; tst-eintr*
 * call it with nothing else included): a detached thread, all signals
 * blocked, that ends the process with status 0 after SECONDS (for tests
 * that deadlock on purpose). */
static __attribute__((unused)) void *shim_delayed_exit_thread(void *arg)
{
    struct timespec d = { (time_t)(uintptr_t)arg, 0 };
    while (nanosleep(&d, &d) != 0) {
    }
    exit(0);
    return NULL;
}
static inline __attribute__((unused)) void delayed_exit(int seconds)
{
    sigset_t all, old;
    sigfillset(&all);
    xpthread_sigmask(SIG_SETMASK, &all, &old);
    xpthread_detach(xpthread_create(NULL, shim_delayed_exit_thread, (void *)(uintptr_t)seconds));
    xpthread_sigmask(SIG_SETMASK, &old, NULL);
}
/* glibc's support_mutex_pi_monotonic: does the kernel have FUTEX_LOCK_PI2
 * (PI locks timed on CLOCK_MONOTONIC)? */
static inline __attribute__((unused)) bool support_mutex_pi_monotonic(void)
{
    unsigned lock = 0;
    if (syscall(SYS_futex, &lock, 13 /* FUTEX_LOCK_PI2 */ | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0) != 0)
        return false;
    syscall(SYS_futex, &lock, FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0);
    return true;
}
#endif
