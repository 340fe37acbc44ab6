/* Stand-in for glibc's support/support.h (our own code): the helpers the
 * NPTL tests call. */
#ifndef SHIM_SUPPORT_H
#define SHIM_SUPPORT_H
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <support/check.h>
#include <support/xthread.h>
static inline void *xmalloc(size_t n)
{ void *p = malloc(n); if (!p && n) shim_fail(1, "xmalloc(%zu)", n); return p; }
static inline void *xcalloc(size_t n, size_t m)
{ void *p = calloc(n, m); if (!p && n && m) shim_fail(1, "xcalloc"); return p; }
static inline void *xrealloc(void *q, size_t n)
{ void *p = realloc(q, n); if (!p && n) shim_fail(1, "xrealloc"); return p; }
static inline char *xstrdup(const char *s)
{ char *p = strdup(s); if (!p) shim_fail(1, "xstrdup"); return p; }
/* glibc's delayed_exit: a detached thread, all signals blocked, that ends
 * the process with status 0 after SECONDS (for tests that deadlock on
 * purpose). */
static void *shim_delayed_exit_thread(void *arg)
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
#endif
