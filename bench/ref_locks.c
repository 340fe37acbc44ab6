/*
 * Reference locks (see ref_locks.h).  Orderings: acquire on every successful
 * take, release on every drop; spinning reads are relaxed.
 */
#include "ref_locks.h"

#include "bench.h"

#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

void ref_casx_lock(uint32_t *w)
{
    uint32_t zero = 0;
    while (!__atomic_compare_exchange_n(w, &zero, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
        while (__atomic_load_n(w, __ATOMIC_RELAXED) != 0)
            bench_pause();
        zero = 0;
    }
}

void ref_casx_unlock(uint32_t *w)
{
    (void)__atomic_exchange_n(w, 0, __ATOMIC_RELEASE);
}

void ref_spin_lock(uint32_t *w)
{
    ref_casx_lock(w);
}

void ref_spin_unlock(uint32_t *w)
{
    __atomic_store_n(w, 0, __ATOMIC_RELEASE);
}

void ref_empty_lock(uint32_t *w) { (void)w; }
void ref_empty_unlock(uint32_t *w) { (void)w; }

/* ---- MCS queue lock ---------------------------------------------------------
 * lock:   swap ourselves in as the tail; if there was a predecessor, link
 *         behind it and spin on our own flag until it hands over.
 * unlock: if nobody linked behind us, swing the tail back to empty; if that
 *         fails a successor is between its swap and its link: wait for the
 *         link, then clear its flag. */
struct ref_mcs_node {
    _Alignas(BENCH_LINE) struct ref_mcs_node *next;
    uint32_t waiting;
};

static _Thread_local struct ref_mcs_node mcs_me;

void ref_mcs_init(ref_mcs_t *l)
{
    __atomic_store_n(&l->tail, NULL, __ATOMIC_RELAXED);
}

void ref_mcs_lock(ref_mcs_t *l)
{
    struct ref_mcs_node *me = &mcs_me;
    __atomic_store_n(&me->next, NULL, __ATOMIC_RELAXED);
    __atomic_store_n(&me->waiting, 1, __ATOMIC_RELAXED);
    /* acq_rel: acquire the previous owner's critical section when the queue
     * was empty; release our node's initialisation to the successor. */
    struct ref_mcs_node *prev = __atomic_exchange_n(&l->tail, me, __ATOMIC_ACQ_REL);
    if (!prev)
        return;
    __atomic_store_n(&prev->next, me, __ATOMIC_RELEASE);
    while (__atomic_load_n(&me->waiting, __ATOMIC_ACQUIRE))
        bench_pause();
}

void ref_mcs_unlock(ref_mcs_t *l)
{
    struct ref_mcs_node *me = &mcs_me;
    struct ref_mcs_node *next = __atomic_load_n(&me->next, __ATOMIC_ACQUIRE);
    if (!next) {
        struct ref_mcs_node *expect = me;
        if (__atomic_compare_exchange_n(&l->tail, &expect, NULL, 0, __ATOMIC_RELEASE,
                                        __ATOMIC_RELAXED))
            return;
        while (!(next = __atomic_load_n(&me->next, __ATOMIC_ACQUIRE)))
            bench_pause();
    }
    __atomic_store_n(&next->waiting, 0, __ATOMIC_RELEASE);
}

int ref_futex_wait(uint32_t *w, uint32_t val)
{
    long r = syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
    return r == 0 ? 0 : errno;
}

void ref_futex_wake(uint32_t *w, unsigned n)
{
    syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
}

enum { M2_FREE = 0, M2_LOCKED = 1, M2_CONTENDED = 2 };

static uint32_t m2_cas(uint32_t *w, uint32_t expect, uint32_t desired)
{
    __atomic_compare_exchange_n(w, &expect, desired, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
    return expect; /* the value seen */
}

void ref_mutex2_lock(uint32_t *w)
{
    uint32_t seen = m2_cas(w, M2_FREE, M2_LOCKED);
    if (seen == M2_FREE)
        return;
    do {
        /* Announce a sleeper (1 -> 2) before sleeping, so the owner's
         * unlock knows to wake; sleep only while the word says 2. */
        if (seen == M2_CONTENDED || m2_cas(w, M2_LOCKED, M2_CONTENDED) != M2_FREE)
            ref_futex_wait(w, M2_CONTENDED);
        /* Having slept, we cannot know whether others still sleep: take it
         * as 2 so our own unlock wakes the next one. */
    } while ((seen = m2_cas(w, M2_FREE, M2_CONTENDED)) != M2_FREE);
}

void ref_mutex2_unlock(uint32_t *w)
{
    if (__atomic_fetch_sub(w, 1, __ATOMIC_RELEASE) != M2_LOCKED) {
        __atomic_store_n(w, M2_FREE, __ATOMIC_RELEASE);
        ref_futex_wake(w, 1);
    }
}
