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
 *   All-zero memory (or FUSS_ONCE_INIT) is a valid, not-yet-run once object.
 *   There is no init function and no destroy is needed.
 *
 * RETURNS
 *   0.  (Nothing is detectable: fn cannot fail.)
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
 *   Thread-private only, like pthread_once: a function pointer means nothing
 *   in another process.
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

FUSS_API int fuss_once(fuss_once_t *o, void (*fn)(void));
FUSS_API int fuss_once_arg(fuss_once_t *o, void (*fn)(void *), void *arg);

FUSS_END_DECLS

#endif /* FUSS_ONCE_H */
