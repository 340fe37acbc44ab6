/*
 * Whether the calling thread is the only thread of its process: the test
 * sem.c and barrier.c make before they let a count that only threads of
 * this process can leave (waiters, late leavers) hold up a destroy.  In a
 * fork() child the count may have been left by threads of the parent that
 * the child does not have (DESIGN.md, "Lifecycle rules": fork); with one
 * thread in the process nobody else can be inside a private object, so the
 * count is stale for certain.  A process with more threads keeps the
 * object's usual answer (EBUSY, or a wait): that is the documented limit.
 *
 * Implemented in src/backend/os_linux.c (a few system calls, so only in
 * the backend): call it only where a destroy would otherwise answer EBUSY
 * or sleep.  False where it cannot tell, which keeps the usual answer.
 */
#ifndef FUSS_INTERNAL_SOLE_THREAD_H
#define FUSS_INTERNAL_SOLE_THREAD_H

#include <stdbool.h>

bool fuss__sole_thread(void);

#endif
