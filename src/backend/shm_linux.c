/*
 * The system calls behind the shared-memory helper (internal/shm_os.h):
 * shm_open, memfd_create, ftruncate, fcntl seals, fstat, mmap.  Built into
 * every library, whichever futex backend it has: segments are plain files
 * and need no futex.  Each wrapper saves errno and puts it back, returning
 * the error by value instead (fuss never sets errno).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal/shm_os.h"

/* The result of a call that reports failure as -1 and errno, by value. */
static int by_value(long r, int saved_errno)
{
    int e = errno;
    errno = saved_errno;
    return r < 0 ? -e : (int)r;
}

int fuss__shm_os_create(const char *name, unsigned mode)
{
    int saved = errno;
    int fd;
    if (!name) {
        fd = memfd_create("fuss-shm", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        return by_value(fd, saved);
    }
    fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, (mode_t)mode);
    if (fd < 0) return by_value(fd, saved);
    /* The umask may have cleared bits the caller asked for: set exactly. */
    if (fchmod(fd, (mode_t)mode) != 0) {
        int r = by_value(-1, saved);
        close(fd);
        shm_unlink(name);
        errno = saved;
        return r;
    }
    return by_value(fd, saved);
}

int fuss__shm_os_open(const char *name)
{
    int saved = errno;
    return by_value(shm_open(name, O_RDWR | O_CLOEXEC, 0), saved);
}

int fuss__shm_os_unlink(const char *name)
{
    int saved = errno;
    return by_value(shm_unlink(name), saved);
}

int fuss__shm_os_resize(int fd, uint64_t size)
{
    int saved = errno;
    return by_value(ftruncate(fd, (off_t)size), saved);
}

int fuss__shm_os_seal_shrink(int fd)
{
    int saved = errno;
    return by_value(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), saved);
}

int fuss__shm_os_stat(int fd, uint64_t *size, unsigned *mode, int *regular)
{
    int saved = errno;
    struct stat st;
    int r = by_value(fstat(fd, &st), saved);
    if (r < 0) return r;
    *size = st.st_size < 0 ? 0 : (uint64_t)st.st_size;
    *mode = (unsigned)(st.st_mode & 07777);
    *regular = S_ISREG(st.st_mode);
    return 0;
}

int fuss__shm_os_map(int fd, size_t len, void **addr)
{
    int saved = errno;
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return by_value(-1, saved);
    errno = saved;
    *addr = p;
    return 0;
}

void fuss__shm_os_unmap(void *addr, size_t len)
{
    int saved = errno;
    (void)munmap(addr, len);
    errno = saved;
}

void fuss__shm_os_close(int fd)
{
    int saved = errno;
    (void)close(fd); /* Linux frees the descriptor even when close fails */
    errno = saved;
}

void fuss__shm_os_pause(long ns)
{
    int saved = errno;
    struct timespec t = { ns / 1000000000L, ns % 1000000000L };
    while (nanosleep(&t, &t) != 0 && errno == EINTR) {}
    errno = saved;
}
