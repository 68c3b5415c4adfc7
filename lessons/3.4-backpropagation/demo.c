/*
 * The demo of chapter 3.4: Backpropagation for Training MLPs.
 * Run it with your code:  make run CH=3.4
 * It walks through the lesson and calls your functions from exercise.c (and, through them, your
 * one_hot, forward_mlp and cross_entropy of 3.3, relu and softmax of 3.2, linear_layer of 1.2 and
 * shuffle_indices and gather_rows of 2.3). The second half trains a 784 -> 256 -> 10 network on the
 * 60,000 training images of the data set, with a progress bar, and draws its curves.
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define HIDDEN 256
#define CLASSES 10
#define BATCH 64
#define EPOCHS 5
#define LEARNING_RATE 0.3f
#define LAST_LEARNING_RATE 0.03f

/* The network of 3.3's example and its two examples, labels 1 and 2. */
static const float example_x[] = {1, 0, 2, 0, -1, 1};
static const float example_w1[] = {0.5f, -1, 0, 1, 1, 0.5f, -0.5f, 0, 0, 1, 0.5f, -1}, example_b1[] = {0, 0.5f, -0.5f, 0.25f};
static const float example_w2[] = {1, 0, -1, 0.5f, 1, 0, 0, -1, 1, 2, 2, 2}, example_b2[] = {0, 0.5f, -0.5f};
static const float example_labels[] = {1, 2};

typedef struct {
    Matrix X, Y;
    Mlp mlp;
    MlpCache cache;
} Example;

static float example_loss(Example *e)
{
    forward_mlp(&e->cache, &e->X, &e->mlp);
    return cross_entropy(&e->cache.A2, &e->Y);
}

/* The largest floored relative error |a - n| / max(|a|, |n|, 1) between backward_mlp's gradient of
 * parameter P and central differences of the loss (h = 1e-2), over all of P's elements. */
static double gradient_error(Example *e, Matrix *P, const Matrix *analytic)
{
    const float h = 1e-2f;
    double worst = 0.0;
    for (int k = 0; k < P->rows * P->cols; k++) {
        float saved = P->data[k];
        P->data[k] = saved + h;
        double up = example_loss(e);
        P->data[k] = saved - h;
        double down = example_loss(e);
        P->data[k] = saved;
        double numeric = (up - down) / (2.0 * h), a = analytic->data[k];
        double scale = fmax(fmax(fabs(a), fabs(numeric)), 1.0);
        worst = fmax(worst, fabs(a - numeric) / scale);
    }
    example_loss(e); /* the caches as they were */
    return worst;
}

/* Test accuracy of the network on images (N x D), labels (N x 1), in batches of 1000 through your forward_mlp. */
static double test_accuracy(const Matrix *images, const Matrix *labels, const Mlp *mlp, const MlpCache *cache)
{
    int N = images->rows, D = images->cols, chunk = cache->Z1.rows;
    double right = 0.0;
    for (int start = 0; start < N; start += chunk) {
        int m = N - start < chunk ? N - start : chunk;
        Matrix X = {m, D, images->data + (size_t)start * D}, y = {m, 1, labels->data + start};
        MlpCache rows = *cache; /* the first m rows of the cache: headers over the same memory */
        rows.Z1.rows = rows.A1.rows = rows.Z2.rows = rows.A2.rows = m;
        forward_mlp(&rows, &X, mlp);
        right += kit_argmax_accuracy(&rows.A2, &y) * m;
    }
    return right / N;
}

int main(void)
{
    kit_section("Backpropagation on the 3 -> 4 -> 3 example of chapter 3.3");
    Example e = {kit_matrix_from(2, 3, example_x), kit_matrix_create(2, 3),
                 {kit_matrix_from(3, 4, example_w1), kit_matrix_from(1, 4, example_b1), kit_matrix_from(4, 3, example_w2),
                  kit_matrix_from(1, 3, example_b2)},
                 {kit_matrix_create(2, 4), kit_matrix_create(2, 4), kit_matrix_create(2, 3), kit_matrix_create(2, 3)}};
    Matrix labels = kit_matrix_from(2, 1, example_labels);
    one_hot(&e.Y, &labels);
    float loss = example_loss(&e);
    printf("labels [1, 2]; loss before any step: %.4f\n", loss);
    kit_matrix_print("A2 (probabilities)", &e.cache.A2, 4);
    MlpGradients g = {kit_matrix_create(3, 4), kit_matrix_create(1, 4), kit_matrix_create(4, 3),
                      kit_matrix_create(1, 3), kit_matrix_create(2, 4), kit_matrix_create(2, 3)};
    backward_mlp(&g, &e.cache, &e.X, &e.Y, &e.mlp);
    kit_matrix_print("dZ2 = (A2 - Y) / 2", &g.dZ2, 4);
    kit_matrix_print("dW2 = A1^T dZ2", &g.dW2, 4);
    kit_matrix_print("db2", &g.db2, 4);
    kit_matrix_print("dZ1 = (dZ2 W2^T) * relu'(Z1)", &g.dZ1, 4);
    kit_matrix_print("dW1 = X^T dZ1", &g.dW1, 4);
    kit_matrix_print("db1", &g.db1, 4);

    kit_section("The same gradients by central differences");
    Matrix *parameters[] = {&e.mlp.W1, &e.mlp.b1, &e.mlp.W2, &e.mlp.b2};
    Matrix *gradients[] = {&g.dW1, &g.db1, &g.dW2, &g.db2};
    const char *names[] = {"W1", "b1", "W2", "b2"};
    for (int p = 0; p < 4; p++)
        printf("%s: largest floored relative error %.1e over %d elements\n", names[p],
               gradient_error(&e, parameters[p], gradients[p]), parameters[p]->rows * parameters[p]->cols);

    kit_section("Steps downhill on the example");
    KitMlpWork small = kit_mlp_work_create(2, 2, 3, 4, 3);
    kit_mlp_work_rows(&small, 2);
    kit_matrix_copy(&small.X, &e.X);
    kit_matrix_copy(&small.labels, &labels);
    for (int step = 1; step <= 5; step++) {
        float before = train_mlp_step(&e.mlp, &small, 0.5f);
        printf("step %d (lr 0.5): loss before %.4f, after %.4f\n", step, before, example_loss(&e));
    }
    kit_matrix_print("A2 after 5 steps", &e.cache.A2, 4);
    kit_mlp_work_free(&small);

    kit_section("Training on the image data set");
    KitDatasetPlace place;
    KitDataset data;
    char error[512];
    if (kit_dataset_find(&place, error, sizeof error) != 0 || kit_dataset_load(&data, &place, error, sizeof error) != 0)
        kit_fatal("%s", error);
    const Matrix *X = &data.train_images, *y = &data.train_labels;
    int N = X->rows, D = X->cols, steps = (N + BATCH - 1) / BATCH;
    printf("%s: %d training images, %d test images\n", place.name, N, data.test_images.rows);
    printf("784 -> %d -> %d, batches of %d (%d steps an epoch), learning rate %g, the last epoch %g\n", HIDDEN,
           CLASSES, BATCH, steps, LEARNING_RATE, LAST_LEARNING_RATE);
    KitRng rng;
    kit_rng_seed(&rng, 34);
    Mlp mlp = kit_mlp_create(D, HIDDEN, CLASSES, &rng); /* He initialisation: W1, then W2; zero biases */
    KitMlpWork work = kit_mlp_work_create(N, BATCH, D, HIDDEN, CLASSES);
    MlpCache test = {kit_matrix_create(1000, HIDDEN), kit_matrix_create(1000, HIDDEN),
                     kit_matrix_create(1000, CLASSES), kit_matrix_create(1000, CLASSES)};
    printf("before training: test accuracy %.2f%%\n",
           100 * test_accuracy(&data.test_images, &data.test_labels, &mlp, &test));
    float *step_losses = malloc((size_t)EPOCHS * steps * sizeof *step_losses);
    float train_accuracy[EPOCHS], test_accuracies[EPOCHS], epoch_loss[EPOCHS];
    double seconds = 0.0;
    for (int epoch = 1; epoch <= EPOCHS; epoch++) {
        KitProgress progress;
        kit_progress_begin(&progress, epoch, EPOCHS, steps);
        progress.step_losses = step_losses + (size_t)(epoch - 1) * steps;
        float lr = epoch < EPOCHS ? LEARNING_RATE : LAST_LEARNING_RATE;
        double started = kit_seconds();
        epoch_loss[epoch - 1] = train_mlp_epoch(&mlp, X, y, &work, lr, &rng, &progress);
        seconds += kit_seconds() - started;
        kit_progress_end(&progress);
        train_accuracy[epoch - 1] = (float)progress.right / (float)progress.seen;
        test_accuracies[epoch - 1] = (float)test_accuracy(&data.test_images, &data.test_labels, &mlp, &test);
        printf("        test accuracy %.2f%%\n", 100 * test_accuracies[epoch - 1]);
    }
    printf("%d epochs in %.1f s: %.2f s an epoch\n", EPOCHS, seconds, seconds / EPOCHS);

    /* the loss of every step, and a smoother curve: the mean over each run of 100 steps */
    int total = EPOCHS * steps, runs = total / 100;
    float *smooth = malloc((size_t)runs * sizeof *smooth);
    for (int r = 0; r < runs; r++) {
        double sum = 0.0;
        for (int k = 0; k < 100; k++)
            sum += step_losses[r * 100 + k];
        smooth[r] = (float)(sum / 100);
    }
    const char *loss_path = kit_picture_path("3.4-loss.png");
    KitCurve loss_curves[] = {{smooth, runs, "training loss, mean of 100 steps"}};
    const KitChart loss_chart = {.title = "Training loss of the 2-layer network", .x_label = "training step",
                                 .y_label = "loss", .log_y = 1, .x_first = 100, .x_step = 100};
    if (kit_plot_curves(loss_path, &loss_chart, loss_curves, 1, error, sizeof error) != 0)
        printf("could not draw the chart: %s\n", error);
    else
        printf("loss curve: %s\nx axis: %d steps, each point the mean loss of 100 steps; y axis: log scale\n  %s: "
               "training loss (from %.3f to %.3f)\n",
               loss_path, total, kit_plot_color_names[0], smooth[0], smooth[runs - 1]);
    const char *accuracy_path = kit_picture_path("3.4-accuracy.png");
    KitCurve accuracy_curves[] = {{train_accuracy, EPOCHS, "training accuracy (during the epoch)"},
                                  {test_accuracies, EPOCHS, "test accuracy (after the epoch)"}};
    const KitChart accuracy_chart = {.title = "Accuracy of the 2-layer network", .x_label = "epoch",
                                     .y_label = "accuracy", .x_first = 1};
    if (kit_plot_curves(accuracy_path, &accuracy_chart, accuracy_curves, 2, error, sizeof error) != 0)
        printf("could not draw the chart: %s\n", error);
    else
        printf("accuracy curves: %s\nx axis: epochs 1 to %d; y axis: accuracy, linear\n  %s: training accuracy (during the epoch)\n  %s: test "
               "accuracy (after the epoch)\n",
               accuracy_path, EPOCHS, kit_plot_color_names[0], kit_plot_color_names[1]);
    printf("the mean loss of each epoch:");
    for (int k = 0; k < EPOCHS; k++)
        printf(" %.4f", epoch_loss[k]);
    printf("\n");

    free(smooth), free(step_losses);
    kit_mlp_work_free(&work);
    kit_mlp_free(&mlp), kit_mlp_free(&e.mlp);
    Matrix *all[] = {&test.Z1, &test.A1,  &test.Z2, &test.A2,    &g.dW1,      &g.db1,      &g.dW2,      &g.db2,
                     &g.dZ1,   &g.dZ2,    &labels,  &e.X,        &e.Y,        &e.cache.Z1, &e.cache.A1, &e.cache.Z2,
                     &e.cache.A2};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        kit_matrix_free(all[k]);
    kit_dataset_free(&data);
    return 0;
}
