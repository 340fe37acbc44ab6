/* Misuse of fuss locks that clang -Wthread-safety must report.  Each
 * function holds one mistake; examples/tsa/check.sh expects, for every
 * "EXPECT:" line, a warning containing that text (compiled only). */
#define _POSIX_C_SOURCE 200809L
#include <fuss.h>

static fuss_mutex_t lock = FUSS_MUTEX_INIT;
static fuss_cond_t changed = FUSS_COND_INIT;
static long balance FUSS_GUARDED_BY(lock);
static long audit FUSS_GUARDED_BY(lock);

/* EXPECT: writing variable 'balance' requires holding mutex 'lock' exclusively */
void unguarded_write(void);
void unguarded_write(void)
{
    balance = 0;
}

/* EXPECT: reading variable 'audit' requires holding mutex 'lock' */
long unguarded_read(void);
long unguarded_read(void)
{
    return audit;
}

/* EXPECT: mutex 'lock' is still held at the end of function */
void never_unlocked(void);
void never_unlocked(void)
{
    fuss_mutex_lock(&lock);
}

/* EXPECT: acquiring mutex 'lock' that is already held */
void double_lock(void);
void double_lock(void)
{
    fuss_mutex_lock(&lock);
    fuss_mutex_lock(&lock);
    fuss_mutex_unlock(&lock);
}

/* EXPECT: releasing mutex 'lock' that was not held */
void unlock_unheld(void);
void unlock_unheld(void)
{
    fuss_mutex_unlock(&lock);
}

/* EXPECT: calling function 'fuss_cond_wait' requires holding mutex 'lock' exclusively */
void wait_unlocked(void);
void wait_unlocked(void)
{
    fuss_cond_wait(&changed, &lock);
}

/* EXPECT: mutex 'lock' is not held on every path through here */
void trylock_unchecked(void);
void trylock_unchecked(void)
{
    if (fuss_mutex_trylock(&lock) == 0) audit++;
    fuss_mutex_unlock(&lock);
}
