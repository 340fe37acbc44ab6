/*
 * ThreadSanitizer annotations.  In a -fsanitize=thread build fuss tells
 * TSan where each lock is taken and released, so reports name the lock held
 * (or missing) and TSan's deadlock detector sees lock-order inversions; in
 * every other build these expand to nothing.
 *
 * Between pre_lock and post_lock (and pre/post_unlock) TSan ignores the
 * lock's own memory accesses and synchronization.  A lock that calls into
 * the backend there (a futex wait or wake, which on the emulated backend
 * takes pthread mutexes and posts semaphores) must bracket that call with
 * fuss__tsan_divert_begin/end, or TSan loses those happens-before edges and
 * reports races in the queue code that are not there.
 */
#ifndef FUSS_INTERNAL_TSAN_H
#define FUSS_INTERNAL_TSAN_H

#if defined(__SANITIZE_THREAD__)
#  define FUSS_TSAN 1
#elif defined(__has_feature)
#  if __has_feature(thread_sanitizer)
#    define FUSS_TSAN 1
#  endif
#endif

#ifdef FUSS_TSAN
#  define FUSS__TSAN_ON 1
#  include <sanitizer/tsan_interface.h>
#  define fuss__tsan_pre_lock(a, f)        __tsan_mutex_pre_lock((a), (f))
#  define fuss__tsan_post_lock(a, f, r)    __tsan_mutex_post_lock((a), (f), (r))
#  define fuss__tsan_pre_unlock(a, f)      __tsan_mutex_pre_unlock((a), (f))
#  define fuss__tsan_post_unlock(a, f)     __tsan_mutex_post_unlock((a), (f))
#  define FUSS__TSAN_TRY                   __tsan_mutex_try_lock
#  define FUSS__TSAN_TRY_FAILED            __tsan_mutex_try_lock_failed
#  define FUSS__TSAN_READ                  __tsan_mutex_read_lock
#  define fuss__tsan_acquire(a)            __tsan_acquire(a)
#  define fuss__tsan_divert_begin(a)       __tsan_mutex_pre_divert((a), 0)
#  define fuss__tsan_divert_end(a)         __tsan_mutex_post_divert((a), 0)
#  define fuss__tsan_release(a)            __tsan_release(a)
#else
#  define FUSS__TSAN_ON 0
#  define fuss__tsan_pre_lock(a, f)        ((void)0)
#  define fuss__tsan_post_lock(a, f, r)    ((void)0)
#  define fuss__tsan_pre_unlock(a, f)      ((void)0)
#  define fuss__tsan_post_unlock(a, f)     ((void)0)
#  define FUSS__TSAN_TRY                   0
#  define FUSS__TSAN_TRY_FAILED            0
#  define FUSS__TSAN_READ                  0
#  define fuss__tsan_acquire(a)            ((void)0)
#  define fuss__tsan_divert_begin(a)       ((void)0)
#  define fuss__tsan_divert_end(a)         ((void)0)
#  define fuss__tsan_release(a)            ((void)0)
#endif

#endif
