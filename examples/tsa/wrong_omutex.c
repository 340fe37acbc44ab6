/* Misuse of fuss_omutex_t that clang -Wthread-safety must report.
 * NEEDS: fuss/omutex.h */
#define _POSIX_C_SOURCE 200809L
#include <fuss/omutex.h>

static fuss_omutex_t lock = FUSS_OMUTEX_INIT;
static long balance FUSS_GUARDED_BY(lock);

/* EXPECT: writing variable 'balance' requires holding mutex 'lock' exclusively */
void unguarded(void);
void unguarded(void)
{
    balance = 0;
}

/* EXPECT: calling function 'fuss_omutex_consistent' requires holding mutex 'lock' exclusively */
void repair_unlocked(void);
void repair_unlocked(void)
{
    fuss_omutex_consistent(&lock);
}

/* EXPECT: mutex 'lock' is still held at the end of function */
void leaked(void);
void leaked(void)
{
    fuss_omutex_lock(&lock);
}
