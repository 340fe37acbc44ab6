/*
 * once.pml — fuss_once_t (src/once.c: fuss_once, once_slow), step by step,
 * over futex.pml.
 *
 * The state word: NEW 0, RUNNING 1, RUNNING_WAIT 2, DONE 3 (rows (1)-(4) of
 * once.c's table).  SHARED (row (5)) never changes and is left out, as are
 * the garbage/EINVAL paths and fuss__once_abandon (T4).  Each atomic
 * operation of the C is one Promela step; T1..T3 are cited where they happen.
 *
 * Harness: NT threads (default 3) each call fuss_once once.  fn increments
 * `ran` (in two steps, so a caller returning while fn is half done is seen).
 *
 * Properties:
 *   exactly once         fn runs once: ran == 1 at the end, never 2 (assert);
 *   happens-before       every caller returns only after fn finished:
 *                        fn_done when fuss_once returns 0 (assert);
 *   no lost wake-up      no thread sleeps forever: a thread still asleep when
 *                        nobody can move is an invalid end state.
 *
 * Injected bug (must be rejected):
 *   BUG_NO_WAKE          the runner's exchange (T3) does not wake when it saw
 *                        RUNNING_WAIT: a sleeper stays asleep.
 *
 * Run:  spin -a [-DBUG_NO_WAKE] once.pml
 *       gcc -O0 -DSAFETY -DMEMLIM=1024 -o pan pan.c && ./pan -m100000
 */
#define NWORDS 1
#ifndef NT
#define NT 3
#endif
#define NPROC (NT + 1)

#include "futex.pml"

#define NEW          0
#define RUNNING      1
#define RUNNING_WAIT 2
#define DONE         3

#define O 0
byte ran;          /* how many times fn started */
bool fn_done;      /* fn has returned */
byte finished;

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

/* fn: two steps, so a caller that returned early would see it unfinished */
inline fn()
{
    ran++;
    assert(ran == 1);                                      /* exactly once */
    fn_done = true
}

/* once_slow */
inline once_slow(w, res)
{
    s = mem[w];                                            /* load_acquire */
    do
    :: s == DONE -> res = 0; break                         /* row (4) */
    :: s == NEW ->                                         /* T1 */
        cas(w, s, RUNNING, ok);
        if
        :: ok ->
            fn();
            atomic { old = mem[w]; mem[w] = DONE };        /* T3: swap_rel */
#ifndef BUG_NO_WAKE
            if
            :: old == RUNNING_WAIT -> futex_wake(w, WAKE_ALL, r)
            :: else
            fi;
#endif
            res = 0; break
        :: else                                            /* continue */
        fi
    :: s == RUNNING || s == RUNNING_WAIT ->
        if
        :: s == RUNNING -> cas(w, s, RUNNING_WAIT, ok)     /* T2 */
        :: else -> ok = true                               /* fall through */
        fi;
        if
        :: ok ->
            futex_wait(w, RUNNING_WAIT, r);
            assert(r == 0 || r == -EAGAIN);
            s = mem[w]                                     /* load_acquire; continue */
        :: else                                            /* continue */
        fi
    od;
    old = 0; ok = false; r = 0
}

/* fuss_once: the fast path, then once_slow */
inline fuss_once(w, res)
{
    if
    :: mem[w] == DONE -> res = 0
    :: else -> once_slow(w, res)
    fi
}

proctype T()
{
    int s, old, r, res;
    bool ok;
    fuss_once(O, res);
    assert(res == 0);
    assert(fn_done);                                       /* happens-before */
    s = 0;
    finished++
}

init
{
    byte i;
    atomic {
        for (i : 1 .. NT) { run T() }
    }
    finished == NT;
    assert(ran == 1 && mem[O] == DONE)
}
