/*
 * The demo of chapter 4.4: Regularization Techniques.
 * Run it with your code:  make run CH=4.4
 * It walks through the lesson and calls your functions from exercise.c (l2_regularization, dropout and
 * train_mlp_step_regularized) and of earlier chapters: linear_layer (1.2), shuffle_indices and gather_rows
 * (2.3), relu and softmax (3.2), one_hot and cross_entropy (3.3), forward_mlp3 and backward_mlp3 (4.1).
 * Then it trains the 784 -> 256 -> 128 -> 10 network of chapter 4.1 on a small part of the training set with
 * and without regularization, and measures each setting on the training images and on the test images.
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void openblas_set_num_threads(int num_threads); /* from OpenBLAS's cblas.h */

#define CLASSES 10
#define H1 256 /* the two hidden layers of chapter 4.1's network */
#define H2 128
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

/* W -= lr dW, element by element. */
static void descend(Matrix *W, const Matrix *dW, float lr)
{
    for (size_t k = 0; k < (size_t)W->rows * W->cols; k++)
        W->data[k] -= lr * dW->data[k];
}

/* A = A * mask, element by element. */
static void apply_mask(Matrix *A, const Matrix *mask)
{
    for (size_t k = 0; k < (size_t)A->rows * A->cols; k++)
        A->data[k] *= mask->data[k];
}

/* The regularized loss of the small network with fixed masks, with your functions: linear_layer and relu, the
 * masks applied by hand, softmax and cross_entropy, plus l2_regularization of W1, W2 and W3. */
static float loss_with_masks(Mlp3Cache *c, const Matrix *X, const Matrix *Y, const Mlp3 *n, const Matrix *mask1,
                             const Matrix *mask2, float lambda)
{
    linear_layer(&c->Z1, X, &n->W1, &n->b1);
    relu(&c->A1, &c->Z1);
    apply_mask(&c->A1, mask1);
    linear_layer(&c->Z2, &c->A1, &n->W2, &n->b2);
    relu(&c->A2, &c->Z2);
    apply_mask(&c->A2, mask2);
    linear_layer(&c->Z3, &c->A2, &n->W3, &n->b3);
    softmax(&c->A3, &c->Z3);
    return cross_entropy(&c->A3, Y) + l2_regularization(NULL, &n->W1, lambda) +
           l2_regularization(NULL, &n->W2, lambda) + l2_regularization(NULL, &n->W3, lambda);
}

/* ---- the network and its evaluation ------------------------------------ */

/* The scratch of evaluation: the cache of EVAL_ROWS rows, and their one-hot targets. */
typedef struct {
    Mlp3Cache cache;
    Matrix Y;
} Evaluation;

/* The mean cross-entropy and the accuracy of the network on X (N x 784) and labels, with your forward_mlp3:
 * no dropout (inverted dropout needs no change at test time). */
static void evaluate(double *loss, double *accuracy, Evaluation *e, const Mlp3 *n, const Matrix *X,
                     const Matrix *labels)
{
    double loss_sum = 0.0, right = 0.0;
    Mlp3Cache *c = &e->cache;
    for (int start = 0; start < X->rows; start += EVAL_ROWS) {
        int m = X->rows - start < EVAL_ROWS ? X->rows - start : EVAL_ROWS;
        Matrix x = rows_of(X, start, m), l = rows_of(labels, start, m);
        c->Z1.rows = c->A1.rows = c->Z2.rows = c->A2.rows = c->Z3.rows = c->A3.rows = e->Y.rows = m;
        forward_mlp3(c, &x, n);
        one_hot(&e->Y, &l);
        loss_sum += (double)cross_entropy(&c->A3, &e->Y) * m;
        right += kit_argmax_accuracy(&c->A3, &l) * m;
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
    KitRng init, shuffle, drop;
    kit_rng_seed(&init, 4401);
    Mlp3 n = kit_mlp3_create(X->cols, H1, H2, CLASSES, &init); /* He initialisation, zero biases */
    KitMlp3Work work = kit_mlp3_work_create(N, BATCH, X->cols, H1, H2, CLASSES);
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
            kit_mlp3_work_rows(&work, m);
            gather_rows(&work.X, X, work.order, start);
            gather_rows(&work.labels, labels, work.order, start);
            train_mlp_step_regularized(&n, &work, lr, s->lambda, s->rate, &drop);
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
    kit_mlp3_work_free(&work);
    kit_mlp3_free(&n);
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
    Matrix activations = kit_matrix_create(ROWS, H1), dropped = kit_matrix_create(ROWS, H1);
    Matrix big_mask = kit_matrix_create(ROWS, H1);
    kit_rng_seed(&rng, 44);
    kit_matrix_fill_normal(&activations, &rng, 0.0f, 1.0f);
    relu(&activations, &activations); /* ReLU outputs of a hidden layer: half zeros, half positive */
    size_t count = (size_t)ROWS * H1;
    double mean_a = 0.0;
    for (size_t k = 0; k < count; k++)
        mean_a += activations.data[k];
    mean_a /= count;
    printf("A: %d x %d ReLU activations (relu of normal numbers), mean %.4f\n", ROWS, H1, mean_a);
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
    const float x[] = {1, 2, 0, -1}, w1[] = {1, -1, 0.5f, 0.5f, 1, -1}, bias1[] = {0, 0.5f, 0.5f};
    const float w2[] = {0.5f, -1, 1, 0.5f, -1, 1}, bias2[] = {0, -0.5f};
    const float w3[] = {1, 0, -1, 0.5f, 1, 0}, bias3[] = {0, 0, 0.5f};
    const float labels[] = {0, 2}, y[] = {1, 0, 0, 0, 0, 1};
    Matrix X = kit_matrix_from(2, 2, x), Y = kit_matrix_from(2, 3, y);
    Mlp3 small = {kit_matrix_from(2, 3, w1), kit_matrix_from(1, 3, bias1), kit_matrix_from(3, 2, w2),
                  kit_matrix_from(1, 2, bias2), kit_matrix_from(2, 3, w3), kit_matrix_from(1, 3, bias3)};
    KitMlp3Work work = kit_mlp3_work_create(2, 2, 2, 3, 2, 3);
    kit_matrix_copy(&work.X, &X);
    memcpy(work.labels.data, labels, sizeof labels);
    printf("the 2 -> 3 -> 2 -> 3 network of chapter 4.1, examples [1, 2] and [0, -1], labels 0 and 2\n");
    printf("lambda 0.1, dropout rate 0.5 (rng seeded with 17), learning rate 0 (the parameters stay put)\n");
    kit_rng_seed(&rng, 17);
    float loss = train_mlp_step_regularized(&small, &work, 0.0f, 0.1f, 0.5f, &rng);
    kit_matrix_print("Z1 = X W1 + b1", &work.cache.Z1, 2);
    kit_matrix_print("mask1 (the first 6 draws)", &work.mask1, 0);
    kit_matrix_print("A1 = relu(Z1) * mask1 (what layer 2 saw)", &work.cache.A1, 2);
    kit_matrix_print("Z2 = A1 W2 + b2", &work.cache.Z2, 2);
    kit_matrix_print("mask2 (the next 4 draws)", &work.mask2, 0);
    kit_matrix_print("A2 = relu(Z2) * mask2 (what layer 3 saw)", &work.cache.A2, 2);
    kit_matrix_print("A3 = softmax(A2 W3 + b3)", &work.cache.A3, 4);
    float data_loss = cross_entropy(&work.cache.A3, &Y);
    float penalty1 = l2_regularization(NULL, &small.W1, 0.1f), penalty2 = l2_regularization(NULL, &small.W2, 0.1f);
    float penalty3 = l2_regularization(NULL, &small.W3, 0.1f);
    printf("loss %.4f = cross-entropy %.4f + 0.1 * |W1|^2 %.4f + 0.1 * |W2|^2 %.4f + 0.1 * |W3|^2 %.4f\n", loss,
           data_loss, penalty1, penalty2, penalty3);
    kit_matrix_print("dZ2 = (dZ3 W3^T) * mask2 * relu'(Z2)", &work.gradients.dZ2, 4);
    kit_matrix_print("dZ1 = (dZ2 W2^T) * mask1 * relu'(Z1)", &work.gradients.dZ1, 4);
    kit_matrix_print("dW1 = X^T dZ1 + 2 * 0.1 * W1", &work.gradients.dW1, 4);
    kit_matrix_print("db1 (no penalty on biases)", &work.gradients.db1, 4);
    printf("against central differences of the loss with these masks held fixed, h = 0.01:\n");
    Mlp3Cache s = {kit_matrix_create(2, 3), kit_matrix_create(2, 3), kit_matrix_create(2, 2),
                   kit_matrix_create(2, 2), kit_matrix_create(2, 3), kit_matrix_create(2, 3)};
    struct {
        const char *name;
        Matrix *param, *grad;
        int index;
    } probes[] = {{"W1[0][1]", &small.W1, &work.gradients.dW1, 1},
                  {"b1[2]   ", &small.b1, &work.gradients.db1, 2},
                  {"W2[2][1]", &small.W2, &work.gradients.dW2, 5},
                  {"W3[1][2]", &small.W3, &work.gradients.dW3, 5}};
    for (int p = 0; p < 4; p++) {
        float *value = &probes[p].param->data[probes[p].index], before = *value;
        *value = before + h;
        double loss_up = loss_with_masks(&s, &X, &Y, &small, &work.mask1, &work.mask2, 0.1f);
        *value = before - h;
        double loss_down = loss_with_masks(&s, &X, &Y, &small, &work.mask1, &work.mask2, 0.1f);
        *value = before;
        printf("  %s  step %8.4f   numeric %8.4f\n", probes[p].name, probes[p].grad->data[probes[p].index],
               (loss_up - loss_down) / (2 * h));
    }
    /* lambda 0 and rate 0: chapter 4.1's forward_mlp3 and backward_mlp3, then W -= lr dW */
    Mlp3 by_41 = kit_mlp3_create(2, 3, 2, 3, NULL), by_44 = kit_mlp3_create(2, 3, 2, 3, NULL);
    Matrix *originals[] = {&small.W1, &small.b1, &small.W2, &small.b2, &small.W3, &small.b3};
    Matrix *plain_parameters[] = {&by_41.W1, &by_41.b1, &by_41.W2, &by_41.b2, &by_41.W3, &by_41.b3};
    Matrix *zero_parameters[] = {&by_44.W1, &by_44.b1, &by_44.W2, &by_44.b2, &by_44.W3, &by_44.b3};
    for (int k = 0; k < 6; k++)
        kit_matrix_copy(plain_parameters[k], originals[k]), kit_matrix_copy(zero_parameters[k], originals[k]);
    one_hot(&work.Y, &work.labels);
    forward_mlp3(&work.cache, &work.X, &by_41);
    float loss_plain = cross_entropy(&work.cache.A3, &work.Y);
    backward_mlp3(&work.gradients, &work.cache, &work.X, &work.Y, &by_41);
    const Matrix *plain_gradients[] = {&work.gradients.dW1, &work.gradients.db1, &work.gradients.dW2,
                                       &work.gradients.db2, &work.gradients.dW3, &work.gradients.db3};
    for (int k = 0; k < 6; k++)
        descend(plain_parameters[k], plain_gradients[k], 0.5f);
    float loss_zero = train_mlp_step_regularized(&by_44, &work, 0.5f, 0.0f, 0.0f, &rng);
    double difference = 0.0;
    for (int k = 0; k < 6; k++)
        difference = fmax(difference, largest_difference(plain_parameters[k], zero_parameters[k]));
    printf("lambda 0, rate 0, lr 0.5: loss %.4f, forward_mlp3 and backward_mlp3 (4.1) %.4f; largest difference of "
           "the parameters %g\n",
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
    int weights = 784 * H1 + H1 * H2 + H2 * CLASSES, biases = H1 + H2 + CLASSES;
    printf("784 -> %d -> %d -> 10, %d weights and %d biases: %.0f parameters per training image\n", H1, H2, weights,
           biases, (double)(weights + biases) / subset);

    kit_section("Training with and without regularization");
    printf("He initialisation (seed 4401) and the same shuffles (seed 4402) for every setting; dropout masks from "
           "seed 4403\n");
    printf("batches of %d, learning rate %.1f for %d epochs, then %.2f for %d; accuracies measured without dropout\n",
           BATCH, LEARNING_RATE, EPOCHS - LATE_EPOCHS, LEARNING_RATE / 10, LATE_EPOCHS);
    Evaluation e = {{kit_matrix_create(EVAL_ROWS, H1), kit_matrix_create(EVAL_ROWS, H1),
                     kit_matrix_create(EVAL_ROWS, H2), kit_matrix_create(EVAL_ROWS, H2),
                     kit_matrix_create(EVAL_ROWS, CLASSES), kit_matrix_create(EVAL_ROWS, CLASSES)},
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
    /* the last accuracies of the four settings as bars, training beside test */
    float final[2 * 4];
    const char *short_names[4] = {"none", "L2", "dropout", "L2 and dropout"};
    for (int k = 0; k < setting_count; k++)
        final[2 * k] = settings[k].train_accuracy[POINTS - 1], final[2 * k + 1] = settings[k].test_accuracy[POINTS - 1];
    const char *bar_names[2] = {"training images", "test images"};
    const KitBars bars = {final, setting_count, 2, short_names, bar_names, 2};
    char bar_title[64];
    snprintf(bar_title, sizeof bar_title, "Accuracy after %d epochs, by regularizer", EPOCHS);
    const KitChart bar_chart = {.title = bar_title, .y_label = "accuracy (%)"};
    const char *bar_path = kit_picture_path("4.4-final-accuracy.png");
    if (kit_plot_bars(bar_path, &bar_chart, &bars, error, sizeof error) != 0)
        printf("could not draw the chart: %s\n", error);
    else
        printf("accuracy bars: %s\n  %s: training images\n  %s: test images\n", bar_path, kit_plot_color_names[0],
               kit_plot_color_names[1]);
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

    Matrix *all[] = {&W, &dW, &added, &A, &out, &mask, &activations, &dropped, &big_mask, &X, &Y, &e.Y};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        kit_matrix_free(all[k]);
    Mlp3Cache *caches[] = {&s, &e.cache};
    for (int k = 0; k < 2; k++) {
        Matrix *cache[] = {&caches[k]->Z1, &caches[k]->A1, &caches[k]->Z2, &caches[k]->A2, &caches[k]->Z3, &caches[k]->A3};
        for (int i = 0; i < 6; i++)
            kit_matrix_free(cache[i]);
    }
    kit_mlp3_free(&small), kit_mlp3_free(&by_41), kit_mlp3_free(&by_44);
    kit_mlp3_work_free(&work);
    kit_dataset_free(&data);
    return 0;
}
