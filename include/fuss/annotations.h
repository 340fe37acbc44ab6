/*
 * fuss/annotations.h — Clang thread-safety annotations for fuss locks.
 *
 * fuss's lock types and functions carry Clang's capability attributes, so
 * that `clang -Wthread-safety` reports, in the caller's code, data read or
 * written without the lock that guards it, a lock still held (or not held)
 * when a function returns, a lock taken twice, and a lock released that was
 * not held.  Use the same macros on your own data and functions:
 *
 *     static fuss_mutex_t lock = FUSS_MUTEX_INIT;
 *     static long balance FUSS_GUARDED_BY(lock);
 *     static void deposit_locked(long n) FUSS_REQUIRES(&lock);
 *
 * In C, FUSS_GUARDED_BY can name a lock visible at the declaration (a global,
 * say), but not a sibling struct member: Clang resolves member names in
 * these attributes only in C++.  Locks passed by pointer work in both:
 *     void bump(fuss_mutex_t *m, long *n) FUSS_EXCLUDES(m);
 *
 * fuss functions return 0 on success, so a try-lock is annotated
 * FUSS_TRY_ACQUIRE(0, m): the analysis then understands
 *     if (fuss_mutex_trylock(&m) == 0) { ...held...; fuss_mutex_unlock(&m); }
 *
 * Every macro expands to nothing for compilers without the attributes (GCC,
 * older Clang), when FUSS_NO_THREAD_SAFETY_ANNOTATIONS is defined before the
 * first fuss header, and while fuss itself is built (its lock functions
 * necessarily do what the analysis forbids).  The names follow Clang's
 * documentation ("Thread Safety Analysis"), with a FUSS_ prefix.
 */
#ifndef FUSS_ANNOTATIONS_H
#define FUSS_ANNOTATIONS_H

#if defined(__has_attribute) && !defined(FUSS_NO_THREAD_SAFETY_ANNOTATIONS) && \
    !defined(FUSS_BUILDING)
#  if __has_attribute(capability) && __has_attribute(acquire_capability)
#    define FUSS_TSA_(x) __attribute__((x))
#  endif
#endif
#ifndef FUSS_TSA_
#  define FUSS_TSA_(x)
#endif

/* On a type: objects of it are locks ("capabilities"); x names the kind in
 * warnings ("mutex", "rwlock"). */
#define FUSS_CAPABILITY(x)          FUSS_TSA_(capability(x))
/* On a type whose constructor/destructor take and release a lock (C++). */
#define FUSS_SCOPED_CAPABILITY      FUSS_TSA_(scoped_lockable)

/* On data: reading needs the lock held shared or exclusive, writing needs it
 * exclusive.  PT_: the same for what a pointer points to. */
#define FUSS_GUARDED_BY(x)          FUSS_TSA_(guarded_by(x))
#define FUSS_PT_GUARDED_BY(x)       FUSS_TSA_(pt_guarded_by(x))

/* On a lock: a lock-order declaration, checked with -Wthread-safety-beta. */
#define FUSS_ACQUIRED_BEFORE(...)   FUSS_TSA_(acquired_before(__VA_ARGS__))
#define FUSS_ACQUIRED_AFTER(...)    FUSS_TSA_(acquired_after(__VA_ARGS__))

/* On functions: the caller must hold (or must not hold) these locks. */
#define FUSS_REQUIRES(...)          FUSS_TSA_(requires_capability(__VA_ARGS__))
#define FUSS_REQUIRES_SHARED(...)   FUSS_TSA_(requires_shared_capability(__VA_ARGS__))
#define FUSS_EXCLUDES(...)          FUSS_TSA_(locks_excluded(__VA_ARGS__))

/* On functions: they take or release the locks (held on return / held on
 * entry).  RELEASE_GENERIC releases a lock held either way (rwlock_unlock). */
#define FUSS_ACQUIRE(...)           FUSS_TSA_(acquire_capability(__VA_ARGS__))
#define FUSS_ACQUIRE_SHARED(...)    FUSS_TSA_(acquire_shared_capability(__VA_ARGS__))
#define FUSS_RELEASE(...)           FUSS_TSA_(release_capability(__VA_ARGS__))
#define FUSS_RELEASE_SHARED(...)    FUSS_TSA_(release_shared_capability(__VA_ARGS__))
#define FUSS_RELEASE_GENERIC(...)   FUSS_TSA_(release_generic_capability(__VA_ARGS__))

/* On functions: the lock is held on return iff the function returned the
 * first argument (for fuss: 0).  FUSS_TRY_ACQUIRE(0, m). */
#define FUSS_TRY_ACQUIRE(...)        FUSS_TSA_(try_acquire_capability(__VA_ARGS__))
#define FUSS_TRY_ACQUIRE_SHARED(...) FUSS_TSA_(try_acquire_shared_capability(__VA_ARGS__))

/* On functions: they check (abort otherwise) that the lock is held. */
#define FUSS_ASSERT_CAPABILITY(x)        FUSS_TSA_(assert_capability(x))
#define FUSS_ASSERT_SHARED_CAPABILITY(x) FUSS_TSA_(assert_shared_capability(x))

/* On functions: the result is (a pointer to) the lock x. */
#define FUSS_RETURN_CAPABILITY(x)   FUSS_TSA_(lock_returned(x))

/* On a function: do not analyse its body (it does something the analysis
 * cannot follow, such as locking through a table). */
#define FUSS_NO_THREAD_SAFETY_ANALYSIS FUSS_TSA_(no_thread_safety_analysis)

#endif /* FUSS_ANNOTATIONS_H */
