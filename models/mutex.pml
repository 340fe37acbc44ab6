/*
 * mutex.pml — fuss_mutex_t (src/mutex.c), step by step, over futex.pml.
 *
 * The lock word: LOCKED 1, PARKED 2, STARVING 4 (SHARED never changes and is
 * left out).  Each atomic operation of the C is one Promela step; the
 * transitions (T1)..(T7) of mutex.c's table are cited where they happen.
 * Time is abstracted: the spin budget of lock_spin is SPIN_MAX iterations
 * (the C spins for FUSS_SPIN_NS; any shorter spin is also a behaviour, so
 * the loop may give up after any iteration); "the sleeper has waited longer
 * than FAIR_NS" is a nondeterministic choice each time an eligible sleeper
 * loops; a deadline (timedlock, or the FAIR_NS cap of a newcomer behind a
 * starving sleeper) may expire during any wait.
 *
 * Harness (MUTEX_HARNESS, the default; cond.pml includes this file without
 * it): NT threads (default 3), each ITER times (default 2): acquire, critical
 * section, unlock.  Thread 1 uses fuss_mutex_timedlock with -DMCFG_TIMED,
 * fuss_mutex_trylock with -DMCFG_TRY (and retries via lock on EBUSY).
 *
 * Properties:
 *   mutual exclusion     at most one thread in the critical section (assert);
 *   no lost wake-up      every thread finishes: a thread still asleep when
 *                        nobody can move is an invalid end state;
 *   unlock correctness   unlock by the owner never sees EPERM; at the end the
 *                        word is 0 or STARVING-free (a finished run leaves no
 *                        LOCKED bit);
 *   progress (-DMUTEX_LTL, run with pan -a -f)  under weak fairness every
 *                        thread finishes: no livelock in the retry loops.
 *
 * Injected bugs (each must be rejected):
 *   BUG_MISSING_WAKE     unlock_slow does not wake a sleeper (lost wake-up);
 *   BUG_NO_REPARK        a woken sleeper acquires without re-setting PARKED
 *                        (T3), so the next unlock takes the fast path and
 *                        the other sleepers are never woken;
 *   BUG_SPIN_LOAD_STORE  lock_spin takes the lock by a load and a store
 *                        instead of a CAS (mutual exclusion);
 *   BUG_SLEEP_UNPARKED   lock_park sleeps on the value it read, without
 *                        setting PARKED first (T4), so unlock does not wake;
 *   BUG_NO_FAIR_CAP      a newcomer behind STARVING sleeps without the
 *                        FAIR_NS cap: a STARVING bit left by a timed-out
 *                        starving sleeper blocks it forever (-DMCFG_TIMED).
 *
 * Run:  spin -a [-DMCFG_TIMED|-DMCFG_TRY] [-DBUG_...] mutex.pml
 *       gcc -O0 -DSAFETY -DMEMLIM=1024 -o pan pan.c && ./pan -m100000
 * Progress: spin -a -DMUTEX_LTL mutex.pml
 *       gcc -O0 -DMEMLIM=1024 -DNFAIR=4 -o pan pan.c && ./pan -a -f -m100000
 */
#ifndef MUTEX_PML
#define MUTEX_PML

#ifndef NWORDS
#define NWORDS 1
#endif
#ifndef NT
#define NT 3
#endif
#ifndef NPROC
#define NPROC (NT + 1)
#endif
#ifndef ITER
#define ITER 2
#endif
#ifndef SPIN_MAX
#define SPIN_MAX 1
#endif

#include "futex.pml"

#define LOCKED   1
#define PARKED   2
#define STARVING 4
#define EBUSY    16
#define EPERM    1
#define IS_FREE(s) (((s) & LOCKED) == 0)

/* a32_cas_*(w, &s, new): on failure s receives the current value. */
inline cas(w, s, new, ok)
{
    atomic {
        if
        :: mem[w] == s -> mem[w] = new; ok = true
        :: else -> s = mem[w]; ok = false
        fi
    }
}

/* lock_spin (T2): only while nobody sleeps or starves. */
inline lock_spin(w, got)
{
    got = false;
    n = 0;
    do
    :: n < SPIN_MAX ->
        s = mem[w];
        if
        :: s & (PARKED | STARVING) -> break
        :: else
        fi;
        if
        :: IS_FREE(s) ->
#ifndef BUG_SPIN_LOAD_STORE
            cas(w, s, s | LOCKED, ok);
#else
            mem[w] = s | LOCKED; ok = true;
#endif
            if :: ok -> got = true; break :: else fi
        :: else
        fi;
        n++                                /* cpu_relax() */
    :: n < SPIN_MAX -> break               /* the time budget ran out early */
    :: n >= SPIN_MAX -> break
    od;
    n = 0; ok = false
}

/* lock_park: (T3), (T4), (T5).  timed: the caller has a deadline (dl). */
inline lock_park(w, timed, eligible, res)
{
    slept = false;
    do
    :: s = mem[w];
       if
       :: IS_FREE(s) && (eligible || !(s & STARVING)) ->
#ifndef BUG_NO_REPARK
            cas(w, s, (s | LOCKED | PARKED) & ~STARVING, ok);     /* (T3) */
#else
            cas(w, s, (s | LOCKED) & ~STARVING, ok);
#endif
            if :: ok -> res = 0; break :: else fi                 /* continue */
       :: else ->
#ifndef BUG_SLEEP_UNPARKED
            sleep_on = s | PARKED;                                /* (T4) */
#else
            sleep_on = s;
#endif
            if
            :: eligible && slept -> sleep_on = sleep_on | STARVING  /* (T5): waited > FAIR_NS */
            :: eligible && slept -> skip
            :: else
            fi;
            if
            :: sleep_on != s -> cas(w, s, sleep_on, ok)           /* else continue */
            :: else -> ok = true
            fi;
            if
            :: ok ->
                /* a newcomer behind a starving sleeper waits FAIR_NS at most */
#ifndef BUG_NO_FAIR_CAP
                capped = (!eligible && (sleep_on & STARVING));
#else
                capped = false;
#endif
                slept = true;                                     /* first_sleep */
                if
                :: timed || capped -> futex_timedwait(w, sleep_on, r)
                :: else -> futex_wait(w, sleep_on, r)
                fi;
                eligible = true;
                /* until == dl: no cap, or the cap returned dl because dl
                 * came first (fuss__deadline_cap) */
                if
                :: r == -ETIMEDOUT && (!capped || timed) -> res = ETIMEDOUT; break
                :: !(r == -ETIMEDOUT && !capped) -> skip
                fi
            :: else
            fi
       fi
    od;
    s = 0; sleep_on = 0; slept = false; capped = false; ok = false; r = 0
}

/* lock_slow */
inline lock_slow(w, timed, res)
{
    lock_spin(w, got);
    if
    :: got -> res = 0
    :: else -> lock_park(w, timed, eligible, res)
    fi;
    got = false; eligible = false
}

/* fuss_mutex_lock / fuss_mutex_timedlock */
inline mutex_lock(w, timed, res)
{
    s = 0;
    cas(w, s, LOCKED, ok);                                           /* (T1) */
    if
    :: ok -> res = 0
    :: else -> eligible = false; lock_slow(w, timed, res)
    fi;
    s = 0; ok = false
}

/* fuss_mutex_trylock */
inline mutex_trylock(w, res)
{
    s = 0;
    cas(w, s, LOCKED, ok);                                           /* (T1) */
    do
    :: ok -> break
    :: !ok && IS_FREE(s) && !(s & STARVING) -> cas(w, s, s | LOCKED, ok)
    :: else -> break
    od;
    res = (ok -> 0 : EBUSY);
    s = 0; ok = false
}

/* unlock_slow (T7) */
inline unlock_slow(w, res)
{
    s = mem[w];
    do
    :: !(s & LOCKED) -> res = EPERM; break
    :: else ->
        cas(w, s, s & STARVING, ok);
        if
        :: ok ->
            res = 0;
#ifndef BUG_MISSING_WAKE
            if
            :: s & PARKED -> futex_wake(w, 1, r)
            :: else
            fi;
#endif
            break
        :: else
        fi
    od;
    s = 0; ok = false; r = 0
}

/* fuss_mutex_unlock */
inline mutex_unlock(w, res)
{
    s = LOCKED;
    cas(w, s, 0, ok);                                                /* (T6) */
    if
    :: ok -> res = 0
    :: else -> unlock_slow(w, res)
    fi;
    s = 0; ok = false
}

/* fuss__mutex_relock: re-acquire as a thread that has slept on the word. */
inline mutex_relock(w, timed, res)
{
    eligible = true;
    lock_park(w, timed, eligible, res);
    eligible = false
}

/* fuss__mutex_mark_parked */
inline mutex_mark_parked(w)
{
    atomic { s = mem[w]; mem[w] = s | PARKED };
    if
    :: IS_FREE(s) -> futex_wake(w, 1, r)
    :: else
    fi;
    s = 0; r = 0
}

/* the locals every thread using the mutex inlines declares */
#define MUTEX_LOCALS \
    int s, sleep_on, r; byte n; bool ok, got, eligible, slept, capped

#ifndef MUTEX_NO_HARNESS
#define M 0
byte in_cs;
byte finished;

proctype T(byte id)
{
    MUTEX_LOCALS;
    int res;
    byte k;
    for (k : 1 .. ITER) {
#if defined(MCFG_TIMED)
        if
        :: id == 1 -> mutex_lock(M, true, res)
        :: else -> mutex_lock(M, false, res)
        fi;
#elif defined(MCFG_TRY)
        if
        :: id == 1 ->
            mutex_trylock(M, res);
            if :: res == EBUSY -> mutex_lock(M, false, res) :: else fi
        :: else -> mutex_lock(M, false, res)
        fi;
#else
        mutex_lock(M, false, res);
#endif
        if
        :: res == 0 ->
            in_cs++;
            assert(in_cs == 1);                     /* mutual exclusion */
            in_cs--;
            mutex_unlock(M, res);
            assert(res == 0)
        :: else -> assert(res == ETIMEDOUT)
        fi
    };
    finished++
}

init
{
    byte i;
    atomic {
        for (i : 1 .. NT) { run T(i) }
    }
    finished == NT;
    assert(!(mem[M] & LOCKED))
}

#ifdef MUTEX_LTL
ltl all_finish { <> (finished == NT) }
#endif
#endif /* MUTEX_NO_HARNESS */
#endif /* MUTEX_PML */
