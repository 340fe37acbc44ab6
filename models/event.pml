/*
 * event.pml — fuss_event_t (src/event.c: fuss_event_set, fuss_event_reset,
 * ev_sleep, ev_wait_manual, ev_wait_auto, ev_wait), step by step, over
 * futex.pml.
 *
 * The event word: SET 1, WAITERS 2, AUTO 4, GEN from bit 4 (rows (1)-(5) of
 * event.c's table; SHARED never changes and is left out).  Each atomic of the
 * C is one Promela step; E1/E2/A1/A2/A3/R are cited where they happen.
 * With -DECFG_TIMED waiter 1 calls fuss_event_timedwait: its sleeps are
 * futex_timedwait (the deadline may pass during any of them; once it has,
 * every later sleep may give up at once), ev_sleep returns ETIMEDOUT, and
 * the give-up steps of ev_wait_manual (return ETIMEDOUT only if neither SET
 * nor GEN moved) and ev_wait_auto (only if SET is off; otherwise try A3
 * again) are modelled.  The latch is not modelled.
 *
 * Harness, manual mode (default): NW waiters (default 2) call
 * fuss_event_wait while one setter calls fuss_event_set, in any interleaving.
 * With -DECFG_RESET the setter waits until every waiter is asleep on the word
 * (a wait that overlaps a set+reset may rightly miss it), then calls
 * fuss_event_set and at once fuss_event_reset, so a woken sleeper may find
 * SET already off: only GEN releases it.
 * Harness, auto-reset mode (-DECFG_AUTO): NW waiters; one setter calls
 * fuss_event_set NW times, each time after the previous set was consumed
 * (sets on an already-set event coalesce, by design); with -DECFG_TIMED it
 * sets again after each consumed set until every waiter has returned
 * (released or timed out), so the last set may stay pending.
 * -DECFG_TIMED with -DECFG_RESET: the setter waits until every waiter is
 * asleep or (the timed one) has given up.
 *
 * Properties:
 *   no lost wake-up      a waiter blocked when set is called returns: every
 *                        thread finishes, a thread still asleep when nobody
 *                        can move is an invalid end state;
 *   no early release     a waiter returns only after a set (assert);
 *   one per set (auto)   an auto-reset event releases at most one waiter per
 *                        set (assert released <= sets), and at the end all NW
 *                        were released and SET is off;
 *   timed (ECFG_TIMED)   every waiter returns (released or ETIMEDOUT); manual:
 *                        a timed wait returns ETIMEDOUT only if no set turned
 *                        SET on between its first and its last load of the
 *                        word (ghost t_in/t_owed; "a set is never missed by a
 *                        thread that was already waiting", event.h); auto: no
 *                        set swallowed, every set released exactly one waiter
 *                        or is still pending at the end (released + SET ==
 *                        sets).
 *
 * Injected bugs (each must be rejected):
 *   BUG_NO_GEN           manual set does not bump GEN (E1): a sleeper woken
 *                        after the reset sees SET off and sleeps again
 *                        (-DECFG_RESET);
 *   BUG_SET_NO_WAKE      set does not wake (E1, A1);
 *   BUG_AUTO_NO_REARM    an auto waiter that slept takes SET without putting
 *                        WAITERS back (A3): the next set wakes nobody
 *                        (-DECFG_AUTO);
 *   BUG_TIMEOUT_FIRST    ev_wait_manual returns ETIMEDOUT as soon as the sleep
 *                        timed out, before looking at SET and GEN: a set that
 *                        came after the timeout, before the waiter looked, is
 *                        missed (-DECFG_TIMED);
 *   BUG_AUTO_TIMEOUT_AS_SET  ev_wait_auto's give-up step returns 0 when it
 *                        sees SET, without taking it (A3), as the manual wait
 *                        may: the set counts as released and stays on for
 *                        another waiter (-DECFG_TIMED -DECFG_AUTO).
 *
 * Run:  spin -a [-DECFG_AUTO] [-DECFG_TIMED] [-DBUG_...] event.pml
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
#ifndef ECFG_TIMED
#define W1_ASLEEP asleep[1]
#else
#define W1_ASLEEP (asleep[1] || gaveup > 0)  /* the timed waiter may be gone */
#endif
#if NW == 2
#define ALL_ASLEEP (W1_ASLEEP && asleep[2])
#elif NW == 3
#define ALL_ASLEEP (W1_ASLEEP && asleep[2] && asleep[3])
#endif
byte released;     /* waiters that returned */
byte finished;
#ifdef ECFG_TIMED
byte gaveup;       /* waiters that returned ETIMEDOUT */
bool t_in;         /* manual: the timed waiter is between its first and last load */
bool t_owed;       /* manual: a set turned SET on meanwhile: it must return 0 */
#ifndef ECFG_AUTO
#define T_OWE if :: t_in -> t_owed = true :: else fi
#endif
#endif
#ifndef T_OWE
#define T_OWE skip
#endif

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
            if :: ok -> sets++; T_OWE :: else fi               /* (bookkeeping) */
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

/* ev_sleep: WAITERS on, then sleep expecting that word; r = 0, or
 * ETIMEDOUT (tmd: fuss__wait with a deadline) */
inline ev_sleep(es, tmd)
{
    ok = true;
    if
    :: !(es & EV_WAITERS) ->
        cas(E, es, es | EV_WAITERS, ok);                       /* moved: look again */
        if :: ok -> es = es | EV_WAITERS :: else fi
    :: else
    fi;
#ifndef ECFG_TIMED
    if
    :: ok -> futex_wait(E, es, r); assert(r == 0 || r == -EAGAIN)
    :: else
    fi;
    ok = false; r = 0
#else
    if
    :: ok ->
        if
        :: tmd -> futex_timedwait(E, es, r)
        :: else -> futex_wait(E, es, r)
        fi;
        assert(r == 0 || r == -EAGAIN || r == -ETIMEDOUT);
        if :: r == -ETIMEDOUT -> r = ETIMEDOUT :: else -> r = 0 fi
    :: else
    fi;
    ok = false
#endif
}

/* ev_wait_manual (E2) */
inline ev_wait_manual(tmd)
{
    gen = GEN(s);
    do
    :: ev_sleep(s, tmd);                                       /* E2 */
#ifndef ECFG_TIMED
       s = mem[E];                                             /* load_acquire */
       if
       :: (s & EV_SET) || GEN(s) != gen -> break
       :: else
       fi
#else
       atomic {
           s = mem[E];                                         /* load_acquire */
           if :: r != 0 -> t_in = false :: else fi             /* (its last load) */
       };
#ifdef BUG_TIMEOUT_FIRST
       if :: r != 0 -> res = ETIMEDOUT; break :: else fi;
#endif
       if
       :: (s & EV_SET) || GEN(s) != gen -> break
       :: else ->
           if :: r != 0 -> res = ETIMEDOUT; break :: else fi    /* give up */
       fi
#endif
    od
}

/* ev_wait_auto (A2, A3) */
inline ev_wait_auto(tmd)
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
        ev_sleep(s, tmd);                                      /* A2 */
        slept = EV_WAITERS;
        s = mem[E]
#ifdef ECFG_TIMED
        ;
#ifndef BUG_AUTO_TIMEOUT_AS_SET
        if :: r != 0 && !(s & EV_SET) -> res = ETIMEDOUT; break :: else fi  /* give up */
#else
        if
        :: r != 0 && !(s & EV_SET) -> res = ETIMEDOUT; break
        :: r != 0 && (s & EV_SET) -> break                     /* "released" */
        :: else
        fi
#endif
#endif
    od
}

/* ev_wait (fuss_event_wait, tmd: fuss_event_timedwait); res = 0 or ETIMEDOUT */
inline event_wait(tmd)
{
#if defined(ECFG_TIMED) && !defined(ECFG_AUTO)
    atomic { s = mem[E]; if :: tmd -> t_in = true :: else fi }  /* load_acquire */
#else
    s = mem[E];
#endif
    if
    :: s & EV_AUTO ->
        n = s;
        if
        :: s & EV_SET -> cas(E, n, s & ~EV_SET, ok)            /* A3 fast */
        :: else -> ok = false
        fi;
        if
        :: ok -> skip
        :: else -> s = n; ev_wait_auto(tmd)
        fi
    :: else ->
        if
        :: s & EV_SET -> skip
        :: else -> ev_wait_manual(tmd)
        fi
    fi;
    s = 0; n = 0; gen = 0; slept = 0; ok = false; r = 0
}

#define EV_LOCALS int s, n, gen, r, slept, res; bool ok

/* tmd: waiter 1 with -DECFG_TIMED */
proctype Waiter(bool tmd)
{
    EV_LOCALS;
    event_wait(tmd);
    if
    :: atomic {
        res == 0 ->
        released++;
        assert(sets > 0);                                      /* no early release */
#ifdef ECFG_AUTO
        assert(released <= sets)                               /* one per set */
#endif
       }
#ifdef ECFG_TIMED
    :: atomic {
        res != 0 ->                                            /* ETIMEDOUT */
        gaveup++;
#ifndef ECFG_AUTO
        assert(!t_owed)                                        /* no set missed */
#endif
       }
#endif
    fi;
    finished++
}

proctype Setter()
{
    EV_LOCALS;
#if defined(ECFG_AUTO) && defined(ECFG_TIMED)
    byte j;
    do
    :: released + gaveup == NW -> break
    :: else ->
        event_set();
        j++;
        released >= j || released + gaveup == NW               /* consumed, or all gone */
    od;
#elif defined(ECFG_AUTO)
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
#ifndef ECFG_TIMED
        for (i : 1 .. NW) { run Waiter(false) };
#else
        for (i : 1 .. NW) { run Waiter(i == 1) };
#endif
        run Setter()
    }
    finished == NW + 1;
#ifndef ECFG_TIMED
    assert(released == NW);
#ifdef ECFG_AUTO
    assert(!(mem[E] & EV_SET))
#endif
#else
    assert(released + gaveup == NW);
#ifdef ECFG_AUTO
    assert(released + (mem[E] & EV_SET) == sets)               /* no set swallowed */
#endif
#endif
}
