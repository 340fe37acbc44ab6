/* Stand-in for glibc's test driver: run TEST_FUNCTION or do_test once, in
 * this process (no fork, no timeout: the script's timeout covers it). */
#include <support/check.h>
#ifdef PREPARE
# define SHIM_PREPARE(argc, argv) PREPARE(argc, argv)
#else
# define SHIM_PREPARE(argc, argv) ((void)0)
#endif
int main(int argc, char **argv)
{
    (void)argc; (void)argv;
    SHIM_PREPARE(argc, argv);
#ifdef TEST_FUNCTION
    int r = TEST_FUNCTION;
#else
    int r = do_test();
#endif
    if (shim_errors && r == 0) r = 1;
    return r;
}
