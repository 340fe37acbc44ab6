/* A signal handler (installed without SA_RESTART) that interrupts
 * pthread_cond_timedwait does not make it return: glibc sleeps again
 * (its tst-eintr5), and so must the drop-in.  Nobody signals, so the wait
 * ends only at its deadline, with ETIMEDOUT. */
#include <signal.h>
#include <unistd.h>
#include "check.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static volatile sig_atomic_t handled;
static volatile int finished;

static void on_signal(int sig) { (void)sig; handled++; }

static void *waiter(void *arg)
{
    (void)arg;
    struct timespec at = after_ms(CLOCK_REALTIME, 300);
    EQ(pthread_mutex_lock(&m), 0);
    int r = pthread_cond_timedwait(&c, &m, &at);
    EQ(pthread_mutex_unlock(&m), 0);
    EQ(r, ETIMEDOUT);
    finished = 1;
    return NULL;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_signal; /* sa_flags 0: no SA_RESTART */
    EQ(sigaction(SIGUSR1, &sa, NULL), 0);
    pthread_t t;
    EQ(pthread_create(&t, NULL, waiter, NULL), 0);
    while (!finished) {
        pthread_kill(t, SIGUSR1);
        usleep(2000);
    }
    EQ(pthread_join(t, NULL), 0);
    CHECK(handled > 0);
    puts("cond_eintr: ok");
    return 0;
}
