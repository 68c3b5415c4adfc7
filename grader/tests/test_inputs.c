/* Unit tests of what the grade tool reads (Criterion): the course map, fixtures, and Valgrind's logs from canned
 * samples, each with the malformed or unexpected inputs it must refuse or survive. */
#include "grade.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A file in a fresh folder of its own, holding text; returns its path. */
static char *file_with(const char *name, const char *text)
{
    char *dir = format_string("%s", "/tmp/kit-inputs-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    char *path = format_string("%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static const char *course_text =
    "# id | folder | state | needs | kinds | title | functions\n"
    "0 | 0-introduction | intro | - | - | Introduction | -\n"
    "1.1 | 1.1-arrays | written | - | numeric memory | Getting Started with Arrays | add_row_vector slice\n"
    "1.2 | 1.2-matrix | written | 1.1 | numeric memory | Matrix Operations | dot_product\n"
    "5.1 | 5.1-later | coming | 1.1 1.2 | - | Later | -\n";

Test(course, the_map_is_read_line_by_line)
{
    Course course;
    course_read(&course, file_with("course.txt", course_text));
    cr_assert_eq(course.count, 4);
    const Chapter *c = course_find(&course, "1.2");
    cr_assert_not_null(c);
    cr_assert_str_eq(c->folder, "1.2-matrix");
    cr_assert(c->written);
    cr_assert_eq(c->need_count, 1);
    cr_assert_str_eq(c->needs[0], "1.1");
    cr_assert_str_eq(course_find(&course, "1.1")->functions, "add_row_vector slice");
    cr_assert(course_intro(&course)->is_intro);
    cr_assert_not(course_find(&course, "5.1")->written);
    cr_assert_null(course_find(&course, "9.9"));
    cr_assert_str_eq(course_written_list(&course), "1.1, 1.2");
}

Test(course, a_line_without_seven_fields_is_refused, .exit_code = 2)
{
    Course course;
    course_read(&course, file_with("course.txt", "1.1 | 1.1-arrays | written | - | numeric | Arrays\n"));
}

Test(course, an_unknown_state_is_refused, .exit_code = 2)
{
    Course course;
    course_read(&course, file_with("course.txt", "1.1 | 1.1-arrays | done | - | numeric | Arrays | f\n"));
}

static const char *fixture_text = "# recorded\nchapter 1.1\nseed 1\n"
                                  "check add-lesson\ntitle the lesson's example\npoints 2\nneeds -\nhint Add it.\n"
                                  "timeout 5\nmemcheck 1\n"
                                  "output add_row_vector(out, X, row)\t2 3 1e-06 1e-05\n1 2 3\n4 5 6\nend\n"
                                  "check add-random\ntitle random\npoints 1\nneeds 1.1\nhint -\ntimeout 5\nmemcheck 0\n"
                                  "end\n";

Test(fixture, a_fixture_is_read_check_by_check)
{
    Fixture *f = fixture_read(file_with("1.1.txt", fixture_text));
    cr_assert_not_null(f);
    cr_assert_str_eq(f->chapter, "1.1");
    cr_assert_str_eq(f->seed, "1");
    cr_assert_eq(f->check_count, 2);
    cr_assert_str_eq(f->checks[0].title, "the lesson's example");
    cr_assert_eq(f->checks[0].points, 2);
    cr_assert_eq(f->checks[0].expected_count, 1);
    cr_assert_eq(f->checks[0].expected[0].rows, 2);
    cr_assert_float_eq(f->checks[0].expected[0].values[5], 6.0f, 0);
    cr_assert(f->checks[0].memcheck);
    cr_assert_not(f->checks[1].memcheck);
    cr_assert_eq(f->checks[1].need_count, 1);
}

Test(fixture, a_missing_fixture_is_null)
{
    cr_assert_null(fixture_read("/nonexistent/1.1.txt"));
}

Test(fixture, a_line_before_the_first_check_is_refused, .exit_code = 2)
{
    fixture_read(file_with("1.1.txt", "chapter 1.1\ntitle lost\ncheck a\nend\n"));
}

/* ---- Valgrind's logs ---------------------------------------------------- */

/* The result of chapter 1.1's two checks, both passed, whose processes were 101 and 102, and a folder of logs. */
static ChapterResult *graded_chapter(char **dir)
{
    *dir = format_string("%s", "/tmp/kit-memcheck-XXXXXX");
    cr_assert_not_null(mkdtemp(*dir));
    static FixtureCheck checks[2] = {{.id = "add-lesson", .file_id = "add-lesson", .points = 2},
                                     {.id = "add-random", .file_id = "add-random", .points = 1}};
    static Fixture fixture = {.chapter = "1.1", .seed = "1", .checks = checks, .check_count = 2};
    ChapterResult *r = calloc(1, sizeof *r);
    r->fixture = &fixture;
    r->compiled = 1;
    r->check_count = 2;
    r->checks = calloc(2, sizeof *r->checks);
    for (int i = 0; i < 2; i++) {
        r->checks[i] = (CheckResult){.id = checks[i].id, .verdict = VERDICT_PASS, .points = checks[i].points};
        char *path = format_string("%s/%s.status", *dir, checks[i].id);
        FILE *f = fopen(path, "w");
        fprintf(f, "exited 0\npid %d\n", 101 + i);
        fclose(f);
    }
    r->sources[0] = "lessons/1.1-arrays/exercise.c";
    r->source_count = 1;
    r->memory.max_points = 2;
    return r;
}

static void write_log(const char *dir, int pid, const char *text)
{
    char *path = format_string("%s/vg.%d.log", dir, pid);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static const char *clean_log = "==101== Memcheck, a memory error detector\n==101== \n"
                               "==101== HEAP SUMMARY:\n==101==     in use at exit: 0 bytes in 0 blocks\n==101== \n"
                               "==101== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)\n";

Test(memcheck, clean_logs_pass)
{
    char *dir;
    ChapterResult *r = graded_chapter(&dir);
    write_log(dir, 101, clean_log);
    write_log(dir, 102, clean_log);
    read_memcheck_logs(dir, r);
    cr_assert_eq(r->memory.verdict, VERDICT_PASS, "%s", r->memory.message);
    cr_assert_eq(r->memory.points, 2);
}

Test(memcheck, an_invalid_write_names_the_learners_line_and_check)
{
    char *dir;
    ChapterResult *r = graded_chapter(&dir);
    write_log(dir, 101, clean_log);
    write_log(dir, 102,
              "==102== Memcheck, a memory error detector\n==102== \n"
              "==102== Invalid write of size 4\n"
              "==102==    at 0x10A1B2: add_row_vector (lessons/1.1-arrays/exercise.c:31)\n"
              "==102==    by 0x10C3D4: check_add_random (grader/suites/1.1.c:80)\n"
              "==102==  Address 0x4a8b0d8 is 0 bytes after a block of size 24 alloc'd\n"
              "==102==    at 0x48407B4: malloc (vg_replace_malloc.c:381)\n"
              "==102==    by 0x10D5E6: kit_matrix_create (harness/matrix.c:12)\n==102== \n"
              "==102== ERROR SUMMARY: 1 errors from 1 contexts (suppressed: 0 from 0)\n");
    read_memcheck_logs(dir, r);
    cr_assert_eq(r->memory.verdict, VERDICT_FAIL);
    const char *m = r->memory.message;
    cr_assert_not_null(strstr(m, "Invalid write of size 4 at lessons/1.1-arrays/exercise.c:31 in add_row_vector()"),
                       "%s", m);
    cr_assert_not_null(strstr(m, "during check add-random"), "%s", m);
    cr_assert_not_null(strstr(m, "0 bytes after a block of size 24"), "%s", m);
}

Test(memcheck, a_leak_is_counted_over_its_records)
{
    char *dir;
    ChapterResult *r = graded_chapter(&dir);
    const char *leak = "==%d== 32 bytes in 2 blocks are definitely lost in loss record 1 of 1\n"
                       "==%d==    at 0x48407B4: malloc (vg_replace_malloc.c:381)\n"
                       "==%d==    by 0x10A1B2: slice (lessons/1.1-arrays/exercise.c:44)\n==%d== \n"
                       "==%d== ERROR SUMMARY: 1 errors from 1 contexts (suppressed: 0 from 0)\n";
    for (int pid = 101; pid <= 102; pid++) {
        char *text = format_string(leak, pid, pid, pid, pid, pid);
        write_log(dir, pid, text);
    }
    read_memcheck_logs(dir, r);
    cr_assert_eq(r->memory.verdict, VERDICT_FAIL);
    const char *m = r->memory.message;
    cr_assert_not_null(strstr(m, "Valgrind found 1 problem"), "%s", m);
    cr_assert_not_null(strstr(m, "64 bytes in 4 blocks (4 allocations never freed)"), "%s", m);
    cr_assert_not_null(strstr(m, "lessons/1.1-arrays/exercise.c:44 in slice()"), "%s", m);
    cr_assert_not_null(strstr(m, "add-lesson, add-random"), "%s", m);
}

Test(memcheck, no_log_is_no_pass)
{
    char *dir;
    ChapterResult *r = graded_chapter(&dir);
    read_memcheck_logs(dir, r);
    cr_assert_eq(r->memory.verdict, VERDICT_FAIL);
    cr_assert_not_null(strstr(r->memory.message, "left no log"), "%s", r->memory.message);
}

/* ---- the compiler's log -------------------------------------------------- */

static const char *gcc_log =
    "lessons/1.1-arrays/exercise.c: In function 'slice':\n"
    "lessons/1.1-arrays/exercise.c:40:9: warning: statement with no effect [-Wunused-value]\n"
    "   40 |         j + 1;\n"
    "      |         ^\n"
    "lessons/1.2-matrix/exercise.c:12:5: warning: unused variable 'k' [-Wunused-variable]\n"
    "   12 |     int k;\n"
    "      |     ^\n"
    "lessons/1.1-arrays/exercise.c:52:20: error: 'rows' undeclared (first use in this function)\n"
    "   52 |     for (int i = 0; i < rows; i++)\n"
    "      |                    ^~~~\n"
    "lessons/1.1-arrays/exercise.c:52:20: note: each undeclared identifier is reported only once\n"
    "/usr/bin/ld: check.o: in function `main':\n"
    "/usr/bin/ld: undefined reference to `normalize'\n";

Test(compiler, errors_are_kept_with_their_source_lines_and_nothing_else)
{
    char *kept = summarize_compile_log(gcc_log);
    cr_assert_str_eq(kept,
                     "lessons/1.1-arrays/exercise.c:52:20: error: 'rows' undeclared (first use in this function)\n"
                     "   52 |     for (int i = 0; i < rows; i++)\n"
                     "      |                    ^~~~\n"
                     "/usr/bin/ld: undefined reference to `normalize'\n");
    /* a log with nothing recognised is shown as it is, cut */
    cr_assert_str_eq(summarize_compile_log("collect2: something odd\n"), "collect2: something odd\n");
}

Test(compiler, only_the_warnings_about_the_chapters_own_file_count)
{
    int count = -1;
    char *mine = summarize_warnings(gcc_log, "lessons/1.1-arrays/exercise.c", &count);
    cr_assert_eq(count, 1);
    cr_assert_str_eq(mine, "lessons/1.1-arrays/exercise.c:40:9: warning: statement with no effect [-Wunused-value]\n"
                           "   40 |         j + 1;\n"
                           "      |         ^\n");
    cr_assert_null(summarize_warnings(gcc_log, "lessons/4.2-convolution/exercise.c", &count));
    cr_assert_eq(count, 0);
    /* a file whose name begins like another's is not that file */
    cr_assert_null(summarize_warnings(gcc_log, "lessons/1.1-arrays/exercise", &count));
}

Test(only, a_check_is_selected_by_its_whole_id_only)
{
    cr_assert(list_names("transpose-lesson", "transpose-lesson"));
    cr_assert(list_names("dot-lesson,transpose-lesson,norm", "transpose-lesson"));
    cr_assert(list_names("dot-lesson,transpose-lesson", "dot-lesson"));
    cr_assert_not(list_names("transpose-lesson", "transpose"), "a prefix is taken for the id");
    cr_assert_not(list_names("transpose", "transpose-lesson"), "an id is taken for its prefix");
    cr_assert_not(list_names("a,,b", ""), "an empty id is selected");
    cr_assert_not(list_names("", "a"));
}

/* ---- the sanitizers' reports ------------------------------------------------- */

static void write_check_log(const char *dir, const char *id, const char *text)
{
    char *path = format_string("%s/%s.log", dir, id);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

Test(sanitizers, reports_name_the_learners_line_kind_and_checks)
{
    char *dir;
    ChapterResult *r = graded_chapter(&dir);
    r->memory.verdict = VERDICT_PASS; /* Valgrind found nothing */
    r->memory.points = 2;
    write_check_log(dir, "add-lesson",
                    "some output of the learner's\n"
                    "=================================================================\n"
                    "==4==ERROR: AddressSanitizer: stack-buffer-overflow on address 0x7ffd378b8420 at pc 0x5563 bp 0x1\n"
                    "WRITE of size 4 at 0x7ffd378b8420 thread T0\n"
                    "    #0 0x5563aa5ce475 in add_row_vector /work/kit/lessons/1.1-arrays/exercise.c:31\n"
                    "    #1 0x5563aa5ce476 in check_add_lesson /work/kit/grader/suites/1.1.c:80\n"
                    "\n"
                    "Address 0x7ffd378b8420 is located in stack of thread T0 at offset 80 in frame\n");
    write_check_log(dir, "add-random",
                    "/work/kit/lessons/1.1-arrays/exercise.c:44:13: runtime error: signed integer overflow: "
                    "2147483647 + 1 cannot be represented in type 'int'\n"
                    "    #0 0x55c2f17e54c8 in slice /work/kit/lessons/1.1-arrays/exercise.c:44\n"
                    "    #1 0x55c2f17e513f in main /work/kit/grader/runner.c:5\n"
                    "/work/kit/lessons/1.1-arrays/exercise.c:44:13: runtime error: signed integer overflow: "
                    "2147483646 + 2 cannot be represented in type 'int'\n"
                    "    #0 0x55c2f17e54c8 in slice /work/kit/lessons/1.1-arrays/exercise.c:44\n");
    read_sanitizer_logs(dir, r);
    cr_assert_eq(r->memory.verdict, VERDICT_FAIL);
    cr_assert_eq(r->memory.points, 0);
    const char *m = r->memory.message;
    cr_assert_not_null(strstr(m, "found 2 problems"), "the same overflow at the same line twice is one problem: %s", m);
    cr_assert_not_null(strstr(m, "AddressSanitizer: stack-buffer-overflow, a WRITE of size 4 at "
                                 "lessons/1.1-arrays/exercise.c:31 in add_row_vector()\n    during check add-lesson"),
                       "%s", m);
    cr_assert_not_null(strstr(m, "UBSan: signed integer overflow, 2147483647 + 1 cannot be represented in type 'int' "
                                 "at lessons/1.1-arrays/exercise.c:44 in slice()\n    during check add-random"),
                       "%s", m);
}

Test(sanitizers, clean_logs_leave_the_verdict_and_a_report_elsewhere_is_outside_the_code)
{
    char *dir;
    ChapterResult *r = graded_chapter(&dir);
    r->memory.verdict = VERDICT_PASS;
    r->memory.points = 2;
    write_check_log(dir, "add-lesson", "nothing but the learner's own output\n");
    read_sanitizer_logs(dir, r);
    cr_assert_eq(r->memory.verdict, VERDICT_PASS);
    cr_assert_null(r->memory.message);
    write_check_log(dir, "add-random",
                    "==9==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602 at pc 0x1 bp 0x2 sp 0x3\n"
                    "READ of size 8 at 0x602 thread T0\n"
                    "    #0 0x1 in kit_matrix_copy /work/kit/harness/matrix.c:40\n");
    read_sanitizer_logs(dir, r);
    cr_assert_eq(r->memory.verdict, VERDICT_FAIL);
    cr_assert_not_null(strstr(r->memory.message, "heap-buffer-overflow, a READ of size 8 at a place outside your code"),
                       "%s", r->memory.message);
}
