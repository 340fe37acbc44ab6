/*
 * fuss-bench — the driver: options, the list of measurement points,
 * interleaving and repetition, subprocesses for the implementations that live
 * in other binaries, aggregation (median, spread, ratio to glibc), the table,
 * the CSV and the plots.  See bench/README.md.
 */
#include "bench.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#  include <gnu/libc-version.h>
#endif

/* ---- notes ------------------------------------------------------------------- */

/* Progress and notes go to stderr, the table to stdout.  Piped, stdout is
 * block-buffered and would be flushed at whatever byte its buffer fills, so
 * with "2>&1" a note could land inside a table line.  Every stderr line is
 * therefore written whole, in one write, after stdout's pending lines: the
 * combined output keeps the order in which things happened. */
static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
    char line[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fflush(stdout);
    fputs(line, stderr);
}

/* ---- registry ---------------------------------------------------------------- */

#define MAX_IMPLS 96
static const struct bench_impl *impls[MAX_IMPLS];
static int nimpls;

void bench_register(const struct bench_impl *impl)
{
    if (nimpls < MAX_IMPLS)
        impls[nimpls++] = impl;
}

#define MAX_SIZES 32
static struct {
    const char *impl, *param, *type;
    size_t size;
} extra_sizes[MAX_SIZES];
static int nextra_sizes;

void bench_register_size(const char *impl, const char *param, const char *type, size_t size)
{
    if (nextra_sizes < MAX_SIZES) {
        extra_sizes[nextra_sizes].impl = impl;
        extra_sizes[nextra_sizes].param = param;
        extra_sizes[nextra_sizes].type = type;
        extra_sizes[nextra_sizes++].size = size;
    }
}

static const char *const kind_names[K_NKINDS] = {"mutex", "cond", "sem", "rwlock", "futex"};

/* Display order: fuss first, the ratio base next, peers, references. */
static int impl_rank(const char *name)
{
    static const char *const order[] = {
        "fuss", "fuss-shared", "fuss-emu", "glibc", "glibc-adaptive", "glibc-pshared",
        "musl", "musl-pshared", "nsync", "abseil", "mutex2", "mcs", "syscall", "cas+xchg",
        "spin", "empty-call", "eventfd", "pipe"};
    for (unsigned i = 0; i < sizeof order / sizeof order[0]; i++)
        if (strcmp(order[i], name) == 0)
            return (int)i;
    return 50;
}

static int cmp_impl(const void *a, const void *b)
{
    const struct bench_impl *x = *(const struct bench_impl *const *)a;
    const struct bench_impl *y = *(const struct bench_impl *const *)b;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    int d = impl_rank(x->name) - impl_rank(y->name);
    return d ? d : strcmp(x->name, y->name);
}

/* ---- options ------------------------------------------------------------------ */

static struct {
    int quick, self_test, list, list_raw, no_plots;
    double seconds;
    int reps;
    const char *scenarios, *skip, *impls, *threads, *csv;
    uint64_t callgrind_n;
    uint64_t work_iters;
} opt = {.seconds = -1, .reps = -1, .csv = "bench-results/results.csv"};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: fuss-bench [options]\n"
            "  --quick            about a minute (short points, fewer thread counts)\n"
            "  --scenario LIST    comma list of scenarios (see --list)\n"
            "  --skip LIST        comma list of scenarios to leave out\n"
            "  --impl LIST        comma list of implementations\n"
            "  --threads LIST     thread counts for the scenarios that take them\n"
            "  --seconds S        length of one measurement point\n"
            "  --reps N           repetitions of each point (default 3, at least 3 advised)\n"
            "  --csv PATH         CSV output (default bench-results/results.csv);\n"
            "                     plots go next to it\n"
            "  --no-plots         skip gnuplot\n"
            "  --list             list scenarios and implementations\n"
            "  --callgrind N      fixed-iteration mode for valgrind (see bench/callgrind.sh)\n"
            "  --self-test        tiny configuration checking counts and the CSV (make test)\n");
}

static int in_list(const char *list, const char *name)
{
    if (!list)
        return 1;
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0)
            return 1;
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

static int parse_ints(const char *list, int *out, int max)
{
    int n = 0;
    for (const char *p = list; *p && n < max;) {
        char *e;
        long v = strtol(p, &e, 10);
        if (e == p || v <= 0 || v > 1024) {
            note("fuss-bench: bad thread list '%s'\n", list);
            exit(2);
        }
        out[n++] = (int)v;
        p = *e == ',' ? e + 1 : e;
    }
    out[n] = 0;
    return n;
}

/* ---- remote implementations (other binaries) ---------------------------------- */

static char self_dir[4096];

static void find_self_dir(void)
{
    ssize_t n = readlink("/proc/self/exe", self_dir, sizeof self_dir - 1);
    if (n <= 0) {
        strcpy(self_dir, ".");
        return;
    }
    self_dir[n] = 0;
    char *slash = strrchr(self_dir, '/');
    if (slash)
        *slash = 0;
}

/* Run argv, return its stdout (malloc'd) or NULL; *status gets the exit code. */
static char *capture(char *const argv[], int *status)
{
    int fds[2];
    if (pipe(fds) != 0)
        return NULL;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return NULL;
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (len + 1024 > cap)
            buf = realloc(buf, cap *= 2);
        ssize_t r = read(fds[0], buf + len, cap - len - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    buf[len] = 0;
    close(fds[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    return buf;
}

static int add_remote(const char *binary, const char *label)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", self_dir, binary);
    if (access(path, X_OK) != 0)
        return -1;
    char *argv[] = {path, "--list-raw", NULL};
    int st;
    char *out = capture(argv, &st);
    if (!out || st != 0) {
        note("fuss-bench: %s --list-raw failed; %s rows skipped\n", path, label);
        free(out);
        return -1;
    }
    int added = 0;
    char *save, *line = strtok_r(out, "\n", &save);
    for (; line; line = strtok_r(NULL, "\n", &save)) {
        int kind;
        unsigned flags;
        size_t size;
        char type[64], name[64];
        if (sscanf(line, "%d %u %zu %63s %63s", &kind, &flags, &size, type, name) != 5)
            continue;
        struct bench_impl *im = calloc(1, sizeof *im);
        im->name = strdup(name);
        im->kind = (enum bench_kind)kind;
        im->flags = flags | IMPL_REMOTE;
        im->size = size;
        im->type_name = strdup(type);
        im->host = strdup(path);
        bench_register(im);
        added++;
    }
    free(out);
    return added;
}

static void sample_print(FILE *f, const struct bench_sample *s)
{
    fprintf(f,
            "SAMPLE %.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g %ld %.17g %d %d %s\n",
            s->value, s->fair_minmax, s->fair_minmean, s->p50, s->p99, s->p999, s->pmax,
            s->other_cpu, s->first, s->invcsw, s->sleeps, s->ok, s->skipped,
            s->note[0] ? s->note : "-");
}

static int sample_parse(const char *text, struct bench_sample *s)
{
    const char *l = strstr(text, "SAMPLE ");
    if (!l)
        return -1;
    int off = 0;
    if (sscanf(l, "SAMPLE %lg %lg %lg %lg %lg %lg %lg %lg %lg %ld %lg %d %d %n", &s->value,
               &s->fair_minmax, &s->fair_minmean, &s->p50, &s->p99, &s->p999, &s->pmax,
               &s->other_cpu, &s->first, &s->invcsw, &s->sleeps, &s->ok, &s->skipped,
               &off) < 13)
        return -1;
    const char *note = l + off;
    size_t n = strcspn(note, "\n");
    if (n >= sizeof s->note)
        n = sizeof s->note - 1;
    memcpy(s->note, note, n);
    s->note[n] = 0;
    if (strcmp(s->note, "-") == 0)
        s->note[0] = 0;
    return 0;
}

static void run_remote(const struct bench_scenario *sc, const struct bench_impl *im,
                       const struct bench_params *p, struct bench_sample *s)
{
    char th[32], secs[32], work[32];
    snprintf(th, sizeof th, "%d", p->threads);
    snprintf(secs, sizeof secs, "%.6f", p->seconds);
    snprintf(work, sizeof work, "%llu", (unsigned long long)p->work_iters);
    char *argv[] = {(char *)im->host, "--run-point", (char *)sc->name, (char *)im->name,
                    th, secs, work, NULL};
    int st;
    char *out = capture(argv, &st);
    if (!out || sample_parse(out, s) != 0 || st != 0) {
        bench_sample_init(s);
        s->ok = 0;
        snprintf(s->note, sizeof s->note, "subprocess %s failed (status %d)", im->host, st);
    }
    free(out);
}

/* ---- points and rows ------------------------------------------------------------ */

#define MAX_REPS 32

struct row {
    const struct bench_scenario *sc;
    const struct bench_impl *im;
    int threads;
    char param[64];
    int nsamples;
    struct bench_sample s[MAX_REPS];
    /* aggregates */
    double med, lo, hi, ratio, fmm, fmmean, p50, p99, p999, pmax, other, first, sleeps;
    long invcsw;
    int ok, skipped, disturbed;
    char note[160];
};

static struct row *rows;
static int nrows, caprows;

static struct row *new_row(void)
{
    if (nrows == caprows) {
        caprows = caprows ? caprows * 2 : 256;
        rows = realloc(rows, (size_t)caprows * sizeof *rows);
    }
    struct row *r = &rows[nrows++];
    memset(r, 0, sizeof *r);
    return r;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_of(const struct row *r, size_t field_off)
{
    double v[MAX_REPS];
    int n = 0;
    for (int i = 0; i < r->nsamples; i++) {
        double x = *(const double *)((const char *)&r->s[i] + field_off);
        if (!r->s[i].skipped && !isnan(x))
            v[n++] = x;
    }
    if (!n)
        return NAN;
    qsort(v, (size_t)n, sizeof v[0], cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#define DISTURBED_FRACTION 0.10 /* other processes used >10% of all CPUs */

static void aggregate(struct row *r)
{
    r->med = median_of(r, offsetof(struct bench_sample, value));
    r->fmm = median_of(r, offsetof(struct bench_sample, fair_minmax));
    r->fmmean = median_of(r, offsetof(struct bench_sample, fair_minmean));
    r->p50 = median_of(r, offsetof(struct bench_sample, p50));
    r->p99 = median_of(r, offsetof(struct bench_sample, p99));
    r->p999 = median_of(r, offsetof(struct bench_sample, p999));
    r->first = median_of(r, offsetof(struct bench_sample, first));
    r->sleeps = median_of(r, offsetof(struct bench_sample, sleeps));
    r->pmax = NAN;
    r->lo = r->hi = r->other = NAN;
    r->ok = 1;
    r->skipped = 1;
    long cs[MAX_REPS];
    int ncs = 0;
    for (int i = 0; i < r->nsamples; i++) {
        const struct bench_sample *s = &r->s[i];
        if (!s->ok) {
            r->ok = 0;
            snprintf(r->note, sizeof r->note, "%s", s->note);
        }
        if (s->skipped) {
            if (!r->note[0])
                snprintf(r->note, sizeof r->note, "skipped: %s", s->note);
            continue;
        }
        r->skipped = 0;
        if (isnan(r->lo) || s->value < r->lo)
            r->lo = s->value;
        if (isnan(r->hi) || s->value > r->hi)
            r->hi = s->value;
        if (!isnan(s->pmax) && (isnan(r->pmax) || s->pmax > r->pmax))
            r->pmax = s->pmax;
        if (!isnan(s->other_cpu) && (isnan(r->other) || s->other_cpu > r->other))
            r->other = s->other_cpu;
        cs[ncs++] = s->invcsw;
    }
    if (!r->skipped)
        r->note[0] = r->ok ? 0 : r->note[0];
    for (int i = 0; i < ncs; i++) /* median of involuntary switches */
        for (int j = i + 1; j < ncs; j++)
            if (cs[j] < cs[i]) {
                long t = cs[i];
                cs[i] = cs[j];
                cs[j] = t;
            }
    r->invcsw = ncs ? cs[ncs / 2] : 0;
    r->disturbed = !isnan(r->other) && r->other > DISTURBED_FRACTION;
}

static void compute_ratios(void)
{
    for (int i = 0; i < nrows; i++) {
        struct row *r = &rows[i];
        r->ratio = NAN;
        for (int j = 0; j < nrows; j++) {
            struct row *b = &rows[j];
            if (b->sc == r->sc && b->threads == r->threads && strcmp(b->param, r->param) == 0 &&
                strcmp(b->im->name, r->sc->base) == 0 && b->med > 0)
                r->ratio = r->med / b->med;
        }
    }
}

/* ---- output ----------------------------------------------------------------------- */

static void fmt(char *buf, size_t n, double v)
{
    if (isnan(v))
        snprintf(buf, n, "-");
    else if (v == (double)(long)v && fabs(v) < 1e6)
        snprintf(buf, n, "%ld", (long)v);
    else if (fabs(v) >= 1000)
        snprintf(buf, n, "%.0f", v);
    else if (fabs(v) >= 100)
        snprintf(buf, n, "%.1f", v);
    else if (fabs(v) >= 10)
        snprintf(buf, n, "%.2f", v);
    else
        snprintf(buf, n, "%.3g", v);
}

static int scenario_has_threads(const struct bench_scenario *sc)
{
    return sc->threads != NULL;
}

/* The contended lock scenarios, which report sleeps per acquisition. */
static int scenario_has_sleeps(const struct bench_scenario *sc)
{
    return scenario_has_threads(sc) && (sc->kind == K_MUTEX || sc->kind == K_RWLOCK);
}

static void print_table(FILE *f)
{
    const struct bench_scenario *cur = NULL;
    for (int i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];
        const struct bench_scenario *sc = r->sc;
        int lat = strcmp(sc->name, "latency") == 0;
        int bcast = strcmp(sc->name, "broadcast") == 0;
        int fair = scenario_has_threads(sc) && !bcast;
        int sleeps = scenario_has_sleeps(sc);
        if (sc != cur) {
            cur = sc;
            fprintf(f, "\n== %s: %s\n   %s, %s is better; ratio = this / %s in the same run\n",
                    sc->name, sc->desc, sc->unit, sc->higher_better ? "higher" : "lower",
                    sc->base);
            fprintf(f, "%-7s %-16s %10s %19s %7s", scenario_has_threads(sc) ? "threads" : "",
                    "impl", "median", "spread (min-max)", "ratio");
            if (fair)
                fprintf(f, " %7s %8s", "min/max", "min/mean");
            if (sleeps)
                fprintf(f, " %10s", "sleeps/acq");
            if (lat)
                fprintf(f, " %8s %8s %8s %9s", "p50", "p99", "p99.9", "max");
            if (bcast)
                fprintf(f, " %8s %8s", "first", "per-hop");
            fprintf(f, "  flags\n");
        }
        char med[32], lo[32], hi[32], ratio[32], spread[80];
        fmt(med, sizeof med, r->med);
        fmt(lo, sizeof lo, r->lo);
        fmt(hi, sizeof hi, r->hi);
        if (isnan(r->ratio))
            snprintf(ratio, sizeof ratio, "-");
        else
            snprintf(ratio, sizeof ratio, "%.2fx", r->ratio);
        snprintf(spread, sizeof spread, "%s-%s", lo, hi);
        char label[64];
        if (r->param[0])
            snprintf(label, sizeof label, "%s", r->param);
        else if (scenario_has_threads(sc))
            snprintf(label, sizeof label, "%d", r->threads);
        else
            label[0] = 0;
        char name[80];
        snprintf(name, sizeof name, "%s", r->im->name);
        if (r->skipped) {
            fprintf(f, "%-7s %-16s %s\n", label, name, r->note);
            continue;
        }
        fprintf(f, "%-7s %-16s %10s %19s %7s", label, name, med, spread, ratio);
        if (fair)
            fprintf(f, " %7.2f %8.2f", r->fmm, r->fmmean);
        if (sleeps) {
            char z[32];
            fmt(z, sizeof z, r->sleeps);
            fprintf(f, " %10s", z);
        }
        if (lat) {
            char a[32], b[32], c[32], d[32];
            fmt(a, sizeof a, r->p50);
            fmt(b, sizeof b, r->p99);
            fmt(c, sizeof c, r->p999);
            fmt(d, sizeof d, r->pmax);
            fprintf(f, " %8s %8s %8s %9s", a, b, c, d);
        }
        if (bcast) {
            /* The first waiter pays the broadcaster's wake-up; the others
             * follow it one hop each (README, the broadcast row). */
            char a[32], b[32];
            fmt(a, sizeof a, r->first);
            fmt(b, sizeof b, r->threads > 1 ? (r->med - r->first) / (r->threads - 1) : NAN);
            fprintf(f, " %8s %8s", a, b);
        }
        fprintf(f, "  %s%s%s\n", r->disturbed ? "DISTURBED " : "", r->ok ? "" : "FAILED ",
                r->ok ? "" : r->note);
    }
}

static const char *const csv_columns[] = {
    "scenario", "impl", "binary", "threads", "param", "unit", "higher_is_better", "reps",
    "median", "min", "max", "ratio_vs_base", "base", "fair_min_max", "fair_min_mean",
    "p50_ns", "p99_ns", "p999_ns", "max_ns", "other_cpu_max", "first", "invcsw_median",
    "disturbed", "ok", "note", "sleeps_per_acq"};
#define NCSV ((int)(sizeof csv_columns / sizeof csv_columns[0]))

static void csv_num(FILE *f, double v)
{
    if (isnan(v))
        fputs(",", f);
    else
        fprintf(f, ",%.6g", v);
}

static int mkdir_p(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(buf, 0755);
            *p = '/';
        }
    return mkdir(buf, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

static const char *binary_of(const struct bench_impl *im)
{
    if (!(im->flags & IMPL_REMOTE))
        return "fuss-bench";
    const char *s = strrchr(im->host, '/');
    return s ? s + 1 : im->host;
}

static int write_csv(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = 0;
        mkdir_p(dir);
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        note("fuss-bench: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    for (int c = 0; c < NCSV; c++)
        fprintf(f, "%s%s", c ? "," : "", csv_columns[c]);
    fputc('\n', f);
    for (int i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];
        fprintf(f, "%s,%s,%s,%d,%s,%s,%d,%d", r->sc->name, r->im->name, binary_of(r->im),
                r->threads, r->param, r->sc->unit, r->sc->higher_better, r->nsamples);
        csv_num(f, r->med);
        csv_num(f, r->lo);
        csv_num(f, r->hi);
        csv_num(f, r->ratio);
        fprintf(f, ",%s", r->sc->base);
        csv_num(f, r->fmm);
        csv_num(f, r->fmmean);
        csv_num(f, r->p50);
        csv_num(f, r->p99);
        csv_num(f, r->p999);
        csv_num(f, r->pmax);
        csv_num(f, r->other);
        csv_num(f, r->first);
        fprintf(f, ",%ld,%d,%d,", r->invcsw, r->disturbed, r->ok);
        for (const char *p = r->note; *p; p++) /* keep the CSV one field */
            fputc(*p == ',' || *p == '"' || *p == '\n' ? ';' : *p, f);
        csv_num(f, r->sleeps); /* after note: columns added at the end */
        fputc('\n', f);
    }
    return fclose(f);
}

/* ---- plots ----------------------------------------------------------------------- */

static int have_gnuplot(void)
{
    return system("gnuplot --version >/dev/null 2>&1") == 0;
}

/* Returns 1 when a plot was written, 0 when the scenario has no rows, -1 when
 * it has rows but no plot (said in one line, and no empty image is left). */
static int plot_scenario(const struct bench_scenario *sc, const char *dir, const char *term,
                         const char *ext)
{
    char dat[4200], out[4200];
    snprintf(dat, sizeof dat, "%s/%s.dat", dir, sc->name);
    snprintf(out, sizeof out, "%s/%s.%s", dir, sc->name, ext);
    int sweep = 0, n = 0;
    double vmin = INFINITY, vmax = 0;
    const char *names[MAX_IMPLS];
    int nnames = 0;
    for (int i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];
        if (r->sc != sc || r->skipped || isnan(r->med))
            continue;
        n++;
        if (r->med < vmin)
            vmin = r->med;
        if (r->med > vmax)
            vmax = r->med;
        int seen = 0;
        for (int k = 0; k < nnames; k++)
            seen |= strcmp(names[k], r->im->name) == 0;
        if (!seen)
            names[nnames++] = r->im->name;
        else if (r->threads > 0) /* "sizes" repeats names with no thread count: bars */
            sweep = 1;
    }
    if (!n)
        return 0;
    FILE *d = fopen(dat, "w");
    if (!d) {
        note("fuss-bench: no plot %s: cannot write %s: %s\n", out, dat, strerror(errno));
        return -1;
    }
    if (sweep) { /* one block per implementation: threads median min max */
        for (int k = 0; k < nnames; k++) {
            fprintf(d, "# %s\n", names[k]);
            for (int i = 0; i < nrows; i++) {
                const struct row *r = &rows[i];
                if (r->sc == sc && !r->skipped && !isnan(r->med) &&
                    strcmp(r->im->name, names[k]) == 0)
                    fprintf(d, "%d %g %g %g\n", r->threads, r->med, r->lo, r->hi);
            }
            fprintf(d, "\n\n");
        }
    } else {
        for (int i = 0; i < nrows; i++) {
            const struct row *r = &rows[i];
            if (r->sc == sc && !r->skipped && !isnan(r->med))
                fprintf(d, "\"%s%s%s\" %g %g %g\n", r->im->name, r->param[0] ? ":" : "",
                        r->param, r->med, r->lo, r->hi);
        }
    }
    fclose(d);
    /* gnuplot's complaints go to a scratch file, read back only if it fails;
     * the shell popen() starts inherits the descriptor. */
    FILE *err = tmpfile();
    char cmd[64] = "exec gnuplot 2>/dev/null";
    if (err)
        snprintf(cmd, sizeof cmd, "exec gnuplot 2>&%d", fileno(err));
    FILE *g = popen(cmd, "w");
    if (!g) {
        note("fuss-bench: no plot %s: cannot start gnuplot: %s\n", out, strerror(errno));
        if (err)
            fclose(err);
        return -1;
    }
    fprintf(g, "set terminal %s size 900,560\nset output '%s'\n", term, out);
    fprintf(g, "set title \"%s: %s\" noenhanced\nset ylabel \"%s (%s is better)\"\n", sc->name,
            sc->desc, sc->unit, sc->higher_better ? "higher" : "lower");
    fprintf(g, "set grid ytics\nset key outside right noenhanced\n");
    if (vmin > 0 && vmax / vmin > 30)
        fprintf(g, "set logscale y\n");
    if (sweep) {
        fprintf(g, "set xlabel 'threads'\nset logscale x 2\n"
                   "set xtics (1,2,4,8,16,32,64,128,256,512,1024)\n");
        fprintf(g, "plot for [i=0:%d] '%s' index i using 1:2:3:4 with yerrorlines "
                   "title columnheader(1)\n",
                nnames - 1, dat);
        /* columnheader cannot read '# name' lines; name the series explicitly */
        fprintf(g, "set output '%s'\nplot ", out);
        for (int k = 0; k < nnames; k++)
            fprintf(g, "%s'%s' index %d using 1:2:3:4 with yerrorlines title '%s'",
                    k ? ", " : "", dat, k, names[k]);
        fputc('\n', g);
    } else {
        fprintf(g, "set style fill solid 0.6\nset boxwidth 0.7\nset xtics rotate by -40 "
                   "noenhanced\nset yrange [%s:*]\n",
                vmin > 0 && vmax / vmin > 30 ? "*" : "0");
        fprintf(g, "plot '%s' using 0:2:xtic(1) with boxes notitle, '' using 0:2:3:4 with "
                   "yerrorbars lc rgb 'black' pt 0 notitle\n",
                dat);
    }
    int st = pclose(g);
    struct stat sb;
    int made = stat(out, &sb) == 0 && sb.st_size > 0;
    if (st == 0 && made) {
        if (err)
            fclose(err);
        return 1;
    }
    /* gnuplot reports an error over several lines (the command, a caret, then
     * "line N: what"); the last non-blank one says what went wrong. */
    char why[512] = "", line[512];
    if (err) {
        rewind(err);
        while (fgets(line, sizeof line, err)) {
            line[strcspn(line, "\n")] = 0;
            const char *p = line + strspn(line, " \t");
            if (*p)
                snprintf(why, sizeof why, "%s", p);
        }
        fclose(err);
    }
    if (!why[0] && st != -1 && WIFEXITED(st) && WEXITSTATUS(st))
        snprintf(why, sizeof why, "exit status %d, no message", WEXITSTATUS(st));
    else if (!why[0])
        snprintf(why, sizeof why, "%s", made ? "killed" : "it wrote no image");
    unlink(out);
    note("fuss-bench: no plot %s: gnuplot failed: %s\n", out, why);
    return -1;
}

static void make_plots(const char *csv_path)
{
    if (!have_gnuplot()) {
        note("fuss-bench: gnuplot not found: no plots (apt-get install gnuplot-nox "
                        "to get them); the table and the CSV are complete without it\n");
        return;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", csv_path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    else
        strcpy(dir, ".");
    int png = system("gnuplot -e 'set terminal pngcairo' >/dev/null 2>&1") == 0;
    int made = 0;
    for (int i = 0; i < bench_nscenarios; i++)
        made += plot_scenario(&bench_scenarios[i], dir, png ? "pngcairo" : "svg",
                              png ? "png" : "svg") > 0;
    if (made)
        note("fuss-bench: %d plot%s in %s/*.%s\n", made, made == 1 ? "" : "s", dir,
             png ? "png" : "svg");
}

/* ---- machine ----------------------------------------------------------------------- */

static void describe_machine(FILE *f)
{
    char model[256] = "unknown CPU";
    FILE *c = fopen("/proc/cpuinfo", "r");
    if (c) {
        char line[512];
        while (fgets(line, sizeof line, c))
            if (strncmp(line, "model name", 10) == 0) {
                char *v = strchr(line, ':');
                if (v) {
                    snprintf(model, sizeof model, "%s", v + 2);
                    model[strcspn(model, "\n")] = 0;
                }
                break;
            }
        fclose(c);
    }
    struct utsname u;
    uname(&u);
    time_t now = time(NULL);
    char date[64];
    strftime(date, sizeof date, "%Y-%m-%d %H:%M", localtime(&now));
    fprintf(f, "machine: %s, %ld CPUs online; Linux %s; ", model,
            sysconf(_SC_NPROCESSORS_ONLN), u.release);
#ifdef __GLIBC__
    fprintf(f, "glibc %s; ", gnu_get_libc_version());
#endif
    fprintf(f, "%s\n", date);
}

/* ---- running --------------------------------------------------------------------- */

static int scenario_wanted(const struct bench_scenario *sc)
{
    return in_list(opt.scenarios, sc->name) && !(opt.skip && in_list(opt.skip, sc->name));
}

static int impl_wanted(const struct bench_scenario *sc, const struct bench_impl *im)
{
    if (!in_list(opt.impls, im->name))
        return 0;
    if (im->flags & IMPL_REMOTE) { /* the scenario's own predicate, on the listed flags */
        struct bench_impl probe = *im;
        return sc->accepts(&probe);
    }
    return sc->accepts(im);
}

/* A lost wake-up hangs a point forever; the watchdog turns that into a
 * diagnostic and a failed exit instead of a benchmark that never ends. */
#define WATCHDOG_GRACE_S 30.0
static struct {
    pthread_mutex_t mu;
    double deadline; /* 0: no point running */
    int child;       /* running one point for a parent fuss-bench */
    char what[160];
} watchdog = {PTHREAD_MUTEX_INITIALIZER, 0, 0, ""};

static void *watchdog_main(void *arg)
{
    (void)arg;
    for (;;) {
        usleep(200000);
        pthread_mutex_lock(&watchdog.mu);
        if (watchdog.deadline > 0 && bench_now() > watchdog.deadline) {
            note("fuss-bench: HUNG: %s did not finish within %.0f s of its "
                            "planned length (lost wake-up?); giving up\n",
                    watchdog.what, WATCHDOG_GRACE_S);
            if (watchdog.child) /* the parent reads this line */
                printf("SAMPLE nan nan nan nan nan nan nan nan nan 0 nan 0 0 HUNG\n");
            fflush(NULL);
            _exit(3);
        }
        pthread_mutex_unlock(&watchdog.mu);
    }
    return NULL;
}

static void watchdog_start(void)
{
    pthread_t t;
    if (pthread_create(&t, NULL, watchdog_main, NULL) == 0)
        pthread_detach(t);
}

static void watchdog_arm(const struct bench_scenario *sc, const struct bench_impl *im,
                         const struct bench_params *p)
{
    pthread_mutex_lock(&watchdog.mu);
    watchdog.deadline = p ? bench_now() + p->seconds + WATCHDOG_GRACE_S +
                                (im->flags & IMPL_REMOTE ? 10 : 0) : 0;
    if (p)
        snprintf(watchdog.what, sizeof watchdog.what, "point %s / %s / %d threads", sc->name,
                 im->name, p->threads);
    pthread_mutex_unlock(&watchdog.mu);
}

static void run_point(const struct bench_scenario *sc, const struct bench_impl *im,
                      const struct bench_params *p, struct bench_sample *s)
{
    bench_sample_init(s);
    watchdog_arm(sc, im, p);
    if (im->flags & IMPL_REMOTE)
        run_remote(sc, im, p, s);
    else
        sc->run(im, p, s);
    watchdog_arm(sc, im, NULL);
}

static void sizes_rows(void)
{
    const struct bench_scenario *sc = NULL;
    for (int i = 0; i < bench_nscenarios; i++)
        if (strcmp(bench_scenarios[i].name, "sizes") == 0)
            sc = &bench_scenarios[i];
    if (!sc || !scenario_wanted(sc))
        return;
    for (int i = 0; i < nimpls; i++) {
        const struct bench_impl *im = impls[i];
        if (im->kind == K_FUTEX ||
            (im->flags & (IMPL_HANDOFF | IMPL_REFERENCE | IMPL_UNCONTENDED)) ||
            !in_list(opt.impls, im->name) || strstr(im->name, "-pshared") ||
            strstr(im->name, "-adaptive"))
            continue;
        struct row *r = new_row();
        r->sc = sc;
        r->im = im;
        snprintf(r->param, sizeof r->param, "%s", kind_names[im->kind]);
        r->nsamples = 1;
        bench_sample_init(&r->s[0]);
        r->s[0].value = (double)im->size;
        aggregate(r);
    }
    for (int i = 0; i < nextra_sizes; i++) {
        if (!in_list(opt.impls, extra_sizes[i].impl))
            continue;
        struct bench_impl *im = calloc(1, sizeof *im); /* a name for the row */
        im->name = extra_sizes[i].impl;
        im->type_name = extra_sizes[i].type;
        im->size = extra_sizes[i].size;
        struct row *r = new_row();
        r->sc = sc;
        r->im = im;
        snprintf(r->param, sizeof r->param, "%s", extra_sizes[i].param);
        r->nsamples = 1;
        bench_sample_init(&r->s[0]);
        r->s[0].value = (double)im->size;
        aggregate(r);
    }
}

static int run_all(const int *threads_override, double seconds, int reps, int self_test)
{
    /* count the points first, for progress */
    int total = 0, done = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int si = 0; si < bench_nscenarios; si++) {
            const struct bench_scenario *sc = &bench_scenarios[si];
            if (!sc->run || !scenario_wanted(sc))
                continue;
            const int one[] = {0, 0};
            const int *ths = sc->threads ? (threads_override ? threads_override : sc->threads)
                                         : one;
            if (sc->threads && threads_override && sc->threads[1] == 0 && !opt.threads)
                ths = sc->threads; /* single-count scenarios keep theirs in --quick */
            for (const int *t = ths; t == one || *t; t++) {
                const struct bench_impl *list[MAX_IMPLS];
                int n = 0;
                for (int i = 0; i < nimpls; i++)
                    if (impl_wanted(sc, impls[i]))
                        list[n++] = impls[i];
                if (pass == 0) {
                    total += n * reps;
                } else {
                    struct row *first = NULL;
                    int base = nrows;
                    for (int i = 0; i < n; i++) {
                        struct row *r = new_row();
                        r->sc = sc;
                        r->im = list[i];
                        r->threads = *t;
                    }
                    first = &rows[base];
                    int uncont = sc->threads == NULL;
                    struct bench_params p = {.threads = *t,
                                             .seconds = uncont ? seconds * 0.4 : seconds,
                                             .work_iters = opt.work_iters,
                                             .self_test = self_test};
                    for (int rep = 0; rep < reps; rep++) {
                        /* rotate the order every repetition: interleaved, and no
                         * implementation always runs first or last */
                        for (int k = 0; k < n; k++) {
                            int i = (k + rep) % n;
                            struct row *r = &rows[base + i];
                            struct bench_sample *s = &r->s[r->nsamples++];
                            run_point(sc, list[i], &p, s);
                            done++;
                            char v[32];
                            fmt(v, sizeof v, s->value);
                            note("[%4d/%4d] %-15s %3s %-15s rep %d/%d  %10s %s%s%s\n",
                                    done, total, sc->name, *t ? "" : "", list[i]->name, rep + 1,
                                    reps, s->skipped ? "skipped" : v, sc->unit,
                                    s->ok ? "" : "  FAILED: ", s->ok ? "" : s->note);
                        }
                    }
                    (void)first;
                    for (int i = 0; i < n; i++)
                        aggregate(&rows[base + i]);
                }
            }
        }
    }
    sizes_rows();
    compute_ratios();
    int failed = 0;
    for (int i = 0; i < nrows; i++)
        failed += !rows[i].ok;
    return failed;
}

/* ---- self-test --------------------------------------------------------------------- */

static int check_csv(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        note("self-test: CSV %s missing\n", path);
        return 1;
    }
    char line[8192];
    int bad = 0, lines = 0;
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        note("self-test: CSV empty\n");
        return 1;
    }
    line[strcspn(line, "\n")] = 0;
    char *save, *tok = strtok_r(line, ",", &save);
    for (int c = 0; c < NCSV; c++, tok = strtok_r(NULL, ",", &save))
        if (!tok || strcmp(tok, csv_columns[c]) != 0) {
            note("self-test: CSV column %d is '%s', expected '%s'\n", c,
                    tok ? tok : "(none)", csv_columns[c]);
            bad = 1;
        }
    while (fgets(line, sizeof line, f)) {
        int commas = 0;
        for (char *p = line; *p; p++)
            commas += *p == ',';
        if (commas != NCSV - 1) {
            note("self-test: CSV row has %d fields: %s", commas + 1, line);
            bad = 1;
        }
        lines++;
    }
    fclose(f);
    if (lines != nrows) {
        note("self-test: CSV has %d rows, expected %d\n", lines, nrows);
        bad = 1;
    }
    return bad;
}

static int self_test(void)
{
    static const int th[] = {3, 0};
    int failed = run_all(th, 0.02, 1, 1);
    int ran = 0, remote = 0;
    for (int i = 0; i < nrows; i++) {
        ran += !rows[i].skipped;
        remote += !rows[i].skipped && (rows[i].im->flags & IMPL_REMOTE);
        if (!rows[i].ok)
            note("self-test: FAILED %s %s t=%d: %s\n", rows[i].sc->name,
                    rows[i].im->name, rows[i].threads, rows[i].note);
    }
    char path[4200];
    snprintf(path, sizeof path, "%s", opt.csv);
    if (write_csv(path) != 0)
        failed++;
    failed += check_csv(path);
    /* every scenario produced at least one measured row */
    for (int si = 0; si < bench_nscenarios; si++) {
        int n = 0;
        for (int i = 0; i < nrows; i++)
            n += rows[i].sc == &bench_scenarios[si] && !rows[i].skipped;
        if (!n && scenario_wanted(&bench_scenarios[si])) {
            note("self-test: scenario %s measured nothing\n",
                    bench_scenarios[si].name);
            failed++;
        }
    }
    printf("self-test: %d rows measured (%d from other binaries), %d failures\n", ran, remote,
           failed);
    return failed ? 1 : 0;
}

/* ---- main ------------------------------------------------------------------------- */

static const struct bench_scenario *find_scenario(const char *name)
{
    for (int i = 0; i < bench_nscenarios; i++)
        if (strcmp(bench_scenarios[i].name, name) == 0)
            return &bench_scenarios[i];
    return NULL;
}

static int child_point(char **argv)
{
    const struct bench_scenario *sc = find_scenario(argv[0]);
    if (!sc || !sc->run)
        return 2;
    struct bench_params p = {.threads = atoi(argv[2]), .seconds = atof(argv[3]),
                             .work_iters = strtoull(argv[4], NULL, 10)};
    for (int i = 0; i < nimpls; i++)
        if (strcmp(impls[i]->name, argv[1]) == 0 && sc->accepts(impls[i])) {
            struct bench_sample s;
            watchdog.child = 1;
            watchdog_start();
            run_point(sc, impls[i], &p, &s);
            sample_print(stdout, &s);
            return 0;
        }
    return 2;
}

static void print_notes(int nremote_emu, int nremote_musl)
{
#ifdef BENCH_HAVE_NSYNC
    note("peer nsync: libnsync found, rows \"nsync\"\n");
#else
    note("peer nsync: skipped (libnsync-dev not installed when fuss-bench was built)\n");
#endif
    if (nremote_musl > 0)
        note("peer musl: fuss-bench-musl found, rows \"musl\"\n");
    else
        note("peer musl: skipped (musl-gcc not found when fuss-bench was built; "
                        "apt-get install musl-tools)\n");
    if (nremote_emu <= 0)
        note("fuss emulated backend: fuss-bench-emulated not found, rows skipped\n");
#ifdef BENCH_HAVE_ABSEIL
    note("peer Abseil: libabsl found, row \"abseil\" (absl::Mutex)\n");
#else
    note("peer Abseil: skipped (libabsl-dev not installed, or no C++ compiler, when "
         "fuss-bench was built)\n");
#endif
    note("peer oneTBB: skipped (libtbb-dev not installed)\n");
    note("peer Boost.Interprocess: skipped (libboost-dev not installed)\n");
}

int main(int argc, char **argv)
{
    bench_start_idle_thread();
    find_self_dir();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED()                                                                      \
    do {                                                                            \
        if (!next) {                                                                \
            note("fuss-bench: %s needs a value\n", a);                   \
            return 2;                                                               \
        }                                                                           \
        i++;                                                                        \
    } while (0)
        if (strcmp(a, "--quick") == 0)
            opt.quick = 1;
        else if (strcmp(a, "--self-test") == 0)
            opt.self_test = 1;
        else if (strcmp(a, "--list") == 0)
            opt.list = 1;
        else if (strcmp(a, "--list-raw") == 0)
            opt.list_raw = 1;
        else if (strcmp(a, "--no-plots") == 0)
            opt.no_plots = 1;
        else if (strcmp(a, "--scenario") == 0) {
            NEED();
            opt.scenarios = next;
        } else if (strcmp(a, "--skip") == 0) {
            NEED();
            opt.skip = next;
        } else if (strcmp(a, "--impl") == 0) {
            NEED();
            opt.impls = next;
        } else if (strcmp(a, "--threads") == 0) {
            NEED();
            opt.threads = next;
        } else if (strcmp(a, "--seconds") == 0) {
            NEED();
            opt.seconds = atof(next);
        } else if (strcmp(a, "--reps") == 0) {
            NEED();
            opt.reps = atoi(next);
        } else if (strcmp(a, "--csv") == 0) {
            NEED();
            opt.csv = next;
        } else if (strcmp(a, "--callgrind") == 0) {
            NEED();
            opt.callgrind_n = strtoull(next, NULL, 10);
        } else if (strcmp(a, "--run-point") == 0) {
            if (argc - i - 1 < 5)
                return 2;
            return child_point(argv + i + 1);
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            note("fuss-bench: unknown option %s\n", a);
            usage(stderr);
            return 2;
        }
    }

    if (opt.list_raw) { /* for the parent fuss-bench: what this binary offers */
        for (int i = 0; i < nimpls; i++)
            printf("%d %u %zu %s %s\n", impls[i]->kind, impls[i]->flags, impls[i]->size,
                   impls[i]->type_name, impls[i]->name);
        return 0;
    }

    if (opt.callgrind_n) { /* one uncontended loop per selected implementation */
        const char *names[] = {"uncontended", "rw-read", "rw-write", "sem-pair"};
        for (unsigned k = 0; k < 4; k++) {
            const struct bench_scenario *sc = find_scenario(names[k]);
            if (!scenario_wanted(sc))
                continue;
            for (int i = 0; i < nimpls; i++)
                if (in_list(opt.impls, impls[i]->name) && sc->accepts(impls[i])) {
                    struct bench_params p = {.callgrind_n = opt.callgrind_n};
                    struct bench_sample s;
                    bench_sample_init(&s);
                    sc->run(impls[i], &p, &s);
                    printf("%s %s %llu\n", sc->name, impls[i]->name,
                           (unsigned long long)opt.callgrind_n);
                }
        }
        return 0;
    }

    int nemu = add_remote("fuss-bench-emulated", "fuss-emu");
    int nmusl = add_remote("fuss-bench-musl", "musl");
    qsort(impls, (size_t)nimpls, sizeof impls[0], cmp_impl);

    if (opt.list) {
        printf("scenarios:\n");
        for (int i = 0; i < bench_nscenarios; i++)
            printf("  %-16s %-9s %s\n", bench_scenarios[i].name, bench_scenarios[i].unit,
                   bench_scenarios[i].desc);
        printf("implementations:\n");
        for (int i = 0; i < nimpls; i++)
            printf("  %-7s %-16s %-18s %3zu bytes  %s\n", kind_names[impls[i]->kind],
                   impls[i]->name, impls[i]->type_name, impls[i]->size, binary_of(impls[i]));
        return 0;
    }

    opt.work_iters = bench_calibrate_work(1000.0);
    watchdog_start();
    if (opt.self_test)
        return self_test();

    print_notes(nemu, nmusl);
    int ths[64];
    const int *override = NULL;
    static const int quick_threads[] = {1, 2, 4, 16, 0};
    if (opt.threads) {
        parse_ints(opt.threads, ths, 63);
        override = ths;
    } else if (opt.quick) {
        override = quick_threads;
    }
    double seconds = opt.seconds > 0 ? opt.seconds : opt.quick ? 0.1 : 0.5;
    int reps = opt.reps > 0 ? opt.reps : 3;
    if (reps > MAX_REPS)
        reps = MAX_REPS;
    describe_machine(stderr);
    double t0 = bench_now();
    int failed = run_all(override, seconds, reps, 0);

    printf("fuss-bench: %d repetitions of %.2f s per point (uncontended %.2f s); "
           "median and min-max; run took %.0f s\n",
           reps, seconds, seconds * 0.4, bench_now() - t0);
    describe_machine(stdout);
    print_table(stdout);
    int disturbed = 0;
    for (int i = 0; i < nrows; i++)
        disturbed += rows[i].disturbed;
    if (disturbed)
        printf("\n%d rows DISTURBED: other processes used more than %.0f%% of the CPUs while "
               "they ran; rerun on a quiet machine before trusting them\n",
               disturbed, DISTURBED_FRACTION * 100);
    if (failed)
        printf("\n%d rows FAILED their correctness check (see the flags column)\n", failed);
    if (write_csv(opt.csv) == 0)
        note("fuss-bench: CSV written to %s\n", opt.csv);
    if (!opt.no_plots)
        make_plots(opt.csv);
    return failed ? 1 : 0;
}
