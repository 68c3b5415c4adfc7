/*
 * The demo of chapter 1.2: Matrix Operations for Neural Networks.
 * Run it with your code:  make run CH=1.2
 * It walks through the lesson and calls your functions from exercise.c (and add_row_vector from 1.1).
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdio.h>

#define PI 3.14159265358979323846

/* The angle between a and b in degrees, from your cosine_similarity. */
static double angle_degrees(const Matrix *a, const Matrix *b)
{
    double cosine = cosine_similarity(a, b);
    if (cosine > 1.0) /* rounding can push a cosine just past 1 */
        cosine = 1.0;
    if (cosine < -1.0)
        cosine = -1.0;
    return acos(cosine) * 180.0 / PI;
}

/* The largest |a_k - b_k| over all elements of two matrices of the same shape. */
static double largest_difference(const Matrix *a, const Matrix *b)
{
    double largest = 0.0;
    for (int k = 0; k < a->rows * a->cols; k++)
        if (fabs((double)a->data[k] - b->data[k]) > largest)
            largest = fabs((double)a->data[k] - b->data[k]);
    return largest;
}

int main(void)
{
    kit_section("Three listeners as vectors");
    const char *genres[] = {"jazz", "pop", "rock", "classical", "blues"};
    const float taste_a[] = {9, 2, 8, 1, 7}, taste_b[] = {8, 1, 9, 2, 6}, taste_c[] = {1, 9, 2, 8, 1};
    Matrix A = kit_matrix_from(1, 5, taste_a), B = kit_matrix_from(1, 5, taste_b), C = kit_matrix_from(1, 5, taste_c);
    printf("%-10s", "genre");
    for (int k = 0; k < 5; k++)
        printf("%10s", genres[k]);
    printf("\n");
    const Matrix *listeners[] = {&A, &B, &C};
    const char *names[] = {"A", "B", "C"};
    for (int u = 0; u < 3; u++) {
        printf("%-10s", names[u]);
        for (int k = 0; k < 5; k++)
            printf("%10.0f", listeners[u]->data[k]);
        printf("\n");
    }

    kit_section("The dot product: dot_product");
    printf("A . B = %.0f\n", dot_product(&A, &B));
    printf("A . C = %.0f\n", dot_product(&A, &C));
    printf("B . C = %.0f\n", dot_product(&B, &C));
    printf("A . A = %.0f\n", dot_product(&A, &A));

    kit_section("The sign of a dot product is the angle");
    const float east[] = {1, 0}, others[][2] = {{2, 1}, {0, 3}, {-1, 1}, {-2, 0}};
    Matrix u = kit_matrix_from(1, 2, east);
    printf("u = [1, 0]\n");
    for (int k = 0; k < 4; k++) {
        Matrix v = kit_matrix_from(1, 2, others[k]);
        float d = dot_product(&u, &v);
        printf("v = [%2.0f, %2.0f]   u . v = %2.0f   angle %5.1f degrees   %s\n", v.data[0], v.data[1], d,
               angle_degrees(&u, &v), d > 0 ? "(under 90: positive)" : d < 0 ? "(over 90: negative)" : "(90: zero)");
        kit_matrix_free(&v);
    }

    kit_section("Lengths and cosine similarity: vector_norm, cosine_similarity");
    printf("|A| = %.4f   |B| = %.4f   |C| = %.4f\n", vector_norm(&A), vector_norm(&B), vector_norm(&C));
    const Matrix *pair_a[] = {&A, &A, &B}, *pair_b[] = {&B, &C, &C};
    const char *pair_names[] = {"A, B", "A, C", "B, C"};
    for (int p = 0; p < 3; p++)
        printf("cos(%s) = %.4f   angle %4.1f degrees\n", pair_names[p], cosine_similarity(pair_a[p], pair_b[p]),
               angle_degrees(pair_a[p], pair_b[p]));
    int nearest = cosine_similarity(&A, &B) > cosine_similarity(&A, &C) ? 1 : 2;
    printf("A's closest taste: %s, so A gets %s's playlist\n", names[nearest], names[nearest]);
    const float twice_a[] = {18, 4, 16, 2, 14};
    Matrix A2 = kit_matrix_from(1, 5, twice_a), zero = kit_matrix_create(1, 5);
    printf("cos(A, 2A) = %.4f (length does not matter, only direction)\n", cosine_similarity(&A, &A2));
    printf("cos(A, zero vector) = %.4f (our convention: a zero vector has no direction)\n",
           cosine_similarity(&A, &zero));

    kit_section("Two examples to check by hand");
    const float three_four[] = {3, 4}, diagonal[] = {1, 1};
    Matrix v34 = kit_matrix_from(1, 2, three_four), d11 = kit_matrix_from(1, 2, diagonal);
    printf("|[3, 4]| = %.4f   (the square root of 3 * 3 + 4 * 4 = 25)\n", vector_norm(&v34));
    printf("a = [1, 0], b = [1, 1]:   a . b = %.0f   |a| = %.4f   |b| = %.4f\n", dot_product(&u, &d11),
           vector_norm(&u), vector_norm(&d11));
    printf("cos(a, b) = %.4f   1 / sqrt(2) = %.4f   angle %.1f degrees\n", cosine_similarity(&u, &d11),
           1.0 / sqrt(2.0), angle_degrees(&u, &d11));

    kit_section("Dot products as scores: dividing by sqrt(d)");
    const int pairs = 1000, sizes[] = {4, 64, 1024};
    KitRng score_rng;
    kit_rng_seed(&score_rng, 1);
    printf("%d random pairs of vectors q, k of d elements each, every element normal with mean 0 and std 1\n", pairs);
    printf("%6s %14s %24s\n", "d", "std of q . k", "std of q . k / sqrt(d)");
    for (int size = 0; size < 3; size++) {
        int d = sizes[size];
        Matrix query = kit_matrix_create(1, d), key = kit_matrix_create(1, d);
        double sum = 0.0, sum_squares = 0.0;
        for (int p = 0; p < pairs; p++) {
            kit_matrix_fill_normal(&query, &score_rng, 0, 1);
            kit_matrix_fill_normal(&key, &score_rng, 0, 1);
            double score = dot_product(&query, &key);
            sum += score;
            sum_squares += score * score;
        }
        double mean = sum / pairs, std = sqrt(sum_squares / pairs - mean * mean);
        printf("%6d %14.2f %24.2f\n", d, std, std / sqrt((double)d));
        kit_matrix_free(&query);
        kit_matrix_free(&key);
    }

    kit_section("Matrix multiplication with three loops: matrix_multiply_loops");
    const float x_values[] = {1, 2, 3, 4, 5, 6}, w_values[] = {7, 8, 9, 10, 11, 12};
    Matrix X = kit_matrix_from(2, 3, x_values), W = kit_matrix_from(3, 2, w_values);
    Matrix Z_loops = kit_matrix_create(2, 2), Z_blas = kit_matrix_create(2, 2);
    kit_matrix_print("X", &X, 0);
    kit_matrix_print("W", &W, 0);
    matrix_multiply_loops(&Z_loops, &X, &W);
    kit_matrix_print("Z = XW", &Z_loops, 0);

    kit_section("Every element of Z is a dot product: transpose");
    Matrix WT = kit_matrix_create(2, 3);
    transpose(&WT, &W);
    kit_matrix_print("W^T (its rows are the columns of W)", &WT, 0);
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            Matrix row = {1, 3, X.data + i * 3}, column = {1, 3, WT.data + j * 3};
            printf("Z[%d][%d] = (row %d of X) . (column %d of W) = %.0f\n", i, j, i, j,
                   dot_product(&row, &column));
        }
    Matrix XT = kit_matrix_create(3, 2), ZT = kit_matrix_create(2, 2), WTXT = kit_matrix_create(2, 2);
    transpose(&XT, &X);
    transpose(&ZT, &Z_loops);
    matrix_multiply_loops(&WTXT, &WT, &XT);
    kit_matrix_print("(XW)^T", &ZT, 0);
    kit_matrix_print("W^T X^T", &WTXT, 0);

    kit_section("The same product with OpenBLAS: matrix_multiply");
    matrix_multiply(&Z_blas, &X, &W);
    kit_matrix_print("Z = XW by cblas_sgemm", &Z_blas, 0);
    printf("largest difference from the loops: %g\n", largest_difference(&Z_loops, &Z_blas));

    kit_section("Speed: a 512 x 512 by 512 x 512 product");
    const int n = 512;
    KitRng rng;
    kit_rng_seed(&rng, 12);
    Matrix big_X = kit_matrix_create(n, n), big_W = kit_matrix_create(n, n);
    Matrix big_loops = kit_matrix_create(n, n), big_blas = kit_matrix_create(n, n);
    kit_matrix_fill_normal(&big_X, &rng, 0, 1);
    kit_matrix_fill_normal(&big_W, &rng, 0, 1);
    double flops = 2.0 * n * n * n; /* one multiply and one add for each of the n^3 terms */
    printf("work: 2 * 512^3 = %.0f floating-point operations\n", flops);
    double start = kit_seconds();
    matrix_multiply_loops(&big_loops, &big_X, &big_W);
    double loops_seconds = kit_seconds() - start;
    matrix_multiply(&big_blas, &big_X, &big_W); /* a first call starts OpenBLAS's threads: not timed */
    double blas_seconds = 1e30;
    for (int run = 0; run < 5; run++) {
        start = kit_seconds();
        matrix_multiply(&big_blas, &big_X, &big_W);
        double seconds = kit_seconds() - start;
        if (seconds < blas_seconds)
            blas_seconds = seconds;
    }
    /* no padding: the widths of timings change from run to run */
    printf("three loops: %.4f s, %.2f GFLOP/s\n", loops_seconds, flops / loops_seconds / 1e9);
    printf("cblas_sgemm: %.4f s, %.2f GFLOP/s (the fastest of 5 runs)\n", blas_seconds, flops / blas_seconds / 1e9);
    printf("speed-up: %.1fx\n", loops_seconds / blas_seconds);
    double largest = largest_difference(&big_loops, &big_blas);
    printf("the two agree to within 1e-3 in all %d elements: %s\n", n * n, largest < 1e-3 ? "yes" : "no");

    kit_section("A layer: Z = XW + b, linear_layer");
    const float inputs[] = {1, 2, 0, -1, 3, 0.5f, -2, 1};
    const float weights[] = {0.5f, -1, 0.2f, 1.5f, 0.5f, -0.4f}, biases[] = {0.1f, -0.2f, 0.3f};
    Matrix layer_X = kit_matrix_from(4, 2, inputs), layer_W = kit_matrix_from(2, 3, weights);
    Matrix layer_b = kit_matrix_from(1, 3, biases), layer_Z = kit_matrix_create(4, 3);
    kit_matrix_print("X: 4 examples, 2 features each", &layer_X, 2);
    kit_matrix_print("W: 2 inputs to 3 neurons, one column per neuron", &layer_W, 2);
    kit_matrix_print("b: one bias per neuron", &layer_b, 2);
    linear_layer(&layer_Z, &layer_X, &layer_W, &layer_b);
    printf("shapes: (4 x 2) times (2 x 3) gives 4 x 3, plus (1 x 3) on every row\n");
    kit_matrix_print("Z = XW + b: one row per example, one column per neuron", &layer_Z, 2);
    printf("Z[0][0] = 1 * 0.50 + 2 * 1.50 + 0.10 = %.2f\n", layer_Z.data[0]);

    Matrix *all_matrices[] = {&A, &B, &C, &u, &A2, &zero, &v34, &d11, &X, &W, &Z_loops, &Z_blas, &WT, &XT, &ZT, &WTXT,
                              &big_X, &big_W, &big_loops, &big_blas, &layer_X, &layer_W, &layer_b, &layer_Z};
    for (size_t i = 0; i < sizeof all_matrices / sizeof all_matrices[0]; i++)
        kit_matrix_free(all_matrices[i]);
    return 0;
}
