#include <support/xthread.h>
#include <support/timespec.h>
/* glibc's tests include <support/test-driver.c> where older ones include
 * test-skeleton.c: both get the same stand-in driver, which tells them apart
 * by SHIM_TEST_DRIVER (TEST_FUNCTION is a function's name here, an
 * expression in the old skeleton). */
#define SHIM_TEST_DRIVER 1
#include "../test-skeleton.c"
