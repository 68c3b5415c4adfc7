/* The grading suite of chapter 2.1: Understanding Loss Functions. */
#include "check.h"
#include "course.h"

#include <math.h>
#include <stdio.h>

const char kit_suite_chapter[] = "2.1";

/* Losses are sums of a few dozen terms in double: float sums or logs differ by about 1e-6 relative. */
#define ABS_TOL 1e-6
#define REL_TOL 1e-4
/* share_within is a count divided by n: exact up to the rounding of one division. */
#define SHARE_TOL 1e-6

/* ---- mse_loss ------------------------------------------------------------ */

static void check_mse_lesson(KitCase *c)
{
    const float p[] = {2.5f, 0.0f, 2.1f, 7.8f}, t[] = {3.0f, -0.5f, 2.0f, 7.0f};
    Matrix y_pred = kit_matrix_from(1, 4, p), y = kit_matrix_from(1, 4, t);
    Matrix y_pred_column = kit_matrix_from(4, 1, p), y_column = kit_matrix_from(4, 1, t);
    kit_show_input(c, "y_pred", &y_pred);
    kit_show_input(c, "y", &y);
    kit_emit_scalar(c, "mse_loss(y_pred, y), 1 x 4", mse_loss(&y_pred, &y), ABS_TOL, REL_TOL);
    kit_emit_scalar(c, "mse_loss(y_pred, y), the same numbers as 4 x 1 columns", mse_loss(&y_pred_column, &y_column),
                    ABS_TOL, REL_TOL);
    kit_emit_scalar(c, "mse_loss(y, y_pred), the arguments swapped", mse_loss(&y, &y_pred), ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "mse_loss", "y_pred", &y_pred);
    kit_emit_unchanged(c, "mse_loss", "y", &y);
    kit_emit_unchanged(c, "mse_loss", "y_pred (4 x 1)", &y_pred_column);
    kit_emit_unchanged(c, "mse_loss", "y (4 x 1)", &y_column);
    kit_matrix_free(&y_pred), kit_matrix_free(&y), kit_matrix_free(&y_pred_column), kit_matrix_free(&y_column);
}

static void check_mse_random(KitCase *c)
{
    Matrix y_pred = kit_case_normal_matrix(c, 401, 7, 3, 1.0f, 2.0f), y = kit_case_normal_matrix(c, 402, 7, 3, 0.0f, 3.0f);
    Matrix wide_pred = kit_case_normal_matrix(c, 403, 2, 9, 5.0f, 1.0f), wide = kit_case_normal_matrix(c, 404, 2, 9, 4.0f, 2.0f);
    kit_show_input(c, "y_pred", &y_pred);
    kit_show_input(c, "y", &y);
    kit_show_input(c, "wide_pred", &wide_pred);
    kit_show_input(c, "wide", &wide);
    kit_emit_scalar(c, "mse_loss(y_pred, y), 7 x 3", mse_loss(&y_pred, &y), ABS_TOL, REL_TOL);
    kit_emit_scalar(c, "mse_loss(wide_pred, wide), 2 x 9", mse_loss(&wide_pred, &wide), ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "mse_loss", "y_pred", &y_pred);
    kit_emit_unchanged(c, "mse_loss", "y", &y);
    kit_emit_unchanged(c, "mse_loss", "wide_pred", &wide_pred);
    kit_emit_unchanged(c, "mse_loss", "wide", &wide);
    kit_matrix_free(&y_pred), kit_matrix_free(&y), kit_matrix_free(&wide_pred), kit_matrix_free(&wide);
}

static void check_mse_identical(KitCase *c)
{
    Matrix y = kit_case_normal_matrix(c, 405, 5, 4, 10.0f, 50.0f), copy = kit_matrix_create(5, 4);
    kit_matrix_copy(&copy, &y);
    kit_show_input(c, "y", &y);
    kit_emit_scalar(c, "mse_loss(copy of y, y)", mse_loss(&copy, &y), ABS_TOL, 0);
    kit_emit_scalar(c, "mse_loss(y, y), the same matrix twice", mse_loss(&y, &y), ABS_TOL, 0);
    kit_emit_unchanged(c, "mse_loss", "y", &y);
    kit_emit_unchanged(c, "mse_loss", "copy of y", &copy);
    kit_matrix_free(&y), kit_matrix_free(&copy);
}

/* ---- binary_cross_entropy ------------------------------------------------ */

static void check_bce_lesson(KitCase *c)
{
    const float a[] = {0.9f, 0.1f, 0.8f, 0.3f}, t[] = {1, 0, 1, 0};
    Matrix A = kit_matrix_from(1, 4, a), y = kit_matrix_from(1, 4, t);
    kit_show_input(c, "A", &A);
    kit_show_input(c, "y", &y);
    kit_emit_scalar(c, "binary_cross_entropy(A, y)", binary_cross_entropy(&A, &y), ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "binary_cross_entropy", "A", &A);
    kit_emit_unchanged(c, "binary_cross_entropy", "y", &y);
    kit_matrix_free(&A), kit_matrix_free(&y);
}

static void check_bce_random(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 411);
    Matrix A = kit_matrix_create(6, 4), y = kit_matrix_create(6, 4);
    Matrix A_tall = kit_matrix_create(11, 1), y_tall = kit_matrix_create(11, 1);
    kit_matrix_fill_uniform(&A, &rng, 0.02f, 0.98f);
    kit_matrix_fill_uniform(&A_tall, &rng, 0.001f, 0.999f);
    for (int k = 0; k < 24; k++)
        y.data[k] = (float)kit_rng_below(&rng, 2);
    for (int k = 0; k < 11; k++)
        y_tall.data[k] = (float)kit_rng_below(&rng, 2);
    kit_show_input(c, "A", &A);
    kit_show_input(c, "y", &y);
    kit_show_input(c, "A_tall", &A_tall);
    kit_show_input(c, "y_tall", &y_tall);
    kit_emit_scalar(c, "binary_cross_entropy(A, y), 6 x 4", binary_cross_entropy(&A, &y), ABS_TOL, REL_TOL);
    kit_emit_scalar(c, "binary_cross_entropy(A_tall, y_tall), 11 x 1", binary_cross_entropy(&A_tall, &y_tall),
                    ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "binary_cross_entropy", "A", &A);
    kit_emit_unchanged(c, "binary_cross_entropy", "y", &y);
    kit_emit_unchanged(c, "binary_cross_entropy", "A_tall", &A_tall);
    kit_emit_unchanged(c, "binary_cross_entropy", "y_tall", &y_tall);
    kit_matrix_free(&A), kit_matrix_free(&y), kit_matrix_free(&A_tall), kit_matrix_free(&y_tall);
}

/* The loss of a single prediction a for a single label t, then A and y after the call, named after the case. */
static void emit_one_bce(KitCase *c, const char *name, float a, float t)
{
    Matrix A = kit_matrix_from(1, 1, &a), y = kit_matrix_from(1, 1, &t);
    kit_emit_scalar(c, name, binary_cross_entropy(&A, &y), ABS_TOL, REL_TOL);
    char label[64];
    snprintf(label, sizeof label, "A (of A = [%.8g], y = [%g])", (double)a, (double)t);
    kit_emit_unchanged(c, "binary_cross_entropy", label, &A);
    snprintf(label, sizeof label, "y (of A = [%.8g], y = [%g])", (double)a, (double)t);
    kit_emit_unchanged(c, "binary_cross_entropy", label, &y);
    kit_matrix_free(&A), kit_matrix_free(&y);
}

static void check_bce_certain(KitCase *c)
{
    emit_one_bce(c, "binary_cross_entropy(A = [1], y = [1]), certain and right", 1.0f, 1.0f);
    emit_one_bce(c, "binary_cross_entropy(A = [0], y = [0]), certain and right", 0.0f, 0.0f);
    emit_one_bce(c, "binary_cross_entropy(A = [0], y = [1]), certain and wrong", 0.0f, 1.0f);
    emit_one_bce(c, "binary_cross_entropy(A = [1], y = [0]), certain and wrong", 1.0f, 0.0f);
    const float a[] = {1.0f, 0.0f, 0.0f, 1.0f, 0.7f, 0.2f}, t[] = {1, 0, 1, 0, 1, 1};
    Matrix A = kit_matrix_from(2, 3, a), y = kit_matrix_from(2, 3, t);
    kit_show_input(c, "A", &A);
    kit_show_input(c, "y", &y);
    kit_emit_scalar(c, "binary_cross_entropy(A, y), 2 x 3 with 0s and 1s in A", binary_cross_entropy(&A, &y), ABS_TOL,
                    REL_TOL);
    kit_emit_unchanged(c, "binary_cross_entropy", "A", &A);
    kit_emit_unchanged(c, "binary_cross_entropy", "y", &y);
    kit_matrix_free(&A), kit_matrix_free(&y);
}

static void check_bce_clip_edges(KitCase *c)
{
    /* Below 1, floats are 2^-24 apart: 0.99999994 = 1 - 2^-24 lies above 1 - 1e-7 and is clipped,
     * 0.99999988 = 1 - 2^-23 lies below it and is not. 1e-9 is clipped, 1e-6 is not. */
    const float a[] = {1e-9f, 1e-6f, 0.99999994f, 0.99999988f, 0.5f, 1e-9f};
    const float t[] = {1, 1, 0, 0, 1, 0};
    Matrix A = kit_matrix_from(1, 6, a), y = kit_matrix_from(1, 6, t);
    kit_show_input(c, "A", &A);
    kit_show_input(c, "y", &y);
    emit_one_bce(c, "binary_cross_entropy(A = [1e-9], y = [1]), clipped to 1e-7", a[0], 1.0f);
    emit_one_bce(c, "binary_cross_entropy(A = [1e-6], y = [1]), not clipped", a[1], 1.0f);
    emit_one_bce(c, "binary_cross_entropy(A = [0.99999994], y = [0]), clipped to 1 - 1e-7", a[2], 0.0f);
    emit_one_bce(c, "binary_cross_entropy(A = [0.99999988], y = [0]), not clipped", a[3], 0.0f);
    kit_emit_scalar(c, "binary_cross_entropy(A, y), 1 x 6", binary_cross_entropy(&A, &y), ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "binary_cross_entropy", "A", &A);
    kit_emit_unchanged(c, "binary_cross_entropy", "y", &y);
    kit_matrix_free(&A), kit_matrix_free(&y);
}

static void check_bce_soft_labels(KitCase *c)
{
    const float a[] = {0.9f, 0.5f, 0.2f, 0.6f, 0.35f, 0.75f}, t[] = {0.8f, 0.5f, 0.1f, 0.25f, 0.0f, 1.0f};
    Matrix A = kit_matrix_from(3, 2, a), y = kit_matrix_from(3, 2, t);
    kit_show_input(c, "A", &A);
    kit_show_input(c, "y", &y);
    kit_emit_scalar(c, "binary_cross_entropy(A, y), labels between 0 and 1", binary_cross_entropy(&A, &y), ABS_TOL,
                    REL_TOL);
    kit_emit_unchanged(c, "binary_cross_entropy", "A", &A);
    kit_emit_unchanged(c, "binary_cross_entropy", "y", &y);
    kit_matrix_free(&A), kit_matrix_free(&y);
}

/* ---- share_within -------------------------------------------------------- */

static void check_share_within_lesson(KitCase *c)
{
    const float v[] = {-2.5f, -1.0f, -0.3f, 0.0f, 0.8f, 1.0f, 1.7f, 2.0f};
    Matrix z = kit_matrix_from(1, 8, v);
    kit_show_input(c, "z", &z);
    kit_emit_scalar(c, "share_within(z, 1)", share_within(&z, 1.0f), SHARE_TOL, 0);
    kit_emit_scalar(c, "share_within(z, 2)", share_within(&z, 2.0f), SHARE_TOL, 0);
    kit_emit_unchanged(c, "share_within", "z", &z);
    kit_matrix_free(&z);
}

static void check_share_within_boundary(KitCase *c)
{
    /* elements exactly at +-1, +-2, +-0.5 and 0, and the floats just inside and just outside 1 */
    const float v[] = {1.0f, -1.0f, 2.0f, -2.0f, 0.5f, -0.5f, 0.0f, -0.0f, 0.99999994f, -1.0000001f, 3.0f, 0.25f};
    Matrix z = kit_matrix_from(3, 4, v);
    kit_show_input(c, "z", &z);
    kit_emit_scalar(c, "share_within(z, 1)", share_within(&z, 1.0f), SHARE_TOL, 0);
    kit_emit_scalar(c, "share_within(z, 2)", share_within(&z, 2.0f), SHARE_TOL, 0);
    kit_emit_scalar(c, "share_within(z, 0.5)", share_within(&z, 0.5f), SHARE_TOL, 0);
    kit_emit_scalar(c, "share_within(z, 0)", share_within(&z, 0.0f), SHARE_TOL, 0);
    kit_emit_scalar(c, "share_within(z, 3)", share_within(&z, 3.0f), SHARE_TOL, 0);
    kit_emit_unchanged(c, "share_within", "z", &z);
    kit_matrix_free(&z);
}

static void check_share_within_random(KitCase *c)
{
    Matrix z = kit_case_normal_matrix(c, 421, 9, 5, 0.0f, 1.0f);
    kit_show_input(c, "z", &z);
    kit_emit_scalar(c, "share_within(z, 0.5)", share_within(&z, 0.5f), SHARE_TOL, 0);
    kit_emit_scalar(c, "share_within(z, 1)", share_within(&z, 1.0f), SHARE_TOL, 0);
    kit_emit_scalar(c, "share_within(z, 2)", share_within(&z, 2.0f), SHARE_TOL, 0);
    kit_emit_scalar(c, "share_within(z, 10)", share_within(&z, 10.0f), SHARE_TOL, 0);
    kit_emit_unchanged(c, "share_within", "z", &z);
    kit_matrix_free(&z);
}

const KitCheck kit_suite_checks[] = {
    {"mse-lesson", "mse_loss: the lesson's four predictions, as a row and a column", 2, "",
     "L = (1/n) sum (y_pred - y)^2: square each error (not its absolute value) and divide by n = rows * cols.", 5,
     0, check_mse_lesson},
    {"mse-random", "mse_loss: random 7x3 and 2x9 matrices", 2, "",
     "n is rows * cols, every element of the matrix: a 7x3 matrix has 21 errors.", 5, 0, check_mse_random},
    {"mse-identical", "mse_loss: a prediction equal to the truth gives 0", 1, "", NULL, 5, 0, check_mse_identical},
    {"bce-lesson", "binary_cross_entropy: the lesson's four predictions", 2, "",
     "L = -(1/n) sum [y log a + (1 - y) log(1 - a)]: mind the minus sign, a loss is never negative.", 5, 0,
     check_bce_lesson},
    {"bce-random", "binary_cross_entropy: random 6x4 and 11x1 probabilities", 2, "", NULL, 5, 0,
     check_bce_random},
    {"bce-certain", "binary_cross_entropy: probabilities exactly 0 and 1 (finite)", 3, "",
     "Clip every a into [1e-7, 1 - 1e-7] in double before any log: log(0) is -inf, and 0 * -inf is NaN even when "
     "the answer is right. 1.0f - 1e-7f is 0.99999988, not 1 - 1e-7: clip with double constants.", 5, 0,
     check_bce_certain},
    {"bce-clip-edges", "binary_cross_entropy: just inside and outside [1e-7, 1 - 1e-7]", 1, "",
     "Clip only what lies outside [1e-7, 1 - 1e-7] (eps = 1e-7, not a larger one): 1e-6 must stay 1e-6.", 5, 0,
     check_bce_clip_edges},
    {"bce-soft-labels", "binary_cross_entropy: labels between 0 and 1", 1, "",
     "Use both terms of the formula for every element, y log a + (1 - y) log(1 - a), not one chosen by the label.",
     5, 0, check_bce_soft_labels},
    {"share-within-lesson", "share_within: the lesson's eight values, k = 1 and 2", 2, "",
     "Return a fraction between 0 and 1 (count / n, in floating point), not the count.", 5, 0,
     check_share_within_lesson},
    {"share-within-boundary", "share_within: values exactly at |z| = k count as within", 2, "",
     "Compare with <=, not <: an element with |z| == k is within k.", 5, 0, check_share_within_boundary},
    {"share-within-random", "share_within: a random 9x5 matrix, k = 0.5, 1, 2 and 10", 2, "", NULL, 5, 0,
     check_share_within_random},
};
const int kit_suite_check_count = sizeof kit_suite_checks / sizeof kit_suite_checks[0];
