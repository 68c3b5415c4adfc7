/*
 * The demo of chapter 3.2: Activation Functions for Neural Networks.
 * Run it with your code:  make run CH=3.2
 * It walks through the lesson and calls your functions from exercise.c, and from earlier
 * chapters your matrix_multiply and linear_layer (1.2) and your sigmoid (1.3).
 * Some lines compute the naive softmax with expf directly, to show where it breaks.
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Formats one number with the given format; nan prints as "nan" whatever its sign bit. */
static const char *show(char *buffer, size_t size, const char *format, double value)
{
    if (isnan(value))
        snprintf(buffer, size, "nan");
    else
        snprintf(buffer, size, format, value);
    return buffer;
}

/* The largest |a - b| over two matrices of the same shape. */
static float largest_difference(const Matrix *a, const Matrix *b)
{
    float largest = 0.0f;
    for (int k = 0; k < a->rows * a->cols; k++)
        largest = fmaxf(largest, fabsf(a->data[k] - b->data[k]));
    return largest;
}

/* The index of the largest element of row i. */
static int row_argmax(const Matrix *m, int i)
{
    int best = 0;
    for (int j = 1; j < m->cols; j++)
        if (m->data[i * m->cols + j] > m->data[i * m->cols + best])
            best = j;
    return best;
}

/* The textbook softmax of one row, e^z_j / sum_k e^z_k, with no shift: what the lesson warns about. */
static void naive_softmax_row(float *out, const float *z, int count)
{
    float sum = 0.0f;
    for (int j = 0; j < count; j++)
        sum += expf(z[j]);
    for (int j = 0; j < count; j++)
        out[j] = expf(z[j]) / sum;
}

/* The lesson's scores of a 10-class classifier for four digits: a confident 7, a 2 that looks a
 * little like a 7, a confident 0, and an undecided row of an untrained network. */
static const float lesson_logits[40] = {
    -1.2f, 0.3f,  1.1f, 0.8f, -2.0f,  0.1f,   -1.5f, 4.2f,  -0.4f, 1.6f,
    0.5f,  -0.8f, 2.4f, 1.0f, -1.1f,  -0.3f,  0.2f,  2.1f,  0.9f,  -1.7f,
    5.1f,  -2.3f, 0.4f, -0.9f, -1.8f, 0.7f,   1.2f,  -0.6f, 0.3f,  -1.0f,
    0.1f,  0.0f,  -0.1f, 0.2f, 0.05f, -0.05f, 0.15f, -0.2f, 0.0f,  0.1f,
};

int main(void)
{
    char a[32], b[32], c[32];
    KitRng rng;

    kit_section("Without an activation, two layers are one");
    kit_rng_seed(&rng, 32);
    Matrix W1 = kit_matrix_create(3, 5), W2 = kit_matrix_create(5, 2), W = kit_matrix_create(3, 2);
    kit_matrix_fill_normal(&W1, &rng, 0.0f, 1.0f);
    kit_matrix_fill_normal(&W2, &rng, 0.0f, 1.0f);
    /* three inputs: x1, x2 and their sum x1 + x2 */
    Matrix X = kit_matrix_create(3, 3);
    kit_matrix_fill_normal(&X, &rng, 0.0f, 1.0f);
    for (int j = 0; j < 3; j++)
        X.data[6 + j] = X.data[j] + X.data[3 + j];
    Matrix H = kit_matrix_create(3, 5), two_layers = kit_matrix_create(3, 2), one_layer = kit_matrix_create(3, 2);
    matrix_multiply(&H, &X, &W1);
    matrix_multiply(&two_layers, &H, &W2);
    matrix_multiply(&W, &W1, &W2);
    matrix_multiply(&one_layer, &X, &W);
    kit_matrix_print("X, rows x1, x2 and x1 + x2", &X, 4);
    kit_matrix_print("(X W1) W2, two linear layers (3 -> 5 -> 2)", &two_layers, 4);
    kit_matrix_print("W = W1 W2, one 3 x 2 matrix", &W, 4);
    kit_matrix_print("X W, one linear layer", &one_layer, 4);
    float collapse_gap = largest_difference(&two_layers, &one_layer);
    printf("largest |(X W1) W2 - X (W1 W2)|: %s\n",
           collapse_gap < 1e-5f ? "below 1e-5 (float rounding)" : show(a, sizeof a, "%.4f", collapse_gap));
    Matrix A = kit_matrix_create(3, 5), bent = kit_matrix_create(3, 2);
    relu(&A, &H);
    matrix_multiply(&bent, &A, &W2);
    kit_matrix_print("relu(X W1) W2, the same layers with ReLU between them", &bent, 4);
    float linear_gap = 0.0f, relu_gap = 0.0f;
    for (int j = 0; j < 2; j++) {
        linear_gap = fmaxf(linear_gap, fabsf(two_layers.data[4 + j] - two_layers.data[j] - two_layers.data[2 + j]));
        relu_gap = fmaxf(relu_gap, fabsf(bent.data[4 + j] - bent.data[j] - bent.data[2 + j]));
    }
    printf("largest |f(x1 + x2) - f(x1) - f(x2)|: %s without ReLU, %.4f with ReLU\n",
           linear_gap < 1e-5f ? "below 1e-5" : show(a, sizeof a, "%.4f", linear_gap), relu_gap);

    kit_section("ReLU and its slope: relu, relu_derivative");
    const float z_values[] = {-1.5f, 2.0f, 0.0f, -0.25f, 0.5f, -3.0f};
    Matrix Z = kit_matrix_from(3, 2, z_values), R = kit_matrix_create(3, 2), dR = kit_matrix_create(3, 2);
    relu(&R, &Z);
    relu_derivative(&dR, &Z);
    kit_matrix_print("Z", &Z, 2);
    kit_matrix_print("relu(Z)", &R, 2);
    kit_matrix_print("relu_derivative(Z)", &dR, 0);
    const float edge_values[] = {0.0f, -0.0f, 1.4e-45f, -1.4e-45f};
    Matrix edges = kit_matrix_from(1, 4, edge_values), edge_relu = kit_matrix_create(1, 4);
    Matrix edge_slope = kit_matrix_create(1, 4);
    relu(&edge_relu, &edges);
    relu_derivative(&edge_slope, &edges);
    printf("%12s  %12s  %18s\n", "z", "relu(z)", "relu_derivative(z)");
    for (int k = 0; k < 4; k++)
        printf("%12g  %12g  %18g\n", (double)edges.data[k], (double)edge_relu.data[k], (double)edge_slope.data[k]);

    /* how often a pre-activation is exactly 0 */
    kit_rng_seed(&rng, 7);
    Matrix inputs = kit_matrix_create(1000, 20), weights = kit_matrix_create(20, 100), bias = kit_matrix_create(1, 100);
    Matrix pre = kit_matrix_create(1000, 100), slope = kit_matrix_create(1000, 100);
    kit_matrix_fill_normal(&inputs, &rng, 0.0f, 1.0f);
    kit_matrix_fill_normal(&weights, &rng, 0.0f, 0.2f);
    kit_matrix_fill_normal(&bias, &rng, 0.0f, 0.1f);
    linear_layer(&pre, &inputs, &weights, &bias);
    relu_derivative(&slope, &pre);
    int exact_zeros = 0, active = 0;
    for (int k = 0; k < 1000 * 100; k++) {
        exact_zeros += pre.data[k] == 0.0f;
        active += slope.data[k] == 1.0f;
    }
    printf("a layer of 100 ReLU units on 1000 random inputs: %d of 100000 pre-activations are exactly 0, "
           "%d (%.1f%%) are active\n", exact_zeros, active, 100.0 * active / 100000.0);

    kit_section("A dying ReLU");
    /* one unit z = x w + b on 200 random inputs, with its bias pushed further and further down */
    kit_rng_seed(&rng, 11);
    Matrix x = kit_matrix_create(200, 4), w = kit_matrix_create(4, 1), unit_z = kit_matrix_create(200, 1);
    Matrix unit_slope = kit_matrix_create(200, 1), unit_b = kit_matrix_create(1, 1);
    kit_matrix_fill_normal(&x, &rng, 0.0f, 1.0f);
    kit_matrix_fill_normal(&w, &rng, 0.0f, 1.0f);
    const float biases[] = {0.0f, -1.0f, -3.0f, -6.0f, -10.0f};
    printf("%6s  %22s  %s\n", "bias", "active on (of 200)", "largest z");
    for (int t = 0; t < 5; t++) {
        unit_b.data[0] = biases[t];
        linear_layer(&unit_z, &x, &w, &unit_b);
        relu_derivative(&unit_slope, &unit_z);
        int on = 0;
        float top = unit_z.data[0];
        for (int i = 0; i < 200; i++) {
            on += unit_slope.data[i] == 1.0f;
            top = fmaxf(top, unit_z.data[i]);
        }
        printf("%6g  %22d  %.4f\n", (double)biases[t], on, top);
    }

    kit_section("Slopes: sigmoid against ReLU");
    const float s_values[] = {-6, -4, -2, -1, 0, 1, 2, 4, 6};
    Matrix sz = kit_matrix_from(1, 9, s_values), sa = kit_matrix_create(1, 9), sd = kit_matrix_create(1, 9);
    Matrix rd = kit_matrix_create(1, 9);
    sigmoid(&sa, &sz);
    sigmoid_derivative(&sd, &sa);
    relu_derivative(&rd, &sz);
    printf("%6s  %10s  %13s  %8s\n", "z", "sigmoid", "sigmoid'", "relu'");
    for (int k = 0; k < 9; k++)
        printf("%6g  %10.4f  %13.6f  %8g\n", (double)sz.data[k], (double)sa.data[k], (double)sd.data[k],
               (double)rd.data[k]);
    /* the curves for the picture: 241 points from z = -6 to 6 */
    enum { POINTS = 241 };
    Matrix curve_z = kit_matrix_create(1, POINTS), curve_s = kit_matrix_create(1, POINTS);
    Matrix curve_ds = kit_matrix_create(1, POINTS), curve_dr = kit_matrix_create(1, POINTS);
    for (int k = 0; k < POINTS; k++)
        curve_z.data[k] = -6.0f + 0.05f * (float)k;
    sigmoid(&curve_s, &curve_z);
    sigmoid_derivative(&curve_ds, &curve_s);
    relu_derivative(&curve_dr, &curve_z);
    int peak = 0;
    for (int k = 1; k < POINTS; k++)
        if (curve_ds.data[k] > curve_ds.data[peak])
            peak = k;
    printf("largest sigmoid' on the grid: %.4f at z = %.2f\n", (double)curve_ds.data[peak],
           (double)curve_z.data[peak]);
    printf("%6s  %22s  %22s\n", "layers", "sigmoid: at most 0.25^n", "relu: 1 on active units");
    const int depths[] = {1, 2, 5, 10, 20};
    for (int t = 0; t < 5; t++)
        printf("%6d  %22.3g  %22g\n", depths[t], pow(0.25, depths[t]), 1.0);
    const KitCurve curves[] = {{curve_s.data, POINTS, "sigmoid(z)"}, {curve_ds.data, POINTS, "sigmoid'(z)"},
                               {curve_dr.data, POINTS, "relu'(z)"}};
    const KitChart chart = {.title = "Sigmoid and the slopes of sigmoid and ReLU", .x_label = "z",
                            .x_first = -6.0f, .x_step = 0.05f};
    const char *path = kit_picture_path("3.2-slopes.png");
    char error[256];
    if (kit_plot_curves(path, &chart, curves, 3, error, sizeof error) == 0) {
        printf("picture: %s\n", path);
        printf("  x axis: z from -6 to 6; y axis: 0 to 1\n");
        printf("  %s: sigmoid(z)\n", kit_plot_color_names[0]);
        printf("  %s: its slope sigmoid'(z) = sigmoid(z) (1 - sigmoid(z)), never above 0.25\n",
               kit_plot_color_names[1]);
        printf("  %s: the slope of ReLU, 0 then 1\n", kit_plot_color_names[2]);
    } else {
        printf("no picture: %s\n", error);
    }

    kit_section("Softmax: scores into probabilities");
    Matrix logits = kit_matrix_from(4, 10, lesson_logits), P = kit_matrix_create(4, 10);
    softmax(&P, &logits);
    kit_matrix_print("Z, the scores of 4 images over the classes 0 to 9", &logits, 2);
    kit_matrix_print("softmax(Z)", &P, 4);
    printf("%3s  %10s  %23s  %11s  %21s\n", "row", "row sum", "predicted class (its p)", "argmax of Z", "smallest p in the row");
    for (int i = 0; i < 4; i++) {
        double sum = 0.0;
        float smallest = P.data[i * 10];
        for (int j = 0; j < 10; j++) {
            sum += P.data[i * 10 + j];
            smallest = fminf(smallest, P.data[i * 10 + j]);
        }
        int best = row_argmax(&P, i);
        char chance[32];
        snprintf(chance, sizeof chance, "%d (%.4f)", best, (double)P.data[i * 10 + best]);
        printf("%3d  %10.6f  %23s  %11d  %21.4f\n", i, sum, chance, row_argmax(&logits, i), (double)smallest);
    }

    kit_section("Why softmax subtracts the largest score");
    const float rows[][3] = {{1, 2, 3}, {1000, 1001, 1002}, {-1000, -1001, -1002}, {10000, 10001, 10002}};
    Matrix trio = kit_matrix_create(4, 3), trio_out = kit_matrix_create(4, 3);
    memcpy(trio.data, rows, sizeof rows);
    softmax(&trio_out, &trio);
    printf("%22s  %26s  %26s\n", "z", "e^z / sum e^z", "softmax(z)");
    for (int i = 0; i < 4; i++) {
        float naive[3];
        naive_softmax_row(naive, trio.data + 3 * i, 3);
        char zt[128], nt[128], st[128];
        snprintf(zt, sizeof zt, "[%g, %g, %g]", (double)rows[i][0], (double)rows[i][1], (double)rows[i][2]);
        snprintf(nt, sizeof nt, "[%s, %s, %s]", show(a, sizeof a, "%.4f", naive[0]),
                 show(b, sizeof b, "%.4f", naive[1]), show(c, sizeof c, "%.4f", naive[2]));
        snprintf(st, sizeof st, "[%s, %s, %s]", show(a, sizeof a, "%.4f", trio_out.data[3 * i]),
                 show(b, sizeof b, "%.4f", trio_out.data[3 * i + 1]), show(c, sizeof c, "%.4f", trio_out.data[3 * i + 2]));
        printf("%22s  %26s  %26s\n", zt, nt, st);
    }
    printf("expf(1000) = %g and expf(-1000) = %g: inf / inf and 0 / 0 are both nan\n", (double)expf(1000.0f),
           (double)expf(-1000.0f));
    Matrix shifted = kit_matrix_create(4, 10), P_shifted = kit_matrix_create(4, 10);
    const float shifts[] = {50.0f, -30.0f, 1000.0f};
    for (int t = 0; t < 3; t++) {
        for (int k = 0; k < 40; k++)
            shifted.data[k] = logits.data[k] + shifts[t];
        softmax(&P_shifted, &shifted);
        printf("largest |softmax(Z %c %g) - softmax(Z)| over the 4x10 scores: %.2g\n", shifts[t] < 0 ? '-' : '+',
               fabs((double)shifts[t]), largest_difference(&P_shifted, &P));
    }

    kit_section("Temperature: softmax(z / T)");
    const float t_scores[] = {2.0f, 1.0f, 0.5f, -1.0f};
    const float temperatures[] = {0.25f, 0.5f, 1.0f, 2.0f, 10.0f};
    Matrix scaled = kit_matrix_create(1, 4), scaled_out = kit_matrix_create(1, 4);
    printf("z = [2, 1, 0.5, -1]\n%6s  %s\n", "T", "softmax(z / T)");
    for (int t = 0; t < 5; t++) {
        for (int j = 0; j < 4; j++)
            scaled.data[j] = t_scores[j] / temperatures[t];
        softmax(&scaled_out, &scaled);
        printf("%6g  [%.4f, %.4f, %.4f, %.4f]\n", (double)temperatures[t], (double)scaled_out.data[0],
               (double)scaled_out.data[1], (double)scaled_out.data[2], (double)scaled_out.data[3]);
    }

    kit_section("In place");
    Matrix in_place = kit_matrix_create(4, 10), R_in_place = kit_matrix_create(3, 2);
    kit_matrix_copy(&in_place, &logits);
    softmax(&in_place, &in_place);
    kit_matrix_copy(&R_in_place, &Z);
    relu(&R_in_place, &R_in_place);
    printf("softmax(Z, Z) gives the same values as softmax(out, Z): %s\n",
           memcmp(in_place.data, P.data, sizeof(float) * 40) == 0 ? "yes" : "no");
    printf("relu(Z, Z) gives the same values as relu(out, Z): %s\n",
           memcmp(R_in_place.data, R.data, sizeof(float) * 6) == 0 ? "yes" : "no");

    Matrix *all_matrices[] = {&W1, &W2, &W, &X, &H, &two_layers, &one_layer, &A, &bent, &Z, &R, &dR, &edges,
                              &edge_relu, &edge_slope, &inputs, &weights, &bias, &pre, &slope, &x, &w, &unit_z,
                              &unit_slope, &unit_b, &sz, &sa, &sd, &rd, &curve_z, &curve_s, &curve_ds, &curve_dr,
                              &logits, &P, &trio, &trio_out, &shifted, &P_shifted, &scaled, &scaled_out, &in_place,
                              &R_in_place};
    for (size_t i = 0; i < sizeof all_matrices / sizeof all_matrices[0]; i++)
        kit_matrix_free(all_matrices[i]);
    return 0;
}
