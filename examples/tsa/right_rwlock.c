/* Correct use of fuss_rwlock_t under clang -Wthread-safety: no warning.
 * NEEDS: fuss/rwlock.h */
#define _POSIX_C_SOURCE 200809L
#include <fuss/rwlock.h>

static fuss_rwlock_t table_lock = FUSS_RWLOCK_INIT;
static int table[64] FUSS_GUARDED_BY(table_lock);

int get(int i);
int get(int i)
{
    fuss_rwlock_rdlock(&table_lock);
    int v = table[i & 63];
    fuss_rwlock_rdunlock(&table_lock);
    return v;
}

void put(int i, int v);
void put(int i, int v)
{
    fuss_rwlock_wrlock(&table_lock);
    table[i & 63] = v;
    fuss_rwlock_wrunlock(&table_lock);
}

int try_get(int i, int *v);
int try_get(int i, int *v)
{
    if (fuss_rwlock_tryrdlock(&table_lock) != 0) return 0;
    *v = table[i & 63];
    fuss_rwlock_unlock(&table_lock);
    return 1;
}

int put_before(int i, int v, const struct timespec *deadline);
int put_before(int i, int v, const struct timespec *deadline)
{
    int e = fuss_rwlock_timedwrlock(&table_lock, CLOCK_MONOTONIC, deadline);
    if (e) return e;
    table[i & 63] = v;
    fuss_rwlock_unlock(&table_lock);
    return 0;
}
