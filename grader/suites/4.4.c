/* The grading suite of chapter 4.4: Regularization Techniques. */
#include "check.h"
#include "course.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

const char kit_suite_chapter[] = "4.4";

/* A penalty is a sum of squares (in double, in any order) times lambda: float against double changes it by
 * a few 1e-7 of its size; its gradient 2 lambda W is one product per element. 100 times that room. */
#define PENALTY_ABS_TOL 1e-6
#define PENALTY_REL_TOL 1e-5
/* Gradients of the network: sums of a few dozen float products (cblas_sgemm or loops, float or double). */
#define GRADIENT_ABS_TOL 1e-5
#define GRADIENT_REL_TOL 1e-4
/* Training steps carry those differences through the update: 10 times more room. */
#define TRAINING_ABS_TOL 1e-4
#define TRAINING_REL_TOL 1e-3
/* Dropout's mask is 0 or 1 / (1 - rate): exact, up to how that quotient is rounded (float or double). */
#define MASK_REL_TOL 1e-6
/* The statistics of a 200 x 500 mask (100,000 draws) with rate 0.25: the fraction kept has a standard deviation
 * of sqrt(0.25 * 0.75 / 100000) = 0.0014 around 0.75, and the ratio of the means about 0.002 around 1: any fair
 * draw lands within 0.01 of the reference's (7 and 5 standard deviations); no rescaling gives a ratio of 0.75. */
#define FRACTION_TOL 0.01
#define RATIO_TOL 0.01
/* Central differences of a loss computed here in double, with h = 1e-2 on float parameters: good to about
 * 1e-5; the checker's floored relative tolerance allows 1e-3 (chapter 2.4). */
#define NUMERIC_H 1e-2f
#define NUMERIC_TOL 1e-3

/* The accuracy check's fixed budget: the 784 -> 256 -> 128 -> 10 network of chapter 4.1 trained on only the first
 * ACCURACY_TRAIN training images (few enough to learn by heart), with dropout ACCURACY_RATE on both hidden layers
 * and L2 ACCURACY_LAMBDA on the three weight matrices; He-initialised weights (normal, std sqrt(2 / fan-in)), zero biases,
 * batches of 64, learning rate ACCURACY_LR for ACCURACY_EPOCHS - ACCURACY_LATE epochs and a tenth of it for the
 * last ACCURACY_LATE; then the accuracy on the whole test set, computed here in double (no dropout at test time).
 * Measured with the reference (single-threaded OpenBLAS), seeds 1-3:
 *   MNIST (the first 2,000 of the 60,000 training digits; all 10,000 test digits): 0.9186, 0.9173, 0.9161;
 *   the bar MNIST_BAR sits 1.6 points below the lowest seed.
 *   Fashion-MNIST (10,000 test images): 0.8250, 0.8224, 0.8263; the bar FASHION_BAR sits 2.2 points below.
 * 120,000 image-steps in all (60 epochs of 2,000): a few seconds (see the lesson). Correct code whose every product
 * (chapter 1.2's matrix_multiply included) is a plain i-j-k triple loop took 245 s on MNIST with a load average of
 * about 10 on 2 cores: the check allows 600 s, as chapter 4.1's does for the same network. */
#define ACCURACY_TRAIN 2000
#define ACCURACY_H1 256
#define ACCURACY_H2 128
#define ACCURACY_EPOCHS 60
#define ACCURACY_LATE 10
#define ACCURACY_BATCH 64
#define ACCURACY_LR 0.1f
#define ACCURACY_LAMBDA 0.001f
#define ACCURACY_RATE 0.5f
#define MNIST_BAR 0.90
#define FASHION_BAR 0.8

/* ---- helpers ----------------------------------------------------------- */

static void free_matrices(Matrix **all, size_t count)
{
    for (size_t k = 0; k < count; k++)
        kit_matrix_free(all[k]);
}

/* A three-layer network D -> H1 -> H2 -> K (course.h's Mlp3) and a batch: X (N x D), labels (N x 1) and their
 * one-hot rows Y. */
typedef struct {
    Matrix X, labels, Y;
    Mlp3 net;
} Problem;

static Matrix *parameter(Problem *p, int k)
{
    Matrix *all[] = {&p->net.W1, &p->net.b1, &p->net.W2, &p->net.b2, &p->net.W3, &p->net.b3};
    return all[k];
}
static const char *const parameter_names[6] = {"W1", "b1", "W2", "b2", "W3", "b3"};

static void free_problem(Problem *p)
{
    kit_matrix_free(&p->X), kit_matrix_free(&p->labels), kit_matrix_free(&p->Y);
    kit_mlp3_free(&p->net);
}

/* The lesson's network: 2 -> 3 -> 2 -> 3, two examples with labels 0 and 2 (the example of chapter 4.1). */
static Problem lesson_problem(void)
{
    const float x[] = {1, 2, 0, -1}, w1[] = {1, -1, 0.5f, 0.5f, 1, -1}, b1[] = {0, 0.5f, 0.5f};
    const float w2[] = {0.5f, -1, 1, 0.5f, -1, 1}, b2[] = {0, -0.5f};
    const float w3[] = {1, 0, -1, 0.5f, 1, 0}, b3[] = {0, 0, 0.5f};
    const float labels[] = {0, 2}, y[] = {1, 0, 0, 0, 0, 1};
    Problem p = {kit_matrix_from(2, 2, x), kit_matrix_from(2, 1, labels), kit_matrix_from(2, 3, y),
                 {kit_matrix_from(2, 3, w1), kit_matrix_from(1, 3, b1), kit_matrix_from(3, 2, w2),
                  kit_matrix_from(1, 2, b2), kit_matrix_from(2, 3, w3), kit_matrix_from(1, 3, b3)}};
    return p;
}

/* A random problem drawn from the case's seed plus salt: inputs normal (std 1), weights normal (std 0.7),
 * biases uniform in [-0.5, 0.5], labels uniform over the K classes. */
static Problem random_problem(const KitCase *c, uint64_t salt, int N, int D, int H1, int H2, int K)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + salt);
    Problem p = {kit_matrix_create(N, D), kit_matrix_create(N, 1), kit_matrix_create(N, K),
                 kit_mlp3_create(D, H1, H2, K, NULL)};
    kit_matrix_fill_normal(&p.X, &rng, 0.0f, 1.0f);
    for (int k = 0; k < 6; k += 2) {
        kit_matrix_fill_normal(parameter(&p, k), &rng, 0.0f, 0.7f);
        kit_matrix_fill_uniform(parameter(&p, k + 1), &rng, -0.5f, 0.5f);
    }
    for (int i = 0; i < N; i++) {
        int label = kit_rng_below(&rng, K);
        p.labels.data[i] = (float)label;
        p.Y.data[i * K + label] = 1.0f;
    }
    return p;
}

static void show_problem(KitCase *c, Problem *p)
{
    kit_show_input(c, "X", &p->X);
    kit_show_input(c, "labels", &p->labels);
    for (int k = 0; k < 6; k++)
        kit_show_input(c, parameter_names[k], parameter(p, k));
}

/* Emits the six parameters, each named "<parameter> <when>", with the training tolerances. */
static void emit_parameters(KitCase *c, const char *when, Problem *p)
{
    char label[256];
    for (int k = 0; k < 6; k++) {
        snprintf(label, sizeof label, "%s %s", parameter_names[k], when);
        kit_emit(c, label, parameter(p, k), TRAINING_ABS_TOL, TRAINING_REL_TOL);
    }
}

/* The loss of the problem's network with fixed dropout masks (mask1 N x H1, mask2 N x H2), computed here in double:
 * the cross-entropy of softmax(relu(relu(X W1 + b1) * mask1 W2 + b2) * mask2 W3 + b3) plus lambda (sum W1^2 +
 * sum W2^2 + sum W3^2). The smallest |Z1| and |Z2| go to *min_z when it is not NULL. */
static double masked_loss(const Problem *p, const Matrix *mask1, const Matrix *mask2, float lambda, double *min_z)
{
    const Mlp3 *n = &p->net;
    int N = p->X.rows, D = p->X.cols, H1 = n->W1.cols, H2 = n->W2.cols, K = n->W3.cols;
    double total = 0.0, smallest = INFINITY, a1[64], a2[64], scores[64];
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < H1; j++) {
            double z = n->b1.data[j];
            for (int d = 0; d < D; d++)
                z += (double)p->X.data[i * D + d] * n->W1.data[d * H1 + j];
            smallest = fmin(smallest, fabs(z));
            a1[j] = (z > 0 ? z : 0.0) * mask1->data[i * H1 + j];
        }
        for (int j = 0; j < H2; j++) {
            double z = n->b2.data[j];
            for (int h = 0; h < H1; h++)
                z += a1[h] * n->W2.data[h * H2 + j];
            smallest = fmin(smallest, fabs(z));
            a2[j] = (z > 0 ? z : 0.0) * mask2->data[i * H2 + j];
        }
        double largest = -INFINITY, sum = 0.0;
        for (int k = 0; k < K; k++) {
            double z = n->b3.data[k];
            for (int h = 0; h < H2; h++)
                z += a2[h] * n->W3.data[h * K + k];
            scores[k] = z;
            largest = fmax(largest, z);
        }
        for (int k = 0; k < K; k++)
            sum += exp(scores[k] - largest);
        total -= scores[(int)p->labels.data[i]] - largest - log(sum);
    }
    double squares = 0.0;
    const Matrix *weights[] = {&n->W1, &n->W2, &n->W3};
    for (int w = 0; w < 3; w++)
        for (int k = 0; k < weights[w]->rows * weights[w]->cols; k++)
            squares += (double)weights[w]->data[k] * weights[w]->data[k];
    if (min_z)
        *min_z = smallest;
    return total / N + lambda * squares;
}

/* The fraction of the data set's test images that the three-layer ReLU network classifies right, computed here in
 * double from the trained parameters (no dropout), whatever the learner's forward pass does. */
static double test_accuracy(const KitDataset *data, const Mlp3 *n)
{
    const Matrix *T = &data->test_images;
    int D = n->W1.rows, H1 = n->W1.cols, H2 = n->W2.cols, K = n->W3.cols;
    double *a1 = malloc((size_t)H1 * sizeof *a1), *a2 = malloc((size_t)H2 * sizeof *a2);
    int right = 0;
    for (int i = 0; i < T->rows; i++) {
        const float *x = T->data + (size_t)i * D;
        for (int j = 0; j < H1; j++)
            a1[j] = n->b1.data[j];
        for (int d = 0; d < D; d++)
            if (x[d] != 0.0f)
                for (int j = 0; j < H1; j++)
                    a1[j] += (double)x[d] * n->W1.data[(size_t)d * H1 + j];
        for (int j = 0; j < H2; j++)
            a2[j] = n->b2.data[j];
        for (int h = 0; h < H1; h++)
            if (a1[h] > 0)
                for (int j = 0; j < H2; j++)
                    a2[j] += a1[h] * n->W2.data[h * H2 + j];
        int best = 0;
        double best_score = -INFINITY;
        for (int k = 0; k < K; k++) {
            double z = n->b3.data[k];
            for (int h = 0; h < H2; h++)
                if (a2[h] > 0)
                    z += a2[h] * n->W3.data[h * K + k];
            if (z > best_score)
                best_score = z, best = k;
        }
        right += best == (int)data->test_labels.data[i];
    }
    free(a1), free(a2);
    return T->rows ? (double)right / T->rows : 0.0;
}

/* ---- l2_regularization ------------------------------------------------- */

static void check_l2_lesson(KitCase *c)
{
    const float w[] = {1, -2, 0.5f, 0}, dw[] = {0.1f, 0.2f, 0.3f, 0.4f};
    Matrix W = kit_matrix_from(2, 2, w), dW = kit_matrix_from(2, 2, dw);
    kit_show_input(c, "W", &W);
    kit_show_input(c, "dW (before: the data loss's gradient)", &dW);
    float penalty = l2_regularization(&dW, &W, 0.01f);
    kit_emit_scalar(c, "the penalty l2_regularization(dW, W, 0.01) returned", penalty, PENALTY_ABS_TOL,
                    PENALTY_REL_TOL);
    kit_emit(c, "dW after the call (dW + 2 * 0.01 * W)", &dW, PENALTY_ABS_TOL, PENALTY_REL_TOL);
    kit_emit_unchanged(c, "l2_regularization", "W", &W);
    kit_matrix_free(&W), kit_matrix_free(&dW);
}

static void check_l2_random(KitCase *c)
{
    enum { R = 7, C = 5 };
    Matrix W = kit_case_normal_matrix(c, 4401, R, C, 0.0f, 1.0f);
    Matrix dW = kit_case_normal_matrix(c, 4402, R, C, 0.0f, 0.3f);
    kit_show_input(c, "W", &W);
    kit_show_input(c, "dW (before)", &dW);
    float penalty = l2_regularization(&dW, &W, 0.05f);
    kit_emit_scalar(c, "the penalty with lambda 0.05", penalty, PENALTY_ABS_TOL, PENALTY_REL_TOL);
    kit_emit(c, "dW after one call with lambda 0.05", &dW, PENALTY_ABS_TOL, PENALTY_REL_TOL);
    penalty = l2_regularization(&dW, &W, 0.2f); /* a second call adds again: it accumulates */
    kit_emit_scalar(c, "the penalty of a second call with lambda 0.2", penalty, PENALTY_ABS_TOL, PENALTY_REL_TOL);
    kit_emit(c, "dW after a second call with lambda 0.2 (both penalties' gradients added)", &dW, PENALTY_ABS_TOL,
             PENALTY_REL_TOL);
    penalty = l2_regularization(NULL, &W, 0.05f);
    kit_emit_scalar(c, "the penalty of l2_regularization(NULL, W, 0.05) (no gradient asked for)", penalty,
                    PENALTY_ABS_TOL, PENALTY_REL_TOL);
    kit_emit_unchanged(c, "l2_regularization", "W", &W);
    Matrix zeros = kit_matrix_create(R, C);
    kit_emit_scalar(c, "the penalty of a 7 x 5 matrix of zeros, lambda 0.05", l2_regularization(NULL, &zeros, 0.05f),
                    0, 0);
    kit_emit_unchanged(c, "l2_regularization", "the 7 x 5 zeros", &zeros);
    kit_matrix_free(&W), kit_matrix_free(&dW), kit_matrix_free(&zeros);
}

/* The penalty as a function of W, for the gradient checker. */
typedef struct {
    Matrix *W;
    float lambda;
} PenaltyContext;

static double penalty_loss(void *context)
{
    PenaltyContext *p = context;
    return l2_regularization(NULL, p->W, p->lambda);
}

static void check_l2_gradient(KitCase *c)
{
    Matrix W = kit_case_normal_matrix(c, 4403, 4, 6, 0.0f, 1.5f);
    kit_show_input(c, "W", &W);
    Matrix dW = kit_matrix_create(4, 6); /* zeros: after the call it holds the penalty's gradient alone */
    PenaltyContext context = {&W, 0.3f};
    l2_regularization(&dW, &W, context.lambda);
    kit_emit_unchanged(c, "l2_regularization", "W", &W); /* before the checker moves it */
    kit_check_gradient(c, "W (the gradient of lambda * sum W^2, lambda 0.3)", &dW, &W, penalty_loss, &context,
                       NUMERIC_H, NUMERIC_TOL);
    kit_matrix_free(&W), kit_matrix_free(&dW);
}

/* ---- dropout ------------------------------------------------------------ */

static void check_dropout_lesson(KitCase *c)
{
    const float a[] = {1, 2, 3, 4, 5, 6, 7, 8};
    Matrix A = kit_matrix_from(2, 4, a), out = kit_output_matrix(2, 4), mask = kit_output_matrix(2, 4);
    kit_show_input(c, "A", &A);
    KitRng rng;
    kit_rng_seed(&rng, 7);
    dropout(&out, &mask, &A, 0.5f, 1, &rng);
    kit_emit(c, "mask after dropout(out, mask, A, 0.5, training, rng seeded with 7)", &mask, 0, MASK_REL_TOL);
    kit_emit(c, "out = A * mask", &out, 0, MASK_REL_TOL);
    kit_emit_unchanged(c, "dropout", "A", &A);
    kit_emit_scalar(c, "kit_rng_below(rng, 1000) afterwards (8 draws of kit_rng_uniform before it)",
                    kit_rng_below(&rng, 1000), 0, 0);
    kit_matrix_free(&A), kit_matrix_free(&out), kit_matrix_free(&mask);
}

static void check_dropout_seeded(KitCase *c)
{
    enum { R = 9, C = 13 };
    Matrix A = kit_case_normal_matrix(c, 4411, R, C, 0.0f, 1.0f);
    kit_show_input(c, "A", &A);
    Matrix out = kit_output_matrix(R, C), mask = kit_output_matrix(R, C);
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 4412);
    dropout(&out, &mask, &A, 0.3f, 1, &rng);
    kit_emit(c, "mask after dropout with rate 0.3 (9 x 13)", &mask, 0, MASK_REL_TOL);
    kit_emit(c, "out after dropout with rate 0.3", &out, 0, MASK_REL_TOL);
    kit_emit_unchanged(c, "dropout", "A", &A); /* the in-place call below works on a copy of A */
    /* in place, with the same generator going on: out may be A */
    Matrix in_place = kit_matrix_from(R, C, A.data), mask2 = kit_output_matrix(R, C);
    dropout(&in_place, &mask2, &in_place, 0.6f, 1, &rng);
    kit_emit(c, "mask of a second call, in place (out = A), rate 0.6", &mask2, 0, MASK_REL_TOL);
    kit_emit(c, "A after the in-place call", &in_place, 0, MASK_REL_TOL);
    kit_emit_scalar(c, "kit_rng_below(rng, 1000) after the two calls (2 * 117 draws of kit_rng_uniform)",
                    kit_rng_below(&rng, 1000), 0, 0);
    Matrix *all[] = {&A, &out, &mask, &in_place, &mask2};
    free_matrices(all, sizeof all / sizeof all[0]);
}

static void check_dropout_statistics(KitCase *c)
{
    enum { R = 200, C = 500 };
    const float rate = 0.25f;
    Matrix A = kit_matrix_create(R, C), out = kit_output_matrix(R, C), mask = kit_output_matrix(R, C);
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 4421);
    kit_matrix_fill_uniform(&A, &rng, 0.0f, 1.0f);
    dropout(&out, &mask, &A, rate, 1, &rng);
    kit_emit_unchanged(c, "dropout", "A (200 x 500)", &A);
    size_t n = (size_t)R * C;
    long kept = 0, other = 0;
    double sum_a = 0.0, sum_out = 0.0;
    float scale = 1.0f / (1.0f - rate);
    for (size_t k = 0; k < n; k++) {
        sum_a += A.data[k], sum_out += out.data[k];
        if (mask.data[k] != 0.0f)
            kept++;
        if (mask.data[k] != 0.0f && fabsf(mask.data[k] - scale) > 1e-6f * scale)
            other++; /* neither 0 nor 1 / (1 - rate), or NaN */
    }
    kit_emit_scalar(c, "the fraction of the 100,000 units kept with rate 0.25 (about 0.75)", (double)kept / n,
                    FRACTION_TOL, 0);
    kit_emit_scalar(c, "mean(out) / mean(A): inverted dropout keeps the mean (about 1)", sum_out / sum_a, RATIO_TOL,
                    0);
    kit_emit_scalar(c, "mask values that are neither 0 nor 1 / (1 - rate) = 1.3333", (double)other, 0, 0);
    /* rate 0 in training mode keeps every unit, unscaled */
    Matrix out0 = kit_output_matrix(3, 4), mask0 = kit_output_matrix(3, 4), A0 = {3, 4, A.data};
    dropout(&out0, &mask0, &A0, 0.0f, 1, &rng);
    kit_emit(c, "mask with rate 0 in training mode (all ones)", &mask0, 0, 0);
    kit_emit(c, "out with rate 0 in training mode (A itself)", &out0, 0, 0);
    kit_emit_unchanged(c, "dropout", "A (3 x 4, the first 12 values)", &A0);
    Matrix *all[] = {&A, &out, &mask, &out0, &mask0};
    free_matrices(all, sizeof all / sizeof all[0]);
}

static void check_dropout_eval(KitCase *c)
{
    enum { R = 6, C = 7 };
    Matrix A = kit_case_normal_matrix(c, 4431, R, C, 0.0f, 1.0f);
    kit_show_input(c, "A", &A);
    Matrix out = kit_output_matrix(R, C), mask = kit_output_matrix(R, C);
    dropout(&out, &mask, &A, 0.5f, 0, NULL);
    kit_emit(c, "out after dropout(out, mask, A, 0.5, evaluation, rng NULL): A itself", &out, 0, 0);
    kit_emit(c, "mask in evaluation mode: all ones", &mask, 0, 0);
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 4432);
    Matrix out2 = kit_output_matrix(R, C), mask2 = kit_output_matrix(R, C);
    dropout(&out2, &mask2, &A, 0.9f, 0, &rng);
    kit_emit(c, "out in evaluation mode with rate 0.9 and a generator: A itself, unscaled", &out2, 0, 0);
    kit_emit_scalar(c, "kit_rng_below(rng, 1000) afterwards: evaluation draws no numbers", kit_rng_below(&rng, 1000),
                    0, 0);
    kit_emit_unchanged(c, "dropout", "A", &A);
    Matrix *all[] = {&A, &out, &mask, &out2, &mask2};
    free_matrices(all, sizeof all / sizeof all[0]);
}

/* A call of dropout in training mode with a rate outside [0, 1): a rate of 1 drops every unit and scales by 1 / 0. */
typedef struct {
    Matrix *out, *mask;
    const Matrix *A;
    float rate;
    KitRng *rng;
} DropoutCall;

static void call_dropout(void *context)
{
    DropoutCall *d = context;
    dropout(d->out, d->mask, d->A, d->rate, 1, d->rng);
}

static void check_dropout_bad_rate(KitCase *c)
{
    enum { R = 3, C = 4 };
    Matrix A = kit_case_normal_matrix(c, 4433, R, C, 0.0f, 1.0f);
    Matrix out = kit_output_matrix(R, C), mask = kit_output_matrix(R, C);
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 4434);
    const float rates[] = {1.0f, 1.5f, -0.25f};
    for (size_t k = 0; k < sizeof rates / sizeof rates[0]; k++) {
        DropoutCall call = {&out, &mask, &A, rates[k], &rng};
        char input[64];
        snprintf(input, sizeof input, "rate %g in training mode", (double)rates[k]);
        kit_emit_refusal(c, "dropout", input, call_dropout, &call);
    }
    Matrix *all[] = {&A, &out, &mask};
    free_matrices(all, sizeof all / sizeof all[0]);
}

/* ---- train_mlp_step_regularized ----------------------------------------- */

/* A work for N examples in batches of batch_size rows, holding the problem's batch (its N rows in use), with
 * NaN in Y and in both masks: the step makes the one-hot rows and the masks itself. */
static KitMlp3Work problem_work(Problem *p, int batch_size)
{
    int N = p->X.rows;
    KitMlp3Work work = kit_mlp3_work_create(N, batch_size, p->X.cols, p->net.W1.cols, p->net.W2.cols, p->net.W3.cols);
    kit_mlp3_work_rows(&work, N);
    kit_matrix_copy(&work.X, &p->X);
    kit_matrix_copy(&work.labels, &p->labels);
    kit_matrix_fill(&work.Y, NAN);
    kit_matrix_fill(&work.mask1, NAN);
    kit_matrix_fill(&work.mask2, NAN);
    return work;
}

/* Runs steps regularized steps on the problem's batch with a work made for batches of batch_size rows, and emits
 * after each the loss, both masks and the parameters. */
static void step_and_emit(KitCase *c, const char *what, Problem *p, int batch_size, float lr, float lambda,
                          float rate, uint64_t seed, int steps)
{
    KitMlp3Work work = problem_work(p, batch_size);
    KitRng rng;
    kit_rng_seed(&rng, seed);
    char label[200];
    for (int s = 1; s <= steps; s++) {
        float loss = train_mlp_step_regularized(&p->net, &work, lr, lambda, rate, &rng);
        snprintf(label, sizeof label, "the loss step %d returned (%s)", s, what);
        kit_emit_scalar(c, label, loss, TRAINING_ABS_TOL, TRAINING_REL_TOL);
        snprintf(label, sizeof label, "work->mask1 after step %d", s);
        kit_emit(c, label, &work.mask1, 0, MASK_REL_TOL);
        snprintf(label, sizeof label, "work->mask2 after step %d", s);
        kit_emit(c, label, &work.mask2, 0, MASK_REL_TOL);
        snprintf(label, sizeof label, "after step %d", s);
        emit_parameters(c, label, p);
    }
    kit_emit_scalar(c, "kit_rng_below(rng, 1000) after the steps (m * H1 + m * H2 draws each)",
                    kit_rng_below(&rng, 1000), 0, 0);
    kit_mlp3_work_free(&work);
}

static void check_step_lesson(KitCase *c)
{
    Problem p = lesson_problem();
    show_problem(c, &p);
    step_and_emit(c, "the lesson's 2 -> 3 -> 2 -> 3 example, lr 0.5, lambda 0.1, rate 0.5, seed 17", &p, 2, 0.5f,
                  0.1f, 0.5f, 17, 1);
    free_problem(&p);
}

static void check_step_plain(KitCase *c)
{
    Problem p = random_problem(c, 4440, 6, 5, 7, 6, 4);
    show_problem(c, &p);
    step_and_emit(c, "lambda 0 and rate 0: chapter 4.1's forward and backward pass, then W -= lr dW", &p, 6, 0.5f,
                  0.0f, 0.0f, kit_case_seed(c) + 4441, 2);
    free_problem(&p);
}

static void check_step_random(KitCase *c)
{
    /* a work made for batches of 8, used for a batch of 5: the step uses the rows it is given */
    Problem p = random_problem(c, 4450, 5, 6, 7, 5, 4);
    show_problem(c, &p);
    step_and_emit(c, "a batch of 5 in a work of 8, lr 0.5, lambda 0.05, rate 0.4", &p, 8, 0.5f, 0.05f, 0.4f,
                  kit_case_seed(c) + 4451, 2);
    free_problem(&p);
}

/* The regularized loss with the step's masks held fixed, for the gradient checker. */
typedef struct {
    Problem *p;
    const Matrix *mask1, *mask2;
    float lambda;
} NetworkContext;

static double network_loss(void *context)
{
    NetworkContext *l = context;
    return masked_loss(l->p, l->mask1, l->mask2, l->lambda, NULL);
}

/* The gradient the step computed (lr 0, so the parameters stay put) for one parameter (0 W1, 1 b1, ..., 5 b3),
 * against central differences of the regularized loss with the step's own dropout masks held fixed. The problem
 * is drawn again (at most 100 times, the same sequence for the same seed) until every hidden score is at least
 * 0.1 away from ReLU's kink at 0, so that central differences never step across it. */
static void check_numeric(KitCase *c, int which)
{
    enum { N = 6, D = 4, H1 = 5, H2 = 4, K = 3 };
    const float lambda = 0.2f, rate = 0.4f;
    Problem p;
    KitMlp3Work work;
    for (int attempt = 0;; attempt++) {
        p = random_problem(c, 4460 + 100 * (uint64_t)attempt, N, D, H1, H2, K);
        work = problem_work(&p, N);
        KitRng rng;
        kit_rng_seed(&rng, kit_case_seed(c) + 4461 + 100 * (uint64_t)attempt);
        train_mlp_step_regularized(&p.net, &work, 0.0f, lambda, rate, &rng);
        double min_z;
        masked_loss(&p, &work.mask1, &work.mask2, lambda, &min_z);
        if (min_z >= 0.1 || attempt == 99)
            break;
        kit_mlp3_work_free(&work);
        free_problem(&p);
    }
    show_problem(c, &p);
    kit_show_input(c, "the step's work->mask1 (held fixed)", &work.mask1);
    kit_show_input(c, "the step's work->mask2 (held fixed)", &work.mask2);
    const char *names[] = {"W1 (dropout 0.4 and L2 0.2)", "b1 (dropout 0.4; no L2 on biases)",
                           "W2 (dropout 0.4 and L2 0.2)", "b2 (dropout 0.4; no L2 on biases)",
                           "W3 (dropout 0.4 and L2 0.2)", "b3 (no L2 on biases)"};
    Mlp3Gradients *g = &work.gradients;
    Matrix *gradients[] = {&g->dW1, &g->db1, &g->dW2, &g->db2, &g->dW3, &g->db3};
    Matrix analytic = kit_matrix_create(gradients[which]->rows, gradients[which]->cols);
    kit_matrix_copy(&analytic, gradients[which]);
    NetworkContext context = {&p, &work.mask1, &work.mask2, lambda};
    kit_check_gradient(c, names[which], &analytic, parameter(&p, which), network_loss, &context, NUMERIC_H,
                       NUMERIC_TOL);
    kit_matrix_free(&analytic);
    kit_mlp3_work_free(&work);
    free_problem(&p);
}

static void check_numeric_w1(KitCase *c) { check_numeric(c, 0); }
static void check_numeric_b1(KitCase *c) { check_numeric(c, 1); }
static void check_numeric_w2(KitCase *c) { check_numeric(c, 2); }
static void check_numeric_b2(KitCase *c) { check_numeric(c, 3); }
static void check_numeric_w3(KitCase *c) { check_numeric(c, 4); }
static void check_numeric_b3(KitCase *c) { check_numeric(c, 5); }

/* ---- the data set ------------------------------------------------------- */

/* The training images are too many to emit after the calls: gather_rows's checks (chapter 2.3) show whether it
 * leaves them as they are. */
static void check_accuracy(KitCase *c)
{
    const KitDataset *data = kit_case_dataset(c);
    int N = data->train_images.rows < ACCURACY_TRAIN ? data->train_images.rows : ACCURACY_TRAIN;
    Matrix X = {N, data->train_images.cols, data->train_images.data}, labels = {N, 1, data->train_labels.data};
    int D = X.cols, B = ACCURACY_BATCH;
    KitRng init, shuffle, drop;
    kit_rng_seed(&init, kit_case_seed(c) + 4470);
    kit_rng_seed(&shuffle, kit_case_seed(c) + 4471);
    kit_rng_seed(&drop, kit_case_seed(c) + 4472);
    Mlp3 net = kit_mlp3_create(D, ACCURACY_H1, ACCURACY_H2, 10, &init);
    KitMlp3Work work = kit_mlp3_work_create(N, B, D, ACCURACY_H1, ACCURACY_H2, 10);
    KitWatch watch;
    kit_watch_init(&watch, &net.b3, "b3");
    int steps = 0, stopped = 0;
    for (int epoch = 1; epoch <= ACCURACY_EPOCHS && !stopped; epoch++) {
        float lr = epoch <= ACCURACY_EPOCHS - ACCURACY_LATE ? ACCURACY_LR : ACCURACY_LR / 10;
        shuffle_indices(work.order, N, &shuffle);
        for (int start = 0; start < N && !stopped; start += B) {
            int m = N - start < B ? N - start : B;
            kit_mlp3_work_rows(&work, m);
            gather_rows(&work.X, &X, work.order, start);
            gather_rows(&work.labels, &labels, work.order, start);
            train_mlp_step_regularized(&net, &work, lr, ACCURACY_LAMBDA, ACCURACY_RATE, &drop);
            stopped = kit_watch_step(&watch, ++steps);
        }
    }
    if (stopped)
        kit_emit_stopped(c, "test accuracy", MNIST_BAR, FASHION_BAR, &watch);
    else
        kit_emit_at_least(c, "test accuracy", test_accuracy(data, &net), MNIST_BAR, FASHION_BAR);
    kit_mlp3_work_free(&work);
    kit_mlp3_free(&net);
}

const KitCheck kit_suite_checks[] = {
    {"l2-lesson", "l2_regularization: the lesson's 2 x 2 example, lambda 0.01", 1, "",
     "Return lambda times the sum of the squares of W, and add 2 * lambda * W to dW element by element "
     "(+=: dW already holds the data loss's gradient).",
     5, 0, check_l2_lesson},
    {"l2-random", "l2_regularization: a random 7 x 5 matrix, two calls that accumulate, and dW = NULL", 2, "",
     "dW += 2 lambda W: add, never overwrite, so that two calls add both gradients. With dW NULL return the "
     "penalty and touch nothing else.",
     5, 0, check_l2_random},
    {"l2-gradient", "l2_regularization: the gradient it adds against central differences of the penalty", 2, "",
     "The derivative of lambda * w^2 is 2 * lambda * w: both the 2 and the lambda belong in it.", 5, 0,
     check_l2_gradient},
    {"dropout-lesson", "dropout: the lesson's 2 x 4 example, rate 0.5, seed 7", 1, "",
     "One u = kit_rng_uniform(rng) per element, in row-major order; keep the unit when u >= rate, with mask "
     "1 / (1 - rate), else mask 0; out = A * mask.",
     5, 0, check_dropout_lesson},
    {"dropout-seeded", "dropout: the exact seeded mask of a 9 x 13 matrix, then a second call in place", 2, "",
     "Draw exactly one number per element, in row-major order, and keep when u >= rate (not u < rate, which "
     "drops the complement). Compute out[k] from A[k] before writing it, so that out may be A.",
     5, 0, check_dropout_seeded},
    {"dropout-statistics", "dropout: 100,000 units with rate 0.25: the fraction kept and the mean preserved", 2, "",
     "Inverted dropout scales the kept units by 1 / (1 - rate): then mean(out) = mean(A) on average. Without "
     "the scale the mean shrinks by 1 - rate.",
     10, 0, check_dropout_statistics},
    {"dropout-eval", "dropout: evaluation mode returns A unchanged, mask 1, and draws nothing", 1, "",
     "With training == 0 copy A into out and set mask to 1, whatever the rate; do not touch rng (it may be NULL).",
     5, 0, check_dropout_eval},
    {"dropout-bad-rate", "dropout: rates 1, 1.5 and -0.25 are mistakes of the caller: it stops with kit_fatal", 1, "",
     "Check the rate before anything else: if (!(rate >= 0 && rate < 1)) kit_fatal(\"dropout: rate %g; expected a "
     "probability in [0, 1)\", rate). A rate of 1 would scale by 1 / 0.",
     5, 0, check_dropout_bad_rate},
    {"step-lesson", "train_mlp_step_regularized: the lesson's 2 -> 3 -> 2 -> 3 step, lambda 0.1, rate 0.5", 2,
     "1.2 3.2 3.3",
     "Forward: Z1 = X W1 + b1, A1 = relu(Z1), then dropout on A1 in place (mask1); the same for Z2, A2 and mask2; "
     "then Z3 and softmax. Backward as in 4.1 with the dropped A1 and A2 in dW2 and dW3, and each dZ of a hidden "
     "layer multiplied by its mask. Then add the L2 gradients of W1, W2 and W3 and their penalties to the loss.",
     5, 0, check_step_lesson},
    {"step-plain", "train_mlp_step_regularized: lambda 0 and rate 0 is chapter 4.1's training step (two steps)", 2,
     "1.2 3.2 3.3",
     "With lambda 0 and rate 0 the masks are all ones and the penalty 0: the step is forward_mlp3, backward_mlp3 "
     "and W -= lr dW for all six parameters. Compare with your 4.1 code.",
     5, 0, check_step_plain},
    {"step-random", "train_mlp_step_regularized: two steps on a batch of 5 in a work of 8 (lambda 0.05, rate 0.4)",
     3, "1.2 3.2 3.3",
     "Use m = work->X.rows rows of everything; draw m * H1 numbers for mask1, then m * H2 for mask2, in that order. "
     "Penalise W1, W2 and W3, never a bias. Return the cross-entropy plus the three penalties, from before the "
     "update.",
     5, 0, check_step_random},
    {"gradient-w1", "train_mlp_step_regularized: dW1 against central differences, the masks held fixed", 2,
     "1.2 3.2 3.3",
     "dZ1 = (dZ2 W2^T) * mask1 * relu'(Z1): the gradient flows back only through the kept units, scaled like "
     "them. Then dW1 = X^T dZ1 + 2 lambda W1.",
     5, 0, check_numeric_w1},
    {"gradient-b1", "train_mlp_step_regularized: db1 against central differences, the masks held fixed", 1,
     "1.2 3.2 3.3", "db1 is the column sums of dZ1, with mask1 applied to dZ1 first; no L2 term on biases.", 5, 0,
     check_numeric_b1},
    {"gradient-w2", "train_mlp_step_regularized: dW2 against central differences, the masks held fixed", 2,
     "1.2 3.2 3.3",
     "dW2 = A1^T dZ2 with A1 the activations after dropout (what layer 2 saw) and dZ2 = (dZ3 W3^T) * mask2 * "
     "relu'(Z2), plus 2 lambda W2.",
     5, 0, check_numeric_w2},
    {"gradient-b2", "train_mlp_step_regularized: db2 against central differences, the masks held fixed", 1,
     "1.2 3.2 3.3", "db2 is the column sums of dZ2, with mask2 applied to dZ2 first; no L2 term on biases.", 5, 0,
     check_numeric_b2},
    {"gradient-w3", "train_mlp_step_regularized: dW3 against central differences, the masks held fixed", 2,
     "1.2 3.2 3.3", "dW3 = A2^T dZ3 with A2 the activations after dropout (what layer 3 saw), plus 2 lambda W3.", 5,
     0, check_numeric_w3},
    {"gradient-b3", "train_mlp_step_regularized: db3 against central differences", 1, "1.2 3.2 3.3",
     "db3 is the column sums of dZ3 = (A3 - Y) / m, as in 4.1; no L2 term on biases.", 5, 0, check_numeric_b3},
    {"accuracy",
     "train_mlp_step_regularized: the 784 -> 256 -> 128 -> 10 network on 2,000 training images with dropout and "
     "L2, test accuracy",
     5, "1.2 2.3 3.2 3.3",
     "A wrong gradient often still learns a little: pass the other checks first. If they pass and this one is "
     "slow, use cblas_sgemm for every product (see chapter 1.2).",
     600, 1, check_accuracy},
};
const int kit_suite_check_count = sizeof kit_suite_checks / sizeof kit_suite_checks[0];
