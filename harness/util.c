/* util.c: time, fatal errors and the placeholder that stubs call. */
#include "kit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

double kit_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + 1e-9 * (double)now.tv_nsec;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double kit_median(double *values, int count)
{
    qsort(values, (size_t)count, sizeof *values, compare_doubles);
    return count % 2 ? values[count / 2] : 0.5 * (values[count / 2 - 1] + values[count / 2]);
}

void kit_section(const char *title)
{
    printf("\n== %s ==\n", title);
}

void kit_fatal(const char *format, ...)
{
    va_list args;
    fflush(stdout);
    fputs(KIT_FATAL_PREFIX, stderr);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    exit(KIT_EXIT_FATAL);
}

void (*kit_not_implemented_hook)(const char *function, const char *file);

void kit_not_implemented(const char *function, const char *file)
{
    if (kit_not_implemented_hook)
        kit_not_implemented_hook(function, file);
    fflush(stdout);
    fprintf(stderr, "not implemented: %s() in %s\n", function, file);
    fflush(stderr);
    exit(KIT_EXIT_NOT_IMPLEMENTED);
}
