/* compiler.c: what the compiler said about a build of learner code, cut down to what a learner should read. */
#include "grade.h"

#include <stdlib.h>
#include <string.h>

/* Does the line (of the given length) contain word? */
static int line_has(const char *line, size_t length, const char *word)
{
    const char *found = strstr(line, word);
    return found != NULL && (size_t)(found - line) < length;
}

/* Appends the length characters of line and a newline at out + *used (out has room for them). */
static void append_line(char *out, size_t *used, const char *line, size_t length)
{
    memcpy(out + *used, line, length);
    *used += length;
    out[(*used)++] = '\n';
}

/* Keeps the lines of a compiler log worth showing: errors, and the source lines under them. */
char *summarize_compile_log(const char *log)
{
    size_t cap = strlen(log) + 1, used = 0;
    char *out = allocate(cap);
    int lines = 0, after_error = 0;
    const char *line = log;
    while (*line && lines < 14) {
        const char *end = strchr(line, '\n');
        size_t length = end ? (size_t)(end - line) : strlen(line);
        int keep = 0;
        if (line_has(line, length, "error:") || line_has(line, length, "undefined reference") ||
            line_has(line, length, "multiple definition")) {
            keep = 1;
            after_error = 1;
        } else if (line_has(line, length, "warning:") || line_has(line, length, "note:") ||
                   line_has(line, length, "In function")) {
            after_error = 0;
        } else if (after_error && line[0] == ' ') {
            keep = 1; /* the source line and caret under an error */
        }
        if (keep)
            append_line(out, &used, line, length), lines++;
        line = end ? end + 1 : line + length;
    }
    out[used] = '\0';
    if (used == 0) {
        free(out);
        return format_string("%.*s", 1200, log);
    }
    return out;
}

/* The compiler's warnings about the file source in a build's log: each "source:line:col: warning: ..." line with
 * the source line and caret under it, at most 24 lines in all; NULL when there are none. *count gets how many. */
char *summarize_warnings(const char *log, const char *source, int *count)
{
    size_t cap = strlen(log) + 64, used = 0, prefix = strlen(source);
    char *out = allocate(cap);
    int lines = 0, inside = 0;
    *count = 0;
    for (const char *line = log; *line;) {
        const char *end = strchr(line, '\n');
        size_t length = end ? (size_t)(end - line) : strlen(line);
        int keep = 0;
        if (length > prefix && strncmp(line, source, prefix) == 0 && line[prefix] == ':' &&
            line_has(line, length, "warning:")) {
            keep = inside = 1;
            ++*count;
        } else if (inside && line[0] == ' ') {
            keep = 1; /* the source line and the caret under the warning */
        } else {
            inside = 0;
        }
        if (keep && lines < 24)
            append_line(out, &used, line, length), lines++;
        line = end ? end + 1 : line + length;
    }
    out[used] = '\0';
    if (*count == 0) {
        free(out);
        return NULL;
    }
    return out;
}
