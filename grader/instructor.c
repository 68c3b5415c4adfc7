/* instructor.c: the grade tool's checks of the kit itself: lesson texts against their demos,
 * and known-buggy variants (mutants) of the reference solutions. */
#define _GNU_SOURCE
#include "grade.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- lesson texts ------------------------------------------------------ */

/* Is s (at a unit's start) one of the units of measured time or speed, ending at a word boundary? */
static size_t measured_unit_length(const char *s)
{
    static const char *units[] = {"GFLOP/s", "ms", "us", "s", "x"};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t n = strlen(units[i]);
        if (strncmp(s, units[i], n) == 0 && !isalnum((unsigned char)s[n]))
            return n;
    }
    return 0;
}

/* Replaces each number that measures time or speed ("0.84 s", "12.5 GFLOP/s", "85x") by '#', and the
 * report's "Data set:" line and the folder of a demo's "data set: NAME, from FOLDER" (the name still counts):
 * those differ from run to run or machine to machine; everything else a demo prints must match exactly. The
 * spaces before such a number become one, since a table pads a column of times to the width of each time
 * ("  9.9 ms" and " 16.9 ms" both give " # ms"). */
char *mask_measurements(const char *line)
{
    /* which data set a report used depends on the machine (MNIST where it could be downloaded) */
    if (strncmp(line, "Data set: ", 10) == 0)
        return format_string("%s", "Data set: #");
    /* a demo's "data set: MNIST, from <folder>": the data set is the lesson's, the folder the machine's */
    const char *from = strstr(line, ", from ");
    if (strncmp(line, "data set: ", 10) == 0 && from != NULL)
        return format_string("%.*s, from #", (int)(from - line), line);
    char *out = allocate(strlen(line) + 1);
    size_t o = 0;
    for (size_t i = 0; line[i];) {
        int starts_number = isdigit((unsigned char)line[i]) &&
                            (i == 0 || (!isalnum((unsigned char)line[i - 1]) && line[i - 1] != '.'));
        if (starts_number) {
            size_t j = i;
            while (isdigit((unsigned char)line[j]) || line[j] == '.')
                j++;
            size_t k = j + (line[j] == ' ');
            size_t unit = measured_unit_length(line + k);
            if (unit > 0) {
                while (o > 1 && out[o - 1] == ' ' && out[o - 2] == ' ')
                    o--; /* a run of spaces before it becomes one */
                out[o++] = '#';
                i = j;
                continue;
            }
            memcpy(out + o, line + i, j - i);
            o += j - i;
            i = j;
            continue;
        }
        out[o++] = line[i++];
    }
    out[o] = '\0';
    return out;
}

/* Splits text into lines (in place); returns the count. */
static int split_lines(char *text, char ***lines)
{
    int count = 0, capacity = 64;
    *lines = allocate((size_t)capacity * sizeof **lines);
    char *cursor = text;
    while (*cursor) {
        if (count == capacity) {
            capacity *= 2;
            *lines = realloc(*lines, (size_t)capacity * sizeof **lines);
            if (*lines == NULL)
                die("out of memory");
        }
        (*lines)[count++] = cursor;
        char *end = strchr(cursor, '\n');
        if (end == NULL)
            break;
        *end = '\0';
        cursor = end + 1;
    }
    return count;
}

static int lines_match(const char *a, const char *b)
{
    char *ma = mask_measurements(a), *mb = mask_measurements(b);
    int same = strcmp(ma, mb) == 0;
    free(ma);
    free(mb);
    return same;
}

/* Checks the front-matter block the course's lesson texts open with. */
static int check_front_matter(const Chapter *chapter, const char *path, char **lines, int count)
{
    const char *part = chapter->is_intro ? "0" : chapter->id;
    char *title = format_string("title = \"Learn Deep Learning with C, Part %s: %s\"", part, chapter->title);
    int ok = count >= 5 && strcmp(lines[0], "+++") == 0 && strcmp(lines[1], title) == 0 &&
             strcmp(lines[2], "author = \"Artintellica\"") == 0 && strncmp(lines[3], "date = \"", 8) == 0 &&
             strlen(lines[3]) == 19 && strcmp(lines[4], "+++") == 0;
    if (!ok)
        printf("%s: must open with the front-matter block:\n+++\n%s\nauthor = \"Artintellica\"\n"
               "date = \"YYYY-MM-DD\"\n+++\n",
               path, title);
    free(title);
    return ok;
}

/* The lines of one program's output, and how far the lesson's blocks have matched them. */
typedef struct {
    const char *what; /* "the demo", "the demo on Fashion-MNIST" */
    char **lines;
    int count, position, present;
} DemoLines;

/* Finds the block (length lines from block) in the demo's lines after the previous block's; advances past it and
 * returns 1, or prints where it differs (path:line) and returns 0. */
static int match_block(const char *path, char **block, int block_line, int length, DemoLines *demo)
{
    int found = -1;
    for (int p = demo->position; p + length <= demo->count && found < 0; p++) {
        int k = 0;
        while (k < length && lines_match(block[k], demo->lines[p + k]))
            k++;
        if (k == length)
            found = p;
    }
    if (found >= 0) {
        demo->position = found + length;
        return 1;
    }
    /* say where it differs from the best partial match */
    int best = -1, best_k = -1;
    for (int p = demo->position; p < demo->count; p++) {
        int k = 0;
        while (k < length && p + k < demo->count && lines_match(block[k], demo->lines[p + k]))
            k++;
        if (k > best_k)
            best_k = k, best = p;
    }
    if (!demo->present)
        printf("%s:%d: an output block, but this chapter has no demo to print it\n", path, block_line);
    else if (best < 0 || best_k == 0)
        printf("%s:%d: this output block is not what %s prints (its first line, '%s', is not among its lines "
               "after the previous block)\n", path, block_line + 1, demo->what, block[0]);
    else
        printf("%s:%d: this line of an output block is not what %s prints:\n  lesson: %s\n  demo:   %s\n", path,
               block_line + 1 + best_k, demo->what, block[best_k],
               best + best_k < demo->count ? demo->lines[best + best_k] : "(its output ends here)");
    return 0;
}

/* The mark of a paragraph whose figures come from somewhere other than the lesson's output blocks (a study over
 * many seeds, a measurement of another program): "<!-- not from the output: where they come from -->". */
#define NOT_FROM_OUTPUT "<!-- not from the output:"

/* The length of the number that starts at s[i] (digits and dots, a dot not last), or 0 when s[i] does not start
 * one: a digit not preceded by a letter, a digit, a dot or a minus sign in a word ("x2", "1e-3", "v1.2"). */
static size_t number_at(const char *s, size_t i)
{
    if (!isdigit((unsigned char)s[i]) ||
        (i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '.' || s[i - 1] == '_' ||
                   (s[i - 1] == '-' && i > 1 && isalnum((unsigned char)s[i - 2])))))
        return 0;
    size_t j = i;
    while (isdigit((unsigned char)s[j]) || (s[j] == '.' && isdigit((unsigned char)s[j + 1])))
        j++;
    return j - i;
}

/* Is the number (length characters at s) a figure a run prints, that prose would quote from an output block:
 * two or more decimals ("0.6931", "98.08"), a percentage with decimals ("97.5%"), or a ratio with one ("73.5x",
 * "66.9 times")? Integers, "0.1" and chapter numbers ("4.3") are not. A version ("1.2.6") is not a number. */
static int is_quoted_figure(const char *s, size_t length)
{
    const char *dot = memchr(s, '.', length);
    if (dot == NULL || memchr(dot + 1, '.', length - (size_t)(dot + 1 - s)) != NULL)
        return 0;
    size_t decimals = length - (size_t)(dot + 1 - s);
    const char *after = s + length;
    if (decimals >= 2 || *after == '%')
        return 1;
    return (*after == 'x' && !isalnum((unsigned char)after[1])) || strncmp(after, " times", 6) == 0;
}

/* Does text print the figure (a number with decimals), itself or to more decimals that round to it (27.6667 for
 * 27.67)? */
static int text_prints_figure(const char *text, const char *figure)
{
    const char *dot = strchr(figure, '.');
    int decimals = dot ? (int)strlen(dot + 1) : 0;
    for (size_t i = 0; text[i]; i++) {
        size_t length = number_at(text, i);
        if (length == 0)
            continue;
        const char *its_dot = memchr(text + i, '.', length);
        int its_decimals = its_dot ? (int)(length - (size_t)(its_dot + 1 - (text + i))) : 0;
        if (its_decimals >= decimals) {
            char *rounded = format_string("%.*f", decimals, strtod(text + i, NULL));
            int same = strcmp(rounded, figure) == 0;
            free(rounded);
            if (same)
                return 1;
        }
        i += length - 1;
    }
    return 0;
}

/* Removes from text (in place) what is not prose: `code` spans, $$math$$, $math$ and HTML comments. */
static void blank_non_prose(char *text)
{
    const char *pairs[][2] = {{"`", "`"}, {"$$", "$$"}, {"$", "$"}, {"<!--", "-->"}};
    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        char *open;
        while ((open = strstr(text, pairs[k][0])) != NULL) {
            char *close = strstr(open + strlen(pairs[k][0]), pairs[k][1]);
            char *end = close ? close + strlen(pairs[k][1]) : open + strlen(open);
            for (char *c = open; c < end; c++)
                *c = *c == '\n' ? '\n' : ' '; /* the line breaks stay, for the line numbers */
        }
    }
}

/*
 * Checks that every figure the prose quotes (is_quoted_figure) is printed in one of the lesson's output blocks,
 * itself or to more decimals that round to it, so that the prose cannot say 82.44% where the output above it says
 * 82.92%. The output blocks are checked against the demo, so the prose is too. A paragraph marked NOT_FROM_OUTPUT
 * is exempt; code, math and HTML comments are not prose. Returns 1, or prints each figure not found (file:line)
 * and returns 0.
 */
/* Copies line and a line break to *end (which has room for them and a '\0'), and moves *end past them. */
static void append_line(char **end, const char *line)
{
    size_t n = strlen(line);
    memcpy(*end, line, n);
    (*end)[n] = '\n';
    *end += n + 1;
    **end = '\0';
}

static int check_prose_figures(const char *path, char **lines, int count)
{
    /* every output block's lines, joined */
    size_t size = 1;
    for (int i = 0; i < count; i++)
        size += strlen(lines[i]) + 1;
    char *output = allocate(size), *output_end = output;
    output[0] = '\0';
    for (int i = 0, in_output = 0, in_fence = 0; i < count; i++) {
        if (strncmp(lines[i], "```", 3) == 0) {
            in_output = !in_fence && strncmp(lines[i], "```output", 9) == 0;
            in_fence = !in_fence;
            continue;
        }
        if (in_output)
            append_line(&output_end, lines[i]);
    }
    int ok = 1;
    for (int i = 0, in_fence = 0, in_math = 0; i < count; i++) {
        if (strncmp(lines[i], "```", 3) == 0) {
            in_fence = !in_fence;
            continue;
        }
        if (strcmp(lines[i], "$$") == 0) {
            in_math = !in_math;
            continue;
        }
        if (in_fence || in_math || lines[i][0] == '\0')
            continue;
        /* the paragraph that starts here, as one text (inline math may run over a line break): exempt when marked */
        int last = i;
        while (last + 1 < count && lines[last + 1][0] != '\0' && strncmp(lines[last + 1], "```", 3) != 0)
            last++;
        size_t length = 1;
        int exempt = 0;
        for (int k = i; k <= last; k++) {
            length += strlen(lines[k]) + 1;
            exempt |= strstr(lines[k], NOT_FROM_OUTPUT) != NULL;
        }
        char *paragraph = allocate(length), *paragraph_end = paragraph;
        paragraph[0] = '\0';
        for (int k = i; k <= last && !exempt; k++)
            append_line(&paragraph_end, lines[k]);
        blank_non_prose(paragraph);
        for (size_t c = 0, line = (size_t)i + 1; paragraph[c]; c++) {
            line += paragraph[c] == '\n';
            size_t digits = number_at(paragraph, c);
            if (digits == 0 || !is_quoted_figure(paragraph + c, digits))
                continue;
            char *number = format_string("%.*s", (int)digits, paragraph + c);
            if (!text_prints_figure(output, number)) {
                printf("%s:%zu: the prose quotes %s, which no output block of this lesson prints: quote what the "
                       "output shows, or, for a figure from elsewhere, mark its paragraph %s WHERE -->\n",
                       path, line, number, NOT_FROM_OUTPUT);
                ok = 0;
            }
            free(number);
            c += digits - 1;
        }
        free(paragraph);
        i = last;
    }
    free(output);
    return ok;
}

/*
 * Checks one lesson: its front matter, and that every ```output block is, in order, a run of consecutive lines of
 * what the demo printed (demo_output; NULL for a lesson without a demo), and every ```output fashion-mnist block,
 * in order, of what it printed on Fashion-MNIST (fashion_output; NULL where the lesson has no such block).
 * Returns 1 when it holds, else prints what differs (file:line) and returns 0.
 */
int check_lesson_text(const Chapter *chapter, const char *path, char *demo_output, char *fashion_output)
{
    char *text = read_file(path, 0);
    if (text == NULL) {
        printf("%s: missing\n", path);
        return 0;
    }
    char **lines;
    int count = split_lines(text, &lines);
    DemoLines demo = {"the demo", NULL, 0, 0, demo_output != NULL};
    DemoLines fashion = {"the demo on Fashion-MNIST", NULL, 0, 0, fashion_output != NULL};
    demo.count = demo_output ? split_lines(demo_output, &demo.lines) : 0;
    fashion.count = fashion_output ? split_lines(fashion_output, &fashion.lines) : 0;
    int ok = check_front_matter(chapter, path, lines, count);
    int blocks = 0;
    for (int i = 0; i < count && ok; i++) {
        int plain = strcmp(lines[i], "```output") == 0, on_fashion = strcmp(lines[i], "```output fashion-mnist") == 0;
        if (!plain && !on_fashion)
            continue;
        int start = i + 1, end = start;
        while (end < count && strncmp(lines[end], "```", 3) != 0)
            end++;
        if (end == count) {
            printf("%s:%d: the output block is never closed with ```\n", path, i + 1);
            ok = 0;
            break;
        }
        blocks++;
        ok = match_block(path, lines + start, i + 1, end - start, on_fashion ? &fashion : &demo);
        i = end;
    }
    if (ok)
        ok = check_prose_figures(path, lines, count);
    if (ok)
        printf("%s: front matter, %d output block%s and the figures the prose quotes match\n", path, blocks,
               blocks == 1 ? "" : "s");
    free(lines);
    free(demo.lines);
    free(fashion.lines);
    free(text);
    return ok;
}

/* ---- mutants ----------------------------------------------------------- */

/*
 * A mutants file (grader/mutants/<chapter>.txt) holds blocks:
 *   mutant NAME
 *   caught-by CHECK-ID [CHECK-ID...]      (memory is the memory check)
 *   why ONE LINE: the mistake it models
 *   replace
 *   ...exact lines of the reference solution...
 *   with
 *   ...the lines that replace them...
 *   end
 */
typedef struct {
    char *name, *caught_by, *why, *find, *replacement;
} Mutant;

static int read_mutants(const char *path, Mutant **mutants)
{
    char *text = read_file(path, 0);
    if (text == NULL)
        return -1;
    char **lines;
    int count = split_lines(text, &lines), n = 0;
    *mutants = NULL;
    for (int i = 0; i < count; i++) {
        if (strncmp(lines[i], "mutant ", 7) != 0)
            continue;
        *mutants = realloc(*mutants, (size_t)(n + 1) * sizeof **mutants);
        if (*mutants == NULL)
            die("out of memory");
        Mutant *m = &(*mutants)[n++];
        memset(m, 0, sizeof *m);
        m->name = format_string("%s", lines[i] + 7);
        char **target = NULL;
        for (i++; i < count && strcmp(lines[i], "end") != 0; i++) {
            if (target == NULL && strncmp(lines[i], "caught-by ", 10) == 0)
                m->caught_by = format_string("%s", lines[i] + 10);
            else if (target == NULL && strncmp(lines[i], "why ", 4) == 0)
                m->why = format_string("%s", lines[i] + 4);
            else if (strcmp(lines[i], "replace") == 0)
                target = &m->find, m->find = format_string("%s", "");
            else if (strcmp(lines[i], "with") == 0)
                target = &m->replacement, m->replacement = format_string("%s", "");
            else if (target != NULL) {
                char *longer = format_string("%s%s\n", *target, lines[i]);
                free(*target);
                *target = longer;
            } else
                die("%s: mutant %s: unexpected line '%s'", path, m->name, lines[i]);
        }
        if (!m->caught_by || !m->why || !m->find || !m->replacement || m->find[0] == '\0')
            die("%s: mutant %s needs caught-by, why, replace, with and end", path, m->name);
    }
    free(lines);
    free(text);
    return n;
}

/* The mutants file of a chapter: grader/mutants/<chapter>.txt, unless another is given (the hostile cases). */
const char *mutants_file;

static char *mutants_path(const Chapter *chapter)
{
    return mutants_file ? format_string("%s", mutants_file) : format_string("grader/mutants/%s.txt", chapter->id);
}

/* Lists a chapter's mutants: one line each, "NAME<TAB>CAUGHT-BY<TAB>WHY". */
int list_mutants(const Chapter *chapter)
{
    char *path = mutants_path(chapter);
    Mutant *mutants;
    int n = read_mutants(path, &mutants);
    if (n < 0)
        die("%s is missing", path);
    for (int i = 0; i < n; i++)
        printf("%s\t%s\t%s\n", mutants[i].name, mutants[i].caught_by, mutants[i].why);
    free(path);
    return 0;
}

/* Writes the reference solution with one mutant applied to out_path; the replaced text must occur exactly once. */
int write_mutant(const Chapter *chapter, const char *name, const char *out_path)
{
    char *path = mutants_path(chapter);
    Mutant *mutants;
    int n = read_mutants(path, &mutants);
    if (n < 0)
        die("%s is missing", path);
    const Mutant *m = NULL;
    for (int i = 0; i < n; i++)
        if (strcmp(mutants[i].name, name) == 0)
            m = &mutants[i];
    if (m == NULL)
        die("%s has no mutant named '%s'", path, name);
    char *solution_path = format_string("solutions/%s/exercise.c", chapter->folder);
    char *solution = read_file(solution_path, 0);
    if (solution == NULL)
        die("cannot read %s", solution_path);
    char *at = strstr(solution, m->find);
    if (at == NULL || strstr(at + 1, m->find) != NULL)
        die("%s: mutant %s: the lines to replace must occur exactly once in %s (found %s)", path, name,
            solution_path, at ? "more than once" : "nowhere");
    FILE *out = fopen(out_path, "w");
    if (out == NULL)
        die("cannot write %s", out_path);
    fprintf(out, "%.*s%s%s", (int)(at - solution), solution, m->replacement, at + strlen(m->find));
    if (fclose(out) != 0)
        die("cannot write %s", out_path);
    free(solution);
    free(solution_path);
    free(path);
    return 0;
}
