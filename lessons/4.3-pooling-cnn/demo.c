/*
 * The demo of chapter 4.3: Pooling and CNN Architecture.
 * Run it with your code:  make run CH=4.3
 * It walks through the lesson and calls your functions from exercise.c: max pooling on a small example and its
 * gradient, why pooling may come before ReLU, the CNN's shapes and parameters, five epochs of training with a
 * progress bar (a loss curve, the learned filters and one image's feature maps are written as pictures), and
 * where the time of a training step goes.
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILTERS1 8
#define FILTERS2 16
#define HIDDEN 64
#define CLASSES 10
#define BATCH 64
#define EPOCHS 5
#define LR 0.1f
#define LAST_LR 0.01f
#define POINTS_PER_EPOCH 20
#define TIMED_RUNS 15

static const char *const fashion_classes[10] = {"T-shirt/top", "trouser", "pullover", "dress", "coat",
                                                "sandal", "shirt", "sneaker", "bag", "ankle boot"};

/* Prints the ints of argmax as a rows x cols matrix. */
static void print_ints(const char *name, const int *values, int rows, int cols)
{
    Matrix m = kit_matrix_create(rows, cols);
    for (int k = 0; k < rows * cols; k++)
        m.data[k] = (float)values[k];
    kit_matrix_print(name, &m, 0);
    kit_matrix_free(&m);
}

/* The test set's mean loss and accuracy with your forward_cnn, in batches of the work's size. */
static void evaluate(double *loss, double *accuracy, const Cnn *cnn, KitCnnWork *work, const Matrix *images,
                     const Matrix *labels)
{
    double loss_sum = 0.0, right = 0.0;
    int N = images->rows, D = images->cols;
    for (int start = 0; start < N; start += work->batch_size) {
        int m = N - start < work->batch_size ? N - start : work->batch_size;
        kit_cnn_work_rows(work, m);
        memcpy(work->X.data, images->data + (size_t)start * D, (size_t)m * D * sizeof(float));
        memcpy(work->labels.data, labels->data + start, (size_t)m * sizeof(float));
        forward_cnn(work, cnn);
        one_hot(&work->Y, &work->labels);
        loss_sum += (double)cross_entropy(&work->A4, &work->Y) * m;
        right += kit_argmax_accuracy(&work->A4, &work->labels) * m;
    }
    *loss = loss_sum / N;
    *accuracy = right / N;
}

/* The shortest time in seconds of TIMED_RUNS calls of what(work, cnn), after one untimed call: on a machine shared
 * with other work, the fastest run is the one least disturbed. */
typedef void (*Part)(KitCnnWork *work, Cnn *cnn);
static double time_part(Part what, KitCnnWork *work, Cnn *cnn)
{
    double fastest = INFINITY;
    what(work, cnn);
    for (int r = 0; r < TIMED_RUNS; r++) {
        double start = kit_seconds();
        what(work, cnn);
        fastest = fmin(fastest, kit_seconds() - start);
    }
    return fastest;
}

static void part_stage1(KitCnnWork *w, Cnn *cnn)
{
    conv2d_im2col(&w->Z1, &w->columns1, &w->X, &cnn->W1, &cnn->b1, cnn->shape);
    max_pool(&w->pooled1, w->argmax1, &w->Z1, KIT_CNN_POOL, cnn->W1.rows, 26, 26);
    relu(&w->A1, &w->pooled1);
}
static void part_stage2(KitCnnWork *w, Cnn *cnn)
{
    conv2d_im2col(&w->Z2, &w->columns2, &w->A1, &cnn->W2, &cnn->b2, cnn_second_shape(cnn));
    max_pool(&w->pooled2, w->argmax2, &w->Z2, KIT_CNN_POOL, cnn->W2.rows, 11, 11);
    relu(&w->A2, &w->pooled2);
}
static void part_dense(KitCnnWork *w, Cnn *cnn)
{
    linear_layer(&w->Z3, &w->A2, &cnn->W3, &cnn->b3);
    relu(&w->A3, &w->Z3);
    linear_layer(&w->Z4, &w->A3, &cnn->W4, &cnn->b4);
    softmax(&w->A4, &w->Z4);
}
static void part_forward(KitCnnWork *w, Cnn *cnn) { forward_cnn(w, cnn); }
static void part_backward(KitCnnWork *w, Cnn *cnn) { backward_cnn(w, cnn); }
static void part_stage2_backward(KitCnnWork *w, Cnn *cnn)
{
    backward_max_pool(&w->dZ2, &w->dpooled2, w->argmax2);
    backward_conv2d(&w->dA1, &w->dW2, &w->db2, &w->dZ2, &w->A1, &cnn->W2, &w->columns2, cnn_second_shape(cnn));
}
static void part_stage1_backward(KitCnnWork *w, Cnn *cnn)
{
    backward_max_pool(&w->dZ1, &w->dpooled1, w->argmax1);
    backward_conv2d(NULL, &w->dW1, &w->db1, &w->dZ1, &w->X, &cnn->W1, &w->columns1, cnn->shape);
}

int main(void)
{
    char error[1024];

    kit_section("Max pooling: max_pool");
    const float pixels[16] = {1, 3, 2, 0, 4, 2, 1, 5, 0, 0, 7, 1, 0, 0, 2, 3};
    Matrix X = kit_matrix_from(1, 16, pixels), out = kit_matrix_create(1, 4);
    int argmax[4];
    Matrix image_view = {4, 4, X.data}, out_view = {2, 2, out.data};
    kit_matrix_print("X: one 4x4 image", &image_view, 0);
    max_pool(&out, argmax, &X, 2, 1, 4, 4);
    kit_matrix_print("out = max_pool(X, 2): the largest of each 2x2 window", &out_view, 0);
    print_ints("argmax: where each came from, as an index in the row of 16 pixels", argmax, 2, 2);
    for (int o = 0; o < 4; o++) {
        int py = o / 2, px = o % 2, top = 2 * py * 4 + 2 * px;
        printf("window (%d, %d): %g %g %g %g -> %g, index %d = row %d, column %d\n", py, px, pixels[top],
               pixels[top + 1], pixels[top + 4], pixels[top + 5], out.data[o], argmax[o], argmax[o] / 4,
               argmax[o] % 4);
    }
    float five[25];
    for (int y = 0; y < 5; y++)
        for (int x = 0; x < 5; x++)
            five[y * 5 + x] = y < 4 && x < 4 ? pixels[y * 4 + x] : 9;
    Matrix X5 = kit_matrix_from(1, 25, five), out5 = kit_matrix_create(1, 4);
    Matrix five_view = {5, 5, X5.data}, out5_view = {2, 2, out5.data};
    int argmax5[4];
    kit_matrix_print("X5: the same image with a fifth row and column of 9s", &five_view, 0);
    max_pool(&out5, argmax5, &X5, 2, 1, 5, 5);
    kit_matrix_print("max_pool(X5, 2): 5 / 2 = 2 windows each way, the 9s are in none", &out5_view, 0);
    print_ints("argmax in the row of 25", argmax5, 2, 2);
    Matrix out3 = kit_matrix_create(1, 1);
    int argmax3[1];
    max_pool(&out3, argmax3, &X, 3, 1, 4, 4);
    printf("max_pool(X, 3): 4 / 3 = 1 window each way, the top-left 3x3: out = [%g], argmax = [%d] (row %d, column %d)\n",
           out3.data[0], argmax3[0], argmax3[0] / 4, argmax3[0] % 4);
    Matrix out1 = kit_matrix_create(1, 16);
    int argmax1[16], same = 0;
    max_pool(&out1, argmax1, &X, 1, 1, 4, 4);
    for (int k = 0; k < 16; k++)
        same += out1.data[k] == pixels[k] && argmax1[k] == k;
    printf("max_pool(X, 1): 16 windows of one pixel; out[k] = X[k] and argmax[k] = k for %d of the 16\n", same);

    kit_section("The gradient goes to the argmax: backward_max_pool");
    const float gradient[4] = {0.1f, 0.2f, 0.3f, 0.4f};
    Matrix dout = kit_matrix_from(1, 4, gradient), dX = kit_matrix_create(1, 16);
    Matrix dout_view = {2, 2, dout.data}, dX_view = {4, 4, dX.data};
    kit_matrix_print("dout = dL/dout", &dout_view, 1);
    backward_max_pool(&dX, &dout, argmax);
    kit_matrix_print("dX = backward_max_pool(dout, argmax)", &dX_view, 1);
    double dX_sum = 0.0;
    int zeros = 0;
    for (int k = 0; k < 16; k++)
        dX_sum += dX.data[k], zeros += dX.data[k] == 0.0f;
    printf("the sum of dX: %.1f, the sum of dout; %d of the 16 pixels get 0\n", dX_sum, zeros);

    KitDatasetPlace place;
    KitDataset data;
    if (kit_dataset_find(&place, error, sizeof error) != 0 ||
        kit_dataset_load(&data, &place, error, sizeof error) != 0) {
        fprintf(stderr, "error: %s\n", error);
        return 1;
    }

    kit_section("The CNN, layer by layer");
    KitCnnSizes sizes = {1, 28, 28, 3, FILTERS1, FILTERS2, HIDDEN, CLASSES};
    KitCnnLayout l = kit_cnn_layout(sizes);
    KitRng init, shuffle;
    kit_rng_seed(&init, 43);
    kit_rng_seed(&shuffle, 44);
    Cnn cnn = kit_cnn_create(sizes, &init);
    int conv1_parameters = FILTERS1 * 9 + FILTERS1, conv2_parameters = FILTERS2 * FILTERS1 * 9 + FILTERS2;
    int hidden_parameters = l.pooled2 * HIDDEN + HIDDEN, output_parameters = HIDDEN * CLASSES + CLASSES;
    int parameters = conv1_parameters + conv2_parameters + hidden_parameters + output_parameters;
    int mlp_parameters = 784 * 256 + 256 + 256 * 10 + 10;
    char note[64];
    printf("%-24s%-21s%6s  %s\n", "layer", "output of one image", "values", "parameters");
    printf("%-24s%-21s%6d\n", "input", "1 x 28 x 28", 784);
    snprintf(note, sizeof note, "%d (8 x 9 weights, 8 biases)", conv1_parameters);
    printf("%-24s%-21s%6d  %s\n", "conv, 8 filters 3x3", "8 x 26 x 26", l.maps1, note);
    printf("%-24s%-21s%6d\n", "max pool 2x2, ReLU", "8 x 13 x 13", l.pooled1);
    snprintf(note, sizeof note, "%d (16 x 72 weights, 16 biases)", conv2_parameters);
    printf("%-24s%-21s%6d  %s\n", "conv, 16 filters 8x3x3", "16 x 11 x 11", l.maps2, note);
    printf("%-24s%-21s%6d\n", "max pool 2x2, ReLU", "16 x 5 x 5", l.pooled2);
    snprintf(note, sizeof note, "%d (%d x %d weights, %d biases)", hidden_parameters, l.pooled2, HIDDEN, HIDDEN);
    printf("%-24s%-21s%6d  %s\n", "dense, ReLU", "64", HIDDEN, note);
    snprintf(note, sizeof note, "%d (%d x 10 weights, 10 biases)", output_parameters, HIDDEN);
    printf("%-24s%-21s%6d  %s\n", "dense, softmax", "10", CLASSES, note);
    printf("the CNN: %d parameters; the MLP of chapter 3.4 (784 -> 256 -> 10): %d, %.1f times as many\n", parameters,
           mlp_parameters, (double)mlp_parameters / parameters);
    long conv_flops = 2L * (l.maps1 * 9 + l.maps2 * FILTERS1 * 9), dense_flops = 2L * (l.pooled2 * HIDDEN + HIDDEN * 10);
    printf("forward work per image: %ld (the convolutions) + %ld (dense) = %ld floating-point operations; the MLP: "
           "%ld\n",
           conv_flops, dense_flops, conv_flops + dense_flops, 2L * (784 * 256 + 256 * 10));

    kit_section("Pooling before ReLU gives the same numbers");
    KitCnnWork work = kit_cnn_work_create(data.train_images.rows, BATCH, sizes);
    kit_cnn_work_rows(&work, 1);
    memcpy(work.X.data, data.test_images.data, 784 * sizeof(float));
    forward_cnn(&work, &cnn);
    int P = l.pooled1;
    Matrix rectified = kit_matrix_create(1, l.maps1), relu_first = kit_matrix_create(1, P);
    int *relu_first_argmax = malloc((size_t)P * sizeof *relu_first_argmax);
    relu(&rectified, &work.Z1);
    max_pool(&relu_first, relu_first_argmax, &rectified, KIT_CNN_POOL, FILTERS1, 26, 26);
    double largest = 0.0;
    int off_windows = 0, moved = 0;
    for (int k = 0; k < P; k++) {
        largest = fmax(largest, fabs((double)relu_first.data[k] - work.A1.data[k]));
        off_windows += !(work.pooled1.data[k] > 0.0f);
        moved += relu_first_argmax[k] != work.argmax1[k];
    }
    printf("test image 0 through the 8 random filters of stage 1: relu then max_pool, against max_pool then relu "
           "(your forward_cnn)\n");
    printf("largest difference over the %d pooled values: %g\n", P, largest);
    printf("ReLU applied to %d values instead of %d\n", P, l.maps1);
    printf("windows whose four values are all <= 0: %d of %d; the argmax differs in %d of them, where the gradient "
           "is 0 either way\n",
           off_windows, P, moved);
    kit_matrix_free(&rectified), kit_matrix_free(&relu_first);
    free(relu_first_argmax);

    kit_section("Training the CNN: your train_cnn_step");
    int N = data.train_images.rows, steps = (N + BATCH - 1) / BATCH;
    printf("data set: %s; He initialisation (seed 43), zero biases; batches of %d, learning rate %g for epochs 1 "
           "to %d and %g for epoch %d, shuffles from seed 44\n",
           place.name, BATCH, LR, EPOCHS - 1, LAST_LR, EPOCHS);
    float *step_losses = malloc((size_t)EPOCHS * steps * sizeof *step_losses);
    float curve[EPOCHS * POINTS_PER_EPOCH];
    double epoch_seconds[EPOCHS];
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
        KitProgress progress;
        kit_progress_begin(&progress, epoch + 1, EPOCHS, steps);
        double started = kit_seconds();
        /* the loop of train_cnn_epoch, written out here to keep every step's loss for the curve */
        shuffle_indices(work.order, N, &shuffle);
        for (int s = 0; s < steps; s++) {
            int start = s * BATCH, m = N - start < BATCH ? N - start : BATCH;
            kit_cnn_work_rows(&work, m);
            gather_rows(&work.X, &data.train_images, work.order, start);
            gather_rows(&work.labels, &data.train_labels, work.order, start);
            float loss = train_cnn_step(&cnn, &work, epoch < EPOCHS - 1 ? LR : LAST_LR);
            step_losses[epoch * steps + s] = loss;
            kit_progress_step(&progress, loss, &work.A4, &work.labels);
        }
        epoch_seconds[epoch] = kit_seconds() - started;
        kit_progress_end(&progress);
        double test_loss, test_accuracy;
        evaluate(&test_loss, &test_accuracy, &cnn, &work, &data.test_images, &data.test_labels);
        printf("  test loss %.4f  test accuracy %.2f%%\n", test_loss, 100 * test_accuracy);
    }
    double fastest = epoch_seconds[0];
    for (int epoch = 1; epoch < EPOCHS; epoch++)
        fastest = fmin(fastest, epoch_seconds[epoch]);
    printf("the fastest epoch: %.2f s, %.3f ms a step\n", fastest, 1000 * fastest / steps);
    for (int p = 0; p < EPOCHS * POINTS_PER_EPOCH; p++) {
        int epoch = p / POINTS_PER_EPOCH, first = (p % POINTS_PER_EPOCH) * steps / POINTS_PER_EPOCH,
            last = (p % POINTS_PER_EPOCH + 1) * steps / POINTS_PER_EPOCH;
        double sum = 0.0;
        for (int s = first; s < last; s++)
            sum += step_losses[epoch * steps + s];
        curve[p] = (float)(sum / (last - first));
    }
    char loss_name[64];
    snprintf(loss_name, sizeof loss_name, "the training loss of the CNN, %d epochs", EPOCHS);
    KitCurve loss_curve = {curve, EPOCHS * POINTS_PER_EPOCH, loss_name};
    const KitChart loss_chart = {.title = "Training loss of the CNN", .x_label = "epoch", .y_label = "loss",
                                 .log_y = 1, .x_first = 1.0f / POINTS_PER_EPOCH, .x_step = 1.0f / POINTS_PER_EPOCH};
    const char *path = kit_picture_path("4.3-training-loss.png");
    if (kit_plot_curves(path, &loss_chart, &loss_curve, 1, error, sizeof error) != 0) {
        printf("could not draw the chart: %s\n", error);
    } else {
        double low = INFINITY, high = -INFINITY;
        for (int p = 0; p < EPOCHS * POINTS_PER_EPOCH; p++)
            low = fmin(low, curve[p]), high = fmax(high, curve[p]);
        printf("loss curve: %s\n", path);
        printf("x axis: %d points per epoch (each the mean loss of %d or %d steps); y axis: log scale from %g to "
               "%g\n",
               POINTS_PER_EPOCH, steps / POINTS_PER_EPOCH, steps / POINTS_PER_EPOCH + 1, pow(10, floor(log10(low))),
               pow(10, ceil(log10(high))));
        printf("  %s: the training loss of the CNN, %d epochs\n", kit_plot_color_names[0], EPOCHS);
    }
    free(step_losses);

    kit_section("What the filters learned");
    printf("the 8 filters of 3 x 3 of stage 1 (the rows of W1), four side by side, each with its bias from b1:\n");
    for (int group = 0; group < FILTERS1; group += 4)
        for (int line = -1; line < 3; line++) {
            char text[160];
            int used = 0;
            for (int f = group; f < group + 4; f++) {
                const float *w = cnn.W1.data + f * 9;
                if (line < 0)
                    used += snprintf(text + used, sizeof text - used, "  filter %d, b = %5.2f  ", f,
                                     cnn.b1.data[f]);
                else
                    used += snprintf(text + used, sizeof text - used, "  %6.2f %6.2f %6.2f  ", w[line * 3],
                                     w[line * 3 + 1], w[line * 3 + 2]);
            }
            while (used > 0 && text[used - 1] == ' ')
                text[--used] = '\0';
            printf("%s\n", text);
        }
    path = kit_picture_path("4.3-filters.png");
    const KitImageGrid filter_grid = {.title = "The filters of stage 1", .height = 3, .width = 3,
                                      .columns = FILTERS1, .scale = 32, .numbered = "filter"};
    if (kit_plot_images(path, &filter_grid, &cnn.W1, FILTERS1, error, sizeof error) != 0)
        printf("could not draw the picture: %s\n", error);
    else
        printf("picture: %s: the 8 filters of stage 1, each weight a 32 x 32 square (black the most negative, white the most "
               "positive, each filter on its own scale)\n",
               path);

    kit_section("One image through the trained CNN");
    kit_cnn_work_rows(&work, 1);
    memcpy(work.X.data, data.test_images.data, 784 * sizeof(float));
    forward_cnn(&work, &cnn);
    int label = (int)data.test_labels.data[0], mnist = strcmp(place.name, "MNIST") == 0, best = 0;
    for (int k = 1; k < CLASSES; k++)
        if (work.A4.data[k] > work.A4.data[best])
            best = k;
    char truth[48], guess[48];
    if (mnist) {
        snprintf(truth, sizeof truth, "the digit %d", label);
        snprintf(guess, sizeof guess, "the digit %d", best);
    } else {
        snprintf(truth, sizeof truth, "class %d, %s", label, fashion_classes[label]);
        snprintf(guess, sizeof guess, "class %d, %s", best, fashion_classes[best]);
    }
    printf("test image 0 (%s): the CNN says %s with probability %.4f\n", truth, guess, work.A4.data[best]);
    struct {
        const char *file, *what;
        const Matrix *images;
        int count, side, per_row, scale;
        const char *title, *numbered;
    } pictures[4] = {
        {"4.3-image.png", "test image 0", &work.X, 1, 28, 4, 8, "Test image 0", NULL},
        {"4.3-feature-maps.png", "its 8 feature maps Z1 of 26 x 26, in the order of the filters", &work.Z1, FILTERS1,
         26, 4, 8, "Stage 1: the feature maps Z1", "map"},
        {"4.3-pooled-maps.png", "the 8 maps after pooling and ReLU (A1), 13 x 13", &work.A1, FILTERS1, 13, 4, 16,
         "Stage 1 after pooling and ReLU: A1", "map"},
        {"4.3-stage-2-maps.png", "the 16 maps of stage 2 (Z2), 11 x 11, made from all 8 of A1", &work.Z2, FILTERS2, 11,
         8, 16, "Stage 2: the feature maps Z2", "map"},
    };
    for (int p = 0; p < 4; p++) {
        path = kit_picture_path(pictures[p].file);
        const KitImageGrid grid = {.title = pictures[p].title, .height = pictures[p].side, .width = pictures[p].side,
                                   .columns = pictures[p].per_row, .scale = pictures[p].scale,
                                   .numbered = pictures[p].numbered};
        if (kit_plot_images(path, &grid, pictures[p].images, pictures[p].count, error, sizeof error) != 0)
            printf("could not draw the picture: %s\n", error);
        else
            printf("picture: %s: %s, each value a %d x %d square\n", path, pictures[p].what, pictures[p].scale,
                   pictures[p].scale);
    }

    kit_section("Where the time goes");
    kit_cnn_work_rows(&work, BATCH);
    gather_rows(&work.X, &data.train_images, work.order, 0);
    gather_rows(&work.labels, &data.train_labels, work.order, 0);
    one_hot(&work.Y, &work.labels);
    forward_cnn(&work, &cnn);
    backward_cnn(&work, &cnn);
    struct {
        const char *what;
        Part part;
    } parts[] = {
        {"forward_cnn", part_forward},
        {"  stage 1: conv, pool, relu", part_stage1},
        {"  stage 2: conv, pool, relu", part_stage2},
        {"  the dense layers, softmax", part_dense},
        {"backward_cnn", part_backward},
        {"  stage 2: pool, conv", part_stage2_backward},
        {"  stage 1: pool, conv", part_stage1_backward},
    };
    printf("a batch of %d images, the fastest of %d runs of each:\n", BATCH, TIMED_RUNS);
    double step = 0.0;
    for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
        double seconds = time_part(parts[k].part, &work, &cnn);
        if (parts[k].what[0] != ' ')
            step += seconds;
        printf("%-30s %7.3f ms\n", parts[k].what, 1000 * seconds);
    }
    printf("the two passes, %d times: %.2f s an epoch\n", steps, step * steps);

    kit_cnn_work_free(&work);
    kit_dataset_free(&data);
    kit_cnn_free(&cnn);
    kit_matrix_free(&X), kit_matrix_free(&out), kit_matrix_free(&X5), kit_matrix_free(&out5);
    kit_matrix_free(&out3), kit_matrix_free(&out1);
    kit_matrix_free(&dout), kit_matrix_free(&dX);
    return 0;
}
