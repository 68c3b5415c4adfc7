/* report.c: verdicts of whole chapters, the printed report and the results file. */
#define _GNU_SOURCE
#include "grade.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Can other chapters rely on this one? Yes when it passes, or when only its memory check was skipped
 * (grade --no-memcheck). */
static int passes_for_others(const ChapterResult *r)
{
    if (r->passed)
        return 1;
    if (!r->compiled || r->memory.verdict != VERDICT_SKIPPED)
        return 0;
    for (int i = 0; i < r->check_count; i++)
        if (r->checks[i].verdict != VERDICT_PASS)
            return 0;
    return 1;
}

void apply_blocking(const Course *course, ChapterResult **results, ChapterResult *result)
{
    for (int i = 0; i < result->check_count; i++) {
        CheckResult *check = &result->checks[i];
        const FixtureCheck *spec = &result->fixture->checks[i];
        if (check->verdict == VERDICT_PASS)
            continue;
        for (int k = 0; k < spec->need_count; k++) {
            const Chapter *need = course_find(course, spec->needs[k]);
            const ChapterResult *r = need ? results[need->index] : NULL;
            if (r == NULL || !passes_for_others(r)) {
                check->verdict = VERDICT_BLOCKED;
                check->blocked_by = spec->needs[k];
                check->points = 0;
                break;
            }
        }
    }
}

void finish_chapter(ChapterResult *result)
{
    result->points = 0;
    int all = result->compiled;
    for (int i = 0; i < result->check_count; i++) {
        result->points += result->checks[i].points;
        all &= result->checks[i].verdict == VERDICT_PASS;
    }
    if (result->compiled) {
        result->points += result->memory.points;
        all &= result->memory.verdict == VERDICT_PASS;
    }
    result->passed = all;
}

/* ---- printing ---------------------------------------------------------- */

static int use_color;

static const char *paint(const char *code) { return use_color ? code : ""; }
#define GREEN paint("\033[32m")
#define RED paint("\033[31m")
#define YELLOW paint("\033[33m")
#define BOLD paint("\033[1m")
#define DIM paint("\033[2m")
#define RESET paint("\033[0m")

static const char *verdict_word(Verdict v)
{
    switch (v) {
    case VERDICT_PASS: return "pass";
    case VERDICT_FAIL: return "FAIL";
    case VERDICT_TODO: return "todo";
    case VERDICT_BLOCKED: return "blocked";
    case VERDICT_CRASH: return "CRASH";
    case VERDICT_TIMEOUT: return "TIMEOUT";
    case VERDICT_SKIPPED: return "skipped";
    }
    return "?";
}

static const char *verdict_color(Verdict v)
{
    if (v == VERDICT_PASS)
        return GREEN;
    if (v == VERDICT_TODO || v == VERDICT_BLOCKED || v == VERDICT_SKIPPED)
        return YELLOW;
    return RED;
}

/* Prints text with every line indented. */
static void print_indented(const char *text, const char *indent)
{
    const char *line = text;
    while (line && *line) {
        const char *end = strchr(line, '\n');
        int length = end ? (int)(end - line) : (int)strlen(line);
        printf("%s%.*s\n", indent, length, line);
        line = end ? end + 1 : NULL;
    }
}

static int all_todo(const ChapterResult *r)
{
    for (int i = 0; i < r->check_count; i++)
        if (r->checks[i].verdict != VERDICT_TODO && r->checks[i].verdict != VERDICT_BLOCKED)
            return 0;
    return r->compiled;
}

/* One word for the state of a chapter. */
static const char *chapter_state(const ChapterResult *r)
{
    if (r->passed)
        return "passed";
    if (!r->compiled)
        return r->blocked_by ? "blocked" : "does not compile";
    if (all_todo(r))
        return "not started";
    return "in progress";
}

/* The first thing the learner should look at in a chapter that does not pass. */
static char *first_problem(const ChapterResult *r)
{
    if (!r->compiled) {
        if (r->blocked_by)
            return format_string("blocked by %s: its code does not compile yet", r->blocked_by);
        return format_string("does not compile: %.*s", (int)strcspn(r->compile_errors ? r->compile_errors : "", "\n"),
                             r->compile_errors ? r->compile_errors : "");
    }
    const CheckResult *blocked = NULL;
    for (int i = 0; i < r->check_count; i++) {
        const CheckResult *c = &r->checks[i];
        if (c->verdict == VERDICT_BLOCKED) {
            if (!blocked)
                blocked = c;
            continue;
        }
        if (c->verdict == VERDICT_PASS)
            continue;
        const char *message = c->message ? c->message : "";
        int length = (int)strcspn(message, "\n");
        if (c->verdict == VERDICT_TODO)
            return format_string("%.*s", length, message);
        return format_string("%s: %.*s", c->title, length, message);
    }
    if (r->memory.verdict != VERDICT_PASS && r->memory.message) {
        const char *m = r->memory.message;
        const char *second = strchr(m, '\n');
        if (second)
            return format_string("memory: %.*s", (int)strcspn(second + 3, "\n"), second + 3);
        return format_string("memory: %s", m);
    }
    if (blocked)
        return format_string("%s: blocked by %s", blocked->title, blocked->blocked_by);
    return format_string("%s", "");
}

/* The commands that run one failed check again, alone or under gdb, for the learner's own code (lessons/). */
static void print_rerun(const Chapter *chapter, const CheckResult *c, const char *from)
{
    if (strcmp(from, "lessons") != 0 || strncmp(c->id, "hidden-", 7) == 0 || strcmp(c->id, "memory") == 0)
        return;
    if (c->verdict != VERDICT_FAIL && c->verdict != VERDICT_CRASH && c->verdict != VERDICT_TIMEOUT)
        return;
    printf("          this check alone: make grade CH=%s ONLY=%s; under gdb: make debug CH=%s ONLY=%s\n", chapter->id,
           c->id, chapter->id, c->id);
}

static void print_check_line(const CheckResult *c)
{
    printf("  %s%-7s%s %-66s %2d/%d\n", verdict_color(c->verdict), verdict_word(c->verdict), RESET, c->title,
           c->points, c->max_points);
    if (c->info)
        printf("          %s\n", c->info);
    if (c->verdict == VERDICT_PASS)
        return;
    if (c->verdict == VERDICT_BLOCKED) {
        printf("          blocked by %s: this check calls your functions from chapter %s; make that chapter "
               "pass first\n", c->blocked_by, c->blocked_by);
        return;
    }
    if (c->message)
        print_indented(c->message, "          ");
    /* a diagnosis of this very result (in the message) replaces the check's fixed hint, which is a general one */
    if (c->verdict != VERDICT_TODO && c->verdict != VERDICT_SKIPPED && c->hint &&
        !(c->message && strstr(c->message, DIAGNOSIS_PREFIX)))
        printf("          %shint%s (general, for this check): %s\n", BOLD, RESET, c->hint);
    if (c->verdict != VERDICT_TODO && c->printed) {
        printf("          your code printed:\n");
        print_indented(c->printed, "            | ");
    }
}

static void print_chapter_detail(const ChapterResult *r, const char *from)
{
    const Chapter *ch = r->chapter;
    printf("%s%s  %s%s  (lessons/%s)\n", BOLD, ch->id, ch->title, RESET, ch->folder);
    if (!r->compiled) {
        if (r->blocked_by)
            printf("  %sblocked%s by %s: this chapter links your code from chapter %s, which does not compile:\n",
                   YELLOW, RESET, r->blocked_by, r->blocked_by);
        else
            printf("  %sdoes not compile%s: the compiler says\n", RED, RESET);
        print_indented(r->compile_errors ? r->compile_errors : "", "    ");
        printf("  %d/%d\n", r->points, r->max_points);
        return;
    }
    if (r->reused)
        printf("  %sunchanged%s since it passed (its code, the kit and the settings): not graded again; "
               "build/grader/grade --fresh %s grades it anyway\n", DIM, RESET, ch->id);
    if (r->compile_warnings) {
        printf("  %sthe compiler warns%s about your code (%d warning%s; a warning is often the bug):\n", YELLOW, RESET,
               r->warning_count, r->warning_count == 1 ? "" : "s");
        print_indented(r->compile_warnings, "    ");
    }
    for (int i = 0; i < r->check_count; i++) {
        print_check_line(&r->checks[i]);
        print_rerun(r->chapter, &r->checks[i], from);
    }
    print_check_line(&r->memory);
    printf("  %s%d/%d%s  %s  %s(graded in %.1f s)%s\n", BOLD, r->points, r->max_points, RESET, chapter_state(r),
           DIM, r->seconds, RESET);
}

/* What a learner should do next in a chapter that does not pass: fix the first check that fails (a wrong answer
 * comes before new work), else write the first function whose check is still a stub. The pointer to the detailed
 * report is left out when it is the report being printed. */
static char *next_step(const ChapterResult *r, const char *from, int detailed)
{
    int failing = 0;
    for (int i = 0; i < r->check_count; i++) {
        Verdict v = r->checks[i].verdict;
        failing |= v != VERDICT_PASS && v != VERDICT_TODO && v != VERDICT_BLOCKED && v != VERDICT_SKIPPED;
    }
    for (int i = 0; i < r->check_count && !failing; i++) {
        const CheckResult *c = &r->checks[i];
        if (c->verdict == VERDICT_TODO && c->stub_function)
            return format_string("%s: %s %s() in %s/%s/exercise.c", r->chapter->id,
                                 all_todo(r) ? "start with" : "write", c->stub_function, from, r->chapter->folder);
    }
    /* nothing fails and nothing is left to write, yet the chapter does not pass: checks were not run */
    int skipped = r->memory.verdict == VERDICT_SKIPPED;
    const char *why = skipped ? r->memory.message : NULL;
    for (int i = 0; i < r->check_count; i++)
        if (r->checks[i].verdict == VERDICT_SKIPPED) {
            skipped++;
            why = why ? why : r->checks[i].message;
        }
    if (!failing && skipped)
        return format_string("%s: the checks that ran pass; %d %s %s, so grade it without that option to finish it",
                             r->chapter->id, skipped, skipped == 1 ? "was" : "were", why ? why : "skipped");
    if (detailed)
        return format_string("%s: fix what the report shows in %s/%s/exercise.c", r->chapter->id, from,
                             r->chapter->folder);
    return format_string("%s: fix what the report shows in %s/%s/exercise.c (details: make grade CH=%s)",
                         r->chapter->id, from, r->chapter->folder, r->chapter->id);
}

/* The next step when every chapter graded passes: in a report of named chapters, the written chapter after the
 * last of them (or the whole course); in the whole course's report, what is left. */
static char *next_when_passing(const Report *report, int coming)
{
    const Course *course = report->course;
    if (report->detailed) {
        int last = -1;
        for (int i = 0; i < course->count; i++)
            if (report->graded[i])
                last = i;
        for (int i = last + 1; i < course->count; i++)
            if (course->chapters[i].written && !course->chapters[i].is_intro)
                return format_string("chapter %s, %s (lessons/%s/README.md, then make grade CH=%s)",
                                     course->chapters[i].id, course->chapters[i].title, course->chapters[i].folder,
                                     course->chapters[i].id);
        return format_string("%s", "make grade, to grade the whole course");
    }
    return format_string("%s", coming ? "every written chapter passes; more chapters are coming"
                                      : "the whole course passes");
}

void summarize(Report *report)
{
    Summary *s = &report->summary;
    *s = (Summary){0};
    const ChapterResult *first_failing = NULL;
    for (int i = 0; i < report->course->count; i++) {
        const Chapter *ch = &report->course->chapters[i];
        const ChapterResult *r = report->results[i];
        if (ch->is_intro)
            continue;
        if (!ch->written) {
            s->coming++;
            continue;
        }
        if (!report->graded[i] || r == NULL)
            continue;
        s->graded++;
        s->points += r->points;
        s->max_points += r->max_points;
        s->passed += r->passed;
        if (!r->passed && first_failing == NULL)
            first_failing = r;
    }
    s->all_passed = s->passed == s->graded;
    s->next = first_failing ? next_step(first_failing, report->from, report->detailed)
                            : next_when_passing(report, s->coming);
}

int print_report(const Report *report)
{
    use_color = report->color;
    const Course *course = report->course;
    const Summary *summary = &report->summary;
    printf("%sLearn Deep Learning with C%s: grading the code in %s/\n", BOLD, RESET, report->from);
    int uses_data = 0;
    for (int i = 0; i < course->count; i++)
        uses_data |= report->results[i] && report->results[i]->uses_data;
    if (uses_data && report->dataset_name)
        printf("Data set: %s, from %s\n", report->dataset_name, report->dataset_dir);
    else if (uses_data)
        printf("Data set: none found: %s\n", report->dataset_problem ? report->dataset_problem : "");
    if (report->sandbox && (report->detailed || report->hidden))
        printf("Sandbox: %s\n", report->sandbox);
    printf("\n");
    for (int i = 0; i < course->count; i++) {
        const Chapter *ch = &course->chapters[i];
        const ChapterResult *r = report->results[i];
        if (ch->is_intro)
            continue;
        if (!ch->written) {
            if (!report->detailed)
                printf("  %-4s %-52s %7s  %s%s%s\n", ch->id, ch->title, "", DIM, "coming", RESET);
            continue;
        }
        if (!report->graded[i] || r == NULL)
            continue;
        if (report->detailed) {
            print_chapter_detail(r, report->from);
            printf("\n");
            continue;
        }
        const char *state = chapter_state(r);
        char score[32];
        snprintf(score, sizeof score, "%d/%d", r->points, r->max_points);
        printf("  %-4s %-52s %7s  %s%s%s\n", ch->id, ch->title, score,
               r->passed ? GREEN : (strcmp(state, "not started") == 0 ? YELLOW : RED), state, RESET);
        if (!r->passed) {
            char *problem = first_problem(r);
            printf("       %s\n", problem);
            free(problem);
        }
    }
    if (report->detailed) {
        /* chapters graded only because a named chapter links them */
        for (int i = 0; i < course->count; i++) {
            const ChapterResult *r = report->results[i];
            if (r && !report->graded[i] && r->trusted)
                printf("  (chapter %s, whose code this links, is the reference, taken as passing without grading it: "
                       "--trust-links)\n", r->chapter->id);
            else if (r && !report->graded[i] && r->reused)
                printf("  (chapter %s, whose code this links, has not changed since its checks passed: %d/%d, not "
                       "graded again)\n", r->chapter->id, r->points, r->max_points);
            else if (r && !report->graded[i])
                printf("  (chapter %s, whose code this links, was graded too: %d/%d, %s)\n", r->chapter->id,
                       r->points, r->max_points, chapter_state(r));
        }
    } else {
        printf("\n");
    }
    char coming_text[32] = "";
    if (summary->coming && !report->detailed)
        snprintf(coming_text, sizeof coming_text, " (%d coming)", summary->coming);
    if (report->html_path)
        printf("The same report with pictures: %s\n", report->html_path);
    if (!report->hidden)
        printf("Hidden cases: not run here; CI grading runs them too (make grade SUBMISSION=...).\n");
    printf("%sScore %d/%d%s · chapters passed %d/%d%s · next: %s\n", BOLD, summary->points, summary->max_points,
           RESET, summary->passed, summary->graded, coming_text, summary->next);
    return summary->all_passed;
}

/* Tab-separated results, one row per check: chapter, check, verdict, points, max points, first line of message. */
void write_results(const Report *report, const char *path)
{
    char *temporary = format_string("%s.partial", path);
    FILE *f = fopen(temporary, "w");
    if (f == NULL)
        die("cannot write %s", temporary);
    fprintf(f, "chapter\tcheck\tverdict\tpoints\tmax_points\tmessage\n");
    for (int i = 0; i < report->course->count; i++) {
        const ChapterResult *r = report->results[i];
        if (r == NULL)
            continue;
        if (!r->compiled) {
            fprintf(f, "%s\tbuild\t%s\t0\t%d\t%.*s\n", r->chapter->id, r->blocked_by ? "blocked" : "compile-error",
                    r->max_points, (int)strcspn(r->compile_errors ? r->compile_errors : "", "\n"),
                    r->compile_errors ? r->compile_errors : "");
            continue;
        }
        for (int k = 0; k <= r->check_count; k++) {
            const CheckResult *c = k < r->check_count ? &r->checks[k] : &r->memory;
            const char *message = c->message ? c->message : c->info ? c->info : "";
            fprintf(f, "%s\t%s\t%s\t%d\t%d\t%.*s\n", r->chapter->id, c->id, verdict_word(c->verdict), c->points,
                    c->max_points, (int)strcspn(message, "\n\t"), message);
        }
    }
    if (fclose(f) != 0 || rename(temporary, path) != 0)
        die("cannot write %s", path);
    free(temporary);
}

/* ---- machine-readable results for CI systems and grading services ------ */

/* Calls visit for every check of every graded chapter, the memory check included, and once for a chapter
 * that does not compile (with check NULL). */
typedef void (*CheckVisitor)(const ChapterResult *r, const CheckResult *check, void *context);

static void visit_checks(const Report *report, CheckVisitor visit, void *context)
{
    for (int i = 0; i < report->course->count; i++) {
        const ChapterResult *r = report->results[i];
        if (r == NULL || !report->graded[i])
            continue;
        if (!r->compiled) {
            visit(r, NULL, context);
            continue;
        }
        for (int k = 0; k <= r->check_count; k++)
            visit(r, k < r->check_count ? &r->checks[k] : &r->memory, context);
    }
}

/* Writes text with XML's five special characters escaped, and control characters dropped. */
static void put_xml(FILE *f, const char *text)
{
    for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default:
            if (*p >= 0x20 || *p == '\n' || *p == '\t')
                fputc(*p, f);
        }
    }
}

/* Writes a JSON string (with its quotes). */
static void put_json(FILE *f, const char *text)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\t')
            fputs("\\t", f);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

/* What a check's report says, as plain text: verdict, message, hint, figures. */
static char *check_text(const ChapterResult *r, const CheckResult *c)
{
    if (c == NULL)
        return format_string("%s: %s", r->blocked_by ? "blocked" : "does not compile",
                             r->compile_errors ? r->compile_errors : "");
    char *text = c->verdict == VERDICT_BLOCKED
                     ? format_string("blocked by %s: this check calls your functions from chapter %s, which does "
                                     "not pass yet", c->blocked_by, c->blocked_by)
                 : c->message ? format_string("%s: %s", verdict_word(c->verdict), c->message)
                              : format_string("%s", verdict_word(c->verdict));
    if (c->info) {
        char *more = format_string("%s\n%s", text, c->info);
        free(text);
        text = more;
    }
    if (c->verdict != VERDICT_PASS && c->verdict != VERDICT_TODO && c->verdict != VERDICT_SKIPPED && c->hint &&
        !(c->message && strstr(c->message, DIAGNOSIS_PREFIX))) {
        char *more = format_string("%s\nhint (general, for this check): %s", text, c->hint);
        free(text);
        text = more;
    }
    return text;
}

typedef struct {
    FILE *f;
    const ChapterResult *chapter;
    int first;
} WriterState;

static void junit_case(const ChapterResult *r, const CheckResult *c, void *context)
{
    WriterState *s = context;
    if (s->chapter != r) {
        if (s->chapter)
            fputs("  </testsuite>\n", s->f);
        int tests = r->compiled ? r->check_count + 1 : 1, failures = 0, errors = 0;
        for (int k = 0; r->compiled && k <= r->check_count; k++) {
            Verdict v = k < r->check_count ? r->checks[k].verdict : r->memory.verdict;
            failures += v == VERDICT_FAIL || v == VERDICT_TODO || v == VERDICT_BLOCKED || v == VERDICT_SKIPPED;
            errors += v == VERDICT_CRASH || v == VERDICT_TIMEOUT;
        }
        errors += !r->compiled;
        fprintf(s->f, "  <testsuite name=\"");
        put_xml(s->f, r->chapter->id);
        fputc(' ', s->f);
        put_xml(s->f, r->chapter->title);
        fprintf(s->f, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"%.3f\">\n", tests, failures, errors,
                r->seconds);
        s->chapter = r;
    }
    fprintf(s->f, "    <testcase classname=\"chapter %s\" name=\"", r->chapter->id);
    put_xml(s->f, c ? c->title : "build");
    fputs("\"", s->f);
    if (c && c->verdict == VERDICT_PASS) {
        fputs("/>\n", s->f);
        return;
    }
    char *text = check_text(r, c);
    const char *element = (c == NULL || c->verdict == VERDICT_CRASH || c->verdict == VERDICT_TIMEOUT) ? "error"
                                                                                                        : "failure";
    fprintf(s->f, ">\n      <%s type=\"%s\" message=\"", element, c ? verdict_word(c->verdict) : "compile");
    put_xml(s->f, strtok(format_string("%s", text), "\n"));
    fputs("\">", s->f);
    put_xml(s->f, text);
    fprintf(s->f, "</%s>\n    </testcase>\n", element);
    free(text);
}

void write_junit(const Report *report, const char *path)
{
    char *temporary = format_string("%s.partial", path);
    FILE *f = fopen(temporary, "w");
    if (f == NULL)
        die("cannot write %s", temporary);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"Learn Deep Learning with C\">\n", f);
    WriterState state = {f, NULL, 1};
    visit_checks(report, junit_case, &state);
    if (state.chapter)
        fputs("  </testsuite>\n", f);
    fputs("</testsuites>\n", f);
    if (fclose(f) != 0 || rename(temporary, path) != 0)
        die("cannot write %s", path);
    free(temporary);
}

static void gradescope_test(const ChapterResult *r, const CheckResult *c, void *context)
{
    WriterState *s = context;
    fputs(s->first ? "\n" : ",\n", s->f);
    s->first = 0;
    char *name = format_string("%s %s", r->chapter->id, c ? c->title : "build");
    int hidden = c && strncmp(c->id, "hidden-", 7) == 0;
    fputs("    {\"name\": ", s->f);
    put_json(s->f, name);
    fprintf(s->f, ", \"score\": %d, \"max_score\": %d, \"status\": \"%s\", \"output\": ", c ? c->points : 0,
            c ? c->max_points : r->max_points, c && c->verdict == VERDICT_PASS ? "passed" : "failed");
    char *text = check_text(r, c);
    put_json(s->f, text);
    fprintf(s->f, ", \"visibility\": \"%s\"}", hidden ? "after_published" : "visible");
    free(text);
    free(name);
}

void write_gradescope(const Report *report, const char *path, double seconds)
{
    char *temporary = format_string("%s.partial", path);
    FILE *f = fopen(temporary, "w");
    if (f == NULL)
        die("cannot write %s", temporary);
    int points = report->summary.points, max_points = report->summary.max_points;
    fprintf(f, "{\n  \"score\": %d,\n  \"max_score\": %d,\n  \"execution_time\": %.0f,\n  \"output\": ", points,
            max_points, seconds);
    char *summary = format_string("Learn Deep Learning with C: %d/%d%s%s%s%s", points, max_points,
                                  report->dataset_name ? "; data set: " : "",
                                  report->dataset_name ? report->dataset_name : "",
                                  report->sandbox ? "\nSandbox: " : "", report->sandbox ? report->sandbox : "");
    put_json(f, summary);
    free(summary);
    fputs(",\n  \"tests\": [", f);
    WriterState state = {f, NULL, 1};
    visit_checks(report, gradescope_test, &state);
    fputs("\n  ]\n}\n", f);
    if (fclose(f) != 0 || rename(temporary, path) != 0)
        die("cannot write %s", path);
    free(temporary);
}

/* ---- the HTML report ---------------------------------------------------- */

static void put_base64(FILE *f, const unsigned char *data, size_t size)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < size; i += 3) {
        unsigned v = (unsigned)data[i] << 16 | (i + 1 < size ? (unsigned)data[i + 1] << 8 : 0) |
                     (i + 2 < size ? data[i + 2] : 0);
        fputc(alphabet[v >> 18 & 63], f);
        fputc(alphabet[v >> 12 & 63], f);
        fputc(i + 1 < size ? alphabet[v >> 6 & 63] : '=', f);
        fputc(i + 2 < size ? alphabet[v & 63] : '=', f);
    }
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Embeds the pictures the demos of the chapters shown wrote (build/pictures/<chapter>-*.png, shown[chapter index]
 * set) into the page, so that it stands alone. */
static void put_pictures(FILE *f, const Course *course, const int *shown)
{
    DIR *folder = opendir("build/pictures");
    char *names[256];
    int count = 0;
    for (struct dirent *e; folder && (e = readdir(folder)) != NULL && count < 256;) {
        size_t n = strlen(e->d_name);
        if (n <= 4 || strcmp(e->d_name + n - 4, ".png") != 0)
            continue;
        int ours = 0;
        for (int i = 0; i < course->count && !ours; i++) {
            size_t id = strlen(course->chapters[i].id);
            ours = shown[i] && strncmp(e->d_name, course->chapters[i].id, id) == 0 && e->d_name[id] == '-';
        }
        if (ours)
            names[count++] = format_string("%s", e->d_name);
    }
    if (folder)
        closedir(folder);
    if (count == 0) {
        fputs("<p class=\"quiet\">No pictures of these chapters yet: their demos draw them (for example "
              "<code>make run CH=2.2</code>).</p>\n", f);
        return;
    }
    qsort(names, (size_t)count, sizeof *names, compare_names);
    fputs("<div class=\"pictures\">\n", f);
    for (int i = 0; i < count; i++) {
        char *path = format_string("build/pictures/%s", names[i]);
        FILE *png = fopen(path, "rb");
        if (png != NULL) {
            unsigned char *data = allocate(8 << 20);
            size_t size = fread(data, 1, 8 << 20, png);
            fclose(png);
            fputs("<figure><img alt=\"", f);
            put_xml(f, names[i]);
            fputs("\" src=\"data:image/png;base64,", f);
            put_base64(f, data, size);
            fputs("\"><figcaption>", f);
            put_xml(f, names[i]);
            fputs(" (drawn by the chapter's demo, <code>make run</code>)</figcaption></figure>\n", f);
            free(data);
        }
        free(path);
        free(names[i]);
    }
    fputs("</div>\n", f);
}

/* One chapter's row of the chapters' table. */
static void put_chapter_row(FILE *f, const ChapterResult *r)
{
    const char *state = chapter_state(r);
    int percent = r->max_points ? 100 * r->points / r->max_points : 0;
    fprintf(f, "<tr><td>%s</td><td>", r->chapter->id);
    put_xml(f, r->chapter->title);
    fprintf(f, "</td><td><span class=\"bar\"><span style=\"width:%d%%\"></span></span> %d/%d</td>"
               "<td class=\"%s\">%s", percent, r->points, r->max_points,
            r->passed ? "pass" : strcmp(state, "not started") == 0 ? "todo" : "fail", state);
    if (!r->passed) {
        char *problem = first_problem(r);
        fputs("<pre>", f);
        put_xml(f, problem);
        fputs("</pre>", f);
        free(problem);
    }
    fputs("</td></tr>\n", f);
}

/* One chapter's rows of the table of every check: title, what went wrong and the hint, verdict, points. */
static void put_check_rows(FILE *f, const ChapterResult *r)
{
    for (int k = 0; r->compiled && k <= r->check_count; k++) {
        const CheckResult *c = k < r->check_count ? &r->checks[k] : &r->memory;
        fprintf(f, "<tr><td>%s</td><td>", r->chapter->id);
        put_xml(f, c->title);
        if (c->info || (c->verdict != VERDICT_PASS && c->message)) {
            fputs("<pre>", f);
            put_xml(f, c->verdict != VERDICT_PASS && c->message ? c->message : c->info);
            fputs("</pre>", f);
        }
        if (c->verdict != VERDICT_PASS && c->verdict != VERDICT_TODO && c->verdict != VERDICT_SKIPPED && c->hint &&
            !(c->message && strstr(c->message, DIAGNOSIS_PREFIX))) {
            fputs("<pre>hint (general, for this check): ", f);
            put_xml(f, c->hint);
            fputs("</pre>", f);
        }
        fprintf(f, "</td><td class=\"%s\">%s</td><td>%d/%d</td></tr>\n",
                c->verdict == VERDICT_PASS ? "pass" : c->verdict == VERDICT_TODO ? "todo" : "fail",
                verdict_word(c->verdict), c->points, c->max_points);
    }
}

/* Copies the file at path into f; 0 when there is none. */
static int put_file(FILE *f, const char *path)
{
    char *text = read_file(path, 16 << 20);
    if (text == NULL)
        return 0;
    fputs(text, f);
    free(text);
    return 1;
}

/*
 * The HTML report of the whole course, kept up to date chapter by chapter: each chapter graded now leaves its rows
 * in <folder of path>/chapters/<id>.{row,checks,points} (written whole, then renamed), and the page is made from the
 * rows of every chapter graded so far, this time or before, so that make grade CH=3.2 updates chapter 3.2 (and the
 * chapters it links) without losing the others. Chapters never graded read "not graded".
 */
void write_html(const Report *report, const char *path)
{
    char *folder = format_string("%s", path);
    char *slash = strrchr(folder, '/');
    if (slash)
        *slash = '\0';
    else
        strcpy(folder, ".");
    char *rows_dir = format_string("%s/chapters", folder);
    make_dirs(rows_dir);
    const Course *course = report->course;
    for (int i = 0; i < course->count; i++) {
        const ChapterResult *r = report->results[i];
        if (r == NULL || !report->graded[i])
            continue;
        const char *parts[] = {"row", "checks", "points"};
        for (int p = 0; p < 3; p++) {
            char *name = format_string("%s/%s.%s", rows_dir, r->chapter->id, parts[p]);
            char *partial = format_string("%s.partial", name);
            FILE *out = fopen(partial, "w");
            if (out == NULL)
                die("cannot write %s", partial);
            if (p == 0)
                put_chapter_row(out, r);
            else if (p == 1)
                put_check_rows(out, r);
            else
                fprintf(out, "%d %d %d\n", r->points, r->max_points, r->passed);
            if (fclose(out) != 0 || rename(partial, name) != 0)
                die("cannot write %s", name);
            free(name), free(partial);
        }
    }
    /* the page's totals are those of the whole course as graded so far (this grading's chapters and the rows that
     * earlier ones left), not this grading's summary alone */
    int points = 0, max_points = 0, passed = 0, graded = 0, earlier = 0, shown[MAX_CHAPTERS] = {0};
    for (int i = 0; i < course->count; i++) {
        char *name = format_string("%s/%s.points", rows_dir, course->chapters[i].id);
        char *text = course->chapters[i].written ? read_file(name, 64) : NULL;
        int p, m, ok;
        if (text && sscanf(text, "%d %d %d", &p, &m, &ok) == 3) {
            points += p, max_points += m, passed += ok, graded++, shown[i] = 1;
            earlier += !(report->results[i] && report->graded[i]);
        }
        free(text), free(name);
    }
    char *temporary = format_string("%s.partial", path);
    FILE *f = fopen(temporary, "w");
    if (f == NULL)
        die("cannot write %s", temporary);
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<title>Learn Deep Learning with C: report</title>\n<style>\n"
          "body{font-family:sans-serif;margin:2em auto;max-width:60em;color:#222}\n"
          "table{border-collapse:collapse;width:100%}td,th{padding:.3em .6em;border-bottom:1px solid #ddd;"
          "text-align:left;vertical-align:top}\n"
          ".pass{color:#1a7f37}.fail{color:#c62828}.todo{color:#9a6700}.quiet{color:#777}\n"
          "pre{white-space:pre-wrap;margin:.2em 0;font-size:.85em}\n"
          ".bar{background:#eee;height:.6em;width:10em;display:inline-block}"
          ".bar span{background:#1a7f37;height:100%;display:block}\n"
          ".pictures{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0}img{max-width:28em;border:1px solid #ddd}\n"
          "</style></head><body>\n<h1>Learn Deep Learning with C</h1>\n", f);
    fprintf(f, "<p>The code in <code>");
    put_xml(f, report->from);
    fprintf(f, "/</code>: <strong>%d/%d</strong> points, %d of %d chapters passed.", points, max_points, passed,
            graded);
    if (earlier)
        fprintf(f, " %d of them %s graded by an earlier <code>make grade</code>, as %s was then.", earlier,
                earlier == 1 ? "was" : "were", earlier == 1 ? "its code" : "their code");
    if (report->dataset_name) {
        fputs(" Data set: ", f);
        put_xml(f, report->dataset_name);
        fputs(".", f);
    }
    fputs(report->hidden ? " Hidden cases included." : " Hidden cases: not run here.", f);
    fputs("</p>\n<h2>Chapters</h2>\n<table>\n<tr><th>Chapter</th><th>Title</th><th>Points</th><th>State</th></tr>\n",
          f);
    for (int i = 0; i < course->count; i++) {
        const Chapter *ch = &course->chapters[i];
        if (ch->is_intro)
            continue;
        char *name = format_string("%s/%s.row", rows_dir, ch->id);
        if (!shown[i] || !put_file(f, name)) {
            fprintf(f, "<tr><td>%s</td><td>", ch->id);
            put_xml(f, ch->title);
            fprintf(f, "</td><td></td><td class=\"quiet\">%s</td></tr>\n", ch->written ? "not graded" : "coming");
        }
        free(name);
    }
    fputs("</table>\n<h2>Pictures</h2>\n", f);
    put_pictures(f, course, shown);
    fputs("<h2>Every check</h2>\n<table>\n<tr><th>Chapter</th><th>Check</th><th>Verdict</th><th>Points</th></tr>\n", f);
    for (int i = 0; i < course->count; i++) {
        char *name = format_string("%s/%s.checks", rows_dir, course->chapters[i].id);
        if (shown[i])
            put_file(f, name);
        free(name);
    }
    fputs("</table>\n</body></html>\n", f);
    if (fclose(f) != 0 || rename(temporary, path) != 0)
        die("cannot write %s", path);
    free(temporary), free(rows_dir), free(folder);
}
