/* fuss_futex_features() lacks every feature named in FUSS_DISABLE (futex2, waitv, lock_pi2), keeps the others, and is 0 on the emulated backend. */
#include <spawn.h>
#include <sys/wait.h>

#include "harness.h"

extern char **environ;

static unsigned bits_of(const char *list)
{
    unsigned b = 0;
    if (!list) return 0;
    if (strstr(list, "futex2")) b |= FUSS_FEATURE_FUTEX2;
    if (strstr(list, "waitv")) b |= FUSS_FEATURE_WAITV;
    if (strstr(list, "lock_pi2")) b |= FUSS_FEATURE_LOCK_PI2;
    return b;
}

/* Run this program with FUSS_DISABLE=list (or unset); it exits with its features. */
static unsigned child_features(const char *list)
{
    char env[128];
    char *envp[2] = { env, NULL }, *argv[3] = { (char *)"child", (char *)"--print", NULL };
    if (list) snprintf(env, sizeof env, "FUSS_DISABLE=%s", list);
    else envp[0] = NULL;
    pid_t pid;
    REQUIRE(posix_spawn(&pid, "/proc/self/exe", NULL, NULL, argv, envp) == 0);
    int status;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    return (unsigned)WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--print") == 0) return (int)fuss_futex_features();
    test_watchdog(30, "futex_features");
    unsigned here = fuss_futex_features();
    const char *off = getenv("FUSS_DISABLE");
    CHECK_EQ(here & bits_of(off), 0);
    CHECK(here < 256);
    if (test_is_emulated()) {
        CHECK_EQ(here, 0);
        CHECK_EQ(child_features("futex2,waitv,lock_pi2"), 0);
        return test_done();
    }
    CHECK(here & FUSS_FEATURE_SHARED);
    unsigned full = child_features(NULL);
    CHECK_EQ(here, full & ~bits_of(off));
    static const char *lists[] = { "futex2", "waitv", "lock_pi2", "futex2,waitv,lock_pi2",
                                   "lock_pi2,futex2", "waitv,bogus", "" };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        unsigned f = child_features(lists[i]);
        if (f != (full & ~bits_of(lists[i])))
            fprintf(stderr, "FUSS_DISABLE=%s: 0x%x, want 0x%x\n", lists[i] ? lists[i] : "", f,
                    full & ~bits_of(lists[i]));
        CHECK_EQ(f, full & ~bits_of(lists[i]));
    }
    printf("features: 0x%x here, 0x%x with nothing disabled\n", here, full);
    return test_done();
}
