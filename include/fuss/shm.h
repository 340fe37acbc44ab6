/*
 * fuss/shm.h — shared-memory segments that fuss objects can live in.
 *
 * DESCRIPTION
 *   A segment is a file-backed MAP_SHARED mapping with a small header in
 *   front of the caller's area.  Every process that maps it sees the same
 *   bytes (at a different address in each), so fuss objects initialised in
 *   it with FUSS_SHARED synchronise those processes.  fuss objects hold no
 *   pointers, only offsets, so they work at any address.
 *
 *   Named segments live in the POSIX shared-memory namespace (shm_open):
 *   unrelated processes find them by name.  Anonymous segments (name NULL)
 *   are memfds: nobody can open them by name; pass the descriptor from
 *   fuss_shm_fd() over a UNIX socket (SCM_RIGHTS) or to a child, and adopt
 *   it on the other side with fuss_shm_open_fd().  An anonymous segment is
 *   sealed against shrinking (F_SEAL_SHRINK), so a receiver cannot truncate
 *   it under the others' feet; a named one cannot be sealed: a process that
 *   shrinks its file makes every sharer's access beyond the new end fault
 *   (SIGBUS), as with any shared file mapping.
 *
 *   The helper itself is not a futex operation: it works with both
 *   backends.  Objects initialised FUSS_SHARED inside it need the linux
 *   backend (the emulated one answers ENOTSUP to FUSS_SHARED).
 *
 * CREATING
 *   fuss_shm_create(&h, name, size, flags) makes a new segment whose user
 *   area is at least size bytes, zero-filled (so it already holds valid,
 *   unlocked, thread-private fuss objects: initialise those you share with
 *   FUSS_SHARED before publishing them).  Creation is exclusive: an existing
 *   name gives EEXIST, never a silent reuse.  The file's mode is exactly
 *   0600 (owner read/write, whatever the umask) unless flags add
 *   FUSS_SHM_MODE_GROUP (0060) and/or FUSS_SHM_MODE_OTHER (0006).  The
 *   header is written before the segment is marked ready, so an opener
 *   never sees a half-initialised one.
 *
 * NAMES
 *   "/" followed by 1 to NAME_MAX (255) characters, none of them '/', and
 *   not "/." or "/..".  Anything else is EINVAL before any system call.
 *
 * OPENING AND VALIDATION
 *   fuss_shm_open(&h, name) and fuss_shm_open_fd(&h, fd) map the segment
 *   read-write and check its header, reading only bytes that the file's
 *   actual size (fstat) says exist; no size in the header is trusted before
 *   it has been checked against that size.  Distinct answers:
 *     EAGAIN   the creator has not finished (file still empty, or header
 *              not yet marked ready) after about 100 ms of polling.  A
 *              creator that died half-way, and a file of all zeros, look
 *              the same.  Retry later, or unlink.
 *     EPROTO   not a fuss segment: wrong magic, an unknown "ready" value,
 *              a header checksum mismatch, or an impossible header size.
 *     ENOTSUP  a fuss segment of another ABI version (magic right, version
 *              not FUSS_SHM_ABI_VERSION): its objects may be laid out
 *              differently, so mapping it would be unsafe.
 *     EBADMSG  truncated: the file is smaller than its header says (or
 *              than a header, while beginning with the fuss magic).
 *     EINVAL   bad name, NULL out, or (open_fd) fd is not a regular file.
 *     ENOENT, EACCES, EMFILE, ENOMEM, ...: from the system, unchanged.
 *
 * OWNERSHIP
 *   A handle owns one descriptor and one mapping.  fuss_shm_open_fd()
 *   adopts fd on success (fuss_shm_close() will close it); on failure the
 *   caller still owns it.  fuss_shm_close() unmaps and closes; the segment
 *   itself lives on while other processes map it, and a named one until
 *   fuss_shm_unlink().  Unlinking a name does not affect existing mappings.
 *   A handle may be used from any thread; close it exactly once.
 *
 * WHAT IS WRITTEN
 *   Only the segment: create writes its header; nothing else in the
 *   segment or outside it is ever written by this helper.  *out is written
 *   only on success.
 *
 * RETURN VALUE (0, or a positive errno; errno is never set)
 *   fuss_shm_create   EINVAL (name, size 0, unknown flags, mode flags with
 *                     an anonymous segment), EOVERFLOW (size plus header
 *                     does not fit in size_t / off_t), EEXIST, and the
 *                     system's errors (EACCES, ENOSPC, EMFILE, ENOMEM ...)
 *   fuss_shm_open     see OPENING AND VALIDATION
 *   fuss_shm_open_fd  same, without the name errors
 *   fuss_shm_unlink   EINVAL (name), ENOENT, EACCES
 *   fuss_shm_close    0 (NULL is accepted and ignored)
 *   fuss_shm_fd       the descriptor (>= 0); fuss_shm_data, fuss_shm_size:
 *                     the user area and its size (size as the creator asked)
 *
 * EXAMPLE
 *     struct shared { fuss_mutex_t lock; fuss_cond_t ready; int value; };
 *     fuss_shm_t *h;
 *     if (fuss_shm_create(&h, "/my-app", sizeof(struct shared), 0) == 0) {
 *         struct shared *s = fuss_shm_data(h);
 *         fuss_mutex_init(&s->lock, FUSS_SHARED);
 *         fuss_cond_init(&s->ready, FUSS_SHARED);
 *     }
 *     // elsewhere: fuss_shm_open(&h, "/my-app"); s = fuss_shm_data(h); ...
 *     fuss_shm_close(h);
 *     fuss_shm_unlink("/my-app");   // when nobody new should find it
 */
#ifndef FUSS_SHM_H
#define FUSS_SHM_H

#include <stddef.h>

#include "common.h"

FUSS_BEGIN_DECLS

typedef struct fuss_shm fuss_shm_t;

/* Header layout version; an opener refuses any other with ENOTSUP. */
#define FUSS_SHM_ABI_VERSION 1u
/* fuss_shm_data() is aligned to this (the largest common cache line). */
#define FUSS_SHM_ALIGN 128u

/* fuss_shm_create flags: extra permission bits for a named segment. */
#define FUSS_SHM_MODE_GROUP 0x1u /* group may open it: mode |= 0060 */
#define FUSS_SHM_MODE_OTHER 0x2u /* anyone may open it: mode |= 0006 */

FUSS_API FUSS_NODISCARD int fuss_shm_create(fuss_shm_t **out, const char *name, size_t size,
                                            unsigned flags);
FUSS_API FUSS_NODISCARD int fuss_shm_open(fuss_shm_t **out, const char *name);
FUSS_API FUSS_NODISCARD int fuss_shm_open_fd(fuss_shm_t **out, int fd);
FUSS_API int fuss_shm_close(fuss_shm_t *h);
FUSS_API int fuss_shm_unlink(const char *name);

FUSS_API void *fuss_shm_data(const fuss_shm_t *h);
FUSS_API size_t fuss_shm_size(const fuss_shm_t *h);
FUSS_API int fuss_shm_fd(const fuss_shm_t *h);

FUSS_END_DECLS

#endif /* FUSS_SHM_H */
