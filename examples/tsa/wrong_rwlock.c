/* Misuse of fuss_rwlock_t that clang -Wthread-safety must report (one
 * warning per EXPECT line, see check.sh).
 * NEEDS: fuss/rwlock.h */
#define _POSIX_C_SOURCE 200809L
#include <fuss/rwlock.h>

static fuss_rwlock_t table_lock = FUSS_RWLOCK_INIT;
static int table[64] FUSS_GUARDED_BY(table_lock);
static int size FUSS_GUARDED_BY(table_lock);

/* EXPECT: writing variable 'table' requires holding rwlock 'table_lock' exclusively */
void write_under_read_lock(int i);
void write_under_read_lock(int i)
{
    fuss_rwlock_rdlock(&table_lock);
    table[i & 63] = 0;
    fuss_rwlock_rdunlock(&table_lock);
}

/* EXPECT: reading variable 'size' requires holding rwlock 'table_lock' */
int read_unlocked(void);
int read_unlocked(void)
{
    return size;
}

/* EXPECT: releasing rwlock 'table_lock' using exclusive access, expected shared access */
void wrong_unlock_kind(void);
void wrong_unlock_kind(void)
{
    fuss_rwlock_rdlock(&table_lock);
    fuss_rwlock_wrunlock(&table_lock);
}

/* EXPECT: 'table_lock' is still held at the end of function */
void read_lock_leaked(void);
void read_lock_leaked(void)
{
    fuss_rwlock_rdlock(&table_lock);
}
