/*
 * A two-process ping-pong through a fuss mutex + condvar, for the process
 * tests that put it in segments reached in different ways.  Side 0 serves
 * (turn 0 -> 1), side 1 answers (turn 1 -> 0); each round trip needs one
 * wake-up in each direction, so a lost wake-up hangs (watchdog).
 */
#ifndef FUSS_TEST_PINGPONG_H
#define FUSS_TEST_PINGPONG_H

#include "harness.h"

#define PINGPONG_ROUNDS 2000

struct pingpong {
    fuss_mutex_t lock;
    fuss_cond_t cond;
    int turn;
    int rounds[2];
    int errors;
    uintptr_t addr[2]; /* where each side mapped the segment */
};

static inline int pingpong_init(struct pingpong *p)
{
    int r = fuss_mutex_init(&p->lock, FUSS_SHARED);
    if (!r) r = fuss_cond_init(&p->cond, FUSS_SHARED);
    return r;
}

/* Returns the number of errors seen on this side. */
static inline int pingpong_run(struct pingpong *p, int side)
{
    int errors = 0;
    p->addr[side] = (uintptr_t)p;
    for (int i = 0; i < PINGPONG_ROUNDS; i++) {
        errors += fuss_mutex_lock(&p->lock) != 0;
        while (p->turn != side) errors += fuss_cond_wait(&p->cond, &p->lock) != 0;
        p->turn = !side;
        p->rounds[side]++;
        errors += fuss_cond_signal(&p->cond) != 0;
        errors += fuss_mutex_unlock(&p->lock) != 0;
    }
    return errors;
}

#endif
