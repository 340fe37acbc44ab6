/*
 * omutex_robust.c — the per-thread state of fuss_omutex_t: the cached thread
 * id, and the thread's robust list head (see internal/omutex.h for the list
 * protocol and the geometry shared with glibc).
 *
 * WHOSE HEAD.  The kernel keeps one robust list head per thread, and a
 * set_robust_list call replaces the previous one: calling it over glibc's
 * registration would silently disable glibc's robust pthread mutexes for
 * that thread.  So we ask the kernel for the thread's head (once per
 * thread), use it if its futex_offset matches our geometry, refuse
 * (ENOTSUP) if it does not, and register a head of our own only when the
 * thread has none.
 *
 * FORK.  The child is a new thread: its id differs, and the kernel drops its
 * robust list registration (glibc registers its head again, emptied, before
 * the child handlers run).  The pthread_atfork child handler forgets the
 * cached id and, if the forking thread used a head of ours, empties and
 * registers it again; a cached glibc head stays valid (same address in the
 * child).  Mutexes the parent held are not held by the child.
 *
 * ORDERING.  Everything here is per-thread: no atomics are needed.
 */
#include <errno.h>
#include <pthread.h>

#include "fuss/once.h"
#include "internal/assert.h"
#include "internal/omutex.h"

_Thread_local struct fuss__othread fuss__othread __attribute__((tls_model("initial-exec")));

/* A head of our own, for a thread that has none, with the prev slot that
 * the list geometry puts in the word before the head. */
static _Thread_local struct {
    void *prev;
    struct fuss__robust_head head;
} own_list __attribute__((tls_model("initial-exec")));

_Static_assert(offsetof(__typeof__(own_list), head) == sizeof(void *),
               "the head's prev slot must be the word just before it");

/* fuss_once, not pthread_once: inside libfuss-pthread.so pthread_once is
 * the drop-in's own export, and the library never calls back into the
 * drop-in (DESIGN.md, "Layers"). */
static fuss_once_t atfork_once = FUSS_ONCE_INIT;

static void own_list_reset(void)
{
    own_list.head.list = &own_list.head.list;
    own_list.head.futex_offset = FUSS__OMUTEX_FUTEX_OFFSET;
    own_list.head.list_op_pending = NULL;
    own_list.prev = &own_list.head.list;
}

static void atfork_child(void)
{
    fuss__othread.tid = 0;
    if (fuss__othread.head == &own_list.head) {
        own_list_reset();
        fuss__require(fuss__set_robust_list(&own_list.head) == 0,
                      "set_robust_list failed in a fork child");
    }
}

static void atfork_register(void)
{
    fuss__require(pthread_atfork(NULL, NULL, atfork_child) == 0, "pthread_atfork failed");
}

uint32_t fuss__othread_tid_slow(void)
{
    (void)fuss_once(&atfork_once, atfork_register);
    uint32_t t = fuss__gettid();
    fuss__require(t <= FUSS_FUTEX_TID_MASK, "thread id %u does not fit a futex word", t);
    fuss__othread.tid = t;
    return t;
}

int fuss__othread_head_lookup(void)
{
    if (fuss__othread.head) return 0;
    struct fuss__robust_head *h = NULL;
    int r = fuss__get_robust_list(&h);
    if (r < 0) return ENOTSUP;
    if (!h) {
        (void)fuss_once(&atfork_once, atfork_register);
        own_list_reset();
        if (fuss__set_robust_list(&own_list.head) < 0) return ENOTSUP;
        h = &own_list.head;
    }
    if (h->futex_offset != FUSS__OMUTEX_FUTEX_OFFSET) return ENOTSUP;
    fuss__othread.head = h;
    return 0;
}

/* NULL when the thread's list cannot hold fuss robust mutexes (another C
 * library's geometry, or no kernel support).  Not an abort: the ROBUST bit
 * that brings a thread here sits in a shared word, which another process
 * may have written (omutex.c, H7). */
struct fuss__robust_head *fuss__othread_head_slow(void)
{
    return fuss__othread_head_lookup() == 0 ? fuss__othread.head : NULL;
}
