/*
 * Facts about the calling process that only the operating system knows,
 * for the primitives' cold paths (DESIGN.md: only src/backend/ makes system
 * calls).  Linux's /proc; both backends link this file.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "internal/sole_thread.h"

/* internal/sole_thread.h.  /proc/self/stat, field 20 (num_threads): open, read and
 * close, no stdio (so no lock a fork may have left taken).  Without /proc
 * (not mounted, another kernel) the answer is false, which keeps the
 * callers' usual behaviour.  With one thread the answer cannot go stale
 * while it is used: only this thread could create another. */
bool fuss__sole_thread(void)
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
