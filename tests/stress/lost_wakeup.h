/*
 * Token-passing stress for lost wake-ups, shared by futex_lost_wakeup*.c.
 *
 * STATIONS words count the tokens waiting there; TOKENS tokens circulate.
 * A thread takes a token from a station it watches (CAS n -> n-1) or sleeps
 * while all of them read 0; it passes the token on (n -> n+1) and wakes the
 * destination by a randomly chosen method (wake with a random count, bitset
 * wake, wake-op doing the increment, cmp-requeue to an auxiliary word that
 * it then wakes).  Waits are randomly plain, bitset, timed, or waitv.
 *
 * A lost wake-up leaves tokens at a station whose watchers all sleep: the
 * monitor sees no progress and fails with every thread's state.  Counts
 * checked at the end: tokens conserved, handoffs taken == given, and every
 * wake a waker reported was received by a waiter (wait returned 0).
 */
#ifndef FUSS_TEST_LOST_WAKEUP_H
#define FUSS_TEST_LOST_WAKEUP_H

#include <stdatomic.h>

#include "harness.h"

#define STATIONS 4
#define TOKENS 3
#define THREADS 8
#define DECOYS 11
#define TARGET_HANDOFFS 1000000L
#define STALL_SECONDS 10

struct lw_config {
    int waitv_two;     /* each thread watches two stations (and decoys) through waitv */
    int requeue_pct;   /* share of hand-offs woken through cmp-requeue */
};

static uint32_t lw_station[STATIONS], lw_aux[STATIONS], lw_stop_word, lw_decoy[DECOYS];
static uint32_t lw_dummy;
static _Atomic int lw_stop;
static _Atomic long lw_handoffs, lw_taken, lw_given, lw_reported, lw_received;
static _Atomic int lw_state[THREADS]; /* -1 running, else the station it sleeps on (99: waitv) */
static _Atomic int lw_mode[THREADS];
static struct lw_config lw_cfg;
static unsigned long lw_seed;

static const char *lw_mode_name[] = { "wait", "wait_bitset", "wait_until", "waitv" };

static int lw_try_take(int s)
{
    uint32_t v = __atomic_load_n(&lw_station[s], __ATOMIC_ACQUIRE);
    while (v > 0)
        if (__atomic_compare_exchange_n(&lw_station[s], &v, v - 1, 0, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            return 1;
    return 0;
}

static void lw_add_reported(unsigned n) { atomic_fetch_add(&lw_reported, (long)n); }

static void lw_give(int dst, uint64_t *rng)
{
    unsigned woken = 0, requeued = 0;
    unsigned pick = (unsigned)(test_rand(rng) % 100);
    static const unsigned counts[3] = { 1, 2, FUSS_FUTEX_WAKE_ALL };
    if (pick < (unsigned)lw_cfg.requeue_pct) {
        uint32_t now = __atomic_add_fetch(&lw_station[dst], 1, __ATOMIC_ACQ_REL);
        int r = fuss_futex_cmp_requeue(&lw_station[dst], now, 1, FUSS_FUTEX_WAKE_ALL, &lw_aux[dst],
                                       FUSS_PRIVATE, &woken, &requeued);
        if (r == EAGAIN) r = fuss_futex_wake(&lw_station[dst], 1, FUSS_PRIVATE, &woken);
        REQUIRE(r == 0);
        lw_add_reported(woken);
        /* Whatever was moved is woken from the auxiliary word. */
        REQUIRE(fuss_futex_wake(&lw_aux[dst], FUSS_FUTEX_WAKE_ALL, FUSS_PRIVATE, &woken) == 0);
        lw_add_reported(woken);
        return;
    }
    pick = (unsigned)(test_rand(rng) % 3);
    if (pick == 0) {
        __atomic_add_fetch(&lw_station[dst], 1, __ATOMIC_ACQ_REL);
        REQUIRE(fuss_futex_wake(&lw_station[dst], counts[test_rand(rng) % 3], FUSS_PRIVATE,
                                &woken) == 0);
        lw_add_reported(woken);
    } else if (pick == 1) {
        /* A random bitset, then its complement if it reached nobody. */
        __atomic_add_fetch(&lw_station[dst], 1, __ATOMIC_ACQ_REL);
        uint32_t b = (uint32_t)test_rand(rng) | 1u;
        REQUIRE(fuss_futex_wake_bitset(&lw_station[dst], 1, b, FUSS_PRIVATE, &woken) == 0);
        lw_add_reported(woken);
        if (woken == 0 && ~b != 0) {
            REQUIRE(fuss_futex_wake_bitset(&lw_station[dst], 1, ~b, FUSS_PRIVATE, &woken) == 0);
            lw_add_reported(woken);
        }
    } else {
        /* The increment is the wake-op itself; old >= 0 always holds. */
        uint32_t op = FUSS_FUTEX_OP(FUSS_FUTEX_OP_ADD, 1, FUSS_FUTEX_OP_CMP_GE, 0);
        REQUIRE(fuss_futex_wake_op(&lw_dummy, 1, &lw_station[dst], counts[test_rand(rng) % 3], op,
                                   FUSS_PRIVATE, &woken) == 0);
        lw_add_reported(woken);
    }
}

/* Sleep while the station reads 0; returns when woken, timed out, or the value changed. */
static void lw_sleep(int me, int home, uint64_t *rng)
{
    fuss_futex_waiter_t v[1 + DECOYS + STATIONS];
    unsigned n = 0, idx = 999;
    int mode = lw_cfg.waitv_two ? 3 : (int)(test_rand(rng) % 4);
    int r;
    atomic_store(&lw_mode[me], mode);
    atomic_store(&lw_state[me], mode == 3 && lw_cfg.waitv_two ? 99 : home);
    switch (mode) {
    case 0: r = fuss_futex_wait(&lw_station[home], 0, FUSS_PRIVATE); break;
    case 1:
        r = fuss_futex_wait_bitset(&lw_station[home], 0, 1u << (test_rand(rng) % 32),
                                   CLOCK_MONOTONIC, NULL, FUSS_PRIVATE);
        break;
    case 2: {
        struct timespec dl = test_deadline_in(CLOCK_MONOTONIC, (long)(test_rand(rng) % 3));
        r = fuss_futex_wait_until(&lw_station[home], 0, CLOCK_MONOTONIC, &dl, FUSS_PRIVATE);
        break;
    }
    default:
        /* The stop word first: the kernel reports the highest woken index. */
        v[n++] = (fuss_futex_waiter_t){ &lw_stop_word, 0, FUSS_PRIVATE };
        if (lw_cfg.waitv_two) {
            for (int d = 0; d < DECOYS; d++)
                v[n++] = (fuss_futex_waiter_t){ &lw_decoy[d], 0, FUSS_PRIVATE };
            for (int k = 0; k < 2; k++)
                v[n++] = (fuss_futex_waiter_t){ &lw_station[(home + k) % STATIONS], 0,
                                                FUSS_PRIVATE };
        } else {
            v[n++] = (fuss_futex_waiter_t){ &lw_station[home], 0, FUSS_PRIVATE };
        }
        r = fuss_futex_waitv(v, n, CLOCK_MONOTONIC, NULL, &idx);
        if (r == 0) {
            REQUIRE(idx < n);
            if (idx == 0) REQUIRE(atomic_load(&lw_stop));
            if (idx > 0 && idx <= DECOYS && lw_cfg.waitv_two) {
                fprintf(stderr, "waitv woken on a decoy word (index %u)\n", idx);
                exit(1);
            }
            if (idx == 0) r = -1; /* the stop wake: not one a waker reported */
        }
        break;
    }
    atomic_store(&lw_state[me], -1);
    if (r == 0) atomic_fetch_add(&lw_received, 1);
    else if (r > 0 && r != EAGAIN && r != ETIMEDOUT) {
        fprintf(stderr, "thread %d: %s returned %d\n", me, lw_mode_name[mode], r);
        exit(1);
    }
}

static void *lw_thread(void *arg)
{
    int me = (int)(intptr_t)arg;
    uint64_t rng = lw_seed * 0x9E3779B97F4A7C15ull + (uint64_t)me * 0xD1B54A32D192ED03ull + 1;
    int home = me % STATIONS;
    while (!atomic_load(&lw_stop)) {
        int took = -1;
        if (lw_cfg.waitv_two) {
            int first = (int)(test_rand(&rng) % 2);
            for (int k = 0; k < 2 && took < 0; k++) {
                int s = (home + (first + k) % 2) % STATIONS;
                if (lw_try_take(s)) took = s;
            }
        } else if (lw_try_take(home)) {
            took = home;
        }
        if (took < 0) {
            lw_sleep(me, home, &rng);
            continue;
        }
        atomic_fetch_add(&lw_taken, 1);
        /* waitv: two stations on, out of this thread's pair. */
        int dst = (took + (lw_cfg.waitv_two ? 2 : 1)) % STATIONS;
        lw_give(dst, &rng);
        atomic_fetch_add(&lw_given, 1);
        atomic_fetch_add(&lw_handoffs, 1);
    }
    atomic_store(&lw_state[me], -2);
    return NULL;
}

static void lw_describe(char *buf, size_t size)
{
    size_t off = 0;
    off += (size_t)snprintf(buf + off, size - off, "handoffs %ld taken %ld given %ld; stations",
                            atomic_load(&lw_handoffs), atomic_load(&lw_taken),
                            atomic_load(&lw_given));
    for (int s = 0; s < STATIONS && off < size; s++)
        off += (size_t)snprintf(buf + off, size - off, " %u",
                                __atomic_load_n(&lw_station[s], __ATOMIC_RELAXED));
    for (int i = 0; i < THREADS && off < size; i++) {
        int st = atomic_load(&lw_state[i]);
        off += (size_t)snprintf(buf + off, size - off, "\n  thread %d: %s", i,
                                st == -1 ? "running" : st == -2 ? "exited" : "sleeping");
        if (st >= 0 && off < size)
            off += (size_t)snprintf(buf + off, size - off, " in %s on %s %d",
                                    lw_mode_name[atomic_load(&lw_mode[i])],
                                    st == 99 ? "its two stations from" : "station", st == 99 ? i % STATIONS : st);
    }
    if (off < size) snprintf(buf + off, size - off, "\n");
}

static int lw_run(const char *name, struct lw_config cfg)
{
    lw_cfg = cfg;
    lw_seed = test_seed();
    /* Stops at TARGET_HANDOFFS (about 4 s here) or this many seconds. */
    double seconds = test_seconds(6.0);
    test_watchdog((unsigned)seconds + 60, name);
    for (int i = 0; i < THREADS; i++) atomic_store(&lw_state[i], -1);
    lw_station[0] = TOKENS;
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        REQUIRE(pthread_create(&t[i], NULL, lw_thread, (void *)(intptr_t)i) == 0);

    double start = test_now(), last_change = start;
    long last = -1;
    for (;;) {
        test_sleep_ms(20);
        long h = atomic_load(&lw_handoffs);
        double now = test_now();
        if (h != last) { last = h; last_change = now; }
        lw_describe(test_watchdog_detail, sizeof test_watchdog_detail);
        if (h >= TARGET_HANDOFFS || now - start >= seconds) break;
        if (now - last_change > STALL_SECONDS) {
            fprintf(stderr, "%s: no hand-off for %d s (lost wake-up?)\n%s", name, STALL_SECONDS,
                    test_watchdog_detail);
            exit(1);
        }
    }
    atomic_store(&lw_stop, 1);
    __atomic_store_n(&lw_stop_word, 1, __ATOMIC_RELEASE);
    /* Wake everything until all threads are out; these wakes are not counted. */
    for (int alive = THREADS; alive > 0;) {
        REQUIRE(fuss_futex_wake(&lw_stop_word, FUSS_FUTEX_WAKE_ALL, FUSS_PRIVATE, NULL) == 0);
        for (int s = 0; s < STATIONS; s++) {
            unsigned w1 = 0, w2 = 0;
            REQUIRE(fuss_futex_wake(&lw_station[s], FUSS_FUTEX_WAKE_ALL, FUSS_PRIVATE, &w1) == 0);
            REQUIRE(fuss_futex_wake(&lw_aux[s], FUSS_FUTEX_WAKE_ALL, FUSS_PRIVATE, &w2) == 0);
            /* The waiters count these too: keep the two sides comparable. */
            lw_add_reported(w1 + w2);
        }
        alive = 0;
        for (int i = 0; i < THREADS; i++) alive += atomic_load(&lw_state[i]) != -2;
        test_sleep_ms(1);
    }
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);

    uint32_t sum = 0;
    for (int s = 0; s < STATIONS; s++) sum += lw_station[s];
    long reported = atomic_load(&lw_reported), received = atomic_load(&lw_received);
    printf("%s: %ld hand-offs in %.2f s; wakes reported %ld, received %ld\n", name,
           atomic_load(&lw_handoffs), test_now() - start, reported, received);
    CHECK_EQ(sum, TOKENS);
    CHECK_EQ(atomic_load(&lw_taken), atomic_load(&lw_given));
    CHECK_EQ(atomic_load(&lw_taken), atomic_load(&lw_handoffs));
    CHECK(atomic_load(&lw_handoffs) > 0);
    /* Every reported wake ended some wait with 0.  The kernel's waitv may be
     * counted by a wake of each of its words, so only where it cannot. */
    if (!cfg.waitv_two || !(fuss_futex_features() & FUSS_FEATURE_WAITV))
        CHECK(reported <= received);
    return test_done();
}

#endif
