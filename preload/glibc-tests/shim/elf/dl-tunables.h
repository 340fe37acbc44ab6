/* Stand-in for glibc's elf/dl-tunables.h (our own code).  tst-mutex8 and
 * tst-mutexpi8 include it only to ask, under HAVE_TUNABLES, whether lock
 * elision was switched on (glibc.elision.enable): built outside glibc,
 * HAVE_TUNABLES is unset, so the tests take elision as off (glibc's default)
 * and nothing here is needed. */
#ifndef SHIM_DL_TUNABLES_H
#define SHIM_DL_TUNABLES_H
#endif
