/* Stand-in for glibc's support/xunistd.h (our own code). */
#ifndef SHIM_XUNISTD_H
#define SHIM_XUNISTD_H
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <support/check.h>
static inline __attribute__((unused)) pid_t xfork(void)
{ pid_t p = fork(); if (p < 0) shim_fail(1, "fork: %s", strerror(errno)); return p; }
static inline __attribute__((unused)) pid_t xwaitpid(pid_t pid, int *st, int flags)
{ pid_t r = waitpid(pid, st, flags); if (r < 0) shim_fail(1, "waitpid: %s", strerror(errno)); return r; }
static inline __attribute__((unused)) void *xmmap(void *a, size_t n, int prot, int flags, int fd)
{ void *p = mmap(a, n, prot, flags, fd, 0); if (p == MAP_FAILED) shim_fail(1, "mmap: %s", strerror(errno)); return p; }
static inline __attribute__((unused)) void xmunmap(void *a, size_t n)
{ if (munmap(a, n)) shim_fail(1, "munmap: %s", strerror(errno)); }
static inline __attribute__((unused)) void xclose(int fd)
{ if (close(fd)) shim_fail(1, "close: %s", strerror(errno)); }
static inline __attribute__((unused)) void xwrite(int fd, const void *b, size_t n)
{
    for (const char *p = (const char *)b; n > 0;) {
        ssize_t k = write(fd, p, n);
        if (k < 0) shim_fail(1, "write: %s", strerror(errno));
        p += k;
        n -= (size_t)k;
    }
}
static inline __attribute__((unused)) void xpipe(int fds[2])
{ if (pipe(fds)) shim_fail(1, "pipe: %s", strerror(errno)); }
#endif
