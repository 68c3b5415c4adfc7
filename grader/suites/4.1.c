/* The grading suite of chapter 4.1: Deeper MLPs and Vanishing Gradients. */
#include "check.h"
#include "course.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char kit_suite_chapter[] = "4.1";

/* Forward passes: scores are sums of at most 784 float products, computed by cblas_sgemm in the
 * reference and perhaps by loops in float or double in your code. Probabilities are at most 1: they get
 * the absolute tolerance alone, and each row's sum must be 1 within float rounding. */
#define FORWARD_ABS_TOL 1e-4
#define FORWARD_REL_TOL 1e-4
#define ROW_SUM_TOL 1e-5
/* Gradients from a given cache: sums of at most a few hundred float products. A forward and a backward
 * pass written with plain loops, in float or in double, in another order than OpenBLAS's, use at most
 * 1/60 of these tolerances on seed 1 (measured: the lesson says how). */
#define GRADIENT_ABS_TOL 1e-5
#define GRADIENT_REL_TOL 1e-4
/* Central differences of the loss (computed here in double) against your gradients: the floored
 * relative error |analytic - numeric| <= tol * max(|analytic|, |numeric|, 1) of kit_check_gradient. */
#define NUMERIC_STEP 1e-3f
#define NUMERIC_TOL 1e-3
/* Twenty steps of gradient descent carry those differences along: 10 times more room. */
#define TRAINING_ABS_TOL 1e-4
#define TRAINING_REL_TOL 1e-3

/* The accuracy check's fixed budget: 784 -> 256 -> 128 -> 10 from He-initialised weights and zero
 * biases, 3752 steps of gradient descent on batches of 64 (4 epochs of 60,000 images; on a smaller training
 * set the steps go on into more epochs, reshuffled), learning rate 0.3 for the first 2814 steps and 0.03 for
 * the last 938, then the accuracy on the data set's test images. The smaller rate at the end matters: at a
 * constant rate the test accuracy after the last step can swing by ten points from one step to the next (seed
 * 5 on Fashion-MNIST at 0.1: 82.45% after step 937, 72.15% after step 938).
 * Measured with the reference on seeds 1 to 20 (the lesson has the table):
 *   MNIST, 60,000 / 10,000 digits: min 97.95%, median 98.11%, max 98.26%; the bar is 97.5%.
 *   Fashion-MNIST, 60,000 / 10,000 images: min 87.34%, median 87.71%, max 88.05%; the bar is 85%.
 * (At learning rate 0.1 then 0.01, one epoch reaches 94.99% to 95.42% on MNIST, seeds 1-8; four epochs at 0.2
 * then 0.02, 97.79% to 98.01%.) Correct code whose products are plain loops takes about 47 s an epoch (196 s for
 * the 4 on a busy machine): the check allows 600 s, so that such code still passes when the machine runs slower. */
#define ACCURACY_STEPS 3752
#define ACCURACY_BATCH 64
#define ACCURACY_LR 0.3f
#define ACCURACY_LATE_STEP 2814
#define ACCURACY_LATE_LR 0.03f
#define ACCURACY_H1 256
#define ACCURACY_H2 128
#define MNIST_BAR 0.975
#define FASHION_BAR 0.85

/* ---- helpers ----------------------------------------------------------- */

/* The parameters of a three-layer network D -> H1 -> H2 -> C (course.h's Mlp3). */
typedef Mlp3 Network;

static Network network_create(int D, int H1, int H2, int C)
{
    Network net = {kit_matrix_create(D, H1), kit_matrix_create(1, H1), kit_matrix_create(H1, H2),
                   kit_matrix_create(1, H2), kit_matrix_create(H2, C), kit_matrix_create(1, C)};
    return net;
}

static void network_free(Network *net)
{
    kit_matrix_free(&net->W1), kit_matrix_free(&net->b1), kit_matrix_free(&net->W2);
    kit_matrix_free(&net->b2), kit_matrix_free(&net->W3), kit_matrix_free(&net->b3);
}

/* The six parameters in order, with their names. */
static Matrix *parameter(Network *net, int p)
{
    Matrix *all[] = {&net->W1, &net->b1, &net->W2, &net->b2, &net->W3, &net->b3};
    return all[p];
}
static const char *const parameter_names[6] = {"W1", "b1", "W2", "b2", "W3", "b3"};

/* A random network: weights normal with mean 0 and std weight_std, biases uniform in [-bias_range, bias_range]. */
static Network random_network(KitRng *rng, int D, int H1, int H2, int C, float weight_std, float bias_range)
{
    Network net = network_create(D, H1, H2, C);
    for (int p = 0; p < 6; p += 2) {
        kit_matrix_fill_normal(parameter(&net, p), rng, 0.0f, weight_std);
        kit_matrix_fill_uniform(parameter(&net, p + 1), rng, -bias_range, bias_range);
    }
    return net;
}

static void show_network(KitCase *c, const Matrix *X, Network *net)
{
    kit_show_input(c, "X", X);
    for (int p = 0; p < 6; p++)
        kit_show_input(c, parameter_names[p], parameter(net, p));
}

/* Emits X and the six parameters after the calls of forward_mlp3, each name followed by suffix: they must not
 * change. */
static void emit_forward_unchanged(KitCase *c, const char *suffix, const Matrix *X, Network *net)
{
    char label[120];
    snprintf(label, sizeof label, "X%s", suffix);
    kit_emit_unchanged(c, "forward_mlp3", label, X);
    for (int p = 0; p < 6; p++) {
        snprintf(label, sizeof label, "%s%s", parameter_names[p], suffix);
        kit_emit_unchanged(c, "forward_mlp3", label, parameter(net, p));
    }
}

/* The forward pass's cache, as six matrices (course.h's Mlp3Cache). */
typedef Mlp3Cache Cache;

static Cache cache_outputs(int N, int H1, int H2, int C)
{
    Cache k = {kit_output_matrix(N, H1), kit_output_matrix(N, H1), kit_output_matrix(N, H2),
               kit_output_matrix(N, H2), kit_output_matrix(N, C),  kit_output_matrix(N, C)};
    return k;
}

static void cache_free(Cache *k)
{
    kit_matrix_free(&k->Z1), kit_matrix_free(&k->A1), kit_matrix_free(&k->Z2);
    kit_matrix_free(&k->A2), kit_matrix_free(&k->Z3), kit_matrix_free(&k->A3);
}

/* The forward pass of this suite, in double: fills the cache k (rounded to float) when k is not NULL,
 * and returns the mean cross-entropy against the one-hot targets Y (in double, without a clip: the
 * networks here never give a probability near 0). The smallest |Z1| and |Z2| go to *min_z1 and *min_z2
 * and the largest |A1| to *max_a1 when those are not NULL. */
static double forward_in_double(Cache *k, const Matrix *X, const Network *net, const Matrix *Y, double *min_z1,
                                double *min_z2, double *max_a1)
{
    int N = X->rows, D = X->cols, H1 = net->W1.cols, H2 = net->W2.cols, C = net->W3.cols;
    double *z1 = malloc(sizeof(double) * (size_t)H1), *z2 = malloc(sizeof(double) * (size_t)H2);
    double *z3 = malloc(sizeof(double) * (size_t)C);
    double loss = 0.0, smallest1 = INFINITY, smallest2 = INFINITY, largest1 = 0.0;
    for (int i = 0; i < N; i++) {
        /* each layer: z = b + sum over inputs of input * the weight row of that input, then ReLU */
        for (int j = 0; j < H1; j++)
            z1[j] = net->b1.data[j];
        for (int d = 0; d < D; d++) {
            double x = X->data[i * D + d];
            for (int j = 0; j < H1; j++)
                z1[j] += x * net->W1.data[d * H1 + j];
        }
        for (int j = 0; j < H1; j++) {
            smallest1 = fmin(smallest1, fabs(z1[j]));
            if (k)
                k->Z1.data[i * H1 + j] = (float)z1[j];
            z1[j] = z1[j] > 0 ? z1[j] : 0; /* now a1 */
            largest1 = fmax(largest1, z1[j]);
            if (k)
                k->A1.data[i * H1 + j] = (float)z1[j];
        }
        for (int j = 0; j < H2; j++)
            z2[j] = net->b2.data[j];
        for (int h = 0; h < H1; h++)
            for (int j = 0; j < H2; j++)
                z2[j] += z1[h] * net->W2.data[h * H2 + j];
        for (int j = 0; j < H2; j++) {
            smallest2 = fmin(smallest2, fabs(z2[j]));
            if (k)
                k->Z2.data[i * H2 + j] = (float)z2[j];
            z2[j] = z2[j] > 0 ? z2[j] : 0; /* now a2 */
            if (k)
                k->A2.data[i * H2 + j] = (float)z2[j];
        }
        double largest = -INFINITY, sum = 0.0;
        for (int j = 0; j < C; j++) {
            z3[j] = net->b3.data[j];
            for (int h = 0; h < H2; h++)
                z3[j] += z2[h] * net->W3.data[h * C + j];
            largest = fmax(largest, z3[j]);
        }
        for (int j = 0; j < C; j++)
            sum += exp(z3[j] - largest);
        for (int j = 0; j < C; j++) {
            double log_p = z3[j] - largest - log(sum);
            if (k)
                k->Z3.data[i * C + j] = (float)z3[j], k->A3.data[i * C + j] = (float)exp(log_p);
            if (Y)
                loss -= Y->data[i * C + j] * log_p;
        }
    }
    free(z1), free(z2), free(z3);
    if (min_z1)
        *min_z1 = smallest1;
    if (min_z2)
        *min_z2 = smallest2;
    if (max_a1)
        *max_a1 = largest1;
    return loss / N;
}

/* N random one-hot rows of C classes. */
static Matrix random_targets(KitRng *rng, int N, int C)
{
    Matrix Y = kit_matrix_create(N, C);
    for (int i = 0; i < N; i++)
        Y.data[i * C + kit_rng_below(rng, C)] = 1.0f;
    return Y;
}

/* The sum of each row of A (N x C) as an N x 1 matrix, in double. */
static Matrix row_sums(const Matrix *A)
{
    Matrix sums = kit_matrix_create(A->rows, 1);
    for (int i = 0; i < A->rows; i++) {
        double sum = 0.0;
        for (int j = 0; j < A->cols; j++)
            sum += A->data[i * A->cols + j];
        sums.data[i] = (float)sum;
    }
    return sums;
}

static double largest_abs(const Matrix *m)
{
    double largest = 0.0;
    for (int k = 0; k < m->rows * m->cols; k++)
        largest = fmax(largest, fabs(m->data[k]));
    return largest;
}

/* ---- forward_mlp3 ------------------------------------------------------- */

/* Runs forward_mlp3 on X and net and emits the caches (the hidden ones when emit_hidden), then A3's row sums. */
static void emit_forward(KitCase *c, const char *what, const Matrix *X, Network *net, int emit_hidden)
{
    int N = X->rows, H1 = net->W1.cols, H2 = net->W2.cols, C = net->W3.cols;
    Cache k = cache_outputs(N, H1, H2, C);
    forward_mlp3(&k, X, net);
    char label[200];
    if (emit_hidden) {
        snprintf(label, sizeof label, "Z1 = X W1 + b1 (%dx%d), %s", N, H1, what);
        kit_emit(c, label, &k.Z1, FORWARD_ABS_TOL, FORWARD_REL_TOL);
        snprintf(label, sizeof label, "A1 = relu(Z1) (%dx%d), %s", N, H1, what);
        kit_emit(c, label, &k.A1, FORWARD_ABS_TOL, FORWARD_REL_TOL);
        snprintf(label, sizeof label, "Z2 = A1 W2 + b2 (%dx%d), %s", N, H2, what);
        kit_emit(c, label, &k.Z2, FORWARD_ABS_TOL, FORWARD_REL_TOL);
        snprintf(label, sizeof label, "A2 = relu(Z2) (%dx%d), %s", N, H2, what);
        kit_emit(c, label, &k.A2, FORWARD_ABS_TOL, FORWARD_REL_TOL);
    }
    snprintf(label, sizeof label, "Z3 = A2 W3 + b3 (%dx%d), %s", N, C, what);
    kit_emit(c, label, &k.Z3, FORWARD_ABS_TOL, FORWARD_REL_TOL);
    snprintf(label, sizeof label, "A3 = softmax(Z3) (%dx%d), %s", N, C, what);
    kit_emit(c, label, &k.A3, FORWARD_ABS_TOL, 0);
    Matrix sums = row_sums(&k.A3);
    snprintf(label, sizeof label, "the sum of each row of A3 (%dx1, each must be 1), %s", N, what);
    kit_emit(c, label, &sums, ROW_SUM_TOL, 0);
    kit_matrix_free(&sums);
    cache_free(&k);
}

/* The example of forward_mlp3's comment: 2 examples, 2 inputs, 3 and 2 hidden units, 3 classes. */
static const float lesson_x[] = {1, 2, 0, -1};
static const float lesson_w1[] = {1, -1, 0.5f, 0.5f, 1, -1}, lesson_b1[] = {0, 0.5f, 0.5f};
static const float lesson_w2[] = {0.5f, -1, 1, 0.5f, -1, 1}, lesson_b2[] = {0, -0.5f};
static const float lesson_w3[] = {1, 0, -1, 0.5f, 1, 0}, lesson_b3[] = {0, 0, 0.5f};
static const float lesson_y[] = {1, 0, 0, 0, 0, 1};

static Network lesson_network(void)
{
    Network net = {kit_matrix_from(2, 3, lesson_w1), kit_matrix_from(1, 3, lesson_b1),
                   kit_matrix_from(3, 2, lesson_w2), kit_matrix_from(1, 2, lesson_b2),
                   kit_matrix_from(2, 3, lesson_w3), kit_matrix_from(1, 3, lesson_b3)};
    return net;
}

static void check_forward_lesson(KitCase *c)
{
    Matrix X = kit_matrix_from(2, 2, lesson_x);
    Network net = lesson_network();
    show_network(c, &X, &net);
    emit_forward(c, "the example of forward_mlp3's comment", &X, &net, 1);
    emit_forward_unchanged(c, "", &X, &net);
    kit_matrix_free(&X);
    network_free(&net);
}

/* N, D, H1, H2, C: one example; the second hidden layer wider and narrower than the first; more
 * classes than hidden units; a larger batch. H1, H2 and C differ in each, so that a layer that reads
 * the wrong matrix, or a matrix read transposed, gives wrong numbers or a wrong shape. */
static const int random_shapes[][5] = {{1, 3, 5, 4, 2}, {5, 4, 6, 7, 3}, {7, 6, 3, 5, 8}, {16, 20, 12, 9, 10}};

static void check_forward_random(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 4101);
    for (int s = 0; s < 4; s++) {
        const int *shape = random_shapes[s];
        Matrix X = kit_matrix_create(shape[0], shape[1]);
        kit_matrix_fill_normal(&X, &rng, 0.0f, 1.0f);
        Network net = random_network(&rng, shape[1], shape[2], shape[3], shape[4], 0.7f, 0.5f);
        char what[120];
        snprintf(what, sizeof what, "random network %d -> %d -> %d -> %d, N = %d", shape[1], shape[2], shape[3],
                 shape[4], shape[0]);
        if (s == 1)
            show_network(c, &X, &net);
        emit_forward(c, what, &X, &net, 1);
        char suffix[32];
        snprintf(suffix, sizeof suffix, " (network %d)", s + 1);
        emit_forward_unchanged(c, suffix, &X, &net);
        kit_matrix_free(&X);
        network_free(&net);
    }
}

static void check_forward_mnist_size(KitCase *c)
{
    enum { N = 8, D = 784, H1 = 256, H2 = 128, C = 10 };
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 4102);
    Matrix X = kit_matrix_create(N, D);
    kit_matrix_fill_uniform(&X, &rng, 0.0f, 1.0f); /* pixel-like values in [0, 1) */
    Network net = network_create(D, H1, H2, C);
    const int fan_in[] = {D, H1, H2};
    for (int p = 0; p < 6; p += 2) {
        kit_matrix_fill_normal(parameter(&net, p), &rng, 0.0f, sqrtf(2.0f / fan_in[p / 2]));
        kit_matrix_fill_uniform(parameter(&net, p + 1), &rng, -0.1f, 0.1f);
    }
    emit_forward(c, "784 -> 256 -> 128 -> 10, 8 random images", &X, &net, 0);
    emit_forward_unchanged(c, "", &X, &net);
    kit_matrix_free(&X);
    network_free(&net);
}

/* ---- backward_mlp3 ------------------------------------------------------ */

/* The nine outputs of backward_mlp3 (course.h's Mlp3Gradients). */
typedef Mlp3Gradients Gradients;

static Gradients gradient_outputs(int N, int D, int H1, int H2, int C)
{
    Gradients g;
    g.dW1 = kit_output_matrix(D, H1), g.db1 = kit_output_matrix(1, H1), g.dW2 = kit_output_matrix(H1, H2);
    g.db2 = kit_output_matrix(1, H2), g.dW3 = kit_output_matrix(H2, C), g.db3 = kit_output_matrix(1, C);
    g.dZ3 = kit_output_matrix(N, C), g.dZ2 = kit_output_matrix(N, H2), g.dZ1 = kit_output_matrix(N, H1);
    return g;
}

static void gradients_free(Gradients *g)
{
    Matrix *all[] = {&g->dW1, &g->db1, &g->dW2, &g->db2, &g->dW3, &g->db3, &g->dZ3, &g->dZ2, &g->dZ1};
    for (int k = 0; k < 9; k++)
        kit_matrix_free(all[k]);
}

/* The gradient of parameter p (0..5, in parameter_names' order). */
static const Matrix *gradient_of(const Gradients *g, int p)
{
    const Matrix *all[] = {&g->dW1, &g->db1, &g->dW2, &g->db2, &g->dW3, &g->db3};
    return all[p];
}

static void call_backward(Gradients *g, const Matrix *X, const Matrix *Y, const Cache *k, const Network *net)
{
    backward_mlp3(g, k, X, Y, net);
}

/* Emits the nine outputs, each labelled with what. */
static void emit_gradients(KitCase *c, const char *what, const Gradients *g)
{
    const Matrix *all[] = {&g->dZ3, &g->dW3, &g->db3, &g->dZ2, &g->dW2, &g->db2, &g->dZ1, &g->dW1, &g->db1};
    const char *names[] = {"dZ3 = (A3 - Y) / N",       "dW3 = A2^T dZ3",
                           "db3 = column sums of dZ3", "dZ2 = (dZ3 W3^T) * relu'(Z2)",
                           "dW2 = A1^T dZ2",           "db2 = column sums of dZ2",
                           "dZ1 = (dZ2 W2^T) * relu'(Z1)", "dW1 = X^T dZ1",
                           "db1 = column sums of dZ1"};
    for (int k = 0; k < 9; k++) {
        char label[200];
        snprintf(label, sizeof label, "%s (%dx%d), %s", names[k], all[k]->rows, all[k]->cols, what);
        /* the 784 x 256 and 256 x 128 gradients of the full-size network: a sample of rows (see kit_emit_rows) */
        if (all[k]->rows * all[k]->cols > 20000)
            kit_emit_rows(c, label, all[k], all[k]->rows / 16, GRADIENT_ABS_TOL, GRADIENT_REL_TOL);
        else
            kit_emit(c, label, all[k], GRADIENT_ABS_TOL, GRADIENT_REL_TOL);
    }
}

/* Emits the inputs of backward_mlp3 after the call (X, Y, the cache and W2, W3), each name followed by suffix: it
 * must not change them. */
static void emit_backward_unchanged(KitCase *c, const char *suffix, const Matrix *X, const Matrix *Y, const Cache *k,
                                    const Network *net)
{
    const char *names[] = {"X", "Y", "Z1", "A1", "Z2", "A2", "A3", "W2", "W3"};
    const Matrix *inputs[] = {X, Y, &k->Z1, &k->A1, &k->Z2, &k->A2, &k->A3, &net->W2, &net->W3};
    char label[120];
    for (int i = 0; i < 9; i++) {
        snprintf(label, sizeof label, "%s%s", names[i], suffix);
        kit_emit_unchanged(c, "backward_mlp3", label, inputs[i]);
    }
}

static void show_cache(KitCase *c, const Cache *k)
{
    kit_show_input(c, "Z1", &k->Z1), kit_show_input(c, "A1", &k->A1), kit_show_input(c, "Z2", &k->Z2);
    kit_show_input(c, "A2", &k->A2), kit_show_input(c, "A3", &k->A3);
}

static void check_backward_lesson(KitCase *c)
{
    Matrix X = kit_matrix_from(2, 2, lesson_x), Y = kit_matrix_from(2, 3, lesson_y);
    Network net = lesson_network();
    Cache k = cache_outputs(2, 3, 2, 3);
    forward_in_double(&k, &X, &net, NULL, NULL, NULL, NULL);
    show_network(c, &X, &net);
    kit_show_input(c, "Y", &Y);
    show_cache(c, &k);
    Gradients g = gradient_outputs(2, 2, 3, 2, 3);
    call_backward(&g, &X, &Y, &k, &net);
    emit_gradients(c, "the example of backward_mlp3's comment", &g);
    emit_backward_unchanged(c, "", &X, &Y, &k, &net);
    kit_matrix_free(&X), kit_matrix_free(&Y);
    network_free(&net);
    cache_free(&k);
    gradients_free(&g);
}

static void check_backward_random(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 4103);
    for (int s = 0; s < 4; s++) {
        const int *shape = random_shapes[s];
        int N = shape[0], D = shape[1], H1 = shape[2], H2 = shape[3], C = shape[4];
        Matrix X = kit_matrix_create(N, D);
        kit_matrix_fill_normal(&X, &rng, 0.0f, 1.0f);
        Network net = random_network(&rng, D, H1, H2, C, 0.7f, 0.5f);
        Matrix Y = random_targets(&rng, N, C);
        Cache k = cache_outputs(N, H1, H2, C);
        forward_in_double(&k, &X, &net, NULL, NULL, NULL, NULL);
        Gradients g = gradient_outputs(N, D, H1, H2, C);
        char what[120];
        snprintf(what, sizeof what, "random network %d -> %d -> %d -> %d, N = %d", D, H1, H2, C, N);
        if (s == 1) {
            show_network(c, &X, &net);
            kit_show_input(c, "Y", &Y);
            show_cache(c, &k);
        }
        call_backward(&g, &X, &Y, &k, &net);
        if (s == 2)
            call_backward(&g, &X, &Y, &k, &net); /* a second call on the same outputs must overwrite them */
        if (s == 2)
            snprintf(what + strlen(what), sizeof what - strlen(what), ", after two calls with the same outputs");
        emit_gradients(c, what, &g);
        char suffix[32];
        snprintf(suffix, sizeof suffix, " (network %d)", s + 1);
        emit_backward_unchanged(c, suffix, &X, &Y, &k, &net);
        kit_matrix_free(&X), kit_matrix_free(&Y);
        network_free(&net);
        cache_free(&k);
        gradients_free(&g);
    }
}

/* What the loss of the numeric check reads: the batch, its targets and the network being perturbed. */
typedef struct {
    const Matrix *X, *Y;
    const Network *net;
} Problem;

static double problem_loss(void *context)
{
    const Problem *p = context;
    return forward_in_double(NULL, p->X, p->net, p->Y, NULL, NULL, NULL);
}

static void check_backward_numeric(KitCase *c)
{
    enum { N = 4, D = 5, H1 = 6, H2 = 5, C = 3 };
    /* A network whose hidden scores all stay away from ReLU's kink at 0: a step of h in one parameter
     * moves a score of Z1 by at most h max(|X|, 1) and one of Z2 by at most h max(|X|, 1) max|W2| or
     * h max(|A1|, 1); the draws are repeated with the next salt until every |Z1| and |Z2| is 10 times
     * that, so that central differences never cross a kink. The salt depends only on the check's seed. */
    Matrix X, Y;
    Network net;
    for (uint64_t salt = 4110;; salt++) {
        KitRng rng;
        kit_rng_seed(&rng, kit_case_seed(c) + salt);
        X = kit_matrix_create(N, D);
        kit_matrix_fill_normal(&X, &rng, 0.0f, 1.0f);
        net = random_network(&rng, D, H1, H2, C, 0.8f, 0.5f);
        Y = random_targets(&rng, N, C);
        double min_z1, min_z2, max_a1;
        forward_in_double(NULL, &X, &net, &Y, &min_z1, &min_z2, &max_a1);
        double reach_x = fmax(largest_abs(&X), 1.0), h = NUMERIC_STEP;
        double move1 = h * reach_x, move2 = h * fmax(reach_x * largest_abs(&net.W2), fmax(max_a1, 1.0));
        if (min_z1 > 10 * move1 && min_z2 > 10 * move2)
            break;
        if (salt == 5110)
            kit_fatal("4.1 backward-numeric: no network away from ReLU's kink in 1000 draws");
        kit_matrix_free(&X), kit_matrix_free(&Y), network_free(&net);
    }
    Cache k = cache_outputs(N, H1, H2, C);
    forward_in_double(&k, &X, &net, NULL, NULL, NULL, NULL);
    show_network(c, &X, &net);
    kit_show_input(c, "Y", &Y);
    Gradients g = gradient_outputs(N, D, H1, H2, C);
    call_backward(&g, &X, &Y, &k, &net);
    emit_backward_unchanged(c, "", &X, &Y, &k, &net); /* before the checker moves the parameters */
    Problem problem = {&X, &Y, &net};
    for (int p = 0; p < 6; p++)
        kit_check_gradient(c, parameter_names[p], gradient_of(&g, p), parameter(&net, p), problem_loss, &problem,
                           NUMERIC_STEP, NUMERIC_TOL);
    kit_matrix_free(&X), kit_matrix_free(&Y);
    network_free(&net);
    cache_free(&k);
    gradients_free(&g);
}

static void check_backward_mnist_size(KitCase *c)
{
    enum { N = 8, D = 784, H1 = 256, H2 = 128, C = 10 };
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 4104);
    Matrix X = kit_matrix_create(N, D);
    kit_matrix_fill_uniform(&X, &rng, 0.0f, 1.0f);
    Network net = network_create(D, H1, H2, C);
    const int fan_in[] = {D, H1, H2};
    for (int p = 0; p < 6; p += 2) {
        kit_matrix_fill_normal(parameter(&net, p), &rng, 0.0f, sqrtf(2.0f / fan_in[p / 2]));
        kit_matrix_fill_uniform(parameter(&net, p + 1), &rng, -0.1f, 0.1f);
    }
    Matrix Y = random_targets(&rng, N, C);
    Cache k = cache_outputs(N, H1, H2, C);
    forward_in_double(&k, &X, &net, NULL, NULL, NULL, NULL);
    Gradients g = gradient_outputs(N, D, H1, H2, C);
    call_backward(&g, &X, &Y, &k, &net);
    emit_gradients(c, "784 -> 256 -> 128 -> 10, 8 random images", &g);
    emit_backward_unchanged(c, "", &X, &Y, &k, &net);
    kit_matrix_free(&X), kit_matrix_free(&Y);
    network_free(&net);
    cache_free(&k);
    gradients_free(&g);
}

/* ---- training ------------------------------------------------------------ */

/* W -= lr dW, element by element. */
static void step(Matrix *W, const Matrix *dW, float lr)
{
    for (int k = 0; k < W->rows * W->cols; k++)
        W->data[k] -= lr * dW->data[k];
}

/* The mean cross-entropy of probabilities A against one-hot Y, in double. */
static double mean_cross_entropy(const Matrix *A, const Matrix *Y)
{
    double sum = 0.0;
    for (int k = 0; k < A->rows * A->cols; k++)
        if (Y->data[k] != 0.0f)
            sum -= Y->data[k] * log(fmax(A->data[k], 1e-7));
    return sum / A->rows;
}

static void check_train_steps(KitCase *c)
{
    enum { N = 30, D = 8, H1 = 12, H2 = 10, C = 4, STEPS = 20 };
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 4105);
    Matrix X = kit_matrix_create(N, D);
    kit_matrix_fill_normal(&X, &rng, 0.0f, 1.0f);
    Network net = random_network(&rng, D, H1, H2, C, 0.5f, 0.1f);
    /* labels that depend on X: the class of the largest of the first four features */
    Matrix Y = kit_matrix_create(N, C);
    for (int i = 0; i < N; i++) {
        int best = 0;
        for (int j = 1; j < C; j++)
            if (X.data[i * D + j] > X.data[i * D + best])
                best = j;
        Y.data[i * C + best] = 1.0f;
    }
    kit_show_input(c, "X", &X);
    kit_show_input(c, "Y", &Y);
    Cache k = cache_outputs(N, H1, H2, C);
    Gradients g = gradient_outputs(N, D, H1, H2, C);
    Matrix losses = kit_output_matrix(1, STEPS);
    for (int s = 0; s < STEPS; s++) {
        forward_mlp3(&k, &X, &net);
        if (s == 0) /* the parameters the suite drew: later steps move them */
            emit_forward_unchanged(c, "", &X, &net);
        losses.data[s] = (float)mean_cross_entropy(&k.A3, &Y);
        call_backward(&g, &X, &Y, &k, &net);
        if (s == 0) { /* the cache is the learner's forward pass here: backward_mlp3's own checks cover it */
            kit_emit_unchanged(c, "backward_mlp3", "X", &X);
            kit_emit_unchanged(c, "backward_mlp3", "Y", &Y);
            kit_emit_unchanged(c, "backward_mlp3", "W2", &net.W2);
            kit_emit_unchanged(c, "backward_mlp3", "W3", &net.W3);
        }
        for (int p = 0; p < 6; p++)
            step(parameter(&net, p), gradient_of(&g, p), 0.5f);
    }
    kit_emit(c, "the loss before each of 20 steps (forward_mlp3, backward_mlp3, then W -= 0.5 dW)", &losses,
             TRAINING_ABS_TOL, TRAINING_REL_TOL);
    for (int p = 0; p < 6; p++) {
        char label[120];
        snprintf(label, sizeof label, "%s after 20 steps with learning rate 0.5", parameter_names[p]);
        kit_emit(c, label, parameter(&net, p), TRAINING_ABS_TOL, TRAINING_REL_TOL);
    }
    kit_matrix_free(&X), kit_matrix_free(&Y), kit_matrix_free(&losses);
    network_free(&net);
    cache_free(&k);
    gradients_free(&g);
}

/* ---- the accuracy on the image data set --------------------------------- */

/* The rows start .. start + rows - 1 of M as a matrix header over the same memory. */
static Matrix rows_of(const Matrix *M, int start, int rows)
{
    Matrix view = {rows, M->cols, M->data + (size_t)start * M->cols};
    return view;
}

/* The training and test sets are too large to emit after the calls: whether forward_mlp3, backward_mlp3 and
 * gather_rows leave their inputs as they are is checked on the small problems above and in their chapters. */
static void check_accuracy(KitCase *c)
{
    enum { B = ACCURACY_BATCH, H1 = ACCURACY_H1, H2 = ACCURACY_H2 };
    const KitDataset *data = kit_case_dataset(c);
    const Matrix *images = &data->train_images, *labels = &data->train_labels;
    int N = images->rows, D = images->cols, C = 10;
    KitRng init, shuffle;
    kit_rng_seed(&init, kit_case_seed(c) + 4106);
    kit_rng_seed(&shuffle, kit_case_seed(c) + 4107);
    /* He initialisation: std sqrt(2 / fan-in) for each weight matrix, zero biases */
    Network net = network_create(D, H1, H2, C);
    const int fan_in[] = {D, H1, H2};
    for (int p = 0; p < 6; p += 2)
        kit_matrix_fill_normal(parameter(&net, p), &init, 0.0f, sqrtf(2.0f / fan_in[p / 2]));
    /* every buffer of the loop, allocated once */
    Matrix X = kit_matrix_create(B, D), batch_labels = kit_matrix_create(B, 1), Y = kit_matrix_create(B, C);
    Cache k = cache_outputs(B, H1, H2, C);
    Gradients g = gradient_outputs(B, D, H1, H2, C);
    int *order = malloc(sizeof(int) * (size_t)N);
    Matrix *batch[] = {&X, &batch_labels, &Y, &k.Z1, &k.A1, &k.Z2, &k.A2, &k.Z3, &k.A3, &g.dZ3, &g.dZ2, &g.dZ1};
    int start = N, stopped = 0;
    KitWatch watch;
    kit_watch_init(&watch, &net.b3, "b3");
    for (int s = 0; s < ACCURACY_STEPS && !stopped; s++) {
        if (start >= N) { /* a new epoch: a new order */
            shuffle_indices(order, N, &shuffle);
            start = 0;
        }
        int m = N - start < B ? N - start : B;
        for (size_t b = 0; b < sizeof batch / sizeof batch[0]; b++)
            batch[b]->rows = m;
        gather_rows(&X, images, order, start);
        gather_rows(&batch_labels, labels, order, start);
        start += m;
        one_hot(&Y, &batch_labels);
        forward_mlp3(&k, &X, &net);
        call_backward(&g, &X, &Y, &k, &net);
        float lr = s < ACCURACY_LATE_STEP ? ACCURACY_LR : ACCURACY_LATE_LR;
        for (int p = 0; p < 6; p++)
            step(parameter(&net, p), gradient_of(&g, p), lr);
        stopped = kit_watch_step(&watch, s + 1);
    }
    /* the test images, 1000 at a time through forward_mlp3 */
    enum { T_BATCH = 1000 };
    Cache t = cache_outputs(T_BATCH, H1, H2, C);
    Matrix *test_batch[] = {&t.Z1, &t.A1, &t.Z2, &t.A2, &t.Z3, &t.A3};
    int T = data->test_images.rows, right = 0;
    for (int first = 0; first < T && !stopped; first += T_BATCH) {
        int m = T - first < T_BATCH ? T - first : T_BATCH;
        for (int b = 0; b < 6; b++)
            test_batch[b]->rows = m;
        Matrix Xt = rows_of(&data->test_images, first, m);
        forward_mlp3(&t, &Xt, &net);
        for (int i = 0; i < m; i++) { /* the class with the largest probability, against the label */
            int best = 0;
            for (int j = 1; j < C; j++)
                if (t.A3.data[i * C + j] > t.A3.data[i * C + best])
                    best = j;
            right += best == (int)data->test_labels.data[first + i];
        }
    }
    if (stopped)
        kit_emit_stopped(c, "test accuracy", MNIST_BAR, FASHION_BAR, &watch);
    else
        kit_emit_at_least(c, "test accuracy", T > 0 ? (double)right / T : 0.0, MNIST_BAR, FASHION_BAR);
    for (size_t b = 0; b < sizeof batch / sizeof batch[0]; b++)
        batch[b]->rows = B;
    for (int b = 0; b < 6; b++)
        test_batch[b]->rows = T_BATCH;
    free(order);
    kit_matrix_free(&X), kit_matrix_free(&batch_labels), kit_matrix_free(&Y);
    network_free(&net);
    cache_free(&k), cache_free(&t);
    gradients_free(&g);
}

/* A call of forward_mlp3 where one matrix has the wrong shape, for a network 3 -> 4 -> 3 -> 2 on 5 examples. */
typedef struct {
    Cache *k;
    const Matrix *X;
    Network *net;
} ForwardCall;

static void call_forward(void *context)
{
    ForwardCall *f = context;
    forward_mlp3(f->k, f->X, f->net);
}

static void check_forward_bad_shape(KitCase *c)
{
    enum { N = 5, D = 3, H1 = 4, H2 = 3, C = 2 };
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 4118);
    Matrix X = kit_matrix_create(N, D);
    kit_matrix_fill_normal(&X, &rng, 0.0f, 1.0f);
    Network net = random_network(&rng, D, H1, H2, C, 0.7f, 0.5f);
    Network tall = random_network(&rng, D, H1, H2, C, 0.7f, 0.5f);
    kit_matrix_free(&tall.W3);
    tall.W3 = kit_matrix_create(H2 + 1, C); /* one row too many: a product that reads it silently ignores a row */
    kit_matrix_fill_normal(&tall.W3, &rng, 0.0f, 0.7f);
    Cache k = cache_outputs(N, H1, H2, C), narrow = cache_outputs(N, H1, H2, C);
    kit_matrix_free(&narrow.A2);
    narrow.A2 = kit_output_matrix(N, H2 - 1);
    ForwardCall wrong_w3 = {&k, &X, &tall};
    kit_emit_refusal(c, "forward_mlp3", "W3 of 4 x 2 where A2 has 3 columns (expected 3 x 2)", call_forward,
                     &wrong_w3);
    ForwardCall wrong_a2 = {&narrow, &X, &net};
    kit_emit_refusal(c, "forward_mlp3", "A2 of 5 x 2 for 3 units in layer 2 (expected 5 x 3)", call_forward,
                     &wrong_a2);
    kit_matrix_free(&X);
    cache_free(&k), cache_free(&narrow);
    network_free(&net), network_free(&tall);
}

const KitCheck kit_suite_checks[] = {
    {"forward-lesson", "forward_mlp3: the 2 -> 3 -> 2 -> 3 example of its comment, every cache", 2, "1.2 3.2",
     "Z1 = linear_layer(X, W1, b1), A1 = relu(Z1), Z2 = linear_layer(A1, W2, b2), A2 = relu(Z2), "
     "Z3 = linear_layer(A2, W3, b3), A3 = softmax(Z3): each layer reads the previous layer's activation, "
     "and only the last one goes through softmax.", 5, 0, check_forward_lesson},
    {"forward-random", "forward_mlp3: random networks of 4 shapes, every cache", 3, "1.2 3.2",
     "H1, H2 and K differ here: W1 is D x H1, W2 is H1 x H2, W3 is H2 x K. Take every size from the "
     "matrices you are given, and write all six matrices of the cache.", 5, 0, check_forward_random},
    {"forward-mnist-size", "forward_mlp3: a 784 -> 256 -> 128 -> 10 network on 8 random images", 2, "1.2 3.2",
     "Never write 784, 256, 128 or 10 in your code: use X->cols, mlp->W1.cols, mlp->W2.cols and mlp->W3.cols.", 10, 0,
     check_forward_mnist_size},
    {"forward-bad-shape", "forward_mlp3: a W3 with a row too many and an A2 a column short stop with kit_fatal", 1,
     "1.2 3.2",
     "Take the sizes from X and the weights, then kit_require_shape(&mlp->W3, H2, K, \"forward_mlp3: W3\") and the "
     "like for the six parameters and the six matrices of the cache, before any product.",
     5, 0, check_forward_bad_shape},
    {"backward-lesson", "backward_mlp3: the example of its comment, all nine outputs", 2, "",
     "Start from the output: dZ3 = (A3 - Y) / N with N = X->rows. Each dW is the layer's input, transposed, "
     "times its dZ (A2^T dZ3, A1^T dZ2, X^T dZ1); each db is the column sums of its dZ; and each dZ of a hidden "
     "layer is the next dZ times the next W transposed, set to 0 where that layer's Z was <= 0.", 5, 0,
     check_backward_lesson},
    {"backward-random", "backward_mlp3: random networks of 4 shapes; a second call overwrites", 3, "",
     "dZ2 is masked by Z2 and dZ1 by Z1 (not the other way round). Overwrite every output on every call: "
     "beta = 0 in cblas_sgemm, and the bias sums start from 0.", 5, 0, check_backward_random},
    {"backward-numeric", "backward_mlp3: all six gradients against central differences of the loss", 3, "",
     "The loss is the mean cross-entropy over the N rows: the 1/N is applied once, in dZ3, and flows into "
     "every other gradient from there.", 10, 0, check_backward_numeric},
    {"backward-mnist-size", "backward_mlp3: a 784 -> 256 -> 128 -> 10 network on 8 random images", 2, "",
     "With cblas_sgemm and CblasTrans: dW1 = X^T dZ1 is M = D, N = H1, K = N (the batch) with lda = D; "
     "dZ1 = dZ2 W2^T is M = N, N = H1, K = H2 with ldb = H2. Each leading dimension is the number of columns "
     "of the matrix as stored.", 10, 0, check_backward_mnist_size},
    {"train-steps", "forward_mlp3 + backward_mlp3: 20 steps of gradient descent on 30 examples", 3, "1.2 3.2",
     "Each step runs forward_mlp3, then backward_mlp3 on its cache, then the suite subtracts 0.5 times your "
     "gradients: the losses must fall exactly as the reference's do.", 10, 0, check_train_steps},
    {"accuracy", "accuracy: 784 -> 256 -> 128 -> 10 on the image data set, 4 epochs of batches of 64, lr 0.3 then 0.03", 4,
     "1.2 2.3 3.2 3.3",
     "The training loop here calls your forward_mlp3, backward_mlp3, shuffle_indices, gather_rows and "
     "one_hot. The report names the data set and its bar.", 600, 1, check_accuracy},
};
const int kit_suite_check_count = sizeof kit_suite_checks / sizeof kit_suite_checks[0];
