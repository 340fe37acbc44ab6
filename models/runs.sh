# runs.sh — the table of model runs, sourced by check.sh.
# run <name> <file> <pass|reject> <safety|ltl> <spin -D flags...>
# A "pass" run must verify with no error; a "reject" run (an injected bug)
# must produce a counterexample.

# emulated backend wait queues (src/backend/queue.c)
run "queue wait"                          queue.pml pass   safety
run "queue requeue"                       queue.pml pass   safety -DQCFG_REQUEUE
run "queue waitv"                         queue.pml pass   safety -DQCFG_WAITV
run "queue waitv same-bucket"             queue.pml pass   safety -DQCFG_WAITV -DSAME_BUCKET
run "queue BUG_TIMEOUT_WINS"              queue.pml reject safety -DBUG_TIMEOUT_WINS
run "queue BUG_NO_CONSUME"                queue.pml reject safety -DBUG_NO_CONSUME
run "queue BUG_UNLOCKED_CHECK"            queue.pml reject safety -DBUG_UNLOCKED_CHECK
run "queue BUG_NO_RECHECK"                queue.pml reject safety -DQCFG_REQUEUE -DBUG_NO_RECHECK
run "queue BUG_CLAIM_NOT_CAS"             queue.pml reject safety -DQCFG_WAITV -DBUG_CLAIM_NOT_CAS
run "queue BUG_WAITV_DOUBLE_CONSUME"      queue.pml reject safety -DQCFG_WAITV -DBUG_WAITV_DOUBLE_CONSUME

# mutex (src/mutex.c): 3 threads x 2 lock/unlock rounds; variants with 1 round;
# MCFG_STALE: every sleep may end at the SLICE_NS cap (the stale-STARVING rule)
run "mutex"                               mutex.pml pass   big
run "mutex timedlock"                     mutex.pml pass   safety -DMCFG_TIMED -DITER=1
run "mutex trylock"                       mutex.pml pass   safety -DMCFG_TRY -DITER=1
run "mutex 2 threads x 3 rounds"          mutex.pml pass   safety -DNT=2 -DITER=3
run "mutex stale STARVING (slice)"        mutex.pml pass   safety -DMCFG_STALE -DITER=1
run "mutex stale STARVING, timedlock"     mutex.pml pass   safety -DMCFG_STALE -DMCFG_TIMED -DITER=1
run "mutex progress (ltl)"                mutex.pml pass   ltl    -DMUTEX_LTL -DITER=1
run "mutex BUG_MISSING_WAKE"              mutex.pml reject safety -DBUG_MISSING_WAKE -DITER=1
run "mutex BUG_MISSING_WAKE (ltl)"        mutex.pml reject ltl    -DMUTEX_LTL -DBUG_MISSING_WAKE -DITER=1
run "mutex BUG_NO_REPARK"                 mutex.pml reject safety -DBUG_NO_REPARK -DITER=1
run "mutex BUG_SPIN_LOAD_STORE"           mutex.pml reject safety -DBUG_SPIN_LOAD_STORE -DITER=1
run "mutex BUG_SLEEP_UNPARKED"            mutex.pml reject safety -DBUG_SLEEP_UNPARKED -DITER=1
run "mutex BUG_NEWCOMER_CLAIMS"           mutex.pml reject safety -DBUG_NEWCOMER_CLAIMS -DITER=1
run "mutex BUG_CLAIM_DROPS_PARKED"        mutex.pml reject safety -DBUG_CLAIM_DROPS_PARKED -DITER=1
run "mutex BUG_STARVER_LEAVES"            mutex.pml reject safety -DMCFG_TIMED -DBUG_STARVER_LEAVES -DITER=1
run "mutex BUG_UNDO_HANDOFF"              mutex.pml reject safety -DBUG_UNDO_HANDOFF -DITER=1
run "mutex BUG_HANDOFF_ENDS_STARVING"     mutex.pml reject safety -DBUG_HANDOFF_ENDS_STARVING -DITER=1
# MCFG_FORK: thread 1 forks holding the lock or after its unlock; the others stop
run "mutex fork (one thread stays)"       mutex.pml pass   big    -DMCFG_FORK -DITER=1
run "mutex BUG_FORK_NO_STALE"             mutex.pml reject safety -DMCFG_FORK -DBUG_FORK_NO_STALE -DITER=1

# condition variable (src/cond.c) over the real mutex steps
run "cond signal"                         cond.pml  pass   big
run "cond signal outside the lock"        cond.pml  pass   big    -DCCFG_SIGNAL_OUTSIDE -DSPURIOUS=0
run "cond timedwait (no spurious)"        cond.pml  pass   big    -DCCFG_TIMED -DSPURIOUS=0
run "cond broadcast (requeue)"            cond.pml  pass   big    -DCCFG_BROADCAST
run "cond broadcast outside the lock"     cond.pml  pass   big    -DCCFG_BROADCAST_OUTSIDE
run "cond signal, sticky COUNT_MAX 1"     cond.pml  pass   big    -DCOUNT_MAX=1
run "cond broadcast, sticky COUNT_MAX 1"  cond.pml  pass   big    -DCCFG_BROADCAST -DCOUNT_MAX=1
run "cond BUG_MISSING_WAKE"               cond.pml  reject safety -DBUG_MISSING_WAKE
run "cond BUG_COUNT_OVERFLOW broadcast"   cond.pml  reject safety -DCCFG_BROADCAST -DCOUNT_MAX=1 -DBUG_COUNT_OVERFLOW
run "cond BUG_REQUEUE_UNMARKED"           cond.pml  reject safety -DCCFG_BROADCAST_OUTSIDE -DBUG_REQUEUE_UNMARKED
run "cond BUG_REGISTER_UNLOCKED"          cond.pml  reject safety -DBUG_REGISTER_UNLOCKED
run "cond BUG_SPINNER_NO_MARK"            cond.pml  reject safety -DBUG_SPINNER_NO_MARK
run "cond BUG_SIGNAL_IGNORES_OLD"         cond.pml  reject safety -DBUG_SIGNAL_IGNORES_OLD
run "cond BUG_REGISTER_BEFORE_READ"       cond.pml  reject safety -DCCFG_SIGNAL_OUTSIDE -DSPURIOUS=0 -DBUG_REGISTER_BEFORE_READ
run "cond BUG_PLAIN_RELOCK"               cond.pml  reject safety -DCCFG_BROADCAST -DBUG_PLAIN_RELOCK
run "cond destroy, re-init after broadcast" cond.pml pass  big    -DCCFG_REINIT
run "cond BUG_DESTROY_SPINNERS_ONLY"      cond.pml  reject safety -DCCFG_REINIT -DBUG_DESTROY_SPINNERS_ONLY

# once (src/once.c): 3 callers
run "once"                                once.pml  pass   safety
run "once BUG_NO_WAKE"                    once.pml  reject safety -DBUG_NO_WAKE
# OCFG_FORK: thread 1 forks before its call; the others stop where they are
run "once fork (one thread stays)"        once.pml  pass   safety -DOCFG_FORK
run "once BUG_FORK_NO_TAKEOVER"           once.pml  reject safety -DOCFG_FORK -DBUG_FORK_NO_TAKEOVER

# semaphore (src/sem.c): 2 waiters, 2 posters (or 1 poster x 2)
run "sem"                                 sem.pml   pass   safety
run "sem timedwait"                       sem.pml   pass   safety -DSCFG_TIMED
run "sem 1 poster x 2"                    sem.pml   pass   safety -DNP=1 -DPER=2
run "sem BUG_POST_NO_WAKE"                sem.pml   reject safety -DBUG_POST_NO_WAKE
run "sem BUG_POST_STALE_COUNT"            sem.pml   reject safety -DBUG_POST_STALE_COUNT

# events (src/event.c): manual and auto-reset, 2 waiters + 1 setter; timed: waiter 1 timed
run "event manual"                        event.pml pass   safety
run "event manual set+reset"              event.pml pass   safety -DECFG_RESET
run "event auto"                          event.pml pass   safety -DECFG_AUTO
run "event auto 3 waiters"                event.pml pass   safety -DECFG_AUTO -DNW=3
run "event manual timed"                  event.pml pass   safety -DECFG_TIMED
run "event manual set+reset timed"        event.pml pass   safety -DECFG_TIMED -DECFG_RESET
run "event auto timed"                    event.pml pass   safety -DECFG_TIMED -DECFG_AUTO
run "event auto timed 3 waiters"          event.pml pass   safety -DECFG_TIMED -DECFG_AUTO -DNW=3
run "event BUG_NO_GEN"                    event.pml reject safety -DECFG_RESET -DBUG_NO_GEN
run "event BUG_SET_NO_WAKE"               event.pml reject safety -DBUG_SET_NO_WAKE
run "event auto BUG_SET_NO_WAKE"          event.pml reject safety -DECFG_AUTO -DBUG_SET_NO_WAKE
run "event BUG_AUTO_NO_REARM"             event.pml reject safety -DECFG_AUTO -DBUG_AUTO_NO_REARM
run "event BUG_TIMEOUT_FIRST"             event.pml reject safety -DECFG_TIMED -DBUG_TIMEOUT_FIRST
run "event BUG_AUTO_TIMEOUT_AS_SET"       event.pml reject safety -DECFG_TIMED -DECFG_AUTO -DBUG_AUTO_TIMEOUT_AS_SET

# rwlock (src/rwlock.c): writer preference (default) and reader preference; timed writer 1 / reader 1;
# every run also checks no touch after release (ghost users)
run "rwlock 2 readers + writer"           rwlock.pml pass   safety
run "rwlock reader + 2 writers"           rwlock.pml pass   safety -DNR=1 -DNWR=2
run "rwlock prefer reader"                rwlock.pml pass   safety -DRCFG_PREF_RD
run "rwlock prefer reader, 2 writers"     rwlock.pml pass   safety -DRCFG_PREF_RD -DNR=1 -DNWR=2
run "rwlock reader + writer x 2 rounds"   rwlock.pml pass   safety -DNR=1 -DNWR=1 -DITER=2
run "rwlock timed writer + timed reader"  rwlock.pml pass   safety -DRWCFG_TIMED -DRWCFG_TIMED_RD
run "rwlock timed writer + writer"        rwlock.pml pass   safety -DRWCFG_TIMED -DNR=1 -DNWR=2
run "rwlock timed writer, read-held"      rwlock.pml pass   safety -DRWCFG_TIMED -DRWCFG_HOLD -DNR=3
run "rwlock prefer reader, timed reader"  rwlock.pml pass   safety -DRCFG_PREF_RD -DRWCFG_TIMED_RD -DNR=1 -DNWR=2
run "rwlock BUG_WR_NO_RECHECK"            rwlock.pml reject safety -DNR=1 -DNWR=2 -DBUG_WR_NO_RECHECK
run "rwlock BUG_WR_NO_REARM"              rwlock.pml reject safety -DNR=1 -DNWR=2 -DBUG_WR_NO_REARM
run "rwlock BUG_READ_WHILE_WRITTEN"       rwlock.pml reject safety -DBUG_READ_WHILE_WRITTEN
run "rwlock BUG_NO_WITHDRAW"              rwlock.pml reject safety -DRWCFG_TIMED -DRWCFG_HOLD -DNR=3 -DBUG_NO_WITHDRAW
run "rwlock BUG_WITHDRAW_NO_WAKE"         rwlock.pml reject safety -DRWCFG_TIMED -DNR=1 -DNWR=2 -DBUG_WITHDRAW_NO_WAKE
run "rwlock BUG_RD_TIMEOUT_CLEARS"        rwlock.pml reject safety -DRWCFG_TIMED_RD -DBUG_RD_TIMEOUT_CLEARS
run "rwlock prefer reader, timed writer + writer" rwlock.pml pass safety -DRCFG_PREF_RD -DRWCFG_TIMED -DNR=1 -DNWR=2
run "rwlock BUG_TOUCH_AFTER_RELEASE"      rwlock.pml reject safety -DBUG_TOUCH_AFTER_RELEASE
run "rwlock BUG_TOUCH_AFTER_RELEASE prefer reader" rwlock.pml reject safety -DRCFG_PREF_RD -DBUG_TOUCH_AFTER_RELEASE
run "rwlock BUG_NO_PROBE"                 rwlock.pml reject safety -DBUG_NO_PROBE
# RWCFG_RT: reader 1 real-time (1e2ce41, issue 23 cause 7); the writer-first check needs -DSPURIOUS=0 and one writer
run "rwlock prefer reader, RT reader"     rwlock.pml pass   safety -DRCFG_PREF_RD -DRWCFG_RT
run "rwlock prefer reader, RT reader, writer first" rwlock.pml pass safety -DRCFG_PREF_RD -DRWCFG_RT -DSPURIOUS=0
run "rwlock prefer reader, RT reader, timed writer" rwlock.pml pass safety -DRCFG_PREF_RD -DRWCFG_RT -DRWCFG_TIMED
run "rwlock prefer reader, RT tryrdlock, RT writer" rwlock.pml pass safety -DRCFG_PREF_RD -DRWCFG_RT -DRWCFG_TRY_RD -DRWCFG_RT_WR
run "rwlock BUG_RT_LAST_READER_WAKES_READERS" rwlock.pml reject safety -DRCFG_PREF_RD -DRWCFG_RT -DSPURIOUS=0 -DBUG_RT_LAST_READER_WAKES_READERS
run "rwlock BUG_RT_NOT_ASKED"             rwlock.pml reject safety -DRCFG_PREF_RD -DRWCFG_RT -DBUG_RT_NOT_ASKED

# barrier (src/barrier.c): 4 threads, count 2, any 2 make a round (late leavers, extras);
# the last ticket's thread destroys; reset mid-run (MAX_IN 2); the same 2 threads x 3 rounds
run "barrier changing threads"            barrier.pml pass   big
run "barrier destroy"                     barrier.pml pass   big    -DBCFG_DESTROY
run "barrier reset"                       barrier.pml pass   safety -DMAX_IN=2
run "barrier same threads"                barrier.pml pass   safety -DNT=2 -DWAITS=3
run "barrier same threads destroy"        barrier.pml pass   safety -DNT=2 -DWAITS=3 -DBCFG_DESTROY
run "barrier BUG_LEAVING_STORE"           barrier.pml reject safety -DBUG_LEAVING_STORE
run "barrier BUG_LEAVING_STORE destroy"   barrier.pml reject safety -DBCFG_DESTROY -DBUG_LEAVING_STORE
run "barrier BUG_NO_WAKE"                 barrier.pml reject safety -DBUG_NO_WAKE
run "barrier BUG_SLEEP_NO_FLAG"           barrier.pml reject safety -DBUG_SLEEP_NO_FLAG
run "barrier BUG_RESET_NO_WAKE"           barrier.pml reject safety -DMAX_IN=2 -DBUG_RESET_NO_WAKE
run "barrier BUG_DESTROY_NO_RESET_WAIT"   barrier.pml reject safety -DBCFG_DESTROY -DBUG_DESTROY_NO_RESET_WAIT

# latch (src/event.c): count 2, 2 doners + 2 waiters; add() racing (count 1: done; add(1) + done)
run "latch"                               latch.pml pass   safety
run "latch add racing"                    latch.pml pass   safety -DLCFG_ADD
run "latch BUG_SPLIT_BUMP"                latch.pml reject safety -DLCFG_ADD -DBUG_SPLIT_BUMP
run "latch BUG_DONE_NO_WAKE"              latch.pml reject safety -DBUG_DONE_NO_WAKE
run "latch BUG_LATE_GEN"                  latch.pml reject safety -DBUG_LATE_GEN
run "latch BUG_BUMP_EVERY_DONE"           latch.pml reject safety -DBUG_BUMP_EVERY_DONE

# robust owned mutex (src/omutex.c, src/omutex_robust.c)
# one thread dies at any point it holds the lock (or owes no wake-up); 2 others x 2 rounds
run "robust"                              robust.pml pass   big
run "robust not consistent"               robust.pml pass   big    -DRCFG_NO_CONSISTENT
run "robust 1 round, spinning"            robust.pml pass   safety -DITER=1 -DSPIN_MAX=1
run "robust BUG_DEATH_NO_WAKE"            robust.pml reject safety -DITER=1 -DBUG_DEATH_NO_WAKE
run "robust BUG_UNLOCK_NO_WAKE"           robust.pml reject safety -DITER=1 -DBUG_UNLOCK_NO_WAKE
run "robust BUG_DIED_AS_FREE"             robust.pml reject safety -DITER=1 -DBUG_DIED_AS_FREE
run "robust BUG_DIED_CLEARS_WAITERS"      robust.pml reject safety -DITER=1 -DBUG_DIED_CLEARS_WAITERS
run "robust BUG_NO_NOTREC"                robust.pml reject safety -DITER=1 -DRCFG_NO_CONSISTENT -DBUG_NO_NOTREC
run "robust death before wake (slice)"    robust.pml pass   big    -DRCFG_DIE_BEFORE_WAKE -DRCFG_SLICE
run "robust death after wake (slice)"     robust.pml pass   big    -DRCFG_DIE_AFTER_WAKE -DRCFG_SLICE
run "robust death before wake, no slice"  robust.pml reject safety -DRCFG_DIE_BEFORE_WAKE
run "robust death after wake, no slice"   robust.pml reject safety -DRCFG_DIE_AFTER_WAKE
run "robust not robust, unlocker dies before wake (slice)" robust.pml pass safety -DITER=1 -DRCFG_NOT_ROBUST -DRCFG_SLICE
run "robust not robust, no slice"         robust.pml reject safety -DITER=1 -DRCFG_NOT_ROBUST
