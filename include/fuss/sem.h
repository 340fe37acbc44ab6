/*
 * fuss/sem.h — counting semaphore (the futex(7) counter).
 *
 * DESCRIPTION
 *   A fuss_sem_t holds a non-negative value.  fuss_sem_post() adds one and,
 *   if a thread may be sleeping in a wait, wakes one.  fuss_sem_wait() takes
 *   one, sleeping while the value is 0.  Neither enters the kernel when there
 *   is nothing to wait for and nobody to wake: post makes a system call only
 *   when some thread has registered itself as (about to be) sleeping.
 *
 *   A waiter that finds the value 0 first spins for a few microseconds
 *   (bounded in time, not iterations) before it sleeps, so a tight
 *   post/wait hand-off between two threads usually completes in user space.
 *   Each thread adapts the length, from 2 to at most 32 us: a sleep that a
 *   post ended soon after the spin gave up lengthens its next spins, a long
 *   sleep shortens them (for a partner that is slow to answer, as on a VM
 *   where waking a thread takes ~20 us).
 *
 * INITIALIZATION
 *   All-zero memory is a valid thread-private semaphore of value 0.
 *   FUSS_SEM_INIT(v) is a private semaphore of value v (v <= FUSS_SEM_VALUE_MAX).
 *   fuss_sem_init() chooses FUSS_PRIVATE or FUSS_SHARED.
 *
 * FUNCTIONS (0 or a positive errno; errno is never set)
 *   fuss_sem_init(s, value, flags)   EINVAL: value > FUSS_SEM_VALUE_MAX or
 *                                    unknown flags; ENOTSUP: FUSS_SHARED on
 *                                    a backend without process-shared waits.
 *   fuss_sem_destroy(s)              EBUSY while a thread waits (a private
 *                                    semaphore: not when the caller is its
 *                                    process's only thread; see FORK).
 *   fuss_sem_post(s)                 EOVERFLOW if the value is already
 *                                    FUSS_SEM_VALUE_MAX (nothing changes).
 *   fuss_sem_wait(s)                 returns 0 with one unit taken;
 *                                    EINVAL if the object is corrupt (see
 *                                    PROCESS-SHARED).
 *   fuss_sem_trywait(s)              EAGAIN if the value is 0.
 *   fuss_sem_timedwait(s, clock, deadline)
 *                                    absolute deadline on CLOCK_MONOTONIC or
 *                                    CLOCK_REALTIME; EINVAL for a malformed
 *                                    timespec or another clock (checked even
 *                                    when a unit is available); ETIMEDOUT
 *                                    when the deadline passes; EINVAL as
 *                                    fuss_sem_wait.
 *   fuss_sem_getvalue(s, &v)         the value now (never negative: 0 while
 *                                    threads wait).
 *   Waits are not interrupted by signals (no EINTR).
 *
 * LEGAL AND ILLEGAL USE
 *   Any thread may post, any thread may wait: there is no owner.  A post may
 *   be called from a signal handler (it is one compare-and-swap and at most
 *   one futex wake).  Destroying or freeing a semaphore while a thread is
 *   still inside a call on it is undefined; EBUSY catches only waiters that
 *   are registered.
 *
 * FAIRNESS
 *   None guaranteed.  A post wakes one sleeper, but a thread that arrives
 *   (or is spinning) at that moment may take the unit first; the sleeper then
 *   sleeps again.  This barging is what keeps the hand-off fast.
 *
 * PROCESS-SHARED
 *   Initialise with FUSS_SHARED inside memory mapped MAP_SHARED; the flag is
 *   stored in the object itself, so every process (at any address) uses it
 *   correctly.  The object holds no pointers.  The emulated backend refuses
 *   FUSS_SHARED with ENOTSUP.
 *   A process that dies while sleeping in a wait is dropped by the kernel;
 *   its registration stays counted (a later post may spend one wake-up on
 *   nobody) but no post is ever swallowed by it: each post still wakes a live
 *   sleeper.  A unit taken by a process that then dies is gone, as it would
 *   be had the process lived.  A poster killed between its post and its
 *   wake-up delays the sleeper it would have woken by at most 100 ms: every
 *   sleep ends after that long and looks at the semaphore again.
 *   Another process may write anything into the object: fuss then never
 *   aborts; a wait answers EINVAL where the garbage asks for a wait the
 *   backend cannot make (a SHARED flag on the emulated backend).
 *
 * FORK
 *   In a fork() child only the forking thread exists, but the semaphore
 *   still counts the parent's waiters.  The child may post, wait and
 *   re-initialise it as usual (its posts make a wake-up call that finds
 *   nobody until then).  A private semaphore's destroy answers 0, not EBUSY,
 *   while the caller is the only thread of its process (no waiter can
 *   exist); a child that has started threads before destroying gets EBUSY
 *   from the parent's count, and fuss_sem_init() starts afresh.  Destroying
 *   with waiters is undefined in POSIX; glibc's sem_destroy answers 0.
 *   A shared semaphore's waiters may be in other processes: unchanged.
 *
 * SIZE
 *   8 bytes, 8-byte aligned: the value and the count of sleeping waiters
 *   share one 64-bit word.
 *
 * EXAMPLE
 *   static fuss_sem_t items = FUSS_SEM_INIT(0);
 *   void produce(item *it) { queue_push(it); fuss_sem_post(&items); }
 *   item *consume(void)    { fuss_sem_wait(&items); return queue_pop(); }
 */
#ifndef FUSS_SEM_H
#define FUSS_SEM_H

#include "fuss/common.h"

FUSS_BEGIN_DECLS

typedef struct fuss_sem {
#if defined(__cplusplus)
    alignas(8) uint64_t state_;
#else
    _Alignas(8) uint64_t state_;
#endif
} fuss_sem_t;

#define FUSS_SEM_VALUE_MAX 0x7fffffffu
#define FUSS_SEM_INIT(value) { (uint64_t)(value) }

FUSS_STATIC_ASSERT(sizeof(fuss_sem_t) == 8, "fuss_sem_t must be 8 bytes");

FUSS_API int fuss_sem_init(fuss_sem_t *s, unsigned value, unsigned flags);
FUSS_API int fuss_sem_destroy(fuss_sem_t *s);
FUSS_API int fuss_sem_post(fuss_sem_t *s);
FUSS_API int fuss_sem_wait(fuss_sem_t *s);
FUSS_API FUSS_NODISCARD int fuss_sem_trywait(fuss_sem_t *s);
FUSS_API FUSS_NODISCARD int fuss_sem_timedwait(fuss_sem_t *s, clockid_t clock,
                                               const struct timespec *deadline);
FUSS_API int fuss_sem_getvalue(const fuss_sem_t *s, unsigned *value);

FUSS_END_DECLS

#endif /* FUSS_SEM_H */
