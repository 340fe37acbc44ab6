/*
 * Time-bounded spinning, for every primitive's slow path.  A thread that
 * finds a word busy spins with relaxed loads for about FUSS__SPIN_BUDGET_NS
 * before it sleeps in the backend.
 *
 * Why a time budget, not an iteration count: the cost of one PAUSE differs
 * by more than 10x between CPU generations (about 10 cycles before Skylake,
 * about 140 after; 24 ns measured on the development VM), so a fixed count
 * means a different wait on every machine.  fuss__spin_iterations() measures
 * PAUSE once per process (spin.c) and converts the budget into iterations,
 * so a spin never reads the clock.
 *
 * Where the number comes from: FUSS__SPIN_BUDGET_NS = 2000 (override with
 * -DFUSS__SPIN_BUDGET_NS=...).  Spinning no longer than one sleep/wake
 * hand-off costs is 2-competitive with the best offline choice (Karlin, Li,
 * Manasse, Owicki, "Empirical studies of competitive spinning", SOSP 1991);
 * a futex hand-off is 2-5 us on bare-metal x86, so the budget stays below
 * it.  What a spin must cover is much shorter: on idle cores the other side
 * answers after two cache-line transfers (~0.2-0.4 us), so 2 us covers it
 * about five times over.  The cost is real when cores are oversubscribed: a
 * spinner holds the CPU the lock holder needs, which is why callers stop
 * spinning as soon as they see sleepers queued.
 */
#ifndef FUSS_INTERNAL_SPIN_H
#define FUSS_INTERNAL_SPIN_H

#include <stdbool.h>
#include <stdint.h>

#include "internal/atomic.h"
#include "internal/time.h"

#ifndef FUSS__SPIN_BUDGET_NS
#define FUSS__SPIN_BUDGET_NS 2000
#endif

/* cpu_relax() iterations that take about FUSS__SPIN_BUDGET_NS here. */
uint32_t fuss__spin_iterations(void);

/* A spin in progress: FUSS__SPIN_INIT, then while (fuss__spin_step(&sp)). */
struct fuss__spin {
    uint32_t left; /* 0 until the first step */
    bool started;
};

#define FUSS__SPIN_INIT { 0, false }

/* One spin step: relax the CPU; returns false once the budget is spent. */
static inline bool fuss__spin_step(struct fuss__spin *sp)
{
    if (!sp->started) {
        sp->left = fuss__spin_iterations();
        sp->started = true;
    }
    cpu_relax();
    return --sp->left != 0;
}

/* The same budget, spent with doubling gaps between looks (g, 2g, 4g, ...
 * cpu_relax() calls, g = fuss__first_gap()): FUSS__BACKOFF_INIT, then
 * do { look } while (fuss__backoff_step(&b)).  Each look at a busy word
 * pulls its cache line away from the holder, whose next lock or unlock must
 * fetch it back: a look after every pause slows the very thread being
 * waited for.  Doubling keeps the early looks (a short critical section
 * ends soon) and makes the later ones rare, about log2(budget / g) looks in
 * all.  Measured in make bench's tiny scenario, mutex.c.
 *
 * FIRST LOOK.  The first look comes after FUSS__FIRST_LOOK_NS, not after
 * one pause.  A lock that is busy with short holds is released and re-taken
 * by its holder within nanoseconds; a spinner that looks at once finds it
 * free now and then, takes it, and sends its holder spinning in turn, so
 * the lock changes CPU (two cache-line transfers, each ~60-110 ns) for a
 * few critical sections each.  Waiting about one line round trip before
 * the first look lets the holder run that long between such moves.  Where
 * the number comes from: one cache-line round trip between two vCPUs
 * (120-220 ns measured), near Go's sync.Mutex gap; the price is paid by an
 * acquisition that would have waited less than the gap (p99.9 of the
 * latency row).  Measurements: docs/bench/tuning.md, "First look". */
#ifndef FUSS__FIRST_LOOK_NS
#define FUSS__FIRST_LOOK_NS 200
#endif
_Static_assert(FUSS__FIRST_LOOK_NS < FUSS__SPIN_BUDGET_NS, "the first look comes within the budget");

/* cpu_relax() calls that take about FUSS__FIRST_LOOK_NS here; at least 1. */
static inline uint32_t fuss__first_gap(void)
{
    uint32_t g = (uint32_t)((uint64_t)fuss__spin_iterations() * FUSS__FIRST_LOOK_NS /
                            FUSS__SPIN_BUDGET_NS);
    return g ? g : 1;
}

struct fuss__backoff {
    uint32_t left; /* cpu_relax() calls left in the budget */
    uint32_t gap;  /* 0 until the first step */
};

#define FUSS__BACKOFF_INIT { 0, 0 }

static inline bool fuss__backoff_step(struct fuss__backoff *b)
{
    if (b->gap == 0) {
        b->left = fuss__spin_iterations();
        b->gap = fuss__first_gap();
    }
    if (b->left == 0) return false;
    uint32_t n = b->gap < b->left ? b->gap : b->left;
    for (uint32_t i = 0; i < n; i++) cpu_relax();
    b->left -= n;
    b->gap *= 2;
    return true;
}

/* HAND-OFF SPINS.  A semaphore waiter's answer comes from another thread
 * (a post; for a condvar's sole waiter, cond.c (C4), a signal), and how
 * soon depends on that thread and on the machine: a partner that is
 * itself asleep answers only after its own wake-up, which costs ~2-5 us
 * on bare metal but ~10-50 us on the VMs fuss is measured on (README).
 * A fixed 2 us spin then gives up just before the answer, both sides of a
 * ping-pong end up sleeping every round, and they stay so.  So
 * each thread scales its hand-off spins by 2^shift, shift in 0..
 * FUSS__HANDOFF_MAX_SHIFT (so at most 32 us, covering such a wake-up with
 * margin): after a spin that failed, a sleep that ended within
 * FUSS__HANDOFF_SHORT_NS (~3 such wake-ups) says a longer spin would have
 * caught the answer, and doubles the next spins; a longer sleep halves
 * them.  A spin that succeeds keeps the scale.  Per thread, since the
 * partner is what is measured; the spins stay bounded in time. */
#define FUSS__HANDOFF_MAX_SHIFT 4
#define FUSS__HANDOFF_SHORT_NS 64000

/* A spin of this thread's hand-off length; then while (fuss__spin_step(&sp)). */
struct fuss__spin fuss__handoff_spin(void);
/* After a failed hand-off spin: the sleep that followed took slept_ns. */
void fuss__handoff_slept(int64_t slept_ns);
/* This thread's current scale (tests). */
unsigned fuss__handoff_shift(void);

/* BLOCK-COST SPINS (the mutex, mutex.c).  Karlin et al.'s rule above asks
 * for a spin as long as a block costs, and a block (sleep, then the wake-up
 * once the holder unlocks) costs ~2-5 us on bare metal but ~10-20 us on the
 * VMs fuss is measured on, where a 2 us spin gives up just before a lock
 * about to be free (docs/bench/tuning.md, "Block-cost spins": longer spins
 * won make bench's tiny row on both 2-vCPU hosts).  So each thread estimates
 * the block cost as it runs: after a spin that was spent, it times the sleep
 * that followed.  One sleep is the rest of the holder's critical section
 * plus the wake-up, so the shortest of the last FUSS__BLOCK_WINDOW sleeps
 * is an estimate of the wake-up alone (long holds and preempted holders do
 * not raise it while a short sleep is in the window), and the next spins
 * last FUSS__SPIN_BUDGET_NS << shift, the smallest shift that covers it, at
 * most FUSS__HANDOFF_MAX_SHIFT (32 us).  Where every sleep is long (many
 * threads on few CPUs: sleeps of 1-30 ms) the shift sits at the cap; that
 * is also where the long spin pays (docs/bench/tuning.md, "Block-cost
 * spins"), and the most it costs is 32 us of one waiter's
 * CPU before a long sleep, since only a first waiter spins (mutex.c).
 *
 * The window is one word: FUSS__BLOCK_WINDOW slots of 4 bits, the newest
 * lowest, each 0 (no sample yet) or 1 + the shift that sample needed.  A
 * thread with no samples spins the plain budget; its first sleep decides.
 * (The semaphore keeps the HAND-OFF rule above; whether this one serves it
 * better is not measured yet.) */
#define FUSS__BLOCK_WINDOW 8

typedef uint32_t fuss__block_window; /* a _Thread_local, zero-initialized */
_Static_assert(FUSS__BLOCK_WINDOW * 4 == sizeof(fuss__block_window) * 8, "one word of 4-bit slots");

/* The shift a sleep of slept_ns needed: the smallest s with budget << s >=
 * slept_ns, at most FUSS__HANDOFF_MAX_SHIFT. */
static inline unsigned fuss__block_shift_for(int64_t slept_ns)
{
    unsigned s = 0;
    while (s < FUSS__HANDOFF_MAX_SHIFT && ((int64_t)FUSS__SPIN_BUDGET_NS << s) < slept_ns) s++;
    return s;
}

/* After a spent spin, the sleep that followed took slept_ns. */
static inline void fuss__block_slept(fuss__block_window *w, int64_t slept_ns)
{
    *w = (*w << 4) | (fuss__block_shift_for(slept_ns) + 1);
}

/* The shift of this window's next spins: the least any sample needed. */
static inline unsigned fuss__block_shift(fuss__block_window w)
{
    unsigned least = 0;
    for (; w; w >>= 4) {
        unsigned v = w & 0xf;
        if (v && (!least || v < least)) least = v;
    }
    return least ? least - 1 : 0;
}

/* The backoff budget (fuss__backoff_step) scaled by 2^shift: the same
 * doubling gaps, so about shift more looks. */
static inline struct fuss__backoff fuss__backoff_scaled(unsigned shift)
{
    struct fuss__backoff b = { fuss__spin_iterations() << shift, fuss__first_gap() };
    return b;
}

/* The longest a mutex sleeper sleeps before it looks at its word again
 * (mutex.c for every sleep, omutex.c for robust sleeps).  A word can change
 * without a wake-up: a process-shared one written by a crashed or hostile
 * sharer, or a robust one whose owner died owing a wake-up (omutex.c, OWED
 * WAKE-UPS).  100 ms bounds such a stall well below anything a user would
 * call a hang, for ten wake-ups a second of a long-blocked thread. */
#define FUSS__SLICE_NS 100000000

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t fuss__now_ns(void);

/* *out = the earlier of dl and now + ns (on dl's clock, or MONOTONIC);
 * returns the deadline to use. */
const struct fuss__deadline *fuss__deadline_cap(struct fuss__deadline *out,
                                                const struct fuss__deadline *dl, int64_t ns);

/* KILLED WAKER (DESIGN.md, "Lifecycle rules").  A process-shared word's
 * waker may be killed with its process between the store that frees a
 * sleeper and its wake, and no later step wakes for it.  So a sleep on a
 * shared word (flags hold FUSS__SHARED) ends after FUSS__SLICE_NS at the
 * latest, and the caller looks at the word again as after a wake-up.  A
 * private sleep is not capped: its waker's death is the whole process's,
 * and a long-blocked thread should cost nothing (no wake-ups while idle).
 * The semaphore, rwlock, event, latch, barrier and once sleep through this;
 * the mutexes cap their own sleeps for more reasons (mutex.c, omutex.c).
 *
 * One fuss__wait(word, expected, any bitset, dl, flags) so capped.  Returns
 * 0: look again (woken, value changed, interrupted, or the slice ended);
 * ETIMEDOUT: dl passed; EINVAL: the backend has no shared futexes (a SHARED
 * bit that is another process's garbage, HOSTILE WORDS in the callers). */
int fuss__wait_sliced(const a32_t *word, uint32_t expected, const struct fuss__deadline *dl,
                      unsigned flags, const char *what);

/* The deadline a sliced sleep uses: dl, or the slice's end for a shared
 * word if that comes first (for callers that make the wait themselves). */
const struct fuss__deadline *fuss__slice_cap(struct fuss__deadline *out,
                                             const struct fuss__deadline *dl, unsigned flags);

#endif
