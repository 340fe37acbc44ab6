/*
 * What src/shm.c needs from the operating system, kept in the backend
 * directory (src/backend/shm_linux.c) because only src/backend/ makes system
 * calls.  Every call returns 0 (or a non-negative result) or a NEGATIVE errno
 * value, like the futex contract in internal/wait.h, and leaves errno as it
 * found it.  Names are already validated by the caller.
 */
#ifndef FUSS_INTERNAL_SHM_OS_H
#define FUSS_INTERNAL_SHM_OS_H

#include <stddef.h>
#include <stdint.h>

/* name NULL: an anonymous memfd (close-on-exec, sealable).  Otherwise
 * shm_open(O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC) with exactly mode (umask
 * not applied).  Returns the descriptor. */
int fuss__shm_os_create(const char *name, unsigned mode);
/* shm_open(O_RDWR | O_CLOEXEC).  Returns the descriptor. */
int fuss__shm_os_open(const char *name);
int fuss__shm_os_unlink(const char *name);
/* ftruncate to size bytes. */
int fuss__shm_os_resize(int fd, uint64_t size);
/* For memfds: forbid shrinking from now on. */
int fuss__shm_os_seal_shrink(int fd);
/* fstat: the file's size, and whether it is a regular file (what shm and
 * memfd objects are). */
int fuss__shm_os_stat(int fd, uint64_t *size, unsigned *mode, int *regular);
/* mmap(PROT_READ | PROT_WRITE, MAP_SHARED) of the first len bytes. */
int fuss__shm_os_map(int fd, size_t len, void **addr);
void fuss__shm_os_unmap(void *addr, size_t len);
void fuss__shm_os_close(int fd);
/* Sleep about ns nanoseconds (for polling a segment being created). */
void fuss__shm_os_pause(long ns);

#endif /* FUSS_INTERNAL_SHM_OS_H */
