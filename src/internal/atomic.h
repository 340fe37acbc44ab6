/*
 * Atomic helpers whose names carry their memory order.
 *
 * Every lock word in fuss is a 32-bit word that public headers declare as a
 * plain uint32_t (so they also compile as C++); internally it is accessed only
 * through these helpers, as _Atomic uint32_t.  A call site therefore reads
 * "a32_cas_acq(&m->word, &seen, LOCKED)" and a reviewer sees the ordering
 * without looking anything up.
 *
 * cas_*: strong compare-and-swap; on failure *expected receives the value
 * seen, with relaxed ordering (callers that act on a failed CAS re-read with
 * the order they need).
 */
#ifndef FUSS_INTERNAL_ATOMIC_H
#define FUSS_INTERNAL_ATOMIC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef _Atomic uint32_t a32_t;

_Static_assert(sizeof(a32_t) == sizeof(uint32_t), "atomic word must be 4 bytes");
_Static_assert(_Alignof(a32_t) == _Alignof(uint32_t), "atomic word must keep alignment");
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "32-bit atomics must be lock-free (shared memory)");

/* A public uint32_t lock word seen as the atomic it is. */
#define A32(p) ((a32_t *)(void *)(p))
#define A32C(p) ((const a32_t *)(const void *)(p))

#define FUSS__A32_LOAD(order)                                              \
    static inline uint32_t a32_load_##order(const a32_t *p)                \
    { return atomic_load_explicit((a32_t *)p, memory_order_##order); }
FUSS__A32_LOAD(relaxed)
FUSS__A32_LOAD(acquire)
#undef FUSS__A32_LOAD

static inline void a32_store_relaxed(a32_t *p, uint32_t v)
{ atomic_store_explicit(p, v, memory_order_relaxed); }
static inline void a32_store_release(a32_t *p, uint32_t v)
{ atomic_store_explicit(p, v, memory_order_release); }

#define FUSS__A32_CAS(name, order)                                         \
    static inline bool a32_cas_##name(a32_t *p, uint32_t *expected,        \
                                      uint32_t desired)                    \
    { return atomic_compare_exchange_strong_explicit(                      \
          p, expected, desired, memory_order_##order, memory_order_relaxed); }
FUSS__A32_CAS(relaxed, relaxed)
FUSS__A32_CAS(acq, acquire)
FUSS__A32_CAS(rel, release)
FUSS__A32_CAS(acqrel, acq_rel)
#undef FUSS__A32_CAS

#define FUSS__A32_RMW(op, name, order)                                     \
    static inline uint32_t a32_##op##_##name(a32_t *p, uint32_t v)         \
    { return atomic_##op##_explicit(p, v, memory_order_##order); }
#define FUSS__A32_RMW_ALL(op)                                              \
    FUSS__A32_RMW(op, relaxed, relaxed)                                    \
    FUSS__A32_RMW(op, acq, acquire)                                        \
    FUSS__A32_RMW(op, rel, release)                                        \
    FUSS__A32_RMW(op, acqrel, acq_rel)
FUSS__A32_RMW_ALL(exchange)
FUSS__A32_RMW_ALL(fetch_add)
FUSS__A32_RMW_ALL(fetch_sub)
FUSS__A32_RMW_ALL(fetch_or)
FUSS__A32_RMW_ALL(fetch_and)
FUSS__A32_RMW_ALL(fetch_xor)
#undef FUSS__A32_RMW_ALL
#undef FUSS__A32_RMW

/* Shorter names for the two most common exchanges. */
#define a32_swap_acq a32_exchange_acq
#define a32_swap_rel a32_exchange_rel

static inline void fence_seq_cst(void) { atomic_thread_fence(memory_order_seq_cst); }
static inline void fence_acquire(void) { atomic_thread_fence(memory_order_acquire); }

/* Pointer-sized helpers for the emulated backend's queues. */
typedef _Atomic(void *) aptr_t;
static inline void *aptr_load_acquire(aptr_t *p) { return atomic_load_explicit(p, memory_order_acquire); }
static inline void aptr_store_release(aptr_t *p, void *v) { atomic_store_explicit(p, v, memory_order_release); }

/* Tell the CPU we are spinning (cheaper for the sibling hyperthread). */
static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield" ::: "memory");
#else
    atomic_signal_fence(memory_order_seq_cst);
#endif
}

#endif /* FUSS_INTERNAL_ATOMIC_H */
