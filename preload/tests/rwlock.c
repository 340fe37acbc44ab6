/* Readers/writers invariant; glibc's reader preference by default, writer
 * preference with PREFER_WRITER_NONRECURSIVE; EDEADLK for the writer. */
#include <unistd.h>
#include "check.h"

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_rwlock_t wp = PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;
static long a, b; /* writers keep a == b */
static volatile int writer_started;

static void *worker(void *arg)
{
    long id = (long)arg;
    for (int i = 0; i < 20000; i++) {
        if ((i + id) % 5 == 0) {
            EQ(pthread_rwlock_wrlock(&rw), 0);
            a++; b++;
            EQ(pthread_rwlock_unlock(&rw), 0);
        } else {
            EQ(pthread_rwlock_rdlock(&rw), 0);
            EQ(a, b);
            EQ(pthread_rwlock_unlock(&rw), 0);
        }
    }
    return NULL;
}

static void *writer(void *arg)
{
    writer_started = 1;
    EQ(pthread_rwlock_wrlock(arg), 0);
    EQ(pthread_rwlock_unlock(arg), 0);
    return NULL;
}

/* With a writer waiting: may a reader (already holding a read lock) get
 * another one? */
static int second_read_with_writer_waiting(pthread_rwlock_t *l)
{
    pthread_t t;
    EQ(pthread_rwlock_rdlock(l), 0);
    writer_started = 0;
    EQ(pthread_create(&t, NULL, writer, l), 0);
    while (!writer_started) usleep(1000);
    usleep(50000); /* let it block (behaviour only, no timing asserted) */
    int r = pthread_rwlock_tryrdlock(l);
    if (r == 0) EQ(pthread_rwlock_unlock(l), 0);
    EQ(pthread_rwlock_unlock(l), 0);
    EQ(pthread_join(t, NULL), 0);
    return r;
}

int main(void)
{
    pthread_t t[4];
    for (long i = 0; i < 4; i++) EQ(pthread_create(&t[i], NULL, worker, (void *)i), 0);
    join(t, 4);
    EQ(a, b);
    CHECK(a > 0);

    EQ(second_read_with_writer_waiting(&rw), 0);
    EQ(second_read_with_writer_waiting(&wp), EBUSY);
    pthread_rwlockattr_t at;
    pthread_rwlock_t dyn;
    pthread_rwlockattr_init(&at);
    pthread_rwlockattr_setkind_np(&at, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    EQ(pthread_rwlock_init(&dyn, &at), 0);
    EQ(second_read_with_writer_waiting(&dyn), EBUSY);
    EQ(pthread_rwlock_destroy(&dyn), 0);
    pthread_rwlockattr_setkind_np(&at, PTHREAD_RWLOCK_PREFER_READER_NP);
    EQ(pthread_rwlock_init(&dyn, &at), 0);
    EQ(second_read_with_writer_waiting(&dyn), 0);

    EQ(pthread_rwlock_wrlock(&dyn), 0);
    EQ(pthread_rwlock_wrlock(&dyn), EDEADLK);
    EQ(pthread_rwlock_rdlock(&dyn), EDEADLK);
    EQ(pthread_rwlock_trywrlock(&dyn), EBUSY);
    EQ(pthread_rwlock_tryrdlock(&dyn), EBUSY);
    EQ(pthread_rwlock_unlock(&dyn), 0);
    EQ(pthread_rwlock_rdlock(&dyn), 0);
    struct timespec ts = after_ms(CLOCK_REALTIME, 20);
    EQ(pthread_rwlock_timedwrlock(&dyn, &ts), ETIMEDOUT);
    ts = after_ms(CLOCK_MONOTONIC, 20);
    EQ(pthread_rwlock_clockwrlock(&dyn, CLOCK_MONOTONIC, &ts), ETIMEDOUT);
    EQ(pthread_rwlock_timedrdlock(&dyn, &ts), 0);
    EQ(pthread_rwlock_unlock(&dyn), 0);
    EQ(pthread_rwlock_unlock(&dyn), 0);
    EQ(pthread_rwlock_destroy(&dyn), 0);
    pthread_rwlockattr_destroy(&at);
    puts("rwlock: ok");
    return 0;
}
