/*
 * futex.pml — futex semantics shared by the primitive models (mutex.pml,
 * cond.pml, ...).  It is the contract of src/internal/wait.h, not either
 * backend: queue.pml checks that the emulated backend keeps it.
 *
 *   futex_wait(w, exp, r)       if mem[w] != exp: r = -EAGAIN; otherwise
 *                               sleep on w (the comparison and going to sleep
 *                               are ONE atomic step) until a wake picks us
 *                               (r = 0), or spuriously (r = 0, see SPURIOUS).
 *   futex_timedwait(w, exp, r)  the same, and may also give up: -ETIMEDOUT
 *                               (leaving the queue in the same atomic step,
 *                               so a wake-up that picked us is never lost).
 *   futex_wake(w, n, r)         wakes min(n, sleepers on w) of the sleepers
 *                               on w, ANY subset of that size
 *                               (nondeterministic); r = how many.
 *   futex_requeue(from, nwake, nreq, to, r)
 *   futex_cmp_requeue(from, exp, nwake, nreq, to, r)
 *                               wake up to nwake sleepers of from, then move
 *                               up to nreq of the others to to; r = woken +
 *                               moved, or -EAGAIN if (cmp) mem[from] != exp.
 *
 * SPURIOUS WAKE-UPS.  A sleeper may return 0 with no wake (wait.h: "a wait
 * may return early for any reason").  An unbounded supply would make every
 * sleeper always runnable and hide lost wake-ups (spin reports a lost
 * wake-up as an invalid end state: a thread still asleep when nothing else
 * can move), so the whole run gets a budget of SPURIOUS of them (default 1;
 * -DSPURIOUS=0 disables them, -DSPURIOUS=2 widens the search).
 *
 * A model #defines NWORDS (the number of futex words, mem[0 .. NWORDS-1],
 * declared here) and NPROC (highest _pid + 1) before including this file.
 * Sleepers are identified by _pid.
 */
#ifndef FUTEX_PML
#define FUTEX_PML

#ifndef SPURIOUS
#define SPURIOUS 1
#endif

#define EAGAIN    11
#define ETIMEDOUT 110
#define WAKE_ALL  127   /* larger than any thread count here: "INT_MAX" */

int  mem[NWORDS];          /* the futex words */
bool asleep[NPROC];        /* on a futex wait queue */
byte waddr[NPROC];         /* which word, while asleep */
byte spurious_left = SPURIOUS;
hidden byte fx_i, fx_k, fx_rem;  /* scratch of one atomic step, not state */

/* Going to sleep is one atomic step with the comparison; waking up is a
 * second step, taken when a wake picked us (asleep cleared), or spuriously at
 * any later moment while the budget lasts, or (timed) by giving up, which
 * leaves the queue in the same step.  r is 1 in between. */
inline fx_enqueue(w, exp, r)
{
    atomic {
        if
        :: mem[w] != exp -> r = -EAGAIN
        :: else -> waddr[_pid] = w; asleep[_pid] = true; r = 1
        fi
    }
}

inline futex_wait(w, exp, r)
{
    fx_enqueue(w, exp, r);
    if
    :: r == 1 ->
        atomic {
            if
            :: !asleep[_pid] -> skip
            :: asleep[_pid] && spurious_left > 0 -> spurious_left--; asleep[_pid] = false
            fi;
            waddr[_pid] = 0; r = 0
        }
    :: else
    fi
}

inline futex_timedwait(w, exp, r)
{
    fx_enqueue(w, exp, r);
    if
    :: r == 1 ->
        atomic {
            if
            :: !asleep[_pid] -> r = 0
            :: asleep[_pid] && spurious_left > 0 -> spurious_left--; asleep[_pid] = false; r = 0
            :: asleep[_pid] -> asleep[_pid] = false; r = -ETIMEDOUT
            fi;
            waddr[_pid] = 0
        }
    :: else
    fi
}

/* Count the sleepers on w into fx_rem. */
inline fx_count(w)
{
    fx_rem = 0;
    for (fx_i : 0 .. NPROC - 1) {
        if
        :: asleep[fx_i] && waddr[fx_i] == w -> fx_rem++
        :: else
        fi
    }
}

/* Pick exactly fx_k of the fx_rem sleepers on w, any subset, and apply
 * ACTION (a macro name taking the thread index) to each. */
#define FX_WAKE_ONE(i)      asleep[i] = false
#define FX_PICK(w, ACTION)                                                  \
    for (fx_i : 0 .. NPROC - 1) {                                            \
        if                                                                  \
        :: asleep[fx_i] && waddr[fx_i] == w ->                              \
            if                                                              \
            :: fx_k > 0 -> ACTION(fx_i); fx_k--                             \
            :: fx_rem > fx_k -> skip                                        \
            fi;                                                             \
            fx_rem--                                                        \
        :: else                                                             \
        fi                                                                  \
    }

inline futex_wake(w, n, r)
{
    atomic {
        fx_count(w);
        fx_k = (n < fx_rem -> n : fx_rem);
        r = fx_k;
        FX_PICK(w, FX_WAKE_ONE);
        fx_i = 0; fx_k = 0; fx_rem = 0
    }
}

#define FX_MOVE_TO(i)  waddr[i] = fx_to
hidden byte fx_to;

inline fx_requeue(from, nwake, nreq, to, r)
{
    fx_count(from);
    fx_k = (nwake < fx_rem -> nwake : fx_rem);
    r = fx_k;
    FX_PICK(from, FX_WAKE_ONE);
    fx_count(from);
    fx_k = (nreq < fx_rem -> nreq : fx_rem);
    r = r + fx_k;
    fx_to = to;
    FX_PICK(from, FX_MOVE_TO);
    fx_i = 0; fx_k = 0; fx_rem = 0; fx_to = 0
}

inline futex_requeue(from, nwake, nreq, to, r)
{
    atomic { fx_requeue(from, nwake, nreq, to, r) }
}

inline futex_cmp_requeue(from, exp, nwake, nreq, to, r)
{
    atomic {
        if
        :: mem[from] != exp -> r = -EAGAIN
        :: else -> fx_requeue(from, nwake, nreq, to, r)
        fi
    }
}

#endif /* FUTEX_PML */
