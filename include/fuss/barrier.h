/*
 * fuss/barrier.h — reusable thread barrier.
 *
 * DESCRIPTION
 *   A barrier for `count` threads: each calls fuss_barrier_wait(), which
 *   returns once all `count` have arrived.  Exactly one of them (unspecified
 *   which) gets FUSS_BARRIER_SERIAL_THREAD, the others 0.  The barrier then
 *   starts its next round at once; rounds never mix (a thread that hurries
 *   into round n+1 cannot release, or be released by, round n).
 *   Waiters spin for a few microseconds (bounded in time) before sleeping.
 *
 * INITIALIZATION
 *   fuss_barrier_init(b, count, flags) with count >= 1 and FUSS_PRIVATE or
 *   FUSS_SHARED.  All-zero memory (and FUSS_BARRIER_INIT) is a valid private
 *   barrier for ONE thread (every wait returns FUSS_BARRIER_SERIAL_THREAD at
 *   once); the count is stored as count - 1 so that zero means one.
 *
 * FUNCTIONS (0 or a positive errno; errno is never set)
 *   fuss_barrier_init(b, count, flags)  EINVAL count 0 or > FUSS_BARRIER_COUNT_MAX
 *                                       or unknown flags; ENOTSUP FUSS_SHARED on a
 *                                       backend without process-shared waits.
 *   fuss_barrier_destroy(b)             EBUSY while threads wait in an unfinished
 *                                       round.  Otherwise it waits until every
 *                                       thread of every finished round has left
 *                                       fuss_barrier_wait() (also one of an older
 *                                       round, still on its way out), so the serial
 *                                       thread may destroy and free the barrier at
 *                                       once, or init it again.  EINVAL if the
 *                                       object is corrupt (see PROCESS-SHARED).
 *   fuss_barrier_wait(b)                0 or FUSS_BARRIER_SERIAL_THREAD;
 *                                       EINVAL as destroy (the caller has then
 *                                       left the barrier).
 *   Waits are not interrupted by signals (no EINTR) and have no timeout.
 *
 * LEGAL AND ILLEGAL USE
 *   Any threads may make up a round; round n+1 may be made of other threads
 *   than round n, even while a thread of round n is still returning.
 *   More than `count` concurrent callers: the extras queue for the next round
 *   (as glibc does): the first `count` arrivals, in the order the barrier
 *   counts them, make one round, the next `count` the next.  Do not re-init
 *   while in use (destroy first, or re-init once every wait has returned).
 *   Not a cancellation point (as pthread_barrier_wait); a thread cancelled
 *   asynchronously inside it is undefined behaviour.
 *
 * FORK
 *   Only the forking thread exists in the child.  A barrier other threads
 *   were waiting in at fork() still counts them in their unfinished round:
 *   a wait there may never finish and destroy answers EBUSY.  A round
 *   released at fork() whose threads had not all left does not hold up the
 *   child: destroy of a private barrier returns 0 without waiting for them
 *   while the caller is the only thread of its process (none of them can
 *   be there).  A child that has started threads before destroying waits
 *   for ever on such a round (the limit).  Either way the child may
 *   fuss_barrier_init() it again, since nobody else is inside.  A shared
 *   barrier's threads may be in other processes: unchanged.
 *
 * ORDERING
 *   Everything each thread wrote before its wait is visible to every thread
 *   after its wait returns.
 *
 * FAIRNESS
 *   Not applicable: all threads of a round are released together.
 *
 * PROCESS-SHARED
 *   Initialise with FUSS_SHARED inside memory mapped MAP_SHARED; the flag is
 *   kept in the object, which holds no pointers.  The emulated backend
 *   refuses FUSS_SHARED with ENOTSUP.
 *   A participant process that dies before it arrives leaves the others
 *   waiting for ever: the barrier cannot tell a slow participant from a dead
 *   one, and has no timed wait.  Where participants may crash, rendezvous
 *   on a robust fuss_omutex_t and a condvar with a deadline instead.  A
 *   process that dies after arriving counts as arrived.  One killed after
 *   its arrival released a round (or its leaving reset the barrier) but
 *   before the wake-up delays the sleepers by at most 100 ms: every sleep
 *   ends after that long and looks at the barrier again.
 *   Another process may write anything into the object: fuss then never
 *   aborts; wait and destroy answer EINVAL where the garbage asks for a
 *   wait the backend cannot make (a SHARED flag on the emulated backend).
 *
 * SIZE
 *   16 bytes (arrival tickets, released tickets, count+flags, leaving tickets).
 *
 * EXAMPLE
 *   fuss_barrier_t step;
 *   fuss_barrier_init(&step, nthreads, FUSS_PRIVATE);
 *   // in each thread:
 *   for (int i = 0; i < steps; i++) {
 *       compute_my_part(i);
 *       if (fuss_barrier_wait(&step) == FUSS_BARRIER_SERIAL_THREAD) merge(i);
 *       fuss_barrier_wait(&step);
 *   }
 */
#ifndef FUSS_BARRIER_H
#define FUSS_BARRIER_H

#include "fuss/common.h"

FUSS_BEGIN_DECLS

typedef struct fuss_barrier {
    uint32_t arrived_; /* tickets taken; see src/barrier.c */
    uint32_t seq_;     /* tickets released, SLEEPERS */
    uint32_t count_;
    uint32_t leaving_; /* tickets that left */
} fuss_barrier_t;

#define FUSS_BARRIER_INIT { 0, 0, 0, 0 }
#define FUSS_BARRIER_SERIAL_THREAD (-1)
#define FUSS_BARRIER_COUNT_MAX 0x7fffffffu

FUSS_STATIC_ASSERT(sizeof(fuss_barrier_t) <= 16, "fuss_barrier_t must fit in 16 bytes");

FUSS_API int fuss_barrier_init(fuss_barrier_t *b, unsigned count, unsigned flags);
FUSS_API int fuss_barrier_destroy(fuss_barrier_t *b);
FUSS_API int fuss_barrier_wait(fuss_barrier_t *b);

FUSS_END_DECLS

#endif /* FUSS_BARRIER_H */
