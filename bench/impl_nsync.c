/*
 * Google nsync (libnsync-dev): nsync_mu as mutex and reader-writer lock,
 * nsync_cv as condition variable.  nsync has no process-shared mode.
 */
#include "bench.h"

#include <nsync.h>
#include <errno.h>

static int mu_init(void *o, int shared)
{
    if (shared)
        return ENOTSUP; /* nsync has no process-shared mode */
    nsync_mu_init(o);
    return 0;
}
static void mu_destroy(void *o) { (void)o; }
static void mu_lock(void *o) { nsync_mu_lock(o); }
static void mu_unlock(void *o) { nsync_mu_unlock(o); }
static void mu_rlock(void *o) { nsync_mu_rlock(o); }
static void mu_runlock(void *o) { nsync_mu_runlock(o); }
BENCH_PAIR_LOOP(mu, nsync_mu, nsync_mu_lock, nsync_mu_unlock)
BENCH_PAIR_LOOP(mu_rd, nsync_mu, nsync_mu_rlock, nsync_mu_runlock)

static const struct bench_impl impl_mu = {
    .name = "nsync", .kind = K_MUTEX, .type_name = "nsync_mu", .size = sizeof(nsync_mu),
    .init = mu_init, .destroy = mu_destroy, .lock = mu_lock, .unlock = mu_unlock,
    .loop = loop_mu};

static const struct bench_impl impl_rw = {
    .name = "nsync", .kind = K_RWLOCK, .type_name = "nsync_mu", .size = sizeof(nsync_mu),
    .init = mu_init, .destroy = mu_destroy, .lock = mu_lock, .unlock = mu_unlock,
    .rdlock = mu_rlock, .rdunlock = mu_runlock, .loop_rd = loop_mu_rd, .loop_wr = loop_mu};

static int cv_init(void *o, int shared)
{
    if (shared)
        return ENOTSUP;
    nsync_cv_init(o);
    return 0;
}
static void cv_wait(void *c, void *m) { nsync_cv_wait(c, m); }
static void cv_signal(void *c) { nsync_cv_signal(c); }
static void cv_broadcast(void *c) { nsync_cv_broadcast(c); }
static const struct bench_impl impl_cv = {
    .name = "nsync", .kind = K_COND, .type_name = "nsync_cv", .size = sizeof(nsync_cv),
    .init = cv_init, .destroy = mu_destroy, .mutex = &impl_mu,
    .wait = cv_wait, .signal = cv_signal, .broadcast = cv_broadcast};

__attribute__((constructor)) static void register_nsync(void)
{
    bench_register(&impl_mu);
    bench_register(&impl_rw);
    bench_register(&impl_cv);
}
