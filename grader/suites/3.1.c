/* The grading suite of chapter 3.1: Single-Layer Perceptrons. */
#include "check.h"
#include "course.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

const char kit_suite_chapter[] = "3.1";

/* Sigmoid outputs lie in (0, 1); one product of a few float terms and an exponential, in float or double,
 * in any order, moves them by about 1e-7: these tolerances allow 10 to 100 times that. */
#define FORWARD_ABS_TOL 1e-6
#define FORWARD_REL_TOL 1e-5
/* A few epochs of training carry those differences along, and a step of lr 1 can grow them. */
#define TRAINING_ABS_TOL 1e-4
#define TRAINING_REL_TOL 1e-3

/* The budget in which AND and OR must be learned: full-batch steps of lr 1 from W = 0, b = 0. The
 * reference reaches 100% after 16 epochs on AND and 20 on OR (see the lesson). */
#define LOGIC_LR 1.0f
#define LOGIC_EPOCHS 100

/* XOR: epochs of lr 1 from a random start; the loss reaches log 2 to 7 digits within about 300. */
#define XOR_LR 1.0f
#define XOR_EPOCHS 400

/* The four points of the truth tables, and their labels. */
static const float points[] = {0, 0, 0, 1, 1, 0, 1, 1};
static const float and_labels[] = {0, 0, 0, 1}, or_labels[] = {0, 1, 1, 1}, xor_labels[] = {0, 1, 1, 0};

/* ---- helpers ----------------------------------------------------------- */

static void free_all(Matrix *a, Matrix *b, Matrix *c, Matrix *d)
{
    kit_matrix_free(a), kit_matrix_free(b), kit_matrix_free(c), kit_matrix_free(d);
}

/* The share of the 4 points that sigmoid(x W + b) >= 0.5, that is x W + b >= 0, puts in their class; in double. */
static double line_accuracy(const Matrix *W, const Matrix *b, const float *labels)
{
    int right = 0;
    for (int i = 0; i < 4; i++) {
        double z = (double)points[2 * i] * W->data[0] + (double)points[2 * i + 1] * W->data[1] + b->data[0];
        right += (z >= 0.0) == (labels[i] == 1.0f);
    }
    return right / 4.0;
}

/* The share of the rows of column j of A (N x M) with (a >= 0.5) equal to the label. */
static double column_accuracy(const Matrix *A, int j, const float *labels)
{
    int right = 0;
    for (int i = 0; i < A->rows; i++)
        right += (A->data[i * A->cols + j] >= 0.5f) == (labels[i] == 1.0f);
    return (double)right / A->rows;
}

/* ---- forward_perceptron ------------------------------------------------ */

static void check_forward_lesson(KitCase *c)
{
    const float w[] = {1, 1}, bias[] = {-1.5f};
    Matrix X = kit_matrix_from(4, 2, points), W = kit_matrix_from(2, 1, w), b = kit_matrix_from(1, 1, bias);
    Matrix A = kit_output_matrix(4, 1);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W", &W);
    kit_show_input(c, "b", &b);
    forward_perceptron(&A, &X, &W, &b);
    kit_emit(c, "A (4x1) after forward_perceptron(A, X, W, b)", &A, FORWARD_ABS_TOL, FORWARD_REL_TOL);
    kit_emit_unchanged(c, "forward_perceptron", "W", &W);
    kit_emit_unchanged(c, "forward_perceptron", "b", &b);

    /* three neurons at once: AND, OR and NAND, one column each */
    const float w3[] = {1, 1, -1, 1, 1, -1}, b3[] = {-1.5f, -0.5f, 1.5f};
    Matrix W3 = kit_matrix_from(2, 3, w3), bias3 = kit_matrix_from(1, 3, b3), A3 = kit_output_matrix(4, 3);
    kit_show_input(c, "W (2x3, a layer of three neurons)", &W3);
    kit_show_input(c, "b (1x3)", &bias3);
    forward_perceptron(&A3, &X, &W3, &bias3);
    kit_emit(c, "A (4x3) after forward_perceptron(A, X, W, b) with the 2x3 W", &A3, FORWARD_ABS_TOL,
             FORWARD_REL_TOL);
    kit_emit_unchanged(c, "forward_perceptron", "X", &X);
    kit_emit_unchanged(c, "forward_perceptron", "W (2x3, a layer of three neurons)", &W3);
    kit_emit_unchanged(c, "forward_perceptron", "b (1x3)", &bias3);
    free_all(&X, &W, &b, &A);
    kit_matrix_free(&W3), kit_matrix_free(&bias3), kit_matrix_free(&A3);
}

static void check_forward_random(KitCase *c)
{
    /* N, D, M */
    const int shapes[][3] = {{5, 3, 1}, {7, 4, 3}, {1, 6, 2}, {9, 1, 4}, {3, 5, 7}};
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 3101);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int N = shapes[s][0], D = shapes[s][1], M = shapes[s][2];
        Matrix X = kit_matrix_create(N, D), W = kit_matrix_create(D, M), b = kit_matrix_create(1, M);
        kit_matrix_fill_normal(&X, &rng, 0.0f, 1.5f);
        kit_matrix_fill_normal(&W, &rng, 0.0f, 1.0f);
        kit_matrix_fill_uniform(&b, &rng, -1.0f, 1.0f);
        char label[120];
        snprintf(label, sizeof label, "X (%dx%d)", N, D);
        kit_show_input(c, label, &X);
        snprintf(label, sizeof label, "W (%dx%d)", D, M);
        kit_show_input(c, label, &W);
        snprintf(label, sizeof label, "b (1x%d)", M);
        kit_show_input(c, label, &b);
        Matrix A = kit_output_matrix(N, M);
        forward_perceptron(&A, &X, &W, &b);
        snprintf(label, sizeof label, "A (%dx%d) after forward_perceptron with X %dx%d, W %dx%d", N, M, N, D, D, M);
        kit_emit(c, label, &A, FORWARD_ABS_TOL, FORWARD_REL_TOL);
        snprintf(label, sizeof label, "X (%dx%d)", N, D);
        kit_emit_unchanged(c, "forward_perceptron", label, &X);
        snprintf(label, sizeof label, "W (%dx%d)", D, M);
        kit_emit_unchanged(c, "forward_perceptron", label, &W);
        snprintf(label, sizeof label, "b (1x%d)", M);
        kit_emit_unchanged(c, "forward_perceptron", label, &b);
        free_all(&X, &W, &b, &A);
    }
}

/* Every line w1 x1 + w2 x2 + b with w1, w2, b in {-2, -1.5, ..., 2}: 729 neurons in one layer. */
#define GRID_STEPS 9
#define GRID_LINES (GRID_STEPS * GRID_STEPS * GRID_STEPS)

static void check_forward_xor_lines(KitCase *c)
{
    Matrix X = kit_matrix_from(4, 2, points), W = kit_matrix_create(2, GRID_LINES), b = kit_matrix_create(1, GRID_LINES);
    int j = 0;
    for (int p = 0; p < GRID_STEPS; p++)
        for (int q = 0; q < GRID_STEPS; q++)
            for (int r = 0; r < GRID_STEPS; r++, j++) {
                W.data[j] = -2.0f + 0.5f * p;              /* w1 */
                W.data[GRID_LINES + j] = -2.0f + 0.5f * q; /* w2 */
                b.data[j] = -2.0f + 0.5f * r;
            }
    Matrix A = kit_output_matrix(4, GRID_LINES);
    kit_show_input(c, "X (the four points)", &X);
    forward_perceptron(&A, &X, &W, &b);
    kit_emit_unchanged(c, "forward_perceptron", "X (the four points)", &X);
    kit_emit_unchanged(c, "forward_perceptron", "W (2x729)", &W);
    kit_emit_unchanged(c, "forward_perceptron", "b (1x729)", &b);
    const float *labels[3] = {xor_labels, and_labels, or_labels};
    const char *names[3] = {"XOR", "AND", "OR"};
    for (int t = 0; t < 3; t++) {
        double best = 0.0;
        int at_best = 0, at_three = 0;
        for (int k = 0; k < GRID_LINES; k++) {
            double accuracy = column_accuracy(&A, k, labels[t]);
            if (accuracy > best)
                best = accuracy, at_best = 0;
            at_best += accuracy == best;
            at_three += accuracy == 0.75;
        }
        char label[160];
        snprintf(label, sizeof label, "%s: the best accuracy of the 729 grid lines (each a column of W, 2x729)",
                 names[t]);
        kit_emit_scalar(c, label, best, 0, 0);
        snprintf(label, sizeof label, "%s: how many grid lines reach that best accuracy", names[t]);
        kit_emit_scalar(c, label, at_best, 0, 0);
        snprintf(label, sizeof label, "%s: how many grid lines get exactly 3 of the 4 points right", names[t]);
        kit_emit_scalar(c, label, at_three, 0, 0);
    }
    free_all(&X, &W, &b, &A);
}

/* ---- binary_accuracy --------------------------------------------------- */

static void emit_accuracy(KitCase *c, const char *label, int rows, int cols, const float *a, const float *labels)
{
    Matrix A = kit_matrix_from(rows, cols, a), y = kit_matrix_from(rows, cols, labels);
    char name[160];
    snprintf(name, sizeof name, "A (%s)", label);
    kit_show_input(c, name, &A);
    snprintf(name, sizeof name, "y (%s)", label);
    kit_show_input(c, name, &y);
    snprintf(name, sizeof name, "binary_accuracy(A, y), %s", label);
    kit_emit_scalar(c, name, binary_accuracy(&A, &y), 1e-6, 0);
    snprintf(name, sizeof name, "A (%s)", label);
    kit_emit_unchanged(c, "binary_accuracy", name, &A);
    snprintf(name, sizeof name, "y (%s)", label);
    kit_emit_unchanged(c, "binary_accuracy", name, &y);
    kit_matrix_free(&A), kit_matrix_free(&y);
}

static void check_accuracy_cases(KitCase *c)
{
    const float a1[] = {0.9f, 0.2f, 0.5f, 0.4f}, y1[] = {1, 0, 0, 1};
    emit_accuracy(c, "the lesson's example, 4x1", 4, 1, a1, y1);
    const float a2[] = {0.5f, 0.5f, 0.5f}, y2[] = {1, 1, 0};
    emit_accuracy(c, "three outputs of exactly 0.5, each a prediction of 1", 3, 1, a2, y2);
    const float a3[] = {0.49999997f, 0.50000006f, 0.0f, 1.0f}, y3[] = {0, 1, 0, 1};
    emit_accuracy(c, "just below and just above 0.5, and 0 and 1", 4, 1, a3, y3);
    const float a4[] = {0.7f, 0.1f, 0.3f, 0.6f, 0.5f, 0.8f}, y4[] = {1, 1, 0, 1, 0, 1};
    emit_accuracy(c, "a 3x2 matrix: every element counts", 3, 2, a4, y4);
    const float a5[] = {0.1f, 0.9f}, y5[] = {1, 0};
    emit_accuracy(c, "all wrong", 2, 1, a5, y5);

    /* a random 37 x 3 case */
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 3102);
    Matrix A = kit_matrix_create(37, 3), y = kit_matrix_create(37, 3);
    kit_matrix_fill_uniform(&A, &rng, 0.0f, 1.0f);
    for (int i = 0; i < 37 * 3; i++)
        y.data[i] = kit_rng_uniform(&rng) < 0.5f ? 1.0f : 0.0f;
    kit_show_input(c, "A (random 37x3)", &A);
    kit_show_input(c, "y (random 37x3)", &y);
    kit_emit_scalar(c, "binary_accuracy(A, y), random 37x3", binary_accuracy(&A, &y), 1e-6, 0);
    kit_emit_unchanged(c, "binary_accuracy", "A (random 37x3)", &A);
    kit_emit_unchanged(c, "binary_accuracy", "y (random 37x3)", &y);
    kit_matrix_free(&A), kit_matrix_free(&y);
}

/* ---- train_perceptron -------------------------------------------------- */

/* Trains from W0 and b0 and emits W, b and the losses of every epoch. */
static void emit_training(KitCase *c, const char *what, const Matrix *X, const Matrix *y, const Matrix *W0,
                          const Matrix *b0, float lr, int epochs)
{
    Matrix W = kit_matrix_create(W0->rows, 1), b = kit_matrix_create(1, 1), losses = kit_output_matrix(1, epochs);
    kit_matrix_copy(&W, W0);
    kit_matrix_copy(&b, b0);
    train_perceptron(&W, &b, &losses, X, y, lr, epochs);
    char label[200];
    snprintf(label, sizeof label, "W after %d epochs, lr %g, %s", epochs, (double)lr, what);
    kit_emit(c, label, &W, TRAINING_ABS_TOL, TRAINING_REL_TOL);
    snprintf(label, sizeof label, "b after %d epochs, lr %g, %s", epochs, (double)lr, what);
    kit_emit(c, label, &b, TRAINING_ABS_TOL, TRAINING_REL_TOL);
    snprintf(label, sizeof label, "losses (1x%d), each epoch's loss before its step, %s", epochs, what);
    kit_emit(c, label, &losses, TRAINING_ABS_TOL, TRAINING_REL_TOL);
    kit_matrix_free(&W), kit_matrix_free(&b), kit_matrix_free(&losses);
}

static void check_train_lesson(KitCase *c)
{
    Matrix X = kit_matrix_from(4, 2, points), y = kit_matrix_from(4, 1, and_labels);
    Matrix W0 = kit_matrix_create(2, 1), b0 = kit_matrix_create(1, 1);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "y (AND)", &y);
    kit_show_input(c, "W (start)", &W0);
    kit_show_input(c, "b (start)", &b0);
    emit_training(c, "AND from W = 0, b = 0 (the lesson's example)", &X, &y, &W0, &b0, 1.0f, 2);
    const float w[] = {0.4f, -0.3f}, bias[] = {0.2f};
    Matrix W1 = kit_matrix_from(2, 1, w), b1 = kit_matrix_from(1, 1, bias);
    kit_show_input(c, "W (second start)", &W1);
    kit_show_input(c, "b (second start)", &b1);
    emit_training(c, "AND from W = [0.4, -0.3], b = 0.2", &X, &y, &W1, &b1, 0.5f, 5);
    kit_emit_unchanged(c, "train_perceptron", "X", &X);
    kit_emit_unchanged(c, "train_perceptron", "y (AND)", &y);
    free_all(&X, &y, &W0, &b0);
    kit_matrix_free(&W1), kit_matrix_free(&b1);
}

/* A random problem: X (N x D) normal with std 1.5, W (D x 1) normal with std 0.5, b uniform in [-0.5, 0.5], and
 * labels 0 or 1 at random. */
static void random_problem(KitCase *c, uint64_t salt, int N, int D, Matrix *X, Matrix *W, Matrix *b, Matrix *y)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + salt);
    *X = kit_matrix_create(N, D), *W = kit_matrix_create(D, 1), *b = kit_matrix_create(1, 1);
    *y = kit_matrix_create(N, 1);
    kit_matrix_fill_normal(X, &rng, 0.0f, 1.5f);
    kit_matrix_fill_normal(W, &rng, 0.0f, 0.5f);
    kit_matrix_fill_uniform(b, &rng, -0.5f, 0.5f);
    for (int i = 0; i < N; i++)
        y->data[i] = kit_rng_uniform(&rng) < 0.5f ? 1.0f : 0.0f;
}

static void check_train_random(KitCase *c)
{
    Matrix X, W0, b0, y;
    random_problem(c, 3103, 13, 4, &X, &W0, &b0, &y);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "y", &y);
    kit_show_input(c, "W (start)", &W0);
    kit_show_input(c, "b (start)", &b0);
    emit_training(c, "13 random rows of 4 inputs", &X, &y, &W0, &b0, 0.3f, 6);
    kit_emit_unchanged(c, "train_perceptron", "X", &X);
    kit_emit_unchanged(c, "train_perceptron", "y", &y);
    free_all(&X, &W0, &b0, &y);

    random_problem(c, 3104, 1, 3, &X, &W0, &b0, &y);
    kit_show_input(c, "X (one row)", &X);
    kit_show_input(c, "y (one row)", &y);
    kit_show_input(c, "W (start, one row)", &W0);
    kit_show_input(c, "b (start, one row)", &b0);
    emit_training(c, "a single random row of 3 inputs", &X, &y, &W0, &b0, 0.5f, 3);
    kit_emit_unchanged(c, "train_perceptron", "X (one row)", &X);
    kit_emit_unchanged(c, "train_perceptron", "y (one row)", &y);
    free_all(&X, &W0, &b0, &y);
}

/* The mean binary cross-entropy of sigmoid(XW + b) in double, as a function of W or b. */
typedef struct {
    const Matrix *X, *y;
    Matrix *W, *b;
} PerceptronProblem;

static double perceptron_loss(void *context)
{
    const PerceptronProblem *p = context;
    int N = p->X->rows, D = p->X->cols;
    double sum = 0.0;
    for (int i = 0; i < N; i++) {
        double z = p->b->data[0];
        for (int k = 0; k < D; k++)
            z += (double)p->X->data[i * D + k] * p->W->data[k];
        double softplus = z > 0 ? z + log1p(exp(-z)) : log1p(exp(z)); /* log(1 + e^z) = the loss when y = 0 */
        sum += softplus - p->y->data[i] * z;
    }
    return sum / N;
}

static void check_train_gradient(KitCase *c)
{
    Matrix X, W0, b0, y;
    random_problem(c, 3105, 11, 3, &X, &W0, &b0, &y);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "y", &y);
    kit_show_input(c, "W (start)", &W0);
    kit_show_input(c, "b (start)", &b0);
    /* one epoch with lr 1 moves W by exactly -dW and b by -db */
    Matrix W = kit_matrix_create(3, 1), b = kit_matrix_create(1, 1), losses = kit_output_matrix(1, 1);
    kit_matrix_copy(&W, &W0);
    kit_matrix_copy(&b, &b0);
    train_perceptron(&W, &b, &losses, &X, &y, 1.0f, 1);
    kit_emit_unchanged(c, "train_perceptron", "X", &X);
    kit_emit_unchanged(c, "train_perceptron", "y", &y);
    Matrix step_W = kit_matrix_create(3, 1), step_b = kit_matrix_create(1, 1);
    for (int k = 0; k < 3; k++)
        step_W.data[k] = W0.data[k] - W.data[k];
    step_b.data[0] = b0.data[0] - b.data[0];
    PerceptronProblem problem = {&X, &y, &W0, &b0};
    kit_check_gradient(c, "W", &step_W, &W0, perceptron_loss, &problem, 1e-3f, 1e-3);
    kit_check_gradient(c, "b", &step_b, &b0, perceptron_loss, &problem, 1e-3f, 1e-3);
    kit_emit_scalar(c, "losses[0]: the loss at the starting W and b", losses.data[0], TRAINING_ABS_TOL,
                    TRAINING_REL_TOL);
    free_all(&X, &W0, &b0, &y);
    free_all(&W, &b, &losses, &step_W);
    kit_matrix_free(&step_b);
}

/* ---- what a single layer can and cannot learn --------------------------- */

static void check_and_or(KitCase *c)
{
    const float *labels[2] = {and_labels, or_labels};
    const char *names[2] = {"AND", "OR"};
    Matrix X = kit_matrix_from(4, 2, points);
    kit_show_input(c, "X", &X);
    for (int t = 0; t < 2; t++) {
        Matrix y = kit_matrix_from(4, 1, labels[t]), W = kit_matrix_create(2, 1), b = kit_matrix_create(1, 1);
        Matrix losses = kit_output_matrix(1, LOGIC_EPOCHS);
        train_perceptron(&W, &b, &losses, &X, &y, LOGIC_LR, LOGIC_EPOCHS);
        char label[160];
        snprintf(label, sizeof label, "%s: accuracy on the four points after %d epochs of lr %g from W = 0, b = 0",
                 names[t], LOGIC_EPOCHS, (double)LOGIC_LR);
        kit_emit_scalar(c, label, line_accuracy(&W, &b, labels[t]), 0, 0);
        snprintf(label, sizeof label, "%s: the last epoch's loss is below 0.2 (1 = yes)", names[t]);
        kit_emit_scalar(c, label, losses.data[LOGIC_EPOCHS - 1] < 0.2f, 0, 0);
        snprintf(label, sizeof label, "y (%s)", names[t]);
        kit_emit_unchanged(c, "train_perceptron", label, &y);
        free_all(&y, &W, &b, &losses);
    }
    kit_emit_unchanged(c, "train_perceptron", "X", &X);
    kit_matrix_free(&X);
}

static void check_xor(KitCase *c)
{
    Matrix X = kit_matrix_from(4, 2, points), y = kit_matrix_from(4, 1, xor_labels);
    Matrix W = kit_matrix_create(2, 1), b = kit_matrix_create(1, 1);
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 3106);
    kit_matrix_fill_normal(&W, &rng, 0.0f, 1.0f);
    kit_matrix_fill_normal(&b, &rng, 0.0f, 1.0f);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "y (XOR)", &y);
    kit_show_input(c, "W (start)", &W);
    kit_show_input(c, "b (start)", &b);
    /* one epoch per call, to look at the accuracy after every step */
    Matrix losses = kit_output_matrix(1, XOR_EPOCHS), one = kit_output_matrix(1, 1), A = kit_output_matrix(4, 1);
    double best = 0.0;
    for (int e = 0; e < XOR_EPOCHS; e++) {
        train_perceptron(&W, &b, &one, &X, &y, XOR_LR, 1);
        if (e == 0) {
            kit_emit_unchanged(c, "train_perceptron", "X", &X);
            kit_emit_unchanged(c, "train_perceptron", "y (XOR)", &y);
        }
        losses.data[e] = one.data[0];
        forward_perceptron(&A, &X, &W, &b);
        /* W and b are the learner's trained ones here, not the reference's: forward_perceptron's checks above
         * show whether it changes them */
        if (e == 0)
            kit_emit_unchanged(c, "forward_perceptron", "X", &X);
        best = fmax(best, column_accuracy(&A, 0, xor_labels));
    }
    kit_emit_scalar(c, "no epoch's weights get more than 3 of the 4 XOR points right (1 = yes)", best <= 0.75, 0, 0);
    kit_emit(c, "losses (1x400), each epoch's loss before its step, lr 1", &losses, TRAINING_ABS_TOL,
             TRAINING_REL_TOL);
    kit_emit_scalar(c, "the last epoch's loss (log 2 = 0.693147 at the best possible line)",
                    losses.data[XOR_EPOCHS - 1], 1e-5, 0);
    kit_emit(c, "W after 400 epochs (the best weights for XOR are 0)", &W, 1e-3, 0);
    kit_emit(c, "b after 400 epochs (the best bias for XOR is 0)", &b, 1e-3, 0);
    free_all(&X, &y, &W, &b);
    kit_matrix_free(&losses), kit_matrix_free(&one), kit_matrix_free(&A);
}

const KitCheck kit_suite_checks[] = {
    {"forward-lesson", "forward_perceptron: the AND neuron of the lesson, and a layer of three neurons (2x3 W)", 2,
     "1.2 1.3",
     "A = sigmoid(XW + b): your linear_layer into A, then your sigmoid on A. With M neurons, W is D x M and b "
     "is 1 x M: bias j goes to column j.", 5, 0, check_forward_lesson},
    {"forward-random", "forward_perceptron: random shapes N x D times D x M, M from 1 to 7", 3, "1.2 1.3",
     "Use the shapes of the arguments (X->rows, X->cols, W->cols), not fixed sizes; X, W and b must not change.",
     5, 0, check_forward_random},
    {"forward-xor-lines", "forward_perceptron: 729 lines on the four points; none gets XOR right", 3, "1.2 1.3",
     "This check runs one layer of 729 neurons (W is 2x729) and counts, for each, the points where "
     "(a >= 0.5) is the label. Different counts mean a wrong A: sigmoid(0) must be exactly 0.5.", 5, 0,
     check_forward_xor_lines},
    {"binary-accuracy", "binary_accuracy: fixed cases (outputs of exactly 0.5, a 3x2 matrix) and a random 37x3", 2,
     "", "The prediction is 1 when a >= 0.5 (0.5 itself is a 1); count every element of A, and divide in float, "
     "not in int.", 5, 0, check_accuracy_cases},
    {"train-lesson", "train_perceptron: AND, 2 epochs from 0 (the lesson's example) and 5 from another start", 3,
     "1.2 1.3 2.1",
     "Each epoch: A = forward_perceptron(X, W, b), losses[epoch] = binary_cross_entropy(A, y) before the step, "
     "then W -= lr X^T (A - y) / N and b -= lr mean(A - y).", 5, 0, check_train_lesson},
    {"train-random", "train_perceptron: 13 random rows of 4 inputs (6 epochs) and a single row (3 epochs)", 2,
     "1.2 1.3 2.1", NULL, 5, 0, check_train_random},
    {"train-gradient", "train_perceptron: the step of one epoch (lr 1) against central differences of the loss", 2,
     "1.2 1.3 2.1",
     "With lr 1, one epoch moves W by -dW and b by -db, the gradient of the mean loss: X^T (A - y) / N and "
     "mean(A - y).", 5, 0, check_train_gradient},
    {"and-or-learned", "train_perceptron: AND and OR reach 100% on the four points in 100 epochs of lr 1", 2,
     "1.2 1.3 2.1",
     "From W = 0, b = 0, the bias must move too (AND and OR need one), and every step must go downhill.", 5, 0,
     check_and_or},
    {"xor-single-layer", "train_perceptron: XOR stays at most 75% right, and the loss settles at log 2", 3,
     "1.2 1.3 2.1",
     "The best a line can do on XOR is W = 0, b = 0 with loss log 2 = 0.6931: gradient descent must go there "
     "and stay.", 5, 0, check_xor},
};
const int kit_suite_check_count = sizeof kit_suite_checks / sizeof kit_suite_checks[0];
