/*
 * Reading a fuzzer's input as a stream of typed values.  When the input runs
 * out every read returns 0, so each target runs to the end of its loop on
 * any input, and a short input is a short program.
 */
#ifndef FUSS_FUZZ_INPUT_H
#define FUSS_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fuzz_in {
    const uint8_t *p;
    size_t left;
};

static inline void fuzz_bytes(struct fuzz_in *in, void *out, size_t n)
{
    size_t k = n < in->left ? n : in->left;
    memcpy(out, in->p, k);
    memset((char *)out + k, 0, n - k);
    in->p += k;
    in->left -= k;
}

static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
    uint8_t v;
    fuzz_bytes(in, &v, sizeof v);
    return v;
}

static inline uint32_t fuzz_u32(struct fuzz_in *in)
{
    uint32_t v;
    fuzz_bytes(in, &v, sizeof v);
    return v;
}

static inline uint64_t fuzz_u64(struct fuzz_in *in)
{
    uint64_t v;
    fuzz_bytes(in, &v, sizeof v);
    return v;
}

/* A small count or a boundary value: 0, 1, 2, INT_MAX, UINT_MAX, raw. */
static inline unsigned fuzz_count(struct fuzz_in *in)
{
    switch (fuzz_u8(in) & 7u) {
    case 0: return 0;
    case 1: return 1;
    case 2: return 2;
    case 3: return 0x7fffffffu;
    case 4: return 0x80000000u;
    case 5: return 0xffffffffu;
    default: return fuzz_u32(in);
    }
}

/* Report a broken promise and crash, so that libFuzzer keeps the input. */
#define FUZZ_CHECK(cond, ...)                                                   \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                       \
            fputc('\n', stderr);                                                \
            abort();                                                            \
        }                                                                       \
    } while (0)

#endif
