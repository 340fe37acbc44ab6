/*
 * mutex.pml — fuss_mutex_t (src/mutex.c), step by step, over futex.pml.
 *
 * The lock word: LOCKED 1, PARKED 2, STARVING 4, HANDOFF 8 (SHARED never
 * changes and is left out).  Each atomic operation of the C is one Promela
 * step; the transitions (T1)..(T10) of mutex.c's table are cited where they
 * happen.  Time is abstracted: the spin budget of lock_spin is SPIN_MAX
 * iterations (the C spins for FUSS_SPIN_NS; any shorter spin is also a
 * behaviour, so the loop may give up after any iteration); "the sleeper has
 * waited longer than FAIR_NS" is a nondeterministic choice each time an
 * eligible sleeper that has slept loops; a deadline (timedlock), or the
 * FAIR_NS cap of a newcomer behind a starver, may expire during any wait.
 * The SLICE_NS cap on every sleep is left out (a sleep that ends early is a
 * spurious wake-up, see futex.pml), except with -DMCFG_STALE, where every
 * sleep may end at it, and the C's stale-STARVING rule for process-shared
 * words applies to the one word: a claimer whose capped sleep on a word in
 * transit timed out, and that finds the same value, clears STARVING (any
 * such extra clearing must be safe).
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
 *                        word holds no LOCKED, STARVING or HANDOFF bit (a
 *                        starver that timed out left nothing behind);
 *   word invariant       after every write: HANDOFF => STARVING =>
 *                        LOCKED (the lock is never free while a sleeper
 *                        starves) (assert);
 *   no barging           a thread that has not slept never acquires while
 *                        STARVING is set, in particular never claims a
 *                        hand-off (assert);
 *   starver served       STARVING is cleared only by the thread that set it
 *                        (when it gets the lock, or gives up), except by the
 *                        stale rule of -DMCFG_STALE (ghost m_starver, assert);
 *   no touch after release  (harness) no thread reads or writes the word
 *                        while no thread is in a lock call, holds the lock
 *                        or is in unlock before its releasing (or handing-
 *                        off) CAS: at such a moment the mutex could be
 *                        destroyed and freed (ghost users, assert);
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
 *   BUG_NEWCOMER_CLAIMS  a thread that has not slept claims a hand-off (T9
 *                        without eligibility): barging past the starver;
 *   BUG_CLAIM_DROPS_PARKED  the claim (T9) clears PARKED: the other
 *                        sleepers are never woken;
 *   BUG_STARVER_LEAVES   a starver whose deadline passed returns ETIMEDOUT
 *                        without T10 (-DMCFG_TIMED): its STARVING bit stays,
 *                        and a hand-off may wait for it for ever;
 *   BUG_UNDO_HANDOFF     the hand-off first suggested: T8 also clears PARKED,
 *                        and an unlock whose wake woke nobody takes the
 *                        hand-off back by CAS: it touches a word that an
 *                        eligible thread outside the queue may already have
 *                        claimed, unlocked and freed;
 *   BUG_HANDOFF_ENDS_STARVING  T8 clears STARVING (one hand-off per starving
 *                        episode, to whoever claims): the starver is not
 *                        served;
 *   BUG_FORK_NO_STALE    (-DMCFG_FORK) the code before issue 22's fix: no
 *                        STARVER field, a STARVING bit is never stale, so
 *                        the fork child's unlock hands the lock to a
 *                        starver that is not there and its trylock answers
 *                        EBUSY on a mutex nobody holds (or, forked in
 *                        transit, nobody but a 1 ms newcomer claims it).
 *
 * Fork (-DMCFG_FORK; the C's FORK rule): thread 1 forks once, at any point
 * of its round: while it holds the lock (the pthread_atfork pattern) or
 * after its unlock (perhaps with the lock in transit).  From then on the
 * other threads stop where they are and never run again (each one's body
 * is escaped by "unless forked"; what it left in the word and the futex
 * queue stays: a wake may pick a stopped sleeper, as the emulated
 * backend's queue may), and thread 1 is the child.  STARVER is modelled as
 * the field 16 (the parent's pid) or 32 (the child's).  The child unlocks
 * what it held; then, unless a stopped thread holds the lock (LOCKED, not
 * in transit: locked for ever, as POSIX says), its trylock must succeed,
 * its unlock must leave no LOCKED, STARVING, HANDOFF or STARVER bit, and a
 * lock must not block (an invalid end state if it does).
 *
 * Run:  spin -a [-DMCFG_TIMED|-DMCFG_TRY|-DMCFG_STALE|-DMCFG_FORK] [-DBUG_...] mutex.pml
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
#define HANDOFF  8
#define EBUSY    16
#define EPERM    1
#define STARVER  48   /* the starver's pid: 16 the parent, 32 the fork child */
#define IS_FREE(s) (((s) & LOCKED) == 0)
#define IN_TRANSIT(s) (((s) & (LOCKED | HANDOFF)) == (LOCKED | HANDOFF))

/* the process: whether thread 1 has forked (MCFG_FORK).  Without fork the
 * pid is a constant: reading a global in every stale check would cost spin
 * its partial-order reduction (twice the states). */
bool forked;
#ifdef MCFG_FORK
#define MY_PID (forked -> 32 : 16)
#else
#define MY_PID 16
#endif
/* stale_starver(): STARVING set by a thread of another process (FORK) */
#ifndef BUG_FORK_NO_STALE
#define STALE_STARVER(s) (((s) & STARVING) && ((s) & STARVER) != MY_PID)
#define STARVER_TAG MY_PID
#else
#define STALE_STARVER(s) false
#define STARVER_TAG 0
#endif

/* HANDOFF => STARVING => LOCKED, and STARVER only with STARVING.  (PARKED
 * is set too while STARVING is, but a missing PARKED is left to the
 * lost-wake-up check.) */
#define WORD_INV(v) ((!((v) & HANDOFF) || ((v) & STARVING)) && \
                     (!((v) & STARVING) || ((v) & LOCKED)) && \
                     (!((v) & STARVER) || ((v) & STARVING)))

/* Clearing STARVING by a thread other than its setter is allowed by the
 * stale rule (MCFG_STALE), and by BUG_UNDO_HANDOFF's release, so that
 * this variant shows its own defect (the touch after release). */
#ifdef MCFG_STALE
#define STALE 1
#else
#define STALE 0
#endif
#if defined(MCFG_STALE) || defined(BUG_UNDO_HANDOFF) || defined(MCFG_FORK)
#define ANY_CLEARS 1
#else
#define ANY_CLEARS 0
#endif

/* ghost: the thread whose STARVING bit the word holds (0: none) */
byte m_starver;

/* ghost (harness only): threads in a lock call, holding the lock, or in
 * unlock before its releasing CAS; the mutex may be freed when it is 0. */
#ifndef MUTEX_NO_HARNESS
byte users;
#define TOUCHABLE     assert(users > 0)
#define USER_ENTER    users++
#define USER_LEAVE    users--
#else
#define TOUCHABLE     skip
#define USER_ENTER    skip
#define USER_LEAVE    skip
#endif

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

/* A CAS on the mutex word, with the ghost checks.  rel: it is unlock's
 * releasing (or handing-off) CAS, after which the caller is no user. */
inline mcas_(w, s, new, ok, rel)
{
    atomic {
        TOUCHABLE;
        if
        :: mem[w] == s ->
            /* (new): an inline's argument is pasted as text, and callers
             * pass expressions such as s | HANDOFF */
            if
            :: ((new) & STARVING) && !(s & STARVING) -> m_starver = _pid
            :: !((new) & STARVING) && (s & STARVING) ->
                assert(m_starver == _pid || ANY_CLEARS);    /* starver served */
                m_starver = 0
            :: else
            fi;
            mem[w] = (new); ok = true;
            assert(WORD_INV(new));
            if :: rel -> USER_LEAVE :: else fi
        :: else -> s = mem[w]; ok = false
        fi
    }
}
#define mcas(w, s, new, ok)  mcas_(w, s, new, ok, false)
#define rcas(w, s, new, ok)  mcas_(w, s, new, ok, true)

inline mload(w, s)
{
    atomic { TOUCHABLE; s = mem[w] }
}

/* lock_spin (T2): only while nobody sleeps, starves or is handed the lock. */
inline lock_spin(w, got)
{
    got = false;
    n = 0;
    do
    :: n < SPIN_MAX ->
        mload(w, s);
        if
        :: s & (PARKED | STARVING | HANDOFF) -> break
        :: else
        fi;
        if
        :: IS_FREE(s) ->
#ifndef BUG_SPIN_LOAD_STORE
            mcas(w, s, s | LOCKED, ok);
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

/* take: (T9) claim a hand-off, or (T3) take a free word. */
inline take(w, clear_starving)
{
#ifndef BUG_CLAIM_DROPS_PARKED
    nw = (s | LOCKED | PARKED) & ~HANDOFF;
#else
    nw = (IN_TRANSIT(s) -> (s & ~(HANDOFF | PARKED)) : (s | LOCKED | PARKED));
#endif
#ifdef BUG_NO_REPARK
    if :: IS_FREE(s) -> nw = nw & ~PARKED :: else fi;
#endif
    if :: clear_starving -> nw = nw & ~(STARVING | STARVER) :: else fi;
    mcas(w, s, nw, ok);
    /* no barging: only a thread that has slept acquires while one starves
     * (but anyone claims an orphan hand-off, T11) */
    assert(!ok || eligible || !(s & STARVING) || STALE_STARVER(s));
    nw = 0
}

/* give_up (T10): the deadline passed. */
inline give_up(w, res)
{
    res = ETIMEDOUT;
#ifndef BUG_STARVER_LEAVES
    if
    :: starver ->
        mload(w, s);
        do
        :: IN_TRANSIT(s) ->
            take(w, true);
            if :: ok -> res = 0; break :: else fi       /* (T9) served at the deadline */
        :: !IN_TRANSIT(s) && !(s & STARVING) -> break
        :: !IN_TRANSIT(s) && (s & STARVING) ->
            mcas(w, s, s & ~(STARVING | STARVER), ok);
            if :: ok -> break :: else fi
        od
    :: else
    fi
#endif
}

/* lock_park: (T3), (T4), (T5), (T9), (T10).  timed: the caller has a
 * deadline (dl).  eligible: it has slept on the word (or is a condvar
 * waiter re-locking). */
inline lock_park(w, timed, eligible, res)
{
    slept = false; starver = false; stale_on = 0;
    do
    :: mload(w, s);
       if
#ifndef BUG_NEWCOMER_CLAIMS
       :: IS_FREE(s) || (IN_TRANSIT(s) && (eligible || STALE_STARVER(s))) ->
#else
       :: IS_FREE(s) || IN_TRANSIT(s) ->
#endif
            /* (T3), (T9), (T11) */
            take(w, starver || (STALE && s == stale_on) || (!eligible && STALE_STARVER(s)));
            if :: ok -> res = 0; break :: else fi                 /* continue */
       :: else ->
#ifndef BUG_SLEEP_UNPARKED
            sleep_on = s | PARKED;                                /* (T4) */
#else
            sleep_on = s;
#endif
            starve = false;
            if
            :: eligible && slept && !(s & (STARVING | HANDOFF)) ->
                starve = true;                                    /* waited > FAIR_NS */
                sleep_on = sleep_on | STARVING | STARVER_TAG      /* (T5) */
            :: true
            fi;
            if
            :: sleep_on != s -> mcas(w, s, sleep_on, ok)          /* else continue */
            :: else -> ok = true
            fi;
            if
            :: ok ->
                starver = starver || starve;
                /* a newcomer behind a starver sleeps FAIR_NS at most */
                capped = (!eligible && (sleep_on & STARVING));
                slept = true;                                     /* first_sleep */
                if
                :: timed || capped || STALE -> futex_timedwait(w, sleep_on, r)
                :: else -> futex_wait(w, sleep_on, r)
                fi;
                if
                :: r == -EAGAIN -> skip                           /* never slept */
                :: else ->
                    eligible = true;
                    /* a timeout is the deadline (until == dl), or a cap:
                     * FAIR_NS (capped), SLICE_NS (MCFG_STALE); which one
                     * came first is open when both apply */
                    stale_on = 0;
                    if
                    :: r == -ETIMEDOUT && timed -> give_up(w, res); break   /* (T10) */
                    :: r == -ETIMEDOUT && (capped || STALE) ->
                        if :: IN_TRANSIT(sleep_on) -> stale_on = sleep_on :: else fi
                    :: r != -ETIMEDOUT -> skip
                    fi
                fi
            :: else
            fi
       fi
    od;
    s = 0; sleep_on = 0; slept = false; starve = false; starver = false; capped = false;
    stale_on = 0; ok = false; r = 0
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
    atomic { USER_ENTER; mcas(w, s, LOCKED, ok) };                    /* (T1) */
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
    atomic { USER_ENTER; mcas(w, s, LOCKED, ok) };                    /* (T1) */
    do
    :: ok -> break
    :: !ok && IS_FREE(s) && !(s & STARVING) -> mcas(w, s, (s | LOCKED) & ~HANDOFF, ok)
    :: !ok && IN_TRANSIT(s) && STALE_STARVER(s) ->                    /* (T11) */
        mcas(w, s, s & ~(HANDOFF | STARVING | STARVER), ok)
    :: else -> break
    od;
    res = (ok -> 0 : EBUSY);
    if :: !ok -> USER_LEAVE :: else fi;
    s = 0; ok = false
}

/* unlock_slow (T7), (T8) */
inline unlock_slow(w, res)
{
    mload(w, s);
    do
    :: (s & (LOCKED | HANDOFF)) != LOCKED -> res = EPERM; break
    :: else ->
        if
#ifndef BUG_UNDO_HANDOFF
        :: (s & STARVING) && !STALE_STARVER(s) ->
  #ifndef BUG_HANDOFF_ENDS_STARVING
            rcas(w, s, s | HANDOFF, ok)                           /* (T8) */
  #else
            rcas(w, s, (s | HANDOFF) & ~(STARVING | STARVER), ok)
  #endif
#else
        :: s & STARVING -> rcas(w, s, (s | HANDOFF) & ~PARKED, ok)
#endif
        :: else -> rcas(w, s, 0, ok)                              /* (T7), stale too */
        fi;
        if
        :: ok ->
            res = 0;
#ifndef BUG_MISSING_WAKE
            if
            :: s & (PARKED | STARVING) -> futex_wake(w, 1, r)
            :: else
            fi;
#endif
#ifdef BUG_UNDO_HANDOFF
            /* the wake woke nobody: take the hand-off back unless claimed */
            if
            :: (s & STARVING) && r == 0 ->
                mload(w, s);
                do
                :: IN_TRANSIT(s) ->
                    mcas(w, s, s & ~(LOCKED | HANDOFF | STARVING | STARVER), ok);
                    if
                    :: ok ->
                        if :: s & PARKED -> futex_wake(w, 1, r) :: else fi;
                        break
                    :: else
                    fi
                :: else -> break
                od
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
    rcas(w, s, 0, ok);                                               /* (T6) */
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
    int s, sleep_on, r, nw, stale_on; byte n; bool ok, got, eligible, slept, starve, starver, capped

#ifndef MUTEX_NO_HARNESS
#define M 0
byte in_cs;
byte finished;

#ifdef MCFG_FORK
bool child_done;
bool holding;         /* thread 1 holds the lock */
bool held_by_ghost;   /* at the fork, a stopped thread held it */

/* fork(): from here on thread 1 is the only thread (the others' bodies
 * are escaped by "unless forked"). */
inline do_fork()
{
    atomic {
        forked = true;
        held_by_ghost = !holding && (mem[M] & (LOCKED | HANDOFF)) == LOCKED
    }
}

/* thread 1: one round, forking at any point of it; then the child's checks */
inline forker()
{
    mutex_lock(M, false, res);
    assert(res == 0);
    holding = true;
    if :: do_fork() :: skip fi;                  /* atfork: forks holding it */
    holding = false;
    mutex_unlock(M, res);
    assert(res == 0);
    if :: !forked -> do_fork() :: else fi;       /* forks after its unlock */
    if
    :: !held_by_ghost ->
        mutex_trylock(M, res);
        assert(res == 0);                         /* nobody holds it */
        mutex_unlock(M, res);
        assert(res == 0);
        assert(!(mem[M] & (LOCKED | STARVING | HANDOFF | STARVER)));
        mutex_lock(M, false, res);                /* must not block */
        assert(res == 0);
        mutex_unlock(M, res);
        assert(res == 0)
    :: else
    fi;
    child_done = true
}
#endif

proctype T(byte id)
{
    MUTEX_LOCALS;
    int res;
    byte k;
#ifdef MCFG_FORK
    if
    :: id == 1 -> forker(); goto done
    :: else
    fi;
    {
#endif
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
        :: else -> assert(res == ETIMEDOUT); USER_LEAVE
        fi
    };
    finished++
#ifdef MCFG_FORK
    } unless { forked };
done:
    skip
#endif
}

init
{
    byte i;
    atomic {
        for (i : 1 .. NT) { run T(i) }
    }
#ifdef MCFG_FORK
    child_done
#else
    finished == NT;
    assert(!(mem[M] & (LOCKED | STARVING | HANDOFF)) && m_starver == 0 && users == 0)
#endif
}

#ifdef MUTEX_LTL
ltl all_finish { <> (finished == NT) }
#endif
#endif /* MUTEX_NO_HARNESS */
#endif /* MUTEX_PML */
