/* Stand-in for glibc's test driver: run the test function once, in this
 * process (no fork, no timeout: the script's timeout covers it).  Old tests
 * include test-skeleton.c (TEST_FUNCTION an expression, by default
 * do_test (argc, argv)); new ones support/test-driver.c (TEST_FUNCTION or
 * TEST_FUNCTION_ARGV a function's name, by default do_test ()). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <support/check.h>
#include <support/support.h>
#include <support/temp_file.h>
#include <support/test-driver.h>
#include <support/xunistd.h>
#ifdef PREPARE
# define SHIM_PREPARE(argc, argv) PREPARE(argc, argv)
#else
# define SHIM_PREPARE(argc, argv) ((void)0)
#endif
int main(int argc, char **argv)
{
    (void)argc; (void)argv;
    SHIM_PREPARE(argc, argv);
#if defined SHIM_TEST_DRIVER
# if defined TEST_FUNCTION
    int r = TEST_FUNCTION();
# elif defined TEST_FUNCTION_ARGV
    int r = TEST_FUNCTION_ARGV(argc, argv);
# else
    int r = do_test();
# endif
#elif defined TEST_FUNCTION
    int r = TEST_FUNCTION;
#else
    int r = do_test(argc, argv);
#endif
    if (shim_errors && r == 0) r = 1;
    return r;
}
