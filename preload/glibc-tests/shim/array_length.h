/* Stand-in for glibc's array_length.h (our own code). */
#ifndef SHIM_ARRAY_LENGTH_H
#define SHIM_ARRAY_LENGTH_H
#define array_length(var) (sizeof (var) / sizeof ((var)[0]))
#define array_end(var) (&(var)[array_length (var)])
#endif
