/* Two unrelated processes (the second is this binary exec'd again, so it
 * shares no mapping and maps the segment at another address) find one
 * named segment through fuss_shm_open and ping-pong through a shared
 * mutex + condvar in it.
 * FUSS_TEST_LINUX_ONLY */
#include "fuss/shm.h"
#include "pingpong.h"
#include "process.h"

static int child_main(const char *name)
{
    /* Reserve address space first, so the segment cannot land where it is
     * in the parent even without address-space randomisation. */
    void *pad = mmap(NULL, 1 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(pad != MAP_FAILED);
    fuss_shm_t *h;
    int r = fuss_shm_open(&h, name);
    if (r) {
        fprintf(stderr, "child: fuss_shm_open: %d\n", r);
        return 2;
    }
    struct pingpong *p = fuss_shm_data(h);
    int errors = pingpong_run(p, 1);
    fuss_shm_close(h);
    return errors ? 3 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "child") == 0) {
        test_watchdog(120, "shared_unrelated child");
        return child_main(argv[2]);
    }
    test_watchdog(120, "shared_unrelated: lost wake-up between unrelated processes");
    char name[64];
    test_shm_name(name, sizeof name, "unrelated");
    (void)fuss_shm_unlink(name);
    fuss_shm_t *h;
    REQUIRE(fuss_shm_create(&h, name, sizeof(struct pingpong), 0) == 0);
    struct pingpong *p = fuss_shm_data(h);
    REQUIRE(pingpong_init(p) == 0);

    fflush(stdout);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* kept across exec */
        execl("/proc/self/exe", argv[0], "child", name, (char *)NULL);
        _exit(127);
    }
    CHECK_EQ(pingpong_run(p, 0), 0);
    CHECK(test_wait_ok(pid));
    CHECK_EQ(p->rounds[0], PINGPONG_ROUNDS);
    CHECK_EQ(p->rounds[1], PINGPONG_ROUNDS);
    CHECK(p->addr[0] != p->addr[1]);
    CHECK_EQ(fuss_shm_close(h), 0);
    CHECK_EQ(fuss_shm_unlink(name), 0);
    return test_done();
}
