/* The grading suite of chapter 2.3: Mini-Batch Gradient Descent. */
#include "check.h"
#include "course.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char kit_suite_chapter[] = "2.3";

/* One gradient: sums of at most a few dozen float products, in float or double, in any order,
 * differ from the reference by about 1e-6 of their size; these tolerances allow 100 times that. */
#define GRADIENT_ABS_TOL 1e-5
#define GRADIENT_REL_TOL 1e-4
/* A few epochs of steps carry those differences along: 10 times more room. */
#define TRAINING_ABS_TOL 1e-4
#define TRAINING_REL_TOL 1e-3

/* The accuracy check's fixed budget: one epoch of batches of 32 with learning rate 0.1, from weights
 * drawn with std 0.01. Its bars sit well below what the reference reaches over many seeds (see the lesson).
 * Measured with the reference, seeds 1-8, on full MNIST (the digits 0 and 1: 12,665 to train, 2,115 to test):
 * min 0.9991, median 0.9991, max 0.9995 (the bar 0.99 sits 0.0091 below); Fashion-MNIST: see the lesson. */
#define ACCURACY_EPOCHS 1
#define ACCURACY_BATCH 32
#define ACCURACY_LR 0.1f
#define MNIST_BAR 0.99
#define FASHION_BAR 0.96

/* ---- helpers ----------------------------------------------------------- */

/* An int array as a 1 x n matrix of floats, to emit or show (exact for n below 2^24). */
static Matrix order_matrix(const int *order, int n)
{
    Matrix m = kit_matrix_create(1, n);
    for (int i = 0; i < n; i++)
        m.data[i] = (float)order[i];
    return m;
}

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* A random logistic problem: X (m x D) normal with std 1.5, W (D x 1) normal with std 0.5, b (1 x 1)
 * uniform in [-0.5, 0.5], y (m x 1) labels 0 or 1 drawn from the model's own probabilities, so that
 * the predictions are neither all right nor all 0 and 1. */
static void random_problem(KitCase *c, uint64_t salt, int m, int D, Matrix *X, Matrix *W, Matrix *b, Matrix *y)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + salt);
    *X = kit_matrix_create(m, D), *W = kit_matrix_create(D, 1), *b = kit_matrix_create(1, 1);
    *y = kit_matrix_create(m, 1);
    kit_matrix_fill_normal(X, &rng, 0.0f, 1.5f);
    kit_matrix_fill_normal(W, &rng, 0.0f, 0.5f);
    kit_matrix_fill_uniform(b, &rng, -0.5f, 0.5f);
    for (int i = 0; i < m; i++) {
        double z = b->data[0];
        for (int j = 0; j < D; j++)
            z += (double)X->data[i * D + j] * W->data[j];
        y->data[i] = kit_rng_uniform(&rng) < 1.0 / (1.0 + exp(-z)) ? 1.0f : 0.0f;
    }
}

/* Emits order (n ints), an input of gather_rows, after the calls: it must not change. */
static void emit_order_unchanged(KitCase *c, const int *order, int n)
{
    Matrix after = order_matrix(order, n);
    kit_emit_unchanged(c, "gather_rows", "order", &after);
    kit_matrix_free(&after);
}

/* Emits the four inputs of logistic_gradient after the calls: they must not change. */
static void emit_logistic_unchanged(KitCase *c, const Matrix *X, const Matrix *W, const Matrix *b, const Matrix *y)
{
    kit_emit_unchanged(c, "logistic_gradient", "X", X);
    kit_emit_unchanged(c, "logistic_gradient", "W", W);
    kit_emit_unchanged(c, "logistic_gradient", "b", b);
    kit_emit_unchanged(c, "logistic_gradient", "y", y);
}

static void free_all(Matrix *a, Matrix *b, Matrix *c, Matrix *d)
{
    kit_matrix_free(a), kit_matrix_free(b), kit_matrix_free(c), kit_matrix_free(d);
}

/* ---- shuffle_indices --------------------------------------------------- */

static void check_shuffle_permutation(KitCase *c)
{
    const int sizes[] = {1, 2, 10, 37, 100};
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 2311);
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int n = sizes[s];
        int *order = malloc((size_t)n * sizeof *order);
        for (int i = 0; i < n; i++)
            order[i] = -7; /* whatever order held before must be overwritten */
        shuffle_indices(order, n, &rng);
        qsort(order, (size_t)n, sizeof *order, compare_ints);
        Matrix sorted = order_matrix(order, n);
        char label[96];
        snprintf(label, sizeof label, "order after shuffle_indices(order, %d, rng), sorted", n);
        kit_emit(c, label, &sorted, 0, 0);
        kit_matrix_free(&sorted);
        free(order);
    }
}

static void check_shuffle_fisher_yates(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 2312);
    int order[40];
    for (int i = 0; i < 40; i++)
        order[i] = -7;
    shuffle_indices(order, 10, &rng);
    Matrix first = order_matrix(order, 10);
    kit_emit(c, "order after shuffle_indices(order, 10, rng)", &first, 0, 0);
    shuffle_indices(order, 10, &rng); /* the generator goes on where the first shuffle left it */
    Matrix second = order_matrix(order, 10);
    kit_emit(c, "order after a second shuffle_indices(order, 10, rng) with the same generator", &second, 0, 0);
    shuffle_indices(order, 40, &rng);
    Matrix third = order_matrix(order, 40);
    kit_emit(c, "order after a third call, shuffle_indices(order, 40, rng)", &third, 0, 0);
    kit_emit_scalar(c, "kit_rng_below(rng, 1000) after the three shuffles (9 + 9 + 39 calls of kit_rng_below)",
                    kit_rng_below(&rng, 1000), 0, 0);
    kit_matrix_free(&first), kit_matrix_free(&second), kit_matrix_free(&third);
}

/* ---- gather_rows ------------------------------------------------------- */

static void check_gather_lesson(KitCase *c)
{
    const float x[] = {0, 1, 10, 11, 20, 21, 30, 31};
    const int order[] = {3, 0, 2, 1};
    Matrix X = kit_matrix_from(4, 2, x), shown = order_matrix(order, 4), out = kit_output_matrix(2, 2);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "order", &shown);
    gather_rows(&out, &X, order, 2);
    kit_emit(c, "out (2x2) after gather_rows(out, X, order, 2)", &out, 0, 0);
    kit_emit_unchanged(c, "gather_rows", "X", &X);
    emit_order_unchanged(c, order, 4);
    kit_matrix_free(&X), kit_matrix_free(&shown), kit_matrix_free(&out);
}

static void check_gather_batches(KitCase *c)
{
    enum { N = 11, D = 5 };
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 2313);
    Matrix X = kit_matrix_create(N, D), y = kit_matrix_create(N, 1);
    kit_matrix_fill_normal(&X, &rng, 0.0f, 1.0f);
    kit_matrix_fill_uniform(&y, &rng, 0.0f, 1.0f);
    /* a permutation made here, independent of the learner's shuffle, on the heap so that Valgrind sees a
     * read past its end */
    int *order = malloc(N * sizeof *order);
    for (int i = 0; i < N; i++)
        order[i] = (7 * i + 3) % N;
    Matrix shown = order_matrix(order, N);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "y", &y);
    kit_show_input(c, "order", &shown);
    /* the batches of an epoch with batch_size 4: rows 0-3, 4-7 and the short last one, 8-10 */
    const int starts[] = {0, 4, 8}, sizes[] = {4, 4, 3};
    for (int k = 0; k < 3; k++) {
        Matrix Xb = kit_output_matrix(sizes[k], D), yb = kit_output_matrix(sizes[k], 1);
        gather_rows(&Xb, &X, order, starts[k]);
        gather_rows(&yb, &y, order, starts[k]);
        char label[96];
        snprintf(label, sizeof label, "X_batch (%dx%d) after gather_rows(X_batch, X, order, %d)", sizes[k], D,
                 starts[k]);
        kit_emit(c, label, &Xb, 0, 0);
        snprintf(label, sizeof label, "y_batch (%dx1) after gather_rows(y_batch, y, order, %d)", sizes[k],
                 starts[k]);
        kit_emit(c, label, &yb, 0, 0);
        kit_matrix_free(&Xb), kit_matrix_free(&yb);
    }
    kit_emit_unchanged(c, "gather_rows", "X", &X);
    kit_emit_unchanged(c, "gather_rows", "y", &y);
    emit_order_unchanged(c, order, N);
    free(order);
    kit_matrix_free(&X), kit_matrix_free(&y), kit_matrix_free(&shown);
}

/* ---- logistic_gradient ------------------------------------------------- */

/* Calls logistic_gradient on NaN-filled outputs and emits A, dW and db. */
static void emit_logistic(KitCase *c, const char *what, const Matrix *X, const Matrix *W, const Matrix *b,
                          const Matrix *y)
{
    int m = X->rows, D = X->cols;
    Matrix dW = kit_output_matrix(D, 1), db = kit_output_matrix(1, 1), A = kit_output_matrix(m, 1);
    logistic_gradient(&dW, &db, &A, X, W, b, y);
    char label[160];
    snprintf(label, sizeof label, "A (%dx1) = sigmoid(XW + b), %s", m, what);
    kit_emit(c, label, &A, GRADIENT_ABS_TOL, GRADIENT_REL_TOL);
    snprintf(label, sizeof label, "dW (%dx1) = X^T (A - y) / %d, %s", D, m, what);
    kit_emit(c, label, &dW, GRADIENT_ABS_TOL, GRADIENT_REL_TOL);
    snprintf(label, sizeof label, "db (1x1) = sum(A - y) / %d, %s", m, what);
    kit_emit(c, label, &db, GRADIENT_ABS_TOL, GRADIENT_REL_TOL);
    kit_matrix_free(&dW), kit_matrix_free(&db), kit_matrix_free(&A);
}

static void check_logistic_lesson(KitCase *c)
{
    const float x[] = {1, 2, -1, 0, 0, 1}, w[] = {0.5f, -0.5f}, zero[] = {0}, labels[] = {1, 0, 1};
    Matrix X = kit_matrix_from(3, 2, x), W = kit_matrix_from(2, 1, w), b = kit_matrix_from(1, 1, zero);
    Matrix y = kit_matrix_from(3, 1, labels);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W", &W);
    kit_show_input(c, "b", &b);
    kit_show_input(c, "y", &y);
    emit_logistic(c, "the lesson's example", &X, &W, &b, &y);
    emit_logistic_unchanged(c, &X, &W, &b, &y);
    free_all(&X, &W, &b, &y);
}

static void check_logistic_random(KitCase *c)
{
    Matrix X, W, b, y;
    random_problem(c, 2314, 12, 5, &X, &W, &b, &y);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W", &W);
    kit_show_input(c, "b", &b);
    kit_show_input(c, "y", &y);
    emit_logistic(c, "a random 12x5 batch", &X, &W, &b, &y);
    emit_logistic_unchanged(c, &X, &W, &b, &y);
    free_all(&X, &W, &b, &y);
}

static void check_logistic_overwrites(KitCase *c)
{
    Matrix X, W, b, y;
    random_problem(c, 2315, 7, 3, &X, &W, &b, &y);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W", &W);
    kit_show_input(c, "b", &b);
    kit_show_input(c, "y", &y);
    /* the same outputs twice: the second call must overwrite, not add to, the first */
    Matrix dW = kit_output_matrix(3, 1), db = kit_output_matrix(1, 1), A = kit_output_matrix(7, 1);
    logistic_gradient(&dW, &db, &A, &X, &W, &b, &y);
    logistic_gradient(&dW, &db, &A, &X, &W, &b, &y);
    kit_emit(c, "dW after two calls with the same outputs (overwritten, not accumulated)", &dW, GRADIENT_ABS_TOL,
             GRADIENT_REL_TOL);
    kit_emit(c, "db after two calls with the same outputs", &db, GRADIENT_ABS_TOL, GRADIENT_REL_TOL);
    /* a batch of one row: m = 1 */
    Matrix x1 = {1, 3, X.data}, y1 = {1, 1, y.data};
    emit_logistic(c, "a batch of one row (the first row of X)", &x1, &W, &b, &y1);
    emit_logistic_unchanged(c, &X, &W, &b, &y); /* x1 and y1 are X's and y's first rows */
    free_all(&X, &W, &b, &y);
    kit_matrix_free(&dW), kit_matrix_free(&db), kit_matrix_free(&A);
}

/* The mean binary cross-entropy of sigmoid(XW + b) against y, in double, for central differences. */
typedef struct {
    const Matrix *X, *W, *b, *y;
} LogisticProblem;

static double logistic_loss(void *context)
{
    const LogisticProblem *p = context;
    int m = p->X->rows, D = p->X->cols;
    double sum = 0.0;
    for (int i = 0; i < m; i++) {
        double z = p->b->data[0];
        for (int j = 0; j < D; j++)
            z += (double)p->X->data[i * D + j] * p->W->data[j];
        /* -[y log a + (1 - y) log(1 - a)] with a = sigmoid(z), written without overflow */
        double softplus = z > 0 ? z + log1p(exp(-z)) : log1p(exp(z)); /* log(1 + e^z) */
        sum += softplus - p->y->data[i] * z;
    }
    return sum / m;
}

static void check_logistic_numeric(KitCase *c)
{
    Matrix X, W, b, y;
    random_problem(c, 2316, 9, 4, &X, &W, &b, &y);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W", &W);
    kit_show_input(c, "b", &b);
    kit_show_input(c, "y", &y);
    Matrix dW = kit_output_matrix(4, 1), db = kit_output_matrix(1, 1), A = kit_output_matrix(9, 1);
    logistic_gradient(&dW, &db, &A, &X, &W, &b, &y);
    emit_logistic_unchanged(c, &X, &W, &b, &y); /* before the checker moves W and b */
    LogisticProblem problem = {&X, &W, &b, &y};
    kit_check_gradient(c, "W", &dW, &W, logistic_loss, &problem, 1e-3f, 1e-3);
    kit_check_gradient(c, "b", &db, &b, logistic_loss, &problem, 1e-3f, 1e-3);
    free_all(&X, &W, &b, &y);
    kit_matrix_free(&dW), kit_matrix_free(&db), kit_matrix_free(&A);
}

/* ---- minibatch_gradient_descent ---------------------------------------- */

/* Trains from the given W and b and emits W, b and the losses of every epoch. */
static void emit_training(KitCase *c, const char *what, const Matrix *X, const Matrix *y, const Matrix *W0,
                          const Matrix *b0, float lr, int epochs, int batch_size, uint64_t salt)
{
    Matrix W = kit_matrix_create(W0->rows, 1), b = kit_matrix_create(1, 1), losses = kit_output_matrix(1, epochs);
    kit_matrix_copy(&W, W0);
    kit_matrix_copy(&b, b0);
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + salt);
    minibatch_gradient_descent(&W, &b, &losses, X, y, lr, epochs, batch_size, &rng);
    char label[200];
    snprintf(label, sizeof label, "W after %d epochs, lr %g, batch_size %d, %s", epochs, (double)lr, batch_size,
             what);
    kit_emit(c, label, &W, TRAINING_ABS_TOL, TRAINING_REL_TOL);
    snprintf(label, sizeof label, "b after %d epochs, lr %g, batch_size %d, %s", epochs, (double)lr, batch_size,
             what);
    kit_emit(c, label, &b, TRAINING_ABS_TOL, TRAINING_REL_TOL);
    snprintf(label, sizeof label, "losses (1x%d), the mean loss of each epoch, batch_size %d, %s", epochs, batch_size,
             what);
    kit_emit(c, label, &losses, TRAINING_ABS_TOL, TRAINING_REL_TOL);
    kit_matrix_free(&W), kit_matrix_free(&b), kit_matrix_free(&losses);
}

/* A call of minibatch_gradient_descent with a batch_size below 1: 0 steps an epoch would never end (start += 0),
 * and a negative size would index before the order. */
typedef struct {
    Matrix *W, *b, *losses;
    const Matrix *X, *y;
    int batch_size;
    KitRng *rng;
} MinibatchCall;

static void call_minibatch(void *context)
{
    MinibatchCall *m = context;
    minibatch_gradient_descent(m->W, m->b, m->losses, m->X, m->y, 0.1f, 2, m->batch_size, m->rng);
}

static void check_minibatch_bad_batch_size(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 2323);
    Matrix X = kit_case_normal_matrix(c, 2324, 6, 2, 0.0f, 1.0f), y = kit_matrix_create(6, 1);
    for (int i = 0; i < 6; i++)
        y.data[i] = (float)(i % 2);
    Matrix W = kit_matrix_create(2, 1), b = kit_matrix_create(1, 1), losses = kit_output_matrix(1, 2);
    const int sizes[] = {0, -3};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        MinibatchCall call = {&W, &b, &losses, &X, &y, sizes[k], &rng};
        char input[64];
        snprintf(input, sizeof input, "batch_size %d (6 examples, 2 epochs)", sizes[k]);
        kit_emit_refusal(c, "minibatch_gradient_descent", input, call_minibatch, &call);
    }
    kit_matrix_free(&X), kit_matrix_free(&y), kit_matrix_free(&W), kit_matrix_free(&b), kit_matrix_free(&losses);
}

/* Ten points in the plane, the 1s up and to the right of the 0s: separable by a line. */
static const float tiny_x[] = {2.0f, 1.0f, -1.0f, -2.0f, 1.5f, 2.5f, 3.0f, 0.5f, -2.5f, -0.5f,
                               -0.5f, -1.5f, 0.5f, 2.0f, -2.0f, -2.5f, 2.5f, 2.0f, 0.0f, -1.0f};
static const float tiny_y[] = {1, 0, 1, 1, 0, 0, 1, 0, 1, 0};
static const float tiny_w[] = {0.1f, -0.2f}, tiny_b[] = {0.05f};

static void check_minibatch_tiny(KitCase *c)
{
    Matrix X = kit_matrix_from(10, 2, tiny_x), y = kit_matrix_from(10, 1, tiny_y);
    Matrix W0 = kit_matrix_from(2, 1, tiny_w), b0 = kit_matrix_from(1, 1, tiny_b);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "y", &y);
    kit_show_input(c, "W (start)", &W0);
    kit_show_input(c, "b (start)", &b0);
    emit_training(c, "10 rows: batches of 4, 4 and 2", &X, &y, &W0, &b0, 0.5f, 3, 4, 2317);
    kit_emit_unchanged(c, "minibatch_gradient_descent", "X", &X);
    kit_emit_unchanged(c, "minibatch_gradient_descent", "y", &y);
    free_all(&X, &y, &W0, &b0);
}

static void check_minibatch_batch_sizes(KitCase *c)
{
    Matrix X = kit_matrix_from(10, 2, tiny_x), y = kit_matrix_from(10, 1, tiny_y);
    Matrix W0 = kit_matrix_from(2, 1, tiny_w), b0 = kit_matrix_from(1, 1, tiny_b);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "y", &y);
    kit_show_input(c, "W (start)", &W0);
    kit_show_input(c, "b (start)", &b0);
    emit_training(c, "10 rows: 10 batches of one row", &X, &y, &W0, &b0, 0.2f, 2, 1, 2318);
    emit_training(c, "10 rows: batches of 3, 3, 3 and 1", &X, &y, &W0, &b0, 0.5f, 2, 3, 2319);
    emit_training(c, "10 rows: one full batch per epoch", &X, &y, &W0, &b0, 0.5f, 4, 10, 2320);
    emit_training(c, "10 rows: batch_size above N is one full batch", &X, &y, &W0, &b0, 0.5f, 4, 25, 2320);
    kit_emit_unchanged(c, "minibatch_gradient_descent", "X", &X);
    kit_emit_unchanged(c, "minibatch_gradient_descent", "y", &y);
    free_all(&X, &y, &W0, &b0);
}

static void check_minibatch_random(KitCase *c)
{
    Matrix X, W_true, b_true, y;
    random_problem(c, 2321, 23, 5, &X, &W_true, &b_true, &y);
    Matrix W0 = kit_matrix_create(5, 1), b0 = kit_matrix_create(1, 1);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "y", &y);
    kit_show_input(c, "W (start, all 0)", &W0);
    emit_training(c, "23 random rows: batches of 5, 5, 5, 5 and 3", &X, &y, &W0, &b0, 0.3f, 4, 5, 2322);
    kit_emit_unchanged(c, "minibatch_gradient_descent", "X", &X);
    kit_emit_unchanged(c, "minibatch_gradient_descent", "y", &y);
    free_all(&X, &W_true, &b_true, &y);
    kit_matrix_free(&W0), kit_matrix_free(&b0);
}

/* ---- the accuracy on the image data set --------------------------------- */

/* The rows of class 0 and 1 of images (N x 784) as X, with y = 1 for class 1 and 0 for class 0. */
static void select_two_classes(Matrix *X, Matrix *y, const Matrix *images, const Matrix *labels)
{
    int count = 0, D = images->cols;
    for (int i = 0; i < labels->rows; i++)
        count += labels->data[i] == 0.0f || labels->data[i] == 1.0f;
    *X = kit_matrix_create(count, D), *y = kit_matrix_create(count, 1);
    int k = 0;
    for (int i = 0; i < labels->rows; i++) {
        if (labels->data[i] != 0.0f && labels->data[i] != 1.0f)
            continue;
        memcpy(X->data + (size_t)k * D, images->data + (size_t)i * D, (size_t)D * sizeof(float));
        y->data[k++] = labels->data[i];
    }
}

/* The training set is too large to emit after the call: whether minibatch_gradient_descent leaves X and y as they
 * are is checked on the small problems above. */
static void check_accuracy(KitCase *c)
{
    const KitDataset *data = kit_case_dataset(c);
    Matrix X_train, y_train, X_test, y_test;
    select_two_classes(&X_train, &y_train, &data->train_images, &data->train_labels);
    select_two_classes(&X_test, &y_test, &data->test_images, &data->test_labels);
    int D = X_train.cols;
    Matrix W = kit_matrix_create(D, 1), b = kit_matrix_create(1, 1), losses = kit_matrix_create(1, ACCURACY_EPOCHS);
    KitRng init, shuffle;
    kit_rng_seed(&init, kit_case_seed(c) + 2301);
    kit_rng_seed(&shuffle, kit_case_seed(c) + 2302);
    kit_matrix_fill_normal(&W, &init, 0.0f, 0.01f);
    minibatch_gradient_descent(&W, &b, &losses, &X_train, &y_train, ACCURACY_LR, ACCURACY_EPOCHS, ACCURACY_BATCH,
                               &shuffle);
    /* class 1 when sigmoid(xW + b) > 0.5, that is when xW + b > 0; computed here, in double */
    int right = 0;
    for (int i = 0; i < X_test.rows; i++) {
        double z = b.data[0];
        for (int j = 0; j < D; j++)
            z += (double)X_test.data[(size_t)i * D + j] * W.data[j];
        right += (z > 0.0) == (y_test.data[i] == 1.0f);
    }
    double accuracy = X_test.rows > 0 ? (double)right / X_test.rows : 0.0;
    kit_emit_at_least(c, "test accuracy", accuracy, MNIST_BAR, FASHION_BAR);
    free_all(&X_train, &y_train, &X_test, &y_test);
    kit_matrix_free(&W), kit_matrix_free(&b), kit_matrix_free(&losses);
}

const KitCheck kit_suite_checks[] = {
    {"shuffle-permutation", "shuffle_indices: a permutation of 0..n-1 for n = 1, 2, 10, 37, 100", 2, "",
     "Start from order[i] = i (overwrite what was there), then only swap two entries at a time: "
     "every index must appear exactly once.", 5, 0, check_shuffle_permutation},
    {"shuffle-fisher-yates", "shuffle_indices: the exact Fisher-Yates order for the check's seed", 2, "",
     "for i from n-1 down to 1: j = kit_rng_below(rng, i + 1), then swap order[i] and order[j]. "
     "Exactly n-1 draws, j from 0..i (not 0..n-1), and no other use of rng.", 5, 0, check_shuffle_fisher_yates},
    {"gather-rows-lesson", "gather_rows: the lesson's 4x2 example, rows order[2] and order[3]", 1, "",
     "Row r of out is row order[start + r] of X: all D columns of it.", 5, 0, check_gather_lesson},
    {"gather-rows-batches", "gather_rows: the three batches of an 11-row epoch (4, 4 and 3 rows), X and y", 2, "",
     "out->rows is the batch's size m: copy m rows, starting at order[start], and read nothing past "
     "order[start + m - 1].", 5, 0, check_gather_batches},
    {"logistic-gradient-lesson", "logistic_gradient: the lesson's 3x2 example", 2, "1.2 1.3",
     "A = sigmoid(XW + b); dW[j] = (1/m) sum_i X[i][j] (a_i - y_i); db = (1/m) sum_i (a_i - y_i), with the "
     "batch's m rows.", 5, 0, check_logistic_lesson},
    {"logistic-gradient-random", "logistic_gradient: a random 12x5 batch", 2, "1.2 1.3", NULL, 5, 0,
     check_logistic_random},
    {"logistic-gradient-overwrites", "logistic_gradient: overwrites dW and db; a batch of one row", 1, "1.2 1.3",
     "Set dW and db to the new gradient: do not add to what they held before.", 5, 0, check_logistic_overwrites},
    {"logistic-gradient-numeric", "logistic_gradient: dW and db against central differences of the loss", 2,
     "1.2 1.3", "dW and db are the derivatives of the mean loss: (A - y), times X^T for dW, divided by m.", 5, 0,
     check_logistic_numeric},
    {"minibatch-tiny", "minibatch_gradient_descent: 10 separable points, batch_size 4, 3 epochs", 3, "1.2 1.3 2.1",
     "Each epoch: shuffle_indices once, then batches at start = 0, 4, 8 with m = min(4, N - start) rows: "
     "the last batch has 2 rows and must be used. losses[e] = sum over batches of m * loss / N.", 5, 0,
     check_minibatch_tiny},
    {"minibatch-batch-sizes", "minibatch_gradient_descent: batch sizes 1, 3, 10 and 25 on the 10 points", 2,
     "1.2 1.3 2.1",
     "batch_size 1 is one step per row; 3 gives batches of 3, 3, 3 and 1; 10 and 25 give one full batch "
     "per epoch.", 5, 0, check_minibatch_batch_sizes},
    {"minibatch-random", "minibatch_gradient_descent: 23 random rows, batch_size 5, 4 epochs", 2, "1.2 1.3 2.1",
     NULL, 5, 0, check_minibatch_random},
    {"minibatch-bad-batch-size", "minibatch_gradient_descent: batch sizes 0 and -3 stop with kit_fatal", 1,
     "1.2 1.3 2.1",
     "Check batch_size before the loop: with 0, start += batch_size never moves and the epoch never ends. "
     "if (batch_size < 1) kit_fatal(\"minibatch_gradient_descent: batch_size is %d, it must be at least 1\", "
     "batch_size).", 5, 0, check_minibatch_bad_batch_size},
    {"accuracy", "accuracy: classes 0 vs 1 of the image data set, 1 epoch, batch_size 32, lr 0.1", 4, "1.2 1.3 2.1",
     "Every batch of the epoch must take a step, W -= lr dW (not only the first batch, and not +=). "
     "The report names the data set and its bar.", 30, 1, check_accuracy},
};
const int kit_suite_check_count = sizeof kit_suite_checks / sizeof kit_suite_checks[0];
