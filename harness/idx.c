/* idx.c: reads IDX files (the MNIST format), plain or gzip-compressed.
 *
 * An IDX file is a 4-byte magic number, one big-endian 32-bit size per
 * dimension, then the data. The magic number's third byte is the data type
 * (0x08: unsigned byte) and its fourth the number of dimensions, so MNIST's
 * labels start with 0x00000801 (2049) and its images with 0x00000803 (2051).
 */
#include "kit.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define IDX_MAX_BYTES ((size_t)1 << 30)

/* Reads exactly size bytes; returns the number read (short on end of file) or -1 on a read error. */
static long read_fully(gzFile file, unsigned char *buffer, size_t size)
{
    size_t done = 0;
    while (done < size) {
        unsigned chunk = size - done > (1u << 30) ? (1u << 30) : (unsigned)(size - done);
        int got = gzread(file, buffer + done, chunk);
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        done += (size_t)got;
    }
    return (long)done;
}

static int fail(char *error, size_t error_size, gzFile file, KitIdx *out, const char *format, ...)
    __attribute__((format(printf, 5, 6)));

static int fail(char *error, size_t error_size, gzFile file, KitIdx *out, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(error, error_size, format, args);
    va_end(args);
    if (file != NULL)
        gzclose(file);
    kit_idx_free(out);
    return -1;
}

int kit_idx_read(const char *path, KitIdx *out, char *error, size_t error_size)
{
    memset(out, 0, sizeof *out);
    errno = 0;
    gzFile file = gzopen(path, "rb");
    if (file == NULL)
        return fail(error, error_size, NULL, out, "%s: cannot open: %s", path,
                    errno ? strerror(errno) : "out of memory");

    unsigned char header[16];
    long got = read_fully(file, header, 4);
    if (got < 0)
        return fail(error, error_size, file, out, "%s: cannot read: %s", path, gzerror(file, NULL));
    if (got < 4)
        return fail(error, error_size, file, out,
                    "%s: truncated: %ld bytes, expected at least a 4-byte IDX magic number", path, got);
    unsigned magic = (unsigned)header[0] << 24 | (unsigned)header[1] << 16 | (unsigned)header[2] << 8 | header[3];
    int dimension_count = header[3];
    if (header[0] != 0 || header[1] != 0 || header[2] != 0x08 || dimension_count < 1 || dimension_count > 3)
        return fail(error, error_size, file, out,
                    "%s: magic number %u (0x%08x) is not an IDX file of unsigned bytes; "
                    "expected 2049 (labels) or 2051 (images)", path, magic, magic);

    got = read_fully(file, header + 4, 4 * (size_t)dimension_count);
    if (got < 0)
        return fail(error, error_size, file, out, "%s: cannot read: %s", path, gzerror(file, NULL));
    if (got < 4 * dimension_count)
        return fail(error, error_size, file, out,
                    "%s: truncated in its header: %ld of %d dimension bytes", path, got, 4 * dimension_count);
    size_t size = 1;
    for (int d = 0; d < dimension_count; d++) {
        const unsigned char *b = header + 4 + 4 * d;
        unsigned long dim = (unsigned long)b[0] << 24 | (unsigned long)b[1] << 16 | (unsigned long)b[2] << 8 | b[3];
        if (dim == 0 || dim > IDX_MAX_BYTES || size * dim > IDX_MAX_BYTES)
            return fail(error, error_size, file, out,
                        "%s: dimension %d is %lu, expected a size from 1 to %zu bytes in all", path, d, dim,
                        IDX_MAX_BYTES);
        out->dims[d] = (int)dim;
        size *= dim;
    }
    out->dimension_count = dimension_count;
    out->size = size;
    out->data = malloc(size);
    if (out->data == NULL)
        return fail(error, error_size, file, out, "%s: out of memory for %zu bytes", path, size);

    got = read_fully(file, out->data, size);
    if (got < 0)
        return fail(error, error_size, file, out, "%s: cannot read (corrupt or truncated gzip data?): %s", path,
                    gzerror(file, NULL));
    if ((size_t)got < size)
        return fail(error, error_size, file, out, "%s: truncated: %ld of %zu data bytes (the header promises %zu)",
                    path, got, size, size);
    unsigned char extra;
    got = read_fully(file, &extra, 1);
    if (got != 0)
        return fail(error, error_size, file, out,
                    got < 0 ? "%s: cannot read the end of the file (corrupt gzip data?)"
                            : "%s: longer than its header says (%zu data bytes): is it the right file?",
                    path, size);
    gzclose(file);
    return 0;
}

void kit_idx_free(KitIdx *idx)
{
    free(idx->data);
    memset(idx, 0, sizeof *idx);
}
