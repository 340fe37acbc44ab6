/* Stand-in for glibc's internal nptl/pthreadP.h (our own code).  Two tests
 * include it: tst-robust8 for nothing it still uses, and tst-rwlock19 for
 * its atomics and the bit layout of glibc's rwlock __readers word, which it
 * writes directly (so that test reads glibc's private layout and is in
 * ../../glibc-exclusions.txt).  The values are glibc 2.36's: readers are
 * counted from bit 3, and bit 31 is the overflow bit. */
#ifndef SHIM_PTHREADP_H
#define SHIM_PTHREADP_H
#include <pthread.h>
#include <atomic.h>
#define PTHREAD_RWLOCK_READER_SHIFT 3
#define PTHREAD_RWLOCK_READER_OVERFLOW (1u << 31)
#endif
