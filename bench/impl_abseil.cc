/*
 * Abseil (libabsl-dev): absl::Mutex Lock / Unlock as a mutex, in the
 * uncontended and the contended mutex scenarios.  C++, so the adapter builds
 * its impl entry at run time and exposes it through the same C interface as
 * the other rows (bench.h).  absl::Mutex has no process-shared mode.
 */
#include "bench.h"

#include <absl/synchronization/mutex.h>
#include <errno.h>
#include <new>

namespace {

int mu_init(void *o, int shared)
{
    if (shared)
        return ENOTSUP;
    new (o) absl::Mutex;
    return 0;
}
void mu_destroy(void *o) { static_cast<absl::Mutex *>(o)->~Mutex(); }
void mu_lock(void *o) { static_cast<absl::Mutex *>(o)->Lock(); }
void mu_unlock(void *o) { static_cast<absl::Mutex *>(o)->Unlock(); }

/* The uncontended loop: Lock and Unlock are out of line in libabsl, so each
 * is a real call, as for the other libraries (BENCH_PAIR_LOOP is C). */
BENCH_NOINLINE void loop_mu(void *o, uint64_t n)
{
    absl::Mutex *mu = static_cast<absl::Mutex *>(o);
    for (uint64_t i = 0; i < n; i++) {
        mu->Lock();
        mu->Unlock();
        __asm__ __volatile__("" ::: "memory");
    }
}

struct bench_impl impl_mu;

} // namespace

static_assert(sizeof(absl::Mutex) <= sizeof(bench_slot), "absl::Mutex fits a bench slot");
static_assert(alignof(absl::Mutex) <= BENCH_LINE, "absl::Mutex alignment");

__attribute__((constructor)) static void register_abseil(void)
{
    impl_mu.name = "abseil";
    impl_mu.kind = K_MUTEX;
    impl_mu.type_name = "absl::Mutex";
    impl_mu.size = sizeof(absl::Mutex);
    impl_mu.init = mu_init;
    impl_mu.destroy = mu_destroy;
    impl_mu.lock = mu_lock;
    impl_mu.unlock = mu_unlock;
    impl_mu.loop = loop_mu;
    bench_register(&impl_mu);
}
