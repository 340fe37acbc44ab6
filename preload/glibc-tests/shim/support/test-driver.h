/* Stand-in for glibc's support/test-driver.h (our own code). */
#ifndef SHIM_TEST_DRIVER_H
#define SHIM_TEST_DRIVER_H
#include <support/check.h>
static unsigned int test_verbose __attribute__((unused));
#define verbose_printf(...) do { if (test_verbose > 0) printf(__VA_ARGS__); } while (0)
#endif
