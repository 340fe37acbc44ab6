/*
 * wait_any — one thread waits for several events at once with
 * fuss_futex_waitv(): each event is a 32-bit word that its own setter thread
 * changes from 0 to 1 and then wakes (see fuss_futex(3)).
 *
 * Usage: wait_any [events (1-64) [rounds]]   (defaults: 8 events, 1000 rounds)
 * QUICK: 8 200
 * Checks: each event is seen exactly once per round, and whenever waitv
 * reports a wake-up, the word it names has been set (waitv never returns
 * spuriously).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fuss.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EVENTS 64
#define STOP 0xffffffffu

static uint32_t event[MAX_EVENTS];  /* 0 = not yet, 1 = happened this round */
static uint32_t round_no;           /* setters start a round when it changes */
static uint32_t acked;              /* setters done with this round's wake */
static unsigned nevents;

static uint32_t load(const uint32_t *w) { return __atomic_load_n(w, __ATOMIC_ACQUIRE); }
static void store(uint32_t *w, uint32_t v) { __atomic_store_n(w, v, __ATOMIC_RELEASE); }

static void *setter(void *arg)
{
    unsigned i = (unsigned)(size_t)arg;
    uint32_t seen = 0;
    for (;;) {
        while (load(&round_no) == seen)
            fuss_futex_wait(&round_no, seen, FUSS_PRIVATE);
        seen = load(&round_no);
        if (seen == STOP) return NULL;
        for (volatile unsigned d = (i * 37u + seen * 11u) % 2000u; d; d--) {}   /* vary the order */
        store(&event[i], 1);
        fuss_futex_wake(&event[i], 1, FUSS_PRIVATE, NULL);
        if (__atomic_add_fetch(&acked, 1, __ATOMIC_ACQ_REL) == nevents)
            fuss_futex_wake(&acked, 1, FUSS_PRIVATE, NULL);
    }
}

/* argv[i] as a whole decimal number in [lo, hi], or def when absent; anything
 * else (a word, a sign, trailing junk, out of range) is an error. */
static int arg(int argc, char **argv, int i, unsigned long lo, unsigned long hi,
               unsigned long def, unsigned *out)
{
    if (i >= argc) { *out = (unsigned)def; return 0; }
    char *end;
    errno = 0;
    unsigned long v = strtoul(argv[i], &end, 10);
    if (argv[i][0] < '0' || argv[i][0] > '9' || *end || errno || v < lo || v > hi) return -1;
    *out = (unsigned)v;
    return 0;
}

int main(int argc, char **argv)
{
    unsigned rounds;
    if (argc > 3 || arg(argc, argv, 1, 1, MAX_EVENTS, 8, &nevents) ||
        arg(argc, argv, 2, 1, 100000000, 1000, &rounds)) {
        fprintf(stderr, "usage: wait_any [events (1-%d) [rounds (1-100000000)]]\n", MAX_EVENTS);
        return 2;
    }
    pthread_t t[MAX_EVENTS];
    for (unsigned i = 0; i < nevents; i++) {
        int e = pthread_create(&t[i], NULL, setter, (void *)(size_t)i);
        if (e) { fprintf(stderr, "wait_any: pthread_create: %s\n", strerror(e)); return 1; }
    }

    unsigned long waits = 0, woken = 0, already = 0, missed = 0, bad_index = 0, seen_total = 0;
    for (uint32_t r = 1; r <= rounds; r++) {
        for (unsigned i = 0; i < nevents; i++) store(&event[i], 0);
        store(&acked, 0);
        store(&round_no, r);
        fuss_futex_wake(&round_no, FUSS_FUTEX_WAKE_ALL, FUSS_PRIVATE, NULL);

        unsigned char seen[MAX_EVENTS] = { 0 };
        unsigned nseen = 0;
        while (nseen < nevents) {
            fuss_futex_waiter_t w[MAX_EVENTS];
            unsigned map[MAX_EVENTS], n = 0, index = 0;
            for (unsigned i = 0; i < nevents; i++)
                if (!seen[i]) { w[n] = (fuss_futex_waiter_t){ &event[i], 0, FUSS_PRIVATE }; map[n++] = i; }
            int e = fuss_futex_waitv(w, n, CLOCK_MONOTONIC, NULL, &index);
            waits++;
            if (e == 0) {
                woken++;
                if (index >= n || load(&event[map[index]]) != 1) bad_index++;
            } else if (e == EAGAIN) {
                already++;
            } else if (e != EINTR) {
                fprintf(stderr, "wait_any: fuss_futex_waitv: %s\n", strerror(e));
                return 1;
            }
            for (unsigned i = 0; i < nevents; i++)
                if (!seen[i] && load(&event[i]) == 1) { seen[i] = 1; nseen++; seen_total++; }
        }
        /* Before the next round resets the words, let every setter finish its
         * wake-up, so none lands on a word that is 0 again. */
        uint32_t a;
        while ((a = load(&acked)) != nevents)
            fuss_futex_wait(&acked, a, FUSS_PRIVATE);
        for (unsigned i = 0; i < nevents; i++) missed += !seen[i];
    }
    store(&round_no, STOP);
    fuss_futex_wake(&round_no, FUSS_FUTEX_WAKE_ALL, FUSS_PRIVATE, NULL);
    for (unsigned i = 0; i < nevents; i++) pthread_join(t[i], NULL);

    printf("wait_any: %u rounds of %u events (%s backend%s): %lu events seen (expected %lu) in "
           "%lu waits: %lu woken, %lu found an event already set; %lu bad indexes\n",
           rounds, nevents, fuss_futex_backend(),
           (fuss_futex_features() & FUSS_FEATURE_WAITV) ? ", kernel futex_waitv" : ", emulated waitv",
           seen_total, (unsigned long)rounds * nevents, waits, woken, already, bad_index);
    return seen_total == (unsigned long)rounds * nevents && bad_index == 0 && missed == 0 ? 0 : 1;
}
