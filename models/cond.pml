/*
 * cond.pml — fuss_cond_t (src/cond.c), step by step, over futex.pml and the
 * mutex of mutex.pml (fuss_mutex_unlock, fuss__mutex_relock,
 * fuss__mutex_mark_parked are the real mutex steps, not an abstraction,
 * including the hand-off T8-T10 and mutex.pml's word invariant, no-barging
 * and starver-served asserts; its touch-after-release ghost is off here,
 * since a condvar waiter may be moved onto the mutex without calling it).
 *
 * seq word: a pure sequence, written only by signal and broadcast; it is
 * never allowed to wrap here (the 32-bit ABA window of cond.c is a
 * documented limitation, out of reach of any thread count spin can
 * explore).  link word: the waiter COUNT, SLEEPERS and "linked to the one
 * mutex or not" (with one mutex, MIXED never arises); it is not a futex
 * word, so these are plain variables here, each CAS loop on link one
 * atomic step.  The C has
 * 7 COUNT bits (sticky at 127); the model has COUNT_MAX, default 3, which
 * two waiters never reach: the runs with -DCOUNT_MAX=1 take the sticky
 * "many" path (both waiters then count as sole and may spin, which is
 * safe for any waiter).
 *
 * Harnesses (3 threads):
 *   CCFG_SIGNAL (default)  2 consumers: lock; while (items == 0) wait;
 *                          items--; unlock.  1 producer, 2 rounds: lock;
 *                          items++; signal; unlock.
 *   CCFG_SIGNAL_OUTSIDE    the same, signal after unlocking.
 *   CCFG_TIMED             the same, consumer 1 uses timedwait and gives up
 *                          (without consuming) when it times out.
 *   CCFG_BROADCAST         2 waiters: lock; while (!flag) wait; unlock.
 *                          1 setter: lock; flag = 1; broadcast; unlock
 *                          (requeue onto the mutex + mark_parked).
 *   CCFG_BROADCAST_OUTSIDE the same, broadcast after unlocking.
 *   CCFG_REINIT            CCFG_BROADCAST, then the setter destroys the
 *                          condvar (C7), clears and initialises it again,
 *                          and the new generation's first waiter moves seq
 *                          0 -> 1 (C0), as glibc's tst-cond20 does.
 *
 * Properties:
 *   no lost wake-up   every thread finishes (invalid end state otherwise):
 *                     no consumer sleeps while an item waits for it, no
 *                     waiter sleeps after the flag was set and broadcast;
 *   mutual exclusion  of the mutex around the predicate (assert);
 *   the mutex is free when everyone has finished;
 *   destroy-safety    (CCFG_REINIT) no waiter touches the condvar once it
 *                     was destroyed and re-initialised: each of a waiter's
 *                     accesses after it released the mutex (the spin's
 *                     read of seq, SLEEPERS, the futex wait's comparison,
 *                     leave) asserts !freed in the same atomic step; and
 *                     none sleeps on the new object (end state).
 *
 * Injected bugs (each must be rejected):
 *   BUG_PLAIN_RELOCK        a waiter that slept re-locks the mutex like a
 *                           newcomer (without PARKED), as only a spinner
 *                           that never slept may (C4): after a requeue the
 *                           others stay asleep on the mutex;
 *   BUG_MISSING_WAKE        signal changes seq but wakes nobody;
 *   BUG_COUNT_OVERFLOW      register_waiter does not saturate COUNT at
 *                           COUNT_MAX: the carry makes COUNT 0 and signal
 *                           takes its "nobody waits" shortcut;
 *   BUG_REQUEUE_UNMARKED    broadcast moves every waiter onto the mutex
 *                           and does not mark the mutex PARKED (nobody
 *                           wakes them: the classic requeue bug);
 *   BUG_REGISTER_UNLOCKED   the waiter registers after releasing the mutex;
 *   BUG_SPINNER_NO_MARK     a sole waiter whose spin gives up sleeps
 *                           without setting SLEEPERS: a signal then sees
 *                           none and makes no wake;
 *   BUG_SIGNAL_IGNORES_OLD  signal decides on SLEEPERS read after its seq
 *                           increment only, not on the value its own CAS
 *                           cleared: the last sleeper is never woken;
 *   BUG_REGISTER_BEFORE_READ the waiter registers, then reads seq: a
 *                           signal sent without the mutex may consume its
 *                           registration in between, and its increment is
 *                           then what the waiter sleeps on, uncounted;
 *   BUG_DESTROY_SPINNERS_ONLY (CCFG_REINIT) the code before issue 22:
 *                           destroy waits for spinners only, and a spinner
 *                           stops counting before its futex wait (SPIN):
 *                           a waiter the broadcast released compares seq
 *                           after the re-initialisation.
 *
 * Run:  spin -a [-DCCFG_...] [-DBUG_...] cond.pml   (CCFG_TIMED: with -DSPURIOUS=0)
 *       gcc -O2 -DSAFETY -DCOLLAPSE -DMEMLIM=1024 -o pan pan.c && ./pan -m100000
 */
#define NWORDS 2
#define NT 3
#define NPROC 4          /* init and 3 threads */
#define MUTEX_NO_HARNESS
#include "mutex.pml"

#define M   0
#define SEQ 1

#ifndef COUNT_MAX
#define COUNT_MAX 3
#endif

byte count;              /* link word: COUNT */
bool sleepers;           /* link word: SLEEPERS */
bool linked_mutex;       /* link word: the waiters' mutex is known */
byte items;              /* the predicate (CCFG_SIGNAL): items produced */
bool flag;               /* the predicate (CCFG_BROADCAST) */
byte in_cs;
byte finished;
byte inside;             /* link word: INSIDE (C1, C5); CCFG_REINIT only */
bool freed;              /* ghost: destroyed and re-initialised (CCFG_REINIT) */

/* A waiter's access to the condvar after it released the mutex. */
#define TOUCH assert(!freed)

/* INSIDE and (C0) matter only when the condvar is destroyed and
 * re-initialised; the other harnesses leave them out, which keeps their
 * state spaces as they were (the sticky COUNT_MAX run already fills the
 * memory bound). */
#ifdef CCFG_REINIT
#define INSIDE_ADD inside++
#define INSIDE_SUB inside--
#define SEQ_LEAVE_ZERO if :: mem[SEQ] == 0 -> mem[SEQ] = 1 :: else fi
#else
#define INSIDE_ADD skip
#define INSIDE_SUB skip
#define SEQ_LEAVE_ZERO skip
#endif

/* (C1) register_waiter: read seq, then one CAS on link (release) that
 * records the mutex and counts us; sole: we are the only one counted. */
inline register_waiter(v, sole)
{
#ifndef BUG_REGISTER_BEFORE_READ
    atomic {                                 /* (C0): never sleep on 0 */
        SEQ_LEAVE_ZERO;
        v = mem[SEQ]
    };
#endif
    atomic {
        linked_mutex = true;
#ifndef BUG_COUNT_OVERFLOW
        count = (count == COUNT_MAX -> count : count + 1);
#else
        count = (count == COUNT_MAX -> 0 : count + 1);
#endif
        sole = (count == 1);
#ifndef BUG_DESTROY_SPINNERS_ONLY
        INSIDE_ADD;
#else
        if
        :: sole -> INSIDE_ADD                /* enter_spin: SPIN += 1 */
        :: else
        fi;
#endif
        if
        :: !sole -> sleepers = true          /* it will not spin: set in this CAS */
        :: else
        fi
    };
#ifdef BUG_REGISTER_BEFORE_READ
    v = mem[SEQ];
#endif
    skip
}

/* (C5) leave: INSIDE -= 1, the waiter's last access (destroy waits for
 * INSIDE == 0; the wake of the destroyer is the blocking guard there).
 * Called under CCFG_REINIT only: elsewhere it would add a step per wait. */
inline leave()
{
    atomic { TOUCH; INSIDE_SUB }
}

/* cond_wait (fuss_cond_wait / fuss_cond_timedwait) */
inline cond_wait(timed, res)
{
    assert(mem[M] & LOCKED);                 /* fuss__mutex_is_locked */
#ifndef BUG_REGISTER_UNLOCKED
    register_waiter(v, sole);
    mutex_unlock(M, res);
#else
    mutex_unlock(M, res);
    register_waiter(v, sole);
#endif
    if
    /* (C4) the sole waiter spins on seq: one read, anywhere in the spin
     * window, that sees SEQ moved is its signal; it never slept, so it
     * re-locks plainly, after leaving (C5). */
    :: atomic { sole && mem[SEQ] != v -> TOUCH };
#ifdef CCFG_REINIT
        leave();
#endif
        r = 0;
        mutex_lock(M, false, res)
    :: true ->                               /* not sole, or the spin gave up */
#ifndef BUG_SPINNER_NO_MARK
        if
        :: sole -> atomic { TOUCH; sleepers = true } /* mark_sleeper (then the fence) */
        :: else
        fi;
#endif
#ifdef BUG_DESTROY_SPINNERS_ONLY
        if
        :: sole -> leave()                   /* leave_spin, the wait's unlock callback */
        :: else
        fi;
#endif
        if
        :: timed -> atomic { TOUCH; futex_timedwait(SEQ, v, r) }
        :: else -> atomic { TOUCH; futex_wait(SEQ, v, r) }
        fi;
#ifndef BUG_DESTROY_SPINNERS_ONLY
#ifdef CCFG_REINIT
        leave();
#endif
#endif
#ifndef BUG_PLAIN_RELOCK
        mutex_relock(M, false, res)
#else
        mutex_lock(M, false, res)            /* a sleeper may have been moved */
#endif
    fi;
    res = (r == -ETIMEDOUT -> ETIMEDOUT : 0);
    v = 0; r = 0; sole = false
}

/* (C2) fuss_cond_signal: CAS on link (acquire) taking one COUNT, and
 * SLEEPERS with the last; then seq += 1; then (after the fence) wake one if
 * SLEEPERS was set before the CAS or is set now.  The model is
 * sequentially consistent, which is what the two seq_cst fences give. */
inline cond_signal()
{
    atomic {
        ok = (count > 0);
        if
        :: ok ->
            oldsl = sleepers;
            if
            :: count < COUNT_MAX -> count--
            :: else
            fi;
            if
            :: count == 0 -> sleepers = false
            :: else
            fi
        :: else
        fi
    };
    if
    :: ok ->
        atomic { mem[SEQ] = mem[SEQ] + 1 };  /* fetch_add */
#ifdef BUG_SIGNAL_IGNORES_OLD
        oldsl = false;
#endif
        if
#ifndef BUG_MISSING_WAKE
        :: oldsl || sleepers -> futex_wake(SEQ, 1, r)
#endif
        :: else                              /* only spinners: they see seq */
        fi
    :: else                                  /* nobody waits: no system call */
    fi;
    ok = false; oldsl = false; r = 0
}

/* (C3) fuss_cond_broadcast: CAS on link (acquire) taking COUNT to 0 and
 * clearing SLEEPERS, then seq += 1, then, if SLEEPERS was or is set, move
 * every sleeper onto the mutex and mark it PARKED */
inline cond_broadcast()
{
    atomic { ok = (count > 0); oldsl = sleepers; if :: ok -> count = 0; sleepers = false :: else fi };
    if
    :: !ok -> skip
    :: ok ->
        atomic { mem[SEQ] = mem[SEQ] + 1 };  /* fetch_add */
        if
        :: !(oldsl || sleepers) -> skip      /* only spinners */
        :: else ->
            if
            :: linked_mutex ->
                /* cond.c wakes BROADCAST_WAKE (2) and moves the rest; with
                 * two waiters here, any count from none to all is checked,
                 * so every run has woken waiters, moved ones, or both. */
                if
                :: futex_requeue(SEQ, 0, WAKE_ALL, M, r)
                :: futex_requeue(SEQ, 1, WAKE_ALL, M, r)
                :: futex_requeue(SEQ, 2, WAKE_ALL, M, r)
                fi;
#ifndef BUG_REQUEUE_UNMARKED
                if
                :: r > 0 -> mutex_mark_parked(M) /* someone was moved */
                :: else
                fi
#endif
            :: else -> futex_wake(SEQ, WAKE_ALL, r)
            fi
        fi
    fi;
    ok = false; oldsl = false; r = 0
}

#define COND_LOCALS MUTEX_LOCALS; int v, res; bool sole, oldsl

proctype Consumer(byte id)
{
    COND_LOCALS;
    mutex_lock(M, false, res);
    do
    :: items > 0 -> break
    :: else ->
#ifdef CCFG_TIMED
        cond_wait(id == 1, res);
        if
        :: res == ETIMEDOUT -> goto gave_up      /* while (!p) if (timedwait) break */
        :: else
        fi
#else
        cond_wait(false, res)
#endif
    od;
    in_cs++; assert(in_cs == 1); in_cs--;
    items--;
gave_up:
    mutex_unlock(M, res);
    finished++
}

proctype Producer()
{
    COND_LOCALS;
    byte k;
    for (k : 1 .. 2) {
        mutex_lock(M, false, res);
        in_cs++; assert(in_cs == 1); in_cs--;
        items++;
#ifndef CCFG_SIGNAL_OUTSIDE
        cond_signal();
        mutex_unlock(M, res)
#else
        mutex_unlock(M, res);
        cond_signal()
#endif
    };
    finished++
}

proctype Waiter(byte id)
{
    COND_LOCALS;
    mutex_lock(M, false, res);
    do
    :: flag -> break
    :: else -> cond_wait(false, res)
    od;
    in_cs++; assert(in_cs == 1); in_cs--;
    mutex_unlock(M, res);
    finished++
}

proctype Setter()
{
    COND_LOCALS;
    mutex_lock(M, false, res);
    in_cs++; assert(in_cs == 1); in_cs--;
    flag = true;
#ifndef CCFG_BROADCAST_OUTSIDE
    cond_broadcast();
    mutex_unlock(M, res);
#else
    mutex_unlock(M, res);
    cond_broadcast();
#endif
#ifdef CCFG_REINIT
    inside == 0;                             /* (C7) fuss_cond_destroy */
    atomic {                                 /* memset, fuss_cond_init */
        freed = true;
        mem[SEQ] = 0; count = 0; sleepers = false; linked_mutex = false; inside = 0
    };
    atomic {                                 /* (C0) the next generation's first waiter */
        if
        :: mem[SEQ] == 0 -> mem[SEQ] = 1
        :: else
        fi
    };
#endif
    finished++
}

init
{
    atomic {
#if defined(CCFG_BROADCAST) || defined(CCFG_BROADCAST_OUTSIDE) || defined(CCFG_REINIT)
        run Waiter(1); run Waiter(2); run Setter();
#else
        run Consumer(1); run Consumer(2); run Producer();
#endif
    }
    finished == 3;
    assert(!(mem[M] & LOCKED))
}
