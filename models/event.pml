/*
 * event.pml — fuss_event_t (src/event.c: fuss_event_set, fuss_event_reset,
 * ev_sleep, ev_wait_manual, ev_wait_auto, ev_wait), step by step, over
 * futex.pml.
 *
 * The event word: SET 1, WAITERS 2, AUTO 4, GEN from bit 4 (rows (1)-(5) of
 * event.c's table; SHARED never changes and is left out).  Each atomic of the
 * C is one Promela step; E1/E2/A1/A2/A3/R are cited where they happen.
 * Waits are untimed; the latch is not modelled.
 *
 * Harness, manual mode (default): NW waiters (default 2) call
 * fuss_event_wait while one setter calls fuss_event_set, in any interleaving.
 * With -DECFG_RESET the setter waits until every waiter is asleep on the word
 * (a wait that overlaps a set+reset may rightly miss it), then calls
 * fuss_event_set and at once fuss_event_reset, so a woken sleeper may find
 * SET already off: only GEN releases it.
 * Harness, auto-reset mode (-DECFG_AUTO): NW waiters; one setter calls
 * fuss_event_set NW times, each time after the previous set was consumed
 * (sets on an already-set event coalesce, by design).
 *
 * Properties:
 *   no lost wake-up      a waiter blocked when set is called returns: every
 *                        thread finishes, a thread still asleep when nobody
 *                        can move is an invalid end state;
 *   no early release     a waiter returns only after a set (assert);
 *   one per set (auto)   an auto-reset event releases at most one waiter per
 *                        set (assert released <= sets), and at the end all NW
 *                        were released and SET is off.
 *
 * Injected bugs (each must be rejected):
 *   BUG_NO_GEN           manual set does not bump GEN (E1): a sleeper woken
 *                        after the reset sees SET off and sleeps again
 *                        (-DECFG_RESET);
 *   BUG_SET_NO_WAKE      set does not wake (E1, A1);
 *   BUG_AUTO_NO_REARM    an auto waiter that slept takes SET without putting
 *                        WAITERS back (A3): the next set wakes nobody
 *                        (-DECFG_AUTO).
 *
 * Run:  spin -a [-DECFG_AUTO] [-DBUG_...] event.pml
 *       gcc -O0 -DSAFETY -DMEMLIM=1024 -o pan pan.c && ./pan -m100000
 */
#define NWORDS 1
#ifndef NW
#define NW 2
#endif
#define NPROC (NW + 2)

#include "futex.pml"

#define EV_SET     1
#define EV_WAITERS 2
#define EV_AUTO    4
#define EV_GEN_ONE 16
#define GEN(s)     ((s) / EV_GEN_ONE)

#define E 0
byte sets;         /* sets that turned SET on */
#if NW == 2
#define ALL_ASLEEP (asleep[1] && asleep[2])
#elif NW == 3
#define ALL_ASLEEP (asleep[1] && asleep[2] && asleep[3])
#endif
byte released;     /* waiters that returned */
byte finished;

inline cas(w, es, new, eok)
{
    atomic {
        if
        :: mem[w] == es -> mem[w] = new; eok = true
        :: else -> es = mem[w]; eok = false
        fi
    }
}

/* fuss_event_reset (R) */
inline event_reset()
{
    atomic { mem[E] = mem[E] & ~EV_SET }                       /* fetch_and */
}

/* fuss_event_set (E1, A1) */
inline event_set()
{
    s = mem[E];
    do
    :: s & EV_SET -> ok = false; break                         /* coalesce */
    :: else ->
        n = (s | EV_SET) & ~EV_WAITERS;
#ifndef BUG_NO_GEN
        if :: !(s & EV_AUTO) -> n = n + EV_GEN_ONE :: else fi; /* E1 */
#endif
        atomic {                                               /* cas_rel */
            cas(E, s, n, ok);
            if :: ok -> sets++ :: else fi                      /* (bookkeeping) */
        };
        if :: ok -> break :: else fi
    od;
#ifndef BUG_SET_NO_WAKE
    if
    :: ok && (s & EV_WAITERS) ->
        if
        :: s & EV_AUTO -> futex_wake(E, 1, r)                  /* A1 */
        :: else -> futex_wake(E, WAKE_ALL, r)                  /* E1 */
        fi
    :: else
    fi;
#endif
    s = 0; n = 0; ok = false; r = 0
}

/* ev_sleep: WAITERS on, then sleep expecting that word (untimed: r = 0) */
inline ev_sleep(es)
{
    ok = true;
    if
    :: !(es & EV_WAITERS) ->
        cas(E, es, es | EV_WAITERS, ok);                       /* moved: look again */
        if :: ok -> es = es | EV_WAITERS :: else fi
    :: else
    fi;
    if
    :: ok -> futex_wait(E, es, r); assert(r == 0 || r == -EAGAIN)
    :: else
    fi;
    ok = false; r = 0
}

/* ev_wait_manual (E2) */
inline ev_wait_manual()
{
    gen = GEN(s);
    do
    :: ev_sleep(s);                                            /* E2 */
       s = mem[E];                                             /* load_acquire */
       if
       :: (s & EV_SET) || GEN(s) != gen -> break
       :: else
       fi
    od
}

/* ev_wait_auto (A2, A3) */
inline ev_wait_auto()
{
    slept = 0;
    do
    :: s & EV_SET ->                                           /* A3 */
#ifndef BUG_AUTO_NO_REARM
        cas(E, s, (s & ~EV_SET) | slept, ok);
#else
        cas(E, s, s & ~EV_SET, ok);
#endif
        if :: ok -> break :: else fi
    :: else ->
        ev_sleep(s);                                           /* A2 */
        slept = EV_WAITERS;
        s = mem[E]
    od
}

/* ev_wait */
inline event_wait()
{
    s = mem[E];
    if
    :: s & EV_AUTO ->
        n = s;
        if
        :: s & EV_SET -> cas(E, n, s & ~EV_SET, ok)            /* A3 fast */
        :: else -> ok = false
        fi;
        if
        :: ok -> skip
        :: else -> s = n; ev_wait_auto()
        fi
    :: else ->
        if
        :: s & EV_SET -> skip
        :: else -> ev_wait_manual()
        fi
    fi;
    s = 0; n = 0; gen = 0; slept = 0; ok = false
}

#define EV_LOCALS int s, n, gen, r, slept; bool ok

proctype Waiter()
{
    EV_LOCALS;
    event_wait();
    atomic {
        released++;
        assert(sets > 0);                                      /* no early release */
#ifdef ECFG_AUTO
        assert(released <= sets)                               /* one per set */
#endif
    };
    finished++
}

proctype Setter()
{
    EV_LOCALS;
#ifdef ECFG_AUTO
    byte j;
    for (j : 1 .. NW) {
        event_set();
        released >= j                                          /* consumed */
    };
#elif defined(ECFG_RESET)
    ALL_ASLEEP;                                                /* blocked waiters */
    event_set();
    event_reset();
#else
    event_set();
#endif
    finished++
}

init
{
    byte i;
    atomic {
#ifdef ECFG_AUTO
        mem[E] = EV_AUTO;                                      /* fuss_event_init */
#endif
        for (i : 1 .. NW) { run Waiter() };
        run Setter()
    }
    finished == NW + 1;
    assert(released == NW);
#ifdef ECFG_AUTO
    assert(!(mem[E] & EV_SET))
#endif
}
