/*
 * robust.pml — the robust owned mutex's owner-died path: fuss_omutex_t with
 * FUSS_OMUTEX_ROBUST, not PI, not recursive (src/omutex.c: lock_common,
 * lock_robust_fast, lock_slow, lock_wait, acquired, fuss_omutex_unlock,
 * unlock_slow, release_word, fuss_omutex_consistent; the robust list steps
 * of src/internal/omutex.h, whose per-thread head src/omutex_robust.c looks
 * up), step by step, over futex.pml, with the kernel's exit handling
 * (exit_robust_list / handle_futex_death) as one atomic step.
 *
 * The lock word mem[M], the kernel's robust-futex format: TID in bits 0..3
 * (TID_MASK; the C has 30 bits), OWNER_DIED 64, WAITERS 128 (bits 30, 31 in
 * the C): the states S1-S4 of omutex.c's table (S5 is PI only).  The meta
 * word: FLAGS (= ROBUST) and DEPTH (= 0) are constant here and left out;
 * STATE is the global `state` (CONSISTENT, INCONSISTENT, NOTREC).  A
 * thread's TID is its _pid (1..NT).  Each atomic of the C is one step; T1,
 * T3-T10 and R1-R8 are cited where they happen.  Not modelled: PI (P1-P5),
 * RECURSIVE and relock (T2), trylock and timedlock, SHARED, adopt_kind
 * (A1), EPERM/EINVAL misuse, EINTR/EFAULT.
 *
 * Abstractions (each argued where it is made):
 *   - STATE is read and written only by the thread whose TID the word
 *     carries, so its accesses commute with every other thread's step:
 *     acquired()'s meta load is part of the acquiring CAS (cas_acq), and
 *     unlock's meta load and unlock_slow's word load are one step;
 *   - each thread's robust list is two locals: `linked` (m is on the list:
 *     R3 sets it, R6 clears it) and `pending` (list_op_pending names m: R1
 *     and R5 set it, R4 and R8 clear it); only DYING's is ever read, by the
 *     kernel at its death; the list's pointer stores are not modelled, nor
 *     lock_slow's second R1 (it stores the value already there);
 *   - the C's CAS writes the current value back on failure; every failure
 *     here is followed by a reload or an exchange, so the model drops it;
 *   - spinning in lock_wait (load, cpu_relax, continue) writes nothing: a
 *     run with a spin iteration is a run without it plus a stutter, so the
 *     default is SPIN_MAX 0; -DSPIN_MAX=1 explores it (a run does).
 *
 * THE DEATH.  Thread DYING (TID 1) locks once, runs its critical section and
 * unlocks; its lock and its critical section + unlock are each inside an
 * `unless { atomic { kill_now && window -> kernel_exit } }`, and the Killer
 * process sets kill_now at any moment, so DYING dies at any step at which
 * the window is open (or survives: the Killer fired after it).  The window:
 *   HOLDS    the word carries DYING's TID: from its acquiring CAS to its
 *            releasing CAS/exchange (acquired(), the critical section,
 *            unlock_slow up to R7);
 *   pending  list_op_pending names m (R1 to R4, R5 to R8), while no wake-up
 *            is owed by DYING: as a locker, until it went to sleep (asleep
 *            included, a wake-up not yet picking it: !PICKED); as an
 *            unlocker, unless it released a word with WAITERS and has not
 *            woken yet (!OWES).  The two excluded windows lose a wake-up:
 *            see FINDING below (-DRCFG_DIE_AFTER_WAKE, -DRCFG_DIE_BEFORE_WAKE
 *            open them).
 * kernel_exit mirrors exit_robust_list -> handle_futex_death
 * (kernel/futex/core.c): a sleeper's wait ends (the kill interrupts it; a
 * wake-up that already picked it is spent); if m is on the list or in
 * list_op_pending: pending and owner 0 -> wake one; owner == the dead TID
 * -> word = (word & WAITERS) | OWNER_DIED, and wake one if WAITERS was set
 * (T8); any other owner: nothing.
 *
 * Harness: DYING (above) and NT-1 live threads (default 2) that lock/unlock
 * ITER times (default 2).  A live thread that gets EOWNERDEAD repairs the
 * data and calls fuss_omutex_consistent() (default) or, with
 * -DRCFG_NO_CONSISTENT, unlocks without it (T9); after ENOTRECOVERABLE it
 * does not hold the lock and goes on to its next round.
 *
 * Properties:
 *   mutual exclusion     at most one live owner in the critical section
 *                        (assert; a dead owner leaves it in kernel_exit);
 *   reachability         a word carrying the dead thread's TID is on its
 *                        list or in list_op_pending (assert in kernel_exit);
 *   EOWNERDEAD once      the first acquisition after the death (T8 marked
 *                        the word: died_holding) returns EOWNERDEAD, only
 *                        one lock ever returns it, and only after a death
 *                        (assert);
 *   ENOTRECOVERABLE      after an unlock without consistent() (T9:
 *                        gave_up) every lock returns ENOTRECOVERABLE, and
 *                        none returns it otherwise (assert);
 *   no lost wake-up      every live thread finishes, none hangs: a thread
 *                        still asleep when nobody can move is an invalid end
 *                        state; at the end no TID is left in the word,
 *                        STATE is not INCONSISTENT, and OWNER_DIED is left
 *                        only if nobody locked after the death.
 *
 * Injected bugs (each must be rejected):
 *   BUG_DEATH_NO_WAKE    the kernel's death step (T8) does not wake a waiter:
 *                        a sleeper on the dead owner's word sleeps forever;
 *   BUG_UNLOCK_NO_WAKE   release_word's slow path (T7) does not wake when
 *                        WAITERS was set (lost wake-up, no death needed);
 *   BUG_DIED_AS_FREE     lock_wait takes an OWNER_DIED word as a free one
 *                        and returns 0, not EOWNERDEAD (T5);
 *   BUG_DIED_CLEARS_WAITERS  taking an OWNER_DIED word (T5) sets the word to
 *                        our TID alone, dropping WAITERS (also the one a
 *                        sleeper re-arms): the kernel woke one of two
 *                        sleepers, the other is never woken;
 *   BUG_NO_NOTREC        unlock_slow, unlocking INCONSISTENT (T9), stores
 *                        CONSISTENT instead of NOTRECOVERABLE
 *                        (-DRCFG_NO_CONSISTENT): the next locker gets 0 from
 *                        a mutex nobody repaired.
 *
 * Run:  spin -a [-DRCFG_NO_CONSISTENT] [-DITER=1] [-DSPIN_MAX=1] [-DBUG_...] robust.pml
 *       gcc -O0 -DSAFETY -DMEMLIM=1024 -o pan pan.c && ./pan -m100000
 *       (ITER=2: ~3 M states, ~0.5 GB; runs.sh builds those as "big": -O2 -DCOLLAPSE)
 * Finding: spin -a -DRCFG_DIE_AFTER_WAKE [-DRCFG_SLICE] robust.pml   (or
 *       -DRCFG_DIE_BEFORE_WAKE, or -DRCFG_NOT_ROBUST); gcc -O0 -DSAFETY
 *       -DMEMLIM=1024 -o pan pan.c && ./pan -m100000 -> without RCFG_SLICE
 *       an invalid end state, with it none (see FINDING and NOT ROBUST at
 *       the end of this file)
 */
#define NWORDS 1
#ifndef NT
#define NT 3
#endif
#define NPROC (NT + 1)     /* init 0, threads 1..NT; the Killer never sleeps */
#ifndef ITER
#define ITER 2
#endif
#ifndef SPIN_MAX
#define SPIN_MAX 0
#endif

#include "futex.pml"

#define M 0
#define TID_MASK   15
#define OWNER_DIED 64
#define WAITERS    128

#define CONSISTENT   0     /* meta STATE */
#define INCONSISTENT 1
#define NOTREC       2

#define EPERM           1
#define EINVAL          22
#define EOWNERDEAD      130
#define ENOTRECOVERABLE 131

#define DYING 1            /* the TID (= _pid) of the thread that dies */

byte state;                /* meta STATE */
bool kill_now;             /* the Killer fired */
bool died_holding;         /* kernel_exit found DYING's TID in the word (T8) */
bool gave_up;              /* someone unlocked it INCONSISTENT (T9) */
byte eod;                  /* how many locks returned EOWNERDEAD */
byte in_cs;
byte finished;

/* When DYING may die (see THE DEATH; evaluated in its context: pending,
 * slept, r and s are its locals). */
#define HOLDS ((mem[M] & TID_MASK) == DYING)
/* DYING, locking, may have been picked by a wake-up: it has gone to sleep
 * (or tried: slept), unless it is asleep now (fx_enqueue: r == 1). */
#define PICKED  (slept && !(r == 1 && asleep[DYING]))
/* DYING, unlocking, released a word with WAITERS and has not woken yet
 * (s holds the exchanged value until release_word's wake). */
#define OWES    ((s & WAITERS) != 0)
#if defined(RCFG_NOT_ROBUST)
/* Not robust: a holder's death leaves the word locked for ever (documented:
 * fuss_omutex(3)), so DYING dies only where it holds nothing: between its
 * release (T7) and its wake-up (see NOT ROBUST below). */
#define LOCK_WINDOW   false
#define UNLOCK_WINDOW (!HOLDS && OWES)
#elif defined(RCFG_DIE_AFTER_WAKE)
#define LOCK_WINDOW   (HOLDS || pending)
#else
#define LOCK_WINDOW   (HOLDS || (pending && !PICKED))
#endif
#if defined(RCFG_NOT_ROBUST)
#elif defined(RCFG_DIE_BEFORE_WAKE)
#define UNLOCK_WINDOW (HOLDS || pending)
#else
#define UNLOCK_WINDOW (HOLDS || (pending && !OWES))
#endif

/* a32_cas_*(w, &s, new).  On failure the C writes the current value to s,
 * but every failure here is followed by a reload (continue) or an exchange,
 * so that value is dead; the model does not write it (fewer states). */
inline cas(w, s, new, ok)
{
    atomic {
        if
        :: mem[w] == s -> mem[w] = new; ok = true
        :: else -> ok = false
        fi
    }
}

/* The acquiring CAS (T1, T4, T5) and, in the same step, acquired()'s meta
 * load: STATE is read and written only by the thread whose TID the word
 * carries, so no other thread's step can change what that load returns
 * between the CAS and the load (they commute); the model makes them one
 * step.  On failure as cas. */
inline cas_acq(w, s, new, ok)
{
    atomic {
        if
        :: mem[w] == s -> mem[w] = new; ok = true; meta = state
        :: else -> ok = false
        fi
    }
}

/* Each thread's own robust list (pending, linked are locals): only DYING's
 * is ever read, by the kernel at its death (kernel_exit, in its context). */
#ifndef RCFG_NOT_ROBUST
inline robust_pending() { pending = true }              /* (R1)(R5) */
inline robust_link() { linked = true; pending = false } /* (R3)(R4) */
inline robust_unlink() { linked = false }               /* (R6) */
inline robust_done() { pending = false }                /* (R8), R4 on error paths */
#else
/* h == NULL: no list, so the kernel never looks at the word. */
inline robust_pending() { skip }
inline robust_link() { skip }
inline robust_unlink() { skip }
inline robust_done() { skip }
#endif

/* release_word (T6, T7) */
inline release_word()
{
    s = _pid;
    cas(M, s, 0, ok);                                   /* (T6) */
    if
    :: ok
    :: else ->
        atomic { s = mem[M]; mem[M] = 0 };              /* (T7) exchange */
#ifndef BUG_UNLOCK_NO_WAKE
        if
        :: s & WAITERS -> futex_wake(M, 1, r)           /* fuss__wake_one */
        :: else
        fi
#endif
    fi;
    s = 0; ok = false; r = 0
}

/* acquired(m, tid, h, died): the word carries our TID, h != NULL (robust) */
inline acquired(died, res)
{
    if
    :: meta == NOTREC ->                                /* (T10) */
        release_word();
        robust_done();
        res = ENOTRECOVERABLE
    :: else ->
        robust_link();                                  /* (R3)(R4) */
        if
        :: died -> state = INCONSISTENT; res = EOWNERDEAD   /* (T5) */
        :: else -> res = 0
        fi
    fi;
    meta = 0
}

/* lock_wait (non-PI, untimed, not try; h != NULL) */
inline lock_wait(res)
{
    spins = 0; slept = false;
    do
    :: s = mem[M];
       if
       :: (s & TID_MASK) == 0 ->                        /* (T1)(T4)(T5) */
#if defined(BUG_DIED_CLEARS_WAITERS)
            want = (s & OWNER_DIED -> _pid :
                    _pid | (s & WAITERS) | (slept -> WAITERS : 0));
#else
            want = _pid | (s & WAITERS) | (slept -> WAITERS : 0);
#endif
            cas_acq(M, s, want, ok);
            want = 0;
            if
            :: ok ->
#ifndef BUG_DIED_AS_FREE
                died = ((s & OWNER_DIED) != 0);
#else
                died = false;
#endif
                acquired(died, res);
                break
            :: else -> s = 0                            /* continue */
            fi
       :: else ->
            /* owner == tid (T2) never happens here; not try */
            if
            :: !(s & WAITERS) && spins < SPIN_MAX -> spins++   /* cpu_relax; continue */
            :: else ->
                ok = true;
                if
                :: !(s & WAITERS) -> cas(M, s, s | WAITERS, ok)  /* (T3) */
                :: else
                fi;
                if
                :: ok ->
                    /* slept = true: after the wait in the C, whatever it
                     * returned; a local only read after the wait, so set
                     * just before it here (see PICKED) */
                    slept = true;
#ifdef RCFG_SLICE
                    /* capped at SLICE_NS: -ETIMEDOUT loops */
                    futex_timedwait(M, (s | WAITERS), r)
#else
                    futex_wait(M, (s | WAITERS), r)     /* fuss__wait: 0 or -EAGAIN */
#endif
                :: else                                 /* continue */
                fi;
                s = 0; r = 0
            fi
       fi
    od;
    s = 0; want = 0; ok = false; died = false; slept = false; spins = 0; r = 0
}

/* fuss_omutex_lock -> lock_common -> lock_robust_fast (meta ROBUST, not PI)
 * -> lock_slow_noinline -> lock_slow -> lock_wait */
inline omutex_lock(res)
{
    robust_pending();                                   /* (R1) */
    s = 0;
    cas_acq(M, s, _pid, ok);                            /* (T1) */
    if
    :: ok -> ok = false; acquired(false, res)
    :: else -> lock_wait(res)
    fi;
    s = 0; ok = false
}

/* fuss_omutex_unlock (meta ROBUST: UNLOCK_SLOW_META) -> unlock_slow */
inline omutex_unlock(res)
{
    /* meta load (fuss_omutex_unlock), then unlock_slow's word load: one
     * step, since STATE is the holder's (see cas_acq) */
    atomic { meta = state; owner = mem[M] & TID_MASK };
    if
    :: owner != _pid -> res = EPERM
    :: else ->
        /* DEPTH 0; robust */
        if
        :: meta == INCONSISTENT ->                      /* (T9) */
#ifndef BUG_NO_NOTREC
            atomic { state = NOTREC; gave_up = true }
#else
            atomic { state = CONSISTENT; gave_up = true }
#endif
        :: else
        fi;
        robust_pending();                               /* (R5) */
        robust_unlink();                                /* (R6) */
        release_word();                                 /* (R7) */
        robust_done();                                  /* (R8) */
        res = 0
    fi;
    meta = 0; owner = 0
}

/* fuss_omutex_consistent */
inline omutex_consistent(res)
{
    if
    :: state != INCONSISTENT -> res = EINVAL
    :: else ->
        if
        :: (mem[M] & TID_MASK) != _pid -> res = EPERM
        :: else -> state = CONSISTENT; res = 0
        fi
    fi
}

/* The kernel at DYING's death: exit_robust_list, handle_futex_death. */
inline handle_futex_death(pend)
{
    owner = mem[M] & TID_MASK;
    if
    :: pend && owner == 0 -> futex_wake(M, 1, r)        /* woken waiter / released word */
    :: owner == _pid ->                                 /* (T8) */
        s = mem[M];
        mem[M] = (s & WAITERS) | OWNER_DIED;
        died_holding = true;
#ifndef BUG_DEATH_NO_WAKE
        if
        :: s & WAITERS -> futex_wake(M, 1, r)
        :: else
        fi
#endif
    :: else                                             /* another thread's word */
    fi
}

/* The escape guard (kill_now && window) and this are one atomic step. */
inline kernel_exit()
{
    {
        asleep[_pid] = false; waddr[_pid] = 0;          /* the kill ends a wait */
        if
        :: incs -> in_cs--; incs = false
        :: else
        fi;
        /* the kernel reaches every word that carries our TID */
        assert((mem[M] & TID_MASK) != _pid || pending || linked);
        if
        :: pending || linked -> handle_futex_death(pending)
        :: else
        fi
    }
}

#define LOCALS \
    int s, want, owner, r, res; byte spins, meta; bool ok, slept, died, incs, pending, linked

proctype Dying()
{
    LOCALS;
    {
        omutex_lock(res)
    } unless {
        atomic { kill_now && LOCK_WINDOW -> kernel_exit() }; goto gone
    };
    assert(res == 0);                           /* nobody else dies */
    {
        atomic { in_cs++; assert(in_cs == 1); incs = true };
        atomic { in_cs--; incs = false };
        omutex_unlock(res);
        assert(res == 0)
    } unless {
        atomic { kill_now && UNLOCK_WINDOW -> kernel_exit() }
    };
gone:
    finished++
}

proctype Live()
{
    LOCALS;
    byte k;
    for (k : 1 .. ITER) {
        omutex_lock(res);
        if
        :: res == 0 ->
            atomic {
                assert(!gave_up);               /* else ENOTRECOVERABLE */
                assert(!died_holding || eod > 0);  /* the first after the death: EOWNERDEAD */
                in_cs++; assert(in_cs == 1)     /* mutual exclusion */
            };
            in_cs--;
            omutex_unlock(res);
            assert(res == 0)
        :: res == EOWNERDEAD ->
            atomic {
                eod++;
                assert(eod == 1 && died_holding && !gave_up);
                in_cs++; assert(in_cs == 1)
            };
            in_cs--;
#ifndef RCFG_NO_CONSISTENT
            omutex_consistent(res);
            assert(res == 0);
#endif
            omutex_unlock(res);
            assert(res == 0)
        :: res == ENOTRECOVERABLE ->
            assert(gave_up)                     /* not held: nothing to unlock */
        :: else -> assert(false)
        fi
    };
    finished++
}

proctype Killer()
{
    kill_now = true
}

init
{
    byte i;
    atomic {
        run Dying();
        for (i : 2 .. NT) { run Live() };
        run Killer()
    }
    finished == NT;
    assert((mem[M] & TID_MASK) == 0);           /* nobody left holding it */
    assert(state != INCONSISTENT);
    assert(!(mem[M] & OWNER_DIED) || (died_holding && eod == 0))
}

/*
 * FINDING (fixed by a bounded sleep): a death that owes a wake-up loses it
 * when another thread takes the word first.  The kernel's pending-op rule
 * (handle_futex_death: list_op_pending set, owner 0 -> wake one) passes the
 * wake-up on only if the word is still free when the kernel looks.  Threads
 * 1 = DYING, 2 = A, 3 = B.
 *
 * -DRCFG_DIE_BEFORE_WAKE (unlocker dies between T7 and its wake-up):
 *   DYING holds; B sets WAITERS (T3) and sleeps; DYING unlocks: R5, R6,
 *   T6 CAS fails, T7 exchange 1|WAITERS -> 0 (it owes B a wake-up); A's
 *   lock_wait sees 0 and CASes 0 -> 2 (no WAITERS: it has not slept);
 *   DYING dies before fuss__wake_one: list_op_pending names m but the owner
 *   is 2, so the kernel does nothing; A unlocks by T6 (2 -> 0, no wake);
 *   B sleeps forever.
 * -DRCFG_DIE_AFTER_WAKE (a woken locker dies before taking the word):
 *   A holds; B and DYING sleep on 2|WAITERS; A unlocks: T7 exchange -> 0,
 *   wakes DYING; A locks again by T1 (0 -> 2, no WAITERS); DYING dies
 *   (list_op_pending still names m, R1): owner 2, the kernel does nothing;
 *   A unlocks by T6; B sleeps forever.
 * Leaving WAITERS in the released word would close both (a barging T1 then
 * fails), at the cost of a WAITERS bit nothing can clear.  The C instead
 * caps a robust sleeper's sleep (omutex.c, OWED WAKE-UPS): -DRCFG_SLICE
 * models it as a timed wait whose timeout loops, and both windows then
 * pass.  The plain runs keep untimed sleeps, so that every other lost
 * wake-up still shows as an invalid end state; the windows without the
 * slice are the reject runs "robust death before/after wake, no slice".
 * tests/regression/issue_6_omutex_death_before_wake.c plays the first.
 */

/*
 * NOT ROBUST (issue 22, defect 6): -DRCFG_NOT_ROBUST models an owned mutex
 * that is process-shared but not robust (error-checking; recursive takes
 * the same path at depth 0): lock_slow's h is NULL, so no list step
 * happens and the kernel's exit handling never looks at the word.  DYING
 * dies only between its release (T7's exchange of a word with WAITERS)
 * and its wake-up, the window a killed unlocking process leaves: its
 * sleepers are asleep on a free word, and nobody else will ever wake them
 * unless another locker comes and sets WAITERS itself.  Without the slice
 * (the C before issue 22 capped robust sleeps only) the run is rejected
 * with an invalid end state: "robust.pml not robust, no slice".  With
 * -DRCFG_SLICE (every sleep capped at SLICE_NS, omutex.c OWED WAKE-UPS)
 * it passes.  tests/regression/issue_22_omutex_killed_unlocker.c plays it.
 */
