/* The pre-2.3.2 condvar ABI (pthread_cond_*@GLIBC_2.2.5), which old
 * binaries still call: it must work, and under the drop-in reach it. */
#include "check.h"

__asm__(".symver old_cond_init, pthread_cond_init@GLIBC_2.2.5");
__asm__(".symver old_cond_wait, pthread_cond_wait@GLIBC_2.2.5");
__asm__(".symver old_cond_timedwait, pthread_cond_timedwait@GLIBC_2.2.5");
__asm__(".symver old_cond_signal, pthread_cond_signal@GLIBC_2.2.5");
__asm__(".symver old_cond_broadcast, pthread_cond_broadcast@GLIBC_2.2.5");
__asm__(".symver old_cond_destroy, pthread_cond_destroy@GLIBC_2.2.5");
int old_cond_init(pthread_cond_t *, const pthread_condattr_t *);
int old_cond_wait(pthread_cond_t *, pthread_mutex_t *);
int old_cond_timedwait(pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
int old_cond_signal(pthread_cond_t *);
int old_cond_broadcast(pthread_cond_t *);
int old_cond_destroy(pthread_cond_t *);

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c;
static int flag, woke;

static void *waiter(void *arg)
{
    (void)arg;
    EQ(pthread_mutex_lock(&m), 0);
    while (!flag) EQ(old_cond_wait(&c, &m), 0);
    woke++;
    EQ(pthread_mutex_unlock(&m), 0);
    return NULL;
}

int main(void)
{
    EQ(old_cond_init(&c, NULL), 0);
    pthread_t t[3];
    spawn(t, 3, waiter, NULL);
    EQ(pthread_mutex_lock(&m), 0);
    struct timespec at = after_ms(CLOCK_REALTIME, 20);
    EQ(old_cond_timedwait(&c, &m, &at), ETIMEDOUT);
    flag = 1;
    EQ(old_cond_signal(&c), 0);
    EQ(old_cond_broadcast(&c), 0);
    EQ(pthread_mutex_unlock(&m), 0);
    join(t, 3);
    EQ(woke, 3);
    EQ(old_cond_destroy(&c), 0);
    puts("symver: ok");
    return 0;
}
