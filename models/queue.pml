/*
 * queue.pml — the emulated backend's user-space wait queues,
 * src/backend/queue.c, step by step.  It does NOT use futex.pml: this is the
 * code that implements futex semantics, checked against them.
 *
 * What is modelled: buckets (a lock and a FIFO list), nodes, the claim word
 * (group state OPEN -> index | CANCELLED, decided by CAS), the per-thread
 * parker semaphore, and the functions fuss__q_wait, fuss__q_wake,
 * fuss__q_requeue and fuss__q_waitv with every helper they call, in the
 * order the C calls them.  Not modelled: bitsets (all ANY), wake_op (it is
 * claim_waiters on two buckets, already covered), waitv_active (a hint for
 * the linux backend only).  A deadline or a signal is one nondeterministic
 * outcome of park(): it may happen at any moment, even with a token posted.
 *
 * Configurations (-D), 3 threads each:
 *   QCFG_WAIT (default) W1 fuss__q_wait(A, 0) with a deadline, W2 the same
 *                       without one; K: A = 1; q_wake(A, 1); q_wake(A, ALL).
 *   QCFG_REQUEUE        W1 timed, W2 untimed, both wait(A, 0); K: A = 1;
 *                       q_requeue(A, cmp 1, wake 1, requeue ALL, B);
 *                       B = 1; q_wake(B, ALL).
 *   QCFG_WAITV          W1 q_waitv({A,0},{B,0}) with a deadline, W2
 *                       q_wait(B, 0); K: A = 1; q_wake(A, ALL) and
 *                       K2: B = 1; q_wake(B, ALL).  (4 threads.)
 *   SAME_BUCKET         A and B hash to one bucket (default: two buckets).
 *
 * Properties:
 *   no double claim      a group is claimed at most once, never after it was
 *                        cancelled (assert in try_claim);
 *   no lost wake-up      a waiter returns its wake-up (>= 0, the claimed
 *                        index) iff a waker claimed it: it never returns
 *                        ETIMEDOUT after being claimed; the wakers' counts
 *                        add up to the waiters that report a wake-up; an
 *                        untimed waiter never sleeps forever (invalid end
 *                        state) once its word changed and a wake followed;
 *   token conservation   the parker is 0 whenever a wait begins and when
 *                        everything has finished;
 *   lifetime             nobody touches a node after its waiter returned;
 *                        a node is unlinked only under its bucket's lock.
 *
 * Injected bugs (each must be rejected):
 *   BUG_TIMEOUT_WINS     give_up_wait stores CANCELLED instead of CAS: the
 *                        timeout overrides a claim (lost wake-up).
 *   BUG_NO_CONSUME       give_up_wait does not consume the token of the claim
 *                        that beat it (token left in the parker).
 *   BUG_UNLOCKED_CHECK   enqueue_checked compares the word before taking the
 *                        bucket lock (lost wake-up, sleeper never woken).
 *   BUG_NO_RECHECK       lock_node_bucket does not re-check the address
 *                        after locking (unlinks under the wrong lock).
 *   BUG_CLAIM_NOT_CAS    try_claim loads then stores (double claim).
 *   BUG_WAITV_DOUBLE_CONSUME  sleep_claimed's waitv exit calls give_up_wait
 *                        after park() already consumed the token — what
 *                        queue.c did at commit 1f79978 (waitv woken normally
 *                        sleeps forever); see README.md.
 *
 * Run:  spin -a [-DQCFG_REQUEUE|-DQCFG_WAITV] queue.pml
 *       gcc -O2 -DSAFETY -DMEMLIM=1024 -o pan pan.c && ./pan -m10000
 */

#define NB_WORDS 2
#define A 0
#define B 1
#ifdef SAME_BUCKET
#define BUCKET_OF(w) 0
#else
#define BUCKET_OF(w) (w)
#endif
#define NBUCKETS 2
#define MAXQ 4           /* nodes at most: W1's two, W2's one (+1 spare) */
#define NW 2             /* waiter threads: groups 0 and 1 */
#define NNODES 4         /* node id = group * 2 + index */
#define OPEN (-1)
#define CANCELLED (-2)
#define EAGAIN 11
#define ETIMEDOUT 110
#define ALL 127

typedef bucket_t {
    byte owner;          /* _pid + 1 of the lock holder, 0 if free */
    byte qlen;
    byte item[MAXQ]      /* node ids, head first */
};

bucket_t bk[NBUCKETS];
int  mem[NB_WORDS];
short gstate[NW];        /* group->state, the claim word */
byte parker[NW];         /* the waiter's semaphore */
byte naddr[NNODES];      /* node->addr: word id */
bool linked[NNODES];
bool alive[NNODES];      /* the node's stack frame exists */

/* ghost state for the properties */
byte nclaims[NW];        /* successful claims of the group */
short claimed_idx[NW];   /* index the claim carried */
byte reported;           /* sum of the wakers' results */
byte got_wakeup;         /* waiters that returned a wake-up */
byte finished;           /* threads done */

hidden byte h_p, h_i;    /* scratch of d_steps */

inline lock(b)   { atomic { bk[b].owner == 0 -> bk[b].owner = _pid + 1 } }
inline unlock(b) { d_step { assert(bk[b].owner == _pid + 1); bk[b].owner = 0 } }

/* link_tail: under b's lock. */
inline link_tail(b, n)
{
    d_step {
        assert(bk[b].owner == _pid + 1 && !linked[n] && bk[b].qlen < MAXQ);
        bk[b].item[bk[b].qlen] = n;
        bk[b].qlen++;
        linked[n] = true
    }
}

/* unlink_node: under b's lock; n must be on b's list. */
inline unlink_node(b, n)
{
    d_step {
        assert(bk[b].owner == _pid + 1 && linked[n] && alive[n]);
        h_p = 0;
        do
        :: h_p < bk[b].qlen && bk[b].item[h_p] != n -> h_p++
        :: else -> break
        od;
        assert(h_p < bk[b].qlen);          /* n is on THIS bucket's list */
        do
        :: h_p + 1 < bk[b].qlen -> bk[b].item[h_p] = bk[b].item[h_p + 1]; h_p++
        :: else -> break
        od;
        bk[b].qlen--;
        bk[b].item[bk[b].qlen] = 0;
        linked[n] = false;
        h_p = 0
    }
}

/* lock_node_bucket: requeue may move n meanwhile, so lock, re-check the
 * address, retry if it changed. */
inline lock_node_bucket(n, b)
{
    do
    :: la = naddr[n];
       b = BUCKET_OF(la);
       lock(b);
#ifndef BUG_NO_RECHECK
       if
       :: naddr[n] == la -> break
       :: else -> unlock(b)
       fi
#else
       break
#endif
    od;
    la = 0
}

/* try_claim: CAS group->state OPEN -> n->index. */
inline try_claim(n, ok)
{
#ifndef BUG_CLAIM_NOT_CAS
    atomic {
        assert(alive[n]);
        if
        :: gstate[n / 2] == OPEN ->
            gstate[n / 2] = n % 2; ok = true;
            nclaims[n / 2]++; claimed_idx[n / 2] = n % 2;
            assert(nclaims[n / 2] == 1)                /* no double claim */
        :: else -> ok = false
        fi
    }
#else
    ok = (gstate[n / 2] == OPEN);
    if
    :: ok ->
        atomic {
            gstate[n / 2] = n % 2;
            nclaims[n / 2]++; claimed_idx[n / 2] = n % 2;
            assert(nclaims[n / 2] == 1)
        }
    :: else
    fi
#endif
}

/* claim_waiters: caller holds b's lock.  list is a bit set of claimed
 * nodes (the C's wake_next chain; only the set matters to post_claimed). */
inline claim_waiters(b, w, count, woken, list)
{
    woken = 0;
    p = 0;
    do
    :: p < bk[b].qlen && woken < count ->
        n = bk[b].item[p];
        if
        :: naddr[n] == w ->
            unlink_node(b, n);        /* the list shifts: p is now "next" */
            try_claim(n, ok);
            if
            :: ok -> list = list | (1 << n); woken++
            :: else
            fi
        :: else -> p++
        fi
    :: else -> break
    od;
    p = 0; n = 0; ok = false
}

/* post_claimed: no bucket lock held.  Reads the group (parker) from the
 * node before posting, as the post may let the node's frame die. */
inline post_claimed(list)
{
    n = 0;
    do
    :: n < NNODES ->
        if
        :: list & (1 << n) ->
            atomic { assert(alive[n]); parker[n / 2]++ }
        :: else
        fi;
        n++
    :: else -> break
    od;
    n = 0; list = 0
}

/* move_waiters: caller holds both locks.  Moves unclaimed waiters of from
 * to to (from != to in every configuration). */
inline move_waiters(bf, from, bt, to, count, moved)
{
    moved = 0;
    p = 0;
    do
    :: p < bk[bf].qlen && moved < count ->
        n = bk[bf].item[p];
        if
        :: naddr[n] == from && gstate[n / 2] == OPEN ->
            unlink_node(bf, n);
            naddr[n] = to;
            link_tail(bt, n);
            moved++
        :: else -> p++
        fi
    :: else -> break
    od;
    p = 0; n = 0
}

inline bucket_lock2(a, b)
{
    if
    :: a == b -> lock(a)
    :: a < b -> lock(a); lock(b)
    :: a > b -> lock(b); lock(a)
    fi
}

inline bucket_unlock2(a, b)
{
    unlock(a);
    if :: a != b -> unlock(b) :: else fi
}

/* ---- the waiter's side ---------------------------------------------------- */

inline consume_token()
{
    atomic { parker[me] > 0 -> parker[me]-- }
}

/* park: posted (0), or the deadline/a signal (-ETIMEDOUT) at any moment. */
inline park(r)
{
    if
    :: atomic { parker[me] > 0 -> parker[me]--; r = 0 }
    :: timed -> r = -ETIMEDOUT
    fi
}

/* give_up_wait: decide the claim word, then unlink what is still linked. */
inline give_up_wait(count, give_up, result)
{
#ifndef BUG_TIMEOUT_WINS
    atomic {
        if
        :: gstate[me] == OPEN -> gstate[me] = CANCELLED; won = true
        :: else -> state = gstate[me]; won = false
        fi
    }
#else
    gstate[me] = CANCELLED; won = true;
#endif
    if
    :: won -> result = give_up
    :: else ->
#ifndef BUG_NO_CONSUME
        consume_token();    /* a waker claimed us first: report its wake-up */
#endif
        result = state
    fi;
    i = 0;
    do
    :: i < count ->
        lock_node_bucket(me * 2 + i, b);
        if
        :: linked[me * 2 + i] -> unlink_node(b, me * 2 + i)
        :: else
        fi;
        unlock(b);
        i++
    :: else -> break
    od;
    i = 0; b = 0; state = 0; won = false
}

/* enqueue_checked: false (nothing queued) if *word != expected. */
inline enqueue_checked(n, w, exp, match)
{
    b = BUCKET_OF(w);
#ifndef BUG_UNLOCKED_CHECK
    lock(b);
    match = (mem[w] == exp);
#else
    match = (mem[w] == exp);
    lock(b);
#endif
    if
    :: match -> link_tail(b, n)
    :: else
    fi;
    unlock(b);
    b = 0
}

inline node_init(n, w, idx)
{
    d_step { naddr[n] = w; linked[n] = false; alive[n] = true }
}

inline group_init()
{
    assert(parker[me] == 0);          /* token conservation */
    d_step { gstate[me] = OPEN; nclaims[me] = 0; claimed_idx[me] = OPEN }
}

/* sleep_claimed: sleep until claimed, the deadline or a signal. */
inline sleep_claimed(count, r)
{
    park(r);
    if
    :: r == 0 ->
        r = gstate[me];               /* only a claimer posts */
        assert(r >= 0);
#ifdef BUG_WAITV_DOUBLE_CONSUME
        if
        :: count > 1 -> give_up_wait(count, r, r2)
        :: else
        fi
#else
        /* waitv: the other nodes are still queued; unlink them only (the
         * claim is decided and its token already consumed). */
        if
        :: count > 1 -> unlink_rest(count)
        :: else
        fi
#endif
    :: else -> give_up_wait(count, r, r2); r = r2
    fi;
    r2 = 0
}

/* unlink_all (queue.c): the unlink loop, alone. */
inline unlink_rest(count)
{
    i = 0;
    do
    :: i < count ->
        lock_node_bucket(me * 2 + i, b);
        if
        :: linked[me * 2 + i] -> unlink_node(b, me * 2 + i)
        :: else
        fi;
        unlock(b);
        i++
    :: else -> break
    od;
    i = 0; b = 0
}

/* Checks at every waiter's return. */
inline waiter_return(r)
{
    d_step {
        /* reported iff claimed, with the claimed index */
        assert((r >= 0) == (nclaims[me] == 1));
        assert(r < 0 || r == claimed_idx[me]);
        assert(!linked[me * 2] && !linked[me * 2 + 1]);
        alive[me * 2] = false; alive[me * 2 + 1] = false;
        if :: r >= 0 -> got_wakeup++ :: else fi;
        finished++
    }
}

/* fuss__q_wait */
proctype QWait(byte me; byte w; int exp; bool timed)
{
    short r, r2, state; bool match, won; byte i, b, la;

    group_init();
    node_init(me * 2, w, 0);
    enqueue_checked(me * 2, w, exp, match);
    if
    :: !match -> r = -EAGAIN
    :: else -> sleep_claimed(1, r)
    fi;
    waiter_return(r)
}

/* fuss__q_waitv with two words */
proctype QWaitv(byte me; byte w0; int e0; byte w1; int e1; bool timed)
{
    short r, r2, state; bool match, won; byte i, b, la, queued;

    group_init();
    node_init(me * 2, w0, 0);
    enqueue_checked(me * 2, w0, e0, match);
    if
    :: match ->
        queued = 1;
        node_init(me * 2 + 1, w1, 1);
        enqueue_checked(me * 2 + 1, w1, e1, match);
        if :: match -> queued = 2 :: else fi
    :: else
    fi;
    if
    :: queued < 2 -> give_up_wait(queued, -EAGAIN, r)   /* may report an early wake-up */
    :: else -> sleep_claimed(2, r)
    fi;
    waiter_return(r)
}

/* fuss__q_wake */
inline q_wake(w, count, res)
{
    b = BUCKET_OF(w);
    lock(b);
    claim_waiters(b, w, count, res, list);
    unlock(b);
    post_claimed(list);
    atomic { reported = reported + res; b = 0 }
}

/* fuss__q_requeue with a comparison */
inline q_cmp_requeue(from, exp, nwake, nreq, to, res)
{
    bf = BUCKET_OF(from); bt = BUCKET_OF(to);
    bucket_lock2(bf, bt);
    if
    :: mem[from] != exp -> bucket_unlock2(bf, bt); res = -EAGAIN
    :: else ->
        claim_waiters(bf, from, nwake, res, list);
        move_waiters(bf, from, bt, to, nreq, moved);
        bucket_unlock2(bf, bt);
        post_claimed(list);
        atomic { reported = reported + res; res = res + moved; moved = 0 }
    fi;
    bf = 0; bt = 0
}

proctype Waker()
{
    byte b, p, n, list, bf, bt, moved; bool ok; short res;
#if defined(QCFG_REQUEUE)
    mem[A] = 1;
    q_cmp_requeue(A, 1, 1, ALL, B, res);
    mem[B] = 1;
    q_wake(B, ALL, res);
#elif defined(QCFG_WAITV)
    mem[A] = 1;
    q_wake(A, ALL, res);
#else
    mem[A] = 1;
    q_wake(A, 1, res);
    q_wake(A, ALL, res);
#endif
    finished++
}

proctype Waker2()
{
    byte b, p, n, list; bool ok; short res;
    mem[B] = 1;
    q_wake(B, ALL, res);
    finished++
}

init
{
    atomic {
#if defined(QCFG_WAITV)
        run QWaitv(0, A, 0, B, 0, true);
        run QWait(1, B, 0, false);
        run Waker();
        run Waker2();
#else
        run QWait(0, A, 0, true);
        run QWait(1, A, 0, false);
        run Waker();
#endif
    }
    /* everything finished: counts add up, no token left anywhere */
#if defined(QCFG_WAITV)
    finished == 4;
#else
    finished == 3;
#endif
    assert(reported == got_wakeup);
    assert(parker[0] == 0 && parker[1] == 0);
    assert(bk[0].qlen == 0 && bk[1].qlen == 0)
}
