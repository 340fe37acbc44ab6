/*
 * Barrier: four 32-bit words, ticket-based (the scheme of glibc's barrier
 * since 2.23, with a SLEEPERS bit so a round nobody sleeps in makes no
 * system call).  Each arrival takes a ticket; tickets count threads, so a
 * thread's round and its arrival are one atomic step, rounds may be made of
 * any threads, and callers beyond `count` queue for a later round.
 *
 *   row  word      bits    name       meaning / who sets, who clears
 *   (1)  arrived_  0..31   IN         tickets taken since the last reset:
 *                                     +1 by each arrival (B1), so ticket i
 *                                     (1-based) is in round (i-1)/COUNT and
 *                                     is that round's last iff i % COUNT == 0.
 *                                     Values above MAX_IN: arrivals waiting
 *                                     for the reset (B0).  0 by the reset (B6).
 *   (2)  seq_      0       SLEEPERS   a thread may sleep on seq_.  Set by a
 *                                     waiter before it sleeps (B3); cleared
 *                                     by every release (B2).
 *   (3)  seq_      1..31   RELEASED   tickets released (a multiple of COUNT,
 *                                     <= MAX_IN): raised by B2, 0 by B6.
 *   (4)  leaving_  0..31   OUT        tickets that have left wait: +1 by
 *                                     each as its last access (B4); destroy
 *                                     adds the tickets never taken (B5).
 *                                     0 by the reset (B6).
 *   (5)  count_    0..30   COUNT-1    set by init only (zero: one thread).
 *   (6)  count_    31      SHARED     set by init only.
 *
 *   MAX_IN = the largest multiple of COUNT <= 2^31-1: RELEASED fits in 31
 *   bits, and all of (1) and (4) are compared without wrap-around.
 *
 * TRANSITIONS
 *   B0 full     ticket > MAX_IN: sleep on IN until the reset, then B1 again.
 *   B1 arrive   IN += 1 (acq_rel): ticket i.
 *   B2 release  while RELEASED + COUNT <= i: CAS seq_ to RELEASED =
 *               i - i % COUNT, SLEEPERS off (release); wake all on seq_ if
 *               SLEEPERS was on.  Any arrival may release any full round
 *               (an extra caller may release the round before its own).
 *   B3 wait     until RELEASED >= i: spin, then SLEEPERS on, sleep on seq_.
 *   B4 leave    OUT += 1 (acq_rel).  If OUT became MAX_IN, B6.
 *   B5 destroy  IN % COUNT != 0 or IN > MAX_IN: EBUSY (a round is
 *               unfinished).  Else OUT += MAX_IN - IN (acq_rel): the tickets
 *               never taken count as left, so the last real leaver makes OUT
 *               MAX_IN and resets; if a ticket had not left (old OUT < IN),
 *               or a reset is due (IN == MAX_IN), sleep on IN until it is 0,
 *               unless the barrier is private and the caller is its
 *               process's only thread (FORK): then return at once.
 *   B6 reset    every ticket of this epoch has left: seq_ = 0, OUT = 0
 *               (relaxed), then IN = 0 (release); wake all on IN.
 *
 * ROUNDS NEVER MIX, AND ANY THREADS MAY MAKE A ROUND.  A ticket names its
 * round; RELEASED only grows within an epoch and is raised only over rounds
 * whose tickets are all taken (B2 reads i from IN).  OUT counts tickets, not
 * rounds, so a thread of round k still leaving when round k+1 (other
 * threads) completes keeps its count: nothing is ever stored over it (the
 * defect of issue 22 was such a store, LEAVING = COUNT, by the next round).
 * Callers beyond COUNT take the next round's tickets and wait for it, as
 * with glibc.
 *
 * NO LOST WAKE-UP.  A waiter sleeps only on seq_ with SLEEPERS set; every
 * B2 replaces the word and wakes when it held SLEEPERS.  B0 and B5 sleep on
 * IN, which only B6 makes small again, and B6 always wakes (once per epoch:
 * every 2^31/COUNT tickets, or at destroy).
 *
 * NO TOUCH AFTER RELEASE.  Destroy returns only after OUT accounts for every
 * ticket (B5: old OUT == IN), or after the reset's IN = 0 (B6).  So a
 * thread's B4 is its last access to the barrier, except for the thread that
 * resets, whose last access is IN = 0; the wake after it names the address
 * only.  Every other access of a thread (B2's CAS and wake, B3) comes before
 * its B4, while its ticket keeps destroy waiting.
 *
 * ORDERING.  B1 is a release RMW on IN: a thread that takes ticket i reads
 * (acq_rel) the release sequence of every earlier ticket, so all their
 * writes happen before its B2 (release); waiters read seq_ with acquire, and
 * the SLEEPERS CASes are RMWs that continue B2's release sequence.  B4 is
 * acq_rel so the resetter (and destroy, B5) follow every leaver's accesses;
 * destroy's wait reads IN with acquire from B6's release store.
 *
 * KILLED WAKER.  In a process-shared barrier a thread may be killed with
 * its process between the store that frees the sleepers and its wake: B2's
 * CAS, which already cleared SLEEPERS, or B6's IN = 0 (DESIGN.md,
 * "Lifecycle rules").  The round is released or the barrier reset, no later
 * step will wake for it, and the sleepers (B3; B0 and destroy's B5 on IN)
 * would sleep for ever.  So a shared barrier's sleeps end after
 * FUSS__SLICE_NS at the latest (fuss__wait_sliced, internal/spin.h, KILLED
 * WAKER) and the sleeper looks at the word again, as after a wake-up: such
 * a death delays it by one slice, for ten wake-ups a second of a thread
 * that sleeps long.  Private sleeps are not capped (no idle wake-ups).
 * Only the sleeping path pays.  (A process killed before B4 holds its
 * ticket for ever, as under FORK below: destroy answers EBUSY or waits.)
 *
 * HOSTILE WORDS.  SHARED garbage in count_ on a backend without
 * process-shared futexes (init refuses FUSS_SHARED there) makes a wait
 * answer ENOTSUP: wait and destroy answer EINVAL, never an abort; a waiter
 * that holds a ticket leaves first (B4), so destroy does not wait for it.
 * Garbage in the counters is a barrier state like any other, which at
 * worst releases a round early or keeps its threads waiting.
 *
 * FORK.  Only the forking thread exists in the child (DESIGN.md,
 * "Lifecycle rules").  Tickets other threads held at fork() never leave.
 * A round still missing arrivals is one those threads are inside: like a
 * lock another thread holds, it stays so (waiting there blocks, destroy
 * answers EBUSY) and fuss_barrier_init() is the way out, as barrier.h says.
 * But a released round whose late leaver the fork stopped before its B4
 * made destroy's B5 wait for ever for a leaver that is not there (issue
 * 22).  No word has room for a process id, and tagging each arrival would
 * cost the count-1 arrival a system call; so destroy of a private barrier,
 * before it sleeps for a leaver or a reset, asks whether the caller is the
 * only thread of its process (internal/sole_thread.h, a few system calls,
 * only where it would sleep): a private barrier's leavers are threads of
 * this process, so then none can come, and destroy returns 0 at once (the
 * barrier is dead; init rewrites every word).  A child that has started
 * threads of its own before destroying still waits: the documented limit,
 * and init is its way out.  A shared barrier's tickets may be held by other
 * processes, the parent included: unchanged.  The arrivals and leavers are
 * unchanged.
 *
 * SPIN.  A waiter spins (B3) only while spinning pays for this thread: the
 * last arrival usually comes within the spin when every thread has a CPU,
 * and almost never when threads outnumber CPUs, where the spin only takes
 * time from the threads still to arrive.  glibc's tst-mutex10 (3 threads,
 * two barrier waits per iteration) on 2 busy vCPUs spent a quarter of its
 * samples in that spin under the drop-in and ran ~20% longer than on glibc,
 * whose barrier never spins (docs/bench/tuning.md).  So each thread counts
 * its spins that ended in a sleep all the same; after BAR_SPIN_MISSES in a
 * row it stops spinning, and tries one spin in BAR_SPIN_PROBE waits to see
 * whether the machine has room again.  A spin that succeeds resets the
 * count.  Per thread, like the hand-off spins (internal/spin.h).
 *
 * CANCELLATION.  fuss_barrier_wait is not a cancellation point (as
 * pthread_barrier_wait); the waits here are not either.  A thread cancelled
 * asynchronously inside holds a ticket for ever (undefined, as in POSIX).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "fuss/barrier.h"
#include "internal/assert.h"
#include "internal/atomic.h"
#include "internal/sole_thread.h"
#include "internal/spin.h"
#include "internal/wait.h"

#define BAR_SLEEPERS     0x1u         /* row (2) */
#define BAR_RELEASED_SH  1            /* row (3) */
#define BAR_COUNT_MASK   0x7fffffffu  /* row (5) */
#define BAR_SHARED       0x80000000u  /* row (6) */
#define BAR_IN_THRESHOLD 0x7fffffffu  /* MAX_IN is the largest multiple of COUNT below */

FUSS_STATIC_ASSERT(FUSS_BARRIER_COUNT_MAX == BAR_COUNT_MASK, "count - 1 fits in COUNT-1");

/* SPIN above: four failed spins in a row say the others are not running;
 * one wait in 16 probes again, so a machine that frees up is noticed within
 * a few dozen rounds while a busy one pays for 1/16 of the spins. */
#define BAR_SPIN_MISSES 4
#define BAR_SPIN_PROBE  16

static _Thread_local unsigned char bar_spin_misses __attribute__((tls_model("initial-exec")));
static _Thread_local unsigned char bar_spin_skips __attribute__((tls_model("initial-exec")));

static bool bar_should_spin(void)
{
    if (bar_spin_misses < BAR_SPIN_MISSES) return true;
    return ++bar_spin_skips % BAR_SPIN_PROBE == 0;
}

static inline uint32_t bar_released(uint32_t s) { return s >> BAR_RELEASED_SH; }
static inline uint32_t bar_max_in(uint32_t count) { return BAR_IN_THRESHOLD - BAR_IN_THRESHOLD % count; }
/* v > MAX_IN, with the division only where it can be true (MAX_IN > THRESHOLD - COUNT). */
static inline bool bar_over(uint32_t v, uint32_t count)
{
    return v > BAR_IN_THRESHOLD - count && v > bar_max_in(count);
}

int fuss_barrier_init(fuss_barrier_t *b, unsigned count, unsigned flags)
{
    if ((flags & ~FUSS_SHARED) || count == 0 || count > FUSS_BARRIER_COUNT_MAX) return EINVAL;
    if ((flags & FUSS_SHARED) && !(fuss__backend_features() & FUSS_FEATURE_SHARED))
        return ENOTSUP;
    b->arrived_ = 0;
    b->seq_ = 0;
    b->leaving_ = 0;
    b->count_ = (count - 1) | ((flags & FUSS_SHARED) ? BAR_SHARED : 0u);
    return 0;
}

/* Sleep on IN while it is above `limit` (B0: the reset; B5: IN == 0).
 * 0, or EINVAL (HOSTILE WORDS). */
static int bar_await_in(a32_t *in, uint32_t limit, unsigned flags, const char *what)
{
    for (;;) {
        uint32_t v = a32_load_acquire(in);     /* pairs with B6's release store */
        if (v <= limit) return 0;
        int e = fuss__wait_sliced(in, v, NULL, flags, what);
        if (e) return e;
    }
}

int fuss_barrier_destroy(fuss_barrier_t *b)
{
    uint32_t cfg = a32_load_relaxed(A32C(&b->count_));
    uint32_t count = (cfg & BAR_COUNT_MASK) + 1, max_in = bar_max_in(count);
    unsigned flags = (cfg & BAR_SHARED) ? FUSS__SHARED : 0u;
    a32_t *in = A32(&b->arrived_);
    /* Relaxed: a legal destroy follows every arrival (its thread took part
     * in the last round, or the program ordered it after the waits). */
    uint32_t n = a32_load_relaxed(in);
    if (n % count != 0 || n > max_in) return EBUSY;                          /* B5 */
    uint32_t out = a32_fetch_add_acqrel(A32(&b->leaving_), max_in - n);
    if (out < n || n == max_in) {                                            /* B6 due */
        /* FORK: a private barrier's leaver would be a thread of this process. */
        if (!flags && fuss__sole_thread()) return 0;
        return bar_await_in(in, 0, flags, "fuss_barrier_destroy");
    }
    return 0;
}

static void bar_leave(fuss_barrier_t *b, uint32_t count, unsigned flags)
{
    a32_t *in = A32(&b->arrived_);
    uint32_t out = a32_fetch_add_acqrel(A32(&b->leaving_), 1) + 1;          /* B4 */
    if (!bar_over(out + 1, count)) return;     /* out < MAX_IN: the last access */
    a32_store_relaxed(A32(&b->seq_), 0);                                     /* B6 */
    a32_store_relaxed(A32(&b->leaving_), 0);
    a32_store_release(in, 0);                  /* the resetter's last access */
    fuss__wake_all(in, flags);                 /* address only */
}

/* B2: release every full round up to ticket i not released yet.  True if
 * this thread released its own round (then B1's acquire already ordered
 * every arrival of the round before its return). */
static bool bar_release(a32_t *seq, uint32_t i, uint32_t count, unsigned flags)
{
    uint32_t s = a32_load_relaxed(seq);
    while (bar_released(s) + count <= i) {
        uint32_t to = i - i % count;
        if (a32_cas_rel(seq, &s, to << BAR_RELEASED_SH)) {
            if (s & BAR_SLEEPERS) fuss__wake_all(seq, flags);
            return to == i;
        }
    }
    return false;
}

/* B3: until ticket i is released.  0, or EINVAL (HOSTILE WORDS). */
static int bar_await(a32_t *seq, uint32_t i, unsigned flags)
{
    if (bar_should_spin()) {
        struct fuss__spin sp = FUSS__SPIN_INIT;
        while (bar_released(a32_load_relaxed(seq)) < i)
            if (!fuss__spin_step(&sp)) break;
        if (bar_released(a32_load_relaxed(seq)) >= i) bar_spin_misses = 0;
        else if (bar_spin_misses < BAR_SPIN_MISSES) bar_spin_misses++;
    }
    for (;;) {
        uint32_t s = a32_load_acquire(seq);    /* pairs with B2's release */
        if (bar_released(s) >= i) return 0;
        if (!(s & BAR_SLEEPERS) && !a32_cas_relaxed(seq, &s, s | BAR_SLEEPERS)) continue;
        int e = fuss__wait_sliced(seq, s | BAR_SLEEPERS, NULL, flags, "fuss_barrier_wait");
        if (e) return e;
    }
}

int fuss_barrier_wait(fuss_barrier_t *b)
{
    uint32_t cfg = a32_load_relaxed(A32C(&b->count_));
    uint32_t count = (cfg & BAR_COUNT_MASK) + 1;
    unsigned flags = (cfg & BAR_SHARED) ? FUSS__SHARED : 0u;
    a32_t *in = A32(&b->arrived_), *seq = A32(&b->seq_);
    uint32_t i;
    while (bar_over(i = a32_fetch_add_acqrel(in, 1) + 1, count)) {          /* B1 */
        /* A ticket above MAX_IN is no ticket: the reset forgets it. */
        int e = bar_await_in(in, bar_max_in(count), flags, "fuss_barrier_wait"); /* B0 */
        if (e) return e;
    }
    int e = bar_release(seq, i, count, flags) ? 0 : bar_await(seq, i, flags);
    bar_leave(b, count, flags); /* with EINVAL too: the ticket must leave (HOSTILE WORDS) */
    if (e) return e;
    return i % count == 0 ? FUSS_BARRIER_SERIAL_THREAD : 0;
}
