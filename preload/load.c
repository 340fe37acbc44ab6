/* The drop-in's constructor: the mode, glibc's functions, and the statistics
 * printed at exit (fuss_pthread.h, MODES). */
#include "fuss_pthread.h"

HIDDEN int g_mode;
static const char *const stat_names[S_KINDS] = { "mutex", "cond", "rwlock", "sem",
                                                 "barrier", "spin", "once" };
HIDDEN atomic_ulong stat_calls[S_KINDS], stat_contended[S_KINDS];

#define REAL_DEF(name, ret, args) HIDDEN ret(*real_##name) args;
REAL_LIST(REAL_DEF)

static void resolve_real(void)
{
#define REAL_RESOLVE(name, ret, args) *(void **)&real_##name = dlsym(RTLD_NEXT, #name);
    REAL_LIST(REAL_RESOLVE)
    /* The current condvar ABI, whichever version dlsym would pick. */
#define REAL_COND(name, ret, args) *(void **)&real_##name = dlvsym(RTLD_NEXT, #name, "GLIBC_2.3.2");
    REAL_COND(pthread_cond_init, , ) REAL_COND(pthread_cond_destroy, , )
    REAL_COND(pthread_cond_wait, , ) REAL_COND(pthread_cond_timedwait, , )
    REAL_COND(pthread_cond_signal, , ) REAL_COND(pthread_cond_broadcast, , )
}

/* Where the statistics go: a copy of stderr taken at load time, so that a
 * program that closes its stderr (xz, sort) still gets them; or the file
 * FUSS_PTHREAD_STATS names when it holds a '/'. */
static int stats_fd = 2;

static void say_to(int fd, const char *s) { (void)!write(fd, s, strlen(s)); }
static void say(const char *s) { say_to(2, s); }

static void dump_stats(void)
{
    unsigned long total = 0;
    for (int k = 0; k < S_KINDS; k++) total += atomic_load(&stat_calls[k]);
    if (total == 0) return; /* a wrapper process that took no lock: nothing to say */
    char line[200];
    snprintf(line, sizeof line,
             "fuss-pthread statistics for %s (pid %ld; calls, contended = fast path failed):\n",
             program_invocation_short_name, (long)getpid());
    say_to(stats_fd, line);
    for (int k = 0; k < S_KINDS; k++) {
        unsigned long c = atomic_load(&stat_calls[k]), x = atomic_load(&stat_contended[k]);
        snprintf(line, sizeof line, "fuss-pthread: %-8s calls %12lu contended %12lu\n",
                 stat_names[k], c, x);
        say_to(stats_fd, line);
    }
}

/* A yes/no environment value: 1 yes, 0 no, -1 neither (the caller says so). */
static int env_bool(const char *v)
{
    static const char *const yes[] = { "1", "on", "yes", "true", "fuss" };
    static const char *const no[] = { "0", "off", "no", "false" };
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) if (!strcasecmp(v, yes[i])) return 1;
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) if (!strcasecmp(v, no[i])) return 0;
    return -1;
}

static void stats_open(const char *where)
{
    int fd = strchr(where, '/') ? open(where, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)
                                : fcntl(2, F_DUPFD_CLOEXEC, 10);
    if (fd < 0) {
        say("fuss-pthread: FUSS_PTHREAD_STATS: cannot open where to write; statistics go to stderr\n");
        return;
    }
    stats_fd = fd;
}

__attribute__((constructor)) static void fuss_pthread_load(void)
{
    resolve_real();
    const char *use = getenv("FUSS_PTHREAD");
    const char *st = getenv("FUSS_PTHREAD_STATS");
    int on = use && *use ? env_bool(use) : 1;
    if (on < 0) {
        say("fuss-pthread: FUSS_PTHREAD must be on or off (1/0, yes/no, true/false); using fuss\n");
        on = 1;
    }
    if (!on) {
        int ok = 1;
#define REAL_CHECK(name, ret, args) ok &= real_##name != NULL;
        REAL_LIST(REAL_CHECK)
        if (ok) g_mode = MODE_OFF;
        else say("fuss-pthread: FUSS_PTHREAD=off but glibc's functions not found; using fuss\n");
    } else if (st && *st && (strchr(st, '/') || env_bool(st) != 0)) {
        g_mode = MODE_STATS;
        stats_open(st);
        atexit(dump_stats);
    }
}
