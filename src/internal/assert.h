/*
 * Three levels of assertion (STYLE.md §7):
 *   fuss__require(cond, what)   contract: always on; aborts naming the object
 *                               and the impossible state.  For states no
 *                               correct program or kernel can produce.
 *   fuss__assert(cond)          internal invariant: debug builds only.
 *   fuss__assert_expensive(c)   walks of whole structures: test builds only
 *                               (FUSS_EXPENSIVE_CHECKS).
 * fuss__fatal() is the one place fuss aborts.
 */
#ifndef FUSS_INTERNAL_ASSERT_H
#define FUSS_INTERNAL_ASSERT_H

#include <stdint.h>

__attribute__((noreturn, cold, format(printf, 1, 2)))
void fuss__fatal(const char *fmt, ...);

#define fuss__require(cond, ...)                                            \
    do { if (__builtin_expect(!(cond), 0)) fuss__fatal(__VA_ARGS__); } while (0)

#ifdef NDEBUG
#  define fuss__assert(cond) ((void)0)
#else
#  define fuss__assert(cond)                                                \
    fuss__require(cond, "%s:%d: internal invariant failed: %s", __FILE__, __LINE__, #cond)
#endif

#ifdef FUSS_EXPENSIVE_CHECKS
#  define fuss__assert_expensive(cond) fuss__require(cond, "%s:%d: expensive check failed: %s", __FILE__, __LINE__, #cond)
#else
#  define fuss__assert_expensive(cond) ((void)0)
#endif

#endif /* FUSS_INTERNAL_ASSERT_H */
