/* An anonymous (memfd) segment: its descriptor goes over a UNIX socket
 * (SCM_RIGHTS), the receiver adopts it with fuss_shm_open_fd and sees the
 * same bytes at another address; the receiver cannot shrink it (sealed). */
#include <fcntl.h>
#include <sys/stat.h>

#include "fuss/shm.h"
#include "process.h"

int main(void)
{
    test_watchdog(60, "shm_memfd");
    fuss_shm_t *a, *b = NULL;
    REQUIRE(fuss_shm_create(&a, NULL, 3000, 0) == 0);
    CHECK_EQ(fuss_shm_size(a), 3000);
    CHECK_EQ((uintptr_t)fuss_shm_data(a) % FUSS_SHM_ALIGN, 0);
    int fd = fuss_shm_fd(a);
    CHECK(fd >= 0);
    CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    memcpy(fuss_shm_data(a), "hello from the creator", 23);

    int sv[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    REQUIRE(test_send_fd(sv[0], fd) == 0);
    int got = test_recv_fd(sv[1]);
    REQUIRE(got >= 0);
    CHECK(got != fd);
    CHECK_EQ(fuss_shm_open_fd(&b, got), 0);
    REQUIRE(b != NULL);
    CHECK(fuss_shm_data(b) != fuss_shm_data(a));
    CHECK_EQ(fuss_shm_size(b), 3000);
    CHECK_EQ(fuss_shm_fd(b), got); /* adopted, not duplicated */
    CHECK_EQ(memcmp(fuss_shm_data(b), "hello from the creator", 23), 0);
    ((char *)fuss_shm_data(b))[2999] = 'z';
    CHECK_EQ(((char *)fuss_shm_data(a))[2999], 'z');

    /* Sealed against shrinking, so no sharer can make the others fault. */
    CHECK_EQ(ftruncate(got, 10), -1);
    CHECK_EQ(errno, EPERM);
    CHECK(ftruncate(got, 8192) == 0); /* growing is harmless */

    CHECK_EQ(fuss_shm_close(b), 0);
    CHECK_EQ(fcntl(got, F_GETFD), -1); /* close closed the adopted fd */
    CHECK_EQ(fuss_shm_close(a), 0);
    close(sv[0]);
    close(sv[1]);
    return test_done();
}
