/* judge.c: reads fixtures and check outputs, and decides each check's verdict. */
#define _GNU_SOURCE
#include "grade.h"
#include "process.h"
#include "check.h" /* KIT_UNCHANGED_SUFFIX and KIT_REFUSAL_SUFFIX: how the suites name what they emit */

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIT_STRINGIFY_(x) #x
#define KIT_STRINGIFY(x) KIT_STRINGIFY_(x)

/* Checks allowed this many seconds or more train a model: the report gives their time against the budget. */


/* ---- reading arrays ---------------------------------------------------- */

/* Reads the next line of *cursor (NUL-terminating it in place); NULL at the end. */
static char *next_line(char **cursor)
{
    char *line = *cursor;
    if (line == NULL || *line == '\0')
        return NULL;
    char *end = strchr(line, '\n');
    if (end) {
        *end = '\0';
        *cursor = end + 1;
    } else {
        *cursor = line + strlen(line);
    }
    return line;
}

/* Parses "input NAME\tR C" or "output NAME\tR C ATOL RTOL" and the R lines of values after it.
 * Returns 1 when the array is complete, 0 when it is cut short or malformed. */
static int parse_array(char *header, char **cursor, Array *array, int with_tolerance)
{
    memset(array, 0, sizeof *array);
    char *space = strchr(header, ' ');
    char *tab = strchr(header, '\t');
    if (space == NULL || tab == NULL)
        return 0;
    array->name = format_string("%.*s", (int)(tab - space - 1), space + 1);
    int fields = sscanf(tab + 1, "%d %d %lf %lf", &array->rows, &array->cols, &array->abs_tol, &array->rel_tol);
    if (fields < (with_tolerance ? 3 : 2) || array->rows < 1 || array->cols < 1 || array->rows > (1 << 24) ||
        array->cols > (1 << 24) || (long)array->rows * array->cols > (1L << 26))
        return 0;
    array->values = allocate((size_t)array->rows * (size_t)array->cols * sizeof(float));
    for (int i = 0; i < array->rows; i++) {
        char *line = next_line(cursor);
        if (line == NULL)
            return 0;
        char *p = line;
        for (int j = 0; j < array->cols; j++) {
            char *end;
            float v = strtof(p, &end);
            if (end == p)
                return 0;
            array->values[(size_t)i * array->cols + j] = v;
            p = end;
        }
    }
    return 1;
}

const char *judged_dataset;

/* Parses "atleast NAME\tVALUE MNIST_BAR FASHION_BAR". */
static int parse_bar(const char *line, Bar *bar)
{
    memset(bar, 0, sizeof *bar);
    const char *space = strchr(line, ' '), *tab = strchr(line, '\t');
    if (space == NULL || tab == NULL)
        return 0;
    bar->name = format_string("%.*s", (int)(tab - space - 1), space + 1);
    const char *note = strchr(tab + 1, '\t'); /* "atleast NAME\tVALUE MNIST_BAR FASHION_BAR\tNOTE" */
    if (note && note[1])
        bar->note = format_string("%s", note + 1);
    return sscanf(tab + 1, "%lf %lf %lf", &bar->value, &bar->mnist_bar, &bar->fashion_bar) == 3;
}

/* Parses "gradient NAME\tR C TOL" and the R lines of the analytic then R lines of the numeric gradient. */
static int parse_gradient(char *line, char **cursor, Gradient *g)
{
    memset(g, 0, sizeof *g);
    char *header = format_string("output %s", strchr(line, ' ') + 1);
    Array analytic, numeric;
    int ok = parse_array(header, cursor, &analytic, 1);
    free(header);
    if (!ok)
        return 0;
    char *second = format_string("output %s\t%d %d 0 0", analytic.name, analytic.rows, analytic.cols);
    ok = parse_array(second, cursor, &numeric, 1);
    free(second);
    if (!ok)
        return 0;
    g->name = analytic.name;
    g->rows = analytic.rows;
    g->cols = analytic.cols;
    g->rel_tol = analytic.abs_tol;  /* the one number after the shape */
    g->analytic = analytic.values;
    g->numeric = numeric.values;
    free(numeric.name);
    return 1;
}

/* Appends one element to a growing array. */
#define APPEND(list, count, item)                                                      \
    do {                                                                                \
        (list) = realloc((list), (size_t)((count) + 1) * sizeof *(list));               \
        if ((list) == NULL)                                                             \
            die("out of memory");                                                       \
        (list)[(count)++] = (item);                                                     \
    } while (0)

Fixture *fixture_read(const char *path)
{
    char *text = read_file(path, 0);
    if (text == NULL)
        return NULL;
    Fixture *fixture = allocate(sizeof *fixture);
    int capacity = 0;
    FixtureCheck *check = NULL;
    char *cursor = text;
    for (char *line; (line = next_line(&cursor)) != NULL;) {
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (strncmp(line, "chapter ", 8) == 0) {
            fixture->chapter = format_string("%s", line + 8);
        } else if (strncmp(line, "seed ", 5) == 0) {
            fixture->seed = format_string("%s", line + 5);
        } else if (strncmp(line, "check ", 6) == 0) {
            if (fixture->check_count == capacity) {
                capacity = capacity ? capacity * 2 : 16;
                fixture->checks = realloc(fixture->checks, (size_t)capacity * sizeof *fixture->checks);
                if (fixture->checks == NULL)
                    die("out of memory");
            }
            check = &fixture->checks[fixture->check_count++];
            memset(check, 0, sizeof *check);
            check->id = format_string("%s", line + 6);
            check->file_id = check->id;
        } else if (check == NULL) {
            die("%s: '%s' comes before the first check", path, line);
        } else if (strncmp(line, "title ", 6) == 0) {
            check->title = format_string("%s", line + 6);
        } else if (strncmp(line, "points ", 7) == 0) {
            check->points = atoi(line + 7);
        } else if (strncmp(line, "needs ", 6) == 0) {
            if (strcmp(line + 6, "-") != 0) {
                char *list = format_string("%s", line + 6);
                for (char *save = NULL, *w = strtok_r(list, " ", &save); w && check->need_count < MAX_NEEDS;
                     w = strtok_r(NULL, " ", &save))
                    check->needs[check->need_count++] = w;
            }
        } else if (strncmp(line, "hint ", 5) == 0) {
            check->hint = strcmp(line + 5, "-") ? format_string("%s", line + 5) : NULL;
        } else if (strncmp(line, "timeout ", 8) == 0) {
            check->timeout = atof(line + 8);
        } else if (strncmp(line, "memcheck ", 9) == 0) {
            check->memcheck = atoi(line + 9);
        } else if (strncmp(line, "input ", 6) == 0 || strncmp(line, "output ", 7) == 0) {
            int is_output = line[0] == 'o';
            Array array;
            if (!parse_array(line, &cursor, &array, is_output))
                die("%s: check %s has a malformed array '%s'", path, check->id, array.name ? array.name : "?");
            Array **list = is_output ? &check->expected : &check->inputs;
            int *count = is_output ? &check->expected_count : &check->input_count;
            *list = realloc(*list, (size_t)(*count + 1) * sizeof **list);
            if (*list == NULL)
                die("out of memory");
            (*list)[(*count)++] = array;
        } else if (strncmp(line, "atleast ", 8) == 0) {
            Bar bar;
            if (!parse_bar(line, &bar))
                die("%s: check %s has a malformed line '%.60s'", path, check->id, line);
            APPEND(check->bars, check->bar_count, bar);
        } else if (strncmp(line, "gradient ", 9) == 0) {
            Gradient g;
            if (!parse_gradient(line, &cursor, &g))
                die("%s: check %s has a malformed gradient", path, check->id);
            APPEND(check->gradients, check->gradient_count, g);
        } else if (strcmp(line, "end") == 0) {
            check = NULL;
        } else {
            die("%s: unexpected line '%.60s'", path, line);
        }
    }
    free(text);
    return fixture;
}

static int same_arrays(const Array *a, int a_count, const Array *b, int b_count)
{
    if (a_count != b_count)
        return 0;
    for (int i = 0; i < a_count; i++) {
        size_t n = (size_t)a[i].rows * (size_t)a[i].cols;
        if (strcmp(a[i].name, b[i].name) != 0 || a[i].rows != b[i].rows || a[i].cols != b[i].cols ||
            memcmp(a[i].values, b[i].values, n * sizeof(float)) != 0)
            return 0;
    }
    return 1;
}

/* Adds the checks of the hidden fixture whose inputs differ from the public ones, as hidden cases. */
void fixture_add_hidden(Fixture *fixture, const Fixture *hidden)
{
    int public_count = fixture->check_count;
    for (int h = 0; h < hidden->check_count; h++) {
        const FixtureCheck *secret = &hidden->checks[h];
        int same = 0;
        for (int p = 0; p < public_count && !same; p++) {
            const FixtureCheck *open = &fixture->checks[p];
            same = strcmp(open->id, secret->id) == 0 &&
                   same_arrays(open->inputs, open->input_count, secret->inputs, secret->input_count) &&
                   same_arrays(open->expected, open->expected_count, secret->expected, secret->expected_count);
        }
        if (same)
            continue;
        FixtureCheck copy = *secret;
        copy.id = format_string("hidden-%s", secret->id);
        copy.title = format_string("%s (hidden case)", secret->title);
        copy.file_id = secret->id;
        copy.hidden = 1;
        APPEND(fixture->checks, fixture->check_count, copy);
    }
}

/* ---- the record of the untouched stubs (grader/fixtures/<chapter>.stub) ---- */

char *not_implemented_message(const char *function, const char *file)
{
    return format_string("not implemented: %s() in %s", function, file);
}

static void stub_record_free(StubRecord *record)
{
    for (int i = 0; i < record->stop_count; i++) {
        free(record->stops[i].check_id);
        free(record->stops[i].function);
        free(record->stops[i].chapter);
    }
    free(record->stops);
    free(record->chapter);
    free(record->seed);
    free(record);
}

const StubStop *stub_record_find(const StubRecord *record, const char *check_id)
{
    for (int i = 0; i < record->stop_count; i++)
        if (strcmp(record->stops[i].check_id, check_id) == 0)
            return &record->stops[i];
    return NULL;
}

/* Parses "check ID FUNCTION CHAPTER" ("- -" for a check that ended otherwise) into stop; 0 when malformed. */
static int parse_stub_stop(const char *fields, StubStop *stop)
{
    char id[256], function[256], chapter[64], extra;
    if (sscanf(fields, "%255s %255s %63s %c", id, function, chapter, &extra) != 3)
        return 0;
    int stops = strcmp(function, "-") != 0;
    if (stops != (strcmp(chapter, "-") != 0))
        return 0;
    stop->check_id = format_string("%s", id);
    stop->function = stops ? format_string("%s", function) : NULL;
    stop->chapter = stops ? format_string("%s", chapter) : NULL;
    return 1;
}

StubRecord *stub_record_parse(char *text)
{
    StubRecord *record = allocate(sizeof *record);
    int has_hash = 0, ok = 1;
    char *cursor = text;
    for (char *line; ok && (line = next_line(&cursor)) != NULL;) {
        char *end;
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (strncmp(line, "chapter ", 8) == 0 && record->chapter == NULL) {
            record->chapter = format_string("%s", line + 8);
        } else if (strncmp(line, "seed ", 5) == 0 && record->seed == NULL) {
            record->seed = format_string("%s", line + 5);
        } else if (strncmp(line, "stub ", 5) == 0 && !has_hash) {
            record->stub_hash = strtoull(line + 5, &end, 16);
            has_hash = ok = strlen(line + 5) == 16 && *end == '\0';
        } else if (strncmp(line, "check ", 6) == 0) {
            StubStop stop;
            ok = parse_stub_stop(line + 6, &stop);
            if (ok && stub_record_find(record, stop.check_id)) {
                free(stop.check_id), free(stop.function), free(stop.chapter);
                ok = 0;
            } else if (ok) {
                APPEND(record->stops, record->stop_count, stop);
            }
        } else {
            ok = 0;
        }
    }
    if (!ok || !has_hash || record->chapter == NULL || record->seed == NULL) {
        stub_record_free(record);
        return NULL;
    }
    return record;
}

StubRecord *stub_record_read(const char *path)
{
    char *text = read_file(path, 0);
    StubRecord *record = text ? stub_record_parse(text) : NULL;
    free(text);
    return record;
}

/* ---- judging ----------------------------------------------------------- */

static int values_match(float got, float expected, double abs_tol, double rel_tol)
{
    if (isnan(expected))
        return isnan(got);
    if (isinf(expected))
        return got == expected;
    if (!isfinite(got))
        return 0;
    return fabs((double)got - (double)expected) <= abs_tol + rel_tol * fabs((double)expected);
}

static char *index_text(const Array *a, size_t k)
{
    if (a->rows == 1 && a->cols == 1)
        return format_string("%s", "");
    if (a->rows == 1)
        return format_string("[%zu]", k);
    return format_string("[%zu][%zu]", k / (size_t)a->cols, k % (size_t)a->cols);
}

static char *tolerance_text(const Array *a)
{
    if (a->abs_tol == 0 && a->rel_tol == 0)
        return format_string("exact (no tolerance)");
    return format_string("|got - expected| <= %g + %g * |expected|", a->abs_tol, a->rel_tol);
}

/* Prints a small input in full, a large one by its shape. */
static char *input_text(const Array *input)
{
    size_t n = (size_t)input->rows * (size_t)input->cols;
    if (n > 24)
        return format_string("%s is %d x %d", input->name, input->rows, input->cols);
    char *text = format_string("%s =", input->name);
    for (int i = 0; i < input->rows; i++) {
        char *row = format_string("%s%s[", text, input->rows > 1 && i == 0 ? " [" : (i ? " " : " "));
        free(text);
        text = row;
        for (int j = 0; j < input->cols; j++) {
            char *more = format_string("%s%s%.6g", text, j ? ", " : "", (double)input->values[i * input->cols + j]);
            free(text);
            text = more;
        }
        char *closed = format_string("%s]%s", text, input->rows > 1 ? (i + 1 < input->rows ? "," : "]") : "");
        free(text);
        text = closed;
    }
    return text;
}

/* 1 when got[k] matches f(expected, k) for every k, with the array's tolerance (loosened to 1e-4 relative, since
 * a diagnosis only needs to be sure of the pattern, not of the last bits). */
typedef double (*Pattern)(const Array *expected, size_t k, double parameter);
static int follows(const Array *expected, const Array *got, Pattern f, double parameter, size_t from, size_t to)
{
    double abs_tol = fmax(expected->abs_tol, 1e-6), rel_tol = fmax(expected->rel_tol, 1e-4);
    for (size_t k = from; k < to; k++) {
        double want = f(expected, k, parameter), g = got->values[k];
        if (!isfinite(want) || !isfinite(g) || fabs(g - want) > abs_tol + rel_tol * fabs(want))
            return 0;
    }
    return 1;
}
static double scaled(const Array *e, size_t k, double r) { return r * e->values[k]; }
static double offset(const Array *e, size_t k, double d) { return e->values[k] + d; }
static double transposed(const Array *e, size_t k, double unused)
{
    (void)unused;
    size_t n = (size_t)e->cols, i = k / n, j = k % n;
    return e->values[j * n + i];
}
static double shifted(const Array *e, size_t k, double by) { return e->values[(size_t)((double)k + by)]; }

/* What a wrong result looks like, when it follows a pattern the grader can name: every element a constant times
 * the expected one (a missing or extra division, the sign, N against N - 1), off by one constant, the transpose,
 * the expected values one place along, or rows and columns of probabilities swapped. NULL when none fits. */
static char *diagnose(const Array *expected, const Array *got)
{
    size_t n = (size_t)expected->rows * (size_t)expected->cols;
    if (n < 2)
        return NULL;
    size_t pivot = 0; /* the largest expected element: the ratio and the offset are read off it */
    for (size_t k = 1; k < n; k++)
        if (fabs(expected->values[k]) > fabs(expected->values[pivot]))
            pivot = k;
    double e = expected->values[pivot], g = got->values[pivot];
    if (!isfinite(e) || !isfinite(g))
        return NULL;
    if (expected->rows == expected->cols && expected->rows > 1 && follows(expected, got, transposed, 0, 0, n))
        return format_string("your result is the expected one transposed: rows and columns swapped (an index "
                             "[i][j] where [j][i] is meant, or the wrong one of rows and cols in the loop)");
    if (follows(expected, got, shifted, 1, 0, n - 1) || follows(expected, got, shifted, -1, 1, n))
        return format_string("your values are the expected ones moved one place along: an index off by one");
    if (e != 0.0 && g != 0.0) {
        double r = g / e;
        if (fabs(r - 1.0) > 1e-4 && follows(expected, got, scaled, r, 0, n)) {
            if (fabs(r + 1.0) < 1e-4)
                return format_string("every element has the sign flipped: a subtraction the wrong way round?");
            double whole = r >= 1 ? r : 1 / r;
            if (fabs(whole - round(whole)) < 1e-3 * whole)
                return format_string("every element is %g times %s: a sum where a mean is meant, or a division "
                                     "missing or done twice?", round(whole), r >= 1 ? "too large" : "too small");
            double squared = r * r, m = squared > 1 ? 1 / (squared - 1) : 1 / (1 - squared);
            if (m > 1.5 && fabs(m - round(m)) < 1e-3 * m)
                return format_string("every element is %.6g times the expected one, which is sqrt(%g / %g): "
                                     "dividing by N - 1 where N is meant, or the other way round?",
                                     r, r > 1 ? round(m) + 1 : round(m) - 1, round(m));
            return format_string("every element is %.6g times the expected one: a factor is wrong or missing", r);
        }
    }
    double d = g - e;
    if (fabs(d) > 1e-6 + 1e-4 * fabs(e) && follows(expected, got, offset, d, 0, n))
        return format_string("every element is off by the same %.6g: a constant (a bias, a mean, an initial value) "
                             "added or left out?", d);
    /* probabilities whose columns sum to 1 where the expected rows do: normalized along the wrong axis */
    int rows_one = expected->rows > 1 && expected->cols > 1, cols_one = rows_one;
    for (int i = 0; i < expected->rows && rows_one; i++) {
        double sum = 0.0;
        for (int j = 0; j < expected->cols; j++)
            sum += expected->values[(size_t)i * expected->cols + j];
        rows_one = fabs(sum - 1.0) < 1e-3;
    }
    for (int j = 0; j < expected->cols && rows_one && cols_one; j++) {
        double sum = 0.0;
        for (int i = 0; i < expected->rows; i++)
            sum += got->values[(size_t)i * expected->cols + j];
        cols_one = fabs(sum - 1.0) < 1e-3;
    }
    if (rows_one && cols_one)
        return format_string("your columns sum to 1 where each row should: the sums (or the maximum) taken down "
                             "the columns instead of along each row");
    return NULL;
}

/* Is this array an input emitted after the call by kit_emit_unchanged ("X after normalize_columns (it must not
 * change)")? */
static int is_unchanged_input(const Array *a) { return strstr(a->name, KIT_UNCHANGED_SUFFIX) != NULL; }

/* What an input emitted by kit_emit_unchanged that differs from the reference's looks like: the learner's function
 * wrote into it. Names the function, the input and the first element written (first, in the input's own rows when
 * kit_emit_rows kept only some of them: "...: rows 0, 8, 16, ... and 99 only"). NULL for any other array. */
static char *diagnose_written_input(const Array *expected, const Array *got, size_t first)
{
    const char *name = expected->name, *suffix = strstr(name, KIT_UNCHANGED_SUFFIX), *after = NULL, *word = " after ";
    if (suffix == NULL)
        return NULL;
    for (const char *p = name; (p = strstr(p, word)) != NULL && p < suffix; p++)
        after = p; /* the last one before the suffix: the input's own name may hold the word */
    if (after == NULL)
        return NULL;
    const char *function = after + strlen(word);
    size_t cols = (size_t)expected->cols, row = first / cols, col = first % cols;
    int rows = expected->rows, step = 0, last = 0;
    const char *kept = strstr(suffix, ": rows 0, "), *only = kept ? strstr(kept, " and ") : NULL;
    if (kept && only && sscanf(kept, ": rows 0, %d,", &step) == 1 && sscanf(only, " and %d only", &last) == 1 &&
        step > 0) {
        row = row * (size_t)step < (size_t)last ? row * (size_t)step : (size_t)last;
        rows = last + 1;
    }
    char *where = rows == 1 && cols == 1 ? format_string("its value")
                  : rows == 1            ? format_string("its element [%zu]", col)
                                         : format_string("its element [%zu][%zu]", row, col);
    float now = got->values[first];
    char *text = format_string("%.*s wrote into its input %.*s, which it must leave as it is: %s was %.7g, is now "
                               "%.7g (const Matrix * guards the struct, not the numbers it points to: work in the "
                               "output, or in a buffer of your own)",
                               (int)(suffix - function), function, (int)(after - name), name, where,
                               (double)expected->values[first], isnan(now) ? (double)NAN : (double)now);
    free(where);
    return text;
}

/* What a call emitted by kit_emit_refusal ("dropout with rate 1 (it must stop with kit_fatal)") that did not stop
 * as the reference did means, in words; NULL for any other array. */
static char *explain_refusal(const Array *expected, const Array *got)
{
    const char *name = expected->name, *suffix = strstr(name, KIT_REFUSAL_SUFFIX), *with = strstr(name, " with ");
    if (suffix == NULL || with == NULL || with > suffix || got->rows != 1 || got->cols != 1 ||
        got->values[0] == expected->values[0])
        return NULL;
    int function_length = (int)(with - name), call_length = (int)(suffix - name);
    const char *what;
    switch ((int)got->values[0]) {
    case KIT_REFUSAL_RETURNED:
        what = "returned as if the input were fine; its contract calls that input a mistake of the caller";
        break;
    case KIT_REFUSAL_UNNAMED:
        what = "stopped with an error, but not with one of its own: the message must start with the function's "
               "name and a colon (a message of the kit's helpers, kit_..., does not say which input was wrong)";
        break;
    case KIT_REFUSAL_CRASHED:
        what = "crashed (a signal ended it): it used the input before checking it";
        break;
    case KIT_REFUSAL_HUNG:
        what = "was still running after " KIT_STRINGIFY(KIT_REFUSAL_SECONDS) " s";
        break;
    default:
        what = "called exit itself, with a status of its own";
    }
    return format_string("%.*s: %s\n  expected: stop with kit_fatal(\"%.*s: ...\") naming the value and what was "
                         "expected (kit_require_shape does it for a shape)",
                         call_length, name, what, function_length, name);
}

/* Compares one produced array with the expected one; returns NULL when it matches, else a message (with a line
 * "what it looks like: ..." when the mistake is recognised: an input written into, or a pattern diagnose names). */
char *compare_arrays(const Array *expected, const Array *got)
{
    if (got->rows != expected->rows || got->cols != expected->cols)
        return format_string("%s has shape %d x %d, expected %d x %d (did your code change rows or cols?)",
                             expected->name, got->rows, got->cols, expected->rows, expected->cols);
    size_t n = (size_t)expected->rows * (size_t)expected->cols, wrong = 0, first = 0;
    for (size_t k = 0; k < n; k++) {
        if (!values_match(got->values[k], expected->values[k], expected->abs_tol, expected->rel_tol)) {
            if (wrong++ == 0)
                first = k;
        }
    }
    if (wrong == 0)
        return NULL;
    char *refusal = explain_refusal(expected, got);
    if (refusal)
        return refusal;
    char *where = index_text(expected, first);
    char *tolerance = tolerance_text(expected);
    float g = got->values[first];
    const char *nan_note = isnan(g) ? " (nan: an element your code never wrote, or a 0/0 or inf - inf)" : "";
    char *count = n > 1 ? format_string("; %zu of %zu elements are wrong", wrong, n) : format_string("%s", "");
    /* a NaN prints as nan whatever its sign bit */
    double shown = isnan(g) ? (double)NAN : (double)g;
    char *diagnosis = diagnose_written_input(expected, got, first);
    if (diagnosis == NULL)
        diagnosis = diagnose(expected, got);
    char *message = format_string("%s%s: expected %.7g, got %.7g%s\n  tolerance: %s%s%s%s", expected->name, where,
                                  (double)expected->values[first], shown, nan_note, tolerance, count,
                                  diagnosis ? "\n  " DIAGNOSIS_PREFIX : "", diagnosis ? diagnosis : "");
    free(diagnosis);
    free(where);
    free(tolerance);
    free(count);
    return message;
}

/* Judges a gradient: NULL when every element agrees, else what is wrong and the pattern of the mistake. */
char *judge_gradient(const Gradient *g)
{
    size_t n = (size_t)g->rows * (size_t)g->cols, wrong = 0, worst = 0;
    double worst_excess = -1, largest_analytic = 0, largest_numeric = 0;
    for (size_t k = 0; k < n; k++) {
        double a = g->analytic[k], u = g->numeric[k];
        largest_analytic = fmax(largest_analytic, fabs(a));
        largest_numeric = fmax(largest_numeric, fabs(u));
        double allowed = g->rel_tol * fmax(fmax(fabs(a), fabs(u)), 1.0);
        /* a NaN or inf on either side is wrong: NaN > 1 would otherwise let it pass */
        double excess = isfinite(a) && isfinite(u) ? fabs(a - u) / allowed : INFINITY;
        if (excess > 1) {
            wrong++;
            if (excess > worst_excess)
                worst_excess = excess, worst = k;
        }
    }
    if (largest_analytic == 0)
        return format_string("the gradient of %s is all zero (central differences say it is not: largest element "
                             "%.4g): does your backward pass write it?", g->name, largest_numeric);
    if (wrong == 0)
        return NULL;
    /* recognise a pattern: a constant ratio (a sign, a factor) or a transpose */
    char *pattern = NULL;
    double ratios[64];
    int ratio_count = 0;
    for (size_t k = 0; k < n && ratio_count < 64; k++)
        if (fabs(g->numeric[k]) > 0.1 * largest_numeric && largest_numeric > 0)
            ratios[ratio_count++] = g->analytic[k] / g->numeric[k];
    int constant = ratio_count > 0;
    for (int i = 1; i < ratio_count; i++)
        if (fabs(ratios[i] - ratios[0]) > 0.02 * fabs(ratios[0]))
            constant = 0;
    if (constant && fabs(ratios[0] + 1) < 0.02)
        pattern = format_string("analytic = -numeric everywhere: the sign is flipped");
    else if (constant && ratios[0] > 0 && ratios[0] < 1)
        pattern = format_string("analytic = numeric / %.4g everywhere: an extra constant factor (a 1/N too many?)",
                                1 / ratios[0]);
    else if (constant)
        pattern = format_string("analytic = %.4g x numeric everywhere: a constant factor (a missing 1/N, or a 2?)",
                                ratios[0]);
    else if (g->rows == g->cols && g->rows > 1) {
        int transposed = 1;
        for (int i = 0; i < g->rows && transposed; i++)
            for (int j = 0; j < g->cols && transposed; j++) {
                double a = g->analytic[i * g->cols + j], u = g->numeric[j * g->cols + i];
                transposed = fabs(a - u) <= g->rel_tol * fmax(fmax(fabs(a), fabs(u)), 1.0);
            }
        if (transposed)
            pattern = format_string("analytic is the transpose of numeric: the factors of a product are swapped");
    }
    Array shape = {.rows = g->rows, .cols = g->cols};
    char *where = index_text(&shape, worst);
    char *message = format_string(
        "the gradient of %s is wrong at %s%s: analytic %.6g, numeric %.6g (central differences)\n"
        "  tolerance: |analytic - numeric| <= %g * max(|analytic|, |numeric|, 1); %zu of %zu elements are wrong%s%s",
        g->name, g->name, where, (double)g->analytic[worst], (double)g->numeric[worst], g->rel_tol, wrong, n,
        pattern ? "\n  pattern: " : "", pattern ? pattern : "");
    free(where);
    free(pattern);
    return message;
}

/* Judges a figure against the bar of the data set graded. Sets *info to "figure (bar ...)". */
char *judge_bar(const Bar *expected, const Bar *got, char **info)
{
    if (judged_dataset == NULL)
        return format_string("%s: no data set to judge it on (run: make datasets)", expected->name);
    int mnist = strcmp(judged_dataset, "MNIST") == 0;
    double bar = mnist ? expected->mnist_bar : expected->fashion_bar;
    if (got->note) {
        *info = format_string("%s not measured, the bar on %s is %.4f", expected->name, judged_dataset, bar);
        return format_string("%s", got->note);
    }
    *info = format_string("%s %.4f, the bar on %s is %.4f", expected->name, got->value, judged_dataset, bar);
    if (isfinite(got->value) && got->value >= bar)
        return NULL;
    return format_string("%s is %.4f, below the bar of %.4f on %s", expected->name, got->value, bar,
                         judged_dataset);
}

/* The first lines the code printed, without the kit's own not-implemented line. */
static char *printed_lines(const char *log)
{
    if (log == NULL || log[0] == '\0')
        return NULL;
    char *copy = format_string("%s", log), *out = format_string("%s", "");
    int lines = 0, total = 0;
    char *cursor = copy;
    for (char *line; (line = next_line(&cursor)) != NULL;) {
        if (strncmp(line, "not implemented: ", 17) == 0)
            continue;
        total++;
        if (lines < 6) {
            char *more = format_string("%s%.160s\n", out, line);
            free(out);
            out = more;
            lines++;
        }
    }
    if (total > lines) {
        char *more = format_string("%s(%d more lines)\n", out, total - lines);
        free(out);
        out = more;
    }
    free(copy);
    if (out[0] == '\0') {
        free(out);
        return NULL;
    }
    return out;
}

static const char *signal_meaning(int signal_number)
{
    switch (signal_number) {
    case SIGSEGV:
        return "a segmentation fault: a read or write outside your arrays, or through a bad pointer";
    case SIGBUS:
        return "a bus error: a read or write through a bad pointer";
    case SIGFPE:
        return "an arithmetic error, such as an integer division by zero";
    case SIGABRT:
        return "abort(): an assertion failed, or the C library found the heap corrupted";
    case SIGXCPU:
        return "it used up its CPU time limit";
    case SIGXFSZ:
        return "it printed more than the output limit (16 MiB)";
    case SIGKILL:
        return "it was killed (out of memory?)";
    default:
        return "it was killed by a signal";
    }
}

char *(*locate_timeout)(const char *run_dir, const char *id, const ChapterResult *chapter_result);

/* ", in f() at FILE:LINE" where the learner's code was when the check ran out of time (locate_timeout), or "". */
static char *timeout_location(const char *run_dir, const char *id, const ChapterResult *chapter_result)
{
    char *where = locate_timeout ? locate_timeout(run_dir, id, chapter_result) : NULL;
    char *text = where ? format_string(", in %s", where) : format_string("%s", "");
    free(where);
    return text;
}

void judge_check(const Chapter *chapter, const FixtureCheck *check, const char *run_dir,
                 const ChapterResult *chapter_result, CheckResult *result)
{
    (void)chapter;
    result->id = check->id;
    result->title = check->title;
    result->max_points = check->points;
    result->hint = check->hint;
    result->verdict = VERDICT_FAIL;

    char *log_path = format_string("%s/%s.log", run_dir, check->file_id);
    char *out_path = format_string("%s/%s.out", run_dir, check->file_id);
    Status status;
    int have_status = status_read_check(run_dir, check->file_id, &status);
    char *log = read_file(log_path, 1 << 16);
    result->printed = printed_lines(log);

    int left = have_status && status.processes_left > 0 ? status.processes_left : 0;
    int process_limit = have_status ? status.process_limit : 0;
    result->processes_left = left;
    if (!have_status) {
        result->verdict = VERDICT_CRASH;
        result->message = format_string("did not run: %s", chapter_result->runner_problem
                                                               ? chapter_result->runner_problem
                                                               : "the check program stopped before it");
    } else if (left > 0 && 2 * left >= process_limit) {
        result->verdict = VERDICT_CRASH;
        result->message = format_string("crashed: it started processes until it hit the process limit (%d at a "
                                        "time), a fork bomb; the checks call your functions in one process: your "
                                        "code should not call fork()", process_limit);
    } else if (left > 0) {
        result->verdict = VERDICT_CRASH;
        result->message = format_string("crashed: it left %d process%s running after the check ended (the process "
                                        "limit is %d); the checks call your functions in one process: your code "
                                        "should not call fork()", left, left == 1 ? "" : "es", process_limit);
    } else if (status.ending == ENDED_NOT_RUN) {
        result->verdict = VERDICT_SKIPPED;
        result->not_run = 1;
        result->message = format_string("not run: check %s timed out first (an endless loop?), and this one would "
                                        "wait up to %g s for the same loop; make %s pass, then grade again",
                                        status.after, check->timeout, status.after);
    } else if (status.ending == ENDED_TIMEOUT) {
        result->verdict = VERDICT_TIMEOUT;
        char *where = timeout_location(run_dir, check->file_id, chapter_result);
        if (status.after[0])
            result->message = format_string("timed out: still running after %g s%s, a limit cut from %g s because "
                                            "check %s timed out first (an endless loop?)", status.limit_seconds,
                                            where, check->timeout, status.after);
        else if (check->timeout >= LONG_CHECK_SECONDS)
            result->message = format_string("timed out: still running after %g s%s, this check's budget (an endless "
                                            "loop, or products written as plain loops where the chapter uses "
                                            "cblas_sgemm?)", status.limit_seconds, where);
        else
            result->message = format_string("timed out: still running after %g s%s (an endless loop?)",
                                            status.limit_seconds, where);
        free(where);
    } else if (status.ending == ENDED_SIGNAL) {
        result->verdict = VERDICT_CRASH;
        result->message = format_string("crashed with signal %d: %s", status.code, signal_meaning(status.code));
    } else if (status_not_implemented(&status)) {
        result->verdict = VERDICT_TODO;
        result->stub_function = format_string("%s", status.stub_function);
        result->stub_file = format_string("%s", status.stub_file);
        result->message = not_implemented_message(status.stub_function, status.stub_file);
    } else if (status.code != 0) {
        int code = status.code;
        const char *error = log ? strstr(log, KIT_FATAL_PREFIX) : NULL;
        /* the supervisor could not start the check program: none of the learner's code ran */
        int not_started =
            (code == SPAWN_EXIT_NO_PROGRAM && log &&
             strncmp(log, SPAWN_NO_PROGRAM_MESSAGE, strlen(SPAWN_NO_PROGRAM_MESSAGE)) == 0) ||
            (code == SPAWN_EXIT_NO_USER && log && strncmp(log, SPAWN_NO_USER_MESSAGE, strlen(SPAWN_NO_USER_MESSAGE)) == 0);
        result->message =
            not_started
                ? format_string("the grader could not start this check (%.*s), so none of your code ran; "
                                "\"Resource temporarily unavailable\" means the process limit of the user the "
                                "checks run as was used up by other gradings on this machine: grade again",
                                (int)strcspn(log, "\n"), log)
            : error ? format_string("stopped with exit status %d: %.*s", code, (int)strcspn(error, "\n"), error)
                  : format_string("your code ended the program with exit status %d before the check finished "
                                  "(exit() called?)", code);
    } else {
        /* it exited 0: judge what it emitted */
        char *text = read_file(out_path, 0);
        Array *produced = NULL;
        Bar *bars = NULL;
        Gradient *gradients = NULL;
        int produced_count = 0, bar_count = 0, gradient_count = 0;
        char *cursor = text;
        for (char *line; text && (line = next_line(&cursor)) != NULL;) {
            if (strncmp(line, "atleast ", 8) == 0) {
                Bar bar;
                if (parse_bar(line, &bar))
                    APPEND(bars, bar_count, bar);
            } else if (strncmp(line, "gradient ", 9) == 0) {
                Gradient g;
                if (parse_gradient(line, &cursor, &g))
                    APPEND(gradients, gradient_count, g);
            } else if (strncmp(line, "output ", 7) == 0) {
                Array array;
                if (parse_array(line, &cursor, &array, 1))
                    APPEND(produced, produced_count, array);
            }
        }
        /* the first array that is wrong, unless an input was written into: that is reported first, being
         * often the cause of the wrong outputs before it */
        char *problem = NULL;
        for (int e = 0; e < check->expected_count; e++) {
            const Array *want = &check->expected[e];
            const Array *got = NULL;
            for (int p = 0; p < produced_count; p++)
                if (strcmp(produced[p].name, want->name) == 0)
                    got = &produced[p];
            if (got == NULL && problem != NULL)
                break; /* the check ended early: the arrays after this one are missing too */
            char *found = got ? compare_arrays(want, got)
                              : format_string("the check ended before it got %s: did your code call exit() "
                                              "or return early?", want->name);
            if (found == NULL)
                continue;
            if (got && is_unchanged_input(want)) {
                free(problem);
                problem = found;
                break;
            }
            if (problem == NULL)
                problem = found;
            else
                free(found);
        }
        for (int e = 0; e < check->gradient_count && problem == NULL; e++) {
            const Gradient *got = NULL;
            for (int p = 0; p < gradient_count; p++)
                if (strcmp(gradients[p].name, check->gradients[e].name) == 0)
                    got = &gradients[p];
            problem = got ? judge_gradient(got)
                          : format_string("the check ended before it checked the gradient of %s",
                                          check->gradients[e].name);
        }
        for (int e = 0; e < check->bar_count && problem == NULL; e++) {
            const Bar *got = NULL;
            for (int p = 0; p < bar_count; p++)
                if (strcmp(bars[p].name, check->bars[e].name) == 0)
                    got = &bars[p];
            char *info = NULL;
            problem = got ? judge_bar(&check->bars[e], got, &info)
                          : format_string("the check ended before it measured %s", check->bars[e].name);
            if (info) {
                char *joined = result->info ? format_string("%s; %s", result->info, info) : format_string("%s", info);
                free(result->info);
                free(info);
                result->info = joined;
            }
        }
        for (int p = 0; p < bar_count; p++)
            free(bars[p].name), free(bars[p].note);
        for (int p = 0; p < gradient_count; p++) {
            free(gradients[p].name);
            free(gradients[p].analytic);
            free(gradients[p].numeric);
        }
        free(bars);
        free(gradients);
        if (problem == NULL) {
            result->verdict = VERDICT_PASS;
            result->points = check->points;
        } else {
            result->message = problem;
        }
        for (int p = 0; p < produced_count; p++) {
            free(produced[p].name);
            free(produced[p].values);
        }
        free(produced);
        free(text);
    }
    /* a check that ran long, or may (training), says how long it took and how long it could have */
    double ran = have_status ? status.seconds : -1;
    if ((result->verdict == VERDICT_PASS || result->verdict == VERDICT_FAIL) && ran >= 0 &&
        (check->timeout >= LONG_CHECK_SECONDS || ran >= 1.0)) {
        char *took = format_string("took %.1f s of the %g s allowed", ran, check->timeout);
        char *joined = result->info ? format_string("%s; %s", result->info, took) : format_string("%s", took);
        free(result->info);
        free(took);
        result->info = joined;
    }
    /* on a wrong answer, show the inputs it was given */
    if (result->verdict == VERDICT_FAIL && check->input_count > 0 && !check->hidden) {
        for (int i = 0; i < check->input_count; i++) {
            char *input = input_text(&check->inputs[i]);
            char *more = format_string("%s\n  input: %s", result->message, input);
            free(result->message);
            free(input);
            result->message = more;
        }
    }
    free(log);
    free(log_path);
    free(out_path);
}
