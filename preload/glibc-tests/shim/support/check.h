/* Minimal stand-in for glibc's support/check.h (our own code): enough for
 * the NPTL tests to build outside glibc's tree. */
#ifndef SHIM_CHECK_H
#define SHIM_CHECK_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#define EXIT_UNSUPPORTED 77
#define shim_fail(code, ...) do { printf("error: %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); putchar('\n'); exit(code); } while (0)
#define FAIL_EXIT(st, ...) shim_fail(st, __VA_ARGS__)
#define FAIL_EXIT1(...) shim_fail(1, __VA_ARGS__)
#define FAIL_RET(...) do { printf(__VA_ARGS__); putchar('\n'); return 1; } while (0)
#define FAIL_UNSUPPORTED(...) shim_fail(EXIT_UNSUPPORTED, __VA_ARGS__)
#define FAIL(...) do { printf(__VA_ARGS__); putchar('\n'); shim_errors++; } while (0)
static int shim_errors __attribute__((unused));
#define TEST_VERIFY(e) do { if (!(e)) { printf("error: %s:%d: not true: %s\n", __FILE__, __LINE__, #e); shim_errors++; } } while (0)
#define TEST_VERIFY_EXIT(e) do { if (!(e)) shim_fail(1, "not true: %s", #e); } while (0)
#define TEST_COMPARE(a, b) do { long long _a = (long long)(a), _b = (long long)(b); if (_a != _b) { printf("error: %s:%d: %s == %lld != %s == %lld\n", __FILE__, __LINE__, #a, _a, #b, _b); shim_errors++; } } while (0)
#define TEST_COMPARE_STRING(a, b) TEST_VERIFY(strcmp((a), (b)) == 0)
#endif
