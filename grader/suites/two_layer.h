/*
 * two_layer.h: the random two-layer problems that the suites of chapters 3.4 and 4.4 share (a network
 * D -> H -> C, a batch and its labels), drawn the same way for the same seed and salt.
 */
#ifndef KIT_TWO_LAYER_H
#define KIT_TWO_LAYER_H

#include "check.h"

#include <math.h>
#include <stdio.h>

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

#endif
