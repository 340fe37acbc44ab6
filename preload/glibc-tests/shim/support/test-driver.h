#include <support/check.h>
