/* Correct use of fuss locks under clang -Wthread-safety: must compile with
 * no warning (examples/tsa/check.sh; compiled only, never run). */
#define _POSIX_C_SOURCE 200809L
#include <fuss.h>

static fuss_mutex_t lock = FUSS_MUTEX_INIT;
static fuss_cond_t changed = FUSS_COND_INIT;
static long balance FUSS_GUARDED_BY(lock);

static void add_locked(long n) FUSS_REQUIRES(&lock)
{
    balance += n;
}

long deposit(long n);
long deposit(long n)
{
    fuss_mutex_lock(&lock);
    add_locked(n);
    long b = balance;
    fuss_cond_broadcast(&changed);
    fuss_mutex_unlock(&lock);
    return b;
}

int try_deposit(long n);
int try_deposit(long n)
{
    if (fuss_mutex_trylock(&lock) != 0) return 0;
    add_locked(n);
    fuss_mutex_unlock(&lock);
    return 1;
}

int deposit_before(long n, const struct timespec *deadline);
int deposit_before(long n, const struct timespec *deadline)
{
    int e = fuss_mutex_timedlock(&lock, CLOCK_MONOTONIC, deadline);
    if (e) return e;
    add_locked(n);
    fuss_mutex_unlock(&lock);
    return 0;
}

void withdraw_when_funded(long want);
void withdraw_when_funded(long want)
{
    fuss_mutex_lock(&lock);
    while (balance < want)
        fuss_cond_wait(&changed, &lock);
    balance -= want;
    fuss_mutex_unlock(&lock);
}

/* A lock passed by pointer works the same way. */
void bump(fuss_mutex_t *m, long *counter) FUSS_EXCLUDES(m);
void bump(fuss_mutex_t *m, long *counter)
{
    fuss_mutex_lock(m);
    ++*counter;
    fuss_mutex_unlock(m);
}
