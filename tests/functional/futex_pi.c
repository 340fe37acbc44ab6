/* PI lock/trylock/unlock: the word holds the owner's tid; trylock by another thread is EBUSY, unlock by a non-owner EPERM, relock by the owner EDEADLK, a timed lock ETIMEDOUT on both clocks while held; the emulated backend answers ENOTSUP. */
#include <sys/syscall.h>

#include "waiters.h"

static uint32_t pi;

static uint32_t my_tid(void) { return (uint32_t)syscall(SYS_gettid); }

struct other { int trylock, unlock, lock_mono, lock_real, lock_forever, stage;
                uint32_t tid, owner_after; int mono_late, real_late, unlock_after; };

static void *other_thread(void *p)
{
    struct other *o = (struct other *)p;
    o->tid = my_tid();
    o->trylock = fuss_futex_trylock_pi(&pi, FUSS_PRIVATE);
    o->unlock = fuss_futex_unlock_pi(&pi, FUSS_PRIVATE);
    struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 30);
    o->lock_mono = fuss_futex_lock_pi(&pi, CLOCK_MONOTONIC, &dl, FUSS_PRIVATE);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    o->mono_late = now.tv_sec > dl.tv_sec || (now.tv_sec == dl.tv_sec && now.tv_nsec >= dl.tv_nsec);
    dl = test_deadline_in(CLOCK_REALTIME, 30);
    o->lock_real = fuss_futex_lock_pi(&pi, CLOCK_REALTIME, &dl, FUSS_PRIVATE);
    clock_gettime(CLOCK_REALTIME, &now);
    o->real_late = now.tv_sec > dl.tv_sec || (now.tv_sec == dl.tv_sec && now.tv_nsec >= dl.tv_nsec);
    __atomic_store_n(&o->stage, 1, __ATOMIC_RELEASE);
    /* Now block until the owner lets go: we inherit the lock. */
    o->lock_forever = fuss_futex_lock_pi(&pi, CLOCK_MONOTONIC, NULL, FUSS_PRIVATE);
    o->owner_after = __atomic_load_n(&pi, __ATOMIC_RELAXED) & FUSS_FUTEX_TID_MASK;
    o->unlock_after = fuss_futex_unlock_pi(&pi, FUSS_PRIVATE);
    return NULL;
}

static void emulated(void)
{
    struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 10);
    CHECK_EQ(fuss_futex_lock_pi(&pi, CLOCK_MONOTONIC, NULL, FUSS_PRIVATE), ENOTSUP);
    CHECK_EQ(fuss_futex_lock_pi(&pi, CLOCK_MONOTONIC, &dl, FUSS_PRIVATE), ENOTSUP);
    CHECK_EQ(fuss_futex_lock_pi(&pi, CLOCK_REALTIME, NULL, FUSS_SHARED), ENOTSUP);
    CHECK_EQ(fuss_futex_trylock_pi(&pi, FUSS_PRIVATE), ENOTSUP);
    CHECK_EQ(fuss_futex_unlock_pi(&pi, FUSS_PRIVATE), ENOTSUP);
    CHECK_EQ(pi, 0);
    CHECK_EQ(fuss_futex_features() & FUSS_FEATURE_PI, 0);
}

int main(void)
{
    test_watchdog(30, "futex_pi");
    if (test_is_emulated()) {
        emulated();
        return test_done();
    }
    REQUIRE(fuss_futex_features() & FUSS_FEATURE_PI);
    uint32_t tid = my_tid();

    CHECK_EQ(fuss_futex_lock_pi(&pi, CLOCK_MONOTONIC, NULL, FUSS_PRIVATE), 0);
    CHECK_EQ(pi, tid);
    CHECK_EQ(fuss_futex_lock_pi(&pi, CLOCK_MONOTONIC, NULL, FUSS_PRIVATE), EDEADLK);
    CHECK_EQ(fuss_futex_trylock_pi(&pi, FUSS_PRIVATE), EDEADLK);
    CHECK_EQ(fuss_futex_unlock_pi(&pi, FUSS_PRIVATE), 0);
    CHECK_EQ(pi, 0);
    CHECK_EQ(fuss_futex_unlock_pi(&pi, FUSS_PRIVATE), EPERM); /* not owned at all */
    CHECK_EQ(fuss_futex_trylock_pi(&pi, FUSS_PRIVATE), 0);
    CHECK_EQ(pi, tid);

    struct other o = { .stage = 0 };
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, other_thread, &o) == 0);
    /* When the other thread blocks for good, the word gains FUSS_FUTEX_WAITERS. */
    while (!__atomic_load_n(&o.stage, __ATOMIC_ACQUIRE)) test_sleep_ms(1);
    while (!(__atomic_load_n(&pi, __ATOMIC_ACQUIRE) & FUSS_FUTEX_WAITERS)) test_sleep_ms(1);
    test_sleep_ms(5);
    CHECK_EQ(pi & FUSS_FUTEX_TID_MASK, tid);
    CHECK_EQ(fuss_futex_unlock_pi(&pi, FUSS_PRIVATE), 0);
    pthread_join(t, NULL);
    CHECK_EQ(o.trylock, EBUSY);
    CHECK_EQ(o.unlock, EPERM);
    CHECK_EQ(o.lock_mono, ETIMEDOUT);
    CHECK_EQ(o.lock_real, ETIMEDOUT);
    CHECK_EQ(o.lock_forever, 0);
    CHECK(o.mono_late);
    CHECK(o.real_late);
    CHECK_EQ(o.owner_after, o.tid);
    CHECK_EQ(o.unlock_after, 0);
    CHECK_EQ(pi, 0);

    /* A word naming a thread that does not exist. */
    pi = 0x3ffffff0u;
    struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 10);
    CHECK_EQ(fuss_futex_lock_pi(&pi, CLOCK_MONOTONIC, &dl, FUSS_PRIVATE), ESRCH);
    pi = 0;
    return test_done();
}
