/* Stand-in for glibc's internal atomic.h (our own code): the relaxed loads
 * and stores tst-rwlock19 and tst-rwlock20 use on their own flags, as GCC
 * builtins. */
#ifndef SHIM_ATOMIC_H
#define SHIM_ATOMIC_H
#define atomic_load_relaxed(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define atomic_store_relaxed(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#endif
