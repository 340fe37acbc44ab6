/* Issue 22, defect 4: a private mutex inherited by a fork() child with
 * STARVING set stays locked for ever there.  The starver was another thread
 * of the parent; the child has only the forking thread, so a hand-off
 * (T8 of src/mutex.c) waits for a claimer that does not exist: trylock and
 * destroy answer EBUSY on a mutex nobody holds, and every lock sleeps its
 * FAIR_NS cap (~1 ms) before claiming, leaving STARVING behind again.
 *
 * Made deterministic without timing: main holds the mutex while another
 * thread waits on it, and forks only once that thread has set STARVING
 * (it does so after its first capped sleep, SLICE_NS; polled on the word).
 * Three shapes, each checked in the child, which reports by exit status:
 *   held      main holds it at fork, the child unlocks (the usual pattern
 *             done by hand);
 *   atfork    the pthread_atfork pattern: lock in prepare, unlock in the
 *             parent and child handlers; the thread starves while prepare
 *             holds it;
 *   transit   the word is in transit at fork (main's unlock handed it to
 *             the starver, which test_hold keeps in a signal handler before
 *             it can claim): nobody holds it in the child.
 * In the child: the unlocked word is 0, trylock and destroy answer 0, and
 * lock/unlock pairs never sleep (no voluntary context switch: a count,
 * not a time). */
#include <sys/resource.h>

#include "harness.h"
#include "hold.h"
#include "process.h"

#define STARVING 0x4u /* src/mutex.c, lock word table */
#define PAIRS 50

static long voluntary_switches(void)
{
    struct rusage u;
    REQUIRE(getrusage(RUSAGE_SELF, &u) == 0);
    return u.ru_nvcsw;
}

static uint32_t word_of(fuss_mutex_t *m) { return __atomic_load_n(&m->word, __ATOMIC_RELAXED); }

static void await_starving(fuss_mutex_t *m)
{
    for (int i = 0; !(word_of(m) & STARVING); i++) {
        REQUIRE(i < 10000); /* 10 s; it takes one SLICE_NS (100 ms) */
        test_sleep_ms(1);
    }
}

static void *locker(void *arg)
{
    fuss_mutex_t *m = arg;
    REQUIRE(fuss_mutex_lock(m) == 0);
    REQUIRE(fuss_mutex_unlock(m) == 0);
    return NULL;
}

/* The child's checks on m, which nobody holds now.  Returns the number of
 * failed checks (the exit status). */
static int child_uses(fuss_mutex_t *m)
{
    CHECK_EQ(word_of(m), 0); /* no STARVING, HANDOFF, LOCKED left */
    long before = voluntary_switches();
    for (int i = 0; i < PAIRS; i++) {
        CHECK_EQ(fuss_mutex_lock(m), 0);
        CHECK_EQ(fuss_mutex_unlock(m), 0);
    }
    CHECK_EQ(voluntary_switches() - before, 0); /* no lock slept */
    CHECK_EQ(fuss_mutex_trylock(m), 0);
    CHECK_EQ(fuss_mutex_unlock(m), 0);
    CHECK_EQ(fuss_mutex_destroy(m), 0);
    CHECK_EQ(fuss_mutex_init(m, 0), 0);
    CHECK_EQ(fuss_mutex_lock(m), 0);
    CHECK_EQ(fuss_mutex_unlock(m), 0);
    return test_checks_failed;
}

/* ---- held: main holds it at fork; the child unlocks ------------------------ */

static fuss_mutex_t held_m = FUSS_MUTEX_INIT;

static int held_child(void *arg)
{
    (void)arg;
    CHECK_EQ(word_of(&held_m) & STARVING, STARVING); /* inherited */
    CHECK_EQ(fuss_mutex_unlock(&held_m), 0);
    return child_uses(&held_m);
}

static void held(void)
{
    pthread_t t;
    REQUIRE(fuss_mutex_lock(&held_m) == 0);
    REQUIRE(pthread_create(&t, NULL, locker, &held_m) == 0);
    await_starving(&held_m);
    pid_t pid = test_fork(held_child, NULL);
    CHECK(test_wait_ok(pid));
    REQUIRE(fuss_mutex_unlock(&held_m) == 0); /* hands it to the starver */
    pthread_join(t, NULL);
}

/* ---- atfork: lock in prepare, unlock in parent and child --------------------- */

static fuss_mutex_t atfork_m = FUSS_MUTEX_INIT;
static _Atomic int atfork_armed, atfork_go;

static void *atfork_locker(void *arg)
{
    (void)arg;
    while (!atfork_go) sched_yield();
    return locker(&atfork_m);
}

static void prepare(void)
{
    if (!atfork_armed) return;
    REQUIRE(fuss_mutex_lock(&atfork_m) == 0);
    /* Test only: fork once the other thread starves behind this holder. */
    atfork_go = 1;
    await_starving(&atfork_m);
}

static void parent(void)
{
    if (atfork_armed) REQUIRE(fuss_mutex_unlock(&atfork_m) == 0);
}

static void child(void)
{
    if (atfork_armed) CHECK_EQ(fuss_mutex_unlock(&atfork_m), 0);
}

static int atfork_child(void *arg)
{
    (void)arg;
    return child_uses(&atfork_m);
}

static void atfork(void)
{
    pthread_t t;
    REQUIRE(pthread_atfork(prepare, parent, child) == 0);
    REQUIRE(pthread_create(&t, NULL, atfork_locker, NULL) == 0);
    atfork_armed = 1;
    pid_t pid = test_fork(atfork_child, NULL);
    atfork_armed = 0;
    CHECK(test_wait_ok(pid));
    pthread_join(t, NULL);
}

/* ---- transit: forked while the lock is handed to a held starver -------------- */

static fuss_mutex_t transit_m = FUSS_MUTEX_INIT;

static int transit_child(void *arg)
{
    (void)arg;
    /* Nobody holds it: destroy may say so at once. */
    CHECK_EQ(fuss_mutex_destroy(&transit_m), 0);
    CHECK_EQ(fuss_mutex_trylock(&transit_m), 0);
    CHECK_EQ(fuss_mutex_unlock(&transit_m), 0);
    return child_uses(&transit_m);
}

static void transit(void)
{
    pthread_t t;
    REQUIRE(fuss_mutex_lock(&transit_m) == 0);
    REQUIRE(pthread_create(&t, NULL, locker, &transit_m) == 0);
    await_starving(&transit_m);
    test_hold(t);                                  /* the starver cannot claim */
    REQUIRE(fuss_mutex_unlock(&transit_m) == 0);  /* (T8): in transit */
    CHECK_EQ(word_of(&transit_m) & 0x9u, 0x9u);    /* LOCKED | HANDOFF */
    pid_t pid = test_fork(transit_child, NULL);
    CHECK(test_wait_ok(pid));
    test_release();
    pthread_join(t, NULL);
}

int main(void)
{
    test_watchdog(60, "mutex inherited by a fork child with STARVING set");
    test_hold_init();
    held();
    atfork();
    transit();
    return test_done();
}
