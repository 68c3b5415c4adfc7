/*
 * The demo of chapter 2.3: Mini-Batch Gradient Descent.
 * Run it with your code:  make run CH=2.3
 * It walks through the lesson and calls your functions from exercise.c (and, through them,
 * your linear_layer of chapter 1.2, your sigmoid of 1.3 and your binary_cross_entropy of 2.1).
 * The second half trains logistic regression on two classes of the image data set.
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STUDY_SIZES 4
#define STUDY_EPOCHS 10

static void print_order(const char *label, const int *order, int n)
{
    printf("%s [", label);
    for (int i = 0; i < n; i++)
        printf(i ? " %d" : "%d", order[i]);
    printf("]\n");
}

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The rows of class 0 and 1 of images as X, with y = 1 for class 1; counts the rows of each class. */
static void select_two_classes(Matrix *X, Matrix *y, int counts[2], const Matrix *images, const Matrix *labels)
{
    int D = images->cols;
    counts[0] = counts[1] = 0;
    for (int i = 0; i < labels->rows; i++)
        if (labels->data[i] == 0.0f || labels->data[i] == 1.0f)
            counts[(int)labels->data[i]]++;
    *X = kit_matrix_create(counts[0] + counts[1], D), *y = kit_matrix_create(counts[0] + counts[1], 1);
    int k = 0;
    for (int i = 0; i < labels->rows; i++) {
        if (labels->data[i] != 0.0f && labels->data[i] != 1.0f)
            continue;
        memcpy(X->data + (size_t)k * D, images->data + (size_t)i * D, (size_t)D * sizeof(float));
        y->data[k++] = labels->data[i];
    }
}

/* The share of rows whose predicted class (1 when XW + b > 0, that is sigmoid > 0.5) is their label.
 * scores is N x 1 scratch, filled by your linear_layer. */
static double share_correct(Matrix *scores, const Matrix *X, const Matrix *y, const Matrix *W, const Matrix *b)
{
    linear_layer(scores, X, W, b);
    int right = 0;
    for (int i = 0; i < X->rows; i++)
        right += (scores->data[i] > 0.0f) == (y->data[i] == 1.0f);
    return (double)right / X->rows;
}

/* Starting weights for the training runs: normal numbers with std 0.01 from seed 23, and b = 0. */
static void starting_weights(Matrix *W, Matrix *b)
{
    KitRng init;
    kit_rng_seed(&init, 23);
    kit_matrix_fill_normal(W, &init, 0.0f, 0.01f);
    kit_matrix_fill(b, 0.0f);
}

int main(void)
{
    kit_section("A new order for every epoch: shuffle_indices");
    KitRng rng;
    kit_rng_seed(&rng, 1);
    int order[10], sorted[10];
    shuffle_indices(order, 6, &rng);
    print_order("n = 6, seed 1:", order, 6);
    kit_rng_seed(&rng, 7);
    shuffle_indices(order, 10, &rng);
    print_order("n = 10, seed 7, epoch 1:", order, 10);
    memcpy(sorted, order, sizeof sorted);
    qsort(sorted, 10, sizeof sorted[0], compare_ints);
    print_order("the same order, sorted:  ", sorted, 10);
    int first_epoch[10];
    memcpy(first_epoch, order, sizeof order);
    shuffle_indices(order, 10, &rng);
    print_order("n = 10, seed 7, epoch 2:", order, 10);
    /* how often each index lands in each place over many shuffles of 4 */
    int places[4][4] = {{0}};
    int small[4];
    kit_rng_seed(&rng, 99);
    for (int t = 0; t < 24000; t++) {
        shuffle_indices(small, 4, &rng);
        for (int p = 0; p < 4; p++)
            places[small[p]][p]++;
    }
    printf("24000 shuffles of 4: how often index i lands in place p (4 x 4, 6000 each if uniform):\n");
    for (int i = 0; i < 4; i++)
        printf("  index %d: %5d %5d %5d %5d\n", i, places[i][0], places[i][1], places[i][2], places[i][3]);

    kit_section("The batches of one epoch: gather_rows");
    float x_values[20], y_values[10];
    for (int i = 0; i < 10; i++) {
        x_values[2 * i] = (float)(10 * i);
        x_values[2 * i + 1] = (float)(10 * i + 1);
        y_values[i] = (float)(i % 2);
    }
    Matrix X_small = kit_matrix_from(10, 2, x_values), y_small = kit_matrix_from(10, 1, y_values);
    printf("X (10 x 2): row i is [10i, 10i + 1], so each row says where it came from\n");
    print_order("order (epoch 1 above):", first_epoch, 10);
    int batch_size = 4;
    Matrix batch_buffer = kit_matrix_create(batch_size, 2);
    for (int start = 0, step = 1; start < 10; start += batch_size, step++) {
        int m = 10 - start < batch_size ? 10 - start : batch_size;
        Matrix X_batch = {m, 2, batch_buffer.data};
        gather_rows(&X_batch, &X_small, first_epoch, start);
        char label[96];
        snprintf(label, sizeof label, "step %d: start %d, m = %d rows, X_batch", step, start, m);
        kit_matrix_print(label, &X_batch, 0);
    }
    printf("batch_size %d over N = 10 rows: %d steps per epoch, the last batch holds %d rows\n", batch_size,
           (10 + batch_size - 1) / batch_size, 10 % batch_size);

    kit_section("The gradient of logistic regression: logistic_gradient");
    const float xg[] = {1, 2, -1, 0, 0, 1}, wg[] = {0.5f, -0.5f}, bg[] = {0}, yg[] = {1, 0, 1};
    Matrix Xg = kit_matrix_from(3, 2, xg), Wg = kit_matrix_from(2, 1, wg), b_g = kit_matrix_from(1, 1, bg);
    Matrix y_g = kit_matrix_from(3, 1, yg);
    Matrix A = kit_matrix_create(3, 1), dW = kit_matrix_create(2, 1), db = kit_matrix_create(1, 1);
    logistic_gradient(&dW, &db, &A, &Xg, &Wg, &b_g, &y_g);
    kit_matrix_print("X", &Xg, 0);
    kit_matrix_print("W", &Wg, 1);
    printf("b = %.1f, y = [%.0f, %.0f, %.0f]\n", b_g.data[0], y_g.data[0], y_g.data[1], y_g.data[2]);
    kit_matrix_print("A = sigmoid(XW + b)", &A, 4);
    kit_matrix_print("dW = X^T (A - y) / 3", &dW, 4);
    printf("db = sum(A - y) / 3 = %.4f\n", db.data[0]);
    printf("the loss binary_cross_entropy(A, y) = %.4f\n", binary_cross_entropy(&A, &y_g));
    /* the same derivatives by central differences of your loss */
    float h = 1e-2f, numeric[3];
    Matrix A_shifted = kit_matrix_create(3, 1), dW_scratch = kit_matrix_create(2, 1), db_scratch = kit_matrix_create(1, 1);
    for (int k = 0; k < 3; k++) {
        float *parameter = k < 2 ? &Wg.data[k] : &b_g.data[0], saved = *parameter;
        *parameter = saved + h;
        logistic_gradient(&dW_scratch, &db_scratch, &A_shifted, &Xg, &Wg, &b_g, &y_g);
        float up = binary_cross_entropy(&A_shifted, &y_g);
        *parameter = saved - h;
        logistic_gradient(&dW_scratch, &db_scratch, &A_shifted, &Xg, &Wg, &b_g, &y_g);
        float down = binary_cross_entropy(&A_shifted, &y_g);
        *parameter = saved;
        numeric[k] = (up - down) / (2 * h);
    }
    printf("central differences of the loss (h = 0.01): dL/dW = [%.4f, %.4f], dL/db = %.4f\n", numeric[0],
           numeric[1], numeric[2]);

    kit_section("The data set");
    KitDatasetPlace place;
    KitDataset data;
    char error[1024];
    if (kit_dataset_find(&place, error, sizeof error) != 0) {
        fprintf(stderr, "error: %s\n", error);
        return 1;
    }
    if (kit_dataset_load(&data, &place, error, sizeof error) != 0) {
        fprintf(stderr, "error: %s\n", error);
        return 1;
    }
    int mnist = strcmp(place.name, "MNIST") == 0;
    const char *class_names[2] = {mnist ? "digit 0" : "T-shirt/top", mnist ? "digit 1" : "trouser"};
    printf("data set: %s, from %s\n", place.name, place.dir);
    printf("the task: class 0 (%s, y = 0) against class 1 (%s, y = 1)\n", class_names[0], class_names[1]);
    Matrix X_train, y_train, X_test, y_test;
    int train_counts[2], test_counts[2];
    select_two_classes(&X_train, &y_train, train_counts, &data.train_images, &data.train_labels);
    select_two_classes(&X_test, &y_test, test_counts, &data.test_images, &data.test_labels);
    kit_dataset_free(&data);
    int N = X_train.rows, D = X_train.cols;
    printf("training images: %d (%d of class 0, %d of class 1), %d pixels each in [0, 1]\n", N, train_counts[0],
           train_counts[1], D);
    printf("test images:     %d (%d of class 0, %d of class 1)\n", X_test.rows, test_counts[0], test_counts[1]);

    kit_section("Training: batch_size 32, lr 0.1, 5 epochs");
    Matrix W = kit_matrix_create(D, 1), b = kit_matrix_create(1, 1), one_loss = kit_matrix_create(1, 1);
    Matrix test_scores = kit_matrix_create(X_test.rows, 1);
    starting_weights(&W, &b);
    printf("W: %d x 1 normal numbers with std 0.01 (seed 23), b = 0; the shuffles use seed 2302\n", D);
    printf("before training: test accuracy %.2f%%\n", 100 * share_correct(&test_scores, &X_test, &y_test, &W, &b));
    KitRng shuffle_rng;
    kit_rng_seed(&shuffle_rng, 2302);
    for (int epoch = 1; epoch <= 5; epoch++) {
        double started = kit_seconds();
        minibatch_gradient_descent(&W, &b, &one_loss, &X_train, &y_train, 0.1f, 1, 32, &shuffle_rng);
        double seconds = kit_seconds() - started;
        printf("epoch %d: %d steps, mean loss %.4f, test accuracy %.2f%%, %.1f ms\n", epoch, (N + 31) / 32,
               one_loss.data[0], 100 * share_correct(&test_scores, &X_test, &y_test, &W, &b), 1000 * seconds);
    }

    kit_section("Batch sizes: 1, 32, 256 and the full batch, 10 epochs each, lr 0.1");
    const int sizes[STUDY_SIZES] = {1, 32, 256, N};
    Matrix study_losses[STUDY_SIZES];
    KitCurve curves[STUDY_SIZES];
    char names[STUDY_SIZES][32];
    printf("%10s %12s %15s %12s %14s\n", "batch_size", "steps/epoch", "time/epoch", "final loss", "test accuracy");
    for (int s = 0; s < STUDY_SIZES; s++) {
        study_losses[s] = kit_matrix_create(1, STUDY_EPOCHS);
        starting_weights(&W, &b);
        kit_rng_seed(&shuffle_rng, 2302);
        double started = kit_seconds();
        minibatch_gradient_descent(&W, &b, &study_losses[s], &X_train, &y_train, 0.1f, STUDY_EPOCHS, sizes[s],
                                   &shuffle_rng);
        double per_epoch = (kit_seconds() - started) / STUDY_EPOCHS;
        char time_text[32];
        snprintf(time_text, sizeof time_text, "%.1f ms", 1000 * per_epoch);
        printf("%10d %12d %15s %12.4f %13.2f%%\n", sizes[s], (N + sizes[s] - 1) / sizes[s], time_text,
               study_losses[s].data[STUDY_EPOCHS - 1], 100 * share_correct(&test_scores, &X_test, &y_test, &W, &b));
        snprintf(names[s], sizeof names[s], "batch_size %d%s", sizes[s], s == STUDY_SIZES - 1 ? " (full batch)" : "");
        curves[s] = (KitCurve){study_losses[s].data, STUDY_EPOCHS, names[s]};
    }
    printf("the last batch of an epoch with batch_size 256: %d rows (%d full batches before it)\n", N % 256,
           N / 256);
    const char *path = kit_picture_path("2.3-batch-sizes.png");
    const KitChart chart = {.title = "Training loss by batch size, lr 0.1", .x_label = "epoch",
                            .y_label = "mean loss of the epoch", .log_y = 1, .x_first = 1};
    if (kit_plot_curves(path, &chart, curves, STUDY_SIZES, error, sizeof error) != 0) {
        printf("could not draw the chart: %s\n", error);
    } else {
        double low = INFINITY, high = -INFINITY;
        for (int s = 0; s < STUDY_SIZES; s++)
            for (int e = 0; e < STUDY_EPOCHS; e++)
                low = fmin(low, study_losses[s].data[e]), high = fmax(high, study_losses[s].data[e]);
        printf("loss curves: %s\n", path);
        printf("x axis: epochs 1 to %d; y axis: the mean loss of the epoch, log scale from %g to %g\n", STUDY_EPOCHS,
               pow(10, floor(log10(low))), pow(10, ceil(log10(high))));
        for (int s = 0; s < STUDY_SIZES; s++)
            printf("  %s: batch_size %d%s\n", kit_plot_color_names[s], sizes[s], s == STUDY_SIZES - 1 ? " (full batch)" : "");
    }

    Matrix *all[] = {&X_small, &y_small, &batch_buffer, &Xg, &Wg, &b_g, &y_g, &A, &dW, &db, &A_shifted,
                     &dW_scratch, &db_scratch, &X_train, &y_train, &X_test, &y_test, &W, &b, &one_loss,
                     &test_scores};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        kit_matrix_free(all[i]);
    for (int s = 0; s < STUDY_SIZES; s++)
        kit_matrix_free(&study_losses[s]);
    return 0;
}
