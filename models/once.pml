/*
 * once.pml — fuss_once_t (src/once.c: fuss_once, once_slow), step by step,
 * over futex.pml.
 *
 * The state word: NEW 0, RUNNING 1, RUNNING_WAIT 2, DONE 3 (rows (1)-(4) of
 * once.c's table) plus RUNNER (row (5)), the runner's process id, as
 * 4 * pid (the parent is pid 1, a fork child pid 2).  SHARED (row (6))
 * never changes and is left out (the model is of a private word), as are
 * the garbage/EINVAL paths and fuss__once_abandon (T4).  Each atomic
 * operation of the C is one Promela step; T1..T3, T5 are cited where they
 * happen.
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
 * Fork (-DOCFG_FORK; once.c's FORK rule): thread 1 forks once, at any
 * point before its own call, while the others may be anywhere (running fn,
 * asleep on RUNNING_WAIT, done).  From then on the other threads stop where
 * they are and never run again (their bodies are escaped by "unless
 * forked"; what they left in the word and the futex queue stays), and
 * thread 1 is the child, of pid 2.  In the child fn runs at most once and
 * the child's call returns only after fn finished in the child's memory
 * (the parent's run, if it finished before the fork, or the child's own);
 * a child that sleeps for ever is an invalid end state.
 *
 * Injected bugs (must be rejected):
 *   BUG_NO_WAKE          the runner's exchange (T3) does not wake when it saw
 *                        RUNNING_WAIT: a sleeper stays asleep.
 *   BUG_FORK_NO_TAKEOVER (-DOCFG_FORK) the code before issue 22's fix: no
 *                        RUNNER, no T5: the child waits for ever for a
 *                        runner left in the parent.
 *
 * Run:  spin -a [-DOCFG_FORK] [-DBUG_NO_WAKE|-DBUG_FORK_NO_TAKEOVER] once.pml
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
#define STATE(v)     ((v) % 4)
#define RUNNER(v)    ((v) / 4)

#define O 0
byte ran;          /* how many times fn started (in the parent) */
bool fn_done;      /* fn has returned (in the memory of the running process) */
byte finished;

/* the process: whether thread 1 has forked (OCFG_FORK) */
bool forked;
byte child_ran;    /* how many times fn started in the child */
bool child_done;
#define MY_PID (forked -> 2 : 1)
#ifdef BUG_FORK_NO_TAKEOVER
#define TAG 0      /* no RUNNER field */
#else
#define TAG (MY_PID * 4)
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

/* fn: two steps, so a caller that returned early would see it unfinished */
inline fn()
{
    if
    :: !forked -> ran++; assert(ran == 1)                  /* exactly once */
    :: else -> child_ran++; assert(child_ran == 1)         /* once in the child */
    fi;
    fn_done = true
}

/* once_run: the winner of T1 or T5 runs fn, then T3 */
inline once_run(w, res)
{
    fn();
    atomic { old = mem[w]; mem[w] = DONE };                /* T3: swap_rel */
#ifndef BUG_NO_WAKE
    if
    :: STATE(old) == RUNNING_WAIT -> futex_wake(w, WAKE_ALL, r)
    :: else
    fi;
#endif
    res = 0
}

/* once_slow */
inline once_slow(w, res)
{
    s = mem[w];                                            /* load_acquire */
    do
    :: s == DONE -> res = 0; break                         /* row (4) */
#ifndef BUG_FORK_NO_TAKEOVER
    :: (STATE(s) == RUNNING || STATE(s) == RUNNING_WAIT) && RUNNER(s) != MY_PID ->
        cas(w, s, RUNNING + TAG, ok);                      /* T5 */
        if
        :: ok -> once_run(w, res); break
        :: else                                            /* continue */
        fi
#endif
    :: s == NEW ->                                         /* T1 */
        cas(w, s, RUNNING + TAG, ok);
        if
        :: ok -> once_run(w, res); break
        :: else                                            /* continue */
        fi
    :: s == RUNNING + TAG || s == RUNNING_WAIT + TAG ->
        if
        :: s == RUNNING + TAG -> cas(w, s, RUNNING_WAIT + TAG, ok) /* T2 */
        :: else -> ok = true                               /* fall through */
        fi;
        if
        :: ok ->
            futex_wait(w, RUNNING_WAIT + TAG, r);
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

proctype T(byte id)
{
    int s, old, r, res;
    bool ok;
#ifdef OCFG_FORK
    if
    :: id == 1 ->
        forked = true;                                     /* fork(): the child's memory is the word and fn_done as they are */
        fuss_once(O, res);
        assert(res == 0);
        assert(fn_done);                                   /* happens-before, in the child */
        child_done = true;
        goto done
    :: else
    fi;
    {
#endif
    fuss_once(O, res);
    assert(res == 0);
    assert(fn_done);                                       /* happens-before */
    s = 0;
    finished++
#ifdef OCFG_FORK
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
#ifdef OCFG_FORK
    child_done;
    assert(child_ran + ran >= 1 && STATE(mem[O]) == DONE)
#else
    finished == NT;
    assert(ran == 1 && mem[O] == DONE)
#endif
}
