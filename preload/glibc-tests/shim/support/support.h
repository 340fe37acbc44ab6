/* Stand-in for glibc's support/support.h (our own code): the helpers the
 * NPTL tests call. */
#ifndef SHIM_SUPPORT_H
#define SHIM_SUPPORT_H
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <support/check.h>
#include <support/xthread.h>
static inline void *xmalloc(size_t n)
{ void *p = malloc(n); if (!p && n) shim_fail(1, "xmalloc(%zu)", n); return p; }
static inline void *xcalloc(size_t n, size_t m)
{ void *p = calloc(n, m); if (!p && n && m) shim_fail(1, "xcalloc"); return p; }
static inline void *xrealloc(void *q, size_t n)
{ void *p = realloc(q, n); if (!p && n) shim_fail(1, "xrealloc"); return p; }
static inline char *xstrdup(const char *s)
{ char *p = strdup(s); if (!p) shim_fail(1, "xstrdup"); return p; }
#endif
