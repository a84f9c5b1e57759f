#define _GNU_SOURCE
#include "CBenchSupport.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <zlib.h>

// Counting allocator: definitions in the executable take precedence over the C library's, so every
// allocation of the process (the Swift runtime's included) passes through here.
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static _Atomic uint64_t allocations = 0;

void *malloc(size_t size) {
    atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
    return __libc_malloc(size);
}
void *calloc(size_t count, size_t size) {
    atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
    return __libc_calloc(count, size);
}
void *realloc(void *pointer, size_t size) {
    atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
    return __libc_realloc(pointer, size);
}
int posix_memalign(void **out, size_t alignment, size_t size) {
    atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    *out = pointer;
    return 0;
}
void *aligned_alloc(size_t alignment, size_t size) {
    atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
    return __libc_memalign(alignment, size);
}
void free(void *pointer) { __libc_free(pointer); }

uint64_t bench_allocation_count(void) { return atomic_load_explicit(&allocations, memory_order_relaxed); }

unsigned char *bench_read_file(const char *path, size_t *length) {
    gzFile file = gzopen(path, "rb");  // reads plain files too
    if (file == NULL) return NULL;
    gzbuffer(file, 1 << 20);
    size_t capacity = 1 << 26, used = 0;
    unsigned char *buffer = __libc_malloc(capacity);
    if (buffer == NULL) { gzclose(file); return NULL; }
    for (;;) {
        if (capacity - used < (1 << 20)) {
            capacity *= 2;
            unsigned char *grown = __libc_realloc(buffer, capacity);
            if (grown == NULL) { __libc_free(buffer); gzclose(file); return NULL; }
            buffer = grown;
        }
        int got = gzread(file, buffer + used, (unsigned)(capacity - used));
        if (got < 0) { __libc_free(buffer); gzclose(file); return NULL; }
        if (got == 0) break;
        used += (size_t)got;
    }
    gzclose(file);
    *length = used;
    return buffer;
}

void bench_free(void *pointer) { __libc_free(pointer); }
