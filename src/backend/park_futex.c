/*
 * park_futex.c — the queue's lock and parker on futex words (linux backend;
 * internal/park.h).  Uses the backend's kernel wait and wake only, never
 * the queue itself (a wake here must not consult the queue it serves).
 *
 * THE LOCK (fuss__park_lock_t.word), the three-state futex lock of
 * Drepper's "Futexes Are Tricky" (mutex2):
 *   (L1) 0  free                 (L2) 1  held, nobody asleep
 *   (L3) 2  held, sleepers may exist
 *   lock:   CAS 0 -> 1 (acquire); else, after a short spin, exchange 2
 *           (acquire) until it returns 0, sleeping on 2 between tries.
 *   unlock: exchange 0 (release); wake one if it was 2.
 *   A bucket is held for a list operation of a few pointers, so a waiter
 *   spins the plain budget first (internal/spin.h).  The locks are static
 *   (queue.c's buckets): an unlock's wake after its release touches nothing
 *   that can be freed.
 *
 * THE PARKER (fuss__parker_t.token), per thread:
 *   (P1) 0 EMPTY    (P2) 1 POSTED    (P3) 2 SLEEPING (its thread may sleep)
 *   post:  exchange POSTED (release); wake the owner if it was SLEEPING.
 *   wait:  CAS POSTED -> EMPTY (acquire) takes the token.  Else CAS
 *          EMPTY -> SLEEPING and sleep on SLEEPING; on any return try the
 *          take again; at the deadline or after a signal, CAS SLEEPING ->
 *          EMPTY and report it, unless a post came first (then the token
 *          is taken and 0 returned, since a post follows a claim).
 *   Only the owner thread moves it away from POSTED, so a post is never
 *   lost; the post's wake may reach a thread that has already returned
 *   (and exited): a futex wake only names the address, and every waiter
 *   on this library's words tolerates a spurious wake-up.
 *
 * TSan sees neither the futex lock nor the token's hand-off: both state
 * the happens-before they give (fuss__tsan_acquire/release).
 */
#include <errno.h>

#include "internal/assert.h"
#include "internal/park.h"
#include "internal/spin.h"
#include "internal/tsan.h"
#include "internal/wait.h"

#define LOCK_FREE      0u
#define LOCK_HELD      1u
#define LOCK_CONTENDED 2u

#define PARK_EMPTY    0u
#define PARK_POSTED   1u
#define PARK_SLEEPING 2u

void fuss__park_lock(fuss__park_lock_t *l)
{
    uint32_t s = LOCK_FREE;
    if (!a32_cas_acq(&l->word, &s, LOCK_HELD)) {                               /* (L2) */
        struct fuss__backoff b = FUSS__BACKOFF_INIT;
        for (;;) {
            s = a32_load_relaxed(&l->word);
            if (s == LOCK_FREE && a32_cas_acq(&l->word, &s, LOCK_HELD)) break;
            if (s == LOCK_CONTENDED || !fuss__backoff_step(&b)) {
                while (a32_swap_acq(&l->word, LOCK_CONTENDED) != LOCK_FREE)      /* (L3) */
                    (void)fuss__kernel_wait_private(&l->word, LOCK_CONTENDED, NULL);
                break;
            }
        }
    }
    fuss__tsan_acquire(l);
}

void fuss__park_unlock(fuss__park_lock_t *l)
{
    fuss__tsan_release(l);
    if (a32_swap_rel(&l->word, LOCK_FREE) == LOCK_CONTENDED)                 /* (L1) */
        fuss__kernel_wake_private(&l->word, 1);
}

void fuss__park_lock_reset(fuss__park_lock_t *l) { a32_store_relaxed(&l->word, LOCK_FREE); }

void fuss__parker_init(fuss__parker_t *p) { a32_store_relaxed(&p->token, PARK_EMPTY); }

void fuss__parker_post(fuss__parker_t *p)
{
    fuss__tsan_release(p);
    if (a32_swap_rel(&p->token, PARK_POSTED) == PARK_SLEEPING)                /* (P2) */
        fuss__kernel_wake_private(&p->token, 1);
}

static bool take_token(fuss__parker_t *p, uint32_t from)
{
    if (!a32_cas_acq(&p->token, &from, PARK_EMPTY)) return false;
    fuss__tsan_acquire(p);
    return true;
}

int fuss__parker_wait(fuss__parker_t *p, const struct fuss__deadline *dl)
{
    for (;;) {
        if (take_token(p, PARK_POSTED)) return 0;
        uint32_t s = PARK_EMPTY;
        if (!a32_cas_relaxed(&p->token, &s, PARK_SLEEPING) && s != PARK_SLEEPING)
            continue; /* posted meanwhile */                                   /* (P3) */
        int r = fuss__kernel_wait_private(&p->token, PARK_SLEEPING, dl);
        if (r != -ETIMEDOUT && r != -EINTR) continue; /* woken, EAGAIN or spurious */
        if (take_token(p, PARK_POSTED)) return 0;
        s = PARK_SLEEPING;
        if (a32_cas_relaxed(&p->token, &s, PARK_EMPTY)) return r;              /* (P1) */
    }
}

void fuss__parker_consume(fuss__parker_t *p)
{
    while (fuss__parker_wait(p, NULL) != 0) {}
}
