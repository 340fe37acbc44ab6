/*
 * queue.c — futex semantics in user space: address-hashed buckets of wait
 * queues and a per-thread parker.
 *
 * STRUCTURE
 *   bucket   one of QUEUE_BUCKETS, chosen by hashing a word's address; a
 *            short lock and a doubly linked FIFO list of nodes.  The lock
 *            and the parker are internal/park.h's, one implementation per
 *            backend (futex words on linux, POSIX objects when emulated).
 *   node     one per (waiting thread, word); lives on the waiter's stack.
 *            node->addr is the word it waits on now (requeue changes it).
 *   group    one per waiting thread and call; all nodes of one waitv call
 *            share it.  group->state is the claim word below.
 *   parker   a per-thread token (internal/park.h); a waker that claims a
 *            group posts it exactly once, and the waiter consumes that token
 *            before it returns, so the parker is empty whenever a wait
 *            begins.
 *
 * THE CLAIM WORD (group->state), the single decision of who ends a wait:
 *   (1) CLAIM_OPEN (-1)      waiting; set by the waiter before it queues.
 *   (2) index >= 0           claimed by a waker for the node at that index;
 *                            set by CAS OPEN -> index, under the lock of the
 *                            bucket that holds that node.  The waker then
 *                            posts the parker (after dropping the lock).
 *   (3) CLAIM_CANCELLED (-2) the waiter gave up (deadline, signal, EAGAIN
 *                            during a waitv's set-up); CAS OPEN -> CANCELLED
 *                            by the waiter, without any bucket lock.
 *   Legal transitions: (1)->(2), (1)->(3).  Both are CAS from OPEN, so
 *   exactly one side wins; a waker that loses skips the node, counts nothing
 *   and posts nothing; a waiter that loses consumes the token and reports
 *   the wake-up instead of its timeout, so no wake-up is lost.
 *
 * NO LOST WAKE-UP.  A waiter compares *word with the expected value and
 * links its node while holding the word's bucket lock; every waker takes the
 * same lock before scanning.  The lock orders the two: either the waker's
 * change of the word (made before it called wake) is visible to the
 * waiter's comparison, or the node was linked before the scan.
 *
 * LIFETIME.  A node may be touched by others only while linked, and linking
 * changes only under its bucket's lock; the waiter unlinks whatever is still
 * linked (under the lock) before returning.  The waker reads everything it
 * needs from a claimed node before posting, since the post may let the
 * waiter return and its stack frame die.
 *
 * FORK.  A fork copies the buckets as they are: a lock another thread held
 * stays held in the child for ever, and the lists hold the nodes of threads
 * the child does not have (a wake there would "wake" them and be lost).  The
 * child handler (registered at load, below) resets every lock and empties
 * every list.  No node of the forking thread itself can be queued:
 * it is calling fork, not waiting (fork is not async-signal-safe, POSIX.1-2024,
 * so it is not called from a handler that interrupted a wait).  Nothing is
 * taken in "prepare": nothing of a list survives into the child, so a list
 * caught half-changed does not matter, and fork costs nothing extra.
 *
 * ORDERING.  Bucket locks order all list and claim operations; the claim
 * CASes are acq_rel so that the waiter that loses a CAS sees the index the
 * waker stored.  Word reads under the lock are acquire (a waker's
 * store-then-wake is ordered by the lock, the acquire costs nothing on x86
 * and documents intent).
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal/assert.h"
#include "internal/park.h"
#include "internal/queue.h"

/* 512 buckets of one cache line each (32 KiB): the same order as the kernel's
 * futex hash for a small machine (256 * CPUs, kernel/futex/core.c) while
 * keeping the table static.  Collisions only cost a longer scan. */
#define QUEUE_BUCKET_BITS 9
#define QUEUE_BUCKETS (1u << QUEUE_BUCKET_BITS)

#define CLAIM_OPEN (-1)
#define CLAIM_CANCELLED (-2)

struct group {
    _Atomic int state; /* the claim word, see the table above */
    fuss__parker_t *parker;
};

struct node {
    _Atomic(const void *) addr; /* changes only under both buckets' locks */
    uint32_t bitset;
    int index;                  /* position in a waitv call, else 0 */
    bool linked;                /* under the lock of bucket(addr) */
    struct group *group;
    struct node *prev, *next;
    struct node *wake_next;     /* waker-private list of claimed nodes */
};

struct bucket {
    fuss__park_lock_t lock;
    struct node *head, *tail;
} __attribute__((aligned(64)));

static struct bucket buckets[QUEUE_BUCKETS] = {
    [0 ... QUEUE_BUCKETS - 1] = { .lock = FUSS__PARK_LOCK_INIT },
};

static _Atomic unsigned waitv_active;

/* The fork child's reset (see FORK above). */
static void queue_atfork_child(void)
{
    for (unsigned i = 0; i < QUEUE_BUCKETS; i++) {
        fuss__park_lock_reset(&buckets[i].lock);
        buckets[i].head = buckets[i].tail = NULL;
    }
    atomic_store_explicit(&waitv_active, 0, memory_order_relaxed); /* no other thread */
}

/* At load, before any thread can hold a bucket lock: a waker takes one
 * without ever creating a parker, so no first-use hook would do. */
__attribute__((constructor)) static void queue_atfork_register(void)
{
    fuss__require(pthread_atfork(NULL, NULL, queue_atfork_child) == 0,
                  "queue: pthread_atfork failed");
}

static _Thread_local fuss__parker_t parker;
static _Thread_local bool parker_ready;

static fuss__parker_t *my_parker(void)
{
    if (!parker_ready) {
        fuss__parker_init(&parker);
        parker_ready = true;
    }
    return &parker;
}

static struct bucket *bucket_of(const void *addr)
{
    /* Fibonacci hashing of the address without its two always-zero bits. */
    uint64_t h = ((uint64_t)(uintptr_t)addr >> 2) * 0x9E3779B97F4A7C15ull;
    return &buckets[h >> (64 - QUEUE_BUCKET_BITS)];
}

static void bucket_lock(struct bucket *b) { fuss__park_lock(&b->lock); }
static void bucket_unlock(struct bucket *b) { fuss__park_unlock(&b->lock); }

/* Lock two buckets in address order (once if they are the same). */
static void bucket_lock2(struct bucket *a, struct bucket *b)
{
    if (a == b) { bucket_lock(a); return; }
    if (a > b) { struct bucket *t = a; a = b; b = t; }
    bucket_lock(a);
    bucket_lock(b);
}

static void bucket_unlock2(struct bucket *a, struct bucket *b)
{
    bucket_unlock(a);
    if (a != b) bucket_unlock(b);
}

static void link_tail(struct bucket *b, struct node *n)
{
    n->next = NULL;
    n->prev = b->tail;
    if (b->tail) b->tail->next = n; else b->head = n;
    b->tail = n;
    n->linked = true;
}

static void unlink_node(struct bucket *b, struct node *n)
{
    fuss__assert(n->linked);
    fuss__assert(n->prev ? n->prev->next == n : b->head == n);
    if (n->prev) n->prev->next = n->next; else b->head = n->next;
    if (n->next) n->next->prev = n->prev; else b->tail = n->prev;
    n->prev = n->next = NULL;
    n->linked = false;
}

/* Lock the bucket that holds n now; requeue may move n meanwhile, so lock,
 * re-check the address, and retry if it changed. */
static struct bucket *lock_node_bucket(struct node *n)
{
    for (;;) {
        const void *addr = atomic_load_explicit(&n->addr, memory_order_relaxed);
        struct bucket *b = bucket_of(addr);
        bucket_lock(b);
        if (atomic_load_explicit(&n->addr, memory_order_relaxed) == addr)
            return b;
        bucket_unlock(b);
    }
}

static bool try_claim(struct node *n)
{
    int open = CLAIM_OPEN;
    return atomic_compare_exchange_strong_explicit(&n->group->state, &open, n->index,
                                                   memory_order_acq_rel, memory_order_acquire);
}

/* Claim up to count nodes waiting on addr whose bitset matches, unlinking
 * them; nodes whose group is already decided are unlinked and skipped.
 * Appends the claimed ones to *list.  Caller holds b's lock. */
static int claim_waiters(struct bucket *b, const void *addr, int count, uint32_t bitset,
                         struct node **list)
{
    int woken = 0;
    struct node *n = b->head;
    while (n && woken < count) {
        struct node *next = n->next;
        if (atomic_load_explicit(&n->addr, memory_order_relaxed) == addr &&
            (n->bitset & bitset)) {
            unlink_node(b, n);
            if (try_claim(n)) {
                n->wake_next = *list;
                *list = n;
                woken++;
            }
        }
        n = next;
    }
    return woken;
}

/* Post the parkers of claimed nodes; call with no bucket lock held. */
static void post_claimed(struct node *list)
{
    while (list) {
        struct node *next = list->wake_next; /* read before the post frees it */
        fuss__parker_post(list->group->parker);
        list = next;
    }
}

/* Unlink whatever of ours is still linked (a waitv's other nodes, or a
 * node nobody claimed). */
static void unlink_all(struct node *nodes, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        struct bucket *b = lock_node_bucket(&nodes[i]);
        if (nodes[i].linked) unlink_node(b, &nodes[i]);
        bucket_unlock(b);
    }
}

/* The waiter's exit when it was not posted: decide the claim word (3), then
 * unlink.  Returns the index that woke us (a waker claimed us first: its
 * token is consumed here), or give_up (negative). */
static int give_up_wait(struct group *g, struct node *nodes, unsigned count, int give_up)
{
    int state = CLAIM_OPEN;
    int result;
    if (atomic_compare_exchange_strong_explicit(&g->state, &state, CLAIM_CANCELLED,
                                                memory_order_acq_rel, memory_order_acquire)) {
        result = give_up;
    } else {
        fuss__parker_consume(g->parker);
        result = state;
    }
    unlink_all(nodes, count);
    return result;
}

/* Queue one node after checking its word; false (and nothing queued) if the
 * word does not hold the expected value. */
static bool enqueue_checked(struct node *n, const a32_t *word, uint32_t expected)
{
    struct bucket *b = bucket_of(word);
    bucket_lock(b);
    bool match = a32_load_acquire(word) == expected;
    if (match) link_tail(b, n);
    bucket_unlock(b);
    return match;
}

static void node_init(struct node *n, struct group *g, const void *addr, uint32_t bitset, int index)
{
    atomic_init(&n->addr, addr);
    n->bitset = bitset;
    n->index = index;
    n->linked = false;
    n->group = g;
    n->prev = n->next = n->wake_next = NULL;
}

static void group_init(struct group *g)
{
    atomic_init(&g->state, CLAIM_OPEN);
    g->parker = my_parker();
}

/* Sleep until claimed or until the deadline or a signal ends the wait. */
static int sleep_claimed(struct group *g, struct node *nodes, unsigned count,
                         const struct fuss__deadline *dl)
{
    int r = fuss__parker_wait(g->parker, dl);
    if (r < 0) return give_up_wait(g, nodes, count, r);
    /* Posted: only a claimer posts, so the state holds its index and the
     * token is already consumed; a waitv still has other nodes queued. */
    int idx = atomic_load_explicit(&g->state, memory_order_acquire);
    fuss__assert(idx >= 0);
    if (count > 1) unlink_all(nodes, count);
    return idx;
}

int fuss__q_wait(const a32_t *word, uint32_t expected, uint32_t bitset,
                 const struct fuss__deadline *dl)
{
    struct group g;
    struct node n;
    group_init(&g);
    node_init(&n, &g, word, bitset, 0);
    if (!enqueue_checked(&n, word, expected))
        return -EAGAIN;
    int r = sleep_claimed(&g, &n, 1, dl);
    /* A single-word wait interrupted by a signal handler returns as a
     * spurious wake-up (0), as documented; only waitv reports EINTR. */
    return r >= 0 || r == -EINTR ? 0 : r;
}

int fuss__q_wait_unlock(const a32_t *word, uint32_t expected, const struct fuss__deadline *dl,
                        void (*unlock)(void *), void *arg)
{
    struct group g;
    struct node n;
    group_init(&g);
    node_init(&n, &g, word, FUSS_FUTEX_BITSET_ANY, 0);
    bool queued = enqueue_checked(&n, word, expected);
    unlock(arg); /* from here on, *word is never read again */
    if (!queued) return -EAGAIN;
    int r = sleep_claimed(&g, &n, 1, dl);
    return r >= 0 || r == -EINTR ? 0 : r;
}

int fuss__q_wake(const a32_t *word, int count, uint32_t bitset)
{
    struct bucket *b = bucket_of(word);
    struct node *list = NULL;
    bucket_lock(b);
    int woken = claim_waiters(b, word, count, bitset, &list);
    bucket_unlock(b);
    post_claimed(list);
    return woken;
}

/* Move up to count unclaimed waiters of from to to.  Caller holds both locks. */
static int move_waiters(struct bucket *bf, const void *from, struct bucket *bt, const void *to,
                        int count)
{
    int moved = 0;
    if (from == to) {
        /* Nothing to move: count the eligible ones, as the kernel does. */
        for (struct node *n = bf->head; n && moved < count; n = n->next)
            if (atomic_load_explicit(&n->addr, memory_order_relaxed) == from &&
                atomic_load_explicit(&n->group->state, memory_order_acquire) == CLAIM_OPEN)
                moved++;
        return moved;
    }
    struct node *n = bf->head;
    while (n && moved < count) {
        struct node *next = n->next;
        if (atomic_load_explicit(&n->addr, memory_order_relaxed) == from &&
            atomic_load_explicit(&n->group->state, memory_order_acquire) == CLAIM_OPEN) {
            unlink_node(bf, n);
            atomic_store_explicit(&n->addr, to, memory_order_relaxed);
            link_tail(bt, n);
            moved++;
        }
        n = next;
    }
    return moved;
}

int fuss__q_requeue(const a32_t *from, const uint32_t *cmp_expected, int nwake, int nrequeue,
                    const a32_t *to)
{
    struct bucket *bf = bucket_of(from), *bt = bucket_of(to);
    struct node *list = NULL;
    bucket_lock2(bf, bt);
    if (cmp_expected && a32_load_acquire(from) != *cmp_expected) {
        bucket_unlock2(bf, bt);
        return -EAGAIN;
    }
    int woken = claim_waiters(bf, from, nwake, FUSS_FUTEX_BITSET_ANY, &list);
    int moved = move_waiters(bf, from, bt, to, nrequeue);
    bucket_unlock2(bf, bt);
    post_claimed(list);
    return woken + moved;
}

int fuss__q_wake_op(const a32_t *word1, int nwake1, a32_t *word2, int nwake2, uint32_t op)
{
    struct bucket *b1 = bucket_of(word1), *b2 = bucket_of(word2);
    struct node *list = NULL;
    int wake2 = 0;
    bucket_lock2(b1, b2);
    /* Other threads may change word2 without our locks: update it with a
     * CAS loop so the operation is one atomic read-modify-write. */
    uint32_t old = a32_load_relaxed(word2);
    while (!a32_cas_acqrel(word2, &old, fuss__futex_op_apply(op, old, &wake2)))
        ; /* wake2 now holds the comparison for the value we replaced */
    int woken = claim_waiters(b1, word1, nwake1, FUSS_FUTEX_BITSET_ANY, &list);
    if (wake2)
        woken += claim_waiters(b2, word2, nwake2, FUSS_FUTEX_BITSET_ANY, &list);
    bucket_unlock2(b1, b2);
    post_claimed(list);
    return woken;
}

int fuss__q_waitv(const fuss_futex_waiter_t *waiters, unsigned count,
                  const struct fuss__deadline *dl)
{
    struct group g;
    struct node nodes[FUSS_FUTEX_WAITV_MAX];
    fuss__assert(count >= 1 && count <= FUSS_FUTEX_WAITV_MAX);
    group_init(&g);
    /* (W) Announce ourselves before checking any word; pairs with the fence
     * in the linux backend's wakes (linux.c, "(W)"): a waker that does not
     * see this count has its change of the word visible to our check. */
    atomic_fetch_add_explicit(&waitv_active, 1, memory_order_seq_cst);
    fence_seq_cst();
    int r;
    unsigned queued = 0;
    for (; queued < count; queued++) {
        node_init(&nodes[queued], &g, waiters[queued].word, FUSS_FUTEX_BITSET_ANY, (int)queued);
        if (!enqueue_checked(&nodes[queued], A32C(waiters[queued].word), waiters[queued].expected))
            break;
    }
    if (queued < count)
        r = give_up_wait(&g, nodes, queued, -EAGAIN); /* may report an early wake-up */
    else
        r = sleep_claimed(&g, nodes, count, dl);
    atomic_fetch_sub_explicit(&waitv_active, 1, memory_order_release);
    return r;
}

unsigned fuss__q_waitv_active(void)
{
    return atomic_load_explicit(&waitv_active, memory_order_relaxed);
}
