/* FUSS_SHARED: every call answers ENOTSUP on the emulated backend; on linux shared words wait and wake, also through a second mapping of the same memory, and waitv takes them when the kernel serves waitv (ENOTSUP otherwise). */
#include <sys/mman.h>

#include "waiters.h"

static uint32_t word, word2;

static void emulated(void)
{
    struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, 10), rel = { 0, 1000000 };
    unsigned n = 99, m = 99, idx = 99;
    CHECK_EQ(fuss_futex_wait(&word, 0, FUSS_SHARED), ENOTSUP);
    CHECK_EQ(fuss_futex_wait_until(&word, 0, CLOCK_MONOTONIC, &dl, FUSS_SHARED), ENOTSUP);
    CHECK_EQ(fuss_futex_wait_for(&word, 0, &rel, FUSS_SHARED), ENOTSUP);
    CHECK_EQ(fuss_futex_wait_bitset(&word, 0, 1, CLOCK_REALTIME, NULL, FUSS_SHARED), ENOTSUP);
    CHECK_EQ(fuss_futex_wake(&word, 1, FUSS_SHARED, &n), ENOTSUP);
    CHECK_EQ(fuss_futex_wake_bitset(&word, 1, 1, FUSS_SHARED, &n), ENOTSUP);
    CHECK_EQ(fuss_futex_requeue(&word, 1, 1, &word2, FUSS_SHARED, &n, &m), ENOTSUP);
    CHECK_EQ(fuss_futex_cmp_requeue(&word, 0, 1, 1, &word2, FUSS_SHARED, &n, &m), ENOTSUP);
    CHECK_EQ(fuss_futex_wake_op(&word, 1, &word2, 1,
                                FUSS_FUTEX_OP(FUSS_FUTEX_OP_SET, 9, FUSS_FUTEX_OP_CMP_EQ, 0),
                                FUSS_SHARED, &n), ENOTSUP);
    fuss_futex_waiter_t v[2] = { { &word, 0, FUSS_PRIVATE }, { &word2, 0, FUSS_SHARED } };
    CHECK_EQ(fuss_futex_waitv(v, 2, CLOCK_MONOTONIC, &dl, &idx), ENOTSUP);
    CHECK_EQ(fuss_futex_features() & FUSS_FEATURE_SHARED, 0);
}

struct shared_waiter { pthread_t t; uint32_t *w; int result; };

static void *shared_wait_main(void *p)
{
    struct shared_waiter *s = (struct shared_waiter *)p;
    s->result = fuss_futex_wait(s->w, 0, FUSS_SHARED);
    return NULL;
}

/* How many shared waiters sleep on w (moved to a scratch word and back). */
static unsigned count_shared(uint32_t *w)
{
    static uint32_t scratch;
    unsigned moved = 0;
    REQUIRE(fuss_futex_requeue(w, 0, FUSS_FUTEX_WAKE_ALL, &scratch, FUSS_SHARED, NULL, &moved) == 0);
    REQUIRE(fuss_futex_requeue(&scratch, 0, FUSS_FUTEX_WAKE_ALL, w, FUSS_SHARED, NULL, NULL) == 0);
    return moved;
}

static void await_shared(uint32_t *w)
{
    for (int i = 0; i < 10000 && count_shared(w) < 1; i++) test_sleep_ms(1);
}

static void linux_shared(void)
{
    unsigned n = 99;
    CHECK(fuss_futex_features() & FUSS_FEATURE_SHARED);
    CHECK_EQ(fuss_futex_wait(&word, 1, FUSS_SHARED), EAGAIN);
    CHECK_EQ(fuss_futex_wake(&word, 1, FUSS_SHARED, &n), 0);
    CHECK_EQ(n, 0);

    /* One memory, two addresses: a wake through either reaches the waiter. */
    int fd = memfd_create("fuss-shared", 0);
    REQUIRE(fd >= 0);
    REQUIRE(ftruncate(fd, 4096) == 0);
    uint32_t *a = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    uint32_t *b = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    REQUIRE(a != MAP_FAILED && b != MAP_FAILED && a != b);
    struct shared_waiter s = { .w = a, .result = -1 };
    REQUIRE(pthread_create(&s.t, NULL, shared_wait_main, &s) == 0);
    await_shared(b);
    CHECK_EQ(count_shared(b), 1);
    /* A private wake names another queue: nobody. */
    CHECK_EQ(fuss_futex_wake(a, 1, FUSS_PRIVATE, &n), 0);
    CHECK_EQ(n, 0);
    __atomic_store_n(b, 1, __ATOMIC_RELEASE);
    CHECK_EQ(fuss_futex_wake(b, 1, FUSS_SHARED, &n), 0);
    CHECK_EQ(n, 1);
    pthread_join(s.t, NULL);
    CHECK_EQ(s.result, 0);

    /* waitv with a shared word. */
    fuss_futex_waiter_t v[2] = { { &word, 0, FUSS_PRIVATE }, { b, 0, FUSS_SHARED } };
    struct timespec past = { 0, 0 };
    int r = fuss_futex_waitv(v, 2, CLOCK_MONOTONIC, &past, NULL);
    if (fuss_futex_features() & FUSS_FEATURE_WAITV) CHECK_EQ(r, EAGAIN); /* *b is 1 */
    else CHECK_EQ(r, ENOTSUP);
    munmap(a, 4096);
    munmap(b, 4096);
    close(fd);
}

int main(void)
{
    test_watchdog(30, "futex_shared");
    if (test_is_emulated()) emulated();
    else linux_shared();
    return test_done();
}
