/* The grading suite of chapter 2.2: Gradient Descent for Optimization. */
#include "check.h"
#include "course.h"

#include <math.h>
#include <stdio.h>

const char kit_suite_chapter[] = "2.2";

/* Gradients and a few steps: sums of at most a few dozen float products, in float or double, in any
 * order, differ from the reference by about 1e-6 of their size; these tolerances allow 100 times that. */
#define ABS_TOL 1e-4
#define REL_TOL 1e-4

/* The lesson's three points on the line y = 2x + 1. */
static const float line_x[] = {1, 2, 3}, line_y[] = {3, 5, 7};

/* Calls mse_gradient on fresh NaN-filled outputs and emits dW and db under a label naming the shapes. */
static void emit_gradient(KitCase *c, const char *what, const Matrix *X, const Matrix *W, const Matrix *b,
                          const Matrix *y)
{
    Matrix dW = kit_output_matrix(X->cols, 1), db = kit_output_matrix(1, 1);
    char label[160];
    mse_gradient(&dW, &db, X, W, b, y);
    snprintf(label, sizeof label, "dW (%dx1) from mse_gradient, X %dx%d, %s", X->cols, X->rows, X->cols, what);
    kit_emit(c, label, &dW, ABS_TOL, REL_TOL);
    snprintf(label, sizeof label, "db (1x1) from mse_gradient, X %dx%d, %s", X->rows, X->cols, what);
    kit_emit(c, label, &db, ABS_TOL, REL_TOL);
    kit_matrix_free(&dW), kit_matrix_free(&db);
}

/* A random regression problem: X (N x D) standard normal, W (D x 1) and b (1 x 1) uniform in [-2, 2],
 * y (N x 1) = X w_true + 1.5 + noise, so that the residuals are neither zero nor huge. */
static void random_problem(KitCase *c, uint64_t salt, int N, int D, Matrix *X, Matrix *W, Matrix *b, Matrix *y)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + salt);
    *X = kit_matrix_create(N, D), *W = kit_matrix_create(D, 1), *b = kit_matrix_create(1, 1);
    *y = kit_matrix_create(N, 1);
    Matrix w_true = kit_matrix_create(D, 1);
    kit_matrix_fill_normal(X, &rng, 0, 1);
    kit_matrix_fill_uniform(W, &rng, -2, 2);
    kit_matrix_fill_uniform(b, &rng, -2, 2);
    kit_matrix_fill_uniform(&w_true, &rng, -3, 3);
    for (int i = 0; i < N; i++) {
        double value = 1.5 + 0.5 * kit_rng_normal(&rng);
        for (int k = 0; k < D; k++)
            value += (double)X->data[i * D + k] * w_true.data[k];
        y->data[i] = (float)value;
    }
    kit_matrix_free(&w_true);
}

/* Emits the four inputs of mse_gradient after the call, each name followed by suffix. */
static void emit_problem_unchanged(KitCase *c, const char *suffix, const Matrix *X, const Matrix *W, const Matrix *b,
                                   const Matrix *y)
{
    const char *names[] = {"X", "W", "b", "y"};
    const Matrix *inputs[] = {X, W, b, y};
    char label[64];
    for (int k = 0; k < 4; k++) {
        snprintf(label, sizeof label, "%s%s", names[k], suffix);
        kit_emit_unchanged(c, "mse_gradient", label, inputs[k]);
    }
}

static void free_problem(Matrix *X, Matrix *W, Matrix *b, Matrix *y)
{
    kit_matrix_free(X), kit_matrix_free(W), kit_matrix_free(b), kit_matrix_free(y);
}

static void check_gradient_lesson(KitCase *c)
{
    const float zero[] = {0}, two[] = {2}, one[] = {1}, half[] = {0.5f};
    Matrix X = kit_matrix_from(3, 1, line_x), y = kit_matrix_from(3, 1, line_y);
    Matrix W0 = kit_matrix_from(1, 1, zero), b0 = kit_matrix_from(1, 1, zero);
    Matrix W2 = kit_matrix_from(1, 1, two), b1 = kit_matrix_from(1, 1, one), bh = kit_matrix_from(1, 1, half);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "y", &y);
    emit_gradient(c, "at W = 0, b = 0", &X, &W0, &b0, &y);
    emit_gradient(c, "at W = 2, b = 1 (the exact fit: the gradient is 0)", &X, &W2, &b1, &y);
    emit_gradient(c, "at W = 2, b = 0.5 (every prediction 0.5 too low)", &X, &W2, &bh, &y);
    kit_emit_unchanged(c, "mse_gradient", "X", &X);
    kit_emit_unchanged(c, "mse_gradient", "y", &y);
    kit_emit_unchanged(c, "mse_gradient", "W (at W = 0, b = 0)", &W0);
    kit_emit_unchanged(c, "mse_gradient", "b (at W = 0, b = 0)", &b0);
    kit_emit_unchanged(c, "mse_gradient", "W (at W = 2)", &W2);
    kit_emit_unchanged(c, "mse_gradient", "b (at W = 2, b = 1)", &b1);
    kit_emit_unchanged(c, "mse_gradient", "b (at W = 2, b = 0.5)", &bh);
    kit_matrix_free(&X), kit_matrix_free(&y), kit_matrix_free(&W0), kit_matrix_free(&b0);
    kit_matrix_free(&W2), kit_matrix_free(&b1), kit_matrix_free(&bh);
}

static void check_gradient_one_feature(KitCase *c)
{
    Matrix X, W, b, y;
    random_problem(c, 221, 17, 1, &X, &W, &b, &y);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W", &W);
    kit_show_input(c, "b", &b);
    kit_show_input(c, "y", &y);
    emit_gradient(c, "random W and b", &X, &W, &b, &y);
    emit_problem_unchanged(c, "", &X, &W, &b, &y);
    free_problem(&X, &W, &b, &y);
}

static void check_gradient_features(KitCase *c)
{
    Matrix X, W, b, y, X2, W2, b2, y2;
    random_problem(c, 222, 23, 4, &X, &W, &b, &y);
    random_problem(c, 223, 6, 9, &X2, &W2, &b2, &y2);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W", &W);
    kit_show_input(c, "b", &b);
    kit_show_input(c, "y", &y);
    emit_gradient(c, "random W and b", &X, &W, &b, &y);
    emit_problem_unchanged(c, "", &X, &W, &b, &y);
    kit_show_input(c, "X (second problem, more features than examples)", &X2);
    kit_show_input(c, "W (second problem)", &W2);
    kit_show_input(c, "b (second problem)", &b2);
    kit_show_input(c, "y (second problem)", &y2);
    emit_gradient(c, "more features than examples", &X2, &W2, &b2, &y2);
    emit_problem_unchanged(c, " (second problem)", &X2, &W2, &b2, &y2);
    free_problem(&X, &W, &b, &y), free_problem(&X2, &W2, &b2, &y2);
}

/* The same outputs used twice: the second call must overwrite dW and db, not add to them. */
static void check_gradient_overwrites(KitCase *c)
{
    Matrix X, W, b, y;
    random_problem(c, 224, 11, 3, &X, &W, &b, &y);
    Matrix dW = kit_output_matrix(3, 1), db = kit_output_matrix(1, 1);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W (first call)", &W);
    kit_show_input(c, "b (first call)", &b);
    kit_show_input(c, "y", &y);
    mse_gradient(&dW, &db, &X, &W, &b, &y);
    kit_emit_unchanged(c, "mse_gradient", "W (first call)", &W);
    kit_emit_unchanged(c, "mse_gradient", "b (first call)", &b);
    for (int k = 0; k < 3; k++)
        W.data[k] = -0.5f * W.data[k] + 1.0f;
    b.data[0] += 2.0f;
    kit_show_input(c, "W (second call)", &W);
    kit_show_input(c, "b (second call)", &b);
    mse_gradient(&dW, &db, &X, &W, &b, &y);
    kit_emit(c, "dW after the second call on the same dW and db", &dW, ABS_TOL, REL_TOL);
    kit_emit(c, "db after the second call on the same dW and db", &db, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "mse_gradient", "X", &X);
    kit_emit_unchanged(c, "mse_gradient", "y", &y);
    kit_emit_unchanged(c, "mse_gradient", "W (second call)", &W);
    kit_emit_unchanged(c, "mse_gradient", "b (second call)", &b);
    kit_matrix_free(&dW), kit_matrix_free(&db);
    free_problem(&X, &W, &b, &y);
}

/* Runs gradient_descent on copies of W0 and b0 and emits the trained W, b and the losses. */
static void emit_descent(KitCase *c, const char *what, const Matrix *X, const Matrix *y, const Matrix *W0,
                         const Matrix *b0, float lr, int steps, double abs_tol, double rel_tol)
{
    Matrix W = kit_matrix_create(W0->rows, 1), b = kit_matrix_create(1, 1), losses = kit_output_matrix(1, steps);
    char label[160];
    kit_matrix_copy(&W, W0);
    kit_matrix_copy(&b, b0);
    gradient_descent(&W, &b, &losses, X, y, lr, steps);
    snprintf(label, sizeof label, "losses (1x%d) from gradient_descent, %s, lr %g", steps, what, lr);
    kit_emit(c, label, &losses, abs_tol, rel_tol);
    snprintf(label, sizeof label, "W after %d steps, %s", steps, what);
    kit_emit(c, label, &W, abs_tol, rel_tol);
    snprintf(label, sizeof label, "b after %d steps, %s", steps, what);
    kit_emit(c, label, &b, abs_tol, rel_tol);
    kit_matrix_free(&W), kit_matrix_free(&b), kit_matrix_free(&losses);
}

static void check_descent_lesson(KitCase *c)
{
    const float zero[] = {0};
    Matrix X = kit_matrix_from(3, 1, line_x), y = kit_matrix_from(3, 1, line_y);
    Matrix W0 = kit_matrix_from(1, 1, zero), b0 = kit_matrix_from(1, 1, zero);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "y", &y);
    kit_show_input(c, "W (start)", &W0);
    kit_show_input(c, "b (start)", &b0);
    emit_descent(c, "the lesson's three points from W = 0, b = 0", &X, &y, &W0, &b0, 0.05f, 2, ABS_TOL, REL_TOL);
    emit_descent(c, "the lesson's three points from W = 0, b = 0", &X, &y, &W0, &b0, 0.05f, 25, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "gradient_descent", "X", &X);
    kit_emit_unchanged(c, "gradient_descent", "y", &y);
    kit_matrix_free(&X), kit_matrix_free(&y), kit_matrix_free(&W0), kit_matrix_free(&b0);
}

static void check_descent_random(KitCase *c)
{
    Matrix X, W, b, y;
    random_problem(c, 225, 12, 3, &X, &W, &b, &y);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "y", &y);
    kit_show_input(c, "W (start)", &W);
    kit_show_input(c, "b (start)", &b);
    emit_descent(c, "12 examples, 3 features", &X, &y, &W, &b, 0.05f, 8, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "gradient_descent", "X", &X);
    kit_emit_unchanged(c, "gradient_descent", "y", &y);
    free_problem(&X, &W, &b, &y);
}

/* The lesson's first data set: 100 points, x standard normal, y = 3.5 x + 7.2 + noise of std 0.8. */
static void check_descent_recovers(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 226);
    int N = 100, steps = 1000;
    Matrix X = kit_matrix_create(N, 1), y = kit_matrix_create(N, 1), noise = kit_matrix_create(N, 1);
    kit_matrix_fill_normal(&X, &rng, 0, 1);
    kit_matrix_fill_normal(&noise, &rng, 0, 0.8f);
    for (int i = 0; i < N; i++)
        y.data[i] = 3.5f * X.data[i] + 7.2f + noise.data[i];
    Matrix W = kit_matrix_create(1, 1), b = kit_matrix_create(1, 1), losses = kit_output_matrix(1, steps);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "y", &y);
    gradient_descent(&W, &b, &losses, &X, &y, 0.01f, steps);
    /* the least-squares slope of 100 such points has a standard error of 0.8 / sqrt(100) = 0.08 around 3.5;
     * after 1000 steps every correct descent is within 1e-5 of it, and 0.02 is a quarter of that spread */
    kit_emit_scalar(c, "slope W after 1000 steps with lr 0.01 from 0 (true slope 3.5)", W.data[0], 0.02, 0);
    kit_emit_scalar(c, "intercept b after 1000 steps with lr 0.01 from 0 (true intercept 7.2)", b.data[0], 0.02, 0);
    kit_emit_scalar(c, "first loss, losses[0]", losses.data[0], 1e-3, 1e-4);
    kit_emit_scalar(c, "last loss, losses[999] (about the noise variance 0.64)", losses.data[steps - 1], 1e-3, 1e-3);
    kit_emit_unchanged(c, "gradient_descent", "X", &X);
    kit_emit_unchanged(c, "gradient_descent", "y", &y);
    kit_matrix_free(&X), kit_matrix_free(&y), kit_matrix_free(&noise);
    kit_matrix_free(&W), kit_matrix_free(&b), kit_matrix_free(&losses);
}

/* The lesson's second data set with lr 0.5, above the stable limit of about 0.12: the loss must blow up. */
static void check_descent_diverges(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 227);
    int N = 100, steps = 10;
    Matrix X = kit_matrix_create(N, 1), y = kit_matrix_create(N, 1);
    kit_matrix_fill_uniform(&X, &rng, -5, 5);
    for (int i = 0; i < N; i++)
        y.data[i] = 2.0f * X.data[i] + 3.0f + kit_rng_normal(&rng);
    Matrix W = kit_matrix_create(1, 1), b = kit_matrix_create(1, 1), losses = kit_output_matrix(1, steps);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "y", &y);
    gradient_descent(&W, &b, &losses, &X, &y, 0.5f, steps);
    float first = losses.data[0], last = losses.data[steps - 1];
    int grows = 1;
    for (int t = 1; t < steps; t++)
        grows &= losses.data[t] > losses.data[t - 1];
    kit_emit_scalar(c, "1 if the last loss is larger than the first (or inf), else 0", isinf(last) || last > first,
                    0, 0);
    kit_emit_scalar(c, "1 if the loss grew at every one of the 10 steps, else 0", grows, 0, 0);
    kit_emit(c, "losses (1x10) from gradient_descent with lr 0.5 from W = 0, b = 0", &losses, 0, 1e-3);
    kit_emit_unchanged(c, "gradient_descent", "X", &X);
    kit_emit_unchanged(c, "gradient_descent", "y", &y);
    kit_matrix_free(&X), kit_matrix_free(&y), kit_matrix_free(&W), kit_matrix_free(&b), kit_matrix_free(&losses);
}

/* ---- the kit's own gradient checker on mse_gradient ---------------------- */

typedef struct {
    const Matrix *X, *y;
    const Matrix *W, *b;
} RegressionProblem;

/* The mean squared error (1/N) sum_i (x_i W + b - y_i)^2, summed in double. */
static double mse_in_double(void *context)
{
    const RegressionProblem *p = context;
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

static void check_gradient_numeric(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 2209);
    Matrix X = kit_matrix_create(11, 4), W = kit_matrix_create(4, 1), b = kit_matrix_create(1, 1);
    Matrix y = kit_matrix_create(11, 1);
    kit_matrix_fill_normal(&X, &rng, 0, 1);
    kit_matrix_fill_normal(&W, &rng, 0, 1);
    kit_matrix_fill_normal(&b, &rng, 0, 1);
    kit_matrix_fill_normal(&y, &rng, 0, 2);
    RegressionProblem problem = {&X, &y, &W, &b};
    kit_show_input(c, "X", &X);
    Matrix dW = kit_output_matrix(4, 1), db = kit_output_matrix(1, 1);
    mse_gradient(&dW, &db, &X, &W, &b, &y);
    emit_problem_unchanged(c, "", &X, &W, &b, &y); /* before the checker moves W and b */
    kit_check_gradient(c, "W", &dW, &W, mse_in_double, &problem, 1e-2f, 1e-3);
    kit_check_gradient(c, "b", &db, &b, mse_in_double, &problem, 1e-2f, 1e-3);
    kit_matrix_free(&X), kit_matrix_free(&W), kit_matrix_free(&b), kit_matrix_free(&y);
    kit_matrix_free(&dW), kit_matrix_free(&db);
}

const KitCheck kit_suite_checks[] = {
    {"gradient-numeric", "mse_gradient: dW and db against the kit's central differences of the MSE (11x4)", 2, "",
     "The pattern line under the failure says how your gradient differs from the slope of the loss.", 5, 0,
     check_gradient_numeric},
    {"gradient-lesson", "mse_gradient: the lesson's three points, at W = 0, at the exact fit and below it", 2, "",
     "With r_i = x_i W + b - y_i: dW[k] = (2/N) sum_i r_i X[i][k] and db = (2/N) sum_i r_i. At the exact fit "
     "every r_i is 0.",
     5, 0, check_gradient_lesson},
    {"gradient-one-feature", "mse_gradient: 17 random examples with one feature", 2, "",
     "Include b in every prediction, and multiply both sums by 2/N (N = X->rows).", 5, 0,
     check_gradient_one_feature},
    {"gradient-features", "mse_gradient: 23x4 and 6x9 random problems; the inputs stay unchanged", 2, "",
     "X[i][k] is X->data[i * D + k] with D = X->cols; dW has D elements, one per feature.", 5, 0,
     check_gradient_features},
    {"gradient-overwrites", "mse_gradient: called twice on the same dW and db, the second call overwrites", 1, "",
     "Set dW and db from scratch on every call (start the sums at 0): do not add to what they held.", 5, 0,
     check_gradient_overwrites},
    {"descent-lesson", "gradient_descent: the lesson's three points, 2 and 25 steps with lr 0.05", 2, "1.2 2.1",
     "Each step: losses[t] = mse_loss(XW + b, y) first, then the gradient, then W -= lr dW and b -= lr db.", 5, 0,
     check_descent_lesson},
    {"descent-random", "gradient_descent: 8 steps on a random 12x3 problem; X and y stay unchanged", 2, "1.2 2.1",
     "Update every element of W (D of them) and b, with the gradient of the current W and b.", 5, 0,
     check_descent_random},
    {"descent-recovers", "gradient_descent: recovers slope 3.5 and intercept 7.2 from 100 noisy points", 3,
     "1.2 2.1", "Step against the gradient (W - lr dW): stepping along it climbs the loss.", 5, 0,
     check_descent_recovers},
    {"descent-diverges", "gradient_descent: lr 0.5 on x in [-5, 5] makes the loss grow", 1, "1.2 2.1",
     "Run all the steps as asked and record every loss, even when the loss grows.", 5, 0,
     check_descent_diverges},
};
const int kit_suite_check_count = sizeof kit_suite_checks / sizeof kit_suite_checks[0];
