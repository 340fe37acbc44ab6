/* Barrier (one serial thread per round), spinlock counter, once. */
#include "check.h"

#define N 4
static pthread_barrier_t bar;
static pthread_spinlock_t spin;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int serials, once_runs, round_count[50];
static long spun;

static void init_once(void) { once_runs++; }

static void *worker(void *arg)
{
    (void)arg;
    EQ(pthread_once(&once, init_once), 0);
    for (int r = 0; r < 50; r++) {
        __atomic_fetch_add(&round_count[r], 1, __ATOMIC_RELAXED);
        int x = pthread_barrier_wait(&bar);
        CHECK(x == 0 || x == PTHREAD_BARRIER_SERIAL_THREAD);
        EQ(__atomic_load_n(&round_count[r], __ATOMIC_RELAXED), N);
        if (x == PTHREAD_BARRIER_SERIAL_THREAD) __atomic_fetch_add(&serials, 1, __ATOMIC_RELAXED);
        for (int i = 0; i < 1000; i++) {
            EQ(pthread_spin_lock(&spin), 0);
            spun++;
            EQ(pthread_spin_unlock(&spin), 0);
        }
    }
    return NULL;
}

int main(void)
{
    pthread_t t[N];
    pthread_barrierattr_t ba;
    pthread_barrierattr_init(&ba);
    EQ(pthread_barrier_init(&bar, &ba, 0), EINVAL);
    EQ(pthread_barrier_init(&bar, &ba, N), 0);
    EQ(pthread_spin_init(&spin, PTHREAD_PROCESS_SHARED), 0);
    spawn(t, N, worker, NULL);
    join(t, N);
    EQ(serials, 50);
    EQ(once_runs, 1);
    EQ(spun, 50L * N * 1000);
    EQ(pthread_spin_trylock(&spin), 0);
    EQ(pthread_spin_trylock(&spin), EBUSY);
    EQ(pthread_spin_unlock(&spin), 0);
    EQ(pthread_spin_destroy(&spin), 0);
    EQ(pthread_barrier_destroy(&bar), 0);
    pthread_barrierattr_destroy(&ba);
    puts("misc: ok");
    return 0;
}
