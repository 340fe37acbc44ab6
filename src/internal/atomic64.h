/*
 * 64-bit atomic helpers, named like those of atomic.h (memory order in the
 * name).  The semaphore and the latch use them: the semaphore's value and
 * waiter count live in one 64-bit word so that a post sees both in one
 * atomic step (sem.c), while the futex wait is on the 32-bit half that holds
 * the value; the latch's count and generation change together (event.c).
 */
#ifndef FUSS_INTERNAL_ATOMIC64_H
#define FUSS_INTERNAL_ATOMIC64_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "internal/atomic.h"

typedef _Atomic uint64_t a64_t;

_Static_assert(sizeof(a64_t) == sizeof(uint64_t), "atomic word must be 8 bytes");
_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "64-bit atomics must be lock-free (shared memory)");

#define A64(p) ((a64_t *)(void *)(p))
#define A64C(p) ((const a64_t *)(const void *)(p))

static inline uint64_t a64_load_relaxed(const a64_t *p)
{ return atomic_load_explicit((a64_t *)p, memory_order_relaxed); }
static inline uint64_t a64_load_acquire(const a64_t *p)
{ return atomic_load_explicit((a64_t *)p, memory_order_acquire); }

#define FUSS__A64_CAS(name, order)                                         \
    static inline bool a64_cas_##name(a64_t *p, uint64_t *expected,        \
                                      uint64_t desired)                    \
    { return atomic_compare_exchange_strong_explicit(                      \
          p, expected, desired, memory_order_##order, memory_order_relaxed); }
FUSS__A64_CAS(relaxed, relaxed)
FUSS__A64_CAS(acq, acquire)
FUSS__A64_CAS(rel, release)
FUSS__A64_CAS(acqrel, acq_rel)
#undef FUSS__A64_CAS

static inline uint64_t a64_fetch_add_relaxed(a64_t *p, uint64_t v)
{ return atomic_fetch_add_explicit(p, v, memory_order_relaxed); }
static inline uint64_t a64_fetch_sub_relaxed(a64_t *p, uint64_t v)
{ return atomic_fetch_sub_explicit(p, v, memory_order_relaxed); }

/* The 32-bit half of a 64-bit word that holds its low 32 bits: the futex
 * word of a split 64-bit state. */
static inline const a32_t *a64_low_half(const a64_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return (const a32_t *)(const void *)((const char *)p + 4);
#else
    return (const a32_t *)(const void *)p;
#endif
}

#endif /* FUSS_INTERNAL_ATOMIC64_H */
