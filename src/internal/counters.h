/*
 * Contention counters: what a contended lock does per acquisition (how often
 * it sleeps, how many wakes its unlocks issue and how many of those find
 * nobody, what a woken thread finds).  For measuring the mechanism behind
 * the many-core figures (docs/bench/contention.md, bench/probe/), compiled
 * in only with -DFUSS_CONTENTION_COUNTERS; otherwise FUSS__COUNT is
 * nothing, so the library proper carries no trace of them.  Per thread, so
 * counting adds no shared cache line to the contended path.
 */
#ifndef FUSS_INTERNAL_COUNTERS_H
#define FUSS_INTERNAL_COUNTERS_H

#ifdef FUSS_CONTENTION_COUNTERS
struct fuss__mutex_counters {
    unsigned long slow;             /* lock calls that missed the fast path */
    unsigned long spin_took;        /* ... and took it spinning (T2) */
    unsigned long spin_queued;      /* ... whose spin stopped at PARKED */
    unsigned long spin_spent;       /* ... whose spin used its whole budget */
    unsigned long sleeps;           /* futex waits begun */
    unsigned long sleep_eagain;     /* ... that did not sleep (word changed) */
    unsigned long woken;            /* ... that returned 0 (a wake, or spurious) */
    unsigned long woken_then_held;  /* woken, and found the lock held */
    unsigned long unlock_wakes;     /* unlocks that made a wake call */
    unsigned long unlock_wakes_nobody; /* ... that woke nobody */
};
extern _Thread_local struct fuss__mutex_counters fuss__mutex_counters;
#define FUSS__COUNT(field) ((void)fuss__mutex_counters.field++)
#else
#define FUSS__COUNT(field) ((void)0)
#endif

#endif
