/*
 * rwlock.pml — fuss_rwlock_t (src/rwlock.c: rw_wake, withdraw_writer,
 * rdlock_slow, fuss_rwlock_rdlock/_timedrdlock/_tryrdlock, rdunlock,
 * unlock_contended, wrlock_slow,
 * fuss_rwlock_wrlock/_timedwrlock, wrunlock), step by step, over futex.pml.
 *
 * The state word mem[ST]: READERS in bits 0..2 (WRITE_LOCKED = 7, all ones;
 * the C has 30 bits), RD_WAIT 8, WR_WAIT 16.  The wake word mem[SEQ]:
 * PREF_RD 2 (set at init with -DRCFG_PREF_RD), sequence in steps of SEQ_ONE 4
 * (SHARED never changes and is left out).  Each atomic of the C is one step;
 * R1/R2/W1/W2/S1/S2/K1/K2/T are cited where they happen.  Timed calls
 * (the deadline is futex_timedwait's nondeterministic give-up, so it may
 * pass during any wait) return ETIMEDOUT at T: a reader at once (its RD_WAIT
 * stays), a writer after rw_wake (lock free) or withdraw_writer.
 * tryrdlock only with -DRWCFG_TRY_RD; trywrlock and EAGAIN at MAX_READERS
 * are not modelled.  Spinning
 * (fuss__spin_step) is a nondeterministic choice, at most SPIN_MAX times a
 * call.
 *
 * Harness: NR readers (default 2) and NWR writers (default 1), ITER rounds
 * each (default 1): lock, critical section, unlock (nothing after ETIMEDOUT).
 * -DRWCFG_TIMED: writer 1 uses fuss_rwlock_timedwrlock; -DRWCFG_TIMED_RD:
 * reader 1 uses fuss_rwlock_timedrdlock.  -DRWCFG_HOLD (with RWCFG_TIMED,
 * tests/regression/issue_10_rwlock_timed_writer.c): a holder reader takes
 * the read lock before the others start and unlocks only once every other
 * thread has finished, so the timed writer must give up, and every other
 * (untimed) reader must get in while the lock is read-held after or around
 * the give-up.
 *
 * -DRWCFG_RT (src/rwlock.c REAL-TIME READERS, 1e2ce41): reader 1 is
 * real-time (fuss__sched_rt_priority > 0, asked where the C asks: ask_rt):
 * under PREF_RD it does not pass WR_WAIT in rdlock_slow / tryrdlock (the
 * fast path never passes a waiting bit); the last read unlock with both
 * bits takes writer preference's K (probe, writer first); Kf under PREF_RD
 * runs K1 after K2.  -DRWCFG_TRY_RD: reader 1 uses fuss_rwlock_tryrdlock.
 * -DRWCFG_RT_WR: writer 1 is real-time: its unlock releasing to both kinds
 * wakes the writer before the readers (only the order of the two wakes;
 * priorities and the kernel's priority-ordered queue are not modelled).
 *
 * Properties:
 *   exclusion           no reader overlaps a writer, writers exclusive
 *                       (assert in the critical sections);
 *   no lost wake-up     every thread finishes: a thread still asleep when
 *                       nobody can move is an invalid end state; the state
 *                       word is 0 apart from waiting bits at the end;
 *   no stale WR_WAIT    (RWCFG_HOLD) after the timed writer gave up no reader
 *                       stays blocked behind its WR_WAIT: the holder waits
 *                       for the other readers, so one blocked is an invalid
 *                       end state;
 *   no touch after release  ghost users counts the threads inside a lock
 *                       call, holding the lock, or in an unlock before its
 *                       releasing CAS (a timed caller that gives up: until
 *                       it returns).  When it is 0 the program may destroy
 *                       and free the lock, so every access of the lock's
 *                       words (TOUCHABLE) asserts users > 0.  Wakes name an
 *                       address only and are not accesses.
 *   real-time reader    (RWCFG_RT) it never takes the lock (R1) past a set
 *                       WR_WAIT (assert); writer first: with one writer and
 *                       -DSPURIOUS=0, a real-time reader that was woken
 *                       never takes the lock while the writer still sleeps
 *                       on wseq (assert; with spurious wake-ups it may: a
 *                       spurious wake between a K1 and its wake).
 *
 * Injected bugs (each must be rejected):
 *   BUG_WR_NO_RECHECK   S2 sleeps on wseq without re-reading state after the
 *                       wseq read: a K1 that ran in between (cleared WR_WAIT,
 *                       woke nobody) is missed;
 *   BUG_WR_NO_REARM     a writer that slept takes the lock (W1) without
 *                       setting WR_WAIT again: the other sleeping writer is
 *                       never woken (-DNR=1 -DNWR=2);
 *   BUG_READ_WHILE_WRITTEN  R1 does not check for a writer holding the lock
 *                       (the CAS adds a reader to WRITE_LOCKED: exclusion);
 *   BUG_NO_WITHDRAW     T without withdraw_writer (src/rwlock.c before
 *                       dd6f321: Kf if the lock was free when the writer
 *                       looked, else nothing): a writer that gives up while readers hold
 *                       the lock leaves WR_WAIT, new readers sleep behind it
 *                       until the last reader leaves (-DRWCFG_TIMED
 *                       -DRWCFG_HOLD);
 *   BUG_WITHDRAW_NO_WAKE  withdraw_writer clears WR_WAIT but wakes no writer:
 *                       another sleeping writer, whose bit it cleared, is
 *                       never woken (-DRWCFG_TIMED -DNR=1 -DNWR=2);
 *   BUG_RD_TIMEOUT_CLEARS  a reader that gives up (T) clears RD_WAIT
 *                       (fetch_and) instead of leaving it: the bit does not
 *                       count readers, so another reader asleep behind the
 *                       same writer is never woken (-DRWCFG_TIMED_RD);
 *   BUG_TOUCH_AFTER_RELEASE  the unlock before issue 22: release first
 *                       (R2/W2), then rw_wake reads and CASes the words (a
 *                       thread that took the lock meanwhile may have freed
 *                       it: users == 0 at the access);
 *   BUG_NO_PROBE        K without the probe: writer preference, both bits,
 *                       K1 alone with RD_WAIT kept, though the WR_WAIT may
 *                       have no writer behind it (W1 sets it for others
 *                       that may not exist): readers sleep on a free lock.
 *   BUG_RT_LAST_READER_WAKES_READERS  the last read unlock under PREF_RD
 *                       with both bits wakes readers then the writer (the C
 *                       before 1e2ce41): the woken real-time reader takes
 *                       the lock while the writer still sleeps (writer
 *                       first, -DRWCFG_RT -DSPURIOUS=0);
 *   BUG_RT_NOT_ASKED    rdlock_slow does not ask for the policy (the R1 of
 *                       before 1e2ce41): the real-time reader passes WR_WAIT.
 *   BUG_TIMED_WRITER_WAKES_READERS_ONLY  Kf under PREF_RD stops after a K2
 *                       that woke someone (before 1e2ce41).  NOT rejected
 *                       in the configurations here: no run reaches Kf with
 *                       both bits on a free lock (the unlock's K always
 *                       clears WR_WAIT when READERS reaches 0), so it is
 *                       not in runs.sh.
 *
 * Run:  spin -a [-DRCFG_PREF_RD] [-DRWCFG_TIMED [-DRWCFG_HOLD]] [-DRWCFG_TIMED_RD]
 *            [-DRWCFG_RT [-DRWCFG_TRY_RD] [-DRWCFG_RT_WR] [-DSPURIOUS=0]]
 *            [-DNR=.. -DNWR=..] [-DBUG_...] rwlock.pml
 *       gcc -O0 -DSAFETY -DMEMLIM=1024 -o pan pan.c && ./pan -m100000
 */
#define NWORDS 2
#ifndef NR
#define NR 2
#endif
#ifndef NWR
#define NWR 1
#endif
#define NPROC (NR + NWR + 1)
#ifndef ITER
#define ITER 1
#endif
#ifndef SPIN_MAX
#define SPIN_MAX 1
#endif
#ifdef RWCFG_TIMED
#define TIMED_WR 1
#else
#define TIMED_WR 0
#endif
#ifdef RWCFG_TIMED_RD
#define TIMED_RD 1
#else
#define TIMED_RD 0
#endif
#ifdef RWCFG_RT
#define RT_RD 1
#else
#define RT_RD 0
#endif
#ifdef RWCFG_RT_WR
#define RT_WR 1
#else
#define RT_WR 0
#endif
#ifdef RWCFG_TRY_RD
#define TRY_RD 1
#else
#define TRY_RD 0
#endif
#ifdef RWCFG_HOLD
#define HOLDER 1
#else
#define HOLDER 0
#endif

#include "futex.pml"

#define ST  0
#define SEQ 1
#define READERS(s)   ((s) & 7)
#define WRITE_LOCKED 7
#define RD_WAIT      8
#define WR_WAIT      16
#define WAITING      (RD_WAIT | WR_WAIT)
#define PREF_RD_BIT  2
#define SEQ_ONE      4
#define WLOCKED(s)   (READERS(s) == WRITE_LOCKED)
#define RLOCKED(s)   (READERS(s) != 0 && !WLOCKED(s))
#define PREF_RD      ((mem[SEQ] & PREF_RD_BIT) != 0)
#define EBUSY        16
/* read_lockable(s, p) */
#ifndef BUG_READ_WHILE_WRITTEN
#define READ_LOCKABLE(s, p) (!WLOCKED(s) && ((p) || !((s) & WR_WAIT)))
#else
#define READ_LOCKABLE(s, p) ((p) || !((s) & WR_WAIT))
#endif

byte in_rd, in_wr, finished;

/* ghost: threads that may still use the lock (see "no touch after release") */
byte users;
#define TOUCHABLE   assert(users > 0)
#define USER_ENTER  users++
#define USER_LEAVE  users--

inline cas(w, cs, new, cok)
{
    atomic {
        TOUCHABLE;
        if
        :: mem[w] == cs -> mem[w] = new; cok = true
        :: else -> cs = mem[w]; cok = false
        fi
    }
}

/* An unlock's releasing CAS (R2/W2): on success the caller is no user. */
inline rcas(w, cs, new, cok)
{
    atomic {
        TOUCHABLE;
        if
        :: mem[w] == cs -> mem[w] = new; cok = true; USER_LEAVE
        :: else -> cs = mem[w]; cok = false
        fi
    }
}

#define LOAD(v, w)  atomic { TOUCHABLE; v = mem[w] }

/* rw_wake (Kf: a timed writer that gave up on a free lock; with
 * BUG_TOUCH_AFTER_RELEASE also the unlocks, after their release) */
inline rw_wake(ks)
{
    do
    :: READERS(ks) == 0 && (ks & WAITING) ->
        LOAD(pref, SEQ);
        if
        :: (ks & RD_WAIT) && ((pref & PREF_RD_BIT) || !(ks & WR_WAIT)) ->
            cas(ST, ks, ks & ~RD_WAIT, ok);                        /* K2 */
            if
            :: ok ->
                futex_wake(ST, WAKE_ALL, r);
#ifndef BUG_TIMED_WRITER_WAKES_READERS_ONLY
                /* PREF_RD: K1 as well (a woken real-time reader does not
                 * pass WR_WAIT) */
                if :: !(ks & WR_WAIT) -> break :: else fi;
#else
                if :: r > 0 || !(ks & WR_WAIT) -> break :: else fi;
#endif
                ks = ks & ~RD_WAIT
            :: else                                                /* continue */
            fi
        :: else ->
            cas(ST, ks, ks & ~WR_WAIT, ok);                        /* K1 */
            if
            :: ok ->
                atomic { TOUCHABLE; mem[SEQ] = mem[SEQ] + SEQ_ONE }; /* fetch_add_rel */
                futex_wake(SEQ, 1, r);
                if :: r > 0 || !(ks & RD_WAIT) -> break :: else fi;
                ks = ks & ~WR_WAIT
            :: else
            fi
        fi
    :: else -> break
    od;
    ok = false; r = 0; pref = 0
}

/* withdraw_writer (T: Kf on a free lock, else withdraw WR_WAIT) */
inline withdraw_writer()
{
    LOAD(s, ST);
    do
    :: READERS(s) == 0 ->
        if :: s & WAITING -> rw_wake(s) :: else fi;
        break
    :: (s & WR_WAIT) && READERS(s) != 0 ->
        cas(ST, s, s & ~WAITING, ok);
        if
        :: ok ->
            atomic { TOUCHABLE; mem[SEQ] = mem[SEQ] + SEQ_ONE };   /* fetch_add_rel */
#ifndef BUG_WITHDRAW_NO_WAKE
            futex_wake(SEQ, WAKE_ALL, r);
#endif
            if :: s & RD_WAIT -> futex_wake(ST, WAKE_ALL, r) :: else fi;
            break
        :: else                                                    /* continue */
        fi
    :: else -> break
    od;
    ok = false; r = 0
}

/* R1's CAS s -> s+1 by a reader (rtr: real-time).  Checks: a real-time
 * reader never takes the lock past a set WR_WAIT; and (one writer) one that
 * slept never takes it while the writer sleeps on wseq (the writer goes
 * first: REAL-TIME READERS). */
inline rd_cas(rtr)
{
    atomic {
        TOUCHABLE;
        if
        :: mem[ST] == s ->
            mem[ST] = s + 1; got = true;
            assert(!rtr || !(s & WR_WAIT));
#if NWR == 1 && SPURIOUS == 0
            if
            :: rtr && rslept -> fx_count(SEQ); assert(fx_rem == 0); fx_rem = 0
            :: else
            fi
#endif
        :: else -> s = mem[ST]; got = false
        fi
    }
}

/* rdlock_slow's and tryrdlock's REAL-TIME READERS question
 * (fuss__sched_rt_priority, asked once, only on WR_WAIT under PREF_RD on a
 * lock no writer holds); rtk -1 until asked */
inline ask_rt(rtr)
{
#ifndef BUG_RT_NOT_ASKED
    if
    :: PREF_RD && rtk < 0 && (s & WR_WAIT) && !WLOCKED(s) -> rtk = (rtr -> 1 : 0)
    :: else
    fi
#else
    skip                                       /* the C before 1e2ce41 */
#endif
}

/* fuss_rwlock_rdlock / _timedrdlock (tmd) by a reader that is real-time
 * (rtr) or not: rdlock_fast, then rdlock_slow; res = 0 or ETIMEDOUT */
inline rdlock(tmd, rtr)
{
    USER_ENTER;
    LOAD(s, ST);
    if
    :: s < WRITE_LOCKED - 1 -> rd_cas(rtr)                         /* R1 fast */
    :: else -> got = false
    fi;
    spins = 0; rtk = -1;
    LOAD(s, ST);
    do
    :: got -> break
    :: else ->
        ask_rt(rtr);
        if
        :: READ_LOCKABLE(s, PREF_RD && rtk != 1) ->
            rd_cas(rtr)                                            /* R1 */
        :: else ->
            if
            :: !(s & WAITING) && spins < SPIN_MAX -> spins++; LOAD(s, ST)
            :: else ->
                ok = true;
                if
                :: !(s & RD_WAIT) ->                               /* S1 */
                    cas(ST, s, s | RD_WAIT, ok);
                    if :: ok -> s = s | RD_WAIT :: else fi
                :: else
                fi;
                if
                :: ok ->
#if TIMED_RD
                    if
                    :: tmd -> futex_timedwait(ST, s, r)
                    :: else -> futex_wait(ST, s, r)
                    fi;
                    assert(r == 0 || r == -EAGAIN || r == -ETIMEDOUT);
                    if
                    :: r == -ETIMEDOUT ->                          /* T */
#ifdef BUG_RD_TIMEOUT_CLEARS
                        atomic { TOUCHABLE; mem[ST] = mem[ST] & ~RD_WAIT };
#endif
                        res = ETIMEDOUT; USER_LEAVE; break
                    :: else
                    fi;
#else
                    futex_wait(ST, s, r);
                    assert(r == 0 || r == -EAGAIN);
#endif
                    if :: r == 0 -> rslept = true :: else fi;      /* ghost */
                    LOAD(s, ST)
                :: else                                            /* continue */
                fi
            fi
        fi
    od;
    s = 0; got = false; ok = false; r = 0; spins = 0; rtk = 0; rslept = false
}

/* fuss_rwlock_tryrdlock by a reader that is real-time (rtr) or not; res = 0
 * or EBUSY (the EAGAIN of MAX_READERS is not reached) */
inline tryrdlock(rtr)
{
    USER_ENTER;
    LOAD(s, ST);
    rtk = -1;
    do
    :: ask_rt(rtr);
       if
       :: !READ_LOCKABLE(s, PREF_RD && rtk != 1) -> res = EBUSY; USER_LEAVE; break
       :: else -> rd_cas(rtr);                                     /* R1 */
          if :: got -> break :: else fi
       fi
    od;
    s = 0; got = false; rtk = 0
}

/* unlock_contended: R2/W2 of the holder that leaves the lock free with
 * waiting bits, and K, in one CAS of both words (the C's 64-bit CAS); the
 * probe (writer preference, both bits) is a wake made while still holding. */
inline unlock_contended(rtu)
{
    LOAD(q, SEQ);
    probed = false; wwoken = false;
    byw = WLOCKED(s);                                              /* by_writer */
    do
    :: pref = q & PREF_RD_BIT;
#ifndef BUG_RT_LAST_READER_WAKES_READERS
       rf = (pref && byw);                                         /* readers_first */
#else
       rf = (pref != 0);
#endif
       n = (WLOCKED(s) -> s & ~WRITE_LOCKED : s - 1);
       k1 = false; k2 = false;
       if
       :: READERS(n) == 0 ->
#ifndef BUG_NO_PROBE
           if
           :: (n & WR_WAIT) && (n & RD_WAIT) && !rf && !probed ->
               probed = true;
               futex_wake(SEQ, 1, r);                              /* the probe */
               wwoken = (r > 0)
           :: else
           fi;
#else
           wwoken = true;
#endif
           k1 = (n & WR_WAIT) != 0;
           k2 = (n & RD_WAIT) && (rf || !k1 || !wwoken);
           if :: k1 -> n = n & ~WR_WAIT :: else fi;                /* K1 */
           if :: k2 -> n = n & ~RD_WAIT :: else fi                 /* K2 */
       :: else                                                     /* not last */
       fi;
       atomic {                                                    /* R2/W2 + K */
           TOUCHABLE;
           if
           :: mem[ST] == s && mem[SEQ] == q ->
               mem[ST] = n;
               if :: k1 -> mem[SEQ] = q + SEQ_ONE :: else fi;
               ok = true; USER_LEAVE
           :: else -> s = mem[ST]; q = mem[SEQ]; ok = false
           fi
       };
       if :: ok -> break :: else fi
    od;
    /* released: wakes only; a real-time unlocker (fuss__sched_rt_priority)
     * releasing to both kinds wakes the writer first */
    if :: k1 && k2 && rf && rtu -> rf = false :: else fi;
    if :: k1 && !rf -> futex_wake(SEQ, 1, r) :: else fi;
    if :: k2 -> futex_wake(ST, WAKE_ALL, r) :: else fi;
    if :: k1 && rf -> futex_wake(SEQ, 1, r) :: else fi;
    pref = 0; rf = false; byw = false; k1 = false; k2 = false; probed = false; wwoken = false; n = 0; q = 0; r = 0
}

/* fuss_rwlock_rdunlock (R2) */
inline rdunlock()
{
    s = 1;
    do
    :: rcas(ST, s, s - 1, ok);                                     /* R2 */
       if
       :: ok -> break
       :: else ->
           assert(RLOCKED(s));                                     /* R3 never */
#ifndef BUG_TOUCH_AFTER_RELEASE
           if :: READERS(s) == 1 && (s & WAITING) -> unlock_contended(false); break :: else fi
#endif
       fi
    od;
#ifdef BUG_TOUCH_AFTER_RELEASE
    if
    :: READERS(s) == 1 && (s & WAITING) -> s = s - 1; rw_wake(s)
    :: else
    fi;
#endif
    s = 0; ok = false
}

/* fuss_rwlock_wrlock / _timedwrlock (tmd): wrlock_fast, then wrlock_slow;
 * res = 0 or ETIMEDOUT */
inline wrlock(tmd)
{
    USER_ENTER;
    s = 0;
    cas(ST, s, WRITE_LOCKED, got);                                 /* W1 fast */
    slept = 0; spins = 0;
    LOAD(s, ST);
    do
    :: got -> break
    :: else ->
        if
        :: READERS(s) == 0 ->
#ifndef BUG_WR_NO_REARM
            cas(ST, s, s | WRITE_LOCKED | slept, got)              /* W1 */
#else
            cas(ST, s, s | WRITE_LOCKED, got)
#endif
        :: !(s & WAITING) && READERS(s) != 0 && spins < SPIN_MAX -> spins++; LOAD(s, ST)
        :: READERS(s) != 0 ->
            ok = true;
            if
            :: !(s & WR_WAIT) -> cas(ST, s, s | WR_WAIT, ok)       /* S2 */
            :: else
            fi;
            if
            :: ok ->
                LOAD(q, SEQ);                                      /* load_acquire */
                LOAD(s, ST);
#ifndef BUG_WR_NO_RECHECK
                if
                :: READERS(s) == 0 || !(s & WR_WAIT) -> ok = false /* K1 ran: continue */
                :: else
                fi;
#endif
                if
                :: ok ->
#if TIMED_WR
                    if
                    :: tmd -> futex_timedwait(SEQ, q, r)
                    :: else -> futex_wait(SEQ, q, r)
                    fi;
                    assert(r == 0 || r == -EAGAIN || r == -ETIMEDOUT);
                    slept = WR_WAIT;
                    LOAD(s, ST);
                    if
                    :: r == -ETIMEDOUT ->                          /* T */
#ifndef BUG_NO_WITHDRAW
                        withdraw_writer();
#else
                        if
                        :: READERS(s) == 0 && (s & WAITING) -> rw_wake(s)
                        :: else
                        fi;
#endif
                        res = ETIMEDOUT; USER_LEAVE; break
                    :: else
                    fi
#else
                    futex_wait(SEQ, q, r);
                    assert(r == 0 || r == -EAGAIN);
                    slept = WR_WAIT;
                    LOAD(s, ST)
#endif
                :: else
                fi
            :: else
            fi
        fi
    od;
    s = 0; q = 0; got = false; ok = false; r = 0; spins = 0; slept = 0
}

/* fuss_rwlock_wrunlock (W2) */
inline wrunlock(rtu)
{
    s = WRITE_LOCKED;
    do
#ifndef BUG_TOUCH_AFTER_RELEASE
    :: rcas(ST, s, 0, ok);                                         /* W2 */
       if
       :: ok -> break
       :: else ->
           assert(WLOCKED(s));                                     /* W3 never */
           if :: s & WAITING -> unlock_contended(rtu); break :: else fi
       fi
#else
    :: rcas(ST, s, s & ~WRITE_LOCKED, ok);                         /* W2 */
       if :: ok -> break :: else -> assert(WLOCKED(s)) fi
#endif
    od;
#ifdef BUG_TOUCH_AFTER_RELEASE
    if
    :: s & WAITING -> s = s & ~WRITE_LOCKED; rw_wake(s)
    :: else
    fi;
#endif
    s = 0; ok = false
}

#define RW_LOCALS int s, q, r, slept, res, n, pref, rtk; byte spins, k; bool ok, got, k1, k2, probed, wwoken, rf, byw, rslept

/* tmd: timed calls; hold (RWCFG_HOLD): unlock only once all others
 * finished; rt: a real-time reader; try: tryrdlock instead of rdlock */
proctype Reader(bool tmd, hold, rt, try)
{
    RW_LOCALS;
    for (k : 1 .. ITER) {
        if
        :: try -> tryrdlock(rt)
        :: else -> rdlock(tmd, rt)
        fi;
        if
        :: atomic { res == 0 -> in_rd++; assert(in_wr == 0) };
           atomic { (!hold || finished == NR + NWR - 1) -> in_rd-- };
           rdunlock()
        :: atomic { res != 0 -> res = 0 }                          /* ETIMEDOUT, EBUSY */
        fi
    };
    finished++
}

/* rt: a real-time writer (its unlock wakes the writer first) */
proctype Writer(bool tmd, rt)
{
    RW_LOCALS;
    for (k : 1 .. ITER) {
        wrlock(tmd);
        if
        :: atomic { res == 0 -> in_wr++; assert(in_wr == 1 && in_rd == 0) };
           in_wr--;
           wrunlock(rt)
        :: atomic { res != 0 -> res = 0 }                          /* ETIMEDOUT */
        fi
    };
    finished++
}

init
{
    byte i;
    atomic {
#ifdef RCFG_PREF_RD
        mem[SEQ] = PREF_RD_BIT;                                    /* fuss_rwlock_init */
#endif
#ifdef RWCFG_HOLD
        run Reader(false, true, false, false)                      /* the holder */
    };
    in_rd == 1;                                                    /* read-held */
    atomic {
#endif
        for (i : 1 .. NR - HOLDER) {
            run Reader(TIMED_RD && i == 1, false, RT_RD && i == 1, TRY_RD && i == 1)
        };
        for (i : 1 .. NWR) { run Writer(TIMED_WR && i == 1, RT_WR && i == 1) }
    }
    finished == NR + NWR;
    assert(READERS(mem[ST]) == 0 && users == 0)
}
