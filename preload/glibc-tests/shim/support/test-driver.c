#include <support/xthread.h>
#include <support/timespec.h>
/* glibc's tests include <support/test-driver.c> where older ones include
 * test-skeleton.c: both get the same stand-in driver. */
#include "../test-skeleton.c"
