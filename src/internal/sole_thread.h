/*
 * Whether the calling thread is the only thread of its process: the test
 * sem.c and barrier.c make before they let a count that only threads of
 * this process can leave (waiters, late leavers) hold up a destroy.  In a
 * fork() child the count may have been left by threads of the parent that
 * the child does not have (DESIGN.md, "Lifecycle rules": fork); with one
 * thread in the process nobody else can be inside a private object, so the
 * count is stale for certain.  A process with more threads keeps the
 * object's usual answer (EBUSY, or a wait): that is the documented limit.
 *
 * Linux's /proc/self/stat, field 20 (num_threads).  Open, read and close,
 * no stdio (so no lock the fork may have left taken).  Several system
 * calls: only for a destroy that would otherwise answer EBUSY or sleep.
 * Without /proc (not mounted, another kernel) the answer is false, which
 * keeps the old behaviour.  With one thread the answer cannot go stale
 * while it is used: only this thread could create another.
 */
#ifndef FUSS_INTERNAL_SOLE_THREAD_H
#define FUSS_INTERNAL_SOLE_THREAD_H

#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

static inline bool fuss__sole_thread(void)
{
    char buf[1024]; /* the fields up to 20 take under 300 bytes */
    int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    (void)close(fd);
    if (n <= 0) return false;
    buf[n] = '\0';
    /* "pid (comm) state ppid ...": comm may hold spaces and ')', the
     * fields after its last ')' are numbers and one state letter. */
    const char *p = strrchr(buf, ')');
    if (!p) return false;
    for (int field = 2; field < 20; field++) { /* p: just before field+1 */
        p = strchr(p + 1, ' ');
        if (!p) return false;
    }
    return p[1] == '1' && p[2] == ' ';
}

#endif
