/* The grading suite of chapter 3.3: Multi-Layer Perceptrons and Forward Propagation. */
#include "check.h"
#include "course.h"

#include <math.h>
#include <stdio.h>

const char kit_suite_chapter[] = "3.3";

/* Forward passes: each score is a sum of at most 784 float products, computed by cblas_sgemm in the
 * reference and perhaps by loops (in float or double) in your code. On the networks below those sums
 * differ by at most a few 1e-6; these tolerances allow about 100 times more (the lesson gives the
 * measured margins). Probabilities are at most 1, so they get the absolute tolerance alone. */
#define FORWARD_ABS_TOL 1e-4
#define FORWARD_REL_TOL 1e-4
/* The network with logits in the thousands: one float step at 1000 is 6e-5, and the scores of its
 * first layer are sums of terms in the hundreds, so the room is 10 times wider. */
#define LARGE_ABS_TOL 1e-2
#define LARGE_REL_TOL 1e-4
#define LARGE_PROBABILITY_TOL 1e-3
/* The sum of each row of A2 is 1 up to float rounding (a few 1e-7). */
#define ROW_SUM_TOL 1e-5
/* Losses: sums of logs in double (or float, about 1e-6 relative); 100 times that. */
#define LOSS_ABS_TOL 1e-5
#define LOSS_REL_TOL 1e-4

/* ---- helpers ----------------------------------------------------------- */

/* The parameters of a two-layer network D -> H -> K (course.h's Mlp). */
typedef Mlp Network;

static void free_network(Network *net)
{
    kit_matrix_free(&net->W1), kit_matrix_free(&net->b1), kit_matrix_free(&net->W2), kit_matrix_free(&net->b2);
}

/* A random network D -> H -> C: weights normal with mean 0 and std weight_std, biases uniform in
 * [-bias_range, bias_range]. */
static Network random_network(KitRng *rng, int D, int H, int C, float weight_std, float bias_range)
{
    Network net = {kit_matrix_create(D, H), kit_matrix_create(1, H), kit_matrix_create(H, C),
                   kit_matrix_create(1, C)};
    kit_matrix_fill_normal(&net.W1, rng, 0.0f, weight_std);
    kit_matrix_fill_uniform(&net.b1, rng, -bias_range, bias_range);
    kit_matrix_fill_normal(&net.W2, rng, 0.0f, weight_std);
    kit_matrix_fill_uniform(&net.b2, rng, -bias_range, bias_range);
    return net;
}

static void show_network(KitCase *c, const Matrix *X, const Network *net)
{
    kit_show_input(c, "X", X);
    kit_show_input(c, "W1", &net->W1);
    kit_show_input(c, "b1", &net->b1);
    kit_show_input(c, "W2", &net->W2);
    kit_show_input(c, "b2", &net->b2);
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

/* Runs forward_mlp on X and net; emits the caches that emit_caches asks for, then A2 and its row sums.
 * what says which network this is; score_abs_tol and score_rel_tol apply to Z1, A1 and Z2,
 * probability_tol to A2. */
static void emit_forward(KitCase *c, const char *what, const Matrix *X, const Network *net, int emit_hidden,
                         double score_abs_tol, double score_rel_tol, double probability_tol)
{
    int N = X->rows, H = net->W1.cols, C = net->W2.cols;
    MlpCache cache = {kit_output_matrix(N, H), kit_output_matrix(N, H), kit_output_matrix(N, C),
                      kit_output_matrix(N, C)};
    forward_mlp(&cache, X, net);
    Matrix Z1 = cache.Z1, A1 = cache.A1, Z2 = cache.Z2, A2 = cache.A2;
    char label[200];
    if (emit_hidden) {
        snprintf(label, sizeof label, "Z1 = X W1 + b1 (%dx%d), %s", N, H, what);
        kit_emit(c, label, &Z1, score_abs_tol, score_rel_tol);
        snprintf(label, sizeof label, "A1 = relu(Z1) (%dx%d), %s", N, H, what);
        kit_emit(c, label, &A1, score_abs_tol, score_rel_tol);
    }
    snprintf(label, sizeof label, "Z2 = A1 W2 + b2 (%dx%d), %s", N, C, what);
    kit_emit(c, label, &Z2, score_abs_tol, score_rel_tol);
    snprintf(label, sizeof label, "A2 = softmax(Z2) (%dx%d), %s", N, C, what);
    kit_emit(c, label, &A2, probability_tol, 0);
    Matrix sums = row_sums(&A2);
    snprintf(label, sizeof label, "the sum of each row of A2 (%dx1, each must be 1), %s", N, what);
    kit_emit(c, label, &sums, ROW_SUM_TOL, 0);
    kit_matrix_free(&Z1), kit_matrix_free(&A1), kit_matrix_free(&Z2), kit_matrix_free(&A2), kit_matrix_free(&sums);
}

/* Emits X (named x_name; not when NULL) and the parameters (W1, b1, W2, b2, each followed by suffix) after the
 * calls: forward_mlp must not change them. */
static void emit_unchanged(KitCase *c, const char *x_name, const Matrix *X, const char *suffix, const Network *net)
{
    if (x_name)
        kit_emit_unchanged(c, "forward_mlp", x_name, X);
    const char *names[] = {"W1", "b1", "W2", "b2"};
    const Matrix *parameters[] = {&net->W1, &net->b1, &net->W2, &net->b2};
    char label[96];
    for (int k = 0; k < 4; k++) {
        snprintf(label, sizeof label, "%s%s", names[k], suffix);
        kit_emit_unchanged(c, "forward_mlp", label, parameters[k]);
    }
}

/* ---- one_hot ------------------------------------------------------------ */

static void check_one_hot_lesson(KitCase *c)
{
    const float classes[] = {3, 0, 2};
    const float promoted[] = {1, 0, 1, 1, 0, 1, 0, 1}; /* the 8 people's labels */
    Matrix labels = kit_matrix_from(3, 1, classes), people = kit_matrix_from(8, 1, promoted);
    Matrix Y = kit_output_matrix(3, 4), Y_people = kit_output_matrix(8, 2);
    kit_show_input(c, "labels", &labels);
    kit_show_input(c, "people's labels", &people);
    one_hot(&Y, &labels);
    kit_emit(c, "Y (3x4) after one_hot(Y, labels = [3, 0, 2])", &Y, 0, 0);
    kit_emit_unchanged(c, "one_hot", "labels", &labels);
    one_hot(&Y_people, &people);
    kit_emit(c, "Y (8x2) after one_hot(Y, the 8 people's labels), K = 2", &Y_people, 0, 0);
    kit_emit_unchanged(c, "one_hot", "people's labels", &people);
    kit_matrix_free(&labels), kit_matrix_free(&people), kit_matrix_free(&Y), kit_matrix_free(&Y_people);
}

static void check_one_hot_random(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 3301);
    const int rows[] = {25, 6, 1}, classes[] = {10, 3, 7};
    for (int s = 0; s < 3; s++) {
        Matrix labels = kit_matrix_create(rows[s], 1), Y = kit_output_matrix(rows[s], classes[s]);
        for (int i = 0; i < rows[s]; i++)
            labels.data[i] = (float)kit_rng_below(&rng, classes[s]);
        char label[120];
        snprintf(label, sizeof label, "labels (%dx1, classes 0 to %d)", rows[s], classes[s] - 1);
        kit_show_input(c, label, &labels);
        one_hot(&Y, &labels);
        snprintf(label, sizeof label, "Y (%dx%d) after one_hot(Y, labels)", rows[s], classes[s]);
        kit_emit(c, label, &Y, 0, 0);
        snprintf(label, sizeof label, "labels (%dx1, classes 0 to %d)", rows[s], classes[s] - 1);
        kit_emit_unchanged(c, "one_hot", label, &labels);
        if (s == 0) {
            /* a second call on the same Y with other labels: the old 1s must be gone */
            Matrix others = kit_matrix_create(rows[s], 1);
            for (int i = 0; i < rows[s]; i++)
                others.data[i] = (float)kit_rng_below(&rng, classes[s]);
            kit_show_input(c, "other labels (25x1)", &others);
            one_hot(&Y, &others);
            kit_emit(c, "the same Y (25x10) after a second call, one_hot(Y, other labels): overwritten", &Y, 0, 0);
            kit_emit_unchanged(c, "one_hot", "other labels (25x1)", &others);
            kit_matrix_free(&others);
        }
        kit_matrix_free(&labels), kit_matrix_free(&Y);
    }
}

/* A call of one_hot with a label that is no class of Y: 4 with 4 classes, 2.5, -1. */
typedef struct {
    Matrix *Y;
    const Matrix *labels;
} OneHotCall;

static void call_one_hot(void *context)
{
    OneHotCall *o = context;
    one_hot(o->Y, o->labels);
}

static void check_one_hot_bad_label(KitCase *c)
{
    const float bad[] = {4.0f, 2.5f, -1.0f};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        float values[] = {1, 0, bad[k], 3};
        Matrix labels = kit_matrix_from(4, 1, values), Y = kit_output_matrix(4, 4);
        char input[96];
        snprintf(input, sizeof input, "labels [1, 0, %g, 3] and 4 classes (labels[2] is no class)", (double)bad[k]);
        OneHotCall call = {&Y, &labels};
        kit_emit_refusal(c, "one_hot", input, call_one_hot, &call);
        kit_matrix_free(&labels), kit_matrix_free(&Y);
    }
}

/* ---- forward_mlp -------------------------------------------------------- */

static const float lesson_x[] = {1, 0, 2, 0, -1, 1};
static const float lesson_w1[] = {0.5f, -1, 0, 1, 1, 0.5f, -0.5f, 0, 0, 1, 0.5f, -1};
static const float lesson_b1[] = {0, 0.5f, -0.5f, 0.25f};
static const float lesson_w2[] = {1, 0, -1, 0.5f, 1, 0, 0, -1, 1, 2, 2, 2};
static const float lesson_b2[] = {0, 0.5f, -0.5f};

static void check_forward_lesson(KitCase *c)
{
    Matrix X = kit_matrix_from(2, 3, lesson_x);
    Network net = {kit_matrix_from(3, 4, lesson_w1), kit_matrix_from(1, 4, lesson_b1), kit_matrix_from(4, 3, lesson_w2),
                   kit_matrix_from(1, 3, lesson_b2)};
    show_network(c, &X, &net);
    emit_forward(c, "the example of forward_mlp's comment", &X, &net, 1, FORWARD_ABS_TOL, FORWARD_REL_TOL,
                 FORWARD_ABS_TOL);
    emit_unchanged(c, "X", &X, "", &net);
    kit_matrix_free(&X);
    free_network(&net);
}

static void check_forward_random(KitCase *c)
{
    /* N, D, H, C: one example, more hidden units than classes, fewer, and a larger batch */
    const int shapes[][4] = {{1, 3, 4, 2}, {5, 4, 6, 3}, {7, 5, 3, 6}, {16, 20, 12, 10}};
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 3302);
    for (int s = 0; s < 4; s++) {
        int N = shapes[s][0], D = shapes[s][1], H = shapes[s][2], C = shapes[s][3];
        Matrix X = kit_matrix_create(N, D);
        kit_matrix_fill_normal(&X, &rng, 0.0f, 1.0f);
        Network net = random_network(&rng, D, H, C, 0.7f, 0.5f);
        char what[96];
        snprintf(what, sizeof what, "random network %d -> %d -> %d, N = %d", D, H, C, N);
        if (s == 2)
            show_network(c, &X, &net); /* the one whose W2 is 3 x 6: an easy one to read */
        emit_forward(c, what, &X, &net, 1, FORWARD_ABS_TOL, FORWARD_REL_TOL, FORWARD_ABS_TOL);
        char x_name[32], suffix[32];
        snprintf(x_name, sizeof x_name, "X (network %d)", s + 1);
        snprintf(suffix, sizeof suffix, " (network %d)", s + 1);
        emit_unchanged(c, x_name, &X, suffix, &net);
        kit_matrix_free(&X);
        free_network(&net);
    }
}

static void check_forward_large_logits(KitCase *c)
{
    enum { N = 6, D = 4, H = 5, C = 4 };
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 3303);
    Matrix X = kit_matrix_create(N, D);
    kit_matrix_fill_normal(&X, &rng, 0.0f, 1.0f);
    Network net = random_network(&rng, D, H, C, 0.7f, 0.5f);

    /* every logit near +1000: e^1000 is inf in float and in double, and inf / inf is NaN */
    const float high[] = {1000.0f, 1000.5f, 999.0f, 1001.0f};
    for (int j = 0; j < C; j++)
        net.b2.data[j] = high[j];
    show_network(c, &X, &net);
    emit_forward(c, "b2 near +1000", &X, &net, 0, LARGE_ABS_TOL, LARGE_REL_TOL, LARGE_PROBABILITY_TOL);
    emit_unchanged(c, NULL, &X, " (b2 near +1000)", &net);

    /* every logit near -1000: e^-1000 is 0, and 0 / 0 is NaN */
    const float low[] = {-1000.0f, -1001.0f, -999.5f, -1000.0f};
    for (int j = 0; j < C; j++)
        net.b2.data[j] = low[j];
    emit_forward(c, "b2 near -1000", &X, &net, 0, LARGE_ABS_TOL, LARGE_REL_TOL, LARGE_PROBABILITY_TOL);
    emit_unchanged(c, "X", &X, " (b2 near -1000)", &net);

    /* large inputs: scores in the hundreds in both layers */
    Matrix X_large = kit_matrix_create(N, D);
    kit_matrix_fill_normal(&X_large, &rng, 0.0f, 50.0f);
    Network wide = random_network(&rng, D, H, C, 1.0f, 0.5f);
    kit_show_input(c, "X_large", &X_large);
    emit_forward(c, "X_large (std 50), W1 and W2 with std 1", &X_large, &wide, 1, LARGE_ABS_TOL, LARGE_REL_TOL,
                 LARGE_PROBABILITY_TOL);
    emit_unchanged(c, "X_large", &X_large, " (of X_large's network)", &wide);
    kit_matrix_free(&X), kit_matrix_free(&X_large);
    free_network(&net), free_network(&wide);
}

/* The 8 people's three features, each column scaled to mean 0 and std 1 (as normalize_columns does). */
static Matrix people_features(void)
{
    Matrix people = kit_people_dataset(), X = kit_matrix_create(KIT_PEOPLE_ROWS, 3);
    for (int j = 0; j < 3; j++) {
        double sum = 0.0, squares = 0.0;
        for (int i = 0; i < KIT_PEOPLE_ROWS; i++)
            sum += people.data[i * KIT_PEOPLE_COLS + j];
        double mean = sum / KIT_PEOPLE_ROWS;
        for (int i = 0; i < KIT_PEOPLE_ROWS; i++) {
            double d = people.data[i * KIT_PEOPLE_COLS + j] - mean;
            squares += d * d;
        }
        double std = sqrt(squares / KIT_PEOPLE_ROWS);
        for (int i = 0; i < KIT_PEOPLE_ROWS; i++)
            X.data[i * 3 + j] = (float)((people.data[i * KIT_PEOPLE_COLS + j] - mean) / std);
    }
    kit_matrix_free(&people);
    return X;
}

/* The lesson's network 3 -> 8 -> 2: W1 then W2 drawn normal(0, 0.1) from a generator seeded with seed, zero biases. */
static Network people_network(uint64_t seed)
{
    KitRng rng;
    kit_rng_seed(&rng, seed);
    Network net = {kit_matrix_create(3, 8), kit_matrix_create(1, 8), kit_matrix_create(8, 2), kit_matrix_create(1, 2)};
    kit_matrix_fill_normal(&net.W1, &rng, 0.0f, 0.1f);
    kit_matrix_fill_normal(&net.W2, &rng, 0.0f, 0.1f);
    return net;
}

static void check_forward_people(KitCase *c)
{
    Matrix X = people_features();
    Network lesson = people_network(0), other = people_network(kit_case_seed(c) + 3304);
    show_network(c, &X, &lesson);
    emit_forward(c, "the lesson's people network (seed 0)", &X, &lesson, 1, FORWARD_ABS_TOL, FORWARD_REL_TOL,
                 FORWARD_ABS_TOL);
    emit_forward(c, "the people network with the check's seed", &X, &other, 1, FORWARD_ABS_TOL, FORWARD_REL_TOL,
                 FORWARD_ABS_TOL);
    emit_unchanged(c, NULL, &X, "", &lesson);
    emit_unchanged(c, "X", &X, " (the check's seed)", &other);
    kit_matrix_free(&X);
    free_network(&lesson), free_network(&other);
}

static void check_forward_mnist_size(KitCase *c)
{
    enum { N = 8, D = 784, H = 256, C = 10 };
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 3305);
    Matrix X = kit_matrix_create(N, D);
    kit_matrix_fill_uniform(&X, &rng, 0.0f, 1.0f); /* pixel-like values in [0, 1) */
    Network net = {kit_matrix_create(D, H), kit_matrix_create(1, H), kit_matrix_create(H, C), kit_matrix_create(1, C)};
    kit_matrix_fill_normal(&net.W1, &rng, 0.0f, sqrtf(2.0f / D));
    kit_matrix_fill_uniform(&net.b1, &rng, -0.1f, 0.1f);
    kit_matrix_fill_normal(&net.W2, &rng, 0.0f, sqrtf(2.0f / H));
    kit_matrix_fill_uniform(&net.b2, &rng, -0.1f, 0.1f);
    emit_forward(c, "784 -> 256 -> 10, 8 random images", &X, &net, 0, FORWARD_ABS_TOL, FORWARD_REL_TOL,
                 FORWARD_ABS_TOL);
    emit_unchanged(c, "X", &X, "", &net);
    kit_matrix_free(&X);
    free_network(&net);
}

/* A call of forward_mlp where one matrix has the wrong shape, for a network 3 -> 4 -> 2 on 5 examples. */
typedef struct {
    MlpCache cache;
    const Matrix *X;
    const Network *net;
} ForwardCall;

static void call_forward(void *context)
{
    ForwardCall *f = context;
    forward_mlp(&f->cache, f->X, f->net);
}

static void check_forward_bad_shape(KitCase *c)
{
    enum { N = 5, D = 3, H = 4, C = 2 };
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 3306);
    Matrix X = kit_matrix_create(N, D);
    kit_matrix_fill_normal(&X, &rng, 0.0f, 1.0f);
    Network net = random_network(&rng, D, H, C, 0.7f, 0.5f);
    Network tall = random_network(&rng, D, H, C, 0.7f, 0.5f);
    kit_matrix_free(&tall.W2);
    tall.W2 = kit_matrix_create(H + 1, C); /* one row too many: a product that reads it silently ignores a row */
    kit_matrix_fill_normal(&tall.W2, &rng, 0.0f, 0.7f);
    Matrix Z1 = kit_output_matrix(N, H), A1 = kit_output_matrix(N, H), Z2 = kit_output_matrix(N, C),
           A2 = kit_output_matrix(N, C), narrow = kit_output_matrix(N, H - 1);
    ForwardCall wrong_w2 = {{Z1, A1, Z2, A2}, &X, &tall};
    kit_emit_refusal(c, "forward_mlp", "W2 of 5 x 2 where A1 has 4 columns (expected 4 x 2)", call_forward, &wrong_w2);
    ForwardCall wrong_z1 = {{narrow, A1, Z2, A2}, &X, &net};
    kit_emit_refusal(c, "forward_mlp", "Z1 of 5 x 3 for 4 hidden units (expected 5 x 4)", call_forward, &wrong_z1);
    Matrix *all[] = {&X, &Z1, &A1, &Z2, &A2, &narrow};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        kit_matrix_free(all[k]);
    free_network(&net);
    free_network(&tall);
}

/* ---- cross_entropy ------------------------------------------------------ */

/* Emits cross_entropy of a and y (rows x cols), then A and Y after the call, named "A (case)" and "Y (case)". */
static void emit_loss(KitCase *c, const char *name, const char *inputs, int rows, int cols, const float *a,
                      const float *y)
{
    Matrix A = kit_matrix_from(rows, cols, a), Y = kit_matrix_from(rows, cols, y);
    kit_emit_scalar(c, name, cross_entropy(&A, &Y), LOSS_ABS_TOL, LOSS_REL_TOL);
    char label[96];
    snprintf(label, sizeof label, "A (%s)", inputs);
    kit_emit_unchanged(c, "cross_entropy", label, &A);
    snprintf(label, sizeof label, "Y (%s)", inputs);
    kit_emit_unchanged(c, "cross_entropy", label, &Y);
    kit_matrix_free(&A), kit_matrix_free(&Y);
}

static void check_cross_entropy_fixed(KitCase *c)
{
    const float a[] = {0.7f, 0.2f, 0.1f, 0.1f, 0.8f, 0.1f}, y[] = {1, 0, 0, 0, 1, 0};
    Matrix A = kit_matrix_from(2, 3, a), Y = kit_matrix_from(2, 3, y);
    kit_show_input(c, "A", &A);
    kit_show_input(c, "Y", &Y);
    kit_emit_scalar(c, "cross_entropy(A, Y), the example of its comment: 0.2899", cross_entropy(&A, &Y), LOSS_ABS_TOL,
                    LOSS_REL_TOL);
    kit_emit_unchanged(c, "cross_entropy", "A", &A);
    kit_emit_unchanged(c, "cross_entropy", "Y", &Y);
    /* the same two rows three times: a mean over rows does not change */
    float a3[18], y3[18];
    for (int k = 0; k < 18; k++)
        a3[k] = a[k % 6], y3[k] = y[k % 6];
    emit_loss(c, "cross_entropy of the same 2 rows repeated 3 times (6x3): still the mean over rows", "6x3", 6, 3, a3, y3);

    /* a perfect prediction: A = Y */
    const float perfect[] = {0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0};
    emit_loss(c, "cross_entropy(A = Y), a perfect prediction (4x3): 0", "perfect", 4, 3, perfect, perfect);

    /* uniform predictions cost log C */
    float uniform4[12], uniform10[50], targets10[50];
    for (int k = 0; k < 12; k++)
        uniform4[k] = 0.25f;
    for (int k = 0; k < 50; k++)
        uniform10[k] = 0.1f, targets10[k] = (k % 10) == (k / 10) * 3 % 10 ? 1.0f : 0.0f;
    const float targets4[] = {0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1};
    emit_loss(c, "cross_entropy, uniform 1/4 on 3 rows of K = 4: log 4 = 1.3863", "uniform, K = 4", 3, 4, uniform4, targets4);
    emit_loss(c, "cross_entropy, uniform 1/10 on 5 rows of K = 10: log 10 = 2.3026", "uniform, K = 10", 5, 10, uniform10, targets10);

    /* a probability of exactly 0 on the true class: clipped to 1e-7 */
    const float zero[] = {0, 1}, first[] = {1, 0};
    emit_loss(c, "cross_entropy(A = [[0, 1]], Y = [[1, 0]]): -log(1e-7) = 16.1181, not inf", "a 0 on the label", 1, 2, zero, first);
    const float two[] = {0, 1, 1, 0}, two_y[] = {1, 0, 1, 0};
    emit_loss(c, "cross_entropy(A = [[0, 1], [1, 0]], Y = [[1, 0], [1, 0]]): (16.1181 + 0) / 2", "two rows, one 0", 2, 2, two, two_y);
    const float tiny[] = {1e-9f, 1.0f, 1e-6f, 1.0f}, tiny_y[] = {1, 0, 1, 0};
    emit_loss(c, "cross_entropy(A = [[1e-9, 1], [1e-6, 1]], Y = [[1, 0], [1, 0]]): 1e-9 clipped, 1e-6 not", "tiny", 2, 2, tiny,
              tiny_y);
    kit_matrix_free(&A), kit_matrix_free(&Y);
}

static void check_cross_entropy_random(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 3306);
    const int rows[] = {9, 20}, classes[] = {5, 10};
    for (int s = 0; s < 2; s++) {
        int N = rows[s], C = classes[s];
        /* probabilities: the softmax of normal logits, computed here in double */
        Matrix A = kit_matrix_create(N, C), Y = kit_matrix_create(N, C);
        for (int i = 0; i < N; i++) {
            double z[10], sum = 0.0;
            for (int j = 0; j < C; j++)
                z[j] = 2.0 * kit_rng_normal(&rng), sum += exp(z[j]);
            for (int j = 0; j < C; j++)
                A.data[i * C + j] = (float)(exp(z[j]) / sum);
            Y.data[i * C + kit_rng_below(&rng, C)] = 1.0f;
        }
        char label[96];
        snprintf(label, sizeof label, "A (%dx%d)", N, C);
        kit_show_input(c, label, &A);
        snprintf(label, sizeof label, "Y (%dx%d)", N, C);
        kit_show_input(c, label, &Y);
        snprintf(label, sizeof label, "cross_entropy(A, Y), %d rows of K = %d", N, C);
        kit_emit_scalar(c, label, cross_entropy(&A, &Y), LOSS_ABS_TOL, LOSS_REL_TOL);
        snprintf(label, sizeof label, "A (%dx%d)", N, C);
        kit_emit_unchanged(c, "cross_entropy", label, &A);
        snprintf(label, sizeof label, "Y (%dx%d)", N, C);
        kit_emit_unchanged(c, "cross_entropy", label, &Y);
        kit_matrix_free(&A), kit_matrix_free(&Y);
    }
}

static void check_cross_entropy_soft(KitCase *c)
{
    const float a[] = {0.6f, 0.3f, 0.1f, 0.2f, 0.2f, 0.6f}, y[] = {0.9f, 0.05f, 0.05f, 0.0f, 0.5f, 0.5f};
    Matrix A = kit_matrix_from(2, 3, a), Y = kit_matrix_from(2, 3, y);
    kit_show_input(c, "A", &A);
    kit_show_input(c, "Y", &Y);
    kit_emit_scalar(c, "cross_entropy(A, Y) with rows of Y that are not one-hot", cross_entropy(&A, &Y), LOSS_ABS_TOL,
                    LOSS_REL_TOL);
    kit_emit_unchanged(c, "cross_entropy", "A", &A);
    kit_emit_unchanged(c, "cross_entropy", "Y", &Y);
    kit_matrix_free(&A), kit_matrix_free(&Y);
}

const KitCheck kit_suite_checks[] = {
    {"one-hot-lesson", "one_hot: labels [3, 0, 2] with K = 4, and the 8 people's labels with K = 2", 1, "",
     "Set every element of Y to 0 first, then Y[i][labels[i]] = 1 in row i: element i * K + label.", 5, 0,
     check_one_hot_lesson},
    {"one-hot-random", "one_hot: random labels, K = 10, 3 and 7; a second call on the same Y", 2, "",
     "K is Y->cols (not always 10). Zero all of Y on every call, so that the 1s of an earlier call are gone.", 5, 0,
     check_one_hot_random},
    {"one-hot-bad-label", "one_hot: labels 4 (with 4 classes), 2.5 and -1 are mistakes of the caller: kit_fatal", 1,
     "", "Check each label before using it as an index: a whole number from 0 to K - 1, else kit_fatal(\"one_hot: "
     "labels[%d] is %g, expected a class number from 0 to %d\", i, value, K - 1).", 5, 0, check_one_hot_bad_label},
    {"forward-lesson", "forward_mlp: the 3 -> 4 -> 3 example of its comment, every cache", 2, "1.2 3.2",
     "Z1 = linear_layer(X, W1, b1), A1 = relu(Z1), Z2 = linear_layer(A1, W2, b2), A2 = softmax(Z2): "
     "the second layer reads A1, not Z1 or X, and only A2 goes through softmax.", 5, 0, check_forward_lesson},
    {"forward-random", "forward_mlp: random networks of 4 shapes (H above and below K), every cache", 3, "1.2 3.2",
     "W1 is D x H and W2 is H x K: read them as they are stored, without transposing. Each matrix of the cache has "
     "its own shape: Z1 and A1 are N x H, Z2 and A2 are N x K.", 5, 0, check_forward_random},
    {"forward-large-logits", "forward_mlp: logits near +1000 and -1000 and large inputs stay finite", 2, "1.2 3.2",
     "softmax must subtract each row's largest logit before exp (chapter 3.2): e^1000 is inf and e^-1000 is 0.", 5,
     0, check_forward_large_logits},
    {"forward-people", "forward_mlp: the lesson's 3 -> 8 -> 2 network on the 8 people", 2, "1.2 3.2", NULL, 5, 0,
     check_forward_people},
    {"forward-mnist-size", "forward_mlp: a 784 -> 256 -> 10 network on 8 random images", 2, "1.2 3.2",
     "Use the sizes of the matrices you are given (X->cols, mlp->W1.cols, mlp->W2.cols), never fixed numbers.", 10, 0,
     check_forward_mnist_size},
    {"forward-bad-shape", "forward_mlp: a W2 with a row too many and a Z1 a column short stop with kit_fatal", 1,
     "1.2 3.2",
     "Take N, D, H and K from X and the weights (X->rows, X->cols, mlp->W1.cols, mlp->W2.cols), then "
     "kit_require_shape(&mlp->W2, H, K, \"forward_mlp: W2\") and the like for all eight matrices, before any "
     "product.",
     5, 0, check_forward_bad_shape},
    {"cross-entropy-fixed", "cross_entropy: the lesson's example, perfect, uniform and zero probabilities", 2, "",
     "L = -(1/N) sum of Y log(max(A, 1e-7)): divide by the number of rows N (not by N * K) and clip before the "
     "log, so that a probability of 0 costs 16.1181.", 5, 0, check_cross_entropy_fixed},
    {"cross-entropy-random", "cross_entropy: random softmax outputs and one-hot targets", 2, "", NULL, 5, 0,
     check_cross_entropy_random},
    {"cross-entropy-soft-targets", "cross_entropy: targets that are not one-hot", 1, "",
     "Sum Y[i][k] log(A[i][k]) over every class k, weighted by Y: not only the class where Y is largest.", 5, 0,
     check_cross_entropy_soft},
};
const int kit_suite_check_count = sizeof kit_suite_checks / sizeof kit_suite_checks[0];
