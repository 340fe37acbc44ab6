/*
 * latch.pml — fuss_latch_t (src/event.c: fuss_latch_add, fuss_latch_done,
 * latch_wait_slow, latch_wait / fuss_latch_wait), step by step, over
 * futex.pml.
 *
 * The words (rows (6)-(9) of event.c's LATCH WORDS table): count_ is
 * mem[CNT] = COUNT (bits 0..2 here, 0..29 in the C) | WAITERS 8 (bit 30 in
 * the C); gen_ is mem[GEN], the word waiters sleep on.  The C reads and
 * changes the two as one 64-bit word: here each such load or CAS is one
 * atomic step over both.  SHARED (row (8))
 * never changes and is left out; COUNT never nears its maximum here, so L1's
 * EOVERFLOW and L2's EINVAL are not reached (asserted).  Each atomic of the C
 * is one Promela step; L1..L3 are cited where they happen.  Waits are
 * untimed (fuss_latch_timedwait's ETIMEDOUT path is not modelled).  Time:
 * latch_wait_slow's spin is up to SPIN_MAX relaxed loads of count_ (default
 * 1; any shorter spin is also explored); it only reads, the L3 loop decides.
 *
 * Harness (default): the latch starts at count 2 (fuss_latch_init); 2 doners
 * call fuss_latch_done once each, 2 waiters call fuss_latch_wait once each,
 * in any interleaving.
 * With -DLCFG_ADD (add() racing): the latch starts at count 1; doner 1 calls
 * done(); doner 2 calls add(1) and then done(), so the count may go 1 -> 0
 * -> 1 -> 0 (a second use of the latch) or 1 -> 2 -> 1 -> 0.
 *
 * Ghosts: `zeros` counts the done()s whose CAS made COUNT 0; `inflight` the
 * done()s between that CAS and their GEN bump (only BUG_SPLIT_BUMP has
 * any).  A waiter notes `zeros` when it enters (z0) and whether one of its
 * loads read COUNT 0 (saw0).
 *
 * Properties:
 *   no early return      a wait returns only if the count was 0 at some
 *                        moment during the call: saw0 || zeros != z0
 *                        (assert);
 *   no lost wake-up      every thread finishes (the count ends at 0): a
 *                        thread still asleep when nobody can move is an
 *                        invalid end state;
 *   at the end           COUNT 0 and WAITERS off (assert).
 *
 * FINDING (fixed): the C used to bump GEN in a second step after the CAS
 * that made COUNT 0.  A wait that started after an add() raised the count
 * again could then be released by that late bump: W1 sets WAITERS (count 1)
 * and sleeps; D's CAS makes the count 0 (clears WAITERS, no bump yet);
 * add(1) makes it 1; W2 enters, reads GEN (old) and COUNT 1, sets WAITERS,
 * sleeps on the old GEN; D bumps GEN and wakes all: W2 sees GEN moved and
 * returns 0 while COUNT had been 1 for its whole call.  BUG_SPLIT_BUMP
 * (with -DLCFG_ADD) is that old code, and spin rejects it.
 *
 * Injected bugs (each must be rejected):
 *   BUG_DONE_NO_WAKE     the done() that makes COUNT 0 bumps GEN but does not
 *                        wake: sleepers stay asleep;
 *   BUG_LATE_GEN         L3 reads GEN after setting WAITERS (just before it
 *                        sleeps) instead of before reading COUNT: a done() in
 *                        between has already bumped it, the waiter sleeps on
 *                        the new GEN and nothing bumps it again;
 *   BUG_BUMP_EVERY_DONE  done() bumps GEN and wakes whenever WAITERS was on,
 *                        not only when COUNT reaches 0: a waiter returns
 *                        while COUNT is still 1 (assert);
 *   BUG_SPLIT_BUMP       the GEN bump as a second step after the CAS (the
 *                        FINDING above; -DLCFG_ADD).
 *
 * Run:  spin -a [-DLCFG_ADD] [-DBUG_...] latch.pml
 *       gcc -O0 -DSAFETY -DMEMLIM=1024 -o pan pan.c && ./pan -m100000
 */
#define NWORDS 2
#define NWT 2              /* waiters */
#define NDN 2              /* doners */
#define NPROC (NWT + NDN + 1)
#ifndef SPIN_MAX
#define SPIN_MAX 1
#endif

#include "futex.pml"

#define CNT 0
#define GEN 1
#define LATCH_COUNT   7
#define LATCH_WAITERS 8
#define LATCH_MAX     LATCH_COUNT    /* FUSS_LATCH_COUNT_MAX */
#define EINVAL    22
#define EOVERFLOW 75

#ifdef LCFG_ADD
#define INIT_COUNT 1
#else
#define INIT_COUNT 2
#endif

byte zeros;        /* ghost: done()s whose CAS made COUNT 0 */
byte inflight;     /* ghost: of those, the ones whose GEN bump is pending */
byte finished;

inline cas(w, cs, new, cok)
{
    atomic {
        if
        :: mem[w] == cs -> mem[w] = new; cok = true
        :: else -> cs = mem[w]; cok = false
        fi
    }
}

/* fuss_latch_add (L1) */
inline latch_add(an, res)
{
    c = mem[CNT];                                          /* load_relaxed (64) */
    do
    :: an > LATCH_MAX - (c & LATCH_COUNT) -> res = EOVERFLOW; break /* L1 */
    :: else ->
        cas(CNT, c, c + an, ok);  /* cas_relaxed (64): GEN is unchanged by it */
        if :: ok -> res = 0; break :: else fi
    od;
    c = 0; ok = false
}

/* fuss_latch_done (L2): COUNT-1 and, at 0 with WAITERS, WAITERS off and
 * GEN+1, in one CAS of both words (cas_acqrel); then wake all. */
inline latch_done(res)
{
    atomic { c = mem[CNT]; gen = mem[GEN] };               /* load_relaxed (64) */
    do
    :: (c & LATCH_COUNT) == 0 -> res = EINVAL; break       /* L2 */
    :: else ->
        n = c - 1;
        bump = false;
        if
        :: (n & LATCH_COUNT) == 0 && (n & LATCH_WAITERS) -> n = n & ~LATCH_WAITERS; bump = true
#ifdef BUG_BUMP_EVERY_DONE
        :: (n & LATCH_COUNT) != 0 && (n & LATCH_WAITERS) -> bump = true
#endif
        :: else
        fi;
        atomic {                                           /* cas_acqrel (64) */
            if
            :: mem[CNT] == c && mem[GEN] == gen ->
                mem[CNT] = n;
#ifndef BUG_SPLIT_BUMP
                if :: bump -> mem[GEN] = gen + 1 :: else fi;
#else
                if :: bump -> inflight++ :: else fi;
#endif
                if :: (n & LATCH_COUNT) == 0 -> zeros++ :: else fi;
                ok = true
            :: else -> c = mem[CNT]; gen = mem[GEN]; ok = false
            fi
        };
        if :: ok -> res = 0; break :: else fi
    od;
    if
    :: res == 0 && bump ->
#ifdef BUG_SPLIT_BUMP
        atomic { mem[GEN] = mem[GEN] + 1; inflight-- };
#endif
#ifndef BUG_DONE_NO_WAKE
        futex_wake(GEN, WAKE_ALL, r)
#else
        skip
#endif
    :: else
    fi;
    c = 0; n = 0; gen = 0; ok = false; r = 0; bump = false
}

/* a load_acquire of both words into c and gen; notes a COUNT of 0 (ghost
 * saw0) */
inline load_state()
{
    atomic {
        c = mem[CNT];
#ifndef BUG_LATE_GEN
        gen = mem[GEN];
#endif
        if :: (c & LATCH_COUNT) == 0 -> saw0 = true :: else fi
    }
}

/* latch_wait_slow (L3), untimed */
inline latch_wait_slow(res)
{
    k = 0;
    do                                                     /* spin: reads only */
    :: k < SPIN_MAX && (mem[CNT] & LATCH_COUNT) != 0 -> k++  /* load_relaxed */
    :: true -> break                                       /* COUNT 0, or budget out */
    od;
    k = 0;
    do
    :: load_state();                                       /* load_acquire (64) */
       if
       :: (c & LATCH_COUNT) == 0 -> res = 0; break
       :: else
       fi;
       ok = true;
       if
       :: !(c & LATCH_WAITERS) ->
           atomic {                                        /* cas_relaxed (64) */
               if
#ifndef BUG_LATE_GEN
               :: mem[CNT] == c && mem[GEN] == gen -> mem[CNT] = c | LATCH_WAITERS
#else
               :: mem[CNT] == c -> mem[CNT] = c | LATCH_WAITERS
#endif
               :: else -> ok = false
               fi
           }
       :: else
       fi;
       if
       :: ok ->
#ifdef BUG_LATE_GEN
           gen = mem[GEN];
#endif
           futex_wait(GEN, gen, r);
           assert(r == 0 || r == -EAGAIN);
           if
           :: mem[GEN] != gen -> res = 0; break            /* load_acquire */
           :: else
           fi
       :: else                                             /* continue */
       fi
    od;
    c = 0; gen = 0; ok = false; r = 0
}

/* fuss_latch_wait: latch_wait's fast check, then latch_wait_slow */
inline latch_wait(res)
{
    atomic {                                               /* load_acquire (64) */
        z0 = zeros;
        load_state()
    };
    if
    :: (c & LATCH_COUNT) == 0 -> res = 0
    :: else -> latch_wait_slow(res)
    fi;
    atomic {
        assert(res == 0);
        assert(saw0 || zeros != z0)                        /* no early return */
    };
    c = 0; gen = 0; z0 = 0; saw0 = false
}

#define LATCH_LOCALS int c, n, gen, r; byte k, z0; bool ok, saw0, bump

proctype Waiter()
{
    LATCH_LOCALS;
    int res;
    latch_wait(res);
    finished++
}

proctype Doner(byte id)
{
    LATCH_LOCALS;
    int res;
#ifdef LCFG_ADD
    if
    :: id == 2 -> latch_add(1, res); assert(res == 0)
    :: else
    fi;
#endif
    latch_done(res);
    assert(res == 0);
    finished++
}

init
{
    byte i;
    atomic {
        mem[CNT] = INIT_COUNT;                             /* fuss_latch_init */
        for (i : 1 .. NWT) { run Waiter() };
        for (i : 1 .. NDN) { run Doner(i) }
    }
    finished == NWT + NDN;
    assert(mem[CNT] == 0 && inflight == 0)
}
