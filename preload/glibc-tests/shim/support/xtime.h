#include <support/timespec.h>
