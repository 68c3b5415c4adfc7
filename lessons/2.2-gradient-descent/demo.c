/*
 * The demo of chapter 2.2: Gradient Descent for Optimization.
 * Run it with your code:  make run CH=2.2
 * It walks through the lesson and calls your functions from exercise.c (and, through them,
 * your linear_layer of chapter 1.2 and your mse_loss of chapter 2.1).
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdio.h>

#define STUDY_RATES 4

/* Formats one number with the given format; nan prints as "nan" whatever its sign bit. */
static const char *show(char *buffer, size_t size, const char *format, double value)
{
    if (isnan(value))
        snprintf(buffer, size, "nan");
    else
        snprintf(buffer, size, format, value);
    return buffer;
}

/* f(x) = (x - 3)^2 and its derivative f'(x) = 2 (x - 3): the one-dimensional warm-up. */
static double f(double x) { return (x - 3.0) * (x - 3.0); }
static double f_slope(double x) { return 2.0 * (x - 3.0); }

/* mse_loss(XW + b, y) for a one-feature model with slope w and intercept v, through your functions. */
static float line_loss(const Matrix *X, const Matrix *y, float w, float v, Matrix *y_pred)
{
    Matrix W = kit_matrix_from(1, 1, &w), b = kit_matrix_from(1, 1, &v);
    linear_layer(y_pred, X, &W, &b);
    float loss = mse_loss(y_pred, y);
    kit_matrix_free(&W), kit_matrix_free(&b);
    return loss;
}

/* The exact least-squares line through the points (x_i, y_i), in double: slope = cov(x, y) / var(x). */
static void least_squares(const Matrix *X, const Matrix *y, double *slope, double *intercept)
{
    int N = X->rows;
    double mean_x = 0, mean_y = 0, cov = 0, var = 0;
    for (int i = 0; i < N; i++)
        mean_x += X->data[i], mean_y += y->data[i];
    mean_x /= N, mean_y /= N;
    for (int i = 0; i < N; i++) {
        cov += (X->data[i] - mean_x) * (y->data[i] - mean_y);
        var += (X->data[i] - mean_x) * (X->data[i] - mean_x);
    }
    *slope = cov / var;
    *intercept = mean_y - *slope * mean_x;
}

/* Trains a line on (X, y) from 0 with your gradient_descent, printing the loss, slope and intercept
 * every `every` steps (the loss is the one before that step), then the final values. */
static void train_line(const Matrix *X, const Matrix *y, float lr, int steps, int every, Matrix *W, Matrix *b)
{
    Matrix losses = kit_matrix_create(1, every), y_pred = kit_matrix_create(X->rows, 1);
    kit_matrix_fill(W, 0.0f);
    kit_matrix_fill(b, 0.0f);
    printf("%6s  %10s  %8s  %9s\n", "step", "loss", "slope", "intercept");
    double seconds = 0;
    for (int t = 0; t < steps; t += every) {
        float slope = W->data[0], intercept = b->data[0];
        double start = kit_seconds();
        gradient_descent(W, b, &losses, X, y, lr, every); /* losses[0] is the loss at (slope, intercept) */
        seconds += kit_seconds() - start;
        printf("%6d  %10.4f  %8.4f  %9.4f\n", t, losses.data[0], slope, intercept);
    }
    printf("%6d  %10.4f  %8.4f  %9.4f\n", steps, line_loss(X, y, W->data[0], b->data[0], &y_pred), W->data[0],
           b->data[0]);
    printf("%d steps of gradient_descent on %d points took %.2f ms\n", steps, X->rows, seconds * 1e3);
    kit_matrix_free(&losses), kit_matrix_free(&y_pred);
}

int main(void)
{
    char a[32];

    kit_section("Derivatives as slopes: f(x) = (x - 3)^2");
    printf("%6s  %8s  %14s  %30s\n", "x", "f(x)", "f'(x) = 2(x-3)", "(f(x+h) - f(x-h)) / 2h, h=0.001");
    const double points[] = {0, 1, 2.5, 3, 4, 6};
    for (int k = 0; k < 6; k++) {
        double x = points[k], h = 1e-3;
        printf("%6.1f  %8.4f  %14.4f  %30.4f\n", x, f(x), f_slope(x), (f(x + h) - f(x - h)) / (2 * h));
    }

    kit_section("Gradient descent in one dimension: x <- x - lr f'(x), lr = 0.1");
    double x = 0.0, lr_1d = 0.1;
    int reached = -1;
    printf("%5s  %10s  %10s  %10s\n", "step", "x", "f(x)", "f'(x)");
    for (int t = 0; t <= 50; t++) {
        if (t <= 5 || t % 10 == 0)
            printf("%5d  %10.6f  %10.6f  %10.6f\n", t, x, f(x), f_slope(x));
        if (reached < 0 && fabs(x - 3.0) < 1e-3)
            reached = t;
        x -= lr_1d * f_slope(x);
    }
    printf("|x - 3| first fell below 0.001 at step %d; each step multiplies x - 3 by 1 - 2 lr = %.1f\n", reached,
           1.0 - 2.0 * lr_1d);

    kit_section("The step size decides: x after 20 steps from 0");
    const double rates_1d[] = {0.01, 0.1, 0.5, 0.9, 1.0, 1.1};
    printf("%5s  %10s  %12s\n", "lr", "1 - 2 lr", "x after 20");
    for (int k = 0; k < 6; k++) {
        double lr = rates_1d[k], xt = 0.0;
        for (int t = 0; t < 20; t++)
            xt -= lr * f_slope(xt);
        double factor = 1.0 - 2.0 * lr;
        const char *what = fabs(factor) < 1e-12 ? "lands on 3 in one step"
                           : fabs(factor) >= 1.0 ? (fabs(factor) > 1.0 ? "overshoots further every step: diverges"
                                                                       : "bounces between 0 and 6 forever")
                           : factor < 0       ? "overshoots, but less every step: converges"
                           : fabs(factor) > 0.9 ? "converges, slowly"
                                                : "converges";
        printf("%5.2f  %10.2f  %12.4f  %s\n", lr, factor, xt, what);
    }

    kit_section("The gradient of the MSE: mse_gradient on three points of y = 2x + 1");
    const float line_x[] = {1, 2, 3}, line_y[] = {3, 5, 7}, zero = 0.0f;
    Matrix X3 = kit_matrix_from(3, 1, line_x), y3 = kit_matrix_from(3, 1, line_y), y_pred3 = kit_matrix_create(3, 1);
    Matrix W = kit_matrix_from(1, 1, &zero), b = kit_matrix_from(1, 1, &zero);
    Matrix dW = kit_matrix_create(1, 1), db = kit_matrix_create(1, 1);
    const float where[][2] = {{0, 0}, {2, 0.5f}, {2, 1}, {3, 1}};
    printf("%5s  %5s  %9s  %10s  %10s  %20s  %20s\n", "W", "b", "loss", "dW", "db", "(L(W+h)-L(W-h))/2h",
           "(L(b+h)-L(b-h))/2h");
    for (int k = 0; k < 4; k++) {
        float w = where[k][0], v = where[k][1], h = 0.01f;
        W.data[0] = w, b.data[0] = v;
        mse_gradient(&dW, &db, &X3, &W, &b, &y3);
        float loss = line_loss(&X3, &y3, w, v, &y_pred3);
        double numeric_w = (line_loss(&X3, &y3, w + h, v, &y_pred3) - line_loss(&X3, &y3, w - h, v, &y_pred3)) /
                           (2.0 * h);
        double numeric_b = (line_loss(&X3, &y3, w, v + h, &y_pred3) - line_loss(&X3, &y3, w, v - h, &y_pred3)) /
                           (2.0 * h);
        printf("%5.1f  %5.1f  %9.4f  %10.4f  %10.4f  %20.3f  %20.3f\n", w, v, loss, dW.data[0], db.data[0],
               numeric_w, numeric_b);
    }
    W.data[0] = 0, b.data[0] = 0;
    mse_gradient(&dW, &db, &X3, &W, &b, &y3);
    printf("at W = 0, b = 0 the outline's X^T (y_pred - y) / N = %.4f: half of dW = %.4f\n", dW.data[0] / 2.0,
           dW.data[0]);

    kit_section("Two steps by hand: gradient_descent on the three points, lr = 0.05");
    Matrix losses2 = kit_matrix_create(1, 2);
    W.data[0] = 0, b.data[0] = 0;
    gradient_descent(&W, &b, &losses2, &X3, &y3, 0.05f, 1);
    printf("after step 1: W = %.4f, b = %.4f (loss before it %.4f)\n", W.data[0], b.data[0], losses2.data[0]);
    W.data[0] = 0, b.data[0] = 0;
    gradient_descent(&W, &b, &losses2, &X3, &y3, 0.05f, 2);
    printf("after step 2: W = %.4f, b = %.4f (losses %.4f, %.4f)\n", W.data[0], b.data[0], losses2.data[0],
           losses2.data[1]);

    kit_section("Linear regression: y = 3.5 x + 7.2 + noise (std 0.8), x standard normal, 100 points");
    KitRng rng;
    kit_rng_seed(&rng, 42);
    int N = 100;
    Matrix X = kit_matrix_create(N, 1), y = kit_matrix_create(N, 1), noise = kit_matrix_create(N, 1);
    Matrix y_pred = kit_matrix_create(N, 1);
    kit_matrix_fill_normal(&X, &rng, 0, 1);
    kit_matrix_fill_normal(&noise, &rng, 0, 0.8f);
    for (int i = 0; i < N; i++)
        y.data[i] = 3.5f * X.data[i] + 7.2f + noise.data[i];
    printf("the first three points: (%.4f, %.4f) (%.4f, %.4f) (%.4f, %.4f)\n", X.data[0], y.data[0], X.data[1],
           y.data[1], X.data[2], y.data[2]);
    printf("lr 0.01, 1000 steps from slope 0, intercept 0\n");
    train_line(&X, &y, 0.01f, 1000, 100, &W, &b);
    double slope, intercept;
    least_squares(&X, &y, &slope, &intercept);
    printf("%-38s slope %.4f  intercept %.4f\n", "gradient descent found", W.data[0], b.data[0]);
    printf("%-38s slope %.4f  intercept %.4f  loss %.4f\n", "the exact least-squares line (double)", slope,
           intercept, line_loss(&X, &y, (float)slope, (float)intercept, &y_pred));
    printf("%-38s slope %.4f  intercept %.4f  loss %.4f\n", "the true line", 3.5, 7.2,
           line_loss(&X, &y, 3.5f, 7.2f, &y_pred));

    kit_section("A second data set: y = 2x + 3 + noise (std 1), x uniform in [-5, 5], 100 points");
    kit_rng_seed(&rng, 7);
    Matrix U = kit_matrix_create(N, 1), v = kit_matrix_create(N, 1);
    kit_matrix_fill_uniform(&U, &rng, -5, 5);
    for (int i = 0; i < N; i++)
        v.data[i] = 2.0f * U.data[i] + 3.0f + kit_rng_normal(&rng);
    printf("lr 0.01, 1000 steps from slope 0, intercept 0\n");
    train_line(&U, &v, 0.01f, 1000, 100, &W, &b);
    double slope2, intercept2;
    least_squares(&U, &v, &slope2, &intercept2);
    float best_loss = line_loss(&U, &v, (float)slope2, (float)intercept2, &y_pred);
    printf("%-38s slope %.4f  intercept %.4f\n", "gradient descent found", W.data[0], b.data[0]);
    printf("%-38s slope %.4f  intercept %.4f  loss %.4f\n", "the exact least-squares line (double)", slope2,
           intercept2, best_loss);
    printf("%-38s slope %.4f  intercept %.4f\n", "the true line", 2.0, 3.0);
    char line_name[64], scatter_error[512];
    snprintf(line_name, sizeof line_name, "gradient descent: y = %.2f x + %.2f", W.data[0], b.data[0]);
    const KitScatter scatter = {U.data, v.data, N, "the 100 points", W.data[0], b.data[0], line_name};
    const KitChart scatter_chart = {.title = "The second data set and the fitted line", .x_label = "x",
                                    .y_label = "y"};
    const char *scatter_path = kit_picture_path("2.2-fitted-line.png");
    if (kit_plot_scatter(scatter_path, &scatter_chart, &scatter, scatter_error, sizeof scatter_error) != 0)
        printf("could not draw the chart: %s\n", scatter_error);
    else
        printf("scatter plot: %s\n  %s: the 100 points\n  %s: the line gradient descent found\n", scatter_path,
               kit_plot_color_names[0], kit_plot_color_names[1]);

    kit_section("The learning rate: four runs of 200 steps on the second data set");
    const float rates[STUDY_RATES] = {0.001f, 0.01f, 0.1f, 0.5f};
    int steps = 200;
    Matrix study[STUDY_RATES], plotted[STUDY_RATES];
    KitCurve curves[STUDY_RATES];
    char names[STUDY_RATES][32];
    for (int r = 0; r < STUDY_RATES; r++) {
        study[r] = kit_matrix_create(1, steps);
        plotted[r] = kit_matrix_create(1, steps);
        kit_matrix_fill(&W, 0.0f);
        kit_matrix_fill(&b, 0.0f);
        gradient_descent(&W, &b, &study[r], &U, &v, rates[r], steps);
        /* the chart's top edge stands for every loss above 1000, inf and nan */
        for (int t = 0; t < steps; t++)
            plotted[r].data[t] = study[r].data[t] <= 1000.0f ? study[r].data[t] : INFINITY;
        snprintf(names[r], sizeof names[r], "lr %g", rates[r]);
        curves[r] = (KitCurve){plotted[r].data, steps, names[r]};
    }
    char error[512];
    const char *path = kit_picture_path("2.2-learning-rates.png");
    const KitChart chart = {.title = "Gradient descent at four learning rates", .x_label = "step",
                            .y_label = "loss before the step", .log_y = 1};
    if (kit_plot_curves(path, &chart, curves, STUDY_RATES, error, sizeof error) != 0)
        printf("could not draw the chart: %s\n", error);
    else {
        /* the chart spans whole powers of ten around the finite values it shows */
        double low = INFINITY, high = -INFINITY;
        for (int r = 0; r < STUDY_RATES; r++)
            for (int t = 0; t < steps; t++)
                if (isfinite(plotted[r].data[t]))
                    low = fmin(low, plotted[r].data[t]), high = fmax(high, plotted[r].data[t]);
        printf("loss curves: %s\n", path);
        printf("log scale from %g to %g, a grid line at every power of ten; losses above 1000, inf and nan are "
               "drawn at the top edge\n", pow(10, floor(log10(low))), pow(10, ceil(log10(high))));
    }
    /* the curvature: the loss is a bowl whose second derivatives are H = 2 [[E x^2, E x], [E x, 1]] */
    double mean_x = 0, mean_xx = 0;
    for (int i = 0; i < N; i++)
        mean_x += U.data[i], mean_xx += (double)U.data[i] * U.data[i];
    mean_x /= N, mean_xx /= N;
    double h11 = 2 * mean_xx, h12 = 2 * mean_x, h22 = 2;
    double centre = (h11 + h22) / 2, radius = sqrt((h11 - h22) * (h11 - h22) / 4 + h12 * h12);
    double steep = centre + radius, flat = centre - radius;
    printf("E[x^2] = %.4f, E[x] = %.4f: the bowl curves by 2 E[x^2] = %.4f along the slope, 2 along the intercept\n",
           mean_xx, mean_x, 2 * mean_xx);
    printf("exact curvatures (eigenvalues of the Hessian): steepest %.4f, flattest %.4f\n", steep, flat);
    printf("stable only for lr < 2 / (2 E[x^2]) = %.4f (exactly 2 / %.4f = %.4f)\n", 2 / (2 * mean_xx), steep,
           2 / steep);
    printf("the best possible loss (least squares): %.4f\n", best_loss);
    printf("%-7s  %-6s  %13s  %12s  %10s  %10s  %s\n", "colour", "lr", "|1-lr*steep|", "|1-lr*flat|",
           "first loss", "final loss", "verdict");
    for (int r = 0; r < STUDY_RATES; r++) {
        float first = study[r].data[0], last = study[r].data[steps - 1];
        const char *verdict = !isfinite(last) || last > first ? "diverges: the loss grows"
                              : last <= 1.01f * best_loss      ? "converges: within 1% of the best loss"
                                                               : "too slow: still above the best loss";
        printf("%-7s  %-6g  %13.4f  %12.4f  %10.4f  %10s  %s\n", kit_plot_color_names[r], rates[r],
               fabs(1 - rates[r] * steep), fabs(1 - rates[r] * flat), first, show(a, sizeof a, "%.4f", last),
               verdict);
    }
    /* the diverging run, step by step: where it leaves the floats */
    const Matrix *fast = &study[STUDY_RATES - 1];
    int first_inf = -1, first_nan = -1;
    for (int t = 0; t < steps; t++) {
        if (first_inf < 0 && isinf(fast->data[t]))
            first_inf = t;
        if (first_nan < 0 && isnan(fast->data[t]))
            first_nan = t;
    }
    printf("lr %g, the loss before steps 0 to 4:", rates[STUDY_RATES - 1]);
    for (int t = 0; t < 5; t++)
        printf(" %s", show(a, sizeof a, "%.4g", fast->data[t]));
    printf("\n");
    if (first_inf > 0)
        printf("lr %g: the loss is %s before step %d, inf before step %d", rates[STUDY_RATES - 1],
               show(a, sizeof a, "%.4g", fast->data[first_inf - 1]), first_inf - 1, first_inf);
    if (first_nan > 0)
        printf(", nan from step %d on (inf - inf is nan)", first_nan);
    if (first_inf > 0 || first_nan > 0)
        printf("\n");

    Matrix *all_matrices[] = {&X3, &y3, &y_pred3, &W, &b, &dW, &db, &losses2, &X, &y, &noise, &y_pred, &U, &v};
    for (size_t i = 0; i < sizeof all_matrices / sizeof all_matrices[0]; i++)
        kit_matrix_free(all_matrices[i]);
    for (int r = 0; r < STUDY_RATES; r++)
        kit_matrix_free(&study[r]), kit_matrix_free(&plotted[r]);
    return 0;
}
