/* fuss_shm: names are validated before any system call, create is
 * exclusive and exactly mode 0600 (or what the flags add), sizes are checked
 * for overflow, a second mapping sees the same bytes, errno is never set. */
#include <fcntl.h>
#include <sys/stat.h>

#include "fuss/shm.h"
#include "process.h"

static unsigned file_mode(const fuss_shm_t *h)
{
    struct stat st;
    REQUIRE(fstat(fuss_shm_fd(h), &st) == 0);
    return (unsigned)(st.st_mode & 07777);
}

static void names(void)
{
    fuss_shm_t *h = NULL;
    char longname[260];
    const char *bad[] = { "", "noslash", "/", "/a/b", "//", "/.", "/..", "a/" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_EQ(fuss_shm_create(&h, bad[i], 64, 0), EINVAL);
        CHECK_EQ(fuss_shm_open(&h, bad[i]), EINVAL);
        CHECK_EQ(fuss_shm_unlink(bad[i]), EINVAL);
    }
    CHECK_EQ(fuss_shm_open(&h, NULL), EINVAL);
    CHECK_EQ(fuss_shm_unlink(NULL), EINVAL);
    CHECK(h == NULL); /* *out untouched on failure */

    /* NAME_MAX (255) characters after the slash is the limit. */
    int n = snprintf(longname, sizeof longname, "/fuss-test-%ld-", (long)getpid());
    memset(longname + n, 'x', sizeof longname - (size_t)n);
    longname[257] = '\0';
    CHECK_EQ(fuss_shm_create(&h, longname, 64, 0), EINVAL);
    longname[256] = '\0';
    REQUIRE(fuss_shm_create(&h, longname, 64, 0) == 0);
    CHECK_EQ(fuss_shm_close(h), 0);
    CHECK_EQ(fuss_shm_unlink(longname), 0);
}

static void arguments(void)
{
    char name[64];
    fuss_shm_t *h = NULL;
    test_shm_name(name, sizeof name, "args");
    CHECK_EQ(fuss_shm_create(NULL, name, 64, 0), EINVAL);
    CHECK_EQ(fuss_shm_create(&h, name, 0, 0), EINVAL);
    CHECK_EQ(fuss_shm_create(&h, name, 64, 0x100), EINVAL);
    CHECK_EQ(fuss_shm_create(&h, name, (size_t)-1, 0), EOVERFLOW);
    CHECK_EQ(fuss_shm_create(&h, name, (size_t)-1 - 64, 0), EOVERFLOW);
    CHECK_EQ(fuss_shm_create(&h, NULL, 64, FUSS_SHM_MODE_GROUP), EINVAL);
    CHECK(h == NULL);
    CHECK_EQ(fuss_shm_open(&h, name), ENOENT); /* nothing was left behind */
    CHECK_EQ(fuss_shm_close(NULL), 0);
}

static void create_open(void)
{
    char name[64];
    fuss_shm_t *a, *b, *c;
    test_shm_name(name, sizeof name, "create");
    (void)fuss_shm_unlink(name);

    errno = 12345;
    REQUIRE(fuss_shm_create(&a, name, 1000, 0) == 0);
    CHECK_EQ(fuss_shm_create(&c, name, 1000, 0), EEXIST);
    CHECK_EQ(errno, 12345);
    CHECK_EQ(file_mode(a), 0600);
    CHECK_EQ(fuss_shm_size(a), 1000);
    CHECK_EQ((uintptr_t)fuss_shm_data(a) % FUSS_SHM_ALIGN, 0);
    unsigned char *da = fuss_shm_data(a);
    int zero = 1;
    for (int i = 0; i < 1000; i++) zero &= da[i] == 0;
    CHECK(zero);
    for (int i = 0; i < 1000; i++) da[i] = (unsigned char)i;

    REQUIRE(fuss_shm_open(&b, name) == 0);
    unsigned char *db = fuss_shm_data(b);
    CHECK(db != da);
    CHECK_EQ(fuss_shm_size(b), 1000);
    CHECK_EQ(memcmp(da, db, 1000), 0);
    db[999] = 7; /* the same bytes, not a copy */
    CHECK_EQ(da[999], 7);
    CHECK_EQ(errno, 12345);

    CHECK_EQ(fuss_shm_unlink(name), 0);
    CHECK_EQ(fuss_shm_open(&c, name), ENOENT);
    CHECK_EQ(fuss_shm_unlink(name), ENOENT);
    CHECK_EQ(da[0], 0); /* mappings outlive the name */
    CHECK_EQ(fuss_shm_close(a), 0);
    CHECK_EQ(fuss_shm_close(b), 0);
    CHECK_EQ(errno, 12345);
}

/* The mode is exact: the umask neither widens 0600 nor removes asked bits. */
static void modes(void)
{
    char name[64];
    fuss_shm_t *h;
    struct { unsigned flags, mode; } cases[] = {
        { 0, 0600 },
        { FUSS_SHM_MODE_GROUP, 0660 },
        { FUSS_SHM_MODE_OTHER, 0606 },
        { FUSS_SHM_MODE_GROUP | FUSS_SHM_MODE_OTHER, 0666 },
    };
    mode_t old = umask(077);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        test_shm_name(name, sizeof name, "mode");
        REQUIRE(fuss_shm_create(&h, name, 64, cases[i].flags) == 0);
        CHECK_EQ(file_mode(h), cases[i].mode);
        fuss_shm_close(h);
        CHECK_EQ(fuss_shm_unlink(name), 0);
    }
    umask(0);
    test_shm_name(name, sizeof name, "mode0");
    REQUIRE(fuss_shm_create(&h, name, 64, 0) == 0);
    CHECK_EQ(file_mode(h), 0600);
    fuss_shm_close(h);
    CHECK_EQ(fuss_shm_unlink(name), 0);
    umask(old);
}

int main(void)
{
    test_watchdog(60, "shm_create_open");
    names();
    arguments();
    create_open();
    modes();
    return test_done();
}
