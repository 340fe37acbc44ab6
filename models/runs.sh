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
