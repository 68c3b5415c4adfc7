/*
 * The final exam of the course: one program that runs a piece of every module with your functions.
 * Run it with your code:  make run CH=4.5 DEMO=final_exam
 * No new ideas here: taste vectors and a data set as a matrix (Module 1), a regression fitted by gradient descent
 * that must recover known coefficients (Module 2), a small MLP trained by backpropagation, here with momentum
 * (Module 3 and this chapter), and a convolution with pooling on an image of the data set (Module 4).
 * Every number it prints is computed by your code from exercise.c of chapters 1.1 to 4.5.
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REGRESSION_ROWS 200
#define REGRESSION_STEPS 100
#define MLP_HIDDEN 4
#define MLP_STEPS 200

/* Prints a map as characters, from ' ' (its smallest value) to '@' (its largest). */
static void print_shades(const float *map, int height, int width)
{
    const char shades[] = " .:-=+*#%@";
    float low = map[0], high = map[0];
    for (int k = 1; k < height * width; k++)
        low = fminf(low, map[k]), high = fmaxf(high, map[k]);
    for (int y = 0; y < height; y++) {
        char line[64];
        for (int x = 0; x < width; x++) {
            int level = high > low ? (int)(9.0f * (map[y * width + x] - low) / (high - low) + 0.5f) : 0;
            line[2 * x] = line[2 * x + 1] = shades[level];
        }
        line[2 * width] = '\0';
        printf("  |%s|\n", line);
    }
}

int main(void)
{
    char error[1024];

    kit_section("Module 1: vectors and a data set as a matrix");
    const float tastes[3][5] = {{9, 2, 8, 1, 7}, {8, 1, 9, 2, 6}, {1, 9, 2, 8, 1}};
    Matrix users[3];
    for (int u = 0; u < 3; u++)
        users[u] = kit_matrix_from(1, 5, tastes[u]);
    printf("music tastes (jazz, pop, rock, classical, blues): A = [9 2 8 1 7], B = [8 1 9 2 6], C = [1 9 2 8 1]\n");
    printf("|A| = %.4f, |B| = %.4f, |C| = %.4f\n", vector_norm(&users[0]), vector_norm(&users[1]),
           vector_norm(&users[2]));
    printf("cosine similarity: A, B %.4f; A, C %.4f; B, C %.4f\n", cosine_similarity(&users[0], &users[1]),
           cosine_similarity(&users[0], &users[2]), cosine_similarity(&users[1], &users[2]));

    Matrix people = kit_people_dataset();
    Matrix mean = kit_matrix_create(1, 4), std = kit_matrix_create(1, 4), min = kit_matrix_create(1, 4),
           max = kit_matrix_create(1, 4);
    column_stats(&mean, &std, &min, &max, &people);
    printf("the 8 people (%d x %d), column by column:\n", people.rows, people.cols);
    for (int j = 0; j < 4; j++)
        printf("  %-11s mean %9.2f  std %9.2f  min %7.0f  max %7.0f\n", kit_people_columns[j], mean.data[j],
               std.data[j], min.data[j], max.data[j]);
    Matrix features = kit_matrix_create(8, 3), labels = kit_matrix_create(8, 1);
    for (int i = 0; i < 8; i++) {
        for (int j = 0; j < 3; j++)
            features.data[i * 3 + j] = people.data[i * 4 + j];
        labels.data[i] = people.data[i * 4 + 3];
    }
    Matrix X = kit_matrix_create(8, 3), XT = kit_matrix_create(3, 8), correlation = kit_matrix_create(3, 3);
    normalize_columns(&X, &features);
    transpose(&XT, &X);
    matrix_multiply(&correlation, &XT, &X);
    for (int k = 0; k < 9; k++)
        correlation.data[k] /= 8.0f;
    kit_matrix_print("correlations of age, salary and experience: X^T X / 8 with X = normalize_columns(features)",
                     &correlation, 4);
    Matrix salaries = kit_matrix_create(8, 1), salaries_normalized = kit_matrix_create(8, 1);
    slice(&salaries, &people, 0, 1); /* column 1 of the people: 8 x 1 from (0, 1) */
    normalize(&salaries_normalized, &salaries);
    double gap = 0.0;
    for (int i = 0; i < 8; i++)
        gap = fmax(gap, fabs(salaries_normalized.data[i] - X.data[i * 3 + 1]));
    printf("normalize(salaries) against the salary column of normalize_columns: largest difference %.1e\n", gap);

    kit_section("Module 2: gradient descent recovers known coefficients");
    KitRng rng;
    kit_rng_seed(&rng, 2024);
    Matrix R = kit_matrix_create(REGRESSION_ROWS, 2), y = kit_matrix_create(REGRESSION_ROWS, 1);
    kit_matrix_fill_normal(&R, &rng, 0.0f, 1.0f);
    for (int i = 0; i < REGRESSION_ROWS; i++)
        y.data[i] = 3.0f * R.data[i * 2] - 2.0f * R.data[i * 2 + 1] + 5.0f + 0.1f * kit_rng_normal(&rng);
    printf("%d points y = 3 x1 - 2 x2 + 5 + noise (std 0.1), x1 and x2 standard normal\n", REGRESSION_ROWS);
    Matrix W = kit_matrix_create(2, 1), b = kit_matrix_create(1, 1), losses = kit_matrix_create(1, REGRESSION_STEPS);
    Matrix prediction = kit_matrix_create(REGRESSION_ROWS, 1);
    gradient_descent(&W, &b, &losses, &R, &y, 0.1f, REGRESSION_STEPS);
    linear_layer(&prediction, &R, &W, &b);
    printf("%d steps of gradient descent, lr 0.1, from W = 0, b = 0: MSE %.4f at step 0, %.4f at step 10, %.4f at "
           "step 20, %.4f at the end\n",
           REGRESSION_STEPS, losses.data[0], losses.data[10], losses.data[20], mse_loss(&prediction, &y));
    printf("recovered: w1 = %.4f, w2 = %.4f, b = %.4f (true: 3, -2, 5)\n", W.data[0], W.data[1], b.data[0]);
    Matrix residual = kit_matrix_create(REGRESSION_ROWS, 1), z = kit_matrix_create(REGRESSION_ROWS, 1);
    for (int i = 0; i < REGRESSION_ROWS; i++)
        residual.data[i] = y.data[i] - prediction.data[i];
    normalize(&z, &residual);
    printf("residuals as z-scores: %.1f%% within 1 std, %.1f%% within 2 (the normal distribution: 68.3%%, 95.4%%)\n",
           100 * share_within(&z, 1.0f), 100 * share_within(&z, 2.0f));

    kit_section("Module 3: an MLP learns who was promoted");
    printf("X = the 8 people's normalized age, salary and experience; 3 -> %d (ReLU) -> 2 (softmax); "
           "forward_mlp, cross_entropy, backward_mlp, then momentum_update (lr 0.1, beta 0.9)\n",
           MLP_HIDDEN);
    kit_rng_seed(&rng, 7);
    Mlp mlp = kit_mlp_create(3, MLP_HIDDEN, 2, &rng);       /* He initialisation: W1, then W2 */
    Mlp velocity = kit_mlp_create(3, MLP_HIDDEN, 2, NULL); /* momentum's velocities, one per parameter: zeros */
    Matrix Y = kit_matrix_create(8, 2);
    MlpCache cache = {kit_matrix_create(8, MLP_HIDDEN), kit_matrix_create(8, MLP_HIDDEN), kit_matrix_create(8, 2),
                      kit_matrix_create(8, 2)};
    MlpGradients g = {kit_matrix_create(3, MLP_HIDDEN), kit_matrix_create(1, MLP_HIDDEN),
                      kit_matrix_create(MLP_HIDDEN, 2), kit_matrix_create(1, 2),
                      kit_matrix_create(8, MLP_HIDDEN), kit_matrix_create(8, 2)};
    one_hot(&Y, &labels);
    for (int step = 0; step <= MLP_STEPS; step++) {
        forward_mlp(&cache, &X, &mlp);
        if (step % 50 == 0)
            printf("  step %3d: loss %.4f, accuracy %.3f\n", step, cross_entropy(&cache.A2, &Y),
                   accuracy(&cache.A2, &labels));
        if (step == MLP_STEPS)
            break;
        backward_mlp(&g, &cache, &X, &Y, &mlp);
        momentum_update(&mlp.W1, &velocity.W1, &g.dW1, 0.1f, 0.9f);
        momentum_update(&mlp.b1, &velocity.b1, &g.db1, 0.1f, 0.9f);
        momentum_update(&mlp.W2, &velocity.W2, &g.dW2, 0.1f, 0.9f);
        momentum_update(&mlp.b2, &velocity.b2, &g.db2, 0.1f, 0.9f);
    }
    printf("promoted (label) and the network's probability of promotion:\n");
    for (int i = 0; i < 8; i++)
        printf("  age %2.0f, salary %6.0f, experience %2.0f: %.0f  %.4f\n", features.data[i * 3],
               features.data[i * 3 + 1], features.data[i * 3 + 2], labels.data[i], cache.A2.data[i * 2 + 1]);
    printf("(8 people and %d parameters: the network can learn them by heart; it says nothing about a ninth person)\n",
           3 * MLP_HIDDEN + MLP_HIDDEN + MLP_HIDDEN * 2 + 2);

    kit_section("Module 4: a convolution and pooling on an image");
    KitDatasetPlace place;
    KitDataset data;
    if (kit_dataset_find(&place, error, sizeof error) != 0 ||
        kit_dataset_load(&data, &place, error, sizeof error) != 0) {
        fprintf(stderr, "error: %s\n", error);
        return 1;
    }
    const float edges[9] = {-1, 0, 1, -2, 0, 2, -1, 0, 1}; /* bright on the right of a vertical edge */
    Matrix filter = kit_matrix_from(1, 9, edges), bias = kit_matrix_create(1, 1);
    Matrix image = kit_matrix_create(1, 784), map = kit_matrix_create(1, 26 * 26);
    Matrix pooled = kit_matrix_create(1, 13 * 13), rectified = kit_matrix_create(1, 13 * 13);
    int argmax[13 * 13];
    memcpy(image.data, data.test_images.data, 784 * sizeof(float));
    ConvShape shape = {1, 28, 28, 3, 1};
    conv2d(&map, &image, &filter, &bias, shape);
    max_pool(&pooled, argmax, &map, 2, 1, 26, 26);
    relu(&rectified, &pooled);
    printf("test image 0 of %s (class %.0f), 28 x 28 -> conv2d with a 3x3 vertical-edge filter -> 26 x 26 -> "
           "max_pool -> 13 x 13 -> relu:\n",
           place.name, data.test_labels.data[0]);
    print_shades(rectified.data, 13, 13);
    int active = 0;
    for (int k = 0; k < 13 * 13; k++)
        active += rectified.data[k] > 0.0f;
    printf("%d of the 169 pooled values are above 0: where the image gets brighter from left to right\n", active);
    Matrix pictures = kit_matrix_create(1, 28 * 28);
    memcpy(pictures.data, image.data, 784 * sizeof(float));
    char image_path[512], edges_path[512];
    snprintf(image_path, sizeof image_path, "%s", kit_picture_path("4.5-final-exam-image.png"));
    snprintf(edges_path, sizeof edges_path, "%s", kit_picture_path("4.5-final-exam-edges.png"));
    const KitImageGrid image_grid = {.title = "Test image 0", .height = 28, .width = 28, .columns = 1, .scale = 8};
    const KitImageGrid edges_grid = {.title = "Its vertical edges", .height = 26, .width = 26, .columns = 1,
                                     .scale = 8};
    if (kit_plot_images(image_path, &image_grid, &pictures, 1, error, sizeof error) == 0 &&
        kit_plot_images(edges_path, &edges_grid, &map, 1, error, sizeof error) == 0)
        printf("pictures: %s (the image) and %s (its 26 x 26 edge map)\n", image_path, edges_path);
    else
        printf("could not draw the pictures: %s\n", error);

    kit_section("The end of the exam");
    printf("vectors, statistics, matrix products, a loss, gradient descent, backpropagation, momentum, a convolution "
           "and pooling: all your code, in one program\n");

    for (int u = 0; u < 3; u++)
        kit_matrix_free(&users[u]);
    Matrix *all[] = {&people, &mean, &std, &min, &max, &features, &labels, &X, &XT, &correlation, &salaries,
                     &salaries_normalized, &R, &y, &W, &b, &losses, &prediction, &residual, &z,
                     &Y, &cache.Z1, &cache.A1, &cache.Z2, &cache.A2, &g.dW1, &g.db1, &g.dW2, &g.db2, &g.dZ1, &g.dZ2,
                     &filter, &bias, &image, &map, &pooled, &rectified, &pictures};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        kit_matrix_free(all[k]);
    kit_mlp_free(&mlp), kit_mlp_free(&velocity);
    kit_dataset_free(&data);
    return 0;
}
