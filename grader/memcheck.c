/* memcheck.c: reads Valgrind memcheck's per-process logs and turns them into verdicts
 * that name the learner's file and line. Criterion-style runners report such runs as
 * passing; here Valgrind's own logs decide. */
#define _GNU_SOURCE
#include "grade.h"
#include "process.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *what;        /* "Invalid write of size 4" */
    char *detail;      /* "Address 0x... is 0 bytes after a block of size 24 alloc'd", or NULL */
    char *where;       /* "lessons/1.1-arrays/exercise.c:63 in normalize()", or where else it happened */
    int in_learner_code;
    int pid;
    int count;
    int is_leak;       /* a loss record: what is "memory leak: definitely lost", and these say how much */
    long leak_bytes, leak_blocks;
    const char *check; /* the id of the check it happened in, or NULL when that is not known */
} MemoryError;


/* Is this a line that opens a summary rather than an error? */
static int is_summary(const char *text)
{
    static const char *prefixes[] = {"HEAP SUMMARY", "LEAK SUMMARY", "ERROR SUMMARY", "Memcheck,", "Copyright",
                                     "Using Valgrind", "Command:", "Parent PID", "For lists", "For counts",
                                     "All heap blocks", "in use at exit", "total heap usage", "To see them",
                                     "Rerun with", "Reachable blocks", "definitely lost:", "indirectly lost:",
                                     "possibly lost:", "still reachable:", "suppressed:", "Use --track-origins",
                                     "If you believe", "This is probably", "Warning: set address range perms",
                                     "Warning: noted but unhandled", "The main thread stack size", "HINT:",
                                     "Note: see also", "Searching for pointers", "checked "};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (strncmp(text, prefixes[i], strlen(prefixes[i])) == 0)
            return 1;
    return 0;
}

/* From "   at 0x1091A3: normalize (lessons/1.1-arrays/exercise.c:63)" takes the function and location. */
static int parse_frame(const char *text, char **function, char **location)
{
    const char *colon = strstr(text, ": ");
    if ((strncmp(text, "at 0x", 5) != 0 && strncmp(text, "by 0x", 5) != 0) || colon == NULL)
        return 0;
    const char *name = colon + 2;
    const char *open = strrchr(name, '(');
    if (open == NULL || open == name)
        return 0;
    *function = format_string("%.*s", (int)(open - name - 1), name);
    const char *close = strrchr(open, ')');
    *location = format_string("%.*s", (int)((close ? close : open + strlen(open)) - open - 1), open + 1);
    return 1;
}

/* Does a frame's location name one of the chapter's learner files? */
static int is_learner_location(const ChapterResult *result, const char *location)
{
    for (int i = 0; i < result->source_count; i++) {
        size_t n = strlen(result->sources[i]);
        if (strncmp(location, result->sources[i], n) == 0 && location[n] == ':')
            return 1;
    }
    return 0;
}

/* Reads a number as Valgrind prints it, with commas between thousands ("1,024"); returns where it stopped. */
static const char *read_count(const char *text, long *value)
{
    *value = 0;
    while ((*text >= '0' && *text <= '9') || *text == ',') {
        if (*text != ',')
            *value = *value * 10 + (*text - '0');
        text++;
    }
    return text;
}

/* A leak's first line says "N bytes in M blocks are definitely lost in loss record 2 of 3": keep its kind in what
 * ("memory leak: definitely lost"), so that the records of one allocation site add up, and N and M as numbers. */
static void tidy_what(MemoryError *e)
{
    char *record = strstr(e->what, " in loss record ");
    const char *are = strstr(e->what, " are ");
    if (record && are && strstr(e->what, " lost")) {
        *record = '\0';
        long bytes, blocks;
        const char *rest = read_count(e->what, &bytes);
        if (strncmp(rest, " bytes in ", 10) == 0) {
            read_count(rest + 10, &blocks);
            e->is_leak = 1;
            e->leak_bytes = bytes;
            e->leak_blocks = blocks;
        }
        char *leak = format_string("memory leak: %s", are + 5);
        free(e->what);
        e->what = leak;
    }
}

static void add_error(MemoryError **errors, int *count, MemoryError *e)
{
    tidy_what(e);
    *errors = realloc(*errors, (size_t)(*count + 1) * sizeof **errors);
    if (*errors == NULL)
        die("out of memory");
    e->count = 1;
    (*errors)[(*count)++] = *e;
}

static int same_error(const MemoryError *a, const MemoryError *b)
{
    return strcmp(a->what, b->what) == 0 && strcmp(a->where, b->where) == 0;
}

/* The message of the errors a tool found: its heading (a format with the count and a plural "s"), then each distinct
 * error once (the first five): what (a leak's total over all its records), where, the checks it happened in, and its
 * detail, under it (Valgrind's: where the memory came from) or beside it (the sanitizers': the access). */
static char *list_errors(const char *heading, const MemoryError *errors, int count, int detail_beside)
{
    int distinct = 0;
    for (int i = 0; i < count; i++) {
        int seen = 0;
        for (int k = 0; k < i && !seen; k++)
            seen = same_error(&errors[k], &errors[i]);
        distinct += !seen;
    }
    char *message = format_string(heading, distinct, distinct == 1 ? "" : "s");
    int shown = 0;
    for (int i = 0; i < count; i++) {
        int seen = 0;
        for (int k = 0; k < i && !seen; k++)
            seen = same_error(&errors[k], &errors[i]);
        if (seen)
            continue;
        if (shown++ == 5) {
            char *more = format_string("%s\n  and %d more", message, distinct - 5);
            free(message);
            message = more;
            break;
        }
        char *checks = format_string("%s", "");
        long bytes = 0, blocks = 0;
        for (int k = i; k < count; k++) {
            if (!same_error(&errors[k], &errors[i]))
                continue;
            bytes += errors[k].leak_bytes, blocks += errors[k].leak_blocks;
            const char *check = errors[k].check;
            if (check && !strstr(checks, check)) {
                char *longer = format_string("%s%s%s", checks, checks[0] ? ", " : "", check);
                free(checks);
                checks = longer;
            }
        }
        const MemoryError *e = &errors[i];
        char *what = e->is_leak ? format_string("%s: %ld byte%s in %ld block%s (%ld allocation%s never freed), "
                                                "allocated", e->what, bytes, bytes == 1 ? "" : "s", blocks,
                                                blocks == 1 ? "" : "s", blocks, blocks == 1 ? "" : "s")
                                : format_string("%s", e->what);
        const char *detail = e->detail ? e->detail : "";
        char *more = format_string("%s\n  %s%s%s at %s%s%s%s%s", message, what, detail_beside && e->detail ? ", " : "",
                                   detail_beside ? detail : "", e->where, checks[0] ? "\n    during check " : "",
                                   checks, !detail_beside && e->detail ? "\n    " : "", detail_beside ? "" : detail);
        free(what);
        free(checks);
        free(message);
        message = more;
    }
    return message;
}

static void free_errors(MemoryError *errors, int count)
{
    for (int i = 0; i < count; i++) {
        free(errors[i].what);
        free(errors[i].where);
        free(errors[i].detail);
    }
    free(errors);
}

/* Reads one log: every error block becomes a MemoryError. */
static void read_log(const char *path, int pid, const ChapterResult *result, MemoryError **errors, int *count)
{
    char *text = read_file(path, 8 << 20);
    if (text == NULL)
        return;
    MemoryError current = {0};
    int in_block = 0, in_origin = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save);; line = strtok_r(NULL, "\n", &save)) {
        const char *body = line ? strstr(line, "== ") : NULL;
        body = body ? body + 3 : "";
        int blank = line == NULL || body[0] == '\0';
        if (blank) {
            if (in_block && current.what) {
                if (current.where == NULL)
                    current.where = format_string("%s", "a place outside your code");
                current.pid = pid;
                add_error(errors, count, &current);
            } else {
                free(current.what);
                free(current.where);
                free(current.detail);
            }
            memset(&current, 0, sizeof current);
            in_block = in_origin = 0;
            if (line == NULL)
                break;
            continue;
        }
        const char *text_start = body;
        while (*text_start == ' ')
            text_start++;
        if (!in_block) {
            if (body[0] != ' ' && !is_summary(body)) {
                in_block = 1;
                current.what = format_string("%s", body);
            }
            continue;
        }
        char *function, *location;
        if (parse_frame(text_start, &function, &location)) {
            /* the first frame in the learner's files says where; origins say where the bad memory came from */
            if (is_learner_location(result, location)) {
                char *where = format_string("%s in %s()", location, function);
                if (!in_origin && (current.where == NULL || !current.in_learner_code)) {
                    free(current.where);
                    current.where = where;
                    current.in_learner_code = 1;
                } else if (in_origin && current.detail && !strstr(current.detail, " at ")) {
                    char *detail = format_string("%s, at %s", current.detail, where);
                    free(current.detail);
                    current.detail = detail;
                    free(where);
                } else {
                    free(where);
                }
            } else if (!in_origin && current.where == NULL && strncmp(text_start, "at 0x", 5) == 0) {
                current.where = format_string("%s in %s()", location, function);
            }
            free(function);
            free(location);
        } else if (body[0] == ' ' && current.detail == NULL) {
            current.detail = format_string("%s", text_start);
            in_origin = 1;
        } else if (body[0] == ' ') {
            in_origin = 1;
        }
    }
    free(text);
}

/* Which check a pid ran, from the status files the check program wrote. */
static const char *check_of_pid(const char *dir, const Fixture *fixture, int pid, int *incomplete)
{
    const char *found = NULL;
    for (int i = 0; i < fixture->check_count; i++) {
        Status status;
        if (!status_read_check(dir, fixture->checks[i].id, &status))
            continue;
        if (status.pid == pid)
            found = fixture->checks[i].id;
        if (incomplete && !status_succeeded(&status))
            *incomplete = 1;
    }
    return found;
}

void read_memcheck_logs(const char *dir, ChapterResult *result)
{
    CheckResult *memory = &result->memory;
    MemoryError *errors = NULL;
    int count = 0, logs = 0;
    DIR *folder = opendir(dir);
    if (folder == NULL)
        die("cannot read %s", dir);
    for (struct dirent *entry; (entry = readdir(folder)) != NULL;) {
        int pid;
        if (sscanf(entry->d_name, "vg.%d.log", &pid) != 1)
            continue;
        char *path = format_string("%s/%s", dir, entry->d_name);
        logs++;
        read_log(path, pid, result, &errors, &count);
        free(path);
    }
    closedir(folder);
    if (logs == 0) {
        memory->verdict = VERDICT_FAIL;
        memory->message = format_string("Valgrind left no log, so memory safety cannot be judged");
        return;
    }

    int incomplete = 0, any_todo = 0;
    check_of_pid(dir, result->fixture, -1, &incomplete);
    for (int i = 0; i < result->check_count; i++) {
        Verdict v = result->checks[i].verdict;
        any_todo |= v == VERDICT_TODO;
        incomplete |= v == VERDICT_TIMEOUT || v == VERDICT_CRASH;
    }
    if (count == 0) {
        if (any_todo) {
            memory->verdict = VERDICT_TODO;
            memory->message = format_string("no error so far; it counts once every function is written");
        } else if (incomplete) {
            memory->verdict = VERDICT_FAIL;
            memory->message = format_string("Valgrind found no error, but not every check ran to its end: "
                                            "fix the crashes and timeouts above first");
        } else {
            memory->verdict = VERDICT_PASS;
            memory->points = memory->max_points;
        }
        return;
    }
    for (int i = 0; i < count; i++)
        errors[i].check = check_of_pid(dir, result->fixture, errors[i].pid, NULL);
    /* a check that crashed natively gets the place Valgrind saw during it */
    for (int i = 0; i < count; i++) {
        for (int c = 0; errors[i].check && c < result->check_count; c++) {
            CheckResult *r = &result->checks[c];
            if (strcmp(r->id, errors[i].check) == 0 && r->verdict == VERDICT_CRASH && !strstr(r->message, "Valgrind")) {
                char *located = format_string("%s\n  Valgrind saw: %s at %s", r->message, errors[i].what,
                                              errors[i].where);
                free(r->message);
                r->message = located;
            }
        }
    }
    /* each distinct error once, with the checks it happened in */
    memory->verdict = VERDICT_FAIL;
    memory->message = list_errors("Valgrind found %d problem%s with memory in your code:", errors, count, 0);
    free_errors(errors, count);
}

/* ---- AddressSanitizer and UBSan ---------------------------------------------- */

/* The part of path from the learner's file it names on ("lessons/4.2-convolution/exercise.c:170"), when it names
 * one of the chapter's files (after a '/' or at its start, then ':'); NULL otherwise. */
static const char *learner_part(const ChapterResult *result, const char *path)
{
    for (int i = 0; i < result->source_count; i++) {
        const char *source = result->sources[i];
        for (const char *at = strstr(path, source); at; at = strstr(at + 1, source))
            if ((at == path || at[-1] == '/') && at[strlen(source)] == ':')
                return at;
    }
    return NULL;
}

/* From "    #3 0x55d0c0a4ab7c in backward_conv2d /work/main/lessons/4.2-convolution/exercise.c:170" the function and
 * the location; 0 when the line is no such frame. */
static int parse_sanitizer_frame(const char *line, char **function, char **location)
{
    const char *in = strstr(line, " in ");
    while (*line == ' ')
        line++;
    if (line[0] != '#' || in == NULL)
        return 0;
    const char *name = in + 4, *space = strchr(name, ' ');
    if (space == NULL)
        return 0;
    *function = format_string("%.*s", (int)(space - name), name);
    *location = format_string("%.*s", (int)strcspn(space + 1, " \n"), space + 1);
    return 1;
}

/* "file:line" of a location "file:line:column" (the column dropped), from its learner part when it has one. */
static char *short_location(const ChapterResult *result, const char *location)
{
    const char *from = learner_part(result, location);
    from = from ? from : location;
    const char *colon = strchr(from, ':'), *second = colon ? strchr(colon + 1, ':') : NULL;
    return format_string("%.*s", (int)(second ? second - from : (long)strlen(from)), from);
}

/* Reads one check's log of the sanitized run: each report of AddressSanitizer ("==P==ERROR: AddressSanitizer: KIND
 * on address ...", the access, the stack) and of UBSan ("FILE:LINE:COL: runtime error: WHAT", then its stack) becomes
 * a MemoryError at the innermost frame in the learner's files ("a place outside your code" when none is). */
static void read_sanitizer_log(const char *path, int check, const ChapterResult *result, MemoryError **errors,
                               int *count)
{
    char *text = read_file(path, 4 << 20);
    if (text == NULL)
        return;
    MemoryError current = {0};
    int open = 0, frames_seen = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save);; line = strtok_r(NULL, "\n", &save)) {
        const char *asan = line ? strstr(line, "ERROR: AddressSanitizer: ") : NULL;
        const char *ubsan = line ? strstr(line, ": runtime error: ") : NULL;
        /* a report ends where the next begins, at the stack's end (a line that is no frame) or at the end */
        int frame = line && strspn(line, " ") > 0 && line[strspn(line, " ")] == '#';
        if (open && (line == NULL || asan || ubsan || (!frame && frames_seen))) {
            if (current.where == NULL)
                current.where = format_string("%s", "a place outside your code");
            current.check = result->fixture->checks[check].id;
            add_error(errors, count, &current);
            memset(&current, 0, sizeof current);
            open = frames_seen = 0;
        }
        if (line == NULL)
            break;
        if (asan) {
            const char *kind = asan + strlen("ERROR: AddressSanitizer: ");
            int length = (int)strcspn(kind, "\n");
            const char *on = strstr(kind, " on ");
            if (on && on - kind < length)
                length = (int)(on - kind);
            current.what = format_string("AddressSanitizer: %.*s", length, kind);
            open = 1;
        } else if (ubsan) {
            char *location = format_string("%.*s", (int)(ubsan - line), line);
            /* "signed integer overflow: 1472810567 * 31 cannot be represented in type 'int'": the kind names the
             * problem (the same at every call), the rest, with this call's values, is its detail */
            const char *what = ubsan + strlen(": runtime error: "), *colon = strstr(what, ": ");
            current.what = format_string("UBSan: %.*s", (int)(colon ? colon - what : (long)strlen(what)), what);
            if (colon)
                current.detail = format_string("%s", colon + 2);
            if (learner_part(result, location)) {
                current.where = short_location(result, location);
                current.in_learner_code = 1;
            }
            free(location);
            open = 1;
        } else if (open && !frames_seen && (strncmp(line, "READ of size", 12) == 0 ||
                                            strncmp(line, "WRITE of size", 13) == 0)) {
            const char *at = strstr(line, " at "); /* "READ of size 4 at 0x... thread T0" */
            current.detail = format_string("a %.*s", (int)(at ? at - line : (long)strlen(line)), line);
        } else if (open && frame) {
            frames_seen = 1;
            char *function, *location;
            if (parse_sanitizer_frame(line, &function, &location)) {
                if (learner_part(result, location) && !current.in_learner_code) {
                    char *where = short_location(result, location);
                    free(current.where);
                    current.where = format_string("%s in %s()", where, function);
                    current.in_learner_code = 1;
                    free(where);
                } else if (current.in_learner_code && current.where && !strstr(current.where, " in ") &&
                           learner_part(result, location)) {
                    char *where = format_string("%s in %s()", current.where, function); /* UBSan's own line */
                    free(current.where);
                    current.where = where;
                }
                free(function);
                free(location);
            }
        }
    }
    free(text);
}

void read_sanitizer_logs(const char *dir, ChapterResult *result)
{
    MemoryError *errors = NULL;
    int count = 0;
    const Fixture *fixture = result->fixture;
    for (int i = 0; i < fixture->check_count; i++) {
        if (fixture->checks[i].hidden)
            continue;
        char *path = format_string("%s/%s.log", dir, fixture->checks[i].id);
        read_sanitizer_log(path, i, result, &errors, &count);
        free(path);
    }
    if (count == 0)
        return;
    char *message = list_errors("AddressSanitizer and UBSan found %d problem%s in your code:", errors, count, 1);
    /* the memory check fails: its message gets these, after Valgrind's when Valgrind found something too */
    CheckResult *memory = &result->memory;
    char *joined = memory->verdict == VERDICT_FAIL && memory->message
                       ? format_string("%s\n%s", memory->message, message)
                       : format_string("%s", message);
    free(memory->message);
    free(message);
    memory->message = joined;
    memory->verdict = VERDICT_FAIL;
    memory->points = 0;
    free_errors(errors, count);
}
