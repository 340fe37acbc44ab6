/* Stand-in for glibc's internal internaltypes.h (our own code): the private
 * layouts of sem_t and pthread_barrier_t that tst-sem11/12/13 and
 * tst-barrier5 look into, as glibc 2.36 has them.
 * - sem_t: one 64-bit word, the value in its low 32 bits and the number of
 *   waiters in its high 32, then the process-private flag (32-bit targets:
 *   value, flag, padding, then the waiter count).  tst-sem11/12/13
 *   read the waiter count and expect 0 when nobody waits.
 * - pthread_barrier_t: five 32-bit words; tst-barrier5 writes "in" and "out"
 *   to force glibc's counter reset past BARRIER_IN_THRESHOLD, so it reads
 *   glibc's private layout (see ../../glibc-exclusions.txt). */
#ifndef SHIM_INTERNALTYPES_H
#define SHIM_INTERNALTYPES_H
#include <limits.h>
#include <stdint.h>
#if __SIZEOF_POINTER__ == 8
# define __HAVE_64B_ATOMICS 1
#else
# define __HAVE_64B_ATOMICS 0
#endif
struct new_sem {
#if __HAVE_64B_ATOMICS
# define SEM_NWAITERS_SHIFT 32
    uint64_t data;
#else
# define SEM_VALUE_SHIFT 1
# define SEM_NWAITERS_MASK 1u
    unsigned int value;
#endif
    int private_;
    int pad;
#if !__HAVE_64B_ATOMICS
    unsigned int nwaiters;
#endif
};
struct pthread_barrier {
    unsigned int in, current_round, count;
    int shared;
    unsigned int out;
};
#define BARRIER_IN_THRESHOLD (UINT_MAX / 2)
#endif
