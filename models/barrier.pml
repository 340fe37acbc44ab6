/*
 * barrier.pml — fuss_barrier_t (src/barrier.c: fuss_barrier_wait, bar_await,
 * bar_leave, fuss_barrier_destroy), step by step, over futex.pml.
 *
 * The words (rows (1)-(7) of barrier.c's table): ARRIVED is `arrived` (no
 * one sleeps on it); seq_ is mem[SEQ] = SLEEPERS 1 | ROUND from bit 1;
 * leaving_ is mem[LV] = LEAVING (bits 0..5 here, 0..30 in the C) |
 * DESTROYER 64 (bit 31 in the C).  count_ never changes: COUNT is NT, and
 * SHARED is left out.  Each atomic of the C is one Promela step; B1..B5 are
 * cited where they happen.  Time: bar_await's spin is up to SPIN_MAX relaxed
 * loads (default 1; any shorter spin, including none, is also explored); it
 * only reads, the B3 loop decides.  init's EINVAL/ENOTSUP paths are left out.
 *
 * Harness: NT threads (default 3, the barrier's count) each call
 * fuss_barrier_wait ROUNDS times (default 2).  With -DBCFG_DESTROY the serial
 * thread of the last round then calls fuss_barrier_destroy at once (the use
 * barrier.h allows: "the serial thread may destroy and free the barrier"),
 * while the others may still be inside their last wait.
 *
 * Ghosts: arrivals[k] counts the B1s of round k (a thread's k-th wait is
 * round k); serial[k] the SERIAL returns of round k; `inside` the threads
 * that entered fuss_barrier_wait and have not done their B4 (the fetch_sub
 * is a thread's last access to the barrier's memory: the wake after it only
 * names the address); `destroyed` is set when destroy returns.
 *
 * Properties:
 *   rounds never mix     a thread's k-th wait reads ROUND k; ARRIVED after
 *                        its B1 equals arrivals[k] (it counts round k's
 *                        arrivals and nothing else); a wait of round k
 *                        returns only once all COUNT threads of round k
 *                        arrived (assert);
 *   one serial thread    exactly one SERIAL return per round (assert);
 *   no lost wake-up      every thread finishes: a thread still asleep when
 *                        nobody can move is an invalid end state;
 *   destroy              returns 0 (never EBUSY here), and only when
 *                        LEAVING == 0 and no thread is inside wait; no B4
 *                        after destroy returned (assert);
 *   at the end           ARRIVED 0, LEAVING 0, ROUND == ROUNDS (assert).
 *
 * Injected bugs (each must be rejected):
 *   BUG_NO_WAKE          the last arrival (B2) does not wake when the word it
 *                        replaced held SLEEPERS: sleepers stay asleep;
 *   BUG_RESET_LATE       B2 resets ARRIVED after ROUND moves: a thread that
 *                        hurries into round k+1 is counted with round k;
 *   BUG_SLEEP_NO_FLAG    a waiter (B3) sleeps on the word as it read it,
 *                        without setting SLEEPERS: B2 does not wake it;
 *   BUG_DESTROY_NO_RECHECK  destroy (B5) returns after its first futex wait
 *                        without re-reading LEAVING (-DBCFG_DESTROY): a
 *                        decrement that is not the last makes the wait return
 *                        EAGAIN while threads are still inside;
 *   BUG_LEAVE_NO_WAKE    the last B4 does not wake a sleeping destroyer
 *                        (-DBCFG_DESTROY).
 *
 * Run:  spin -a [-DBCFG_DESTROY] [-DBUG_...] barrier.pml
 *       gcc -O0 -DSAFETY -DMEMLIM=1024 -o pan pan.c && ./pan -m100000
 */
#define NWORDS 2
#ifndef NT
#define NT 3
#endif
#ifndef ROUNDS
#define ROUNDS 2
#endif
#define NPROC (NT + 1)
#ifndef SPIN_MAX
#define SPIN_MAX 1
#endif

#include "futex.pml"

#define SEQ 0
#define LV  1
#define SLEEPERS   1
#define ROUND_ONE  2
#define LEAVE_MASK 63
#define DESTROYER  64
#define COUNT      NT
#define SERIAL     (-1)   /* FUSS_BARRIER_SERIAL_THREAD */
#define EBUSY      16

byte arrived;              /* ARRIVED, row (1) */
byte arrivals[ROUNDS];     /* ghost: B1s of each round */
byte serial[ROUNDS];       /* ghost: SERIAL returns of each round */
byte inside;               /* ghost: entered wait, B4 not done yet */
bool destroyed;            /* ghost: destroy returned */
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

/* bar_leave (B4) */
inline bar_leave()
{
    atomic {                                               /* fetch_sub_rel */
        old = mem[LV]; mem[LV] = old - 1;
        assert(!destroyed);
        inside--
    };
#ifndef BUG_LEAVE_NO_WAKE
    if
    :: (old & LEAVE_MASK) == 1 && (old & DESTROYER) -> futex_wake(LV, WAKE_ALL, r)
    :: else
    fi;
#endif
    old = 0; r = 0
}

/* bar_await (B3) */
inline bar_await(round)
{
    k2 = 0;
    do                                                     /* spin: reads only */
    :: k2 < SPIN_MAX && (mem[SEQ] & ~SLEEPERS) == round -> k2++  /* load_relaxed */
    :: true -> break                                       /* moved, or budget out */
    od;
    k2 = 0;
    do
    :: s = mem[SEQ];                                       /* load_acquire */
       if
       :: (s & ~SLEEPERS) != round -> break
       :: else
       fi;
#ifndef BUG_SLEEP_NO_FLAG
       ok = true;
       if
       :: !(s & SLEEPERS) -> cas(SEQ, s, (s | SLEEPERS), ok)
       :: else
       fi;
       if
       :: ok ->
           futex_wait(SEQ, (round | SLEEPERS), r);
           assert(r == 0 || r == -EAGAIN)
       :: else                                             /* continue */
       fi
#else
       futex_wait(SEQ, s, r);
       assert(r == 0 || r == -EAGAIN)
#endif
    od;
    s = 0; ok = false; r = 0
}

/* fuss_barrier_wait: the k-th call of a thread is round k */
inline barrier_wait(k, res)
{
    atomic {                                               /* load_acquire */
        inside++;
        round = mem[SEQ] & ~SLEEPERS;
        assert(round == k * ROUND_ONE)                     /* rounds never mix */
    };
    atomic {                                               /* B1: fetch_add_acqrel */
        arrived++; a = arrived;
        arrivals[k]++;
        assert(a == arrivals[k])                           /* counts round k only */
    };
    if
    :: a < COUNT ->
        bar_await(round);
        bar_leave();
        res = 0
    :: else ->
        assert(a == COUNT);                                /* fuss__assert */
#ifndef BUG_RESET_LATE
        arrived = 0;                                       /* B2 */
#endif
        mem[LV] = COUNT;                                   /* store_relaxed */
        atomic { old = mem[SEQ]; mem[SEQ] = round + ROUND_ONE };  /* swap_rel */
#ifdef BUG_RESET_LATE
        arrived = 0;
#endif
#ifndef BUG_NO_WAKE
        if
        :: old & SLEEPERS -> futex_wake(SEQ, WAKE_ALL, r)
        :: else
        fi;
#endif
        bar_leave();
        res = SERIAL
    fi;
    atomic {
        assert(arrivals[k] == COUNT);                      /* released by round k */
        if
        :: res == SERIAL -> serial[k]++; assert(serial[k] == 1)
        :: else
        fi
    };
    round = 0; a = 0; old = 0; r = 0
}

/* fuss_barrier_destroy (B5) */
inline barrier_destroy(res)
{
    if
    :: arrived != 0 -> res = EBUSY                         /* load_relaxed */
    :: else ->
        do
        :: v = mem[LV];                                    /* load_acquire */
           if
           :: (v & LEAVE_MASK) == 0 ->
               if
               :: v != 0 -> mem[LV] = 0                    /* store_relaxed */
               :: else
               fi;
               res = 0; break
           :: else
           fi;
           ok = true;
           if
           :: !(v & DESTROYER) -> cas(LV, v, (v | DESTROYER), ok)
           :: else
           fi;
           if
           :: ok ->
               futex_wait(LV, (v | DESTROYER), r);
               assert(r == 0 || r == -EAGAIN)
#ifdef BUG_DESTROY_NO_RECHECK
               ; res = 0; break
#endif
           :: else                                         /* continue */
           fi
        od
    fi;
    v = 0; ok = false; r = 0
}

#define BAR_LOCALS int round, a, s, old, r, v; byte k2; bool ok

proctype Thread()
{
    BAR_LOCALS;
    byte k;
    int res;
    for (k : 0 .. ROUNDS - 1) {
        barrier_wait(k, res)
    };
#ifdef BCFG_DESTROY
    if
    :: res == SERIAL ->
        barrier_destroy(res);
        atomic {
            assert(res == 0);
            assert(inside == 0 && (mem[LV] & LEAVE_MASK) == 0);   /* B5 */
            destroyed = true
        }
    :: else
    fi;
#endif
    res = 0;
    finished++
}

init
{
    byte i;
    atomic {
        for (i : 1 .. NT) { run Thread() }
    }
    finished == NT;
    assert(arrived == 0 && (mem[LV] & LEAVE_MASK) == 0 && mem[SEQ] / ROUND_ONE == ROUNDS);
    for (i : 0 .. ROUNDS - 1) { assert(serial[i] == 1) }
#ifdef BCFG_DESTROY
    ; assert(destroyed)
#endif
}
