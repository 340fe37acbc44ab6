/* The drop-in's pthread_spin_*. */
#include "fuss_pthread.h"

/* ---- spinlock: test-and-test-and-set ---------------------------------------------------- */

static a32_t *SP(pthread_spinlock_t *l) { return A32(l); }

EXPORT int pthread_spin_init(pthread_spinlock_t *l, int pshared)
{
    OFF_TO_GLIBC(pthread_spin_init, l, pshared);
    a32_store_relaxed(SP(l), 0); /* the same code serves both sharednesses */
    return 0;
}

EXPORT int pthread_spin_destroy(pthread_spinlock_t *l)
{
    OFF_TO_GLIBC(pthread_spin_destroy, l);
    return 0;
}

EXPORT int pthread_spin_trylock(pthread_spinlock_t *l)
{
    OFF_TO_GLIBC_OR_COUNT(S_SPIN, pthread_spin_trylock, l);
    uint32_t z = 0;
    return a32_cas_acq(SP(l), &z, 1) ? 0 : EBUSY;
}

EXPORT int pthread_spin_lock(pthread_spinlock_t *l)
{
    OFF_TO_GLIBC_OR_COUNT(S_SPIN, pthread_spin_lock, l);
    a32_t *w = SP(l);
    for (int contended = 0;; contended = 1) {
        if (a32_exchange_acq(w, 1) == 0) return 0;
        if (!contended && g_mode == MODE_STATS) stat_contend(S_SPIN);
        /* Read-only spin: no cache-line transfers until it looks free. */
        while (a32_load_relaxed(w) != 0) cpu_relax();
    }
}

EXPORT int pthread_spin_unlock(pthread_spinlock_t *l)
{
    OFF_TO_GLIBC(pthread_spin_unlock, l);
    a32_store_release(SP(l), 0);
    return 0;
}
