/* Correct use of fuss_omutex_t, robust, under clang -Wthread-safety: no
 * warning.  NEEDS: fuss/omutex.h */
#define _POSIX_C_SOURCE 200809L
#include <fuss/omutex.h>

static fuss_omutex_t lock = FUSS_OMUTEX_INIT;
static long balance FUSS_GUARDED_BY(lock);

/* lock holds the mutex on 0 and on EOWNERDEAD; the annotation says "always",
 * so the ENOTRECOVERABLE path (not held) opts out of the analysis. */
int deposit(long n);
int deposit(long n) FUSS_NO_THREAD_SAFETY_ANALYSIS
{
    int e = fuss_omutex_lock(&lock);
    if (e == ENOTRECOVERABLE) return e;
    if (e == EOWNERDEAD) fuss_omutex_consistent(&lock);
    balance += n;
    fuss_omutex_unlock(&lock);
    return 0;
}

long read_balance(void);
long read_balance(void)
{
    fuss_omutex_lock(&lock);
    long b = balance;
    fuss_omutex_unlock(&lock);
    return b;
}

int try_reset(void);
int try_reset(void)
{
    if (fuss_omutex_trylock(&lock) != 0) return 0;
    balance = 0;
    fuss_omutex_unlock(&lock);
    return 1;
}
