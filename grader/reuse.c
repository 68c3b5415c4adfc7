/*
 * reuse.c: what lets a grading be skipped. A chapter graded only because a named chapter links it (make grade
 * CH=1.2 grades 1.1 too) is not graded again when it passed last time and nothing that could change its result has
 * changed since. What could (the files and settings) is summed up in a key, a 64-bit FNV-1a hash of their paths,
 * bytes and values, kept in <build>/<chapter>/passed after a grading in which the chapter passed and removed after
 * one in which it did not. The same hash names an untouched stub by its bytes alone (hash_contents).
 * grade.c decides what goes into a chapter's key (passed_key) and when a chapter may be reused at all.
 */
#include "grade.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t hash_bytes(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

uint64_t hash_text(uint64_t h, const char *text)
{
    text = text ? text : "(none)";
    return hash_bytes(h, text, strlen(text) + 1);
}

uint64_t hash_contents(uint64_t h, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return hash_text(h, "(missing)");
    unsigned char buffer[1 << 16];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, f)) > 0)
        h = hash_bytes(h, buffer, n);
    fclose(f);
    return h;
}

uint64_t hash_file(uint64_t h, const char *path)
{
    return hash_contents(hash_text(h, path), path);
}

char *reuse_key(const char *const *files, int file_count, const char *const *settings, int setting_count)
{
    uint64_t h = FNV_OFFSET_BASIS;
    for (int k = 0; k < file_count; k++)
        h = hash_file(h, files[k]);
    for (int k = 0; k < setting_count; k++)
        h = hash_text(h, settings[k]);
    return format_string("%016llx", (unsigned long long)h);
}

int reuse_recorded(const char *dir, const char *key)
{
    char *path = format_string("%s/passed", dir);
    char *kept = read_file(path, 64);
    free(path);
    int same = key && kept && strncmp(kept, key, strlen(key)) == 0 && kept[strlen(key)] == '\n';
    free(kept);
    return same;
}

void reuse_record(const char *dir, const char *key, int passed)
{
    char *path = format_string("%s/passed", dir);
    if (!passed || key == NULL) {
        remove(path);
    } else {
        FILE *f = fopen(path, "w");
        if (f) {
            fprintf(f, "%s\n", key);
            fclose(f);
        }
    }
    free(path);
}
