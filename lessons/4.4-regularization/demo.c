/*
 * The demo of chapter 4.4: Regularization Techniques.
 * Run it with your code:  make run CH=4.4
 * It walks through the lesson and calls your functions from exercise.c (l2_regularization, dropout and
 * train_mlp_step_regularized) and of earlier chapters: linear_layer (1.2), shuffle_indices and gather_rows
 * (2.3), relu and softmax (3.2), one_hot, forward_mlp and cross_entropy (3.3), train_mlp_step (3.4).
 * Then it trains the 784 -> 256 -> 10 network on a small part of the training set with and without
 * regularization, and measures each setting on the training images and on the test images.
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void openblas_set_num_threads(int num_threads); /* from OpenBLAS's cblas.h */

#define CLASSES 10
#define HIDDEN 256
#define BATCH 64
#define SUBSET 2000         /* the training images used: the first SUBSET of the training set */
#define EPOCHS 60
#define MEASURE_EVERY 3     /* epochs between two measurements of the training and test sets */
#define POINTS (EPOCHS / MEASURE_EVERY)
#define LATE_EPOCHS 10      /* the last epochs, with a tenth of the learning rate */
#define LEARNING_RATE 0.1f
#define EVAL_ROWS 1000      /* rows per forward pass when measuring accuracy */

/* ---- small helpers ------------------------------------------------------ */

/* The rows start .. start + rows - 1 of M as a matrix header over the same memory (no copy). */
static Matrix rows_of(const Matrix *M, int start, int rows)
{
    Matrix view = {rows, M->cols, M->data + (size_t)start * M->cols};
    return view;
}

/* sqrt(sum of squares) of all the elements of M, in double. */
static double norm_of(const Matrix *M)
{
    double sum = 0.0;
    for (size_t k = 0; k < (size_t)M->rows * M->cols; k++)
        sum += (double)M->data[k] * M->data[k];
    return sqrt(sum);
}

/* The largest |a - b| over the elements of two matrices of the same shape. */
static double largest_difference(const Matrix *a, const Matrix *b)
{
    double largest = 0.0;
    for (size_t k = 0; k < (size_t)a->rows * a->cols; k++)
        largest = fmax(largest, fabs((double)a->data[k] - b->data[k]));
    return largest;
}

/* The regularized loss of the small network with a fixed mask, with your functions: linear_layer, relu, the
 * mask applied by hand, linear_layer, softmax, cross_entropy, plus l2_regularization of W1 and W2. */
typedef struct {
    Matrix Z1, A1, Z2, A2;
} Scratch;

static float loss_with_mask(Scratch *s, const Matrix *X, const Matrix *Y, const Matrix *W1, const Matrix *b1,
                            const Matrix *W2, const Matrix *b2, const Matrix *mask, float lambda)
{
    linear_layer(&s->Z1, X, W1, b1);
    relu(&s->A1, &s->Z1);
    for (size_t k = 0; k < (size_t)s->A1.rows * s->A1.cols; k++)
        s->A1.data[k] *= mask->data[k];
    linear_layer(&s->Z2, &s->A1, W2, b2);
    softmax(&s->A2, &s->Z2);
    return cross_entropy(&s->A2, Y) + l2_regularization(NULL, W1, lambda) + l2_regularization(NULL, W2, lambda);
}

/* ---- the network and its evaluation ------------------------------------ */

typedef struct {
    Matrix W1, b1, W2, b2;
} Network;

/* He initialisation from seed (normal weights, std sqrt(2 / fan-in)), zero biases. */
static Network network_create(int inputs, uint64_t seed)
{
    Network n = {kit_matrix_create(inputs, HIDDEN), kit_matrix_create(1, HIDDEN), kit_matrix_create(HIDDEN, CLASSES),
                 kit_matrix_create(1, CLASSES)};
    KitRng rng;
    kit_rng_seed(&rng, seed);
    kit_matrix_fill_normal(&n.W1, &rng, 0.0f, sqrtf(2.0f / inputs));
    kit_matrix_fill_normal(&n.W2, &rng, 0.0f, sqrtf(2.0f / HIDDEN));
    return n;
}

static void network_free(Network *n)
{
    kit_matrix_free(&n->W1), kit_matrix_free(&n->b1), kit_matrix_free(&n->W2), kit_matrix_free(&n->b2);
}

/* The scratch of evaluation: EVAL_ROWS rows of every layer. */
typedef struct {
    Matrix Z1, A1, Z2, A2, Y;
} Evaluation;

/* The mean cross-entropy and the accuracy of the network on X (N x 784) and labels, with your forward_mlp:
 * no dropout (inverted dropout needs no change at test time). */
static void evaluate(double *loss, double *accuracy, Evaluation *e, const Network *n, const Matrix *X,
                     const Matrix *labels)
{
    double loss_sum = 0.0, right = 0.0;
    for (int start = 0; start < X->rows; start += EVAL_ROWS) {
        int m = X->rows - start < EVAL_ROWS ? X->rows - start : EVAL_ROWS;
        Matrix x = rows_of(X, start, m), l = rows_of(labels, start, m);
        e->Z1.rows = e->A1.rows = e->Z2.rows = e->A2.rows = e->Y.rows = m;
        forward_mlp(&e->Z1, &e->A1, &e->Z2, &e->A2, &x, &n->W1, &n->b1, &n->W2, &n->b2);
        one_hot(&e->Y, &l);
        loss_sum += (double)cross_entropy(&e->A2, &e->Y) * m;
        right += kit_argmax_accuracy(&e->A2, &l) * m;
    }
    *loss = loss_sum / X->rows;
    *accuracy = right / X->rows;
}

/* One setting of the experiment: its regularization and what was measured after each epoch. */
typedef struct {
    const char *name;
    float lambda, rate;
    float train_accuracy[POINTS], test_accuracy[POINTS], test_loss[POINTS]; /* every MEASURE_EVERY epochs */
    double train_loss, norm_w1, seconds;
} Setting;

/* Trains a new network (seed 4401, shuffles from 4402, dropout from 4403) for EPOCHS epochs on X, labels with
 * your train_mlp_step_regularized, measuring the training subset and the test set every MEASURE_EVERY epochs. */
static void run_setting(Setting *s, const Matrix *X, const Matrix *labels, const Matrix *test_X,
                        const Matrix *test_labels, Evaluation *e)
{
    int N = X->rows;
    Network n = network_create(X->cols, 4401);
    KitMlpWork work = kit_mlp_work_create(N, BATCH, X->cols, HIDDEN, CLASSES);
    Matrix mask = kit_matrix_create(BATCH, HIDDEN);
    KitRng shuffle, drop;
    kit_rng_seed(&shuffle, 4402);
    kit_rng_seed(&drop, 4403);
    printf("%s (lambda %g, dropout rate %g):\n", s->name, s->lambda, s->rate);
    s->seconds = 0.0;
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
        float lr = epoch < EPOCHS - LATE_EPOCHS ? LEARNING_RATE : LEARNING_RATE / 10;
        double started = kit_seconds();
        shuffle_indices(work.order, N, &shuffle);
        for (int start = 0; start < N; start += BATCH) {
            int m = N - start < BATCH ? N - start : BATCH;
            kit_mlp_work_rows(&work, m);
            gather_rows(&work.X, X, work.order, start);
            gather_rows(&work.labels, labels, work.order, start);
            train_mlp_step_regularized(&n.W1, &n.b1, &n.W2, &n.b2, &work, &mask, lr, s->lambda, s->rate, &drop);
        }
        s->seconds += kit_seconds() - started;
        if ((epoch + 1) % MEASURE_EVERY != 0)
            continue;
        double train_loss, train_accuracy, test_loss, test_accuracy;
        evaluate(&train_loss, &train_accuracy, e, &n, X, labels);
        evaluate(&test_loss, &test_accuracy, e, &n, test_X, test_labels);
        int point = epoch / MEASURE_EVERY;
        s->train_accuracy[point] = (float)(100 * train_accuracy);
        s->test_accuracy[point] = (float)(100 * test_accuracy);
        s->test_loss[point] = (float)test_loss;
        s->train_loss = train_loss;
        if ((epoch + 1) % 15 == 0)
            printf("  epoch %2d  train loss %.4f  accuracy %6.2f%%   test loss %.4f  accuracy %6.2f%%\n", epoch + 1,
                   train_loss, 100 * train_accuracy, test_loss, 100 * test_accuracy);
    }
    s->norm_w1 = norm_of(&n.W1);
    kit_mlp_work_free(&work);
    kit_matrix_free(&mask);
    network_free(&n);
}

int main(void)
{
    openblas_set_num_threads(1);
    char error[1024];

    kit_section("The L2 penalty by hand: l2_regularization");
    const float w[] = {1, -2, 0.5f, 0}, dw[] = {0.1f, 0.2f, 0.3f, 0.4f};
    Matrix W = kit_matrix_from(2, 2, w), dW = kit_matrix_from(2, 2, dw);
    kit_matrix_print("W", &W, 2);
    kit_matrix_print("dW, the data loss's gradient (before)", &dW, 2);
    float penalty = l2_regularization(&dW, &W, 0.01f);
    printf("l2_regularization(dW, W, 0.01) returned %.4f = 0.01 * (1 + 4 + 0.25 + 0)\n", penalty);
    kit_matrix_print("dW after: dW + 2 * 0.01 * W", &dW, 2);
    /* the gradient it adds, against central differences of the penalty */
    Matrix added = kit_matrix_create(2, 2);
    l2_regularization(&added, &W, 0.01f);
    float h = 1e-2f, saved = W.data[1];
    W.data[1] = saved + h;
    double up = l2_regularization(NULL, &W, 0.01f);
    W.data[1] = saved - h;
    double down = l2_regularization(NULL, &W, 0.01f);
    W.data[1] = saved;
    printf("W[0][1]: the gradient added %.4f, central differences (h = 0.01) %.4f\n", added.data[1],
           (up - down) / (2 * h));

    kit_section("Inverted dropout by hand: dropout");
    const float a[] = {1, 2, 3, 4, 5, 6, 7, 8};
    Matrix A = kit_matrix_from(2, 4, a), out = kit_matrix_create(2, 4), mask = kit_matrix_create(2, 4);
    KitRng rng;
    kit_rng_seed(&rng, 7);
    printf("the draws kit_rng_uniform gives after kit_rng_seed(rng, 7):");
    for (int k = 0; k < 8; k++)
        printf(" %.4f", kit_rng_uniform(&rng));
    printf("\n");
    kit_rng_seed(&rng, 7);
    dropout(&out, &mask, &A, 0.5f, 1, &rng);
    kit_matrix_print("A", &A, 0);
    kit_matrix_print("mask, rate 0.5 (training): 1 / (1 - 0.5) = 2 where the draw is >= 0.5", &mask, 0);
    kit_matrix_print("out = A * mask", &out, 0);
    dropout(&out, &mask, &A, 0.5f, 0, NULL);
    kit_matrix_print("out in evaluation mode (training 0): A itself", &out, 0);

    kit_section("Why 1 / (1 - rate): the mean survives");
    enum { ROWS = 1000 };
    Matrix activations = kit_matrix_create(ROWS, HIDDEN), dropped = kit_matrix_create(ROWS, HIDDEN);
    Matrix big_mask = kit_matrix_create(ROWS, HIDDEN);
    kit_rng_seed(&rng, 44);
    kit_matrix_fill_normal(&activations, &rng, 0.0f, 1.0f);
    relu(&activations, &activations); /* ReLU outputs of a hidden layer: half zeros, half positive */
    size_t count = (size_t)ROWS * HIDDEN;
    double mean_a = 0.0;
    for (size_t k = 0; k < count; k++)
        mean_a += activations.data[k];
    mean_a /= count;
    printf("A: %d x %d ReLU activations (relu of normal numbers), mean %.4f\n", ROWS, HIDDEN, mean_a);
    printf("rate   kept     mean(out)  mean(out) without the 1 / (1 - rate)\n");
    const float rates[] = {0.2f, 0.5f, 0.8f};
    for (int r = 0; r < 3; r++) {
        dropout(&dropped, &big_mask, &activations, rates[r], 1, &rng);
        double kept = 0.0, mean_out = 0.0;
        for (size_t k = 0; k < count; k++)
            kept += big_mask.data[k] != 0.0f, mean_out += dropped.data[k];
        mean_out /= count;
        printf("%.1f   %6.2f%%   %.4f     %.4f\n", rates[r], 100 * kept / count, mean_out,
               mean_out * (1 - rates[r]));
    }

    kit_section("One regularized step by hand: train_mlp_step_regularized");
    const float x[] = {1, 0, 2, 0, -1, 1};
    const float w1[] = {0.5f, -1, 0, 1, 1, 0.5f, -0.5f, 0, 0, 1, 0.5f, -1}, bias1[] = {0, 0.5f, -0.5f, 0.25f};
    const float w2[] = {1, 0, -1, 0.5f, 1, 0, 0, -1, 1, 2, 2, 2}, bias2[] = {0, 0.5f, -0.5f};
    const float labels[] = {1, 2}, y[] = {0, 1, 0, 0, 0, 1};
    Matrix X = kit_matrix_from(2, 3, x), Y = kit_matrix_from(2, 3, y);
    Matrix W1 = kit_matrix_from(3, 4, w1), b1 = kit_matrix_from(1, 4, bias1);
    Matrix W2 = kit_matrix_from(4, 3, w2), b2 = kit_matrix_from(1, 3, bias2);
    KitMlpWork work = kit_mlp_work_create(2, 2, 3, 4, 3);
    kit_matrix_copy(&work.X, &X);
    memcpy(work.labels.data, labels, sizeof labels);
    Matrix step_mask = kit_matrix_create(2, 4);
    printf("the 3 -> 4 -> 3 network of chapters 3.3 and 3.4, examples [1, 0, 2] and [0, -1, 1], labels 1 and 2\n");
    printf("lambda 0.1, dropout rate 0.5 (rng seeded with 7), learning rate 0 (the parameters stay put)\n");
    kit_rng_seed(&rng, 7);
    float loss = train_mlp_step_regularized(&W1, &b1, &W2, &b2, &work, &step_mask, 0.0f, 0.1f, 0.5f, &rng);
    kit_matrix_print("Z1 = X W1 + b1", &work.Z1, 2);
    kit_matrix_print("the step's mask", &step_mask, 0);
    kit_matrix_print("A1 = relu(Z1) * mask (what layer 2 saw)", &work.A1, 2);
    kit_matrix_print("A2 = softmax(A1 W2 + b2)", &work.A2, 4);
    float data_loss = cross_entropy(&work.A2, &Y);
    float penalty1 = l2_regularization(NULL, &W1, 0.1f), penalty2 = l2_regularization(NULL, &W2, 0.1f);
    printf("loss %.4f = cross-entropy %.4f + 0.1 * |W1|^2 %.4f + 0.1 * |W2|^2 %.4f\n", loss, data_loss, penalty1,
           penalty2);
    kit_matrix_print("dZ1 = (dZ2 W2^T) * mask * relu'(Z1)", &work.dZ1, 4);
    kit_matrix_print("dW1 = X^T dZ1 + 2 * 0.1 * W1", &work.dW1, 4);
    kit_matrix_print("db1 (no penalty on biases)", &work.db1, 4);
    printf("against central differences of the loss with this mask held fixed, h = 0.01:\n");
    Scratch s = {kit_matrix_create(2, 4), kit_matrix_create(2, 4), kit_matrix_create(2, 3), kit_matrix_create(2, 3)};
    struct {
        const char *name;
        Matrix *param, *grad;
        int index;
    } probes[] = {{"W1[0][0]", &W1, &work.dW1, 0}, {"W1[2][1]", &W1, &work.dW1, 9}, {"b1[1]   ", &b1, &work.db1, 1},
                  {"W2[1][2]", &W2, &work.dW2, 5}};
    for (int p = 0; p < 4; p++) {
        float *value = &probes[p].param->data[probes[p].index], before = *value;
        *value = before + h;
        double loss_up = loss_with_mask(&s, &X, &Y, &W1, &b1, &W2, &b2, &step_mask, 0.1f);
        *value = before - h;
        double loss_down = loss_with_mask(&s, &X, &Y, &W1, &b1, &W2, &b2, &step_mask, 0.1f);
        *value = before;
        printf("  %s  step %8.4f   numeric %8.4f\n", probes[p].name, probes[p].grad->data[probes[p].index],
               (loss_up - loss_down) / (2 * h));
    }
    /* lambda 0 and rate 0: chapter 3.4's step */
    Matrix copies[2][4];
    Matrix *originals[] = {&W1, &b1, &W2, &b2};
    for (int k = 0; k < 4; k++)
        for (int c = 0; c < 2; c++) {
            copies[c][k] = kit_matrix_create(originals[k]->rows, originals[k]->cols);
            kit_matrix_copy(&copies[c][k], originals[k]);
        }
    float loss_plain = train_mlp_step(&copies[0][0], &copies[0][1], &copies[0][2], &copies[0][3], &work, 0.5f);
    float loss_zero = train_mlp_step_regularized(&copies[1][0], &copies[1][1], &copies[1][2], &copies[1][3], &work,
                                                 &step_mask, 0.5f, 0.0f, 0.0f, &rng);
    double difference = 0.0;
    for (int k = 0; k < 4; k++)
        difference = fmax(difference, largest_difference(&copies[0][k], &copies[1][k]));
    printf("lambda 0, rate 0, lr 0.5: loss %.4f, train_mlp_step (3.4) %.4f; largest difference of the parameters %g\n",
           loss_zero, loss_plain, difference);

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
    int subset = data.train_images.rows < SUBSET ? data.train_images.rows : SUBSET;
    Matrix train_X = rows_of(&data.train_images, 0, subset), train_labels = rows_of(&data.train_labels, 0, subset);
    printf("training on the first %d of the %d training images; testing on all %d test images\n", subset,
           data.train_images.rows, data.test_images.rows);
    printf("784 -> %d -> 10, %d weights and %d biases: %.0f parameters per training image\n", HIDDEN,
           784 * HIDDEN + HIDDEN * CLASSES, HIDDEN + CLASSES,
           (double)(784 * HIDDEN + HIDDEN * CLASSES + HIDDEN + CLASSES) / subset);

    kit_section("Training with and without regularization");
    printf("He initialisation (seed 4401) and the same shuffles (seed 4402) for every setting; dropout masks from "
           "seed 4403\n");
    printf("batches of %d, learning rate %.1f for %d epochs, then %.2f for %d; accuracies measured without dropout\n",
           BATCH, LEARNING_RATE, EPOCHS - LATE_EPOCHS, LEARNING_RATE / 10, LATE_EPOCHS);
    Evaluation e = {kit_matrix_create(EVAL_ROWS, HIDDEN), kit_matrix_create(EVAL_ROWS, HIDDEN),
                    kit_matrix_create(EVAL_ROWS, CLASSES), kit_matrix_create(EVAL_ROWS, CLASSES),
                    kit_matrix_create(EVAL_ROWS, CLASSES)};
    Setting settings[] = {{.name = "no regularization", .lambda = 0.0f, .rate = 0.0f},
                          {.name = "L2", .lambda = 0.003f, .rate = 0.0f},
                          {.name = "dropout", .lambda = 0.0f, .rate = 0.5f},
                          {.name = "L2 and dropout", .lambda = 0.003f, .rate = 0.5f}};
    int setting_count = sizeof settings / sizeof settings[0];
    for (int k = 0; k < setting_count; k++)
        run_setting(&settings[k], &train_X, &train_labels, &data.test_images, &data.test_labels, &e);

    kit_section("Train and test, side by side");
    printf("%-18s %7s %8s  %10s %10s  %6s  %9s  %6s\n", "setting", "lambda", "dropout", "train acc", "test acc", "gap",
           "test loss", "|W1|");
    for (int k = 0; k < setting_count; k++) {
        Setting *t = &settings[k];
        printf("%-18s %7g %8g  %9.2f%% %9.2f%%  %6.2f  %9.4f  %6.2f\n", t->name, t->lambda, t->rate,
               t->train_accuracy[POINTS - 1], t->test_accuracy[POINTS - 1],
               t->train_accuracy[POINTS - 1] - t->test_accuracy[POINTS - 1], t->test_loss[POINTS - 1], t->norm_w1);
    }
    for (int k = 0; k < setting_count; k++)
        printf("%s: %d epochs of training in %.2f s\n", settings[k].name, EPOCHS, settings[k].seconds);
    Setting *plain = &settings[0], *both = &settings[setting_count - 1];
    KitCurve curves[4] = {{plain->train_accuracy, POINTS, "no regularization, training images"},
                          {plain->test_accuracy, POINTS, "no regularization, test images"},
                          {both->train_accuracy, POINTS, "L2 and dropout, training images"},
                          {both->test_accuracy, POINTS, "L2 and dropout, test images"}};
    const KitChart accuracy_chart = {.title = "Accuracy with and without regularization", .x_label = "epoch",
                                     .y_label = "accuracy (%)", .x_first = MEASURE_EVERY, .x_step = MEASURE_EVERY};
    const char *path = kit_picture_path("4.4-train-test.png");
    if (kit_plot_curves(path, &accuracy_chart, curves, 4, error, sizeof error) != 0) {
        printf("could not draw the chart: %s\n", error);
    } else {
        double low = INFINITY, high = -INFINITY;
        for (int k = 0; k < 4; k++)
            for (int i = 0; i < POINTS; i++)
                low = fmin(low, curves[k].values[i]), high = fmax(high, curves[k].values[i]);
        printf("accuracy curves: %s\n", path);
        printf("x axis: epochs %d to %d, every %d; y axis: accuracy in %%, from %.2f to %.2f\n", MEASURE_EVERY, EPOCHS,
               MEASURE_EVERY, low, high);
        printf("  %s: no regularization, training images\n", kit_plot_color_names[0]);
        printf("  %s: no regularization, test images\n", kit_plot_color_names[1]);
        printf("  %s: L2 and dropout, training images\n", kit_plot_color_names[2]);
        printf("  %s: L2 and dropout, test images\n", kit_plot_color_names[3]);
    }
    KitCurve losses[4];
    for (int k = 0; k < setting_count; k++)
        losses[k] = (KitCurve){settings[k].test_loss, POINTS, settings[k].name};
    const KitChart loss_chart = {.title = "Test loss of the four settings", .x_label = "epoch",
                                 .y_label = "test loss (cross-entropy)", .x_first = MEASURE_EVERY,
                                 .x_step = MEASURE_EVERY};
    path = kit_picture_path("4.4-test-loss.png");
    if (kit_plot_curves(path, &loss_chart, losses, setting_count, error, sizeof error) != 0) {
        printf("could not draw the chart: %s\n", error);
    } else {
        double low = INFINITY, high = -INFINITY;
        for (int k = 0; k < setting_count; k++)
            for (int i = 0; i < POINTS; i++)
                low = fmin(low, losses[k].values[i]), high = fmax(high, losses[k].values[i]);
        printf("test loss curves: %s\n", path);
        printf("x axis: epochs %d to %d, every %d; y axis: the test set's mean cross-entropy, from %.4f to %.4f\n",
               MEASURE_EVERY, EPOCHS, MEASURE_EVERY, low, high);
        for (int k = 0; k < setting_count; k++)
            printf("  %s: %s\n", kit_plot_color_names[k], settings[k].name);
    }

    Matrix *all[] = {&W, &dW, &added, &A, &out, &mask, &activations, &dropped, &big_mask, &X, &Y, &W1, &b1, &W2,
                     &b2, &step_mask, &s.Z1, &s.A1, &s.Z2, &s.A2, &e.Z1, &e.A1, &e.Z2, &e.A2, &e.Y};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        kit_matrix_free(all[k]);
    for (int k = 0; k < 4; k++)
        kit_matrix_free(&copies[0][k]), kit_matrix_free(&copies[1][k]);
    kit_mlp_work_free(&work);
    kit_dataset_free(&data);
    return 0;
}
