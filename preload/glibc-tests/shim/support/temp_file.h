/* Stand-in for glibc's support/temp_file.h (our own code): files named
 * here are removed at exit. */
#ifndef SHIM_TEMP_FILE_H
#define SHIM_TEMP_FILE_H
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdio.h>
#include <errno.h>
#include <support/check.h>
static char *shim_temp_files[16];
static int shim_ntemp_files;
static void shim_remove_temp_files(void)
{
    for (int i = 0; i < shim_ntemp_files; i++) unlink(shim_temp_files[i]);
}
static inline __attribute__((unused)) void add_temp_file(const char *name)
{
    if (shim_ntemp_files == (int)(sizeof shim_temp_files / sizeof *shim_temp_files))
        shim_fail(1, "add_temp_file: too many");
    if (shim_ntemp_files == 0) atexit(shim_remove_temp_files);
    shim_temp_files[shim_ntemp_files++] = strdup(name);
}
/* glibc's create_temp_file: a new file in $TMPDIR (else /tmp) whose name
 * starts with BASE, removed at exit; its descriptor, or -1. */
static inline __attribute__((unused)) int create_temp_file(const char *base, char **filename)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    size_t n = strlen(dir) + strlen(base) + 9;
    char *name = (char *)malloc(n);
    if (!name) return -1;
    snprintf(name, n, "%s/%sXXXXXX", dir, base);
    int fd = mkstemp(name);
    if (fd < 0) { printf("create_temp_file: %s: %s\n", name, strerror(errno)); free(name); return -1; }
    add_temp_file(name);
    if (filename) *filename = name; else free(name);
    return fd;
}
#endif
