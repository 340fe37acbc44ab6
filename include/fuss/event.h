/*
 * fuss/event.h — events (manual- and auto-reset) and latches (wait-groups).
 *
 * ============================ fuss_event_t ================================
 * DESCRIPTION
 *   A flag threads wait for.  fuss_event_wait() returns at once while the
 *   event is set and otherwise sleeps until it is set.
 *
 *   Manual-reset (default): fuss_event_set() wakes every waiter and the event
 *   stays set until fuss_event_reset().  A waiter that was asleep when the
 *   event was set returns even if the event is reset again before it runs
 *   (a set is never "missed" by a thread that was already waiting).
 *
 *   Auto-reset (FUSS_EVENT_AUTO_RESET): a set releases exactly one thread —
 *   a waiter, or if none waits, the next thread to wait — and the event is
 *   reset by that release.  Sets do not accumulate: setting an event that is
 *   still set does nothing, so two sets close together may release only one
 *   thread (like Windows' auto-reset events).  Use fuss_sem_t to count.
 *
 * INITIALIZATION
 *   All-zero memory (and FUSS_EVENT_INIT) is a valid thread-private,
 *   manual-reset event that is not set.  fuss_event_init() takes
 *   FUSS_PRIVATE or FUSS_SHARED, or-ed with FUSS_EVENT_AUTO_RESET and/or
 *   FUSS_EVENT_SET (initially set).
 *
 * FUNCTIONS (0 or a positive errno; errno is never set)
 *   fuss_event_init(e, flags)   EINVAL unknown flags; ENOTSUP FUSS_SHARED on
 *                               a backend without process-shared waits.
 *   fuss_event_destroy(e)       0 (nothing to release).
 *   fuss_event_set(e)           0.  Makes a system call only if a thread may
 *                               be sleeping.
 *   fuss_event_reset(e)         0.
 *   fuss_event_wait(e)          0 when released; EINVAL if the object is
 *                               corrupt (see PROCESS-SHARED).
 *   fuss_event_timedwait(e, clock, deadline)
 *                               absolute deadline on CLOCK_MONOTONIC or
 *                               CLOCK_REALTIME; EINVAL for a malformed
 *                               timespec or another clock (checked first);
 *                               ETIMEDOUT when the deadline passes;
 *                               EINVAL as fuss_event_wait.
 *   fuss_event_is_set(e)        1 or 0 (not an error code).
 *   Waits are not interrupted by signals (no EINTR).
 *
 * ORDERING
 *   Everything a thread wrote before fuss_event_set() is visible to a
 *   thread that returns from a wait released by that set.
 *
 * FAIRNESS (auto-reset)
 *   None: a thread arriving at the moment of a set may take it ahead of a
 *   sleeper, which then sleeps again.
 *
 * ============================ fuss_latch_t ================================
 * DESCRIPTION
 *   A counter threads wait on until it reaches zero (Go's WaitGroup, a
 *   reusable count-down latch).  fuss_latch_add(n) raises it, typically
 *   before starting n pieces of work; each fuss_latch_done() lowers it by
 *   one; fuss_latch_wait() returns once it is zero.  When the count reaches
 *   zero every waiter is released, even if add() raises it again before a
 *   waiter runs.  After that the latch can be used again.
 *
 * INITIALIZATION
 *   All-zero memory (and FUSS_LATCH_INIT) is a valid thread-private latch
 *   with count 0.  fuss_latch_init(l, count, flags) sets the count (at most
 *   FUSS_LATCH_COUNT_MAX) and FUSS_PRIVATE or FUSS_SHARED.
 *
 * FUNCTIONS
 *   fuss_latch_init(l, count, flags)   EINVAL count too large or unknown
 *                                      flags; ENOTSUP as for events.
 *   fuss_latch_destroy(l)              0.
 *   fuss_latch_add(l, n)               EOVERFLOW if the count would pass
 *                                      FUSS_LATCH_COUNT_MAX (nothing changes).
 *   fuss_latch_done(l)                 EINVAL if the count is already 0
 *                                      (nothing changes).
 *   fuss_latch_wait(l)                 0 once the count is 0; EINVAL as
 *                                      fuss_event_wait.
 *   fuss_latch_timedwait(l, clock, deadline)   as fuss_event_timedwait.
 *
 * ORDERING
 *   Everything written before each done() is visible to a thread whose wait
 *   returns because the count reached zero.
 *
 * ============================ both ========================================
 * LEGAL AND ILLEGAL USE
 *   Any thread may set/reset/add/done; there is no owner.  Do not destroy or
 *   free the object while a thread is inside a call on it.
 *
 * PROCESS-SHARED
 *   Initialise with FUSS_SHARED inside memory mapped MAP_SHARED; the flag is
 *   kept in the object, which holds no pointers.  The emulated backend
 *   refuses FUSS_SHARED with ENOTSUP.
 *   A process that dies while waiting on an event or latch is dropped by the
 *   kernel and blocks nobody.  An auto-reset event released to a process
 *   that then dies is consumed, as if that process had lived.  A process
 *   that dies before its fuss_latch_done() leaves the count above 0: waiters
 *   that must survive that use fuss_latch_timedwait().  A process killed
 *   inside fuss_event_set() or the last fuss_latch_done(), after the event
 *   was set or the count 0 but before the wake-up, delays the waiters by at
 *   most 100 ms: every sleep ends after that long and looks again.
 *   Another process may write anything into the object: fuss then never
 *   aborts; a wait answers EINVAL where the garbage asks for a wait the
 *   backend cannot make (a SHARED flag on the emulated backend).
 *
 * SIZE
 *   fuss_event_t: 4 bytes.  fuss_latch_t: 8 bytes (a count word and a word
 *   waiters sleep on).
 *
 * EXAMPLE
 *   fuss_latch_t all_done = FUSS_LATCH_INIT;
 *   fuss_latch_add(&all_done, nworkers);
 *   for (i = 0; i < nworkers; i++) start_worker(i);  // each ends with fuss_latch_done(&all_done)
 *   fuss_latch_wait(&all_done);
 *
 *   static fuss_event_t ready = FUSS_EVENT_INIT;
 *   void publisher(void) { config = load(); fuss_event_set(&ready); }
 *   void reader(void)    { fuss_event_wait(&ready); use(config); }
 */
#ifndef FUSS_EVENT_H
#define FUSS_EVENT_H

#include "fuss/common.h"

FUSS_BEGIN_DECLS

typedef struct fuss_event {
    uint32_t state_; /* see src/event.c */
} fuss_event_t;

#define FUSS_EVENT_INIT { 0 }
#define FUSS_EVENT_AUTO_RESET 2u /* init flag: a set releases one thread, then resets */
#define FUSS_EVENT_SET        4u /* init flag: the event starts set */

typedef struct fuss_latch {
#if defined(__cplusplus)
    alignas(8) uint32_t count_; /* count and flags, see src/event.c */
#else
    _Alignas(8) uint32_t count_;
#endif
    uint32_t gen_; /* waiters sleep here; changed with count_ as one 64-bit word */
} fuss_latch_t;

#define FUSS_LATCH_INIT { 0, 0 }
#define FUSS_LATCH_COUNT_MAX 0x3fffffffu

FUSS_STATIC_ASSERT(sizeof(fuss_event_t) == 4, "fuss_event_t must be 4 bytes");
FUSS_STATIC_ASSERT(sizeof(fuss_latch_t) <= 8, "fuss_latch_t must fit in 8 bytes");

FUSS_API int fuss_event_init(fuss_event_t *e, unsigned flags);
FUSS_API int fuss_event_destroy(fuss_event_t *e);
FUSS_API int fuss_event_set(fuss_event_t *e);
FUSS_API int fuss_event_reset(fuss_event_t *e);
FUSS_API int fuss_event_wait(fuss_event_t *e);
FUSS_API FUSS_NODISCARD int fuss_event_timedwait(fuss_event_t *e, clockid_t clock,
                                                 const struct timespec *deadline);
FUSS_API int fuss_event_is_set(const fuss_event_t *e);

FUSS_API int fuss_latch_init(fuss_latch_t *l, unsigned count, unsigned flags);
FUSS_API int fuss_latch_destroy(fuss_latch_t *l);
FUSS_API int fuss_latch_add(fuss_latch_t *l, unsigned n);
FUSS_API int fuss_latch_done(fuss_latch_t *l);
FUSS_API int fuss_latch_wait(fuss_latch_t *l);
FUSS_API FUSS_NODISCARD int fuss_latch_timedwait(fuss_latch_t *l, clockid_t clock,
                                                 const struct timespec *deadline);

FUSS_END_DECLS

#endif /* FUSS_EVENT_H */
