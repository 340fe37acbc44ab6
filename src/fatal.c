/* The single abort path of the library (see internal/assert.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal/assert.h"

void fuss__fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuss: fatal: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}
