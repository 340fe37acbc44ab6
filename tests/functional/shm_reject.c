/* fuss_shm_open refuses what it must not map: a foreign file (EPROTO), a
 * truncated segment (EBADMSG), another ABI version (ENOTSUP), a header that
 * lies about its size (EBADMSG, no access past the file), a segment never
 * marked ready (EAGAIN); open_fd refuses what is not a file (EINVAL). */
#include <fcntl.h>
#include <sys/stat.h>

#include "fuss/shm.h"
#include "process.h"

/* Header words (src/shm.c, rows H1-H6). */
enum { W_MAGIC0, W_MAGIC1, W_VERSION, W_READY, W_HEADER_SIZE, W_CHECKSUM, W_SIZE_LO, W_SIZE_HI };

static uint32_t *header_of(fuss_shm_t *h)
{
    return (uint32_t *)(void *)((char *)fuss_shm_data(h) - FUSS_SHM_ALIGN);
}

/* The same FNV-1a the creator uses, to forge a consistent header. */
static uint32_t checksum(const uint32_t *w)
{
    static const int covered[] = { W_MAGIC0, W_MAGIC1, W_VERSION, W_HEADER_SIZE, W_SIZE_LO,
                                   W_SIZE_HI };
    uint32_t h = 2166136261u;
    for (int i = 0; i < 6; i++)
        for (int b = 0; b < 4; b++) h = (h ^ ((w[covered[i]] >> (8 * b)) & 0xffu)) * 16777619u;
    return h;
}

static int plain_file(const char *name, const void *bytes, size_t len)
{
    (void)shm_unlink(name);
    int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
    REQUIRE(fd >= 0);
    REQUIRE(write(fd, bytes, len) == (ssize_t)len);
    return fd;
}

static void foreign(void)
{
    char name[64];
    fuss_shm_t *h = NULL;
    unsigned char junk[4096];
    uint64_t rng = 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < sizeof junk; i++) junk[i] = (unsigned char)test_rand(&rng);
    test_shm_name(name, sizeof name, "foreign");
    size_t lens[] = { 4, 100, sizeof junk };
    for (size_t i = 0; i < 3; i++) {
        close(plain_file(name, junk, lens[i]));
        CHECK_EQ(fuss_shm_open(&h, name), EPROTO);
        CHECK_EQ(fuss_shm_unlink(name), 0);
    }
    /* All zeros: what a creator's file looks like before it is ready. */
    memset(junk, 0, sizeof junk);
    close(plain_file(name, junk, sizeof junk));
    CHECK_EQ(fuss_shm_open(&h, name), EAGAIN);
    CHECK_EQ(fuss_shm_unlink(name), 0);
    /* Empty: created, not yet sized. */
    close(plain_file(name, junk, 0));
    CHECK_EQ(fuss_shm_open(&h, name), EAGAIN);
    CHECK_EQ(fuss_shm_unlink(name), 0);
    CHECK(h == NULL);
}

/* Create a real segment, let damage() change it, and see what open says. */
static int open_after(const char *tag, void (*damage)(fuss_shm_t *h))
{
    char name[64];
    fuss_shm_t *h, *o = NULL;
    test_shm_name(name, sizeof name, tag);
    REQUIRE(fuss_shm_create(&h, name, 4096, 0) == 0);
    damage(h);
    int r = fuss_shm_open(&o, name);
    if (r == 0) fuss_shm_close(o);
    fuss_shm_close(h);
    CHECK_EQ(fuss_shm_unlink(name), 0);
    return r;
}

static void nothing(fuss_shm_t *h) { (void)h; }
static void shrink_data(fuss_shm_t *h) { REQUIRE(ftruncate(fuss_shm_fd(h), 1000) == 0); }
static void shrink_header(fuss_shm_t *h) { REQUIRE(ftruncate(fuss_shm_fd(h), 64) == 0); }
static void shrink_to_4(fuss_shm_t *h) { REQUIRE(ftruncate(fuss_shm_fd(h), 4) == 0); }
static void version(fuss_shm_t *h) { header_of(h)[W_VERSION] = FUSS_SHM_ABI_VERSION + 1; }
static void magic(fuss_shm_t *h) { header_of(h)[W_MAGIC1] ^= 1; }
static void ready_garbage(fuss_shm_t *h) { header_of(h)[W_READY] = 1; }
static void not_ready(fuss_shm_t *h) { header_of(h)[W_READY] = 0; }
static void size_unsigned(fuss_shm_t *h) { header_of(h)[W_SIZE_LO] += 1; }
static void header_size(fuss_shm_t *h)
{
    uint32_t *w = header_of(h);
    w[W_HEADER_SIZE] = 0;
    w[W_CHECKSUM] = checksum(w);
}
/* A consistent header whose user size is far beyond the file: must be
 * caught by comparing with the file's size, not by touching the memory. */
static void size_lies(fuss_shm_t *h)
{
    uint32_t *w = header_of(h);
    w[W_SIZE_HI] = 0x10;
    w[W_CHECKSUM] = checksum(w);
}
static void size_one_over(fuss_shm_t *h)
{
    uint32_t *w = header_of(h);
    w[W_SIZE_LO] = 4097;
    w[W_CHECKSUM] = checksum(w);
}

static void damaged(void)
{
    CHECK_EQ(open_after("ok", nothing), 0);
    CHECK_EQ(open_after("trunc", shrink_data), EBADMSG);
    CHECK_EQ(open_after("trunc-hdr", shrink_header), EBADMSG);
    CHECK_EQ(open_after("trunc-4", shrink_to_4), EPROTO);
    CHECK_EQ(open_after("version", version), ENOTSUP);
    CHECK_EQ(open_after("magic", magic), EPROTO);
    CHECK_EQ(open_after("ready", ready_garbage), EPROTO);
    CHECK_EQ(open_after("notready", not_ready), EAGAIN);
    CHECK_EQ(open_after("cksum", size_unsigned), EPROTO);
    CHECK_EQ(open_after("hsize", header_size), EPROTO);
    CHECK_EQ(open_after("lies", size_lies), EBADMSG);
    CHECK_EQ(open_after("over1", size_one_over), EBADMSG);
}

static void bad_fds(void)
{
    fuss_shm_t *h = NULL;
    int p[2];
    CHECK_EQ(fuss_shm_open_fd(&h, -1), EINVAL);
    REQUIRE(pipe(p) == 0);
    CHECK_EQ(fuss_shm_open_fd(&h, p[0]), EINVAL);
    CHECK_EQ(fcntl(p[0], F_GETFD) >= 0, 1); /* still the caller's */
    close(p[0]);
    close(p[1]);
    CHECK_EQ(fuss_shm_open_fd(&h, p[0]), EBADF);
    CHECK(h == NULL);
}

int main(void)
{
    test_watchdog(60, "shm_reject");
    foreign();
    damaged();
    bad_fds();
    return test_done();
}
