/*
 * The demo of chapter 3.1: Single-Layer Perceptrons.
 * Run it with your code:  make run CH=3.1
 * It walks through the lesson and calls your functions from exercise.c (and, through them,
 * your linear_layer of chapter 1.2, your sigmoid of 1.3 and your binary_cross_entropy of 2.1).
 * The last part trains a network of two layers on XOR with loops written here: a preview of
 * chapters 3.3 and 3.4.
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define PICTURE_EPOCHS 1000
#define TWO_LAYER_EPOCHS 5000
#define TWO_LAYER_LR 2.0f
#define TWO_LAYER_SEEDS 20

/* The four points of a truth table, and the labels of the three gates. */
static const float points[] = {0, 0, 0, 1, 1, 0, 1, 1};
static const float and_labels[] = {0, 0, 0, 1}, or_labels[] = {0, 1, 1, 1}, xor_labels[] = {0, 1, 1, 0};

/* v for printing with 4 decimals: 0 when it would print as -0.0000. */
static float tidy(float v)
{
    return fabsf(v) < 0.00005f ? 0.0f : v;
}

/* The truth table of one neuron: the inputs, the label, its output a and its prediction. */
static void print_predictions(const Matrix *X, const Matrix *y, const Matrix *A)
{
    printf("  x1 x2 | y | a       prediction\n");
    for (int i = 0; i < X->rows; i++)
        printf("  %2.0f %2.0f | %.0f | %.4f  %d\n", X->data[2 * i], X->data[2 * i + 1], y->data[i], A->data[i],
               A->data[i] >= 0.5f);
}

/* The line w1 x1 + w2 x2 + b = 0 where the neuron's output is exactly 0.5. */
static void print_boundary(const Matrix *W, const Matrix *b)
{
    float w1 = W->data[0], w2 = W->data[1], bias = b->data[0];
    printf("boundary: %.4f x1 + %.4f x2 %c %.4f = 0", tidy(w1), tidy(w2), bias < 0 ? '-' : '+', fabsf(bias));
    if (fabsf(w2) > 1e-6f)
        printf(", that is x2 = %.4f %c %.4f x1\n", tidy(-bias / w2), -w1 / w2 < 0 ? '-' : '+', fabsf(w1 / w2));
    else
        printf("\n");
}

/* Trains one neuron epoch by epoch on a gate's four points and reports the loss and accuracy of its weights after
 * the epochs listed, and when it first gets all four right. losses (1 x epochs) gets what train_perceptron records. */
static void train_gate(const char *name, Matrix *W, Matrix *b, Matrix *losses, const Matrix *X, const Matrix *y,
                       float lr, int epochs, const int *report, int report_count)
{
    Matrix A = kit_matrix_create(4, 1), one = kit_matrix_create(1, 1);
    int first_perfect = -1, next = 0;
    printf("%s: lr %g, W = [%.4f, %.4f], b = %.4f at the start\n", name, (double)lr, W->data[0], W->data[1],
           b->data[0]);
    printf("  epochs   loss    accuracy   W                   b\n");
    for (int e = 0; e <= epochs; e++) {
        if (e > 0) {
            train_perceptron(W, b, &one, X, y, lr, 1);
            losses->data[e - 1] = one.data[0];
        }
        forward_perceptron(&A, X, W, b);
        float accuracy = binary_accuracy(&A, y);
        if (accuracy == 1.0f && first_perfect < 0)
            first_perfect = e;
        if (next < report_count && report[next] == e) {
            printf("  %6d   %.4f  %6.2f%%    [%8.4f, %8.4f]  %8.4f\n", e, binary_cross_entropy(&A, y),
                   100 * accuracy, tidy(W->data[0]), tidy(W->data[1]), tidy(b->data[0]));
            next++;
        }
    }
    if (first_perfect >= 0)
        printf("all four points right for the first time after %d epochs\n", first_perfect);
    else
        printf("never all four points right in %d epochs\n", epochs);
    kit_matrix_free(&A), kit_matrix_free(&one);
}

/* ---- a network of two layers, trained with loops written here ---------- */

/* X (4 x 2) -> H = sigmoid(X W1 + b1) (4 x hidden) -> A = sigmoid(H W2 + b2) (4 x 1), with scratch for training. */
typedef struct {
    int hidden;
    Matrix W1, b1, W2, b2;
    Matrix H, A, dH;
} TwoLayer;

static TwoLayer two_layer_create(int hidden)
{
    TwoLayer net = {hidden,
                    kit_matrix_create(2, hidden), kit_matrix_create(1, hidden),
                    kit_matrix_create(hidden, 1), kit_matrix_create(1, 1),
                    kit_matrix_create(4, hidden), kit_matrix_create(4, 1), kit_matrix_create(4, hidden)};
    return net;
}

static void two_layer_free(TwoLayer *net)
{
    Matrix *all[] = {&net->W1, &net->b1, &net->W2, &net->b2, &net->H, &net->A, &net->dH};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        kit_matrix_free(all[i]);
}

/* Weights normal with std 1 from seed, biases 0. */
static void two_layer_init(TwoLayer *net, uint64_t seed)
{
    KitRng rng;
    kit_rng_seed(&rng, seed);
    kit_matrix_fill_normal(&net->W1, &rng, 0.0f, 1.0f);
    kit_matrix_fill_normal(&net->W2, &rng, 0.0f, 1.0f);
    kit_matrix_fill(&net->b1, 0.0f);
    kit_matrix_fill(&net->b2, 0.0f);
}

/* The forward pass: two calls of your forward_perceptron. */
static void two_layer_forward(TwoLayer *net, const Matrix *X)
{
    forward_perceptron(&net->H, X, &net->W1, &net->b1);
    forward_perceptron(&net->A, &net->H, &net->W2, &net->b2);
}

/* Full-batch gradient descent on the binary cross-entropy; losses[e] (may be NULL) gets each epoch's loss. */
static void two_layer_train(TwoLayer *net, float *losses, const Matrix *X, const Matrix *y, float lr, int epochs)
{
    int N = X->rows, D = X->cols, Hn = net->hidden;
    float *h = net->H.data, *a = net->A.data, *dh = net->dH.data;
    for (int e = 0; e < epochs; e++) {
        two_layer_forward(net, X);
        if (losses)
            losses[e] = binary_cross_entropy(&net->A, y);
        float dz2[4]; /* dL/dz2 = (a - y) / N, as for one neuron */
        for (int i = 0; i < N; i++)
            dz2[i] = (a[i] - y->data[i]) / N;
        /* dH = dz2 W2^T, then dZ1 = dH * h (1 - h): the sigmoid's slope of the hidden layer (kept in dH) */
        for (int i = 0; i < N; i++)
            for (int j = 0; j < Hn; j++)
                dh[i * Hn + j] = dz2[i] * net->W2.data[j] * h[i * Hn + j] * (1.0f - h[i * Hn + j]);
        /* the output layer: dW2 = H^T dz2, db2 = sum dz2 */
        float db2 = 0.0f;
        for (int i = 0; i < N; i++)
            db2 += dz2[i];
        for (int j = 0; j < Hn; j++) {
            float g = 0.0f;
            for (int i = 0; i < N; i++)
                g += h[i * Hn + j] * dz2[i];
            net->W2.data[j] -= lr * g;
        }
        net->b2.data[0] -= lr * db2;
        /* the hidden layer: dW1 = X^T dZ1, db1 = the column sums of dZ1 */
        for (int j = 0; j < Hn; j++) {
            for (int k = 0; k < D; k++) {
                float g = 0.0f;
                for (int i = 0; i < N; i++)
                    g += X->data[i * D + k] * dh[i * Hn + j];
                net->W1.data[k * Hn + j] -= lr * g;
            }
            float g = 0.0f;
            for (int i = 0; i < N; i++)
                g += dh[i * Hn + j];
            net->b1.data[j] -= lr * g;
        }
    }
}

int main(void)
{
    Matrix X = kit_matrix_from(4, 2, points);
    Matrix y_and = kit_matrix_from(4, 1, and_labels), y_or = kit_matrix_from(4, 1, or_labels);
    Matrix y_xor = kit_matrix_from(4, 1, xor_labels);

    kit_section("One neuron: forward_perceptron");
    const float w_and[] = {1, 1}, b_and[] = {-1.5f};
    Matrix W = kit_matrix_from(2, 1, w_and), b = kit_matrix_from(1, 1, b_and), A = kit_matrix_create(4, 1);
    forward_perceptron(&A, &X, &W, &b);
    printf("W = [1, 1], b = -1.5: z = x1 + x2 - 1.5, a = sigmoid(z)\n");
    print_predictions(&X, &y_and, &A);
    print_boundary(&W, &b);
    printf("binary_accuracy against AND: %.2f\n", binary_accuracy(&A, &y_and));

    kit_section("A layer of three neurons (W is 2 x 3)");
    const float w3[] = {1, 1, -1, 1, 1, -1}, b3[] = {-1.5f, -0.5f, 1.5f};
    const float labels3[] = {0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0}; /* AND, OR, NAND of each point */
    Matrix W3 = kit_matrix_from(2, 3, w3), b3m = kit_matrix_from(1, 3, b3), A3 = kit_matrix_create(4, 3);
    Matrix y3 = kit_matrix_from(4, 3, labels3);
    forward_perceptron(&A3, &X, &W3, &b3m);
    kit_matrix_print("W (columns: AND, OR, NAND)", &W3, 1);
    kit_matrix_print("b", &b3m, 1);
    kit_matrix_print("A = sigmoid(XW + b), one column per neuron", &A3, 4);
    printf("binary_accuracy of all 12 outputs against the three truth tables: %.2f\n", binary_accuracy(&A3, &y3));

    kit_section("Training a neuron on AND");
    const int report[] = {0, 1, 2, 5, 10, 16, 20, 50, 100};
    Matrix losses_and = kit_matrix_create(1, PICTURE_EPOCHS), losses_or = kit_matrix_create(1, PICTURE_EPOCHS);
    kit_matrix_fill(&W, 0.0f), kit_matrix_fill(&b, 0.0f);
    train_gate("AND", &W, &b, &losses_and, &X, &y_and, 1.0f, 100, report, 9);
    forward_perceptron(&A, &X, &W, &b);
    print_predictions(&X, &y_and, &A);
    print_boundary(&W, &b);

    kit_section("Training a neuron on OR");
    kit_matrix_fill(&W, 0.0f), kit_matrix_fill(&b, 0.0f);
    train_gate("OR", &W, &b, &losses_or, &X, &y_or, 1.0f, 100, report, 9);
    forward_perceptron(&A, &X, &W, &b);
    print_predictions(&X, &y_or, &A);
    print_boundary(&W, &b);

    kit_section("Training a neuron on XOR");
    const int xor_report[] = {0, 1, 10, 50, 100, 200, 300, 400, 1000};
    Matrix losses_xor = kit_matrix_create(1, PICTURE_EPOCHS);
    KitRng rng;
    kit_rng_seed(&rng, 7);
    kit_matrix_fill_normal(&W, &rng, 0.0f, 1.0f);
    kit_matrix_fill_normal(&b, &rng, 0.0f, 1.0f);
    printf("a random start (normal numbers, seed 7)\n");
    train_gate("XOR", &W, &b, &losses_xor, &X, &y_xor, 1.0f, PICTURE_EPOCHS, xor_report, 9);
    forward_perceptron(&A, &X, &W, &b);
    print_predictions(&X, &y_xor, &A);
    printf("log 2 = %.4f\n", log(2.0));
    /* from W = 0, b = 0 nothing moves: the gradient there is exactly 0 */
    Matrix zero_start_losses = kit_matrix_create(1, 100);
    kit_matrix_fill(&W, 0.0f), kit_matrix_fill(&b, 0.0f);
    train_perceptron(&W, &b, &zero_start_losses, &X, &y_xor, 1.0f, 100);
    printf("from W = 0, b = 0: after 100 epochs W = [%g, %g], b = %g, loss %.4f\n", W.data[0], W.data[1], b.data[0],
           zero_start_losses.data[99]);

    kit_section("XOR: every line of a grid");
    enum { STEPS = 9, LINES = STEPS * STEPS * STEPS };
    Matrix W_grid = kit_matrix_create(2, LINES), b_grid = kit_matrix_create(1, LINES);
    Matrix A_grid = kit_matrix_create(4, LINES), column = kit_matrix_create(4, 1);
    for (int p = 0, j = 0; p < STEPS; p++)
        for (int q = 0; q < STEPS; q++)
            for (int r = 0; r < STEPS; r++, j++) {
                W_grid.data[j] = -2.0f + 0.5f * p;
                W_grid.data[LINES + j] = -2.0f + 0.5f * q;
                b_grid.data[j] = -2.0f + 0.5f * r;
            }
    forward_perceptron(&A_grid, &X, &W_grid, &b_grid);
    printf("%d neurons in one layer: w1, w2 and b each in {-2, -1.5, ..., 2}; A is 4 x %d\n", LINES, LINES);
    printf("points right   XOR   AND    OR\n");
    const Matrix *gates[3] = {&y_xor, &y_and, &y_or};
    int counts[3][5] = {{0}}, best_xor = -1;
    for (int j = 0; j < LINES; j++) {
        for (int i = 0; i < 4; i++)
            column.data[i] = A_grid.data[i * LINES + j];
        for (int g = 0; g < 3; g++) {
            int right = (int)lroundf(4 * binary_accuracy(&column, gates[g]));
            counts[g][right]++;
            if (g == 0 && right == 3 && best_xor < 0)
                best_xor = j;
        }
    }
    for (int right = 0; right <= 4; right++)
        printf("  %d of 4      %5d %5d %5d\n", right, counts[0][right], counts[1][right], counts[2][right]);
    printf("the first line with 3 of 4 XOR points right: w1 = %.1f, w2 = %.1f, b = %.1f\n", W_grid.data[best_xor],
           W_grid.data[LINES + best_xor], b_grid.data[best_xor]);

    kit_section("Two layers solve XOR (weights set by hand)");
    const float w_hidden[] = {20, -20, 20, -20}, b_hidden[] = {-10, 30}, w_out[] = {20, 20}, b_out[] = {-30};
    Matrix W1 = kit_matrix_from(2, 2, w_hidden), b1 = kit_matrix_from(1, 2, b_hidden);
    Matrix W2 = kit_matrix_from(2, 1, w_out), b2 = kit_matrix_from(1, 1, b_out), H = kit_matrix_create(4, 2);
    forward_perceptron(&H, &X, &W1, &b1);
    forward_perceptron(&A, &H, &W2, &b2);
    printf("hidden neuron 1 (OR):   20 x1 + 20 x2 - 10\n");
    printf("hidden neuron 2 (NAND): -20 x1 - 20 x2 + 30\n");
    printf("output (AND of the two): 20 h1 + 20 h2 - 30\n");
    printf("  x1 x2 | h1      h2      | a       prediction | XOR\n");
    for (int i = 0; i < 4; i++)
        printf("  %2.0f %2.0f | %.4f  %.4f  | %.4f  %d          | %.0f\n", points[2 * i], points[2 * i + 1],
               H.data[2 * i], H.data[2 * i + 1], A.data[i], A.data[i] >= 0.5f, xor_labels[i]);
    printf("binary_accuracy: %.2f, loss %.6f\n", binary_accuracy(&A, &y_xor), binary_cross_entropy(&A, &y_xor));

    kit_section("Two layers trained by gradient descent");
    printf("weights normal with std 1, biases 0, lr %g, %d epochs of the full batch, seeds 1 to %d\n",
           (double)TWO_LAYER_LR, TWO_LAYER_EPOCHS, TWO_LAYER_SEEDS);
    const int hidden_sizes[2] = {2, 4};
    for (int s = 0; s < 2; s++) {
        TwoLayer net = two_layer_create(hidden_sizes[s]);
        int solved = 0, first_failure = 0;
        char failures[512] = "";
        size_t used = 0;
        for (int seed = 1; seed <= TWO_LAYER_SEEDS; seed++) {
            two_layer_init(&net, (uint64_t)seed);
            two_layer_train(&net, NULL, &X, &y_xor, TWO_LAYER_LR, TWO_LAYER_EPOCHS);
            two_layer_forward(&net, &X);
            float accuracy = binary_accuracy(&net.A, &y_xor);
            if (accuracy == 1.0f) {
                solved++;
                continue;
            }
            if (first_failure == 0)
                first_failure = seed;
            if (used < sizeof failures - 64) {
                used += (size_t)snprintf(failures + used, sizeof failures - used, "\n  seed %2d: %.0f%% right, loss %.4f",
                                         seed, 100 * accuracy, binary_cross_entropy(&net.A, &y_xor));
            }
        }
        printf("2-%d-1 network: %d of %d seeds get all four points right%s%s\n", hidden_sizes[s], solved,
               TWO_LAYER_SEEDS, solved < TWO_LAYER_SEEDS ? "; the others:" : "", failures);
        if (first_failure > 0) {
            two_layer_init(&net, (uint64_t)first_failure);
            two_layer_train(&net, NULL, &X, &y_xor, TWO_LAYER_LR, TWO_LAYER_EPOCHS);
            two_layer_forward(&net, &X);
            printf("2-%d-1, seed %d, after %d epochs:\n", hidden_sizes[s], first_failure, TWO_LAYER_EPOCHS);
            kit_matrix_print("its hidden layer H, one row per point", &net.H, 4);
            print_predictions(&X, &y_xor, &net.A);
        }
        two_layer_free(&net);
    }
    TwoLayer net = two_layer_create(4);
    float *losses_net = malloc(TWO_LAYER_EPOCHS * sizeof *losses_net);
    two_layer_init(&net, 1);
    two_layer_train(&net, losses_net, &X, &y_xor, TWO_LAYER_LR, TWO_LAYER_EPOCHS);
    two_layer_forward(&net, &X);
    printf("2-4-1, seed 1: loss %.4f after 1 epoch, %.4f after 100, %.4f after 1000, %.4f after %d\n", losses_net[0],
           losses_net[99], losses_net[999], binary_cross_entropy(&net.A, &y_xor), TWO_LAYER_EPOCHS);
    kit_matrix_print("its hidden layer H, one row per point", &net.H, 4);
    print_predictions(&X, &y_xor, &net.A);

    kit_section("Loss curves");
    const char *labels[4] = {"AND, one neuron", "OR, one neuron",
                             "XOR, one neuron: flat at log 2", "XOR, the 2-4-1 network, seed 1"};
    KitCurve curves[4] = {{losses_and.data, PICTURE_EPOCHS, labels[0]}, {losses_or.data, PICTURE_EPOCHS, labels[1]},
                          {losses_xor.data, PICTURE_EPOCHS, labels[2]}, {losses_net, PICTURE_EPOCHS, labels[3]}};
    /* AND and OR were trained for 100 epochs above: carry on to PICTURE_EPOCHS for the picture */
    for (int g = 0; g < 2; g++) {
        Matrix *losses = g == 0 ? &losses_and : &losses_or;
        const Matrix *y = g == 0 ? &y_and : &y_or;
        kit_matrix_fill(&W, 0.0f), kit_matrix_fill(&b, 0.0f);
        train_perceptron(&W, &b, losses, &X, y, 1.0f, PICTURE_EPOCHS);
    }
    const char *path = kit_picture_path("3.1-loss-curves.png");
    char error[512];
    const KitChart chart = {.title = "Loss curves of the logic gates", .x_label = "epoch",
                            .y_label = "loss before the epoch's step", .log_y = 1, .x_first = 1};
    if (kit_plot_curves(path, &chart, curves, 4, error, sizeof error) != 0) {
        printf("could not draw the chart: %s\n", error);
    } else {
        double low = INFINITY, high = -INFINITY;
        for (int c = 0; c < 4; c++)
            for (int e = 0; e < PICTURE_EPOCHS; e++)
                low = fmin(low, curves[c].values[e]), high = fmax(high, curves[c].values[e]);
        printf("loss curves: %s\n", path);
        printf("x axis: epochs 1 to %d; y axis: the loss before each epoch's step, log scale from %g to %g\n",
               PICTURE_EPOCHS, pow(10, floor(log10(low))), pow(10, ceil(log10(high))));
        for (int c = 0; c < 4; c++)
            printf("  %s: %s\n", kit_plot_color_names[c], labels[c]);
    }

    Matrix *all[] = {&X, &y_and, &y_or, &y_xor, &W, &b, &A, &W3, &b3m, &A3, &y3, &losses_and, &losses_or,
                     &losses_xor, &zero_start_losses, &W_grid, &b_grid, &A_grid, &column, &W1, &b1, &W2, &b2, &H};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        kit_matrix_free(all[i]);
    two_layer_free(&net);
    free(losses_net);
    return 0;
}
