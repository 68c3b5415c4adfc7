/* The grading suite of chapter 3.2: Activation Functions for Neural Networks. */
#include "check.h"
#include "course.h"

#include <float.h>
#include <math.h>
#include <stdio.h>

const char kit_suite_chapter[] = "3.2";

/* relu and relu_derivative have one right float answer per element: they are compared exactly
 * (-0.0 equals 0.0, so either sign of a zero passes). */
#define EXACT 0.0
/* sigmoid_derivative and softmax: a few float roundings apart from the reference at most (a float
 * or double sum, a division or a multiplication by the reciprocal, a - a*a instead of a (1 - a)). */
#define ABS_TOL 1e-6
#define REL_TOL 1e-5
/* Each row of a softmax sums to 1; the sum is taken in double over the learner's floats. */
#define ROW_SUM_TOL 1e-6

/* A random rows x cols matrix whose elements are at least 0.2 away from 0 (|z| in [0.2, 2.2), either
 * sign): central differences with h = 0.01 never cross ReLU's kink there. */
static Matrix away_from_zero(KitCase *c, uint64_t salt, int rows, int cols)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + salt);
    Matrix Z = kit_matrix_create(rows, cols);
    for (int k = 0; k < rows * cols; k++) {
        float size = 0.2f + 2.0f * kit_rng_uniform(&rng);
        Z.data[k] = kit_rng_below(&rng, 2) ? size : -size;
    }
    return Z;
}

/* The lesson's 3x2 pre-activations. */
static const float lesson_z[] = {-1.5f, 2.0f, 0.0f, -0.25f, 0.5f, -3.0f};

/* Zeros of both signs, the smallest floats (normal and subnormal) of both signs, the largest, the infinities. */
static const float edge_values[] = {
    0.0f, -0.0f, 1e-30f, -1e-30f, FLT_MIN, -FLT_MIN, 1.4e-45f, -1.4e-45f, 1.0f, -1.0f,
    1000.0f, -1000.0f, FLT_MAX, -FLT_MAX, INFINITY, -INFINITY,
};
#define EDGE_COUNT ((int)(sizeof edge_values / sizeof edge_values[0]))

/* The lesson's scores of a 10-class classifier for four digits (4 x 10): a confident 7, a 2 that
 * looks a little like a 7, a confident 0, and an undecided row of an untrained network. */
static const float lesson_logits[40] = {
    -1.2f, 0.3f,  1.1f, 0.8f, -2.0f,  0.1f,   -1.5f, 4.2f,  -0.4f, 1.6f,
    0.5f,  -0.8f, 2.4f, 1.0f, -1.1f,  -0.3f,  0.2f,  2.1f,  0.9f,  -1.7f,
    5.1f,  -2.3f, 0.4f, -0.9f, -1.8f, 0.7f,   1.2f,  -0.6f, 0.3f,  -1.0f,
    0.1f,  0.0f,  -0.1f, 0.2f, 0.05f, -0.05f, 0.15f, -0.2f, 0.0f,  0.1f,
};

/* ---- relu -------------------------------------------------------------- */

static void check_relu_lesson(KitCase *c)
{
    Matrix Z = kit_matrix_from(3, 2, lesson_z), out = kit_output_matrix(3, 2);
    kit_show_input(c, "Z", &Z);
    relu(&out, &Z);
    kit_emit(c, "relu(out, Z)", &out, EXACT, EXACT);
    kit_emit_unchanged(c, "relu", "Z", &Z);
    kit_matrix_free(&Z), kit_matrix_free(&out);
}

static void check_relu_edges(KitCase *c)
{
    Matrix Z = kit_matrix_from(1, EDGE_COUNT, edge_values), out = kit_output_matrix(1, EDGE_COUNT);
    kit_show_input(c, "Z", &Z);
    relu(&out, &Z);
    kit_emit(c, "relu(out, Z)", &out, EXACT, EXACT);
    kit_emit_unchanged(c, "relu", "Z", &Z);
    kit_matrix_free(&Z), kit_matrix_free(&out);
}

static void check_relu_random(KitCase *c)
{
    Matrix Z = kit_case_normal_matrix(c, 321, 9, 7, 0.0f, 3.0f), out = kit_output_matrix(9, 7);
    kit_show_input(c, "Z", &Z);
    relu(&out, &Z);
    kit_emit(c, "relu(out, Z)", &out, EXACT, EXACT);
    kit_emit_unchanged(c, "relu", "Z", &Z);
    kit_matrix_free(&Z), kit_matrix_free(&out);
}

static void check_relu_in_place(KitCase *c)
{
    Matrix Z = kit_case_normal_matrix(c, 322, 5, 4, 0.0f, 1.0f);
    kit_show_input(c, "Z", &Z);
    relu(&Z, &Z);
    kit_emit(c, "Z after relu(Z, Z)", &Z, EXACT, EXACT);
    kit_matrix_free(&Z);
}

/* ---- relu_derivative --------------------------------------------------- */

static void check_relu_derivative_lesson(KitCase *c)
{
    Matrix Z = kit_matrix_from(3, 2, lesson_z), out = kit_output_matrix(3, 2);
    kit_show_input(c, "Z", &Z);
    relu_derivative(&out, &Z);
    kit_emit(c, "relu_derivative(out, Z)", &out, EXACT, EXACT);
    kit_emit_unchanged(c, "relu_derivative", "Z", &Z);
    kit_matrix_free(&Z), kit_matrix_free(&out);
}

static void check_relu_derivative_edges(KitCase *c)
{
    Matrix Z = kit_matrix_from(1, EDGE_COUNT, edge_values), out = kit_output_matrix(1, EDGE_COUNT);
    kit_show_input(c, "Z", &Z);
    relu_derivative(&out, &Z);
    kit_emit(c, "relu_derivative(out, Z)", &out, EXACT, EXACT);
    kit_emit_unchanged(c, "relu_derivative", "Z", &Z);
    kit_matrix_free(&Z), kit_matrix_free(&out);
}

static void check_relu_derivative_random(KitCase *c)
{
    Matrix Z = kit_case_normal_matrix(c, 323, 9, 7, 0.0f, 3.0f), out = kit_output_matrix(9, 7);
    kit_show_input(c, "Z", &Z);
    relu_derivative(&out, &Z);
    kit_emit(c, "relu_derivative(out, Z)", &out, EXACT, EXACT);
    kit_emit_unchanged(c, "relu_derivative", "Z", &Z);
    kit_matrix_free(&Z), kit_matrix_free(&out);
}

static void check_relu_derivative_in_place(KitCase *c)
{
    Matrix Z = kit_case_normal_matrix(c, 324, 6, 3, 0.0f, 1.0f);
    kit_show_input(c, "Z", &Z);
    relu_derivative(&Z, &Z);
    kit_emit(c, "Z after relu_derivative(Z, Z)", &Z, EXACT, EXACT);
    kit_matrix_free(&Z);
}

/* L(Z) = sum_k v_k relu(z_k), in double; dL/dz_k = v_k relu'(z_k). */
typedef struct {
    const Matrix *Z, *v;
} WeightedSum;

static double weighted_relu_sum(void *context)
{
    const WeightedSum *p = context;
    double sum = 0.0;
    for (int k = 0; k < p->Z->rows * p->Z->cols; k++)
        sum += (double)p->v->data[k] * fmax((double)p->Z->data[k], 0.0);
    return sum;
}

static void check_relu_derivative_numeric(KitCase *c)
{
    Matrix Z = away_from_zero(c, 325, 4, 5), v = kit_case_normal_matrix(c, 326, 4, 5, 0.0f, 1.0f);
    Matrix slope = kit_output_matrix(4, 5), grad = kit_matrix_create(4, 5);
    kit_show_input(c, "Z", &Z);
    kit_show_input(c, "v", &v);
    relu_derivative(&slope, &Z);
    kit_emit_unchanged(c, "relu_derivative", "Z", &Z); /* before the checker moves it */
    for (int k = 0; k < 20; k++)
        grad.data[k] = v.data[k] * slope.data[k];
    WeightedSum problem = {&Z, &v};
    kit_check_gradient(c, "Z", &grad, &Z, weighted_relu_sum, &problem, 1e-2f, 1e-3);
    kit_matrix_free(&Z), kit_matrix_free(&v), kit_matrix_free(&slope), kit_matrix_free(&grad);
}

/* ---- sigmoid_derivative ------------------------------------------------ */

/* sigmoid in double, rounded to float: the suite's own, so these checks need nothing of chapter 1.3. */
static float sigmoid_of(double z)
{
    return (float)(z >= 0 ? 1.0 / (1.0 + exp(-z)) : exp(z) / (1.0 + exp(z)));
}

static void check_sigmoid_derivative_lesson(KitCase *c)
{
    const float a[] = {0.5f, 0.9f, 0.1f, 1.0f, 0.0f, 0.25f, 0.75f, 0.999f};
    Matrix A = kit_matrix_from(1, 8, a), out = kit_output_matrix(1, 8);
    kit_show_input(c, "A", &A);
    sigmoid_derivative(&out, &A);
    kit_emit(c, "sigmoid_derivative(out, A)", &out, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "sigmoid_derivative", "A", &A);
    kit_matrix_free(&A), kit_matrix_free(&out);
}

static void check_sigmoid_derivative_random(KitCase *c)
{
    Matrix A = kit_case_normal_matrix(c, 327, 6, 5, 0.0f, 3.0f), out = kit_output_matrix(6, 5);
    for (int k = 0; k < 30; k++)
        A.data[k] = sigmoid_of(A.data[k]);
    kit_show_input(c, "A", &A);
    sigmoid_derivative(&out, &A);
    kit_emit(c, "sigmoid_derivative(out, A)", &out, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "sigmoid_derivative", "A", &A);
    sigmoid_derivative(&A, &A);
    kit_emit(c, "A after sigmoid_derivative(A, A)", &A, ABS_TOL, REL_TOL);
    kit_matrix_free(&A), kit_matrix_free(&out);
}

static double weighted_sigmoid_sum(void *context)
{
    const WeightedSum *p = context;
    double sum = 0.0;
    for (int k = 0; k < p->Z->rows * p->Z->cols; k++) {
        double z = p->Z->data[k];
        sum += (double)p->v->data[k] * (z >= 0 ? 1.0 / (1.0 + exp(-z)) : exp(z) / (1.0 + exp(z)));
    }
    return sum;
}

static void check_sigmoid_derivative_numeric(KitCase *c)
{
    Matrix Z = kit_case_normal_matrix(c, 328, 3, 6, 0.0f, 2.0f), v = kit_case_normal_matrix(c, 329, 3, 6, 0.0f, 1.0f);
    Matrix A = kit_matrix_create(3, 6), slope = kit_output_matrix(3, 6), grad = kit_matrix_create(3, 6);
    for (int k = 0; k < 18; k++)
        A.data[k] = sigmoid_of(Z.data[k]);
    kit_show_input(c, "Z", &Z);
    kit_show_input(c, "v", &v);
    sigmoid_derivative(&slope, &A);
    kit_emit_unchanged(c, "sigmoid_derivative", "A = sigmoid(Z)", &A);
    for (int k = 0; k < 18; k++)
        grad.data[k] = v.data[k] * slope.data[k];
    WeightedSum problem = {&Z, &v};
    kit_check_gradient(c, "Z", &grad, &Z, weighted_sigmoid_sum, &problem, 1e-2f, 1e-3);
    kit_matrix_free(&Z), kit_matrix_free(&v), kit_matrix_free(&A), kit_matrix_free(&slope), kit_matrix_free(&grad);
}

/* ---- softmax ----------------------------------------------------------- */

/* Emits out and the sum of each of its rows (N x 1, in double), which must be 1. */
static void emit_softmax(KitCase *c, const char *name, const char *sums_name, const Matrix *out, double abs_tol,
                         double rel_tol)
{
    kit_emit(c, name, out, abs_tol, rel_tol);
    Matrix sums = kit_matrix_create(out->rows, 1);
    for (int i = 0; i < out->rows; i++) {
        double sum = 0.0;
        for (int j = 0; j < out->cols; j++)
            sum += out->data[i * out->cols + j];
        sums.data[i] = (float)sum;
    }
    kit_emit(c, sums_name, &sums, ROW_SUM_TOL, 0);
    kit_matrix_free(&sums);
}

static void check_softmax_lesson(KitCase *c)
{
    Matrix Z = kit_matrix_from(4, 10, lesson_logits), out = kit_output_matrix(4, 10);
    kit_show_input(c, "Z", &Z);
    softmax(&out, &Z);
    emit_softmax(c, "softmax(out, Z)", "the sum of each row of out", &out, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "softmax", "Z", &Z);
    kit_matrix_free(&Z), kit_matrix_free(&out);
}

static void check_softmax_shapes(KitCase *c)
{
    const int shapes[4][2] = {{1, 10}, {5, 3}, {7, 10}, {6, 1}};
    const float stds[4] = {2.0f, 1.0f, 4.0f, 3.0f};
    const char *names[4][2] = {
        {"softmax of a 1x10 Z", "the sum of the row"},
        {"softmax of a 5x3 Z", "the sum of each row (5x3)"},
        {"softmax of a 7x10 Z", "the sum of each row (7x10)"},
        {"softmax of a 6x1 Z (one class: every probability is 1)", "the sum of each row (6x1)"},
    };
    for (int s = 0; s < 4; s++) {
        int rows = shapes[s][0], cols = shapes[s][1];
        Matrix Z = kit_case_normal_matrix(c, 330 + (uint64_t)s, rows, cols, 0.0f, stds[s]), out = kit_output_matrix(rows, cols);
        char shown[32];
        snprintf(shown, sizeof shown, "the %dx%d Z", rows, cols);
        if (s == 1 || s == 3)
            kit_show_input(c, shown, &Z);
        softmax(&out, &Z);
        emit_softmax(c, names[s][0], names[s][1], &out, ABS_TOL, REL_TOL);
        kit_emit_unchanged(c, "softmax", shown, &Z);
        kit_matrix_free(&Z), kit_matrix_free(&out);
    }
}

static void check_softmax_large(KitCase *c)
{
    /* three rows of three: large, very negative, and 1e4-sized scores */
    const float trios[] = {1000, 1001, 1002, -1000, -1001, -1002, 10000, 10001, 10002};
    /* mixed signs of 1000; five equal scores of -1000; +-1e4; just past the range of expf */
    const float mixed[] = {1000,  -1000, 0,     999,  -999, -1000, -1000, -1000, -1000, -1000,
                           10000, -10000, 10000, 0,    5000, 88.8f, 89,    100,   -104,  50};
    /* the largest score in the second or the last column, far above every other score of its row */
    const float lopsided[] = {0, 1000, 0, 0, 0, 0, 0, 1000, -500, 0, 0, 1000, 1, 100, 2, 99};
    Matrix Z1 = kit_matrix_from(3, 3, trios), out1 = kit_output_matrix(3, 3);
    Matrix Z2 = kit_matrix_from(4, 5, mixed), out2 = kit_output_matrix(4, 5);
    Matrix Z3 = kit_matrix_from(4, 4, lopsided), out3 = kit_output_matrix(4, 4);
    kit_show_input(c, "Z1", &Z1);
    kit_show_input(c, "Z2", &Z2);
    kit_show_input(c, "Z3", &Z3);
    softmax(&out1, &Z1);
    emit_softmax(c, "softmax of Z1", "the sum of each row of softmax(Z1)", &out1, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "softmax", "Z1", &Z1);
    softmax(&out2, &Z2);
    emit_softmax(c, "softmax of Z2", "the sum of each row of softmax(Z2)", &out2, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "softmax", "Z2", &Z2);
    softmax(&out3, &Z3);
    emit_softmax(c, "softmax of Z3", "the sum of each row of softmax(Z3)", &out3, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "softmax", "Z3", &Z3);
    kit_matrix_free(&Z1), kit_matrix_free(&out1), kit_matrix_free(&Z2), kit_matrix_free(&out2);
    kit_matrix_free(&Z3), kit_matrix_free(&out3);
}

static void check_softmax_shift(KitCase *c)
{
    Matrix Z = kit_case_normal_matrix(c, 334, 4, 6, 0.0f, 2.0f), shifted = kit_matrix_create(4, 6), out = kit_output_matrix(4, 6);
    kit_show_input(c, "Z", &Z);
    softmax(&out, &Z);
    emit_softmax(c, "softmax(Z)", "the sum of each row of softmax(Z)", &out, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "softmax", "Z", &Z);
    const float shifts[] = {50.0f, -30.0f};
    const char *names[] = {"softmax(Z + 50)", "softmax(Z - 30)"}, *inputs[] = {"Z + 50", "Z - 30"};
    for (int s = 0; s < 2; s++) {
        for (int k = 0; k < 24; k++)
            shifted.data[k] = Z.data[k] + shifts[s];
        kit_matrix_fill(&out, NAN);
        softmax(&out, &shifted);
        kit_emit(c, names[s], &out, ABS_TOL, REL_TOL);
        kit_emit_unchanged(c, "softmax", inputs[s], &shifted);
    }
    kit_matrix_free(&Z), kit_matrix_free(&shifted), kit_matrix_free(&out);
}

static void check_softmax_in_place(KitCase *c)
{
    Matrix Z = kit_case_normal_matrix(c, 335, 5, 7, 0.0f, 3.0f);
    kit_show_input(c, "Z", &Z);
    softmax(&Z, &Z);
    emit_softmax(c, "Z after softmax(Z, Z)", "the sum of each row of Z", &Z, ABS_TOL, REL_TOL);
    kit_matrix_free(&Z);
}

const KitCheck kit_suite_checks[] = {
    {"relu-lesson", "relu: the lesson's 3x2 matrix", 1, "",
     "out[k] = Z[k] when Z[k] > 0, else 0: the larger of the two, never the smaller.", 5, 0, check_relu_lesson},
    {"relu-edges", "relu: zeros of both signs, the tiniest and largest floats, +-inf", 1, "",
     "max(0, z) passes every positive value through unchanged, even 1e-45 and inf, and gives 0 for every "
     "negative one, even -1e-45 and -inf.", 5, 0, check_relu_edges},
    {"relu-random", "relu: a random 9x7 matrix with std 3; Z stays unchanged", 1, "", NULL, 5, 0,
     check_relu_random},
    {"relu-in-place", "relu: in place, relu(Z, Z)", 1, "", NULL, 5, 0, check_relu_in_place},
    {"relu-derivative-lesson", "relu_derivative: the lesson's 3x2 matrix", 1, "",
     "relu'(z) is 1 where z > 0 and 0 elsewhere: a slope of 0 or 1, not the value relu(z).", 5, 0,
     check_relu_derivative_lesson},
    {"relu-derivative-edges", "relu_derivative: 0 and -0 give 0; the tiniest and largest floats, +-inf", 2, "",
     "The convention is relu'(0) = 0: test z > 0, not z >= 0 (and -0.0 >= 0 is true in C).", 5, 0,
     check_relu_derivative_edges},
    {"relu-derivative-random", "relu_derivative: a random 9x7 matrix with std 3; Z stays unchanged", 1, "", NULL, 5,
     0, check_relu_derivative_random},
    {"relu-derivative-in-place", "relu_derivative: in place, relu_derivative(Z, Z)", 1, "", NULL, 5, 0,
     check_relu_derivative_in_place},
    {"relu-derivative-numeric", "relu_derivative: against central differences of sum(v * relu(Z)), 4x5", 2, "",
     "The gradient of sum(v * relu(Z)) by z_k is v_k relu'(z_k): your relu_derivative must be the slope of relu.", 5,
     0, check_relu_derivative_numeric},
    {"sigmoid-derivative-lesson", "sigmoid_derivative: A = 0.5, 0.9, 0.1, 1, 0, 0.25, 0.75, 0.999", 1, "",
     "The argument is A = sigmoid(Z), already computed: the slope is A (1 - A), with no exponential. "
     "At A = 0.5 it is 0.25.", 5, 0, check_sigmoid_derivative_lesson},
    {"sigmoid-derivative-random", "sigmoid_derivative: a random 6x5 A; A unchanged; in place", 1, "", NULL, 5, 0,
     check_sigmoid_derivative_random},
    {"sigmoid-derivative-numeric", "sigmoid_derivative: against central differences of sum(v * sigmoid(Z)), 3x6", 2,
     "", "d sigmoid(z) / dz = sigmoid(z) (1 - sigmoid(z)) = A (1 - A).", 5, 0, check_sigmoid_derivative_numeric},
    {"softmax-lesson", "softmax: the lesson's 4x10 scores; each row sums to 1", 3, "",
     "Each row on its own: out[i][j] = e^(z_ij - m_i) / sum_k e^(z_ik - m_i), with m_i the largest score of row i. "
     "Normalise over the columns of a row, not down a column.", 5, 0, check_softmax_lesson},
    {"softmax-shapes", "softmax: random 1x10, 5x3, 7x10 and 6x1 scores; Z stays unchanged", 2, "",
     "Use Z->cols for the length of a row. With one column every probability is 1.", 5, 0, check_softmax_shapes},
    {"softmax-large", "softmax: scores of +-1000 and +-1e4, with no inf or NaN", 3, "",
     "Subtract the largest score of the row before expf: e^(z - m) is at most 1, so nothing overflows. "
     "Compute z - m and never add m back (at 1e4 a float is only exact to 0.001).", 5, 0, check_softmax_large},
    {"softmax-shift", "softmax: softmax(Z + 50) and softmax(Z - 30) equal softmax(Z)", 1, "", NULL, 5, 0,
     check_softmax_shift},
    {"softmax-in-place", "softmax: in place, softmax(Z, Z)", 1, "",
     "out may be Z: find the row's largest score before you write any element of that row, and take the sum "
     "of the exponentials from what you wrote into out, not from Z.", 5, 0,
     check_softmax_in_place},
};
const int kit_suite_check_count = sizeof kit_suite_checks / sizeof kit_suite_checks[0];
