/* Tests of the drop-in use the pthread API only: each runs on plain glibc,
 * under LD_PRELOAD=libfuss-pthread.so, and with FUSS_PTHREAD=off. */
#ifndef PRELOAD_CHECK_H
#define PRELOAD_CHECK_H
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); exit(1); } } while (0)
#define EQ(a, b) do { long _a = (long)(a), _b = (long)(b); if (_a != _b) { fprintf(stderr, "%s:%d: %s == %ld, expected %s == %ld\n", __FILE__, __LINE__, #a, _a, #b, _b); exit(1); } } while (0)

static inline struct timespec after_ms(clockid_t clock, long ms)
{
    struct timespec t;
    clock_gettime(clock, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) { t.tv_sec++; t.tv_nsec -= 1000000000L; }
    return t;
}

static inline void spawn(pthread_t *t, int n, void *(*fn)(void *), void *arg)
{
    for (int i = 0; i < n; i++) EQ(pthread_create(&t[i], NULL, fn, arg), 0);
}
static inline void join(pthread_t *t, int n)
{
    for (int i = 0; i < n; i++) EQ(pthread_join(t[i], NULL), 0);
}
#endif
