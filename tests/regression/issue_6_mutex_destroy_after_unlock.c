/* Issue 6, classic futex bug "destroy after unlock" (the pthread_mutex_destroy
 * race of Drepper's "Futexes Are Tricky" and glibc bug 13690): a thread
 * frees a mutex right after acquiring it, while the unlocker is still inside
 * its wake-up.  An unlock that touches the word after its releasing CAS then
 * reads or writes freed memory.
 *
 * How the test catches it: every round uses a fresh page; the unlocker (main)
 * holds the mutex until the other thread has parked on it (PARKED set), so
 * the unlock takes the slow path and wakes it; the woken thread locks,
 * unlocks and at once replaces the page with an inaccessible mapping
 * (mmap MAP_FIXED, PROT_NONE: munmap plus keeping the address from reuse).
 * Any access by the unlocker after its release then faults (SIGSEGV), in
 * every build, not only under ASan.  Many rounds make the window likely. */
#include <sys/mman.h>

#include "harness.h"

#define ROUNDS 3000
#define PARKED 0x2u /* src/mutex.c, lock word table */

static char *region;
static size_t page;
static _Atomic int go = -1, done = -1;

static fuss_mutex_t *mutex_of(int i) { return (fuss_mutex_t *)(void *)(region + (size_t)i * page); }

static void *freer(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        while (go != i) sched_yield();
        fuss_mutex_t *m = mutex_of(i);
        REQUIRE(fuss_mutex_lock(m) == 0); /* sleeps until main's unlock wakes it */
        REQUIRE(fuss_mutex_unlock(m) == 0);
        REQUIRE(fuss_mutex_destroy(m) == 0);
        REQUIRE(mmap(m, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
                (void *)m);
        done = i;
    }
    return NULL;
}

int main(void)
{
    test_watchdog(60, "mutex destroy-after-unlock");
    page = (size_t)sysconf(_SC_PAGESIZE);
    region = mmap(NULL, page * ROUNDS, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(region != MAP_FAILED);
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, freer, NULL) == 0);
    int slow_unlocks = 0;
    for (int i = 0; i < ROUNDS; i++) {
        fuss_mutex_t *m = mutex_of(i);
        REQUIRE(fuss_mutex_lock(m) == 0);
        go = i;
        /* Wait (bounded) for the other thread to park, so that the unlock
         * below has a wake-up to do. */
        for (int spin = 0; spin < 100000 && !(__atomic_load_n(&m->word, __ATOMIC_RELAXED) & PARKED); spin++)
            sched_yield();
        slow_unlocks += (__atomic_load_n(&m->word, __ATOMIC_RELAXED) & PARKED) != 0;
        CHECK_EQ(fuss_mutex_unlock(m), 0);
        while (done != i) sched_yield();
    }
    pthread_join(t, NULL);
    printf("%d of %d unlocks had a sleeper to wake\n", slow_unlocks, ROUNDS);
    CHECK(slow_unlocks > ROUNDS / 2);
    munmap(region, page * ROUNDS);
    return test_done();
}
