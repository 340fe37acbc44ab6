/*
 * shm.c — fuss_shm_t, a shared-memory segment with a validated header.
 *
 * THE HEADER (the first HEADER_SIZE bytes of the file; all 32-bit words)
 *   row  offset  field        written by the creator
 *   (H1)  0, 4   MAGIC0/1     first, before anything else ("FUSS", "-SHM")
 *   (H2)  8      version      FUSS_SHM_ABI_VERSION
 *   (H3) 12      ready        LAST, with release: READY.  0 until then
 *   (H4) 16      header_size  HEADER_SIZE: where the user area begins
 *   (H5) 20      checksum     FNV-1a over H1, H2, H4, H6
 *   (H6) 24, 28  user_size    the size asked for, low and high halves
 *   Rows H1-H3 keep their offsets in every ABI version, so any version can
 *   tell "not fuss" (EPROTO) from "another fuss" (ENOTSUP).  The rest of
 *   the header is zero.
 *
 *   States an opener can see:
 *   (V1) file empty, or ready == 0 and each magic word 0 or right: the
 *        creator is between ftruncate and (H3): poll, then EAGAIN
 *   (V2) ready == 0 with a wrong magic word, or ready neither 0 nor
 *        READY, or (after ready) a wrong magic / checksum / header_size:
 *        foreign, EPROTO
 *   (V3) ready, magic right, version other: ENOTSUP
 *   (V4) ready and valid, but the file is smaller than header_size +
 *        user_size (or smaller than a header, starting with the magic):
 *        truncated, EBADMSG
 *   (V5) ready and valid: open
 *
 * TRUST.  The file can be written by every process that may open it, so
 * the opener reads each header word exactly once (atomically, because the
 * creator may still be writing), validates the copy, and bounds every
 * access by the size fstat reported, never by a size the header claims.
 * The helper writes only the header, and only when creating.
 *
 * ORDERING.  The creator's header stores are relaxed; its release store of
 * ready (H3) publishes them, and the opener's acquire load of ready pairs
 * with it.  Header words an opener reads before seeing READY are only
 * compared against 0 and the magic, never relied on.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuss/shm.h"
#include "internal/atomic.h"
#include "internal/shm_os.h"

#define MAGIC0 0x53535546u /* "FUSS" in memory on little-endian machines */
#define MAGIC1 0x4d48532du /* "-SHM" */
#define READY  0x59444552u /* "REDY": unlikely in a foreign file, unlike 1 */

/* Word indexes of the header rows. */
enum { W_MAGIC0, W_MAGIC1, W_VERSION, W_READY, W_HEADER_SIZE, W_CHECKSUM, W_SIZE_LO, W_SIZE_HI,
       HEADER_WORDS };

/* The user area starts one alignment unit in, so it is cache-line aligned
 * (mappings are page aligned) and shares no line with the header. */
#define HEADER_SIZE FUSS_SHM_ALIGN
/* Future versions may grow the header, but never past a page. */
#define HEADER_SIZE_MAX 4096u
_Static_assert(HEADER_WORDS * 4 <= HEADER_SIZE, "header fits in its reserved space");

/* How long an opener waits for a creator to mark the header ready: the
 * creator's window is one ftruncate, one mmap and a few stores (tens of
 * microseconds), so 100 ms means it died or the file is not ours.  The
 * poll starts at 50 us (about that window) and doubles up to 10 ms. */
#define OPEN_WAIT_NS      100000000L
#define OPEN_POLL_MIN_NS  50000L
#define OPEN_POLL_MAX_NS  10000000L

/* Internal result of header validation: not an errno. */
#define PENDING (-1)

#define MODE_OWNER 0600u
#define MODE_GROUP 0060u
#define MODE_OTHER 0006u

struct fuss_shm {
    unsigned char *base; /* the mapping: header, then user area */
    size_t map_len;      /* bytes mapped (the file's size when opened) */
    size_t user_size;    /* validated: HEADER_SIZE + user_size <= map_len */
    int fd;
};

/* ---- names, sizes, header words ------------------------------------------- */

static int check_name(const char *name)
{
    if (!name || name[0] != '/') return EINVAL;
    size_t n = strnlen(name + 1, 256);
    if (n == 0 || n > 255) return EINVAL; /* NAME_MAX: 255 on Linux */
    if (memchr(name + 1, '/', n)) return EINVAL;
    if (strcmp(name, "/.") == 0 || strcmp(name, "/..") == 0) return EINVAL;
    return 0;
}

static a32_t *word(unsigned char *base, int i) { return A32(base + 4 * i); }

/* FNV-1a (32 bit): catches a header corrupted after creation; not a
 * defence against a forger, who can write the objects anyway. */
static uint32_t fnv1a(uint32_t h, uint32_t v)
{
    for (int i = 0; i < 4; i++) h = (h ^ ((v >> (8 * i)) & 0xffu)) * 16777619u;
    return h;
}

static uint32_t header_checksum(const uint32_t w[HEADER_WORDS])
{
    uint32_t h = 2166136261u;
    static const int covered[] = { W_MAGIC0, W_MAGIC1, W_VERSION, W_HEADER_SIZE, W_SIZE_LO,
                                   W_SIZE_HI };
    for (size_t i = 0; i < sizeof covered / sizeof covered[0]; i++) h = fnv1a(h, w[covered[i]]);
    return h;
}

/* Rows (H1)-(H6), ready last. */
static void write_header(unsigned char *base, uint64_t user_size)
{
    uint32_t w[HEADER_WORDS] = { 0 };
    w[W_MAGIC0] = MAGIC0;
    w[W_MAGIC1] = MAGIC1;
    w[W_VERSION] = FUSS_SHM_ABI_VERSION;
    w[W_HEADER_SIZE] = HEADER_SIZE;
    w[W_SIZE_LO] = (uint32_t)user_size;
    w[W_SIZE_HI] = (uint32_t)(user_size >> 32);
    w[W_CHECKSUM] = header_checksum(w);
    for (int i = 0; i < HEADER_WORDS; i++)
        if (i != W_READY) a32_store_relaxed(word(base, i), w[i]);
    a32_store_release(word(base, W_READY), READY); /* (H3) */
}

static bool magic_word_pending(uint32_t seen, uint32_t want)
{
    return seen == want || seen == 0;
}

/* The states (V1)-(V5).  len: the file's size, all of it mapped at base. */
static int check_header(unsigned char *base, uint64_t len, uint64_t *user_size)
{
    if (len < 8) return EPROTO;                                    /* (V2) */
    uint32_t m0 = a32_load_relaxed(word(base, W_MAGIC0));
    uint32_t m1 = a32_load_relaxed(word(base, W_MAGIC1));
    if (len < HEADER_SIZE)                                         /* (V4) or (V2) */
        return (m0 == MAGIC0 && m1 == MAGIC1) ? EBADMSG : EPROTO;

    uint32_t ready = a32_load_acquire(word(base, W_READY));
    if (ready == 0) {
        if (!magic_word_pending(m0, MAGIC0) || !magic_word_pending(m1, MAGIC1))
            return EPROTO;                                         /* (V2) */
        return PENDING;                                            /* (V1) */
    }
    uint32_t w[HEADER_WORDS];
    for (int i = 0; i < HEADER_WORDS; i++) w[i] = a32_load_relaxed(word(base, i));
    if (ready != READY || w[W_MAGIC0] != MAGIC0 || w[W_MAGIC1] != MAGIC1)
        return EPROTO;                                             /* (V2) */
    if (w[W_VERSION] != FUSS_SHM_ABI_VERSION) return ENOTSUP;     /* (V3) */
    if (w[W_CHECKSUM] != header_checksum(w)) return EPROTO;       /* (V2) */
    uint32_t hsize = w[W_HEADER_SIZE];
    uint64_t usize = (uint64_t)w[W_SIZE_HI] << 32 | w[W_SIZE_LO];
    if (hsize != HEADER_SIZE || usize == 0) return EPROTO;         /* (V2) */
    if (usize > len - hsize) return EBADMSG;                        /* (V4) */
    *user_size = usize;                                             /* (V5) */
    return 0;
}

/* ---- opening --------------------------------------------------------------- */

/* One look at fd: (V1)-(V5).  On 0, *h is filled in and owns the mapping. */
static int try_open(int fd, struct fuss_shm *h)
{
    uint64_t len;
    unsigned mode;
    int regular;
    int r = fuss__shm_os_stat(fd, &len, &mode, &regular);
    if (r < 0) return -r;
    if (!regular) return EINVAL;
    if (len == 0) return PENDING;                                  /* (V1) */
    if (len > SIZE_MAX) return EOVERFLOW;
    void *base;
    r = fuss__shm_os_map(fd, (size_t)len, &base);
    if (r < 0) return -r;
    uint64_t usize = 0;
    int v = check_header(base, len, &usize);
    if (v != 0) {
        fuss__shm_os_unmap(base, (size_t)len);
        return v;
    }
    h->base = base;
    h->map_len = (size_t)len;
    h->user_size = (size_t)usize;
    h->fd = fd;
    return 0;
}

static int open_fd(fuss_shm_t **out, int fd)
{
    struct fuss_shm tmp;
    long pause_ns = OPEN_POLL_MIN_NS, waited = 0;
    int r;
    while ((r = try_open(fd, &tmp)) == PENDING) {
        if (waited >= OPEN_WAIT_NS) return EAGAIN;
        fuss__shm_os_pause(pause_ns);
        waited += pause_ns;
        pause_ns = pause_ns * 2 > OPEN_POLL_MAX_NS ? OPEN_POLL_MAX_NS : pause_ns * 2;
    }
    if (r) return r;
    fuss_shm_t *h = malloc(sizeof *h);
    if (!h) {
        fuss__shm_os_unmap(tmp.base, tmp.map_len);
        return ENOMEM;
    }
    *h = tmp;
    *out = h;
    return 0;
}

int fuss_shm_open_fd(fuss_shm_t **out, int fd)
{
    if (!out || fd < 0) return EINVAL;
    return open_fd(out, fd);
}

int fuss_shm_open(fuss_shm_t **out, const char *name)
{
    if (!out) return EINVAL;
    int r = check_name(name);
    if (r) return r;
    int fd = fuss__shm_os_open(name);
    if (fd < 0) return -fd;
    r = open_fd(out, fd);
    if (r) fuss__shm_os_close(fd);
    return r;
}

/* ---- creating -------------------------------------------------------------- */

static int create_flags_mode(const char *name, unsigned flags, unsigned *mode)
{
    if (flags & ~(FUSS_SHM_MODE_GROUP | FUSS_SHM_MODE_OTHER)) return EINVAL;
    if (!name) return flags ? EINVAL : 0; /* a memfd has no name to open by */
    *mode = MODE_OWNER | ((flags & FUSS_SHM_MODE_GROUP) ? MODE_GROUP : 0) |
            ((flags & FUSS_SHM_MODE_OTHER) ? MODE_OTHER : 0);
    return check_name(name);
}

/* Size, map and publish a freshly created, empty file. */
static int create_init(int fd, bool anonymous, size_t size, size_t total, fuss_shm_t *h)
{
    int r = fuss__shm_os_resize(fd, total);
    if (r == 0 && anonymous) r = fuss__shm_os_seal_shrink(fd);
    void *base = NULL;
    if (r == 0) r = fuss__shm_os_map(fd, total, &base);
    if (r < 0) return -r;
    write_header(base, size);
    h->base = base;
    h->map_len = total;
    h->user_size = size;
    h->fd = fd;
    return 0;
}

int fuss_shm_create(fuss_shm_t **out, const char *name, size_t size, unsigned flags)
{
    unsigned mode = MODE_OWNER;
    if (!out) return EINVAL;
    int r = create_flags_mode(name, flags, &mode);
    if (r) return r;
    if (size == 0) return EINVAL;
    if (size > SIZE_MAX - HEADER_SIZE || (uint64_t)size > (uint64_t)INT64_MAX - HEADER_SIZE)
        return EOVERFLOW;
    fuss_shm_t *h = malloc(sizeof *h);
    if (!h) return ENOMEM;
    int fd = fuss__shm_os_create(name, mode);
    if (fd < 0) {
        free(h);
        return -fd;
    }
    r = create_init(fd, name == NULL, size, size + HEADER_SIZE, h);
    if (r) {
        /* Ours alone (O_EXCL) and never marked ready: remove it. */
        fuss__shm_os_close(fd);
        if (name) (void)fuss__shm_os_unlink(name);
        free(h);
        return r;
    }
    *out = h;
    return 0;
}

/* ---- the rest -------------------------------------------------------------- */

int fuss_shm_close(fuss_shm_t *h)
{
    if (!h) return 0;
    fuss__shm_os_unmap(h->base, h->map_len);
    fuss__shm_os_close(h->fd);
    free(h);
    return 0;
}

int fuss_shm_unlink(const char *name)
{
    int r = check_name(name);
    if (r) return r;
    r = fuss__shm_os_unlink(name);
    return r < 0 ? -r : 0;
}

void *fuss_shm_data(const fuss_shm_t *h) { return h->base + HEADER_SIZE; }
size_t fuss_shm_size(const fuss_shm_t *h) { return h->user_size; }
int fuss_shm_fd(const fuss_shm_t *h) { return h->fd; }
