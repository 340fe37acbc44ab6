/* Stand-in for glibc's libc-diag.h (our own code): warning control only. */
#ifndef SHIM_LIBC_DIAG_H
#define SHIM_LIBC_DIAG_H
#define DIAG_PUSH_NEEDS_COMMENT _Pragma("GCC diagnostic push")
#define DIAG_POP_NEEDS_COMMENT _Pragma("GCC diagnostic pop")
#define DIAG_IGNORE_NEEDS_COMMENT(version, option) /* the tests build with -w */
#endif
