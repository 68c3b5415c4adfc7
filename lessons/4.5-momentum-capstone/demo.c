/*
 * The demo of chapter 4.5: Advanced Optimization and Capstone.
 * Run it with your code:  make run CH=4.5
 * It calls your functions from exercise.c: momentum_update races plain gradient descent down a long, narrow valley
 * (printed step by step and drawn), then the capstone trains the course's best model, the CNN of chapter 4.3 twice
 * as wide (16 and 32 filters, 128 hidden units) with momentum, on the image data set with a progress bar, and shows what it learned and where it errs:
 * the filters, the confusion matrix and the first 32 misclassified test images, as pictures.
 * The final exam is a second program: make run CH=4.5 DEMO=final_exam
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the valley f(x, y) = (x^2 + STEEP y^2) / 2 */
#define STEEP 50.0f
#define VALLEY_LR 0.035f
#define VALLEY_BETA 0.9f
#define VALLEY_STEPS 150

/* the capstone */
#define FILTERS1 16
#define FILTERS2 32
#define HIDDEN 128
#define CLASSES 10
#define BATCH 64
#define EPOCHS 5
#define FIRST_LR 0.01f /* the first epoch's: a warm-up while the velocities build up */
#define LR 0.05f
#define LAST_LR 0.005f
#define BETA 0.9f
#define EVAL_BATCH 500
#define SHOWN_MISTAKES 32

static const char *const fashion_classes[10] = {"T-shirt/top", "trouser", "pullover", "dress", "coat",
                                                "sandal", "shirt", "sneaker", "bag", "ankle boot"};

/* The valley's value and gradient at point (1 x 2). */
static float valley(const Matrix *point)
{
    float x = point->data[0], y = point->data[1];
    return 0.5f * (x * x + STEEP * y * y);
}
static void valley_gradient(Matrix *gradient, const Matrix *point)
{
    gradient->data[0] = point->data[0];
    gradient->data[1] = STEEP * point->data[1];
}

/* Runs your forward_cnn over images in batches and writes the probabilities (N x K). */
static void predict_all(Matrix *probabilities, const Cnn *cnn, KitCnnWork *work, const Matrix *images)
{
    int N = images->rows, D = images->cols, K = probabilities->cols;
    for (int start = 0; start < N; start += work->batch_size) {
        int m = N - start < work->batch_size ? N - start : work->batch_size;
        kit_cnn_work_rows(work, m);
        memcpy(work->X.data, images->data + (size_t)start * D, (size_t)m * D * sizeof(float));
        forward_cnn(work, cnn);
        memcpy(probabilities->data + (size_t)start * K, work->A4.data, (size_t)m * K * sizeof(float));
    }
}

static int predicted_class(const float *row, int K)
{
    int best = 0;
    for (int k = 1; k < K; k++)
        if (row[k] > row[best])
            best = k;
    return best;
}

int main(void)
{
    char error[1024];

    kit_section("Momentum in a long, narrow valley");
    printf("f(x, y) = (x^2 + %g y^2) / 2, from (x, y) = (-10, 1); the minimum is at (0, 0)\n", STEEP);
    printf("plain gradient descent: momentum_update with beta 0; momentum: beta %g; both with lr %g\n", VALLEY_BETA,
           VALLEY_LR);
    const float start[2] = {-10.0f, 1.0f};
    Matrix plain = kit_matrix_from(1, 2, start), plain_velocity = kit_matrix_create(1, 2);
    Matrix heavy = kit_matrix_from(1, 2, start), heavy_velocity = kit_matrix_create(1, 2);
    Matrix gradient = kit_matrix_create(1, 2);
    float plain_curve[VALLEY_STEPS + 1], heavy_curve[VALLEY_STEPS + 1];
    /* the other way to write momentum, u = beta u + dW, W -= lr u, computed beside yours */
    double other[2] = {start[0], start[1]}, other_velocity[2] = {0.0, 0.0}, largest_gap = 0.0;
    printf("%5s  %9s %9s %11s   %9s %9s %11s\n", "step", "x", "y", "f (plain)", "x", "y", "f (momentum)");
    for (int step = 0; step <= VALLEY_STEPS; step++) {
        plain_curve[step] = valley(&plain);
        heavy_curve[step] = valley(&heavy);
        if (step <= 10 || step % 10 == 0)
            printf("%5d  %9.4f %9.4f %11.6f   %9.4f %9.4f %11.6f\n", step, plain.data[0], plain.data[1],
                   plain_curve[step], heavy.data[0], heavy.data[1], heavy_curve[step]);
        if (step == VALLEY_STEPS)
            break;
        valley_gradient(&gradient, &plain);
        momentum_update(&plain, &plain_velocity, &gradient, VALLEY_LR, 0.0f);
        valley_gradient(&gradient, &heavy);
        momentum_update(&heavy, &heavy_velocity, &gradient, VALLEY_LR, VALLEY_BETA);
        double other_gradient[2] = {other[0], STEEP * other[1]};
        for (int k = 0; k < 2; k++) {
            other_velocity[k] = VALLEY_BETA * other_velocity[k] + other_gradient[k];
            other[k] -= VALLEY_LR * other_velocity[k];
            largest_gap = fmax(largest_gap, fabs(other[k] - heavy.data[k]));
        }
    }
    int plain_below = -1, heavy_below = -1; /* the first step from which f stays below 0.01 */
    for (int step = VALLEY_STEPS; step >= 0 && plain_curve[step] < 0.01f; step--)
        plain_below = step;
    for (int step = VALLEY_STEPS; step >= 0 && heavy_curve[step] < 0.01f; step--)
        heavy_below = step;
    printf("f stays below 0.01 from step %d with plain gradient descent, from step %d with momentum\n", plain_below,
           heavy_below);
    printf("u = beta u + dW, W -= lr u against your V = beta V - lr dW, W += V: largest gap in x or y %.1e\n",
           largest_gap);
    char heavy_name[64];
    snprintf(heavy_name, sizeof heavy_name, "momentum, beta %g", VALLEY_BETA);
    KitCurve curves[2] = {{plain_curve, VALLEY_STEPS + 1, "plain gradient descent"},
                          {heavy_curve, VALLEY_STEPS + 1, heavy_name}};
    const KitChart chart = {.title = "Descent in a narrow valley", .x_label = "step", .y_label = "f(x, y)",
                            .log_y = 1};
    const char *path = kit_picture_path("4.5-valley.png");
    if (kit_plot_curves(path, &chart, curves, 2, error, sizeof error) != 0)
        printf("could not draw the chart: %s\n", error);
    else {
        printf("chart: %s\n", path);
        printf("x axis: steps 0 to %d; y axis: f(x, y), log scale\n", VALLEY_STEPS);
        printf("  %s: plain gradient descent\n  %s: momentum, beta %g\n", kit_plot_color_names[0],
               kit_plot_color_names[1], VALLEY_BETA);
    }

    KitDatasetPlace place;
    KitDataset data;
    if (kit_dataset_find(&place, error, sizeof error) != 0 ||
        kit_dataset_load(&data, &place, error, sizeof error) != 0) {
        fprintf(stderr, "error: %s\n", error);
        return 1;
    }
    int mnist = strcmp(place.name, "MNIST") == 0;

    kit_section("The capstone: the CNN with momentum");
    KitCnnSizes sizes = {1, 28, 28, 3, FILTERS1, FILTERS2, HIDDEN, CLASSES};
    KitCnnLayout l = kit_cnn_layout(sizes);
    KitRng init, shuffle;
    kit_rng_seed(&init, 45);
    kit_rng_seed(&shuffle, 46);
    Cnn cnn = kit_cnn_create(sizes, &init), velocity = kit_cnn_create(sizes, NULL);
    int N = data.train_images.rows, steps = (N + BATCH - 1) / BATCH;
    printf("data set: %s, %d training images, %d test images\n", place.name, N, data.test_images.rows);
    int parameters = FILTERS1 * 10 + FILTERS2 * (FILTERS1 * 9 + 1) + l.pooled2 * HIDDEN + HIDDEN + HIDDEN * CLASSES +
                     CLASSES;
    printf("conv %d filters 3x3 -> max pool 2x2 -> ReLU -> conv %d filters %dx3x3 -> max pool -> ReLU -> dense %d -> "
           "%d -> ReLU -> dense 10: %d parameters\n",
           FILTERS1, FILTERS2, FILTERS1, l.pooled2, HIDDEN, parameters);
    printf("He initialisation (seed 45), zero velocities; batches of %d (%d steps an epoch), beta %g, learning rate "
           "%g for epoch 1 (a warm-up), %g for epochs 2 to %d and %g for epoch %d\n",
           BATCH, steps, BETA, FIRST_LR, LR, EPOCHS - 1, LAST_LR, EPOCHS);
    KitCnnWork work = kit_cnn_work_create(N, BATCH, sizes);
    KitCnnWork eval = kit_cnn_work_create(data.test_images.rows, EVAL_BATCH, sizes);
    Matrix probabilities = kit_matrix_create(data.test_images.rows, CLASSES);
    double seconds = 0.0;
    for (int epoch = 1; epoch <= EPOCHS; epoch++) {
        KitProgress progress;
        kit_progress_begin(&progress, epoch, EPOCHS, steps);
        double started = kit_seconds();
        train_cnn_epoch_momentum(&cnn, &velocity, &data.train_images, &data.train_labels, &work,
                                 epoch == 1 ? FIRST_LR : epoch < EPOCHS ? LR : LAST_LR, BETA, &shuffle, &progress);
        seconds += kit_seconds() - started;
        kit_progress_end(&progress);
        predict_all(&probabilities, &cnn, &eval, &data.test_images);
        printf("  test accuracy %.2f%%\n", 100 * accuracy(&probabilities, &data.test_labels));
    }
    printf("%d epochs in %.1f s: %.2f s an epoch\n", EPOCHS, seconds, seconds / EPOCHS);

    kit_section("What the filters learned");
    path = kit_picture_path("4.5-filters.png");
    const KitImageGrid filter_grid = {.title = "The filters of stage 1", .height = 3, .width = 3, .columns = 8,
                                      .scale = 32, .numbered = "filter"};
    if (kit_plot_images(path, &filter_grid, &cnn.W1, FILTERS1, error, sizeof error) != 0)
        printf("could not draw the picture: %s\n", error);
    else
        printf("picture: %s: the %d filters of 3 x 3 of stage 1, 8 to a row, each weight a 32 x 32 square (black the most "
               "negative, white the most positive, each filter on its own scale)\n",
               path, FILTERS1);

    kit_section("The confusion matrix: your confusion_matrix");
    Matrix counts = kit_matrix_create(CLASSES, CLASSES);
    confusion_matrix(&counts, &probabilities, &data.test_labels);
    printf("rows: the true class; columns: the predicted class\n");
    printf("%-12s", "");
    for (int p = 0; p < CLASSES; p++)
        printf("%6d", p);
    printf("   right\n");
    int worst_true = 0, worst_predicted = 1;
    for (int t = 0; t < CLASSES; t++) {
        char name[32];
        snprintf(name, sizeof name, "%d %s", t, mnist ? "" : fashion_classes[t]);
        printf("%-12s", name);
        double row_total = 0.0;
        for (int p = 0; p < CLASSES; p++) {
            float count = counts.data[t * CLASSES + p];
            row_total += count;
            printf("%6.0f", count);
            if (p != t && count > counts.data[worst_true * CLASSES + worst_predicted])
                worst_true = t, worst_predicted = p;
        }
        printf("  %5.1f%%\n", row_total > 0 ? 100 * counts.data[t * CLASSES + t] / row_total : 0.0);
    }
    if (mnist)
        printf("the most frequent mistake: the digit %d read as %d, %.0f times\n", worst_true, worst_predicted,
               counts.data[worst_true * CLASSES + worst_predicted]);
    else
        printf("the most frequent mistake: %s read as %s, %.0f times\n", fashion_classes[worst_true],
               fashion_classes[worst_predicted], counts.data[worst_true * CLASSES + worst_predicted]);
    path = kit_picture_path("4.5-confusion.png");
    if (kit_plot_confusion(path, "The confusion matrix of the test images", &counts, error, sizeof error) != 0)
        printf("could not draw the picture: %s\n", error);
    else
        printf("picture: %s: the same counts as a heat map, a cell the darker the larger its share of its row\n",
               path);

    kit_section("The first 32 misclassified test images");
    Matrix mistakes = kit_matrix_create(SHOWN_MISTAKES, 784);
    char captions[SHOWN_MISTAKES][16];
    const char *caption_of[SHOWN_MISTAKES];
    int shown = 0, wrong = 0;
    for (int i = 0; i < data.test_images.rows; i++) {
        int guess = predicted_class(probabilities.data + (size_t)i * CLASSES, CLASSES);
        int truth = (int)data.test_labels.data[i];
        if (guess == truth)
            continue;
        wrong++;
        if (shown < SHOWN_MISTAKES) {
            memcpy(mistakes.data + (size_t)shown * 784, data.test_images.data + (size_t)i * 784, 784 * sizeof(float));
            snprintf(captions[shown], sizeof captions[shown], "%d as %d", truth, guess);
            caption_of[shown] = captions[shown];
            printf("%s#%-5d %d->%d", shown % 8 ? "  " : "", i, truth, guess);
            if (++shown % 8 == 0)
                printf("\n");
        }
    }
    printf("%d of %d test images are misclassified; above: the image's index, its true class -> the predicted one\n",
           wrong, data.test_images.rows);
    path = kit_picture_path("4.5-mistakes.png");
    const KitImageGrid mistake_grid = {.title = "Misclassified test images: true class as predicted class",
                                       .height = 28, .width = 28, .columns = 8, .scale = 3, .captions = caption_of};
    if (kit_plot_images(path, &mistake_grid, &mistakes, shown, error, sizeof error) != 0)
        printf("could not draw the picture: %s\n", error);
    else
        printf("picture: %s: the %d images in the same order, 8 to a row, each pixel a 3 x 3 square, each captioned "
               "\"true as predicted\"\n", path, shown);

    kit_cnn_work_free(&work), kit_cnn_work_free(&eval);
    kit_cnn_free(&cnn), kit_cnn_free(&velocity);
    kit_matrix_free(&probabilities), kit_matrix_free(&counts), kit_matrix_free(&mistakes);
    kit_matrix_free(&plain), kit_matrix_free(&plain_velocity), kit_matrix_free(&heavy);
    kit_matrix_free(&heavy_velocity), kit_matrix_free(&gradient);
    kit_dataset_free(&data);
    return 0;
}
