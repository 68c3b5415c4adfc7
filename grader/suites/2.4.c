/* The grading suite of chapter 2.4: Debugging with Numerical Gradients. */
#include "check.h"
#include "course.h"

#include <math.h>
#include <stdio.h>

const char kit_suite_chapter[] = "2.4";

/* Numerical gradients against the reference's. Both evaluate the same float losses at the same
 * points, so a correct numerical_gradient differs from the reference only where it forms W[k] +- h
 * or the quotient another way: a few units in the last place of a loss of size 1 to 30, divided by
 * 2h = 0.02, that is at most a few 1e-5. These tolerances allow 20 times that; forward differences
 * are off by h L'' / 2, 1e-2 or more in every check below. */
#define NUMERIC_ABS_TOL 5e-4
#define NUMERIC_REL_TOL 5e-4
/* relative_error of fixed inputs: float rounding of one quotient. */
#define ERROR_ABS_TOL 1e-6
#define ERROR_REL_TOL 1e-5

/* ---- the losses the checks differentiate ------------------------------- */

/* A linear model y_pred = XW + b with X N x D, W D x 1, b 1 x 1, y N x 1. */
typedef struct {
    const Matrix *X, *y;
    Matrix *W, *b;
} LinearProblem;

/* The mean squared error (1/N) sum_i (x_i W + b - y_i)^2, summed in double. */
static double mse_in_double(const LinearProblem *p)
{
    int N = p->X->rows, D = p->X->cols;
    double sum = 0.0;
    for (int i = 0; i < N; i++) {
        double r = (double)p->b->data[0] - p->y->data[i];
        for (int k = 0; k < D; k++)
            r += (double)p->X->data[i * D + k] * p->W->data[k];
        sum += r * r;
    }
    return sum / N;
}

/* The same loss as a LossFunction (float) for the learner's numerical_gradient. */
static float mse_float(void *context) { return (float)mse_in_double(context); }

/* The mean logistic loss (1/N) sum_i [log(1 + e^z_i) - y_i z_i], z_i = x_i W + b: not quadratic in W. */
static float logistic_float(void *context)
{
    const LinearProblem *p = context;
    int N = p->X->rows, D = p->X->cols;
    double sum = 0.0;
    for (int i = 0; i < N; i++) {
        double z = p->b->data[0];
        for (int k = 0; k < D; k++)
            z += (double)p->X->data[i * D + k] * p->W->data[k];
        double softplus = z > 0 ? z + log1p(exp(-z)) : log1p(exp(z));
        sum += softplus - p->y->data[i] * z;
    }
    return (float)(sum / N);
}

/* A layer of M logistic outputs, Z = XW with X N x K and W K x M, targets T (N x M) of 0 and 1, the loss
 * summed over the outputs and averaged over the examples:
 *   L(W) = (1/N) sum_ij [log(1 + e^Z_ij) - T_ij Z_ij],  dL/dW = X^T (sigmoid(Z) - T) / N. */
typedef struct {
    const Matrix *X, *T;
    Matrix *W;
} LayerProblem;

static double layer_z(const LayerProblem *p, int i, int j)
{
    int K = p->X->cols, M = p->W->cols;
    double z = 0.0;
    for (int k = 0; k < K; k++)
        z += (double)p->X->data[i * K + k] * p->W->data[k * M + j];
    return z;
}

static float layer_float(void *context)
{
    const LayerProblem *p = context;
    int N = p->X->rows, M = p->W->cols;
    double sum = 0.0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++) {
            double z = layer_z(p, i, j);
            double softplus = z > 0 ? z + log1p(exp(-z)) : log1p(exp(z));
            sum += softplus - p->T->data[i * M + j] * z;
        }
    return (float)(sum / N);
}

/* The analytic gradient of layer_float, computed here in double. */
static void layer_gradient(Matrix *dW, const LayerProblem *p)
{
    int N = p->X->rows, K = p->X->cols, M = p->W->cols;
    for (int k = 0; k < K; k++)
        for (int j = 0; j < M; j++) {
            double sum = 0.0;
            for (int i = 0; i < N; i++)
                sum += (double)p->X->data[i * K + k] * (1.0 / (1.0 + exp(-layer_z(p, i, j))) - p->T->data[i * M + j]);
            dW->data[k * M + j] = (float)(sum / N);
        }
}

/* e^W[0] for a 1 x 1 W, and W[0]^2 + 3 W[1] for a 1 x 2 W: the examples of the spec. */
static float exp_loss(void *context) { return expf(((Matrix *)context)->data[0]); }
static float square_plus_linear(void *context)
{
    const float *w = ((Matrix *)context)->data;
    return w[0] * w[0] + 3.0f * w[1];
}

/* ---- random problems ---------------------------------------------------- */

/* A random regression problem: X (N x D) standard normal, W uniform in [-1.5, 1.5], b uniform in
 * [-1, 1], y = X w_true + 0.5 + noise with std 0.5: residuals of size about 1, losses of a few units. */
static void regression_problem(KitCase *c, uint64_t salt, int N, int D, Matrix *X, Matrix *W, Matrix *b, Matrix *y)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + salt);
    *X = kit_matrix_create(N, D), *W = kit_matrix_create(D, 1), *b = kit_matrix_create(1, 1);
    *y = kit_matrix_create(N, 1);
    kit_matrix_fill_normal(X, &rng, 0, 1);
    kit_matrix_fill_uniform(W, &rng, -1.5f, 1.5f);
    kit_matrix_fill_uniform(b, &rng, -1, 1);
    for (int i = 0; i < N; i++) {
        double value = 0.5 + 0.5 * kit_rng_normal(&rng);
        for (int k = 0; k < D; k++)
            value += (double)X->data[i * D + k] * (W->data[k] + 0.4 * kit_rng_normal(&rng));
        y->data[i] = (float)value;
    }
}

/* A random classification problem: X (N x D) normal with std 1.5, W normal with std 0.7, b uniform in
 * [-0.5, 0.5], labels y (N x 1) of 0 and 1 drawn from the model's own probabilities. */
static void classification_problem(KitCase *c, uint64_t salt, int N, int D, Matrix *X, Matrix *W, Matrix *b,
                                   Matrix *y)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + salt);
    *X = kit_matrix_create(N, D), *W = kit_matrix_create(D, 1), *b = kit_matrix_create(1, 1);
    *y = kit_matrix_create(N, 1);
    kit_matrix_fill_normal(X, &rng, 0, 1.5f);
    kit_matrix_fill_normal(W, &rng, 0, 0.7f);
    kit_matrix_fill_uniform(b, &rng, -0.5f, 0.5f);
    for (int i = 0; i < N; i++) {
        double z = b->data[0];
        for (int k = 0; k < D; k++)
            z += (double)X->data[i * D + k] * W->data[k];
        y->data[i] = kit_rng_uniform(&rng) < 1.0 / (1.0 + exp(-z)) ? 1.0f : 0.0f;
    }
}

/* A random layer: X (N x K) standard normal, W (K x M) normal with std 0.8, T (N x M) of 0 and 1. */
static void layer_problem(KitCase *c, uint64_t salt, int N, int K, int M, Matrix *X, Matrix *W, Matrix *T)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + salt);
    *X = kit_matrix_create(N, K), *W = kit_matrix_create(K, M), *T = kit_matrix_create(N, M);
    kit_matrix_fill_normal(X, &rng, 0, 1);
    kit_matrix_fill_normal(W, &rng, 0, 0.8f);
    for (int k = 0; k < N * M; k++)
        T->data[k] = kit_rng_uniform(&rng) < 0.5f ? 1.0f : 0.0f;
}

static void free_four(Matrix *a, Matrix *b, Matrix *c, Matrix *d)
{
    kit_matrix_free(a), kit_matrix_free(b), kit_matrix_free(c), kit_matrix_free(d);
}

/* Calls numerical_gradient on a fresh NaN-filled grad of params' shape and emits it. */
static void emit_numeric(KitCase *c, const char *what, Matrix *params, LossFunction loss, void *context, float h)
{
    Matrix grad = kit_output_matrix(params->rows, params->cols);
    char label[200];
    numerical_gradient(&grad, params, loss, context, h);
    snprintf(label, sizeof label, "grad (%dx%d) from numerical_gradient, %s, h = %g", params->rows, params->cols,
             what, (double)h);
    kit_emit(c, label, &grad, NUMERIC_ABS_TOL, NUMERIC_REL_TOL);
    kit_matrix_free(&grad);
}

/* ---- numerical_gradient ------------------------------------------------ */

static void check_numeric_examples(KitCase *c)
{
    const float zero[] = {0}, one_two[] = {1, 2};
    Matrix w = kit_matrix_from(1, 1, zero), v = kit_matrix_from(1, 2, one_two);
    kit_show_input(c, "W of the loss e^W[0]", &w);
    kit_show_input(c, "W of the loss W[0]^2 + 3 W[1]", &v);
    emit_numeric(c, "the loss e^W[0] at W = 0 (the spec's example: 1.00167)", &w, exp_loss, &w, 0.1f);
    emit_numeric(c, "the loss W[0]^2 + 3 W[1] at W = [1, 2] (the spec's example: [2, 3])", &v,
                 square_plus_linear, &v, 0.01f);

    /* the lesson's three points on y = 2x + 1, at W = 0, b = 0: dW = -22.6667, db = -10 */
    const float xs[] = {1, 2, 3}, ys[] = {3, 5, 7};
    Matrix X = kit_matrix_from(3, 1, xs), y = kit_matrix_from(3, 1, ys);
    Matrix W = kit_matrix_from(1, 1, zero), b = kit_matrix_from(1, 1, zero);
    LinearProblem problem = {&X, &y, &W, &b};
    kit_show_input(c, "X (three points of y = 2x + 1)", &X);
    kit_show_input(c, "y", &y);
    emit_numeric(c, "of the MSE by W, at W = 0, b = 0 (-22.6667)", &W, mse_float, &problem, 0.01f);
    emit_numeric(c, "of the MSE by b, at W = 0, b = 0 (-10)", &b, mse_float, &problem, 0.01f);
    free_four(&w, &v, &X, &y);
    kit_matrix_free(&W), kit_matrix_free(&b);
}

static void check_numeric_mse(KitCase *c)
{
    Matrix X, W, b, y;
    regression_problem(c, 2401, 9, 4, &X, &W, &b, &y);
    LinearProblem problem = {&X, &y, &W, &b};
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W", &W);
    kit_show_input(c, "b", &b);
    kit_show_input(c, "y", &y);
    emit_numeric(c, "of the MSE of a random 9x4 problem by W", &W, mse_float, &problem, 0.01f);
    emit_numeric(c, "of the MSE of a random 9x4 problem by b", &b, mse_float, &problem, 0.01f);
    emit_numeric(c, "of the MSE of a random 9x4 problem by W", &W, mse_float, &problem, 0.1f);
    free_four(&X, &W, &b, &y);
}

static void check_numeric_logistic(KitCase *c)
{
    Matrix X, W, b, y;
    classification_problem(c, 2402, 10, 3, &X, &W, &b, &y);
    LinearProblem problem = {&X, &y, &W, &b};
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W", &W);
    kit_show_input(c, "b", &b);
    kit_show_input(c, "y", &y);
    emit_numeric(c, "of the logistic loss of a random 10x3 problem by W", &W, logistic_float, &problem, 0.01f);
    emit_numeric(c, "of the logistic loss of a random 10x3 problem by b", &b, logistic_float, &problem, 0.01f);
    emit_numeric(c, "of the logistic loss of a random 10x3 problem by W", &W, logistic_float, &problem, 0.2f);
    free_four(&X, &W, &b, &y);
}

static void check_numeric_matrix(KitCase *c)
{
    Matrix X, W, T;
    layer_problem(c, 2403, 6, 3, 4, &X, &W, &T);
    LayerProblem problem = {&X, &T, &W};
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W", &W);
    kit_show_input(c, "T", &T);
    emit_numeric(c, "of a layer's logistic loss by a 3x4 W", &W, layer_float, &problem, 0.01f);
    emit_numeric(c, "of a layer's logistic loss by a 3x4 W", &W, layer_float, &problem, 0.2f);
    kit_matrix_free(&X), kit_matrix_free(&W), kit_matrix_free(&T);
}

/* W must come back exactly as it was: values where (w + h) - h is not w in float. */
static void check_numeric_restores(KitCase *c)
{
    Matrix X, W, b, y;
    regression_problem(c, 2404, 7, 5, &X, &W, &b, &y);
    const float awkward[] = {0.3f, 0.2f, 0.1f}; /* += h, -= 2h, += h misses 0.3 and 0.2 for h = 0.01, 0.1 for 0.03 */
    for (int k = 0; k < 3; k++)
        W.data[k] = awkward[k];
    b.data[0] = 0.3f;
    LinearProblem problem = {&X, &y, &W, &b};
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W", &W);
    kit_show_input(c, "b", &b);
    Matrix W_before = kit_matrix_create(5, 1), b_before = kit_matrix_create(1, 1);
    kit_matrix_copy(&W_before, &W);
    kit_matrix_copy(&b_before, &b);
    Matrix grad = kit_output_matrix(5, 1), grad_b = kit_output_matrix(1, 1);
    numerical_gradient(&grad, &W, mse_float, &problem, 0.01f);
    kit_emit(c, "W after numerical_gradient by W, h = 0.01 (exactly the W before the call)", &W, 0, 0);
    numerical_gradient(&grad_b, &b, mse_float, &problem, 0.01f);
    kit_emit(c, "b after numerical_gradient by b, h = 0.01 (exactly the b before the call)", &b, 0, 0);
    numerical_gradient(&grad, &W, mse_float, &problem, 0.03f);
    kit_emit(c, "W after numerical_gradient by W, h = 0.03 (exactly the W before the call)", &W, 0, 0);
    kit_emit_unchanged(c, "numerical_gradient", "X (which the loss reads)", &X);
    kit_emit(c, "grad (5x1) from the last call, h = 0.03", &grad, NUMERIC_ABS_TOL, NUMERIC_REL_TOL);
    free_four(&X, &W, &b, &y);
    free_four(&W_before, &b_before, &grad, &grad_b);
}

/* grad holds junk before the call, and the same grad is used twice: it must be overwritten. */
static void check_numeric_overwrites(KitCase *c)
{
    Matrix X, W, b, y;
    regression_problem(c, 2405, 8, 3, &X, &W, &b, &y);
    LinearProblem problem = {&X, &y, &W, &b};
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W", &W);
    kit_show_input(c, "b", &b);
    kit_show_input(c, "y", &y);
    Matrix grad = kit_matrix_create(3, 1);
    kit_matrix_fill(&grad, 7.0f);
    numerical_gradient(&grad, &W, mse_float, &problem, 0.01f);
    kit_emit(c, "grad (3x1) after numerical_gradient on a grad that held 7s", &grad, NUMERIC_ABS_TOL,
             NUMERIC_REL_TOL);
    numerical_gradient(&grad, &W, mse_float, &problem, 0.01f);
    kit_emit(c, "grad (3x1) after a second call on the same grad", &grad, NUMERIC_ABS_TOL, NUMERIC_REL_TOL);
    free_four(&X, &W, &b, &y);
    kit_matrix_free(&grad);
}

/* ---- relative_error ----------------------------------------------------- */

/* Emits relative_error(a, b) for two 1 x n rows, then a and b after the call, named "a (case)" and "b (case)". */
static void emit_error(KitCase *c, const char *what, const char *name, int n, const float *a, const float *b)
{
    Matrix A = kit_matrix_from(1, n, a), B = kit_matrix_from(1, n, b);
    char label[240];
    snprintf(label, sizeof label, "relative_error(a, b), %s", what);
    kit_emit_scalar(c, label, relative_error(&A, &B), ERROR_ABS_TOL, ERROR_REL_TOL);
    snprintf(label, sizeof label, "a (%s)", name);
    kit_emit_unchanged(c, "relative_error", label, &A);
    snprintf(label, sizeof label, "b (%s)", name);
    kit_emit_unchanged(c, "relative_error", label, &B);
    kit_matrix_free(&A), kit_matrix_free(&B);
}

static void check_error_cases(KitCase *c)
{
    const float ex_a[] = {2, 0.001f, -3}, ex_b[] = {2.2f, 0.003f, -3};
    emit_error(c, "the spec's example a = [2, 0.001, -3], b = [2.2, 0.003, -3] (0.0909)", "the spec's example", 3, ex_a, ex_b);
    const float same[] = {1.5f, -2, 0, 40};
    emit_error(c, "a = b = [1.5, -2, 0, 40] (0)", "equal", 4, same, same);
    const float flip_a[] = {3, -4, 1.25f}, flip_b[] = {-3, 4, -1.25f};
    emit_error(c, "b = -a, a = [3, -4, 1.25] (a sign flip: 2)", "a sign flip", 3, flip_a, flip_b);
    const float zeros[] = {0, 0, 0};
    emit_error(c, "a = b = [0, 0, 0] (0, not 0 / 0)", "zeros", 3, zeros, zeros);
    const float tiny_a[] = {1e-6f, -2e-6f}, tiny_b[] = {3e-6f, 2e-6f};
    emit_error(c, "tiny gradients a = [1e-6, -2e-6], b = [3e-6, 2e-6] (the floor 1: 4e-6)", "tiny", 2, tiny_a, tiny_b);
    const float half_a[] = {0.5f}, half_b[] = {0};
    emit_error(c, "a = [0.5], b = [0] (below 1 the error is absolute: 0.5)", "0.5 and 0", 1, half_a, half_b);
    const float one_a[] = {1, 1, 1, 1, 1, 1, 1, 1}, one_b[] = {1, 1, 1, 1, 1, 1, 1, 2};
    emit_error(c, "a = [1 x 8], b the same but 2 in the last place (the largest error: 0.5)", "eight ones", 8, one_a, one_b);
    const float big_a[] = {100, -250, 2}, big_b[] = {101, -250, 2.01f};
    emit_error(c, "a = [100, -250, 2], b = [101, -250, 2.01] (1/101)", "large", 3, big_a, big_b);
    const float factor_a[] = {10, -6, 2}, factor_b[] = {5, -3, 1};
    emit_error(c, "a = 2 b, b = [5, -3, 1] (a factor of 2: 0.5)", "a factor of 2", 3, factor_a, factor_b);
    /* a 2 x 3 pair: every element counts, not only the first row */
    const float wide_a[] = {1, 2, 3, 4, 5, 6}, wide_b[] = {1, 2, 3, 4, 5, 9};
    Matrix A = kit_matrix_from(2, 3, wide_a), B = kit_matrix_from(2, 3, wide_b);
    kit_emit_scalar(c, "relative_error(a, b) of two 2x3 matrices that differ in the last element (1/3)",
                    relative_error(&A, &B), ERROR_ABS_TOL, ERROR_REL_TOL);
    kit_emit_unchanged(c, "relative_error", "a (2x3)", &A);
    kit_emit_unchanged(c, "relative_error", "b (2x3)", &B);
    kit_matrix_free(&A), kit_matrix_free(&B);
}

static void check_error_not_finite(KitCase *c)
{
    const float good[] = {1, 2, 3}, nan_a[] = {1, NAN, 3}, nan_last[] = {1, 2, NAN};
    const float inf_a[] = {1, 2, INFINITY}, minus_inf[] = {-INFINITY, 2, 3};
    emit_error(c, "a = [1, nan, 3], b = [1, 2, 3] (nan)", "nan in a", 3, nan_a, good);
    emit_error(c, "a = [1, 2, 3], b = [1, 2, nan] (nan)", "nan in b", 3, good, nan_last);
    emit_error(c, "a = [1, 2, inf], b = [1, 2, 3] (nan)", "inf in a", 3, inf_a, good);
    emit_error(c, "a = [1, 2, 3], b = [-inf, 2, 3] (nan)", "-inf in b", 3, good, minus_inf);
}

static void check_error_random(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 2406);
    Matrix a = kit_matrix_create(6, 5), b = kit_matrix_create(6, 5), noise = kit_matrix_create(6, 5);
    kit_matrix_fill_normal(&a, &rng, 0, 3);
    kit_matrix_fill_normal(&noise, &rng, 0, 0.01f);
    for (int k = 0; k < 30; k++)
        b.data[k] = a.data[k] + noise.data[k];
    kit_show_input(c, "a", &a);
    kit_show_input(c, "b", &b);
    kit_emit_scalar(c, "relative_error(a, b), b = a + noise of std 0.01", relative_error(&a, &b), ERROR_ABS_TOL,
                    ERROR_REL_TOL);
    kit_emit_unchanged(c, "relative_error", "b", &b);
    b.data[kit_rng_below(&rng, 30)] *= -1.0f; /* one element flipped among 30 */
    kit_show_input(c, "b with one element's sign flipped", &b);
    kit_emit_scalar(c, "relative_error(a, b), one element of b with its sign flipped", relative_error(&a, &b),
                    ERROR_ABS_TOL, ERROR_REL_TOL);
    kit_emit_scalar(c, "relative_error(b, a), the same pair swapped", relative_error(&b, &a), ERROR_ABS_TOL,
                    ERROR_REL_TOL);
    kit_emit_unchanged(c, "relative_error", "a", &a);
    kit_emit_unchanged(c, "relative_error", "b with one element's sign flipped", &b);
    kit_matrix_free(&a), kit_matrix_free(&b), kit_matrix_free(&noise);
}

/* ---- the two together, and the grader's own checker -------------------- */

/* numerical_gradient and relative_error used as in the lesson: a right gradient, then broken ones. */
static void check_checker_workflow(KitCase *c)
{
    Matrix X, W, T;
    layer_problem(c, 2407, 7, 4, 4, &X, &W, &T);
    LayerProblem problem = {&X, &T, &W};
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W", &W);
    kit_show_input(c, "T", &T);
    Matrix numeric = kit_output_matrix(4, 4), analytic = kit_matrix_create(4, 4), broken = kit_matrix_create(4, 4);
    numerical_gradient(&numeric, &W, layer_float, &problem, 0.01f);
    layer_gradient(&analytic, &problem);
    kit_emit_scalar(c, "relative_error(analytic, numeric) for the right gradient (about 1e-5)",
                    relative_error(&analytic, &numeric), 5e-4, 0.5);
    kit_emit_unchanged(c, "relative_error", "analytic", &analytic);
    for (int k = 0; k < 16; k++)
        broken.data[k] = -analytic.data[k];
    kit_emit_scalar(c, "relative_error(analytic, numeric) with the sign of the analytic gradient flipped",
                    relative_error(&broken, &numeric), 1e-3, 1e-3);
    kit_emit_unchanged(c, "relative_error", "the flipped analytic gradient", &broken);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            broken.data[i * 4 + j] = analytic.data[j * 4 + i];
    kit_emit_scalar(c, "relative_error(analytic, numeric) with the analytic gradient transposed",
                    relative_error(&broken, &numeric), 1e-3, 1e-3);
    kit_emit_unchanged(c, "relative_error", "the transposed analytic gradient", &broken);
    kit_matrix_free(&X), kit_matrix_free(&W), kit_matrix_free(&T);
    kit_matrix_free(&numeric), kit_matrix_free(&analytic), kit_matrix_free(&broken);
}

const KitCheck kit_suite_checks[] = {
    {"numeric-examples", "numerical_gradient: the spec's examples and the MSE of three points of y = 2x + 1", 2, "",
     "For each k: save W[k], set W[k] = saved + h and call loss, set W[k] = saved - h and call loss, put saved "
     "back, then grad[k] = (up - down) / (2 h).", 5, 0, check_numeric_examples},
    {"numeric-mse", "numerical_gradient: the MSE of a random 9x4 problem by W and by b, h = 0.01 and 0.1", 2, "",
     "Central differences divide by 2h, the distance between the two points. Forward differences "
     "(L(W + h) - L(W)) / h are off by about h L'' / 2.", 5, 0, check_numeric_mse},
    {"numeric-logistic", "numerical_gradient: the logistic loss of a random 10x3 problem, h = 0.01 and 0.2", 2, "",
     NULL, 5, 0, check_numeric_logistic},
    {"numeric-matrix", "numerical_gradient: a 3x4 weight matrix, every element moved in turn", 2, "",
     "Walk all rows * cols elements of W with one index k, and move only W->data[k] while you estimate "
     "grad->data[k].", 5, 0, check_numeric_matrix},
    {"numeric-restores", "numerical_gradient: W is exactly as before the call", 1, "",
     "Write the saved value back: W[k] += h followed by W[k] -= h does not always give the same float.", 5, 0,
     check_numeric_restores},
    {"numeric-overwrites", "numerical_gradient: overwrites a grad that held junk, twice", 1, "",
     "Assign grad[k] = ..., do not add to it: grad may hold anything when you are called.", 5, 0,
     check_numeric_overwrites},
    {"error-cases", "relative_error: equal, sign flip, zeros, tiny, and one bad element among many", 2, "",
     "Divide each |a_k - b_k| by max(|a_k|, |b_k|, 1) and keep the largest, not the mean. Two zero "
     "gradients give 0.", 5, 0, check_error_cases},
    {"error-not-finite", "relative_error: a NaN or an inf in a or b gives NaN", 1, "",
     "NaN > worst is false, so a NaN error is skipped by a plain comparison: test each element with "
     "isfinite and return NAN.", 5, 0, check_error_not_finite},
    {"error-random", "relative_error: random 6x5 gradients, a little noise, then one sign flipped", 1, "", NULL, 5, 0,
     check_error_random},
    {"checker-workflow", "numerical_gradient with relative_error: a right gradient, a flipped and a transposed one",
     2, "", "A right gradient gives a relative error near 1e-5; a flipped or a transposed one 0.5 or more.", 5, 0, check_checker_workflow},
};
const int kit_suite_check_count = sizeof kit_suite_checks / sizeof kit_suite_checks[0];
