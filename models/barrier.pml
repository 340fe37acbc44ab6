/*
 * barrier.pml — fuss_barrier_t (src/barrier.c: fuss_barrier_wait,
 * bar_release, bar_await, bar_await_in, bar_leave, fuss_barrier_destroy;
 * B0-B6), step by step, over futex.pml.
 *
 * The words (rows (1)-(6) of barrier.c's table): IN is mem[IN], OUT is
 * mem[OUT], seq_ is mem[SEQ] = SLEEPERS 1 | RELEASED from bit 1.  count_
 * never changes: COUNT (default 2); SHARED is left out.  MAX_IN (default 4,
 * 2^31-1 rounded down to a multiple of COUNT in the C) is small so that the
 * epoch reset (B6) and arrivals past it (B0) happen.  Each atomic of the C is
 * one Promela step.  bar_await's spin is up to SPIN_MAX relaxed loads
 * (default 1; shorter spins, none included, are explored too); it only reads.
 *
 * Harness: NT threads (default 4) each call fuss_barrier_wait WAITS times
 * (default 1); NT*WAITS is a multiple of COUNT.  With NT > COUNT the rounds
 * are made of any COUNT of the threads, a thread of round k may still be
 * leaving when round k+1 (of others) completes, and more than COUNT callers
 * are inside at once (the extras queue).  Only WAITS 1 or NT == COUNT: with
 * more waits per thread and more threads than COUNT, the program itself may
 * leave one thread alone with a round to fill.  -DNT=2 -DWAITS=3: the same
 * threads round after round (one hurries into the next round while the
 * other still leaves).  With -DBCFG_DESTROY the thread that took the last
 * ticket destroys as soon as its wait returns, while others may still be
 * inside (barrier.h allows it); by default that ticket is the epoch's last
 * (MAX_IN 4), so destroy meets a reset that is due.
 *
 * Ghosts: `taken` counts tickets (B1s that were not past MAX_IN) over all
 * epochs: a thread's global ticket g; serial[k] the SERIAL returns of round
 * k; `inside` the threads between their B1 and their B4; `destroyed` is set
 * when destroy returns.  Every access to the barrier's memory asserts
 * !destroyed: touch after release is an assertion, not a crash.
 *
 * Properties:
 *   rounds               a wait returns only once every ticket of its round
 *                        was taken (assert); one SERIAL return per round;
 *   no lost wake-up      every thread finishes (invalid end state if not);
 *   reset                B6 runs only when no ticket is inside (assert);
 *   destroy              returns 0, only when no thread is inside, and no
 *                        access to the barrier follows it (assert);
 *   at the end           without destroy, IN == OUT == RELEASED, SLEEPERS off.
 *
 * Injected bugs (each must be rejected):
 *   BUG_LEAVING_STORE    the defect of issue 22: a round's release also
 *                        stores the leaving count (OUT = tickets of earlier
 *                        rounds), as the C before the fix stored LEAVING =
 *                        COUNT, assuming earlier rounds have all left: a
 *                        late leaver's count is overwritten;
 *   BUG_NO_WAKE          B2 does not wake when it replaced SLEEPERS;
 *   BUG_SLEEP_NO_FLAG    B3 sleeps on the word as read, without SLEEPERS;
 *   BUG_RESET_NO_WAKE    B6 does not wake the arrivals waiting in B0;
 *   BUG_DESTROY_NO_RESET_WAIT  B5 does not wait when the epoch's reset is
 *                        due (IN == MAX_IN, every ticket left): it returns
 *                        while the last leaver is about to reset (the
 *                        window glibc's destroy leaves; -DBCFG_DESTROY).
 *
 * Run:  spin -a [-DBCFG_DESTROY] [-DMAX_IN=2] [-DNT=2 -DWAITS=3] [-DBUG_...] barrier.pml
 *       gcc -O0 -DSAFETY -DMEMLIM=1024 -o pan pan.c && ./pan -m100000
 */
#define NWORDS 3
#ifndef NT
#define NT 4
#endif
#ifndef COUNT
#define COUNT 2
#endif
#ifndef WAITS
#define WAITS 1
#endif
#ifndef MAX_IN
#define MAX_IN 4
#endif
#define NPROC (NT + 1)
#ifndef SPIN_MAX
#define SPIN_MAX 1
#endif
#define TICKETS  (NT * WAITS)
#define NROUNDS  (TICKETS / COUNT)

#include "futex.pml"

#define IN  0
#define SEQ 1
#define OUT 2
#define SLEEPERS 1
#define SERIAL   (-1)   /* FUSS_BARRIER_SERIAL_THREAD */
#define EBUSY    16

byte taken;               /* ghost: tickets taken, all epochs */
byte serial[NROUNDS];     /* ghost: SERIAL returns of each round */
byte inside;              /* ghost: between B1 and B4 */
bool destroyed;           /* ghost: destroy returned */
byte finished;

#define TOUCH  assert(!destroyed)
#define RELEASED(s) ((s) / 2)

/* bar_await_in: sleep on IN while it is above lim (B0, B5) */
inline bar_await_in(lim)
{
    do
    :: atomic { TOUCH; v = mem[IN] };                      /* load_acquire */
       if
       :: v <= lim -> break
       :: else
       fi;
       TOUCH;
       futex_wait(IN, v, r);
       assert(r == 0 || r == -EAGAIN)
    od;
    v = 0; r = 0
}

/* bar_release (B2): own = this thread released its own round */
inline bar_release(own)
{
    own = false;
    atomic { TOUCH; s = mem[SEQ] };                        /* load_relaxed */
    do
    :: RELEASED(s) + COUNT <= i ->
       atomic {                                            /* cas_rel */
           TOUCH;
           if
           :: mem[SEQ] == s -> mem[SEQ] = (i - i % COUNT) * 2; ok = true
#ifdef BUG_LEAVING_STORE
              ; mem[OUT] = i - i % COUNT - COUNT
#endif
           :: else -> s = mem[SEQ]; ok = false
           fi
       };
       if
       :: ok ->
#ifndef BUG_NO_WAKE
          if
          :: s & SLEEPERS -> futex_wake(SEQ, WAKE_ALL, r)
          :: else
          fi;
#endif
          own = (i % COUNT == 0); break
       :: else
       fi
    :: else -> break
    od;
    s = 0; ok = false; r = 0
}

/* bar_await (B3) */
inline bar_await()
{
    k2 = 0;
    do                                                     /* spin: reads only */
    :: k2 < SPIN_MAX && RELEASED(mem[SEQ]) < i -> TOUCH; k2++
    :: true -> break
    od;
    k2 = 0;
    do
    :: atomic { TOUCH; s = mem[SEQ] };                     /* load_acquire */
       if
       :: RELEASED(s) >= i -> break
       :: else
       fi;
#ifndef BUG_SLEEP_NO_FLAG
       ok = true;
       if
       :: !(s & SLEEPERS) ->
          atomic {                                         /* cas_relaxed */
              TOUCH;
              if
              :: mem[SEQ] == s -> mem[SEQ] = s | SLEEPERS
              :: else -> s = mem[SEQ]; ok = false
              fi
          }
       :: else
       fi;
       if
       :: ok -> TOUCH; futex_wait(SEQ, (s | SLEEPERS), r); assert(r == 0 || r == -EAGAIN)
       :: else
       fi
#else
       TOUCH; futex_wait(SEQ, s, r); assert(r == 0 || r == -EAGAIN)
#endif
    od;
    s = 0; ok = false; r = 0
}

/* bar_leave (B4, B6) */
inline bar_leave()
{
    atomic { TOUCH; mem[OUT]++; v = mem[OUT]; inside-- };  /* B4 fetch_add_acqrel */
    if
    :: v == MAX_IN ->                                      /* B6 */
       atomic { TOUCH; assert(inside == 0); mem[SEQ] = 0 };
       atomic { TOUCH; mem[OUT] = 0 };
       atomic { TOUCH; mem[IN] = 0 };                      /* store_release: last access */
#ifndef BUG_RESET_NO_WAKE
       futex_wake(IN, WAKE_ALL, r);
#endif
       skip
    :: else
    fi;
    v = 0; r = 0
}

/* fuss_barrier_wait */
inline barrier_wait(res)
{
    do
    :: atomic {                                            /* B1 fetch_add_acqrel */
           TOUCH;
           mem[IN]++; i = mem[IN];
           if
           :: i <= MAX_IN -> taken++; g = taken; inside++
           :: else
           fi
       };
       if
       :: i <= MAX_IN -> break
       :: else -> bar_await_in(MAX_IN)                     /* B0 */
       fi
    od;
    bar_release(own);
    if
    :: !own -> bar_await()
    :: else
    fi;
    res = (i % COUNT == 0 -> SERIAL : 0);
    bar_leave();
    atomic {
        assert(taken >= ((g - 1) / COUNT + 1) * COUNT);    /* its round had all arrived */
        if
        :: res == SERIAL -> serial[(g - 1) / COUNT]++
        :: else
        fi
    };
    i = 0; own = false
}

/* fuss_barrier_destroy (B5) */
inline barrier_destroy(res)
{
    atomic { TOUCH; n = mem[IN] };                         /* load_relaxed */
    if
    :: n % COUNT != 0 || n > MAX_IN -> res = EBUSY
    :: else ->
       atomic { TOUCH; v = mem[OUT]; mem[OUT] = v + MAX_IN - n };  /* fetch_add_acqrel */
#ifndef BUG_DESTROY_NO_RESET_WAIT
       if
       :: v < n || n == MAX_IN -> bar_await_in(0)
       :: else
       fi;
#else
       if
       :: v < n -> bar_await_in(0)
       :: else
       fi;
#endif
       res = 0
    fi;
    n = 0; v = 0
}

proctype Thread()
{
    int i, s, v, r, n, res;
    byte g, k2, k;
    bool ok, own;
    for (k : 1 .. WAITS) {
        barrier_wait(res)
    };
#ifdef BCFG_DESTROY
    if
    :: g == TICKETS ->
       barrier_destroy(res);
       atomic { assert(res == 0); assert(inside == 0); destroyed = true }
    :: else
    fi;
#endif
    finished++
}

init
{
    byte t;
    atomic {
        for (t : 1 .. NT) { run Thread() }
    }
    finished == NT;
    for (t : 0 .. NROUNDS - 1) { assert(serial[t] == 1) }
#ifdef BCFG_DESTROY
    assert(destroyed)
#else
    assert(mem[IN] == mem[OUT] && RELEASED(mem[SEQ]) == mem[IN] && !(mem[SEQ] & SLEEPERS))
#endif
}
