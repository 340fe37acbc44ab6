/*
 * Per-thread identity and the robust list, for fuss_omutex_t (src/omutex.c;
 * the slow parts are in src/omutex_robust.c).
 *
 * THE ROBUST LIST (the kernel's Documentation/locking/robust-futex-ABI.rst).
 * Each thread registers one list head with the kernel; glibc has done so for
 * every thread it created.  The list is singly linked through "entries": an
 * entry is the address of a pointer that points to the next entry (bit 0 of
 * that pointer set when the next entry is a PI futex), the last one pointing
 * back to &head->list.  The lock word of an entry sits at entry +
 * head->futex_offset.  When a thread dies, the kernel walks its list and,
 * for every word still carrying the thread's id, sets OWNER_DIED and wakes a
 * waiter.  head->list_op_pending names the one entry being locked or
 * unlocked, which may not be (or no longer be) on the list.
 *
 * GEOMETRY SHARED WITH GLIBC.  glibc links its robust pthread mutexes into
 * the same list as a doubly linked list: a node is {prev, next}, the entry is
 * &node.next, prev holds the (untagged) entry before it, and the head has a
 * prev slot in the word just before it.  glibc unlinks its mutexes through
 * their neighbours' prev/next, and ours may be those neighbours, so our nodes
 * have exactly that shape and we link and unlink exactly as it does: insert
 * at the front, unlink through prev and next.  futex_offset = word - entry =
 * -32 on LP64 (pthread_mutex_t: __lock at 0, __list.__next at 32), which is
 * where fuss_omutex_t keeps them.
 *
 * ORDERING.  Only the owning thread touches its list, and the kernel reads
 * it only when that thread dies — in that thread's own context, which sees
 * its stores in program order.  So only the compiler must not reorder list
 * stores against the lock word's atomic operations: a compiler fence
 * (list_fence) separates each step of the protocol.
 */
#ifndef FUSS_INTERNAL_OMUTEX_H
#define FUSS_INTERNAL_OMUTEX_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "fuss/omutex.h"
#include "internal/wait.h"

#define FUSS__OMUTEX_FUTEX_OFFSET \
    ((long)offsetof(fuss_omutex_t, word) - (long)offsetof(fuss_omutex_t, robust_next))
#define FUSS__ENTRY_PI 0x1u /* entry tag: the entry is a PI futex */

struct fuss__othread {
    uint32_t tid;                   /* gettid(); 0 until fetched (and in a fork child) */
    struct fuss__robust_head *head; /* this thread's robust list; NULL until looked up */
};

extern _Thread_local struct fuss__othread fuss__othread
    __attribute__((tls_model("initial-exec")));

uint32_t fuss__othread_tid_slow(void);
/* Look up (or register) this thread's list head: 0 | ENOTSUP. */
int fuss__othread_head_lookup(void);
struct fuss__robust_head *fuss__othread_head_slow(void);

static inline uint32_t fuss__self_tid(void)
{
    uint32_t t = fuss__othread.tid;
    if (__builtin_expect(t != 0, 1)) return t;
    return fuss__othread_tid_slow();
}

/* This thread's robust list head, or NULL if it cannot have one (see
 * fuss__othread_head_slow). */
static inline struct fuss__robust_head *fuss__self_head(void)
{
    struct fuss__robust_head *h = fuss__othread.head;
    if (__builtin_expect(h != NULL, 1)) return h;
    return fuss__othread_head_slow();
}

/* Set FLAGS (fuss/omutex.h values) on an omutex whose meta word is still 0
 * (transition A1 in src/omutex.c); a no-op otherwise. */
void fuss__omutex_adopt_kind(fuss_omutex_t *m, unsigned flags);

/* Compiler-only barrier: see ORDERING. */
static inline void list_fence(void) { atomic_signal_fence(memory_order_seq_cst); }

/* List links are plain pointers shared with glibc and the kernel.  We access
 * them as relaxed atomics (plain moves): a node's links are rewritten by a
 * new owner that took the lock from a dead one, which no release ordered
 * (TSan would call that a race), and the kernel may read them at any
 * instant of a dying thread. */
static inline void *list_load_relaxed(void *const *p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
static inline void list_store_relaxed(void **p, void *v) { __atomic_store_n(p, v, __ATOMIC_RELAXED); }

static inline void *robust_entry(fuss_omutex_t *m, uintptr_t tag)
{
    return (void *)((uintptr_t)&m->robust_next | tag);
}

/* The prev slot of the node whose entry is e (tag ignored). */
static inline void **robust_prev_slot(void *e)
{
    return (void **)((uintptr_t)e & ~(uintptr_t)FUSS__ENTRY_PI) - 1;
}

static inline void robust_pending(struct fuss__robust_head *h, void *entry)
{
    list_store_relaxed(&h->list_op_pending, entry);
    list_fence();
}

/* Insert at the front, then clear list_op_pending. */
static inline void robust_link(struct fuss__robust_head *h, fuss_omutex_t *m, uintptr_t tag)
{
    void *first = list_load_relaxed(&h->list);
    list_store_relaxed(&m->robust_next, first);
    list_store_relaxed(&m->robust_prev, &h->list);
    list_store_relaxed(robust_prev_slot(first), &m->robust_next);
    list_fence();          /* the node is complete before the kernel can reach it */
    list_store_relaxed(&h->list, robust_entry(m, tag));
    list_fence();
    list_store_relaxed(&h->list_op_pending, NULL);
}

/* Unlink m (its owner's thread only); list_op_pending must name it.  A
 * node that was never linked (null links: ROBUST set in meta by another
 * process after m was locked as a plain mutex) is left alone rather than
 * written through a null pointer. */
static inline void robust_unlink(fuss_omutex_t *m)
{
    void *next = list_load_relaxed(&m->robust_next), *prev = list_load_relaxed(&m->robust_prev);
    if (__builtin_expect(!next || !prev, 0)) return;
    list_store_relaxed(robust_prev_slot(next), prev);
    list_store_relaxed((void **)prev, next);
    list_fence();
}

static inline void robust_done(struct fuss__robust_head *h)
{
    list_fence();
    list_store_relaxed(&h->list_op_pending, NULL);
}

#endif /* FUSS_INTERNAL_OMUTEX_H */
