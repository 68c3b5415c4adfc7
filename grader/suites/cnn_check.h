/*
 * cnn_check.h: what the convolution checks of chapters 4.2, 4.3 and 4.5 compute themselves, so that a check does not
 * depend on the learner's other functions: im2col, chapter 4.3's CNN in double (one image at a time, with how
 * clearly its poolings and ReLUs decide), the test accuracy of a trained CNN, and the small CNN of the checks.
 */
#ifndef KIT_CNN_CHECK_H
#define KIT_CNN_CHECK_H

#include "check.h"
#include "course.h"

#include <math.h>
#include <stdlib.h>

/* columns = im2col(X) for shape s, as chapter 4.2 defines it: row n*OH*OW + y*OW + x holds the patch of output
 * (y, x) of image n, element c*k*k + i*k + j being X[n][c][y*s + i][x*s + j]. columns is (N*OH*OW) x (C*k*k). */
static inline void im2col_here(Matrix *columns, const Matrix *X, ConvShape s)
{
    int N = X->rows, C = s.channels, H = s.height, W = s.width, k = s.kernel;
    int OH = conv_output_size(H, k, s.stride), OW = conv_output_size(W, k, s.stride);
    for (int n = 0; n < N; n++)
        for (int y = 0; y < OH; y++)
            for (int x = 0; x < OW; x++)
                for (int ch = 0; ch < C; ch++)
                    for (int i = 0; i < k; i++)
                        for (int j = 0; j < k; j++)
                            columns->data[((n * OH + y) * OW + x) * C * k * k + ch * k * k + i * k + j] =
                                X->data[n * C * H * W + ch * H * W + (y * s.stride + i) * W + x * s.stride + j];
}

/* ---- chapter 4.3's CNN, computed here in double ---------------------------------------------------------------- */

/* Counts of how clearly the pooling windows and hidden units of forward passes computed here decide: a window is
 * off when its largest value is at most -margin (it gives 0 after ReLU), on when that value is at least margin and
 * at least margin above the window's next one, unclear otherwise; a hidden unit is off or on when its sum is at most
 * -margin or at least margin. A finite-difference step or another summation order that moves no value by margin
 * cannot then change which value a window passes on or which units ReLU lets through. */
typedef struct {
    double margin;
    long off1, on1, off2, on2, hidden_off, hidden_on, unclear;
} CnnClearness;

/* The buffers of one image's forward pass: a KitCnnLayout's sizes of doubles. */
typedef struct {
    KitCnnLayout l;
    double *image, *wide, *z1, *p1, *a1, *z2, *p2, *a2, *z3, *a3, *z4;
    int *arg1, *arg2;
} CnnHere;

static inline CnnHere cnn_here_create(const Cnn *cnn)
{
    KitCnnSizes z = kit_cnn_sizes(cnn);
    CnnHere h;
    h.l = kit_cnn_layout(z);
    h.image = malloc((size_t)z.channels * z.height * z.width * sizeof *h.image);
    h.wide = malloc((size_t)z.height * z.width * sizeof *h.wide); /* conv_here's sums: the larger input map's size */
    h.z1 = malloc((size_t)h.l.maps1 * sizeof *h.z1), h.p1 = malloc((size_t)h.l.pooled1 * sizeof *h.p1);
    h.a1 = malloc((size_t)h.l.pooled1 * sizeof *h.a1), h.a2 = malloc((size_t)h.l.pooled2 * sizeof *h.a2);
    h.z2 = malloc((size_t)h.l.maps2 * sizeof *h.z2), h.p2 = malloc((size_t)h.l.pooled2 * sizeof *h.p2);
    h.z3 = malloc((size_t)z.hidden * sizeof *h.z3), h.a3 = malloc((size_t)z.hidden * sizeof *h.a3);
    h.z4 = malloc((size_t)z.classes * sizeof *h.z4);
    h.arg1 = malloc((size_t)h.l.pooled1 * sizeof *h.arg1), h.arg2 = malloc((size_t)h.l.pooled2 * sizeof *h.arg2);
    if (!h.image || !h.wide || !h.z1 || !h.p1 || !h.a1 || !h.a2 || !h.z2 || !h.p2 || !h.z3 || !h.a3 || !h.z4 || !h.arg1 || !h.arg2)
        kit_fatal("the grader has no memory for a forward pass of the CNN");
    return h;
}

static inline void cnn_here_free(CnnHere *h)
{
    free(h->image), free(h->wide), free(h->z1), free(h->p1), free(h->a1), free(h->a2), free(h->z2), free(h->p2), free(h->z3), free(h->a3), free(h->z4);
    free(h->arg1), free(h->arg2);
}

/* out (F x OH x OW) = b + the cross-correlation of in (C x H x W) with the F filters of Wt (F x C*k*k), stride 1.
 * Each map is summed in wide (at least (OH - 1)*W + OW doubles), laid out at the input's width: output (y, x) at
 * y*W + x, so that the pixel under tap (i, j) is at the same offset plus i*W + j for every output, and one loop
 * over the whole map adds a tap (726 or 141 values in a row for the CNNs of 4.3 and 4.5, not rows of 26 or 11).
 * The last k - 1 values of each row are computed and dropped. Every output still sums b, then the taps in the
 * order (ch, i, j): the same doubles as a loop over y and x. The AVX2 clone (no fused multiply-add) adds four
 * doubles at a time where the CPU has it, and rounds as the default one does. */
__attribute__((target_clones("avx2", "default"))) static void conv_here(double *out, double *wide, const double *in,
                                                                      int C, int H, int W, const Matrix *Wt,
                                                                      const Matrix *b, int k)
{
    int F = Wt->rows, OH = H - k + 1, OW = W - k + 1, span = (OH - 1) * W + OW;
    for (int f = 0; f < F; f++) {
        for (int q = 0; q < span; q++)
            wide[q] = b->data[f];
        for (int ch = 0; ch < C; ch++) {
            const float *w = Wt->data + (size_t)f * C * k * k + (size_t)ch * k * k;
            const double *restrict plane = in + (size_t)ch * H * W;
            double *restrict sums = wide;
            if (k == 3) { /* the CNNs' filters: a channel's nine taps in one pass, each sum kept in a register */
                double w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5], w6 = w[6], w7 = w[7], w8 = w[8];
                const double *r0 = plane, *r1 = plane + W, *r2 = plane + 2 * W;
                for (int q = 0; q < span; q++) {
                    double sum = sums[q];
                    sum += w0 * r0[q], sum += w1 * r0[q + 1], sum += w2 * r0[q + 2];
                    sum += w3 * r1[q], sum += w4 * r1[q + 1], sum += w5 * r1[q + 2];
                    sum += w6 * r2[q], sum += w7 * r2[q + 1], sum += w8 * r2[q + 2];
                    sums[q] = sum;
                }
            } else {
                for (int i = 0; i < k; i++)
                    for (int j = 0; j < k; j++) {
                        double tap = w[i * k + j];
                        const double *restrict pixels = plane + i * W + j;
                        for (int q = 0; q < span; q++)
                            sums[q] += tap * pixels[q];
                    }
            }
        }
        double *map = out + (size_t)f * OH * OW;
        for (int y = 0; y < OH; y++)
            for (int x = 0; x < OW; x++)
                map[y * OW + x] = wide[y * W + x];
    }
}

/* The CNN's max pooling (windows of KIT_CNN_POOL x KIT_CNN_POOL, stride KIT_CNN_POOL) of in (C x H x W) into out
 * (C x H/KIT_CNN_POOL x W/KIT_CNN_POOL), the first maximum on ties, with each winner's index in arg. Counts how clearly
 * each window decides in clear (may be NULL), as stage 1 or 2. */
static inline void pool_here_double(double *out, int *arg, const double *in, int C, int H, int W, int stage,
                                    CnnClearness *clear)
{
    const int s = KIT_CNN_POOL;
    int PH = H / s, PW = W / s;
    for (int ch = 0; ch < C; ch++)
        for (int py = 0; py < PH; py++)
            for (int px = 0; px < PW; px++) {
                int top = ch * H * W + s * py * W + s * px, best = top;
                double first = in[top], second = -INFINITY;
                for (int q = 1; q < s * s; q++) {
                    int cell = top + q / s * W + q % s;
                    double v = in[cell];
                    if (v > first)
                        second = first, first = v, best = cell;
                    else if (v > second)
                        second = v;
                }
                int o = (ch * PH + py) * PW + px;
                out[o] = first, arg[o] = best;
                if (clear) {
                    if (first <= -clear->margin)
                        stage == 1 ? clear->off1++ : clear->off2++;
                    else if (first >= clear->margin && first - second >= clear->margin)
                        stage == 1 ? clear->on1++ : clear->on2++;
                    else
                        clear->unclear++;
                }
            }
}

/* out (n_out) = b + in (n_in) W (n_in x n_out). */
static inline void dense_here(double *out, const double *in, const Matrix *Wt, const Matrix *b)
{
    int n_in = Wt->rows, n_out = Wt->cols;
    for (int k = 0; k < n_out; k++)
        out[k] = b->data[k];
    for (int j = 0; j < n_in; j++)
        for (int k = 0; k < n_out; k++)
            out[k] += in[j] * Wt->data[(size_t)j * n_out + k];
}

/* One image through the CNN, in double: h->z1, p1 (pooled), a1 (after ReLU), z2, p2, a2 (the same for
 * stage 2), z3 (the hidden sums), a3 (after ReLU), z4 (the scores). Returns the class of the largest score (the first on ties); clear may be NULL. */
static inline int cnn_image_here(CnnHere *h, const Cnn *cnn, const float *image, CnnClearness *clear)
{
    KitCnnSizes z = kit_cnn_sizes(cnn);
    KitCnnLayout l = h->l;
    int k = z.kernel;
    for (int q = 0; q < z.channels * z.height * z.width; q++)
        h->image[q] = image[q];
    conv_here(h->z1, h->wide, h->image, z.channels, z.height, z.width, &cnn->W1, &cnn->b1, k);
    pool_here_double(h->p1, h->arg1, h->z1, z.filters1, l.OH1, l.OW1, 1, clear);
    for (int q = 0; q < l.pooled1; q++)
        h->a1[q] = h->p1[q] > 0.0 ? h->p1[q] : 0.0;
    conv_here(h->z2, h->wide, h->a1, z.filters1, l.PH1, l.PW1, &cnn->W2, &cnn->b2, k);
    pool_here_double(h->p2, h->arg2, h->z2, z.filters2, l.OH2, l.OW2, 2, clear);
    for (int q = 0; q < l.pooled2; q++)
        h->a2[q] = h->p2[q] > 0.0 ? h->p2[q] : 0.0;
    dense_here(h->z3, h->a2, &cnn->W3, &cnn->b3);
    int best = 0;
    for (int q = 0; q < z.hidden; q++) {
        double v = h->z3[q];
        h->a3[q] = v > 0.0 ? v : 0.0;
        if (clear) {
            if (v <= -clear->margin)
                clear->hidden_off++;
            else if (v >= clear->margin)
                clear->hidden_on++;
            else
                clear->unclear++;
        }
    }
    dense_here(h->z4, h->a3, &cnn->W4, &cnn->b4);
    for (int q = 1; q < z.classes; q++)
        if (h->z4[q] > h->z4[best])
            best = q;
    return best;
}

/* The fraction of the test images (T, N x C*H*W; labels N x 1) whose class cnn_image_here gives right. */
static inline double cnn_test_accuracy(const Cnn *cnn, const Matrix *T, const Matrix *labels)
{
    CnnHere h = cnn_here_create(cnn);
    int right = 0;
    for (int i = 0; i < T->rows; i++)
        right += cnn_image_here(&h, cnn, T->data + (size_t)i * T->cols, NULL) == (int)labels->data[i];
    cnn_here_free(&h);
    return T->rows ? (double)right / T->rows : 0.0;
}

/* What an accuracy check trains: the CNN (and its velocity, for momentum), the training set, the work space and the
 * shuffle's generator. */
typedef struct {
    Cnn *cnn, *velocity;
    const Matrix *X, *labels;
    KitCnnWork *work;
    KitRng *shuffle;
} CnnTraining;

/* One epoch of the learner's training of a CNN (train_cnn_epoch, train_cnn_epoch_momentum): epoch counts from 1, and
 * progress goes to the learner's function. Returns the epoch's mean loss. */
typedef float (*CnnEpoch)(int epoch, KitProgress *progress, const CnnTraining *t);

/* The accuracy checks of chapters 4.3 and 4.5: trains t->cnn for epochs epochs of steps steps each (fewer when an epoch
 * ends with a mean loss above hopeless_loss, or NaN), watching the output layer's bias (KitWatch); then emits the test
 * accuracy, or where the training was stopped. */
static inline void cnn_train_to_bar(KitCase *c, const CnnTraining *t, int epochs, int steps, CnnEpoch train_epoch,
                                    float hopeless_loss, double mnist_bar, double fashion_bar)
{
    const Cnn *cnn = t->cnn;
    const KitDataset *data = kit_case_dataset(c);
    KitWatch watch;
    KitProgress progress;
    kit_watch_init(&watch, &cnn->b4, "b4");
    if (setjmp(watch.stop) == 0) {
        for (int epoch = 1; epoch <= epochs; epoch++) {
            kit_watch_progress(&watch, &progress, epoch, epochs, steps);
            if (!(train_epoch(epoch, &progress, t) <= hopeless_loss))
                break;
        }
        kit_emit_at_least(c, "test accuracy", cnn_test_accuracy(cnn, &data->test_images, &data->test_labels),
                          mnist_bar, fashion_bar);
    } else {
        kit_emit_stopped(c, "test accuracy", mnist_bar, fashion_bar, &watch);
    }
}

/* ---- the small CNN of the checks of chapters 4.3 and 4.5 ------------------------------------------------------- */

/* 2 channels of 11 x 10; convolution 1 (2 filters of 3 x 3) makes maps of 9 x 8, pooled to 4 x 4 (the 9th row is in
 * no window); convolution 2 (3 filters over those 2 maps) makes maps of 2 x 2, pooled to 1 x 1 (3 values); 4 hidden
 * units; 3 classes. */
enum { TC = 2, TH = 11, TW = 10, TK = 3, TF1 = 2, TF2 = 3, THIDDEN = 4, TCLASSES = 3 };
static const KitCnnSizes small_sizes = {TC, TH, TW, TK, TF1, TF2, THIDDEN, TCLASSES};

/* A small CNN, zero velocities of its shapes, and a batch: X (N x C*H*W), labels (N x 1) and their one-hot rows Y. */
typedef struct {
    Cnn cnn, velocity;
    Matrix X, labels, Y;
} CnnProblem;

static inline void cnn_problem_free(CnnProblem *p)
{
    kit_cnn_free(&p->cnn), kit_cnn_free(&p->velocity);
    kit_matrix_free(&p->X), kit_matrix_free(&p->labels), kit_matrix_free(&p->Y);
}

/* The problem's forward pass computed here, in double, into work's cache as floats (work has the problem's rows):
 * X, labels and Y copied, columns1 = im2col(X), Z1, pooled1, argmax1, A1, columns2 = im2col(A1), Z2, pooled2,
 * argmax2, A2, Z3, A3, Z4 and A4, so that the backward checks do not depend on forward_cnn. Returns the mean
 * cross-entropy against Y, in double; counts how clearly it decides into clear (may be NULL). */
static inline double cnn_forward_here(KitCnnWork *w, const CnnProblem *p, CnnClearness *clear)
{
    int N = p->X.rows;
    const KitCnnLayout l = w->layout;
    kit_cnn_work_rows(w, N);
    kit_matrix_copy(&w->X, &p->X);
    kit_matrix_copy(&w->Y, &p->Y);
    kit_matrix_copy(&w->labels, &p->labels);
    im2col_here(&w->columns1, &p->X, p->cnn.shape);
    CnnHere h = cnn_here_create(&p->cnn);
    double loss = 0.0;
    for (int n = 0; n < N; n++) {
        cnn_image_here(&h, &p->cnn, p->X.data + (size_t)n * p->X.cols, clear);
        struct {
            Matrix *to;
            const double *from;
            int count;
        } copies[] = {{&w->Z1, h.z1, l.maps1},      {&w->pooled1, h.p1, l.pooled1}, {&w->A1, h.a1, l.pooled1},
                      {&w->Z2, h.z2, l.maps2},      {&w->pooled2, h.p2, l.pooled2}, {&w->A2, h.a2, l.pooled2},
                      {&w->Z3, h.z3, THIDDEN},      {&w->A3, h.a3, THIDDEN},        {&w->Z4, h.z4, TCLASSES}};
        for (size_t k = 0; k < sizeof copies / sizeof copies[0]; k++)
            for (int q = 0; q < copies[k].count; q++)
                copies[k].to->data[(size_t)n * copies[k].count + q] = (float)copies[k].from[q];
        for (int q = 0; q < l.pooled1; q++)
            w->argmax1[(size_t)n * l.pooled1 + q] = h.arg1[q];
        for (int q = 0; q < l.pooled2; q++)
            w->argmax2[(size_t)n * l.pooled2 + q] = h.arg2[q];
        double largest = -INFINITY, sum = 0.0, e[TCLASSES];
        for (int k = 0; k < TCLASSES; k++)
            largest = h.z4[k] > largest ? h.z4[k] : largest;
        for (int k = 0; k < TCLASSES; k++)
            sum += e[k] = exp(h.z4[k] - largest);
        for (int k = 0; k < TCLASSES; k++)
            w->A4.data[n * TCLASSES + k] = (float)(e[k] / sum);
        loss -= log(e[(int)p->labels.data[n]] / sum);
    }
    im2col_here(&w->columns2, &w->A1, cnn_second_shape(&p->cnn));
    cnn_here_free(&h);
    return loss / N;
}

/* A random problem of N examples: pixels uniform in [-0.5, 0.5], W1 normal (std 0.5), b1 uniform in [-0.3, 0.3],
 * W2 normal (std 0.4), b2 uniform in [-0.3, 0.3], W3 and W4 normal (std 0.7), b3 uniform in [-0.3, 0.3], b4 in
 * [-0.5, 0.5], labels uniform over the classes, zero velocities; so that every stage has values of both signs.
 * With margin > 0 the draw is repeated (the same sequence for the same case) until every pooling window and hidden
 * unit decides by margin (CnnClearness), and at least two windows of stage 1, one of stage 2 and one hidden unit
 * are off and as many on, so that every ReLU's mask matters. */
static inline CnnProblem cnn_random_problem(const KitCase *c, uint64_t salt, int N, double margin)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + salt);
    KitCnnWork w = kit_cnn_work_create(N, N, small_sizes);
    for (int attempt = 0;; attempt++) {
        CnnProblem p = {kit_cnn_create(small_sizes, NULL), kit_cnn_create(small_sizes, NULL),
                        kit_matrix_create(N, TC * TH * TW), kit_matrix_create(N, 1), kit_matrix_create(N, TCLASSES)};
        kit_matrix_fill_uniform(&p.X, &rng, -0.5f, 0.5f);
        kit_matrix_fill_normal(&p.cnn.W1, &rng, 0.0f, 0.5f);
        kit_matrix_fill_uniform(&p.cnn.b1, &rng, -0.3f, 0.3f);
        kit_matrix_fill_normal(&p.cnn.W2, &rng, 0.0f, 0.4f);
        kit_matrix_fill_uniform(&p.cnn.b2, &rng, -0.3f, 0.3f);
        kit_matrix_fill_normal(&p.cnn.W3, &rng, 0.0f, 0.7f);
        kit_matrix_fill_uniform(&p.cnn.b3, &rng, -0.3f, 0.3f);
        kit_matrix_fill_normal(&p.cnn.W4, &rng, 0.0f, 0.7f);
        kit_matrix_fill_uniform(&p.cnn.b4, &rng, -0.5f, 0.5f);
        for (int i = 0; i < N; i++) {
            int label = kit_rng_below(&rng, TCLASSES);
            p.labels.data[i] = (float)label;
            p.Y.data[i * TCLASSES + label] = 1.0f;
        }
        if (margin <= 0.0) {
            kit_cnn_work_free(&w);
            return p;
        }
        CnnClearness clear = {margin, 0, 0, 0, 0, 0, 0, 0};
        cnn_forward_here(&w, &p, &clear);
        if ((clear.unclear == 0 && clear.off1 >= 2 && clear.on1 >= 2 && clear.off2 >= 1 && clear.on2 >= 1 &&
             clear.hidden_off >= 1 && clear.hidden_on >= 1) ||
            attempt >= 100000) {
            kit_cnn_work_free(&w);
            return p;
        }
        cnn_problem_free(&p);
    }
}

/* Shows the problem's batch and parameters as the case's inputs. */
static inline void cnn_show_problem(KitCase *c, const CnnProblem *p)
{
    kit_show_input(c, "X (2 channels of 11x10 per row)", &p->X);
    kit_show_input(c, "labels", &p->labels);
    kit_show_input(c, "W1 (2 filters of 2 channels, 3x3)", &p->cnn.W1);
    kit_show_input(c, "b1", &p->cnn.b1);
    kit_show_input(c, "W2 (3 filters of 2 channels, 3x3)", &p->cnn.W2);
    kit_show_input(c, "b2", &p->cnn.b2);
    kit_show_input(c, "W3 (3 x 4)", &p->cnn.W3);
    kit_show_input(c, "b3", &p->cnn.b3);
    kit_show_input(c, "W4 (4 x 3)", &p->cnn.W4);
    kit_show_input(c, "b4", &p->cnn.b4);
}

#endif
