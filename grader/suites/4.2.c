/* The grading suite of chapter 4.2: Convolutional Layers for CNNs. */
#include "check.h"
#include "course.h"
#include "cnn_check.h"

#include <math.h>
#include <stdio.h>

const char kit_suite_chapter[] = "4.2";

/* Each output element below is a sum of at most C*k*k = 27 products of numbers of size about 1 (or, for the
 * gradients, of at most N*OH*OW = 24 such products), about 5 in size. In float, in any order, such sums differ
 * from the reference's by a few 1e-6; these tolerances allow about 100 times more. */
#define ABS_TOL 1e-4
#define REL_TOL 1e-4
/* The lesson's small integer examples: every partial sum is exact in float. */
#define EXACT_TOL 1e-5
/* Gradient checks: the loss sum(out * R) is linear in W, b and X, so central differences are exact up to
 * rounding (about 1e-6 here); the judge allows 1e-3 of max(|analytic|, |numeric|, 1). */
#define GRADIENT_STEP 1e-2f
#define GRADIENT_TOL 1e-3

/* ---- helpers ----------------------------------------------------------- */

static ConvShape shape(int channels, int height, int width, int kernel, int stride)
{
    ConvShape s = {channels, height, width, kernel, stride};
    return s;
}

static int map_size(ConvShape s)
{
    return conv_output_size(s.height, s.kernel, s.stride) * conv_output_size(s.width, s.kernel, s.stride);
}

/* A random convolution problem: N images of shape s and F filters, all normal (std 1), b uniform in [-1, 1]. */
typedef struct {
    ConvShape s;
    Matrix X, W, b;
} Problem;

static Problem random_problem(KitCase *c, uint64_t salt, int N, int F, ConvShape s)
{
    Problem p = {s, kit_case_normal_matrix(c, salt, N, s.channels * s.height * s.width, 0.0f, 1.0f),
                 kit_case_normal_matrix(c, salt + 1, F, s.channels * s.kernel * s.kernel, 0.0f, 1.0f),
                 kit_matrix_create(1, F)};
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + salt + 2);
    kit_matrix_fill_uniform(&p.b, &rng, -1.0f, 1.0f);
    return p;
}

static void free_problem(Problem *p)
{
    kit_matrix_free(&p->X), kit_matrix_free(&p->W), kit_matrix_free(&p->b);
}

/* im2col(p->X) computed here (cnn_check.h), into a new matrix: what conv2d_im2col leaves in columns for
 * backward_conv2d, so that the backward checks do not depend on the learner's im2col. */
static Matrix columns_here(const Problem *p)
{
    Matrix columns = kit_matrix_create(p->X.rows * map_size(p->s), p->s.channels * p->s.kernel * p->s.kernel);
    im2col_here(&columns, &p->X, p->s);
    return columns;
}

/* "C=2, 5x7 images, k=3, stride 2" */
static const char *describe(const Problem *p, char *text, size_t size)
{
    snprintf(text, size, "N=%d, C=%d, %dx%d images, F=%d filters %dx%d, stride %d", p->X.rows, p->s.channels,
             p->s.height, p->s.width, p->W.rows, p->s.kernel, p->s.kernel, p->s.stride);
    return text;
}

static void show_problem(KitCase *c, const Problem *p, const char *suffix)
{
    char label[64];
    snprintf(label, sizeof label, "X%s", suffix);
    kit_show_input(c, label, &p->X);
    snprintf(label, sizeof label, "W%s", suffix);
    kit_show_input(c, label, &p->W);
    snprintf(label, sizeof label, "b%s", suffix);
    kit_show_input(c, label, &p->b);
}

/* Emits X, W and b of p after a call of function, each name followed by suffix: it must not change them. */
static void emit_problem_unchanged(KitCase *c, const char *function, const Problem *p, const char *suffix)
{
    char label[64];
    snprintf(label, sizeof label, "X%s", suffix);
    kit_emit_unchanged(c, function, label, &p->X);
    snprintf(label, sizeof label, "W%s", suffix);
    kit_emit_unchanged(c, function, label, &p->W);
    snprintf(label, sizeof label, "b%s", suffix);
    kit_emit_unchanged(c, function, label, &p->b);
}

/* Runs the learner's conv2d (fast = 0) or conv2d_im2col (fast = 1) on p and emits out and the use of sgemm, then
 * X, W and b (named with suffix) unless suffix is NULL. */
static void emit_forward(KitCase *c, const Problem *p, int fast, double abs_tol, double rel_tol, const char *suffix)
{
    int N = p->X.rows, F = p->W.rows, P = map_size(p->s);
    Matrix out = kit_output_matrix(N, F * P);
    Matrix columns = kit_output_matrix(N * P, p->s.channels * p->s.kernel * p->s.kernel);
    long calls_before = kit_sgemm_calls();
    if (fast)
        conv2d_im2col(&out, &columns, &p->X, &p->W, &p->b, p->s);
    else
        conv2d(&out, &p->X, &p->W, &p->b, p->s);
    long calls = kit_sgemm_calls() - calls_before;
    char text[96], label[200];
    snprintf(label, sizeof label, "out (%dx%d) = %s(X, W, b), %s", N, F * P, fast ? "conv2d_im2col" : "conv2d",
             describe(p, text, sizeof text));
    kit_emit(c, label, &out, abs_tol, rel_tol);
    if (fast) {
        kit_emit_scalar(c, "conv2d_im2col called cblas_sgemm (1 = yes)", calls > 0 ? 1.0 : 0.0, 0, 0);
        snprintf(label, sizeof label, "columns (%dx%d) after conv2d_im2col, %s: im2col(X), which backward_conv2d reads",
                 columns.rows, columns.cols, text);
        kit_emit(c, label, &columns, 0, 0);
    } else {
        kit_emit_scalar(c, "calls to cblas_sgemm made by conv2d (the direct loops make none)", (double)calls, 0, 0);
    }
    if (suffix)
        emit_problem_unchanged(c, fast ? "conv2d_im2col" : "conv2d", p, suffix);
    kit_matrix_free(&out), kit_matrix_free(&columns);
}

/* The forward pass in double, the suite's own: for the loss of the gradient checks. */
static double loss_sum_out_times_r(const Matrix *X, const Matrix *W, const Matrix *b, const Matrix *R, ConvShape s)
{
    int N = X->rows, F = W->rows, C = s.channels, H = s.height, Wd = s.width, k = s.kernel;
    int OH = conv_output_size(H, k, s.stride), OW = conv_output_size(Wd, k, s.stride);
    double loss = 0.0;
    for (int n = 0; n < N; n++)
        for (int f = 0; f < F; f++)
            for (int y = 0; y < OH; y++)
                for (int x = 0; x < OW; x++) {
                    double sum = b->data[f];
                    for (int ch = 0; ch < C; ch++)
                        for (int i = 0; i < k; i++)
                            for (int j = 0; j < k; j++)
                                sum += (double)X->data[n * C * H * Wd + ch * H * Wd + (y * s.stride + i) * Wd +
                                                       x * s.stride + j] *
                                       W->data[f * C * k * k + ch * k * k + i * k + j];
                    loss += sum * R->data[n * F * OH * OW + f * OH * OW + y * OW + x];
                }
    return loss;
}

typedef struct {
    Problem *p;
    const Matrix *R;
} GradientContext;

static double gradient_loss(void *context)
{
    const GradientContext *g = context;
    return loss_sum_out_times_r(&g->p->X, &g->p->W, &g->p->b, g->R, g->p->s);
}

/* Calls the learner's backward_conv2d on NaN-filled outputs (dX too unless with_dx is 0). */
typedef struct {
    Matrix dX, dW, db;
} Gradients;

static Gradients run_backward(const Problem *p, const Matrix *dout, int with_dx)
{
    int N = p->X.rows, F = p->W.rows, patch = p->s.channels * p->s.kernel * p->s.kernel;
    Gradients g = {kit_output_matrix(N, p->X.cols), kit_output_matrix(F, patch), kit_output_matrix(1, F)};
    Matrix columns = columns_here(p);
    backward_conv2d(with_dx ? &g.dX : NULL, &g.dW, &g.db, dout, &p->X, &p->W, &columns, p->s);
    kit_matrix_free(&columns);
    return g;
}

static void free_gradients(Gradients *g)
{
    kit_matrix_free(&g->dX), kit_matrix_free(&g->dW), kit_matrix_free(&g->db);
}

/* Emits the inputs of backward_conv2d after the call: dout (named dout_name), then X and W (each name followed by
 * suffix). columns is not one: backward_conv2d may write over it. */
static void emit_backward_unchanged(KitCase *c, const char *dout_name, const Matrix *dout, const Problem *p,
                                    const char *suffix)
{
    kit_emit_unchanged(c, "backward_conv2d", dout_name, dout);
    char label[64];
    snprintf(label, sizeof label, "X%s", suffix);
    kit_emit_unchanged(c, "backward_conv2d", label, &p->X);
    snprintf(label, sizeof label, "W%s", suffix);
    kit_emit_unchanged(c, "backward_conv2d", label, &p->W);
}

static void emit_gradients(KitCase *c, const Problem *p, const Gradients *g, int with_dx, const char *what)
{
    char text[96], label[240];
    describe(p, text, sizeof text);
    if (with_dx) {
        snprintf(label, sizeof label, "dX (%dx%d) after backward_conv2d, %s%s", g->dX.rows, g->dX.cols, text, what);
        kit_emit(c, label, &g->dX, ABS_TOL, REL_TOL);
    }
    snprintf(label, sizeof label, "dW (%dx%d) after backward_conv2d, %s%s", g->dW.rows, g->dW.cols, text, what);
    kit_emit(c, label, &g->dW, ABS_TOL, REL_TOL);
    snprintf(label, sizeof label, "db (1x%d) after backward_conv2d, %s%s", g->db.cols, text, what);
    kit_emit(c, label, &g->db, ABS_TOL, REL_TOL);
}

/* ---- convolve2d --------------------------------------------------------- */

/* Emits convolve2d(image, kernel), named after name, then image and kernel after the call as image_name and
 * kernel_name. */
static void emit_convolve2d(KitCase *c, const char *name, const Matrix *image, const Matrix *kernel, double abs_tol,
                            double rel_tol, const char *image_name, const char *kernel_name)
{
    int k = kernel->rows;
    Matrix out = kit_output_matrix(image->rows - k + 1, image->cols - k + 1);
    convolve2d(&out, image, kernel);
    char label[160];
    snprintf(label, sizeof label, "out (%dx%d) = convolve2d(%s)", out.rows, out.cols, name);
    kit_emit(c, label, &out, abs_tol, rel_tol);
    kit_emit_unchanged(c, "convolve2d", image_name, image);
    kit_emit_unchanged(c, "convolve2d", kernel_name, kernel);
    kit_matrix_free(&out);
}

static void check_convolve2d_lesson(KitCase *c)
{
    const float nine[] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, small[] = {1, 2, 3, 4};
    float impulse[25] = {0};
    impulse[12] = 1; /* a single 1 in the middle of a 5x5 image */
    Matrix image = kit_matrix_from(3, 3, nine), kernel = kit_matrix_from(2, 2, small);
    Matrix dot = kit_matrix_from(5, 5, impulse), kernel3 = kit_matrix_from(3, 3, nine);
    kit_show_input(c, "image", &image);
    kit_show_input(c, "kernel", &kernel);
    kit_show_input(c, "impulse", &dot);
    kit_show_input(c, "kernel3", &kernel3);
    emit_convolve2d(c, "image 3x3, kernel 2x2", &image, &kernel, EXACT_TOL, 0, "image", "kernel");
    emit_convolve2d(c, "impulse 5x5, kernel3 3x3: the kernel itself, not flipped", &dot, &kernel3, EXACT_TOL, 0,
                    "impulse", "kernel3");
    kit_matrix_free(&image), kit_matrix_free(&kernel), kit_matrix_free(&dot), kit_matrix_free(&kernel3);
}

static void check_convolve2d_random(KitCase *c)
{
    const int sizes[][3] = {{6, 9, 3}, {7, 5, 4}, {5, 5, 5}, {3, 4, 1}}; /* image rows, columns, kernel side */
    for (int t = 0; t < 4; t++) {
        Matrix image = kit_case_normal_matrix(c, 4201 + 2 * t, sizes[t][0], sizes[t][1], 0.0f, 1.0f);
        Matrix kernel = kit_case_normal_matrix(c, 4202 + 2 * t, sizes[t][2], sizes[t][2], 0.0f, 1.0f);
        char name[96];
        char image_name[32], kernel_name[32];
        snprintf(image_name, sizeof image_name, "image %d %dx%d", t + 1, image.rows, image.cols);
        kit_show_input(c, image_name, &image);
        snprintf(kernel_name, sizeof kernel_name, "kernel %d %dx%d", t + 1, kernel.rows, kernel.cols);
        kit_show_input(c, kernel_name, &kernel);
        snprintf(name, sizeof name, "%s, %s", image_name, kernel_name);
        emit_convolve2d(c, name, &image, &kernel, ABS_TOL, REL_TOL, image_name, kernel_name);
        kit_matrix_free(&image), kit_matrix_free(&kernel);
    }
}

/* ---- conv2d and conv2d_im2col ------------------------------------------ */

/* The example of conv2d's comment: one 3x4 image, two 2x2 filters, stride 1 and 2; then a 2-image batch. */
static void check_conv2d_lesson(KitCase *c)
{
    const float pixels[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    const float filters[] = {0, 1, 2, 0, -1, 0, 0, 1}, biases[] = {0, 1};
    Problem p = {shape(1, 3, 4, 2, 1), kit_matrix_from(1, 12, pixels), kit_matrix_from(2, 4, filters),
                 kit_matrix_from(1, 2, biases)};
    show_problem(c, &p, "");
    emit_forward(c, &p, 0, EXACT_TOL, 0, NULL);
    p.s.stride = 2;
    emit_forward(c, &p, 0, EXACT_TOL, 0, ""); /* X, W and b after both calls */
    /* the same image twice, the second time with every pixel doubled: row 1 of out is 2 * row 0 minus b */
    float batch[24];
    for (int k = 0; k < 12; k++)
        batch[k] = pixels[k], batch[12 + k] = 2 * pixels[k];
    Problem q = {shape(1, 3, 4, 2, 1), kit_matrix_from(2, 12, batch), kit_matrix_from(2, 4, filters),
                 kit_matrix_from(1, 2, biases)};
    show_problem(c, &q, " (two images)");
    emit_forward(c, &q, 0, EXACT_TOL, 0, " (two images)");
    free_problem(&p), free_problem(&q);
}

static void check_conv2d_channels_stride(KitCase *c)
{
    Problem p = random_problem(c, 4211, 2, 4, shape(3, 7, 9, 3, 2));
    show_problem(c, &p, "");
    emit_forward(c, &p, 0, ABS_TOL, REL_TOL, "");
    free_problem(&p);
}

/* 5x7 images: not square, and with strides that leave rows and columns unused. */
static void check_shapes(KitCase *c, int fast)
{
    const ConvShape shapes[] = {shape(2, 5, 7, 2, 1), shape(2, 5, 7, 3, 3), shape(1, 5, 7, 5, 1), shape(3, 5, 7, 1, 2)};
    const int images[] = {3, 2, 2, 1}, filters[] = {3, 2, 4, 2};
    for (int t = 0; t < 4; t++) {
        Problem p = random_problem(c, 4220 + 3 * t, images[t], filters[t], shapes[t]);
        char suffix[32];
        snprintf(suffix, sizeof suffix, " (case %d)", t + 1);
        show_problem(c, &p, suffix);
        emit_forward(c, &p, fast, ABS_TOL, REL_TOL, suffix);
        free_problem(&p);
    }
}

static void check_conv2d_shapes(KitCase *c) { check_shapes(c, 0); }
static void check_conv2d_im2col_shapes(KitCase *c) { check_shapes(c, 1); }

static void check_im2col(KitCase *c)
{
    const float pixels[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    Matrix X = kit_matrix_from(1, 9, pixels), columns = kit_output_matrix(4, 4);
    kit_show_input(c, "X (one 3x3 image)", &X);
    im2col(&columns, &X, shape(1, 3, 3, 2, 1));
    kit_emit(c, "columns (4x4) = im2col(X), C=1, 3x3 image, k=2, stride 1", &columns, 0, 0);
    kit_emit_unchanged(c, "im2col", "X (one 3x3 image)", &X);
    Problem p = random_problem(c, 4231, 2, 1, shape(2, 5, 6, 3, 2));
    Matrix many = kit_output_matrix(2 * map_size(p.s), 2 * 3 * 3);
    kit_show_input(c, "X2", &p.X);
    im2col(&many, &p.X, p.s);
    kit_emit(c, "columns (8x18) = im2col(X2), N=2, C=2, 5x6 images, k=3, stride 2", &many, 0, 0);
    kit_emit_unchanged(c, "im2col", "X2", &p.X);
    Problem q = random_problem(c, 4234, 1, 1, shape(1, 5, 7, 2, 3));
    Matrix strided = kit_output_matrix(map_size(q.s), 4);
    kit_show_input(c, "X3", &q.X);
    im2col(&strided, &q.X, q.s);
    kit_emit(c, "columns (4x4) = im2col(X3), N=1, C=1, 5x7 image, k=2, stride 3", &strided, 0, 0);
    kit_emit_unchanged(c, "im2col", "X3", &q.X);
    kit_matrix_free(&X), kit_matrix_free(&columns), kit_matrix_free(&many), kit_matrix_free(&strided);
    free_problem(&p), free_problem(&q);
}

static void check_conv2d_im2col_random(KitCase *c)
{
    Problem p = random_problem(c, 4211, 2, 4, shape(3, 7, 9, 3, 2)); /* the problem of conv2d-channels-stride */
    show_problem(c, &p, "");
    emit_forward(c, &p, 1, ABS_TOL, REL_TOL, "");
    free_problem(&p);
}

/* conv2d and conv2d_im2col on the same inputs, compared with each other. */
static void check_conv2d_agree(KitCase *c)
{
    for (int stride = 1; stride <= 2; stride++) {
        Problem p = random_problem(c, 4240 + 3 * stride, 3, 5, shape(2, 11, 13, 3, stride));
        int N = p.X.rows, F = p.W.rows, P = map_size(p.s);
        Matrix direct = kit_output_matrix(N, F * P), fast = kit_output_matrix(N, F * P);
        Matrix columns = kit_output_matrix(N * P, 2 * 3 * 3);
        show_problem(c, &p, stride == 1 ? " (stride 1)" : " (stride 2)");
        const char *suffix = stride == 1 ? " (stride 1)" : " (stride 2)";
        conv2d(&direct, &p.X, &p.W, &p.b, p.s);
        emit_problem_unchanged(c, "conv2d", &p, suffix);
        conv2d_im2col(&fast, &columns, &p.X, &p.W, &p.b, p.s);
        emit_problem_unchanged(c, "conv2d_im2col", &p, suffix);
        double largest = 0.0;
        for (int k = 0; k < N * F * P; k++) {
            double difference = fabs((double)direct.data[k] - fast.data[k]);
            largest = isnan(difference) || difference > largest ? difference : largest;
            if (isnan(largest))
                break;
        }
        char text[96], label[200];
        snprintf(label, sizeof label, "largest |conv2d - conv2d_im2col| over all %d elements, %s", N * F * P,
                 describe(&p, text, sizeof text));
        kit_emit_scalar(c, label, largest, ABS_TOL, 0);
        snprintf(label, sizeof label, "out = conv2d_im2col(X, W, b), %s", text);
        kit_emit(c, label, &fast, ABS_TOL, REL_TOL);
        kit_matrix_free(&direct), kit_matrix_free(&fast), kit_matrix_free(&columns);
        free_problem(&p);
    }
}

/* ---- backward_conv2d ---------------------------------------------------- */

static void check_backward_lesson(KitCase *c)
{
    const float pixels[] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, filter[] = {1, 2, 3, 4}, zero[] = {0};
    const float corner[] = {1, 0, 0, 0}, ones[] = {1, 1, 1, 1};
    Problem p = {shape(1, 3, 3, 2, 1), kit_matrix_from(1, 9, pixels), kit_matrix_from(1, 4, filter),
                 kit_matrix_from(1, 1, zero)};
    Matrix dout = kit_matrix_from(1, 4, corner), all = kit_matrix_from(1, 4, ones);
    show_problem(c, &p, "");
    kit_show_input(c, "dout", &dout);
    kit_show_input(c, "dout2", &all);
    Gradients g = run_backward(&p, &dout, 1);
    emit_gradients(c, &p, &g, 1, ", dout = [[1, 0], [0, 0]]");
    kit_emit_unchanged(c, "backward_conv2d", "dout", &dout);
    free_gradients(&g);
    g = run_backward(&p, &all, 1);
    emit_gradients(c, &p, &g, 1, ", dout2 = all ones");
    emit_backward_unchanged(c, "dout2", &all, &p, "");
    free_gradients(&g);
    kit_matrix_free(&dout), kit_matrix_free(&all);
    free_problem(&p);
}

static void check_backward_random(KitCase *c)
{
    Problem p = random_problem(c, 4251, 2, 3, shape(2, 6, 7, 3, 2));
    Matrix dout = kit_case_normal_matrix(c, 4254, 2, 3 * map_size(p.s), 0.0f, 1.0f);
    show_problem(c, &p, "");
    kit_show_input(c, "dout", &dout);
    Gradients g = run_backward(&p, &dout, 1);
    emit_gradients(c, &p, &g, 1, "");
    emit_backward_unchanged(c, "dout", &dout, &p, "");
    free_gradients(&g);
    kit_matrix_free(&dout);
    free_problem(&p);
}

static void check_backward_shapes(KitCase *c)
{
    const ConvShape shapes[] = {shape(3, 5, 7, 2, 3), shape(1, 5, 7, 3, 1)};
    const int images[] = {3, 2}, filters[] = {2, 3};
    for (int t = 0; t < 2; t++) {
        Problem p = random_problem(c, 4260 + 4 * t, images[t], filters[t], shapes[t]);
        Matrix dout = kit_case_normal_matrix(c, 4263 + 4 * t, images[t], filters[t] * map_size(p.s), 0.0f, 1.0f);
        char suffix[32];
        snprintf(suffix, sizeof suffix, " (case %d)", t + 1);
        show_problem(c, &p, suffix);
        snprintf(suffix, sizeof suffix, "dout (case %d)", t + 1);
        kit_show_input(c, suffix, &dout);
        Gradients g = run_backward(&p, &dout, 1);
        emit_gradients(c, &p, &g, 1, "");
        char dout_name[32];
        snprintf(dout_name, sizeof dout_name, "dout (case %d)", t + 1);
        snprintf(suffix, sizeof suffix, " (case %d)", t + 1);
        emit_backward_unchanged(c, dout_name, &dout, &p, suffix);
        free_gradients(&g);
        kit_matrix_free(&dout);
        free_problem(&p);
    }
}

/* Two calls with the same outputs (the second must overwrite), and dX = NULL. */
static void check_backward_overwrites(KitCase *c)
{
    Problem p = random_problem(c, 4271, 2, 2, shape(1, 6, 6, 3, 2));
    int patch = 9, P = map_size(p.s);
    Matrix dout = kit_case_normal_matrix(c, 4274, 2, 2 * P, 0.0f, 1.0f);
    show_problem(c, &p, "");
    kit_show_input(c, "dout", &dout);
    Gradients g = {kit_output_matrix(2, 36), kit_output_matrix(2, patch), kit_output_matrix(1, 2)};
    Matrix columns = columns_here(&p);
    backward_conv2d(&g.dX, &g.dW, &g.db, &dout, &p.X, &p.W, &columns, p.s);
    im2col_here(&columns, &p.X, p.s); /* the first call may have written dcolumns over it, as a forward pass remakes it */
    backward_conv2d(&g.dX, &g.dW, &g.db, &dout, &p.X, &p.W, &columns, p.s);
    emit_gradients(c, &p, &g, 1, ", the second of two calls with the same outputs (overwritten, not added)");
    free_gradients(&g);
    g = run_backward(&p, &dout, 0);
    emit_gradients(c, &p, &g, 0, ", dX = NULL");
    emit_backward_unchanged(c, "dout", &dout, &p, "");
    free_gradients(&g);
    kit_matrix_free(&columns), kit_matrix_free(&dout);
    free_problem(&p);
}

/* dW, db and dX against central differences of L = sum(out * R), out computed by the suite in double. */
static void check_gradient(KitCase *c, int which)
{
    /* 6x7 images, stride 2: 2x3 outputs, and the last row of pixels is never read (its dX must be 0) */
    Problem p = random_problem(c, 4281 + 4 * which, 2, 3, shape(2, 6, 7, 3, 2));
    Matrix R = kit_case_normal_matrix(c, 4284 + 4 * which, 2, 3 * map_size(p.s), 0.0f, 1.0f);
    show_problem(c, &p, "");
    kit_show_input(c, "R = dout", &R);
    Gradients g = run_backward(&p, &R, 1);
    emit_backward_unchanged(c, "R = dout", &R, &p, ""); /* before the checker moves W, b or X */
    GradientContext context = {&p, &R};
    if (which == 0)
        kit_check_gradient(c, "W", &g.dW, &p.W, gradient_loss, &context, GRADIENT_STEP, GRADIENT_TOL);
    else if (which == 1)
        kit_check_gradient(c, "b", &g.db, &p.b, gradient_loss, &context, GRADIENT_STEP, GRADIENT_TOL);
    else
        kit_check_gradient(c, "X", &g.dX, &p.X, gradient_loss, &context, GRADIENT_STEP, GRADIENT_TOL);
    free_gradients(&g);
    kit_matrix_free(&R);
    free_problem(&p);
}

static void check_gradient_w(KitCase *c) { check_gradient(c, 0); }
static void check_gradient_b(KitCase *c) { check_gradient(c, 1); }
static void check_gradient_x(KitCase *c) { check_gradient(c, 2); }

const KitCheck kit_suite_checks[] = {
    {"convolve2d-lesson", "convolve2d: the lesson's 3x3 image with a 2x2 kernel, and an impulse", 2, "",
     "True convolution flips the kernel: out[y][x] = sum_{i,j} image[y + i][x + j] * kernel[k-1-i][k-1-j]. "
     "An image with a single 1 must give back the kernel itself.", 5, 0, check_convolve2d_lesson},
    {"convolve2d-random", "convolve2d: random images 6x9, 7x5, 5x5, 3x4 with kernels 3, 4, 5 and 1", 2, "",
     "out is (H - k + 1) x (W - k + 1): take H from image->rows, W from image->cols and k from kernel->rows.",
     5, 0, check_convolve2d_random},
    {"conv2d-lesson", "conv2d: the lesson's 3x4 image with two 2x2 filters, stride 1 and 2, and a batch of two", 2, "",
     "No flip here: out[f][y][x] = b[f] + sum X[c][y*s + i][x*s + j] * W[f][c][i][j]. "
     "Row n of out holds filter 0's map, then filter 1's.", 5, 0, check_conv2d_lesson},
    {"conv2d-channels-stride", "conv2d: 2 random images of 3 channels, 7x9, 4 filters 3x3, stride 2", 3, "",
     "Pixel (c, y, x) of image n is X->data[n*C*H*W + c*H*W + y*W + x]; sum over all C channels; the patch of "
     "output (y, x) starts at row y*s, column x*s.", 5, 0, check_conv2d_channels_stride},
    {"conv2d-shapes", "conv2d: 5x7 images with k = 2, 3, 5, 1 and strides 1 to 3", 2, "",
     "OH = (H - k) / s + 1 from s.height, OW from s.width: rows and columns use different sizes. "
     "Every element of out must be written.", 5, 0, check_conv2d_shapes},
    {"im2col", "im2col: the lesson's 3x3 example, 2 images of 2 channels with stride 2, a 5x7 image with stride 3",
     3, "",
     "Row n*OH*OW + y*OW + x of columns is the patch of output (y, x) of image n: element c*k*k + i*k + j is "
     "X[n][c][y*s + i][x*s + j].", 5, 0, check_im2col},
    {"conv2d-im2col-random", "conv2d_im2col: 2 random images of 3 channels, 7x9, 4 filters 3x3, stride 2", 3, "",
     "im2col of all the images into columns first (backward_conv2d reads them there), then W times the transpose "
     "of each image's block of columns with cblas_sgemm, then add b[f] to every element of map f.", 5, 0,
     check_conv2d_im2col_random},
    {"conv2d-im2col-shapes", "conv2d_im2col: 5x7 images with k = 2, 3, 5, 1 and strides 1 to 3", 2, "",
     "The sgemm for image n: m = F, n = OH*OW, k = C*k*k; its output block starts at out->data + n*F*OH*OW.", 5,
     0, check_conv2d_im2col_shapes},
    {"conv2d-agree", "conv2d and conv2d_im2col agree on 3 images of 2 channels, 11x13, stride 1 and 2", 1, "", NULL,
     5, 0, check_conv2d_agree},
    {"backward-lesson", "backward_conv2d: the lesson's 3x3 image, one 2x2 filter, two gradients dout", 2, "",
     "db sums dout; dW[f][c][i][j] sums dout[f][y][x] * X[c][y*s + i][x*s + j]; dX spreads each dout[f][y][x] * "
     "W[f] back over the patch it came from.", 5, 0, check_backward_lesson},
    {"backward-random", "backward_conv2d: 2 random images of 2 channels, 6x7, 3 filters 3x3, stride 2", 3, "",
     "dW sums over every image (not only the last); dX adds, for each output, W times its gradient onto the "
     "pixels at y*s + i, x*s + j.", 5, 0, check_backward_random},
    {"backward-shapes", "backward_conv2d: 5x7 images, 3 channels with k=2 stride 3, and k=3 stride 1", 2, "", NULL, 5,
     0, check_backward_shapes},
    {"backward-overwrites", "backward_conv2d: two calls overwrite, dX = NULL is allowed", 2, "",
     "Set dW, db and dX to 0 (or write them with beta = 0) before adding to them; skip dX when it is NULL.", 5, 0,
     check_backward_overwrites},
    {"backward-gradient-w", "backward_conv2d: dW against central differences of sum(out * R)", 2, "",
     "dW is dout (per image, F x OH*OW) times that image's columns (OH*OW x C*k*k), as the forward pass left them "
     "in columns (the checks fill it with im2col(X) before the call).", 5, 0, check_gradient_w},
    {"backward-gradient-b", "backward_conv2d: db against central differences of sum(out * R)", 1, "",
     "db[f] is the sum of dout over every image and every position of map f.", 5, 0, check_gradient_b},
    {"backward-gradient-x", "backward_conv2d: dX against central differences of sum(out * R)", 2, "",
     "dX is a full convolution of dout with the filters: each output's gradient times W[f][c][i][j] goes to "
     "pixel (y*s + i, x*s + j), the same (i, j), not flipped; pixels no filter visits get 0.", 5, 0,
     check_gradient_x},
};
const int kit_suite_check_count = sizeof kit_suite_checks / sizeof kit_suite_checks[0];
