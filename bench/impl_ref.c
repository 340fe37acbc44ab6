/*
 * References and hand-off baselines: cas+xchg, spin, mutex2, mcs (ref_locks.c),
 * the raw futex(2) system call, a pipe and an eventfd used as semaphores.
 */
#include "bench.h"
#include "ref_locks.h"

#include <errno.h>
#include <sys/eventfd.h>
#include <unistd.h>

static int word_init(void *o, int shared)
{
    (void)shared; /* a bare word works in shared memory as it is */
    *(uint32_t *)o = 0;
    return 0;
}
static void word_destroy(void *o) { (void)o; }

#define REF_MUTEX(tag, label, extra_flags)                                     \
    static void tag##_lock_a(void *o) { ref_##tag##_lock(o); }                 \
    static void tag##_unlock_a(void *o) { ref_##tag##_unlock(o); }             \
    BENCH_PAIR_LOOP(tag, uint32_t, ref_##tag##_lock, ref_##tag##_unlock)       \
    static const struct bench_impl impl_##tag = {                              \
        .name = label, .kind = K_MUTEX, .flags = (extra_flags) | IMPL_SHARED_OK, \
        .type_name = "uint32_t", .size = sizeof(uint32_t),                     \
        .init = word_init, .destroy = word_destroy,                            \
        .lock = tag##_lock_a, .unlock = tag##_unlock_a, .loop = loop_##tag};

REF_MUTEX(casx, "cas+xchg", IMPL_REFERENCE)
REF_MUTEX(spin, "spin", IMPL_REFERENCE)
REF_MUTEX(mutex2, "mutex2", 0)
REF_MUTEX(empty, "empty-call", IMPL_REFERENCE)

/* mcs: the lock is a tail pointer into threads' queue nodes, so it cannot
 * be process-shared; it takes part in the contended scenarios (it is their
 * perfect-handoff reference) as well as the uncontended one. */
static int mcs_init(void *o, int shared)
{
    if (shared)
        return ENOTSUP;
    ref_mcs_init(o);
    return 0;
}
static void mcs_lock_a(void *o) { ref_mcs_lock(o); }
static void mcs_unlock_a(void *o) { ref_mcs_unlock(o); }
BENCH_PAIR_LOOP(mcs, ref_mcs_t, ref_mcs_lock, ref_mcs_unlock)
static const struct bench_impl impl_mcs = {
    .name = "mcs", .kind = K_MUTEX, .type_name = "ref_mcs_t", .size = sizeof(ref_mcs_t),
    .init = mcs_init, .destroy = word_destroy, .lock = mcs_lock_a, .unlock = mcs_unlock_a,
    .loop = loop_mcs};

static const struct bench_impl impl_syscall = {
    .name = "syscall", .kind = K_FUTEX, .type_name = "uint32_t", .size = sizeof(uint32_t),
    .fwait = ref_futex_wait, .fwake = ref_futex_wake};

/* ---- pipe and eventfd as semaphores ---------------------------------------- */

struct fdsem {
    int rd, wr;
};

static int pipe_init(void *o, int shared)
{
    (void)shared; /* inherited across fork */
    struct fdsem *s = o;
    int fds[2];
    if (pipe(fds) != 0)
        return errno;
    s->rd = fds[0];
    s->wr = fds[1];
    return 0;
}
static void pipe_destroy(void *o)
{
    struct fdsem *s = o;
    close(s->rd);
    close(s->wr);
}
static void pipe_post(void *o)
{
    struct fdsem *s = o;
    char c = 1;
    while (write(s->wr, &c, 1) != 1) {
    }
}
static void pipe_wait(void *o)
{
    struct fdsem *s = o;
    char c;
    while (read(s->rd, &c, 1) != 1) {
    }
}
static const struct bench_impl impl_pipe = {
    .name = "pipe", .kind = K_SEM, .flags = IMPL_HANDOFF | IMPL_SHARED_OK,
    .type_name = "int[2]", .size = 2 * sizeof(int),
    .init = pipe_init, .destroy = pipe_destroy, .post = pipe_post, .semwait = pipe_wait};

static int efd_init(void *o, int shared)
{
    (void)shared;
    struct fdsem *s = o;
    s->rd = s->wr = eventfd(0, EFD_SEMAPHORE);
    return s->rd < 0 ? errno : 0;
}
static void efd_destroy(void *o) { close(((struct fdsem *)o)->rd); }
static void efd_post(void *o)
{
    while (eventfd_write(((struct fdsem *)o)->wr, 1) != 0) {
    }
}
static void efd_wait(void *o)
{
    eventfd_t v;
    while (eventfd_read(((struct fdsem *)o)->rd, &v) != 0) {
    }
}
static const struct bench_impl impl_eventfd = {
    .name = "eventfd", .kind = K_SEM, .flags = IMPL_HANDOFF | IMPL_SHARED_OK,
    .type_name = "int", .size = sizeof(int),
    .init = efd_init, .destroy = efd_destroy, .post = efd_post, .semwait = efd_wait};

__attribute__((constructor)) static void register_ref(void)
{
    bench_register(&impl_casx);
    bench_register(&impl_spin);
    bench_register(&impl_mutex2);
    bench_register(&impl_mcs);
    bench_register(&impl_empty);
    bench_register(&impl_syscall);
    bench_register(&impl_pipe);
    bench_register(&impl_eventfd);
}
