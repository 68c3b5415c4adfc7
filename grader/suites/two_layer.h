/*
 * two_layer.h: the random two-layer problems that the suites of chapters 3.4 and 4.4 share (a network
 * D -> H -> C, a batch and its labels), drawn the same way for the same seed and salt.
 */
#ifndef KIT_TWO_LAYER_H
#define KIT_TWO_LAYER_H

#include "check.h"
#include "course.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* A two-layer network D -> H -> C and a batch: X (N x D), labels (N x 1) and their one-hot rows Y. */
typedef struct {
    Matrix X, labels, Y, W1, b1, W2, b2;
} Problem;

static inline void free_problem(Problem *p)
{
    Matrix *all[] = {&p->X, &p->labels, &p->Y, &p->W1, &p->b1, &p->W2, &p->b2};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        kit_matrix_free(all[k]);
}

/* The problem's parameters as an Mlp (course.h): headers over the same memory, so that a step through the Mlp
 * moves the problem's W1, b1, W2 and b2. */
static inline Mlp problem_mlp(const Problem *p)
{
    Mlp mlp = {p->W1, p->b1, p->W2, p->b2};
    return mlp;
}

/* The smallest |Z1| of the problem's hidden scores, computed here in double. */
static inline double smallest_hidden_score(const Problem *p)
{
    int N = p->X.rows, D = p->X.cols, H = p->W1.cols;
    double smallest = INFINITY;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < H; j++) {
            double z = p->b1.data[j];
            for (int k = 0; k < D; k++)
                z += (double)p->X.data[i * D + k] * p->W1.data[k * H + j];
            if (fabs(z) < smallest)
                smallest = fabs(z);
        }
    return smallest;
}

/* A random problem: inputs normal (std 1), weights normal (std 0.7), biases uniform in [-0.5, 0.5], labels
 * uniform over the C classes. With margin > 0 the draw is repeated (the same sequence for the same seed) until
 * every hidden score is at least margin away from ReLU's kink at 0, so that central differences never step
 * across it. */
static inline Problem random_problem(const KitCase *c, uint64_t salt, int N, int D, int H, int C, double margin)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + salt);
    for (;;) {
        Problem p = {kit_matrix_create(N, D), kit_matrix_create(N, 1), kit_matrix_create(N, C),
                     kit_matrix_create(D, H), kit_matrix_create(1, H), kit_matrix_create(H, C),
                     kit_matrix_create(1, C)};
        kit_matrix_fill_normal(&p.X, &rng, 0.0f, 1.0f);
        kit_matrix_fill_normal(&p.W1, &rng, 0.0f, 0.7f);
        kit_matrix_fill_uniform(&p.b1, &rng, -0.5f, 0.5f);
        kit_matrix_fill_normal(&p.W2, &rng, 0.0f, 0.7f);
        kit_matrix_fill_uniform(&p.b2, &rng, -0.5f, 0.5f);
        for (int i = 0; i < N; i++) {
            int label = kit_rng_below(&rng, C);
            p.labels.data[i] = (float)label;
            p.Y.data[i * C + label] = 1.0f;
        }
        if (margin <= 0.0 || smallest_hidden_score(&p) >= margin)
            return p;
        free_problem(&p);
    }
}

/* Emits W1, b1, W2 and b2, each named "<parameter> <when>", with the training tolerances. */
static inline void emit_parameters(KitCase *c, const char *when, const Problem *p, double abs_tol, double rel_tol)
{
    char label[256];
    const char *names[] = {"W1", "b1", "W2", "b2"};
    const Matrix *parameters[] = {&p->W1, &p->b1, &p->W2, &p->b2};
    for (int k = 0; k < 4; k++) {
        snprintf(label, sizeof label, "%s %s", names[k], when);
        kit_emit(c, label, parameters[k], abs_tol, rel_tol);
    }
}

/* The fraction of the data set's test images that the two-layer ReLU network W1, b1, W2, b2 classifies right,
 * computed here in double from the trained parameters (no dropout), whatever the learner's forward pass does. */
static inline double two_layer_test_accuracy(const KitDataset *data, const Matrix *W1, const Matrix *b1,
                                             const Matrix *W2, const Matrix *b2)
{
    const Matrix *T = &data->test_images;
    int D = W1->rows, H = W1->cols, C = W2->cols;
    double *hidden = malloc((size_t)H * sizeof *hidden);
    int right = 0;
    for (int i = 0; i < T->rows; i++) {
        const float *x = T->data + (size_t)i * D;
        for (int j = 0; j < H; j++)
            hidden[j] = b1->data[j];
        for (int k = 0; k < D; k++)
            if (x[k] != 0.0f)
                for (int j = 0; j < H; j++)
                    hidden[j] += (double)x[k] * W1->data[(size_t)k * H + j];
        int best = 0;
        double best_score = -INFINITY;
        for (int k = 0; k < C; k++) {
            double z = b2->data[k];
            for (int j = 0; j < H; j++)
                if (hidden[j] > 0)
                    z += hidden[j] * W2->data[j * C + k];
            if (z > best_score)
                best_score = z, best = k;
        }
        right += best == (int)data->test_labels.data[i];
    }
    free(hidden);
    return T->rows ? (double)right / T->rows : 0.0;
}

#endif
