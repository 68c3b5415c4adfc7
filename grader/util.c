/* util.c: the grade tool's small helpers: errors, strings, files, processes. */
#define _GNU_SOURCE
#include "grade.h"

#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void die(const char *format, ...)
{
    va_list args;
    fflush(stdout);
    fputs("grade: ", stderr);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    exit(2);
}

char *format_string(const char *format, ...)
{
    va_list args;
    char *s;
    va_start(args, format);
    if (vasprintf(&s, format, args) < 0)
        die("out of memory");
    va_end(args);
    return s;
}

void *allocate(size_t size)
{
    void *p = calloc(1, size ? size : 1);
    if (p == NULL)
        die("out of memory");
    return p;
}

/* Makes a folder and its parents, like mkdir -p. */
void make_dirs(const char *path)
{
    char *copy = format_string("%s", path);
    for (char *p = copy + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(copy, 0755);
            *p = '/';
        }
    }
    if (mkdir(copy, 0755) != 0 && errno != EEXIST)
        die("cannot make the folder %s: %s", copy, strerror(errno));
    free(copy);
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (type == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

/* Removes a folder and everything in it, like rm -rf (links are removed, never followed). */
void remove_tree(const char *path)
{
    nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS);
}

char *read_file(const char *path, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t size = 0, capacity = 4096;
    char *text = allocate(capacity + 1);
    size_t n;
    while ((n = fread(text + size, 1, capacity - size, f)) > 0) {
        size += n;
        if (cap && size >= cap)
            break;
        if (size == capacity) {
            capacity *= 2;
            text = realloc(text, capacity + 1);
            if (text == NULL)
                die("out of memory reading %s", path);
        }
    }
    fclose(f);
    text[size] = '\0';
    return text;
}

double now_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + 1e-9 * (double)now.tv_nsec;
}

const char *describe_wait_status(int status)
{
    static char text[96];
    if (status == -1)
        snprintf(text, sizeof text, "timed out");
    else if (WIFEXITED(status))
        snprintf(text, sizeof text, "exit status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(text, sizeof text, "killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        snprintf(text, sizeof text, "wait status %d", status);
    return text;
}

void args_add(Args *args, const char *word)
{
    if (args->count + 2 > args->capacity) {
        args->capacity = args->capacity ? args->capacity * 2 : 32;
        args->items = realloc(args->items, (size_t)args->capacity * sizeof *args->items);
        if (args->items == NULL)
            die("out of memory");
    }
    args->items[args->count++] = format_string("%s", word);
    args->items[args->count] = NULL;
}

/* Searches PATH for a program; returns its path (to free) or NULL. */
char *find_program(const char *name)
{
    const char *path = getenv("PATH");
    char *copy = format_string("%s", path ? path : "/usr/bin:/bin");
    char *found = NULL;
    for (char *dir = strtok(copy, ":"); dir && !found; dir = strtok(NULL, ":")) {
        char *candidate = format_string("%s/%s", dir, name);
        if (access(candidate, X_OK) == 0)
            found = candidate;
        else
            free(candidate);
    }
    free(copy);
    return found;
}


int list_names(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; *p && n > 0;) {
        const char *end = strchr(p, ',');
        size_t length = end ? (size_t)(end - p) : strlen(p);
        if (length == n && strncmp(p, word, n) == 0)
            return 1;
        p += length + (end != NULL);
    }
    return 0;
}

void args_free(Args *args)
{
    for (int i = 0; i < args->count; i++)
        free(args->items[i]);
    free(args->items);
    memset(args, 0, sizeof *args);
}
