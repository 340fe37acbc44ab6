/* Issue 6, classic futex bug "destroy after broadcast": POSIX lets a condvar
 * be destroyed (and freed) as soon as no thread is blocked on it, e.g. right
 * after a broadcast, while the woken waiters are still returning from their
 * futex wait.  A waiter that reads the condvar after its wait returns (to
 * update a count, to check a sequence) then touches freed memory; so would a
 * broadcast that reads the condvar after waking.
 *
 * How the test catches it: the condvar lives alone in a fresh page; all
 * waiters are registered (each bumped a counter under the mutex before
 * waiting, and main holds the mutex when it sees them all); main
 * broadcasts, unlocks, and at once replaces the page with an inaccessible
 * mapping (mmap MAP_FIXED, PROT_NONE).  Any later access faults. */
#include <sys/mman.h>

#include "harness.h"

#define ROUNDS  400
#define WAITERS 3

static fuss_mutex_t m;
static fuss_cond_t *c;
static int registered, go;

static void *waiter(void *arg)
{
    (void)arg;
    fuss_mutex_lock(&m);
    registered++;
    while (!go) REQUIRE(fuss_cond_wait(c, &m) == 0);
    fuss_mutex_unlock(&m);
    return NULL;
}

int main(void)
{
    test_watchdog(60, "cond destroy-after-broadcast");
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *region = mmap(NULL, page * ROUNDS, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(region != MAP_FAILED);
    for (int i = 0; i < ROUNDS; i++) {
        c = (fuss_cond_t *)(void *)(region + (size_t)i * page);
        registered = go = 0;
        pthread_t t[WAITERS];
        for (int k = 0; k < WAITERS; k++) REQUIRE(pthread_create(&t[k], NULL, waiter, NULL) == 0);
        for (;;) {
            fuss_mutex_lock(&m);
            if (registered == WAITERS) break; /* all inside cond_wait: blocked */
            fuss_mutex_unlock(&m);
            sched_yield();
        }
        go = 1;
        CHECK_EQ(fuss_cond_broadcast(c), 0);
        fuss_mutex_unlock(&m);
        CHECK_EQ(fuss_cond_destroy(c), 0);
        REQUIRE(mmap(c, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
                (void *)c);
        for (int k = 0; k < WAITERS; k++) pthread_join(t[k], NULL);
    }
    munmap(region, page * ROUNDS);
    return test_done();
}
