#include <support/check.h>
#include <support/xthread.h>
