/*
 * fuss/once.h — run a function exactly once.
 *
 * DESCRIPTION
 *   fuss_once(o, fn) calls fn() if no call on o has run it yet, and returns
 *   only once fn has finished (in this thread or in another).  Concurrent
 *   callers block (sleep, without spinning) until the thread running fn
 *   finishes, and then see everything fn wrote.  After completion a call is
 *   one acquire load and a return.  fuss_once_arg() passes arg to fn.
 *
 * INITIALIZATION
 *   All-zero memory (or FUSS_ONCE_INIT) is a valid, not-yet-run, private
 *   once object; fuss_once_init(o, FUSS_SHARED) makes a process-shared one.
 *   No destroy is needed.
 *
 * RETURNS
 *   fuss_once, fuss_once_arg: 0; EINVAL if the object's word is garbage (in
 *   shared memory, written by another process).
 *   fuss_once_init: 0; EINVAL (unknown flags); ENOTSUP (FUSS_SHARED on the
 *   emulated backend).
 *
 * LEGAL AND ILLEGAL USE
 *   fn must return normally.  If it exits the thread, is cancelled, or
 *   longjmps out, the object stays "running" and every later caller blocks
 *   forever.  fn must not call fuss_once on the same object (deadlock).
 *   Mixing fuss_once and fuss_once_arg on one object is allowed: whichever
 *   call wins runs its own function.
 *
 * FAIRNESS
 *   Not applicable: every waiter is released when fn returns.
 *
 * PROCESS-SHARED
 *   With FUSS_SHARED, processes that map the object (at any address) agree
 *   on one run: the first caller in any process runs its own fn, callers in
 *   every process wait for it and then return.  (fn itself is each caller's
 *   own pointer; nothing but the 4-byte state is shared.)  If the process
 *   running fn dies, the object stays "running" and the others wait for
 *   ever: use a robust fuss_omutex_t for initialisation that may crash.
 *   One killed after fn returned but before its wake-up delays the waiting
 *   callers by at most 100 ms: every sleep ends after that long and looks
 *   at the object again.
 *
 * FORK
 *   In a fork() child only the forking thread exists.  If another thread of
 *   the parent was running fn of a private once at fork(), the child's first
 *   caller runs fn itself (as glibc's pthread_once does) instead of waiting
 *   for a runner that is not there; the parent's run goes on in the parent.
 *   A process-shared once is not re-run: the child waits for the run in the
 *   parent process, which still exists.  Limit: a grandchild whose process
 *   id recycles that of the runner's process (gone by then) waits for ever.
 *
 * SIZE
 *   4 bytes.
 *
 * EXAMPLE
 *   static fuss_once_t table_once = FUSS_ONCE_INIT;
 *   static void build_table(void) { ... }
 *   const table *get_table(void) { fuss_once(&table_once, build_table); return &table; }
 */
#ifndef FUSS_ONCE_H
#define FUSS_ONCE_H

#include "fuss/common.h"

FUSS_BEGIN_DECLS

typedef struct fuss_once_control {
    uint32_t state_;
} fuss_once_t;

#define FUSS_ONCE_INIT { 0 }

FUSS_STATIC_ASSERT(sizeof(fuss_once_t) == 4, "fuss_once_t must be 4 bytes");

FUSS_API int fuss_once_init(fuss_once_t *o, unsigned flags);
FUSS_API int fuss_once(fuss_once_t *o, void (*fn)(void));
FUSS_API int fuss_once_arg(fuss_once_t *o, void (*fn)(void *), void *arg);

FUSS_END_DECLS

#endif /* FUSS_ONCE_H */
