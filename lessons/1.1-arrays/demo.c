/*
 * The demo of chapter 1.1: Getting Started with Arrays.
 * Run it with your code:  make run CH=1.1
 * It walks through the lesson and calls your functions from exercise.c.
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdio.h>

int main(void)
{
    kit_section("Creating matrices");
    const float values[] = {1, 2, 3, 4, 5, 6};
    Matrix X = kit_matrix_from(2, 3, values);
    Matrix zeros = kit_matrix_create(2, 3);
    Matrix W = kit_matrix_create(3, 2);
    KitRng rng;
    kit_rng_seed(&rng, 42);
    kit_matrix_fill_normal(&W, &rng, 0.0f, 1.0f);
    kit_matrix_print("X", &X, 0);
    kit_matrix_print("zeros", &zeros, 1);
    kit_matrix_print("W, normal numbers from seed 42", &W, 4);

    kit_section("Shape and memory");
    printf("X has %d rows and %d columns: %d floats in one row-major array\n", X.rows, X.cols, X.rows * X.cols);
    printf("X[1][2] is data[1 * %d + 2] = data[%d] = %.0f\n", X.cols, 1 * X.cols + 2, X.data[1 * X.cols + 2]);
    Matrix reshaped = {3, 2, X.data}; /* the same six floats, read as 3 rows of 2 */
    kit_matrix_print("X read as 3 rows of 2", &reshaped, 0);

    kit_section("Element-wise operations");
    Matrix result = kit_matrix_create(2, 3);
    for (int k = 0; k < 6; k++)
        result.data[k] = X.data[k] + 5;
    kit_matrix_print("X + 5", &result, 0);
    for (int k = 0; k < 6; k++)
        result.data[k] = X.data[k] * 2;
    kit_matrix_print("X * 2", &result, 0);
    for (int k = 0; k < 6; k++)
        result.data[k] = X.data[k] * X.data[k];
    kit_matrix_print("X * X (element by element)", &result, 0);

    kit_section("Broadcasting a row vector: add_row_vector");
    const float bias_values[] = {10, 20, 30};
    Matrix bias = kit_matrix_from(1, 3, bias_values);
    add_row_vector(&result, &X, &bias);
    kit_matrix_print("bias", &bias, 0);
    kit_matrix_print("X + bias", &result, 0);

    kit_section("Slicing the people data set: slice");
    Matrix people = kit_people_dataset();
    kit_matrix_print("people (age, salary, experience, promoted)", &people, 0);
    Matrix features = kit_matrix_create(8, 3), labels = kit_matrix_create(8, 1);
    slice(&features, &people, 0, 0);
    slice(&labels, &people, 0, 3);
    printf("features: %d x %d, labels: %d x %d\n", features.rows, features.cols, labels.rows, labels.cols);
    Matrix first_rows = kit_matrix_create(3, 3);
    slice(&first_rows, &features, 0, 0);
    kit_matrix_print("features, first 3 rows", &first_rows, 0);
    printf("labels:");
    for (int i = 0; i < labels.rows; i++)
        printf(" %.0f", labels.data[i]);
    printf("\n");

    kit_section("normalize: the whole matrix to mean 0 and std 1");
    Matrix normalized = kit_matrix_create(3, 2);
    normalize(&normalized, &W);
    kit_matrix_print("W", &W, 4);
    kit_matrix_print("normalize(W)", &normalized, 4);
    Matrix flat = {1, 6, normalized.data}, mean = kit_matrix_create(1, 1), std = kit_matrix_create(1, 1);
    Matrix all = {6, 1, normalized.data}, low = kit_matrix_create(1, 1), high = kit_matrix_create(1, 1);
    column_stats(&mean, &std, &low, &high, &all);
    /* a mean like -3e-8 is zero to 4 decimals: print it as 0.0000, not -0.0000 */
    float mean_shown = fabsf(mean.data[0]) < 0.00005f ? 0.0f : mean.data[0];
    printf("after normalize: mean %.4f, std %.4f over all %d elements\n", mean_shown, std.data[0], flat.cols);

    kit_section("column_stats: statistics of every column");
    Matrix means = kit_matrix_create(1, 4), stds = kit_matrix_create(1, 4);
    Matrix mins = kit_matrix_create(1, 4), maxs = kit_matrix_create(1, 4);
    column_stats(&means, &stds, &mins, &maxs, &people);
    printf("%-12s %10s %10s %8s %8s\n", "column", "mean", "std", "min", "max");
    for (int j = 0; j < 4; j++)
        printf("%-12s %10.2f %10.2f %8.0f %8.0f\n", kit_people_columns[j], means.data[j], stds.data[j],
               mins.data[j], maxs.data[j]);

    kit_section("normalize_columns: every feature on the same scale");
    Matrix features_normalized = kit_matrix_create(8, 3);
    normalize_columns(&features_normalized, &features);
    slice(&first_rows, &features_normalized, 0, 0);
    kit_matrix_print("normalized features, first 3 rows", &first_rows, 4);
    Matrix fmeans = kit_matrix_create(1, 3), fstds = kit_matrix_create(1, 3);
    Matrix fmins = kit_matrix_create(1, 3), fmaxs = kit_matrix_create(1, 3);
    column_stats(&fmeans, &fstds, &fmins, &fmaxs, &features_normalized);
    kit_matrix_print("column means (about 0)", &fmeans, 4);
    kit_matrix_print("column stds (about 1)", &fstds, 4);

    Matrix *all_matrices[] = {&X, &zeros, &W, &result, &bias, &people, &features, &labels, &first_rows,
                              &normalized, &mean, &std, &low, &high, &means, &stds, &mins, &maxs,
                              &features_normalized, &fmeans, &fstds, &fmins, &fmaxs};
    for (size_t i = 0; i < sizeof all_matrices / sizeof all_matrices[0]; i++)
        kit_matrix_free(all_matrices[i]);
    return 0;
}
