/*
 * Drop-in for OpenBSD's <sys/futex.h>: include this instead and a program
 * written against OpenBSD's futex(2) page builds unchanged on fuss.
 * It defines futex() as a macro, so include it after any header that might
 * declare something else of that name.
 */
#ifndef FUSS_COMPAT_OPENBSD_FUTEX_H
#define FUSS_COMPAT_OPENBSD_FUTEX_H

#include "../futex.h"

#ifdef FUTEX_WAIT
#  error "<linux/futex.h> is included too: its FUTEX_* values differ from OpenBSD's"
#endif

#define FUTEX_WAIT         FUSS_OPENBSD_FUTEX_WAIT
#define FUTEX_WAKE         FUSS_OPENBSD_FUTEX_WAKE
#define FUTEX_REQUEUE      FUSS_OPENBSD_FUTEX_REQUEUE
#define FUTEX_PRIVATE_FLAG FUSS_OPENBSD_FUTEX_PRIVATE_FLAG
#define futex(uaddr, op, val, timeout, uaddr2) \
    fuss_futex_openbsd((uaddr), (op), (val), (timeout), (uaddr2))

#endif
