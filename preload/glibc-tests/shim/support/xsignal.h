/* Stand-in for glibc's support/xsignal.h (our own code): tst-eintr*'s
 * eintr.c includes it for xpthread_sigmask (support/xthread.h has it),
 * tst-pthread-timedlock-lockloop for xsignal. */
#ifndef SHIM_XSIGNAL_H
#define SHIM_XSIGNAL_H
#include <signal.h>
#include <support/check.h>
#include <support/xthread.h>
static inline __attribute__((unused)) sighandler_t xsignal(int sig, sighandler_t handler)
{
    sighandler_t old = signal(sig, handler);
    if (old == SIG_ERR) shim_fail(1, "signal(%d): %s", sig, strerror(errno));
    return old;
}
#endif
