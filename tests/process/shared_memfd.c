/* An anonymous (memfd) segment created after the fork, its descriptor
 * passed to the other process over a socketpair (SCM_RIGHTS): the receiver
 * adopts it with fuss_shm_open_fd, and the two ping-pong through a shared
 * mutex + condvar in it.
 * FUSS_TEST_LINUX_ONLY */
#include "fuss/shm.h"
#include "pingpong.h"
#include "process.h"

static int sock[2];

static int receiver(void *arg)
{
    (void)arg;
    close(sock[0]);
    int fd = test_recv_fd(sock[1]);
    if (fd < 0) return 2;
    fuss_shm_t *h;
    if (fuss_shm_open_fd(&h, fd) != 0) return 3;
    if (fuss_shm_size(h) != sizeof(struct pingpong)) return 4;
    int errors = pingpong_run(fuss_shm_data(h), 1);
    fuss_shm_close(h);
    return errors ? 5 : 0;
}

int main(void)
{
    test_watchdog(120, "shared_memfd: lost wake-up over a passed memfd");
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sock) == 0);
    pid_t pid = test_fork(receiver, NULL); /* before the segment exists */
    close(sock[1]);

    fuss_shm_t *h;
    REQUIRE(fuss_shm_create(&h, NULL, sizeof(struct pingpong), 0) == 0);
    struct pingpong *p = fuss_shm_data(h);
    REQUIRE(pingpong_init(p) == 0);
    REQUIRE(test_send_fd(sock[0], fuss_shm_fd(h)) == 0);
    CHECK_EQ(pingpong_run(p, 0), 0);
    CHECK(test_wait_ok(pid));
    CHECK_EQ(p->rounds[0], PINGPONG_ROUNDS);
    CHECK_EQ(p->rounds[1], PINGPONG_ROUNDS);
    CHECK_EQ(fuss_shm_close(h), 0);
    close(sock[0]);
    return test_done();
}
