// An init routine that throws leaves the once control as if it had never
// run: the exception reaches the caller, and the next pthread_once (or
// std::call_once, which glibc's libstdc++ builds on it) runs the routine
// again (issue 23, cause 3; glibc's tst-once5.cc).  The drop-in is built
// with -fexceptions so its clean-up handler runs during the unwinding.
#include <pthread.h>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <unistd.h>

#define CHECK(c) do { if (!(c)) { std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); std::exit(1); } } while (0)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int runs;

static void init_throws_first(void)
{
    if (++runs == 1) throw 42;
}

static std::once_flag flag;
static int cxx_runs;

int main()
{
    alarm(60); // a hang (the control left "running") fails the test
    bool caught = false;
    try {
        pthread_once(&once, init_throws_first);
    } catch (int e) {
        caught = e == 42;
    }
    CHECK(caught);
    CHECK(pthread_once(&once, init_throws_first) == 0);
    CHECK(runs == 2);
    CHECK(pthread_once(&once, init_throws_first) == 0);
    CHECK(runs == 2);

    caught = false;
    try {
        std::call_once(flag, [] { if (++cxx_runs == 1) throw 7; });
    } catch (int e) {
        caught = e == 7;
    }
    CHECK(caught);
    std::call_once(flag, [] { ++cxx_runs; });
    CHECK(cxx_runs == 2);
    std::puts("once_throw: ok");
    return 0;
}
