/*
 * The demo of chapter 4.1: Deeper MLPs and Vanishing Gradients.
 * Run it with your code:  make run CH=4.1
 * It walks through the lesson and calls your functions from exercise.c (forward_mlp3 and
 * backward_mlp3) and of earlier chapters: linear_layer and vector_norm (1.2), sigmoid (1.3),
 * shuffle_indices and gather_rows (2.3), relu, relu_derivative, sigmoid_derivative and softmax (3.2),
 * one_hot and cross_entropy (3.3). The deep stacks of the vanishing-gradient study are built here,
 * from those functions; the 784 -> 256 -> 128 -> 10 network runs on your forward_mlp3 and backward_mlp3.
 */
#include "kit.h"
#include "course.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLASSES 10
#define BATCH 64
#define LEARNING_RATE 0.1f         /* the two deep stacks */
#define NETWORK_LEARNING_RATE 0.3f /* the 784 -> 256 -> 128 -> 10 network, as the accuracy check trains it */
#define LATE_LEARNING_RATE 0.03f   /* its last epoch */
#define H1 256
#define H2 128
#define EPOCHS 4
#define POINTS_PER_EPOCH 20 /* points of the loss curves per epoch */

/* The deep stack of the vanishing-gradient study: 784 -> 64 -> ... -> 64 -> 10, DEPTH weight layers. */
#define DEPTH 8
#define WIDTH 64
#define PROBE 256 /* the batch whose gradients are measured */

/* ---- small helpers ------------------------------------------------------ */

/* n with a comma between each group of three digits: 235146 -> "235,146". */
static const char *with_commas(long n, char *buffer, size_t size)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%ld", n);
    size_t length = strlen(digits), o = 0;
    for (size_t i = 0; i < length && o + 2 < size; i++) {
        if (i > 0 && (length - i) % 3 == 0)
            buffer[o++] = ',';
        buffer[o++] = digits[i];
    }
    buffer[o] = '\0';
    return buffer;
}

/* The rows start .. start + rows - 1 of M as a matrix header over the same memory (no copy). */
static Matrix rows_of(const Matrix *M, int start, int rows)
{
    Matrix view = {rows, M->cols, M->data + (size_t)start * M->cols};
    return view;
}

/* W -= lr dW, element by element. */
static void descend(Matrix *W, const Matrix *dW, float lr)
{
    size_t n = (size_t)W->rows * W->cols;
    for (size_t k = 0; k < n; k++)
        W->data[k] -= lr * dW->data[k];
}

/* The column sums of dZ (N x M) into db (1 x M). */
static void column_sums(Matrix *db, const Matrix *dZ)
{
    for (int j = 0; j < dZ->cols; j++) {
        float sum = 0.0f;
        for (int i = 0; i < dZ->rows; i++)
            sum += dZ->data[(size_t)i * dZ->cols + j];
        db->data[j] = sum;
    }
}

/* ---- the deep stack ------------------------------------------------------ */

/* DEPTH layers: W[l] is fan_in x fan_out, b[l] 1 x fan_out; the caches and scratch hold PROBE or BATCH rows. */
typedef struct {
    int use_relu; /* 1: ReLU hidden units, 0: sigmoid */
    Matrix W[DEPTH], b[DEPTH], dW[DEPTH], db[DEPTH];
    Matrix Z[DEPTH], A[DEPTH], dZ[DEPTH], slope[DEPTH];
    Matrix Y;
} Stack;

static int stack_width(int l) { return l == DEPTH - 1 ? CLASSES : WIDTH; }

static Stack stack_create(int use_relu, int inputs, int rows, uint64_t seed)
{
    Stack s;
    s.use_relu = use_relu;
    KitRng rng;
    kit_rng_seed(&rng, seed);
    for (int l = 0; l < DEPTH; l++) {
        int fan_in = l == 0 ? inputs : WIDTH, fan_out = stack_width(l);
        s.W[l] = kit_matrix_create(fan_in, fan_out), s.b[l] = kit_matrix_create(1, fan_out);
        s.dW[l] = kit_matrix_create(fan_in, fan_out), s.db[l] = kit_matrix_create(1, fan_out);
        /* sigmoid: std sqrt(1 / fan-in); ReLU: He, std sqrt(2 / fan-in); the output layer: sqrt(1 / fan-in) */
        float gain = use_relu && l < DEPTH - 1 ? 2.0f : 1.0f;
        kit_matrix_fill_normal(&s.W[l], &rng, 0.0f, sqrtf(gain / fan_in));
        s.Z[l] = kit_matrix_create(rows, fan_out), s.A[l] = kit_matrix_create(rows, fan_out);
        s.dZ[l] = kit_matrix_create(rows, fan_out), s.slope[l] = kit_matrix_create(rows, fan_out);
    }
    s.Y = kit_matrix_create(rows, CLASSES);
    return s;
}

static void stack_free(Stack *s)
{
    for (int l = 0; l < DEPTH; l++) {
        Matrix *all[] = {&s->W[l], &s->b[l], &s->dW[l], &s->db[l], &s->Z[l], &s->A[l], &s->dZ[l], &s->slope[l]};
        for (int k = 0; k < 8; k++)
            kit_matrix_free(all[k]);
    }
    kit_matrix_free(&s->Y);
}

/* Makes the batch matrices of s m rows tall (m <= the rows s was made for); no allocation. */
static void stack_rows(Stack *s, int m)
{
    for (int l = 0; l < DEPTH; l++)
        s->Z[l].rows = s->A[l].rows = s->dZ[l].rows = s->slope[l].rows = m;
    s->Y.rows = m;
}

/* The forward pass of the stack on X (m x 784): your linear_layer for each layer, your sigmoid or relu for
 * the hidden units, your softmax at the end. */
static void stack_forward(Stack *s, const Matrix *X)
{
    stack_rows(s, X->rows);
    for (int l = 0; l < DEPTH; l++) {
        linear_layer(&s->Z[l], l == 0 ? X : &s->A[l - 1], &s->W[l], &s->b[l]);
        if (l == DEPTH - 1)
            softmax(&s->A[l], &s->Z[l]);
        else if (s->use_relu)
            relu(&s->A[l], &s->Z[l]);
        else
            sigmoid(&s->A[l], &s->Z[l]);
    }
}

/* Forward and backward through the stack for the batch X (m x 784) with labels (m x 1); fills every dW and
 * db and returns the batch's loss (your cross_entropy). Backward: cblas_sgemm for the products, your
 * sigmoid_derivative or relu_derivative for the slopes. */
static float stack_forward_backward(Stack *s, const Matrix *X, const Matrix *labels)
{
    int m = X->rows;
    stack_forward(s, X);
    one_hot(&s->Y, labels);
    float loss = cross_entropy(&s->A[DEPTH - 1], &s->Y);
    /* dZ of the output layer: (A - Y) / m */
    Matrix *top = &s->dZ[DEPTH - 1];
    for (size_t k = 0; k < (size_t)m * CLASSES; k++)
        top->data[k] = (s->A[DEPTH - 1].data[k] - s->Y.data[k]) / m;
    for (int l = DEPTH - 1; l >= 0; l--) {
        const Matrix *input = l == 0 ? X : &s->A[l - 1];
        int fan_in = s->W[l].rows, fan_out = s->W[l].cols;
        /* dW[l] = input^T dZ[l], db[l] = column sums of dZ[l] */
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, fan_in, fan_out, m, 1.0f, input->data, fan_in,
                    s->dZ[l].data, fan_out, 0.0f, s->dW[l].data, fan_out);
        column_sums(&s->db[l], &s->dZ[l]);
        if (l == 0)
            break;
        /* dZ[l-1] = (dZ[l] W[l]^T) * f'(layer l-1) */
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, fan_in, fan_out, 1.0f, s->dZ[l].data, fan_out,
                    s->W[l].data, fan_out, 0.0f, s->dZ[l - 1].data, fan_in);
        if (s->use_relu)
            relu_derivative(&s->slope[l - 1], &s->Z[l - 1]);
        else
            sigmoid_derivative(&s->slope[l - 1], &s->A[l - 1]);
        for (size_t k = 0; k < (size_t)m * fan_in; k++)
            s->dZ[l - 1].data[k] *= s->slope[l - 1].data[k];
    }
    return loss;
}

static void stack_step(Stack *s, float lr)
{
    for (int l = 0; l < DEPTH; l++)
        descend(&s->W[l], &s->dW[l], lr), descend(&s->b[l], &s->db[l], lr);
}

/* The stack's accuracy on the test images, PROBE at a time through its own buffers; *classes gets the
 * number of different classes it predicts. */
static double stack_test_accuracy(Stack *s, const Matrix *images, const Matrix *labels, int *classes)
{
    long right = 0;
    int predicted[CLASSES] = {0};
    for (int first = 0; first < images->rows; first += PROBE) {
        int m = images->rows - first < PROBE ? images->rows - first : PROBE;
        Matrix Xt = rows_of(images, first, m), Lt = rows_of(labels, first, m);
        stack_forward(s, &Xt);
        right += (long)(kit_argmax_accuracy(&s->A[DEPTH - 1], &Lt) * m + 0.5);
        for (int i = 0; i < m; i++) {
            const float *row = s->A[DEPTH - 1].data + (size_t)i * CLASSES;
            int best = 0;
            for (int c = 1; c < CLASSES; c++)
                if (row[c] > row[best])
                    best = c;
            predicted[best] = 1;
        }
    }
    *classes = 0;
    for (int c = 0; c < CLASSES; c++)
        *classes += predicted[c];
    return (double)right / images->rows;
}

/* ---- the three-layer network --------------------------------------------- */

typedef struct {
    Mlp3 mlp;         /* the parameters */
    KitMlp3Work work; /* one batch (BATCH rows at most): X, labels, Y, the cache and the gradients */
} Network;

/* He initialisation from seed (W1, then W2, then W3), zero biases; a work for batches of rows rows. */
static Network network_create(int D, int examples, int rows, uint64_t seed)
{
    KitRng rng;
    kit_rng_seed(&rng, seed);
    Network n = {kit_mlp3_create(D, H1, H2, CLASSES, &rng), kit_mlp3_work_create(examples, rows, D, H1, H2, CLASSES)};
    return n;
}

static void network_free(Network *n)
{
    kit_mlp3_free(&n->mlp);
    kit_mlp3_work_free(&n->work);
}

static void network_forward(Network *n, const Matrix *X)
{
    forward_mlp3(&n->work.cache, X, &n->mlp);
}

/* One step on the batch in n->X and n->labels: forward, loss, backward, update. Returns the loss before the step. */
static float network_step(Network *n, float lr)
{
    KitMlp3Work *w = &n->work;
    one_hot(&w->Y, &w->labels);
    network_forward(n, &w->X);
    float loss = cross_entropy(&w->cache.A3, &w->Y);
    backward_mlp3(&w->gradients, &w->cache, &w->X, &w->Y, &n->mlp);
    Mlp3 *p = &n->mlp;
    Mlp3Gradients *g = &w->gradients;
    descend(&p->W1, &g->dW1, lr), descend(&p->b1, &g->db1, lr);
    descend(&p->W2, &g->dW2, lr), descend(&p->b2, &g->db2, lr);
    descend(&p->W3, &g->dW3, lr), descend(&p->b3, &g->db3, lr);
    return loss;
}

/* The loss and accuracy on images and labels, BATCH rows at a time through the network's own buffers. */
static void network_evaluate(Network *n, const Matrix *images, const Matrix *labels, double *loss, double *acc)
{
    double loss_sum = 0.0;
    long right = 0;
    for (int first = 0; first < images->rows; first += BATCH) {
        int m = images->rows - first < BATCH ? images->rows - first : BATCH;
        kit_mlp3_work_rows(&n->work, m);
        Matrix Xt = rows_of(images, first, m), Lt = rows_of(labels, first, m);
        one_hot(&n->work.Y, &Lt);
        network_forward(n, &Xt);
        loss_sum += (double)cross_entropy(&n->work.cache.A3, &n->work.Y) * m;
        right += (long)(kit_argmax_accuracy(&n->work.cache.A3, &Lt) * m + 0.5);
    }
    *loss = loss_sum / images->rows, *acc = (double)right / images->rows;
}

/* ---- main ------------------------------------------------------------------ */

int main(void)
{
    /* One OpenBLAS thread: for products of batches of 64 rows a second thread costs more than it gives on
     * this machine (the lesson measures it), and the printed numbers do not depend on the thread count. */
    openblas_set_num_threads(1);
    char error[1024], text[4][32];

    kit_section("A forward pass by hand: forward_mlp3");
    const float x[] = {1, 2, 0, -1}, w1[] = {1, -1, 0.5f, 0.5f, 1, -1}, bias1[] = {0, 0.5f, 0.5f};
    const float w2[] = {0.5f, -1, 1, 0.5f, -1, 1}, bias2[] = {0, -0.5f};
    const float w3[] = {1, 0, -1, 0.5f, 1, 0}, bias3[] = {0, 0, 0.5f}, y[] = {1, 0, 0, 0, 0, 1};
    Matrix X = kit_matrix_from(2, 2, x), Y = kit_matrix_from(2, 3, y);
    Mlp3 mlp = {kit_matrix_from(2, 3, w1), kit_matrix_from(1, 3, bias1), kit_matrix_from(3, 2, w2),
                kit_matrix_from(1, 2, bias2), kit_matrix_from(2, 3, w3), kit_matrix_from(1, 3, bias3)};
    Mlp3Cache cache = {kit_matrix_create(2, 3), kit_matrix_create(2, 3), kit_matrix_create(2, 2),
                       kit_matrix_create(2, 2), kit_matrix_create(2, 3), kit_matrix_create(2, 3)};
    forward_mlp3(&cache, &X, &mlp);
    kit_matrix_print("X", &X, 0);
    kit_matrix_print("Z1 = X W1 + b1", &cache.Z1, 2);
    kit_matrix_print("A1 = relu(Z1)", &cache.A1, 2);
    kit_matrix_print("Z2 = A1 W2 + b2", &cache.Z2, 2);
    kit_matrix_print("A2 = relu(Z2)", &cache.A2, 2);
    kit_matrix_print("Z3 = A2 W3 + b3", &cache.Z3, 2);
    kit_matrix_print("A3 = softmax(Z3)", &cache.A3, 4);
    printf("labels 0 and 2: cross_entropy(A3, Y) = %.4f = -(log %.4f + log %.4f) / 2\n", cross_entropy(&cache.A3, &Y),
           cache.A3.data[0], cache.A3.data[5]);

    kit_section("Backward by hand: backward_mlp3");
    Mlp3Gradients g;
    g.dW1 = kit_matrix_create(2, 3), g.db1 = kit_matrix_create(1, 3), g.dW2 = kit_matrix_create(3, 2);
    g.db2 = kit_matrix_create(1, 2), g.dW3 = kit_matrix_create(2, 3), g.db3 = kit_matrix_create(1, 3);
    g.dZ1 = kit_matrix_create(2, 3), g.dZ2 = kit_matrix_create(2, 2), g.dZ3 = kit_matrix_create(2, 3);
    backward_mlp3(&g, &cache, &X, &Y, &mlp);
    kit_matrix_print("dZ3 = (A3 - Y) / 2", &g.dZ3, 4);
    kit_matrix_print("dW3 = A2^T dZ3", &g.dW3, 4);
    kit_matrix_print("dZ2 = (dZ3 W3^T) * relu'(Z2)", &g.dZ2, 4);
    kit_matrix_print("dW2 = A1^T dZ2", &g.dW2, 4);
    kit_matrix_print("dZ1 = (dZ2 W2^T) * relu'(Z1)", &g.dZ1, 4);
    kit_matrix_print("dW1 = X^T dZ1", &g.dW1, 4);
    printf("db3 = [%.4f, %.4f, %.4f], db2 = [%.4f, %.4f], db1 = [%.4f, %.4f, %.4f]\n", g.db3.data[0], g.db3.data[1],
           g.db3.data[2], g.db2.data[0], g.db2.data[1], g.db1.data[0], g.db1.data[1], g.db1.data[2]);
    /* three elements against central differences of your forward_mlp3 and cross_entropy */
    printf("against central differences, h = 0.001 (your forward_mlp3 and cross_entropy):\n");
    struct {
        const char *name;
        Matrix *param, *grad;
        int index;
    } probes[] = {{"W1[1][0]", &mlp.W1, &g.dW1, 3}, {"W2[2][1]", &mlp.W2, &g.dW2, 5}, {"b3[1]   ", &mlp.b3, &g.db3, 1}};
    Mlp3Cache shifted = {kit_matrix_create(2, 3), kit_matrix_create(2, 3), kit_matrix_create(2, 2),
                         kit_matrix_create(2, 2), kit_matrix_create(2, 3), kit_matrix_create(2, 3)};
    for (int p = 0; p < 3; p++) {
        float *value = &probes[p].param->data[probes[p].index], saved = *value, h = 1e-3f;
        *value = saved + h;
        forward_mlp3(&shifted, &X, &mlp);
        double up = cross_entropy(&shifted.A3, &Y);
        *value = saved - h;
        forward_mlp3(&shifted, &X, &mlp);
        double down = cross_entropy(&shifted.A3, &Y);
        *value = saved;
        printf("  %s  backward %8.4f   numeric %8.4f\n", probes[p].name, probes[p].grad->data[probes[p].index],
               (up - down) / (2 * h));
    }

    kit_section("The data set");
    KitDatasetPlace place;
    KitDataset data;
    if (kit_dataset_find(&place, error, sizeof error) != 0) {
        fprintf(stderr, "error: %s\n", error);
        return 1;
    }
    if (kit_dataset_load(&data, &place, error, sizeof error) != 0) {
        fprintf(stderr, "error: %s\n", error);
        return 1;
    }
    printf("data set: %s, from %s\n", place.name, place.dir);
    int D = data.train_images.cols, N = data.train_images.rows;
    printf("training images %d x %d, test images %d x %d\n", N, D, data.test_images.rows, data.test_images.cols);

    kit_section("Shapes through 784 -> 256 -> 128 -> 10");
    long counts[] = {(long)D * H1, H1, (long)H1 * H2, H2, (long)H2 * CLASSES, CLASSES};
    long total = 0;
    for (int k = 0; k < 6; k++)
        total += counts[k];
    printf("X      %3d x %3d   a batch of %d images\n", BATCH, D, BATCH);
    printf("W1     %3d x %3d   b1   1 x %3d   Z1, A1 %d x %d\n", D, H1, H1, BATCH, H1);
    printf("W2     %3d x %3d   b2   1 x %3d   Z2, A2 %d x %d\n", H1, H2, H2, BATCH, H2);
    printf("W3     %3d x %3d   b3   1 x %3d   Z3, A3 %d x %d\n", H2, CLASSES, CLASSES, BATCH, CLASSES);
    printf("parameters: %s + %ld + %s + %ld + %s + %ld = %s (the 784 -> 256 -> 10 network of 3.3 has 203,530)\n",
           with_commas(counts[0], text[0], sizeof text[0]), counts[1], with_commas(counts[2], text[1], sizeof text[1]),
           counts[3], with_commas(counts[4], text[2], sizeof text[2]), counts[5],
           with_commas(total, text[3], sizeof text[3]));
    double forward_flops = 2.0 * ((double)D * H1 + (double)H1 * H2 + (double)H2 * CLASSES);
    double backward_flops = 2.0 * ((double)D * H1 + 2.0 * H1 * H2 + 2.0 * H2 * CLASSES);
    printf("floating-point operations per image: forward %.0f, backward %.0f (no dX: nothing flows into the pixels)\n",
           forward_flops, backward_flops);
    printf("one epoch of %s images: %.1f GFLOP\n", with_commas(N, text[0], sizeof text[0]),
           (forward_flops + backward_flops) * N / 1e9);

    kit_section("Vanishing gradients: a deep stack of 8 layers");
    Matrix probe_X = rows_of(&data.train_images, 0, PROBE), probe_labels = rows_of(&data.train_labels, 0, PROBE);
    Stack sig = stack_create(0, D, PROBE, 41), rel = stack_create(1, D, PROBE, 41);
    printf("784 -> 64 -> 64 -> 64 -> 64 -> 64 -> 64 -> 64 -> 10: %d weight layers, the same random numbers (seed 41)\n",
           DEPTH);
    printf("sigmoid stack: hidden weights with std sqrt(1 / fan-in); ReLU stack: std sqrt(2 / fan-in) (He)\n");
    float sig_loss = stack_forward_backward(&sig, &probe_X, &probe_labels);
    float rel_loss = stack_forward_backward(&rel, &probe_X, &probe_labels);
    printf("one forward and backward pass on the first %d training images: loss %.4f (sigmoid), %.4f (ReLU)\n",
           PROBE, sig_loss, rel_loss);
    float norms[4][DEPTH];
    printf("%-6s %16s %16s %14s %14s\n", "layer", "|dW| sigmoid", "|dW| ReLU", "std A sigmoid", "std A ReLU");
    for (int l = 0; l < DEPTH; l++) {
        norms[0][l] = vector_norm(&sig.dW[l]);
        norms[1][l] = vector_norm(&rel.dW[l]);
        double spread[2];
        Stack *both[] = {&sig, &rel};
        for (int s = 0; s < 2; s++) { /* the standard deviation of the layer's activations */
            const Matrix *A = &both[s]->A[l];
            double sum = 0.0, squares = 0.0;
            size_t n = (size_t)A->rows * A->cols;
            for (size_t k = 0; k < n; k++)
                sum += A->data[k];
            for (size_t k = 0; k < n; k++)
                squares += (A->data[k] - sum / n) * (A->data[k] - sum / n);
            spread[s] = sqrt(squares / n);
        }
        if (l < DEPTH - 1)
            printf("%-6d %16.3e %16.3e %14.4f %14.4f\n", l + 1, norms[0][l], norms[1][l], spread[0], spread[1]);
        else
            printf("%-6d %16.3e %16.3e %14s %14s\n", l + 1, norms[0][l], norms[1][l], "(softmax)", "(softmax)");
    }
    printf("layer 1 / layer 8: sigmoid %.2e, ReLU %.2f\n", norms[0][0] / norms[0][DEPTH - 1],
           norms[1][0] / norms[1][DEPTH - 1]);
    /* the sigmoid stack's slopes: the mean of sigmoid'(z) over each hidden layer */
    printf("the mean slope sigmoid'(z) of each hidden layer of the sigmoid stack:");
    for (int l = 0; l < DEPTH - 1; l++) {
        double sum = 0.0;
        size_t n = (size_t)sig.slope[l].rows * sig.slope[l].cols;
        for (size_t k = 0; k < n; k++)
            sum += sig.slope[l].data[k];
        printf(" %.3f", sum / n);
    }
    printf("\n");

    kit_section("Training the deep stacks for one epoch");
    int steps_per_epoch = (N + BATCH - 1) / BATCH, window = (steps_per_epoch + POINTS_PER_EPOCH - 1) / POINTS_PER_EPOCH;
    int *order = malloc(sizeof(int) * (size_t)N);
    Matrix batch_X = kit_matrix_create(BATCH, D), batch_labels = kit_matrix_create(BATCH, 1);
    float stack_curves[2][POINTS_PER_EPOCH];
    double stack_seconds[2];
    Stack *stacks[] = {&sig, &rel};
    const char *stack_names[] = {"sigmoid", "ReLU"};
    for (int s = 0; s < 2; s++) {
        KitRng shuffle;
        kit_rng_seed(&shuffle, 42);
        shuffle_indices(order, N, &shuffle);
        double window_sum = 0.0, started = kit_seconds();
        int window_rows = 0, point = 0;
        printf("%s stack, %d steps of %d, learning rate %.1f: loss", stack_names[s], steps_per_epoch, BATCH,
               LEARNING_RATE);
        for (int step = 0, start = 0; start < N; step++, start += BATCH) {
            int m = N - start < BATCH ? N - start : BATCH;
            batch_X.rows = batch_labels.rows = m;
            gather_rows(&batch_X, &data.train_images, order, start);
            gather_rows(&batch_labels, &data.train_labels, order, start);
            float loss = stack_forward_backward(stacks[s], &batch_X, &batch_labels);
            stack_step(stacks[s], LEARNING_RATE);
            window_sum += (double)loss * m, window_rows += m;
            if ((step + 1) % window == 0 || start + m >= N) {
                stack_curves[s][point++] = (float)(window_sum / window_rows);
                window_sum = 0.0, window_rows = 0;
            }
        }
        stack_seconds[s] = kit_seconds() - started;
        for (int p = 4; p < POINTS_PER_EPOCH; p += 5)
            printf(" %.4f", stack_curves[s][p]);
        printf(" (each the mean of %d steps)\n", window);
    }
    for (int s = 0; s < 2; s++) {
        stack_forward_backward(stacks[s], &probe_X, &probe_labels);
        for (int l = 0; l < DEPTH; l++)
            norms[2 + s][l] = vector_norm(&stacks[s]->dW[l]);
    }
    printf("%-6s %16s %16s   after the epoch, on the same %d images\n", "layer", "|dW| sigmoid", "|dW| ReLU", PROBE);
    for (int l = 0; l < DEPTH; l++)
        printf("%-6d %16.3e %16.3e\n", l + 1, norms[2][l], norms[3][l]);
    for (int s = 0; s < 2; s++) {
        int classes;
        double test_accuracy = stack_test_accuracy(stacks[s], &data.test_images, &data.test_labels, &classes);
        printf("%s stack: test accuracy %.2f%% after one epoch, %d of the 10 classes ever predicted (%.1f s)\n",
               stack_names[s], 100 * test_accuracy, classes, stack_seconds[s]);
    }
    const char *what[] = {"sigmoid stack, before training", "ReLU stack, before training",
                          "sigmoid stack, after one epoch", "ReLU stack, after one epoch"};
    KitCurve norm_curves[4];
    for (int k = 0; k < 4; k++)
        norm_curves[k] = (KitCurve){norms[k], DEPTH, what[k]};
    const KitChart norm_chart = {.title = "The gradient of each layer's weights", .x_label = "layer",
                                 .y_label = "|dW|", .log_y = 1, .x_first = 1};
    const char *path = kit_picture_path("4.1-gradient-norms.png");
    if (kit_plot_curves(path, &norm_chart, norm_curves, 4, error, sizeof error) != 0) {
        printf("could not draw the chart: %s\n", error);
    } else {
        double low = INFINITY, high = -INFINITY;
        for (int k = 0; k < 4; k++)
            for (int l = 0; l < DEPTH; l++)
                low = fmin(low, norms[k][l]), high = fmax(high, norms[k][l]);
        printf("gradient norms: %s\n", path);
        printf("x axis: layers 1 to %d; y axis: |dW| of the layer, log scale from %g to %g\n", DEPTH,
               pow(10, floor(log10(low))), pow(10, ceil(log10(high))));
        for (int k = 0; k < 4; k++)
            printf("  %s: %s\n", kit_plot_color_names[k], what[k]);
    }

    kit_section("Training 784 -> 256 -> 128 -> 10: your forward_mlp3 and backward_mlp3");
    Network net = network_create(D, N, BATCH, 43);
    printf("He initialisation (seed 43), zero biases; batches of %d, shuffles from seed 44\n", BATCH);
    printf("learning rate %.1f for the first %d epochs, %.2f for the last one\n", NETWORK_LEARNING_RATE, EPOCHS - 1,
           LATE_LEARNING_RATE);
    KitRng shuffle;
    kit_rng_seed(&shuffle, 44);
    float curve[EPOCHS * POINTS_PER_EPOCH];
    int point = 0;
    double epoch_seconds[EPOCHS];
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
        KitProgress progress;
        kit_progress_begin(&progress, epoch + 1, EPOCHS, steps_per_epoch);
        shuffle_indices(order, N, &shuffle);
        double window_sum = 0.0, started = kit_seconds();
        int window_rows = 0;
        for (int step = 0, start = 0; start < N; step++, start += BATCH) {
            int m = N - start < BATCH ? N - start : BATCH;
            kit_mlp3_work_rows(&net.work, m);
            gather_rows(&net.work.X, &data.train_images, order, start);
            gather_rows(&net.work.labels, &data.train_labels, order, start);
            float loss = network_step(&net, epoch < EPOCHS - 1 ? NETWORK_LEARNING_RATE : LATE_LEARNING_RATE);
            kit_progress_step(&progress, loss, &net.work.cache.A3, &net.work.labels);
            window_sum += (double)loss * m, window_rows += m;
            if ((step + 1) % window == 0 || start + m >= N) {
                curve[point++] = (float)(window_sum / window_rows);
                window_sum = 0.0, window_rows = 0;
            }
        }
        epoch_seconds[epoch] = kit_seconds() - started;
        kit_progress_end(&progress);
        double test_loss, test_accuracy;
        network_evaluate(&net, &data.test_images, &data.test_labels, &test_loss, &test_accuracy);
        printf("  test loss %.4f  test accuracy %.2f%%\n", test_loss, 100 * test_accuracy);
    }
    double fastest = epoch_seconds[0];
    for (int epoch = 1; epoch < EPOCHS; epoch++)
        fastest = fmin(fastest, epoch_seconds[epoch]);
    printf("the fastest epoch: %.2f s, %.1f GFLOP/s\n", fastest, (forward_flops + backward_flops) * N / fastest / 1e9);
    char network_name[64];
    snprintf(network_name, sizeof network_name, "784 -> 256 -> 128 -> 10, %d epochs", EPOCHS);
    KitCurve loss_curves[3] = {{curve, EPOCHS * POINTS_PER_EPOCH, network_name},
                               {stack_curves[1], POINTS_PER_EPOCH, "the 8-layer ReLU stack, one epoch"},
                               {stack_curves[0], POINTS_PER_EPOCH, "the 8-layer sigmoid stack, one epoch"}};
    const KitChart loss_chart = {.title = "Training loss", .x_label = "epoch", .y_label = "loss", .log_y = 1,
                                 .x_first = 1.0f / POINTS_PER_EPOCH, .x_step = 1.0f / POINTS_PER_EPOCH};
    path = kit_picture_path("4.1-training-loss.png");
    if (kit_plot_curves(path, &loss_chart, loss_curves, 3, error, sizeof error) != 0) {
        printf("could not draw the chart: %s\n", error);
    } else {
        double low = INFINITY, high = -INFINITY;
        for (int k = 0; k < 3; k++)
            for (int i = 0; i < loss_curves[k].count; i++)
                low = fmin(low, loss_curves[k].values[i]), high = fmax(high, loss_curves[k].values[i]);
        printf("loss curves: %s\n", path);
        printf("x axis: %d points per epoch (each the mean loss of %d steps); y axis: log scale from %g to %g\n",
               POINTS_PER_EPOCH, window, pow(10, floor(log10(low))), pow(10, ceil(log10(high))));
        printf("  %s: 784 -> 256 -> 128 -> 10, %d epochs\n", kit_plot_color_names[0], EPOCHS);
        printf("  %s: the 8-layer ReLU stack, one epoch\n", kit_plot_color_names[1]);
        printf("  %s: the 8-layer sigmoid stack, one epoch\n", kit_plot_color_names[2]);
    }

    kit_section("Where the time goes");
    kit_mlp3_work_rows(&net.work, BATCH);
    gather_rows(&net.work.X, &data.train_images, order, 0);
    gather_rows(&net.work.labels, &data.train_labels, order, 0);
    one_hot(&net.work.Y, &net.work.labels);
    int repeats = 300;
    network_forward(&net, &net.work.X);
    double started = kit_seconds();
    for (int r = 0; r < repeats; r++)
        network_forward(&net, &net.work.X);
    double forward_seconds = (kit_seconds() - started) / repeats;
    started = kit_seconds();
    for (int r = 0; r < repeats; r++)
        backward_mlp3(&net.work.gradients, &net.work.cache, &net.work.X, &net.work.Y, &net.mlp);
    double backward_seconds = (kit_seconds() - started) / repeats;
    printf("a batch of %d (the mean of %d calls): forward_mlp3 %.3f ms, %.1f GFLOP/s\n", BATCH, repeats,
           1000 * forward_seconds, forward_flops * BATCH / forward_seconds / 1e9);
    printf("                                  backward_mlp3 %.3f ms, %.1f GFLOP/s\n", 1000 * backward_seconds,
           backward_flops * BATCH / backward_seconds / 1e9);
    printf("%d such steps make an epoch: %.2f s in the two passes alone\n", steps_per_epoch,
           steps_per_epoch * (forward_seconds + backward_seconds));

    Matrix *all[] = {&X,          &Y,          &cache.Z1,   &cache.A1,   &cache.Z2,   &cache.A2,   &cache.Z3,
                     &cache.A3,   &g.dW1,      &g.db1,      &g.dW2,      &g.db2,      &g.dW3,      &g.db3,
                     &g.dZ1,      &g.dZ2,      &g.dZ3,      &shifted.Z1, &shifted.A1, &shifted.Z2, &shifted.A2,
                     &shifted.Z3, &shifted.A3, &batch_X,    &batch_labels};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        kit_matrix_free(all[i]);
    stack_free(&sig), stack_free(&rel);
    kit_mlp3_free(&mlp);
    network_free(&net);
    free(order);
    kit_dataset_free(&data);
    return 0;
}
