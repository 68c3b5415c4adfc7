/* The grading suite of chapter 4.3: Pooling and CNN Architecture. */
#include "check.h"
#include "course.h"
#include "cnn_check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char kit_suite_chapter[] = "4.3";

/* Pooling copies values: exact. */
#define EXACT_TOL 0
/* The CNN's outputs and gradients: each element is a sum of at most a few dozen float products, computed by
 * cblas_sgemm in the reference and perhaps by loops (float or double, any order) in your code; they differ by a
 * few 1e-7 of their size. These tolerances allow about 100 times more. */
#define VALUE_ABS_TOL 1e-5
#define VALUE_REL_TOL 1e-4
/* Training steps and epochs carry those differences through several updates: 10 times more room. */
#define TRAINING_ABS_TOL 1e-4
#define TRAINING_REL_TOL 1e-3
/* Central differences of a loss computed here in double, with h = 1e-2: the problems keep every pooled maximum
 * at least MARGIN away from the runner-up of its window and from ReLU's kink at 0, so that no step of h changes
 * which value wins (a step moves a value of the maps by at most h * |pixel| <= 0.005 for W1, h = 0.01 for b1).
 * The judge allows 1e-3 of max(|analytic|, |numeric|, 1); the errors are about 1e-6. */
#define NUMERIC_H 1e-2f
#define NUMERIC_TOL 1e-3
#define MARGIN 0.03

/* The accuracy check's fixed budget: the course's CNN (8 filters of 3 x 3 -> 2x2 max pooling -> ReLU -> dense 1352
 * -> 10) from He-initialised weights (normal, std sqrt(2 / fan-in), zero biases), batches of 64, learning rate
 * ACCURACY_LR for ACCURACY_EPOCHS - 1 epochs and a tenth of it for the last one, then the test set's accuracy.
 * Measured with the reference (single-threaded OpenBLAS), seeds 1-8:
 *   MNIST (60,000 / 10,000 digits): min 0.9761, median 0.9770, max 0.9779; the bar 0.97 sits 0.0061 below the
 *   lowest seed. This network levels off near 98.3%: 8 epochs reach 0.9828 (seed 1), and 16 or 32 filters, or
 *   momentum, add about 0.001 (0.9835 and 0.9839 after 8 and 6 epochs).
 *   Fashion-MNIST: 87.61% to 88.62% (bar 0.86).
 * About 2 s an epoch on this 2-core machine when it is not shared (the whole check takes about 7 s). */
#define ACCURACY_FILTERS 8
#define ACCURACY_EPOCHS 3
#define ACCURACY_BATCH 64
#define ACCURACY_LR 0.2f
#define ACCURACY_LAST_LR 0.02f
#define MNIST_BAR 0.97
#define FASHION_BAR 0.86

/* ---- helpers ----------------------------------------------------------- */

/* Copies n ints into a 1 x n matrix of floats, so that they can be emitted (or shown). */
static Matrix int_matrix(const int *values, int n)
{
    Matrix m = kit_matrix_create(1, n);
    for (int k = 0; k < n; k++)
        m.data[k] = (float)values[k];
    return m;
}

/* The suite's own 2x2 max pooling (the first maximum on ties), of N rows of C x H x W. */
static void pool_here(float *out, int *argmax, const float *X, int N, int C, int H, int W)
{
    int PH = H / 2, PW = W / 2;
    for (int n = 0; n < N; n++)
        for (int ch = 0; ch < C; ch++)
            for (int py = 0; py < PH; py++)
                for (int px = 0; px < PW; px++) {
                    const float *row = X + (size_t)n * C * H * W;
                    int first = ch * H * W + 2 * py * W + 2 * px;
                    int window[4] = {first, first + 1, first + W, first + W + 1}, best = first;
                    for (int q = 1; q < 4; q++)
                        if (row[window[q]] > row[best])
                            best = window[q];
                    int o = n * C * PH * PW + (ch * PH + py) * PW + px;
                    out[o] = row[best];
                    argmax[o] = best;
                }
}

/* Runs the learner's max_pool on X (N rows of C x H x W) and emits out and argmax. */
static void emit_pool(KitCase *c, const char *what, const Matrix *X, int C, int H, int W)
{
    int N = X->rows, P = C * (H / 2) * (W / 2);
    Matrix out = kit_output_matrix(N, P);
    int *argmax = malloc((size_t)N * P * sizeof *argmax);
    for (int k = 0; k < N * P; k++)
        argmax[k] = -1;
    max_pool(&out, argmax, X, C, H, W);
    char label[200];
    snprintf(label, sizeof label, "out (%dx%d) = max_pool(%s)", N, P, what);
    kit_emit(c, label, &out, EXACT_TOL, 0);
    Matrix where = int_matrix(argmax, N * P);
    snprintf(label, sizeof label, "argmax (%d ints, -1 if never written) of max_pool(%s)", N * P, what);
    kit_emit(c, label, &where, 0, 0);
    kit_matrix_free(&out), kit_matrix_free(&where);
    free(argmax);
}

/* N rows of C x H x W distinct values with gaps of at least 0.1 between any two (a shuffled ramp), so that every
 * window has a clear maximum, whatever finite-difference step below 0.05 is taken. */
static Matrix distinct_matrix(const KitCase *c, uint64_t salt, int N, int cols)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + salt);
    int n = N * cols;
    int *order = malloc((size_t)n * sizeof *order);
    for (int k = 0; k < n; k++)
        order[k] = k;
    for (int k = n - 1; k > 0; k--) {
        int j = kit_rng_below(&rng, k + 1), kept = order[k];
        order[k] = order[j], order[j] = kept;
    }
    Matrix X = kit_matrix_create(N, cols);
    for (int k = 0; k < n; k++)
        X.data[k] = 0.1f * (float)(order[k] - n / 2) + 0.02f * kit_rng_uniform(&rng);
    free(order);
    return X;
}

/* ---- max_pool ------------------------------------------------------------ */

static const float lesson_image[16] = {1, 3, 2, 0, 4, 2, 1, 5, 0, 0, 7, 1, 0, 0, 2, 3};

static void check_pool_lesson(KitCase *c)
{
    Matrix X = kit_matrix_from(1, 16, lesson_image);
    kit_show_input(c, "X (one 4x4 image)", &X);
    emit_pool(c, "X, C=1, 4x4: a window of four zeros, whose first is the one", &X, 1, 4, 4);
    /* the same image with a fifth row and column of large values: they are in no window */
    float big[25];
    for (int y = 0; y < 5; y++)
        for (int x = 0; x < 5; x++)
            big[y * 5 + x] = y < 4 && x < 4 ? lesson_image[y * 4 + x] : 9;
    Matrix Y = kit_matrix_from(1, 25, big);
    kit_show_input(c, "X5 (the 4x4 image with a last row and column of 9s)", &Y);
    emit_pool(c, "X5, C=1, 5x5: the last row and column are dropped", &Y, 1, 5, 5);
    kit_emit(c, "X5 after the call (it must not change)", &Y, 0, 0);
    kit_matrix_free(&X), kit_matrix_free(&Y);
}

static void check_pool_random(KitCase *c)
{
    const int shapes[][4] = {{2, 3, 5, 7}, {3, 2, 6, 4}, {1, 4, 3, 2}}; /* N, C, H, W */
    for (int t = 0; t < 3; t++) {
        const int *s = shapes[t];
        Matrix X = kit_case_normal_matrix(c, 4301 + t, s[0], s[1] * s[2] * s[3], 0.0f, 1.0f);
        char name[32], what[96];
        snprintf(name, sizeof name, "X%d", t + 1);
        kit_show_input(c, name, &X);
        snprintf(what, sizeof what, "X%d: N=%d, C=%d, %dx%d", t + 1, s[0], s[1], s[2], s[3]);
        emit_pool(c, what, &X, s[1], s[2], s[3]);
        kit_matrix_free(&X);
    }
}

/* ---- max_pool_backward ----------------------------------------------------- */

/* Runs the learner's max_pool_backward with the suite's argmax and emits dX. */
static void emit_pool_backward(KitCase *c, const char *what, const Matrix *dout, const int *argmax, int rows,
                               int cols)
{
    Matrix dX = kit_output_matrix(rows, cols);
    max_pool_backward(&dX, dout, argmax);
    char label[200];
    snprintf(label, sizeof label, "dX (%dx%d) = max_pool_backward(%s)", rows, cols, what);
    kit_emit(c, label, &dX, EXACT_TOL, 0);
    kit_matrix_free(&dX);
}

static void check_pool_backward_lesson(KitCase *c)
{
    const float gradient[] = {0.1f, 0.2f, 0.3f, 0.4f};
    const int argmax[] = {4, 7, 8, 10};
    Matrix dout = kit_matrix_from(1, 4, gradient), where = int_matrix(argmax, 4);
    kit_show_input(c, "dout", &dout);
    kit_show_input(c, "argmax (from max_pool of the lesson's 4x4 image)", &where);
    emit_pool_backward(c, "dout, argmax), 4x4", &dout, argmax, 1, 16);
    /* the 5x5 image: the same windows, indices in rows of 5 */
    const int argmax5[] = {5, 8, 10, 12};
    Matrix where5 = int_matrix(argmax5, 4);
    kit_show_input(c, "argmax5 (from max_pool of the 5x5 image)", &where5);
    emit_pool_backward(c, "dout, argmax5), 5x5: the dropped row and column get 0", &dout, argmax5, 1, 25);
    kit_matrix_free(&dout), kit_matrix_free(&where), kit_matrix_free(&where5);
}

static void check_pool_backward_random(KitCase *c)
{
    enum { N = 2, C = 3, H = 5, W = 7, P = C * (H / 2) * (W / 2) };
    Matrix X = kit_case_normal_matrix(c, 4311, N, C * H * W, 0.0f, 1.0f);
    Matrix dout = kit_case_normal_matrix(c, 4312, N, P, 0.0f, 1.0f);
    float pooled[N * P];
    int argmax[N * P];
    pool_here(pooled, argmax, X.data, N, C, H, W);
    Matrix where = int_matrix(argmax, N * P);
    kit_show_input(c, "dout", &dout);
    kit_show_input(c, "argmax (of 2 random images of 3 channels, 5x7)", &where);
    emit_pool_backward(c, "dout, argmax), N=2, C=3, 5x7", &dout, argmax, N, C * H * W);
    /* twice on the same dX: the second call must overwrite, not add */
    Matrix dX = kit_output_matrix(N, C * H * W);
    max_pool_backward(&dX, &dout, argmax);
    max_pool_backward(&dX, &dout, argmax);
    kit_emit(c, "dX after a second call on the same dX (overwritten, not added)", &dX, EXACT_TOL, 0);
    kit_emit(c, "dout after the calls (it must not change)", &dout, 0, 0);
    kit_matrix_free(&X), kit_matrix_free(&dout), kit_matrix_free(&where), kit_matrix_free(&dX);
}

/* The loss sum(max_pool(X) * R), computed here in double, for central differences in X. */
typedef struct {
    Matrix *X;
    const Matrix *R;
    int C, H, W;
} PoolLoss;

static double pool_loss(void *context)
{
    const PoolLoss *l = context;
    int N = l->X->rows, P = l->R->cols;
    float *pooled = malloc((size_t)N * P * sizeof *pooled);
    int *argmax = malloc((size_t)N * P * sizeof *argmax);
    pool_here(pooled, argmax, l->X->data, N, l->C, l->H, l->W);
    double loss = 0.0;
    for (int k = 0; k < N * P; k++)
        loss += (double)pooled[k] * l->R->data[k];
    free(pooled), free(argmax);
    return loss;
}

static void check_pool_gradient(KitCase *c)
{
    enum { N = 2, C = 2, H = 5, W = 6, P = C * (H / 2) * (W / 2) };
    Matrix X = distinct_matrix(c, 4321, N, C * H * W);
    Matrix R = kit_case_normal_matrix(c, 4322, N, P, 0.0f, 1.0f);
    kit_show_input(c, "X (values at least 0.1 apart: no ties)", &X);
    kit_show_input(c, "R = dout", &R);
    Matrix out = kit_output_matrix(N, P), dX = kit_output_matrix(N, C * H * W);
    int argmax[N * P];
    for (int k = 0; k < N * P; k++)
        argmax[k] = 0;
    max_pool(&out, argmax, &X, C, H, W);
    max_pool_backward(&dX, &R, argmax);
    PoolLoss context = {&X, &R, C, H, W};
    kit_check_gradient(c, "X", &dX, &X, pool_loss, &context, NUMERIC_H, NUMERIC_TOL);
    kit_matrix_free(&X), kit_matrix_free(&R), kit_matrix_free(&out), kit_matrix_free(&dX);
}

/* ---- the CNN ---------------------------------------------------------------- */

/* The small CNN of the checks: 2 channels of 7 x 6 (maps of 5 x 4: the last row is pooled away), 2 filters 3x3,
 * pooled maps 2 x 2 x 2 = 8 values, 3 classes. */
enum { TC = 2, TH = 7, TW = 6, TK = 3, TF = 2, TOH = TH - TK + 1, TOW = TW - TK + 1, TPH = TOH / 2, TPW = TOW / 2,
       TP = TF * TPH * TPW, TCLASSES = 3 };

/* A small CNN and a batch: X (N x C*H*W), labels (N x 1) and their one-hot rows Y. */
typedef struct {
    Cnn cnn;
    Matrix X, labels, Y;
} Problem;

static void free_problem(Problem *p)
{
    Matrix *all[] = {&p->cnn.W1, &p->cnn.b1, &p->cnn.W2, &p->cnn.b2, &p->X, &p->labels, &p->Y};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        kit_matrix_free(all[k]);
}

/* The suite's own convolution (in double) of the problem's batch: Z1 (N x F*OH*OW). */
static void convolve_here(float *Z1, const Problem *p)
{
    int N = p->X.rows;
    for (int n = 0; n < N; n++)
        for (int f = 0; f < TF; f++)
            for (int y = 0; y < TOH; y++)
                for (int x = 0; x < TOW; x++) {
                    double z = p->cnn.b1.data[f];
                    for (int ch = 0; ch < TC; ch++)
                        for (int i = 0; i < TK; i++)
                            for (int j = 0; j < TK; j++)
                                z += (double)p->X.data[n * TC * TH * TW + ch * TH * TW + (y + i) * TW + x + j] *
                                     p->cnn.W1.data[f * TC * TK * TK + ch * TK * TK + i * TK + j];
                    Z1[n * TF * TOH * TOW + f * TOH * TOW + y * TOW + x] = (float)z;
                }
}

/* 1 when every window of the problem's feature maps has a clear winner: its maximum at least margin below 0
 * (the window gives 0 after ReLU), or at least margin above 0 and above the window's next value; and when at least
 * two windows are off (all below 0) and two are on, so that ReLU's mask matters in every problem. */
static int clear_winners(const Problem *p, double margin)
{
    int N = p->X.rows;
    float *Z1 = malloc((size_t)N * TF * TOH * TOW * sizeof *Z1);
    convolve_here(Z1, p);
    int clear = 1, off = 0, on = 0;
    for (int n = 0; n < N && clear; n++)
        for (int f = 0; f < TF && clear; f++)
            for (int py = 0; py < TPH && clear; py++)
                for (int px = 0; px < TPW && clear; px++) {
                    const float *map = Z1 + n * TF * TOH * TOW + f * TOH * TOW;
                    double v[4] = {map[2 * py * TOW + 2 * px], map[2 * py * TOW + 2 * px + 1],
                                   map[(2 * py + 1) * TOW + 2 * px], map[(2 * py + 1) * TOW + 2 * px + 1]};
                    double first = -INFINITY, second = -INFINITY;
                    for (int q = 0; q < 4; q++)
                        if (v[q] > first)
                            second = first, first = v[q];
                        else if (v[q] > second)
                            second = v[q];
                    if (first <= -margin)
                        off++;
                    else if (first >= margin && first - second >= margin)
                        on++;
                    else
                        clear = 0;
                }
    free(Z1);
    return clear && off >= 2 && on >= 2;
}

/* A random problem of N examples: pixels uniform in [-0.5, 0.5] (so that the feature maps have windows of both
 * signs: ReLU off and on), filters normal (std 0.5), b1 uniform in [-0.3, 0.3],
 * W2 normal (std 0.7), b2 uniform in [-0.5, 0.5], labels uniform over the classes. With margin > 0 the draw is
 * repeated (the same sequence for the same seed) until clear_winners accepts it. */
static Problem random_problem(const KitCase *c, uint64_t salt, int N, double margin)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + salt);
    for (int attempt = 0;; attempt++) {
        Problem p = {{{TC, TH, TW, TK, 1},
                      kit_matrix_create(TF, TC * TK * TK),
                      kit_matrix_create(1, TF),
                      kit_matrix_create(TP, TCLASSES),
                      kit_matrix_create(1, TCLASSES)},
                     kit_matrix_create(N, TC * TH * TW),
                     kit_matrix_create(N, 1),
                     kit_matrix_create(N, TCLASSES)};
        kit_matrix_fill_uniform(&p.X, &rng, -0.5f, 0.5f);
        kit_matrix_fill_normal(&p.cnn.W1, &rng, 0.0f, 0.5f);
        kit_matrix_fill_uniform(&p.cnn.b1, &rng, -0.3f, 0.3f);
        kit_matrix_fill_normal(&p.cnn.W2, &rng, 0.0f, 0.7f);
        kit_matrix_fill_uniform(&p.cnn.b2, &rng, -0.5f, 0.5f);
        for (int i = 0; i < N; i++) {
            int label = kit_rng_below(&rng, TCLASSES);
            p.labels.data[i] = (float)label;
            p.Y.data[i * TCLASSES + label] = 1.0f;
        }
        if (margin <= 0.0 || clear_winners(&p, margin) || attempt >= 10000)
            return p;
        free_problem(&p);
    }
}

static void show_problem(KitCase *c, const Problem *p)
{
    kit_show_input(c, "X (2 channels of 7x6 per row)", &p->X);
    kit_show_input(c, "labels", &p->labels);
    kit_show_input(c, "W1 (2 filters of 2 channels, 3x3)", &p->cnn.W1);
    kit_show_input(c, "b1", &p->cnn.b1);
    kit_show_input(c, "W2 (8 x 3)", &p->cnn.W2);
    kit_show_input(c, "b2", &p->cnn.b2);
}

/* The scratch of the small CNN, for examples in batches of batch. */
static KitCnnWork problem_work(int examples, int batch)
{
    return kit_cnn_work_create(examples, batch, TC, TH, TW, TK, TF, TCLASSES);
}

/* The forward pass computed here (in double where it sums) into work's cache, im2col's columns included, so that
 * the backward checks do not depend on forward_cnn. Returns the mean cross-entropy against p->Y. */
static double forward_here(KitCnnWork *w, const Problem *p)
{
    int N = p->X.rows;
    kit_matrix_copy(&w->X, &p->X);
    kit_matrix_copy(&w->Y, &p->Y);
    kit_matrix_copy(&w->labels, &p->labels);
    im2col_here(&w->columns, &p->X, p->cnn.shape);
    convolve_here(w->Z1.data, p);
    pool_here(w->pooled.data, w->argmax, w->Z1.data, N, TF, TOH, TOW);
    double loss = 0.0;
    for (int n = 0; n < N; n++) {
        float *a1 = w->A1.data + n * TP;
        for (int k = 0; k < TP; k++)
            a1[k] = w->pooled.data[n * TP + k] > 0.0f ? w->pooled.data[n * TP + k] : 0.0f;
        double scores[TCLASSES], largest = -INFINITY, sum = 0.0;
        for (int k = 0; k < TCLASSES; k++) {
            double z = p->cnn.b2.data[k];
            for (int j = 0; j < TP; j++)
                z += (double)a1[j] * p->cnn.W2.data[j * TCLASSES + k];
            scores[k] = z;
            w->Z2.data[n * TCLASSES + k] = (float)z;
            largest = z > largest ? z : largest;
        }
        for (int k = 0; k < TCLASSES; k++)
            sum += scores[k] = exp(scores[k] - largest);
        for (int k = 0; k < TCLASSES; k++)
            w->A2.data[n * TCLASSES + k] = (float)(scores[k] / sum);
        loss -= log(scores[(int)p->labels.data[n]] / sum);
    }
    return loss / N;
}

static void check_forward(KitCase *c)
{
    enum { N = 3 };
    Problem p = random_problem(c, 4331, N, 0.0);
    show_problem(c, &p);
    KitCnnWork work = problem_work(N, N);
    kit_matrix_copy(&work.X, &p.X);
    Matrix *outputs[] = {&work.Z1, &work.pooled, &work.A1, &work.Z2, &work.A2};
    const char *names[] = {"work->Z1 (3 x 40: 2 maps of 5x4 per row)", "work->pooled (3 x 8: 2 maps of 2x2)",
                           "work->A1 = relu(pooled)", "work->Z2 (3 x 3)", "work->A2 = softmax(Z2)"};
    for (int k = 0; k < 5; k++)
        kit_matrix_fill(outputs[k], NAN);
    forward_cnn(&work, &p.cnn);
    char label[160];
    for (int k = 0; k < 5; k++) {
        snprintf(label, sizeof label, "%s after forward_cnn", names[k]);
        kit_emit(c, label, outputs[k], VALUE_ABS_TOL, VALUE_REL_TOL);
    }
    kit_emit(c, "W1 after the call (it must not change)", &p.cnn.W1, 0, 0);
    kit_cnn_work_free(&work);
    free_problem(&p);
}

/* Runs the learner's backward_cnn on the cache of forward_here, with every gradient of work NaN first. */
static void run_backward(KitCnnWork *w, const Problem *p)
{
    forward_here(w, p);
    Matrix *gradients[] = {&w->dZ2, &w->dW2, &w->db2, &w->dpooled, &w->dZ1, &w->dW1, &w->db1};
    for (int k = 0; k < 7; k++)
        kit_matrix_fill(gradients[k], NAN);
    backward_cnn(w, &p->cnn);
}

static void check_backward(KitCase *c)
{
    enum { N = 4 };
    Problem p = random_problem(c, 4341, N, 0.0);
    show_problem(c, &p);
    KitCnnWork work = problem_work(N, N);
    run_backward(&work, &p);
    const Matrix *outputs[] = {&work.dZ2, &work.dW2, &work.db2, &work.dpooled, &work.dZ1, &work.dW1, &work.db1};
    const char *names[] = {"dZ2", "dW2", "db2", "dpooled", "dZ1", "dW1", "db1"};
    char label[160];
    for (int k = 0; k < 7; k++) {
        snprintf(label, sizeof label, "work->%s after backward_cnn, 4 examples (the cache of a correct forward pass)",
                 names[k]);
        kit_emit(c, label, outputs[k], VALUE_ABS_TOL, VALUE_REL_TOL);
    }
    kit_cnn_work_free(&work);
    free_problem(&p);
}

/* The loss of the problem's CNN as a function of its parameters, computed here, for the gradient checker. */
typedef struct {
    Problem *p;
    KitCnnWork *w;
} CnnLoss;

static double cnn_loss(void *context)
{
    const CnnLoss *l = context;
    return forward_here(l->w, l->p);
}

/* backward_cnn's gradient of one parameter (0 W1, 1 b1, 2 W2, 3 b2) against central differences of the loss. */
static void check_numeric(KitCase *c, int which)
{
    enum { N = 4 };
    Problem p = random_problem(c, 4350 + which, N, MARGIN);
    show_problem(c, &p);
    KitCnnWork work = problem_work(N, N);
    run_backward(&work, &p);
    /* a copy of the analytic gradient: the loss function reuses work's cache */
    const Matrix *analytic[] = {&work.dW1, &work.db1, &work.dW2, &work.db2};
    Matrix *parameters[] = {&p.cnn.W1, &p.cnn.b1, &p.cnn.W2, &p.cnn.b2};
    const char *names[] = {"W1", "b1", "W2", "b2"};
    Matrix gradient = kit_matrix_create(analytic[which]->rows, analytic[which]->cols);
    kit_matrix_copy(&gradient, analytic[which]);
    CnnLoss context = {&p, &work};
    kit_check_gradient(c, names[which], &gradient, parameters[which], cnn_loss, &context, NUMERIC_H, NUMERIC_TOL);
    kit_matrix_free(&gradient);
    kit_cnn_work_free(&work);
    free_problem(&p);
}

static void check_numeric_w1(KitCase *c) { check_numeric(c, 0); }
static void check_numeric_b1(KitCase *c) { check_numeric(c, 1); }
static void check_numeric_w2(KitCase *c) { check_numeric(c, 2); }
static void check_numeric_b2(KitCase *c) { check_numeric(c, 3); }

/* ---- train_cnn_step and train_cnn_epoch ----------------------------------- */

static void emit_parameters(KitCase *c, const char *when, const Cnn *cnn)
{
    char label[128];
    const char *names[] = {"W1", "b1", "W2", "b2"};
    const Matrix *parameters[] = {&cnn->W1, &cnn->b1, &cnn->W2, &cnn->b2};
    for (int k = 0; k < 4; k++) {
        snprintf(label, sizeof label, "%s %s", names[k], when);
        kit_emit(c, label, parameters[k], TRAINING_ABS_TOL, TRAINING_REL_TOL);
    }
}

static void check_step(KitCase *c)
{
    enum { N = 5, BATCH = 8 };
    Problem p = random_problem(c, 4360, N, 1e-3);
    show_problem(c, &p);
    /* a work made for batches of 8, used for a batch of 5: the step must use the rows it is given */
    KitCnnWork work = problem_work(N, BATCH);
    kit_cnn_work_rows(&work, N);
    kit_matrix_copy(&work.X, &p.X);
    kit_matrix_copy(&work.labels, &p.labels);
    kit_matrix_fill(&work.Y, NAN); /* train_cnn_step makes the one-hot rows itself */
    float loss = train_cnn_step(&p.cnn, &work, 0.5f);
    kit_emit_scalar(c, "the loss train_cnn_step returned (lr 0.5)", loss, TRAINING_ABS_TOL, TRAINING_REL_TOL);
    emit_parameters(c, "after one train_cnn_step with lr 0.5", &p.cnn);
    loss = train_cnn_step(&p.cnn, &work, 0.5f);
    kit_emit_scalar(c, "the loss of a second step on the same batch", loss, TRAINING_ABS_TOL, TRAINING_REL_TOL);
    kit_cnn_work_free(&work);
    free_problem(&p);
}

static void check_epoch(KitCase *c)
{
    enum { N = 37, BATCH = 8 }; /* 4 batches of 8 and a last one of 5 */
    Problem p = random_problem(c, 4370, N, 0.0);
    kit_show_input(c, "labels", &p.labels);
    kit_show_input(c, "W1 (start)", &p.cnn.W1);
    KitCnnWork work = problem_work(N, BATCH);
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 4371);
    float first = train_cnn_epoch(&p.cnn, &p.X, &p.labels, &work, 0.2f, &rng, NULL);
    kit_emit_scalar(c, "the mean loss train_cnn_epoch returned (epoch 1, 37 examples, batches of 8, lr 0.2)", first,
                    TRAINING_ABS_TOL, TRAINING_REL_TOL);
    emit_parameters(c, "after epoch 1", &p.cnn);
    float second = train_cnn_epoch(&p.cnn, &p.X, &p.labels, &work, 0.2f, &rng, NULL);
    kit_emit_scalar(c, "the mean loss of epoch 2 (a new order from the same generator)", second, TRAINING_ABS_TOL,
                    TRAINING_REL_TOL);
    emit_parameters(c, "after epoch 2", &p.cnn);
    kit_emit_scalar(c, "kit_rng_below(rng, 1000) after the two epochs (one shuffle of 37 each)",
                    kit_rng_below(&rng, 1000), 0, 0);
    kit_cnn_work_free(&work);
    free_problem(&p);
}

/* ---- accuracy ------------------------------------------------------------- */

static void check_accuracy(KitCase *c)
{
    const KitDataset *data = kit_case_dataset(c);
    const Matrix *X = &data->train_images, *labels = &data->train_labels;
    if (X->cols != 784)
        kit_fatal("the data set's images have %d pixels; expected 28 x 28 = 784", X->cols);
    int F = ACCURACY_FILTERS, P = F * 13 * 13, K = 10;
    Cnn cnn = {{1, 28, 28, 3, 1}, kit_matrix_create(F, 9), kit_matrix_create(1, F), kit_matrix_create(P, K),
               kit_matrix_create(1, K)};
    KitRng init, shuffle;
    kit_rng_seed(&init, kit_case_seed(c) + 4380);
    kit_rng_seed(&shuffle, kit_case_seed(c) + 4381);
    kit_matrix_fill_normal(&cnn.W1, &init, 0.0f, sqrtf(2.0f / 9));
    kit_matrix_fill_normal(&cnn.W2, &init, 0.0f, sqrtf(2.0f / P));
    KitCnnWork work = kit_cnn_work_create(X->rows, ACCURACY_BATCH, 1, 28, 28, 3, F, K);
    for (int epoch = 1; epoch <= ACCURACY_EPOCHS; epoch++)
        train_cnn_epoch(&cnn, X, labels, &work, epoch < ACCURACY_EPOCHS ? ACCURACY_LR : ACCURACY_LAST_LR, &shuffle,
                        NULL);
    const Matrix *T = &data->test_images;
    kit_emit_at_least(c, "test accuracy", cnn_test_accuracy(&cnn, T, &data->test_labels), MNIST_BAR, FASHION_BAR);
    kit_cnn_work_free(&work);
    kit_matrix_free(&cnn.W1), kit_matrix_free(&cnn.b1), kit_matrix_free(&cnn.W2), kit_matrix_free(&cnn.b2);
}

const KitCheck kit_suite_checks[] = {
    {"pool-lesson", "max_pool: the lesson's 4x4 image (a window of zeros) and the same image in a 5x5", 2, "",
     "Windows of 2x2 with stride 2: out[c][py][px] is the largest of X[c][2py + i][2px + j], i, j in {0, 1}. Visit "
     "(0,0), (0,1), (1,0), (1,1) and take a value only when it is strictly larger, so a tie keeps the first. With "
     "an odd size, PH = H / 2 rounds down and the last row is in no window.",
     5, 0, check_pool_lesson},
    {"pool-random", "max_pool: random images, 3 channels of 5x7, 2 channels of 6x4, 4 channels of 3x2", 3, "",
     "argmax is an index in the whole row of X: c*H*W + (2py + i)*W + (2px + j), not an index in the window or "
     "in the channel. The rows of X are W wide (not W / 2).",
     5, 0, check_pool_random},
    {"pool-backward-lesson", "max_pool_backward: the lesson's gradient [0.1, 0.2, 0.3, 0.4], 4x4 and 5x5", 2, "",
     "Only the element argmax names receives its window's gradient; the other three get 0. Set all of dX to 0 "
     "first, then dX[n][argmax[...]] += dout[n][o].",
     5, 0, check_pool_backward_lesson},
    {"pool-backward-random", "max_pool_backward: 2 random images of 3 channels, 5x7, called twice", 2, "",
     "argmax[n*dout->cols + o] indexes row n of dX (dX->cols values wide). Zero the whole of dX on every call: "
     "the pixels of a dropped row or column and the losers of each window must be 0.",
     5, 0, check_pool_backward_random},
    {"pool-gradient", "max_pool_backward: dX against central differences of sum(max_pool(X) * R)", 2, "",
     "Each window's output moves with its largest element only: dout goes to that element, once, not to all "
     "four and not divided among them.",
     5, 0, check_pool_gradient},
    {"forward", "forward_cnn: a small CNN (2 channels of 7x6, 2 filters 3x3, 3 classes), 3 examples", 3, "1.2 3.2 4.2",
     "In order: conv2d_im2col into work->Z1 (with work->columns), max_pool(Z1) into work->pooled with "
     "work->argmax (F channels of OH x OW), relu into work->A1, linear_layer into work->Z2, softmax into "
     "work->A2. pooled is taken before ReLU.",
     5, 0, check_forward},
    {"backward", "backward_cnn: every gradient of the small CNN, from a correct forward pass's cache", 3, "4.2",
     "dZ2 = (A2 - Y) / m, dW2 = A1^T dZ2, db2 = column sums, dpooled = (dZ2 W2^T) * relu'(pooled), dZ1 = "
     "max_pool_backward(dpooled, argmax), then conv2d_backward(NULL, dW1, db1, dZ1, X, W1, columns, shape).",
     5, 0, check_backward},
    {"gradient-w1", "backward_cnn: dW1 (the filters) against central differences of the loss", 2, "4.2",
     "dW1 comes from conv2d_backward with dout = dZ1: the gradient of the maps, which is 0 everywhere except at "
     "each window's winner, and 0 there too when the pooled value was <= 0 (ReLU was off).",
     5, 0, check_numeric_w1},
    {"gradient-b1", "backward_cnn: db1 against central differences of the loss", 1, "4.2",
     "db1[f] sums dZ1 over map f of every example: only the winners of windows whose pooled value was positive "
     "contribute.",
     5, 0, check_numeric_b1},
    {"gradient-w2", "backward_cnn: dW2 (the dense layer) against central differences of the loss", 2, "4.2",
     "dW2 = A1^T dZ2 with A1 = relu(pooled), the dense layer's input (not pooled, not Z1), and dZ2 = (A2 - Y) / m.",
     5, 0, check_numeric_w2},
    {"gradient-b2", "backward_cnn: db2 against central differences of the loss", 1, "4.2",
     "db2 is the column sums of dZ2 = (A2 - Y) / m: divide by the batch's rows once.", 5, 0, check_numeric_b2},
    {"step", "train_cnn_step: two steps on a batch of 5 rows (lr 0.5), loss and parameters", 3, "1.2 3.2 3.3 4.2",
     "Make work->Y with one_hot, run forward_cnn, take cross_entropy, run backward_cnn, then move all four "
     "parameters against their gradients: W -= lr dW. Return the loss from before the step.",
     5, 0, check_step},
    {"epoch", "train_cnn_epoch: two epochs of 37 examples in batches of 8 (the last one 5)", 3, "1.2 2.3 3.2 3.3 4.2",
     "Shuffle work->order once per epoch, then walk it in batches: kit_cnn_work_rows(work, m) with m = min(B, "
     "N - start), gather_rows for X and labels from start, one train_cnn_step. Weight each batch's loss by m.",
     5, 0, check_epoch},
    {"accuracy", "train_cnn_epoch: 3 epochs of the course's CNN on the training set, test accuracy", 5,
     "1.2 2.3 3.2 3.3 4.2",
     "A wrong gradient often still learns a little: pass the other checks first. If they pass and this one is "
     "slow, use cblas_sgemm for every product and allocate nothing inside a step.",
     300, 1, check_accuracy},
};
const int kit_suite_check_count = sizeof kit_suite_checks / sizeof kit_suite_checks[0];
