/* A rwlock may be freed as soon as nobody holds it or will take it
 * (DESIGN.md, "Lifecycle rules"; issue 22, defect 3): a writer unlocks
 * while another thread waits; that thread takes the lock, unlocks it and
 * unmaps the page at once, while the first unlock may still be on its way
 * out.  An unlock that touched the lock after releasing it would fault on
 * the unmapped page.  Many rounds, each on a fresh page. */
#include <sys/mman.h>
#include <unistd.h>
#include "check.h"

#define ROUNDS 300

struct shared {
    pthread_rwlock_t rw;
};

static struct shared *volatile cur;
static volatile int waiting, done;

static void *taker(void *arg)
{
    int write = *(int *)arg;
    struct shared *s = cur;
    waiting = 1;
    EQ(write ? pthread_rwlock_wrlock(&s->rw) : pthread_rwlock_rdlock(&s->rw), 0);
    EQ(pthread_rwlock_unlock(&s->rw), 0);
    /* The last user: destroy and free, right after the last unlock. */
    EQ(pthread_rwlock_destroy(&s->rw), 0);
    EQ(munmap(s, (size_t)sysconf(_SC_PAGESIZE)), 0);
    done = 1;
    return NULL;
}

int main(void)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    for (int i = 0; i < ROUNDS; i++) {
        struct shared *s = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        CHECK(s != MAP_FAILED);
        EQ(pthread_rwlock_init(&s->rw, NULL), 0);
        EQ(pthread_rwlock_wrlock(&s->rw), 0);
        cur = s;
        waiting = done = 0;
        int write = i & 1;
        pthread_t t;
        EQ(pthread_create(&t, NULL, taker, &write), 0);
        while (!waiting) usleep(100);
        usleep(500); /* let it block in its lock call */
        EQ(pthread_rwlock_unlock(&s->rw), 0); /* the waiter may free s now */
        EQ(pthread_join(t, NULL), 0);
        EQ(done, 1);
    }
    puts("rwlock_unmap: ok");
    return 0;
}
