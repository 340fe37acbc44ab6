// Every public header, compiled as C++ with warnings, and one call through it.
#include <fuss.h>
#include <fuss/compat/openbsd_futex.h>
#include <cstdio>

int main()
{
    uint32_t w = 0;
    unsigned woken = 99;
    int r = fuss_futex_wake(&w, 1, FUSS_PRIVATE, &woken);
    std::printf("%d passed, %d failed\n", (r == 0 && woken == 0) ? 1 : 0, (r == 0 && woken == 0) ? 0 : 1);
    return r == 0 && woken == 0 ? 0 : 1;
}
