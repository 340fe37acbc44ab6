/*
 * sem.pml — fuss_sem_t (src/sem.c), step by step, over futex.pml.
 *
 * The 64-bit state word is (VALUE, WAITERS): VALUE is mem[S], the futex word
 * sleepers wait on (the low half), WAITERS is nw (the high half).  Every
 * 64-bit atomic of the C (CAS, fetch_add) reads and writes both in one step;
 * a load reads both in one step.  SHARED (row (3)), EOVERFLOW (T2, VALUE
 * never nears MAX here), EINTR, the pthread hooks and fuss__sem_cancel_leave
 * (T7) are left out.  T1..T6 are cited where they happen.  Time: sem_spin's
 * budget is SPIN_MAX iterations (default 1; any shorter spin, including none,
 * is also explored); a deadline may expire during any timed wait.
 *
 * Harness: NW waiters (default 2; waiter 1 uses fuss_sem_timedwait with
 * -DSCFG_TIMED), NP posters (default 2) each posting PER times (default 1),
 * NP * PER == NW, so every waiter can finish.
 *
 * Properties:
 *   conservation      posts == completed waits + final VALUE, and WAITERS is
 *                     0 at the end (assert);
 *   no lost wake-up   no waiter asleep while a unit is there: every thread
 *                     finishes, a thread still asleep when nobody can move is
 *                     an invalid end state (posts == waits, so a waiter left
 *                     asleep means a unit was posted and nobody woken for it).
 *
 * Injected bugs (each must be rejected):
 *   BUG_POST_NO_WAKE  post (T1) never wakes, even with WAITERS > 0;
 *   BUG_POST_STALE_COUNT  post decides to wake from a WAITERS read BEFORE its
 *                     CAS (a plain load, then the CAS), so a waiter that
 *                     registers in between is not woken.
 *
 * Run:  spin -a [-DSCFG_TIMED] [-DBUG_...] sem.pml
 *       gcc -O0 -DSAFETY -DMEMLIM=1024 -o pan pan.c && ./pan -m100000
 */
#define NWORDS 1
#ifndef NW
#define NW 2
#endif
#ifndef NP
#define NP 2
#endif
#ifndef PER
#define PER 1
#endif
#define NPROC (NW + NP + 1)
#ifndef SPIN_MAX
#define SPIN_MAX 1
#endif

#include "futex.pml"

#define S 0
byte nw;           /* WAITERS, the high half of the word */
byte posts;        /* completed posts */
byte taken;        /* completed waits (0 returned) */
byte finished;

/* a64_cas_*(w, &st, (nv, nn)): on failure (v, n) receive the current word. */
inline cas64(xv, xn, newv, newn, xok)
{
    atomic {
        if
        :: mem[S] == xv && nw == xn -> mem[S] = newv; nw = newn; xok = true
        :: else -> xv = mem[S]; xn = nw; xok = false
        fi
    }
}

inline load64(xv, xn) { atomic { xv = mem[S]; xn = nw } }

/* fuss_sem_post (T1) */
inline sem_post()
{
    load64(v, n);
#ifdef BUG_POST_STALE_COUNT
    stale = n;
#endif
    do
    :: cas64(v, n, v + 1, n, ok);                             /* T1 */
       if :: ok -> break :: else fi
    od;
#ifdef BUG_POST_STALE_COUNT
    n = stale;
#endif
#ifndef BUG_POST_NO_WAKE
    if
    :: n > 0 -> futex_wake(S, 1, r)
    :: else
    fi;
#endif
    posts++;
    v = 0; n = 0; ok = false; r = 0
}

/* sem_take (T3): res = 0 or EAGAIN */
inline sem_take(res)
{
    load64(v, n);
    res = EAGAIN;
    do
    :: v > 0 ->
        cas64(v, n, v - 1, n, ok);                            /* T3 */
        if :: ok -> res = 0; break :: else fi
    :: else -> break
    od;
    v = 0; n = 0; ok = false
}

/* sem_spin */
inline sem_spin(res)
{
    res = EAGAIN;
    k = 0;
    do
    :: k < SPIN_MAX ->                                        /* fuss__spin_step */
        load64(v, n);
        if
        :: n > 0 -> break                                     /* sleepers first */
        :: else
        fi;
        if
        :: v > 0 -> sem_take(res); if :: res == 0 -> break :: else fi
        :: else
        fi;
        k++
    :: k < SPIN_MAX -> break                                  /* budget ran out early */
    :: k >= SPIN_MAX -> break
    od;
    k = 0; v = 0; n = 0
}

/* sem_leave: T5 if a unit is there, else T6 (ETIMEDOUT) */
inline sem_leave(res)
{
    load64(v, n);
    do
    :: v > 0 ->
        cas64(v, n, v - 1, n - 1, ok);                        /* T5 */
        if :: ok -> res = 0; break :: else fi
    :: else ->
        cas64(v, n, v, n - 1, ok);                            /* T6 */
        if :: ok -> res = ETIMEDOUT; break :: else fi
    od
}

/* sem_wait_slow */
inline sem_wait_slow(timed, res)
{
    sem_spin(res);
    if
    :: res == 0 -> skip
    :: else ->
        atomic { nw++; v = mem[S]; n = nw };                  /* T4: fetch_add */
        do
        :: v > 0 ->
            cas64(v, n, v - 1, n - 1, ok);                    /* T5 */
            if :: ok -> res = 0; break :: else fi
        :: else ->
            if
            :: timed -> futex_timedwait(S, 0, r)
            :: else -> futex_wait(S, 0, r)
            fi;
            if
            :: r == -ETIMEDOUT -> sem_leave(res); break
            :: else -> assert(r == 0 || r == -EAGAIN)
            fi;
            load64(v, n)
        od
    fi;
    v = 0; n = 0; ok = false; r = 0
}

/* fuss_sem_wait / fuss_sem_timedwait */
inline sem_wait(timed, res)
{
    sem_take(res);
    if
    :: res == 0 -> skip
    :: else -> sem_wait_slow(timed, res)
    fi
}

#define SEM_LOCALS int v, n, r, stale; byte k; bool ok

proctype Waiter(byte id)
{
    SEM_LOCALS;
    int res;
#ifdef SCFG_TIMED
    sem_wait(id == 1, res);
#else
    sem_wait(false, res);
#endif
    if
    :: res == 0 -> taken++
    :: else -> assert(res == ETIMEDOUT)
    fi;
    finished++
}

proctype Poster()
{
    SEM_LOCALS;
    byte j;
    for (j : 1 .. PER) { sem_post() };
    finished++
}

init
{
    byte i;
    atomic {
        for (i : 1 .. NW) { run Waiter(i) };
        for (i : 1 .. NP) { run Poster() }
    }
    finished == NW + NP;
    assert(posts == taken + mem[S]);                          /* conservation */
    assert(nw == 0)
}
