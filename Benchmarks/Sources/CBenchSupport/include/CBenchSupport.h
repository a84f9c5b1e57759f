#ifndef CBENCHSUPPORT_H
#define CBENCHSUPPORT_H
#include <stddef.h>
#include <stdint.h>

/// Number of malloc/calloc/realloc/posix_memalign/aligned_alloc calls made by this process so far.
uint64_t bench_allocation_count(void);

/// Decompresses a whole .gz file (or reads a plain file) into a malloc'd buffer.
/// Returns NULL on failure; *length receives the size. Free with bench_free.
unsigned char *bench_read_file(const char *path, size_t *length);
void bench_free(void *pointer);

#endif
