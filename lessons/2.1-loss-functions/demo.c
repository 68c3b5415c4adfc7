/*
 * The demo of chapter 2.1: Understanding Loss Functions.
 * Run it with your code:  make run CH=2.1
 * It walks through the lesson and calls your functions from exercise.c, and also your
 * matrix_multiply (1.2), sigmoid (1.3), column_stats and normalize (1.1).
 * Some lines compute the cross-entropy directly with log, without clipping, to show
 * what the unprotected formula gives.
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdio.h>

/* Formats one number with the given printf format; nan prints as "nan" whatever its sign bit. */
static const char *show(char *buffer, size_t size, const char *format, double value)
{
    if (isnan(value))
        snprintf(buffer, size, "nan");
    else
        snprintf(buffer, size, format, value);
    return buffer;
}

/* Your binary_cross_entropy of a single prediction a for a single label t. */
static float bce_one(float a, float t)
{
    Matrix A = kit_matrix_from(1, 1, &a), y = kit_matrix_from(1, 1, &t);
    float loss = binary_cross_entropy(&A, &y);
    kit_matrix_free(&A), kit_matrix_free(&y);
    return loss;
}

/* Your mse_loss of a single prediction p for a single target t: the squared error (p - t)^2. */
static float squared_error_one(float p, float t)
{
    Matrix P = kit_matrix_from(1, 1, &p), y = kit_matrix_from(1, 1, &t);
    float loss = mse_loss(&P, &y);
    kit_matrix_free(&P), kit_matrix_free(&y);
    return loss;
}

/* The cross-entropy of one prediction straight from the formula, in double, with no clipping. */
static double bce_unprotected(double a, double t)
{
    return -(t * log(a) + (1.0 - t) * log(1.0 - a));
}

int main(void)
{
    char a_text[32], b_text[32], c_text[32];

    kit_section("What a loss measures: mse_loss");
    const float truth_values[] = {3.0f, -0.5f, 2.0f, 7.0f};
    const float model_a_values[] = {2.5f, 0.0f, 2.1f, 7.8f}, model_b_values[] = {3.0f, -0.5f, 2.0f, 4.0f};
    Matrix truth = kit_matrix_from(1, 4, truth_values);
    Matrix model_a = kit_matrix_from(1, 4, model_a_values), model_b = kit_matrix_from(1, 4, model_b_values);
    kit_matrix_print("y, the true values", &truth, 1);
    kit_matrix_print("model A's predictions", &model_a, 1);
    kit_matrix_print("model B's predictions", &model_b, 1);
    const Matrix *models[] = {&model_a, &model_b};
    const char *model_names[] = {"A", "B"};
    for (int m = 0; m < 2; m++) {
        double absolute = 0.0;
        float loss = mse_loss(models[m], &truth);
        printf("model %s errors:", model_names[m]);
        for (int k = 0; k < 4; k++) {
            float error = models[m]->data[k] - truth.data[k];
            absolute += fabs(error);
            printf(" %5.2f", error);
        }
        printf("   mean |error| %.4f   MSE %.4f\n", absolute / 4, loss);
    }
    printf("MSE of y against itself: %.4f\n", mse_loss(&truth, &truth));

    kit_section("MSE for regression: y = 2x + 1, y_pred = X @ W");
    enum { POINTS = 10 };
    Matrix X = kit_matrix_create(POINTS, 2), y = kit_matrix_create(POINTS, 1), y_pred = kit_matrix_create(POINTS, 1);
    double mean_x_squared = 0.0;
    for (int i = 0; i < POINTS; i++) {
        float x = -2.25f + 0.5f * (float)i; /* -2.25, -1.75, ..., 2.25: mean 0 */
        X.data[i * 2 + 0] = x;
        X.data[i * 2 + 1] = 1.0f; /* a column of ones: the intercept's input */
        y.data[i] = 2.0f * x + 1.0f;
        mean_x_squared += (double)x * x / POINTS;
    }
    printf("X is %d x 2, one row [x, 1] per point; W is 2 x 1, [slope, intercept]\n", POINTS);
    for (int i = 0; i < 3; i++)
        printf("  point %d: X row [%5.2f, %.0f]   y = 2 * %5.2f + 1 = %5.2f\n", i, X.data[i * 2], X.data[i * 2 + 1],
               X.data[i * 2], y.data[i]);
    printf("  ...\n");
    printf("mean of x = 0, mean of x^2 = %.4f\n", mean_x_squared);
    const float candidates[][2] = {{2, 1}, {2, 0}, {1.5f, 1}, {2.5f, 1}, {1, 3}, {0, 0}};
    printf("%8s %10s %12s %26s\n", "slope w", "intercept b", "MSE", "2.0625 (w-2)^2 + (b-1)^2");
    for (size_t c = 0; c < sizeof candidates / sizeof candidates[0]; c++) {
        Matrix W = kit_matrix_from(2, 1, candidates[c]);
        matrix_multiply(&y_pred, &X, &W);
        double w = candidates[c][0], b = candidates[c][1];
        printf("%8.1f %10.1f %12.4f %26.4f\n", w, b, mse_loss(&y_pred, &y),
               mean_x_squared * (w - 2) * (w - 2) + (b - 1) * (b - 1));
        kit_matrix_free(&W);
    }

    kit_section("Binary cross-entropy: binary_cross_entropy");
    const float score_values[] = {2.2f, -1.4f, 0.3f, 3.0f, -0.6f, -2.5f}, label_values[] = {1, 0, 1, 1, 1, 0};
    Matrix scores = kit_matrix_from(6, 1, score_values), labels = kit_matrix_from(6, 1, label_values);
    Matrix probabilities = kit_matrix_create(6, 1);
    sigmoid(&probabilities, &scores);
    printf("%7s %6s %9s %16s %21s\n", "example", "label", "score z", "a = sigmoid(z)", "loss of the example");
    double total = 0.0;
    for (int k = 0; k < 6; k++) {
        double a = probabilities.data[k], t = labels.data[k];
        double term = -(t * log(a) + (1.0 - t) * log(1.0 - a)); /* -log a when t = 1, -log(1 - a) when t = 0 */
        total += term;
        printf("%7d %6.0f %9.1f %16.4f %21.4f\n", k, t, scores.data[k], a, term);
    }
    printf("mean of the six losses:         %.4f\n", total / 6);
    printf("binary_cross_entropy(A, y):     %.4f\n", binary_cross_entropy(&probabilities, &labels));
    printf("mse_loss(A, y) on the same:     %.4f\n", mse_loss(&probabilities, &labels));

    kit_section("Confident and wrong: the loss of one example with label y = 1");
    const float predictions[] = {0.99f, 0.9f, 0.7f, 0.5f, 0.3f, 0.1f, 0.01f, 0.001f, 1e-5f, 1e-7f, 0.0f};
    printf("%10s %14s %14s\n", "a", "cross-entropy", "squared error");
    for (size_t k = 0; k < sizeof predictions / sizeof predictions[0]; k++)
        printf("%10g %14.4f %14.4f\n", predictions[k], bce_one(predictions[k], 1.0f),
               squared_error_one(predictions[k], 1.0f));

    /* the picture: the losses of one example as a goes from 0.005 to 0.995 */
    enum { STEPS = 199 };
    static float curve_bce_1[STEPS], curve_bce_0[STEPS], curve_sq_1[STEPS], curve_sq_0[STEPS];
    float lowest = INFINITY, highest = 0.0f;
    for (int i = 0; i < STEPS; i++) {
        float a = 0.005f * (float)(i + 1);
        curve_bce_1[i] = bce_one(a, 1.0f);
        curve_bce_0[i] = bce_one(a, 0.0f);
        curve_sq_1[i] = squared_error_one(a, 1.0f);
        curve_sq_0[i] = squared_error_one(a, 0.0f);
        highest = fmaxf(highest, fmaxf(curve_bce_1[i], curve_bce_0[i]));
        lowest = fminf(lowest, fminf(fminf(curve_bce_1[i], curve_bce_0[i]), fminf(curve_sq_1[i], curve_sq_0[i])));
    }
    const KitCurve curves[] = {{curve_bce_1, STEPS, "cross-entropy, y = 1"},
                               {curve_bce_0, STEPS, "cross-entropy, y = 0"},
                               {curve_sq_1, STEPS, "squared error, y = 1"},
                               {curve_sq_0, STEPS, "squared error, y = 0"}};
    const KitChart chart = {.title = "The loss of one example", .x_label = "the predicted probability a",
                            .y_label = "loss", .x_first = 0.005f, .x_step = 0.005f};
    const char *path = kit_picture_path("2.1-losses.png");
    char error[256];
    if (kit_plot_curves(path, &chart, curves, 4, error, sizeof error) == 0) {
        printf("picture: %s\n", path);
        printf("  x axis: the predicted probability a, from 0.005 to 0.995\n");
        printf("  y axis: the loss, from %.2f to %.2f\n", lowest, highest);
        printf("  %s: cross-entropy with y = 1, -log a\n", kit_plot_color_names[0]);
        printf("  %s: cross-entropy with y = 0, -log(1 - a)\n", kit_plot_color_names[1]);
        printf("  %s: squared error with y = 1, (1 - a)^2\n", kit_plot_color_names[2]);
        printf("  %s: squared error with y = 0, a^2\n", kit_plot_color_names[3]);
    } else {
        printf("no picture: %s\n", error);
    }

    kit_section("Why log(0) must be avoided");
    const float certain_a[] = {1, 0, 0, 1}, certain_y[] = {1, 0, 1, 0};
    const char *verdicts[] = {"right", "right", "wrong", "wrong"};
    printf("%4s %4s %7s %22s %22s\n", "a", "y", "answer", "formula, no clipping", "binary_cross_entropy");
    for (int k = 0; k < 4; k++)
        printf("%4.0f %4.0f %7s %22s %22s\n", certain_a[k], certain_y[k], verdicts[k],
               show(a_text, sizeof a_text, "%.6g", bce_unprotected(certain_a[k], certain_y[k])),
               show(b_text, sizeof b_text, "%.6g", bce_one(certain_a[k], certain_y[k])));
    printf("log(0) = %g, 0 * log(0) = %s\n", log(0.0), show(a_text, sizeof a_text, "%g", 0.0 * log(0.0)));
    printf("clipped: -log(1e-7) = %.4f, -log(1 - 1e-7) = %.4g\n", -log(1e-7), -log(1.0 - 1e-7));
    float float_top = 1.0f - 1e-7f;
    printf("in float, 1.0f - 1e-7f = %.8f, and log(1 - that) = %.4f instead of log(1e-7) = %.4f\n", float_top,
           log(1.0 - float_top), log(1e-7));

    printf("scores pushed far by a model, through your sigmoid:\n");
    const float far_scores[] = {20, 40, -40, -120}, far_labels[] = {0, 1, 1, 0};
    Matrix far_z = kit_matrix_from(1, 4, far_scores), far_a = kit_matrix_create(1, 4);
    Matrix far_y = kit_matrix_from(1, 4, far_labels);
    sigmoid(&far_a, &far_z);
    for (int k = 0; k < 4; k++)
        printf("  z = %4.0f  sigmoid(z) = %-12s y = %.0f   formula: %-6s  binary_cross_entropy: %.6g\n",
               far_scores[k], show(a_text, sizeof a_text, "%.6g", far_a.data[k]), far_labels[k],
               show(b_text, sizeof b_text, "%.4g", bce_unprotected(far_a.data[k], far_labels[k])),
               bce_one(far_a.data[k], far_labels[k]));
    printf("the batch of four: formula %s, binary_cross_entropy %s\n",
           show(a_text, sizeof a_text, "%.4g",
                (bce_unprotected(far_a.data[0], 0) + bce_unprotected(far_a.data[1], 1) +
                 bce_unprotected(far_a.data[2], 1) + bce_unprotected(far_a.data[3], 0)) / 4),
           show(c_text, sizeof c_text, "%.4f", binary_cross_entropy(&far_a, &far_y)));

    kit_section("Residuals of a fitted line: y = 3.5 x + 7.2 + noise");
    enum { N = 100 };
    KitRng rng;
    kit_rng_seed(&rng, 42);
    Matrix x = kit_matrix_create(N, 1), noise = kit_matrix_create(N, 1);
    Matrix targets = kit_matrix_create(N, 1), fitted = kit_matrix_create(N, 1), true_line = kit_matrix_create(N, 1);
    kit_matrix_fill_normal(&x, &rng, 0.0f, 1.0f);
    kit_matrix_fill_normal(&noise, &rng, 0.0f, 0.8f);
    for (int i = 0; i < N; i++)
        targets.data[i] = 3.5f * x.data[i] + 7.2f + noise.data[i];
    /* least squares in closed form: slope = cov(x, y) / var(x), intercept = mean(y) - slope mean(x) */
    double mean_x = 0.0, mean_y = 0.0;
    for (int i = 0; i < N; i++) {
        mean_x += x.data[i];
        mean_y += targets.data[i];
    }
    mean_x /= N, mean_y /= N;
    double covariance = 0.0, variance = 0.0;
    for (int i = 0; i < N; i++) {
        covariance += (x.data[i] - mean_x) * (targets.data[i] - mean_y);
        variance += (x.data[i] - mean_x) * (x.data[i] - mean_x);
    }
    double slope = covariance / variance, intercept = mean_y - slope * mean_x;
    printf("%d points, x standard normal, noise normal with std 0.8, seed 42\n", N);
    printf("least squares: slope %.4f (true 3.5), intercept %.4f (true 7.2)\n", slope, intercept);
    Matrix residuals = kit_matrix_create(N, 1);
    for (int i = 0; i < N; i++) {
        fitted.data[i] = (float)(slope * x.data[i] + intercept);
        true_line.data[i] = 3.5f * x.data[i] + 7.2f;
        residuals.data[i] = targets.data[i] - fitted.data[i];
    }
    printf("MSE of the fitted line: %.4f   MSE of the true line: %.4f\n", mse_loss(&fitted, &targets),
           mse_loss(&true_line, &targets));

    Matrix r_mean = kit_matrix_create(1, 1), r_std = kit_matrix_create(1, 1);
    Matrix r_min = kit_matrix_create(1, 1), r_max = kit_matrix_create(1, 1);
    column_stats(&r_mean, &r_std, &r_min, &r_max, &residuals);
    printf("residuals r = y - (slope x + intercept), from your column_stats:\n");
    printf("  mean %.1e (0 up to float rounding)   std %.4f   min %.4f   max %.4f\n", r_mean.data[0], r_std.data[0],
           r_min.data[0], r_max.data[0]);
    printf("  std^2 = %.4f: with a mean of 0, the MSE is the variance of the residuals\n",
           r_std.data[0] * r_std.data[0]);

    Matrix z = kit_matrix_create(N, 1);
    normalize(&z, &residuals);
    int outliers = 0;
    for (int i = 0; i < N; i++)
        outliers += fabsf(z.data[i]) > 2.0f;
    printf("z-scores z = (r - mean) / std from your normalize; %d points with |z| > 2:\n", outliers);
    for (int i = 0; i < N; i++)
        if (fabsf(z.data[i]) > 2.0f)
            printf("  point %2d: x = %7.4f  y = %7.4f  residual %7.4f  z = %7.4f\n", i, x.data[i], targets.data[i],
                   residuals.data[i], z.data[i]);
    printf("how the z-scores spread:\n");
    for (int bin = -3; bin < 3; bin++) {
        int count = 0;
        for (int i = 0; i < N; i++)
            count += z.data[i] >= (float)bin && z.data[i] < (float)(bin + 1);
        printf("  [%2d, %2d)  %2d  ", bin, bin + 1, count);
        for (int s = 0; s < count; s++)
            putchar('#');
        putchar('\n');
    }
    printf("share within 1 std: share_within(z, 1) = %.2f   (a normal distribution: %.4f)\n", share_within(&z, 1.0f),
           erf(1.0 / sqrt(2.0)));
    printf("share within 2 std: share_within(z, 2) = %.2f   (a normal distribution: %.4f)\n", share_within(&z, 2.0f),
           erf(2.0 / sqrt(2.0)));

    enum { MANY = 10000 };
    Matrix many = kit_matrix_create(MANY, 1), many_z = kit_matrix_create(MANY, 1);
    kit_matrix_fill_normal(&many, &rng, 0.0f, 0.8f);
    normalize(&many_z, &many);
    printf("the same for %d normal numbers: %.4f within 1 std, %.4f within 2, %.4f within 3\n", MANY,
           share_within(&many_z, 1.0f), share_within(&many_z, 2.0f), share_within(&many_z, 3.0f));

    Matrix *all_matrices[] = {&truth, &model_a, &model_b, &X, &y, &y_pred, &scores, &labels, &probabilities,
                              &far_z, &far_a, &far_y, &x, &noise, &targets, &fitted, &true_line, &residuals,
                              &r_mean, &r_std, &r_min, &r_max, &z, &many, &many_z};
    for (size_t i = 0; i < sizeof all_matrices / sizeof all_matrices[0]; i++)
        kit_matrix_free(all_matrices[i]);
    return 0;
}
