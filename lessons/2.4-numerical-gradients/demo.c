/*
 * The demo of chapter 2.4: Debugging with Numerical Gradients.
 * Run it with your code:  make run CH=2.4
 * It walks through the lesson and calls your functions from exercise.c, and with them your
 * functions of earlier chapters: linear_layer, matrix_multiply and transpose (1.2), sigmoid (1.3),
 * mse_loss and binary_cross_entropy (2.1), mse_gradient (2.2) and logistic_gradient (2.3).
 */
#include "kit.h"
#include "course.h"

#include <float.h>
#include <math.h>
#include <stdio.h>

#define STEP_COUNT 5

/* ---- the losses, each reading its parameters through a context ---------- */

/* A linear or logistic model on X (N x D) with parameters W (D x 1) and b (1 x 1), targets y (N x 1);
 * scratch (N x 1) holds the predictions, so that a loss allocates nothing. */
typedef struct {
    const Matrix *X, *y;
    Matrix *W, *b;
    Matrix *scratch;
} Model;

/* mse_loss(XW + b, y) with your linear_layer and mse_loss. */
static float regression_loss(void *context)
{
    Model *m = context;
    linear_layer(m->scratch, m->X, m->W, m->b);
    return mse_loss(m->scratch, m->y);
}

/* binary_cross_entropy(sigmoid(XW + b), y) with your linear_layer, sigmoid and binary_cross_entropy. */
static float logistic_loss(void *context)
{
    Model *m = context;
    linear_layer(m->scratch, m->X, m->W, m->b);
    sigmoid(m->scratch, m->scratch);
    return binary_cross_entropy(m->scratch, m->y);
}

/* The same logistic loss computed in double from start to end: (1/N) sum log(1 + e^z) - y z. */
static double logistic_loss_double(const Model *m)
{
    int N = m->X->rows, D = m->X->cols;
    double sum = 0.0;
    for (int i = 0; i < N; i++) {
        double z = m->b->data[0];
        for (int k = 0; k < D; k++)
            z += (double)m->X->data[i * D + k] * m->W->data[k];
        sum += (z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))) - m->y->data[i] * z;
    }
    return sum / N;
}

/* A layer without bias, Z = XW (X N x K, W K x K), and the mean squared error of Z against T (N x K). */
typedef struct {
    const Matrix *X, *T;
    Matrix *W;
    Matrix *scratch;
} Layer;

static float layer_loss(void *context)
{
    Layer *l = context;
    matrix_multiply(l->scratch, l->X, l->W);
    return mse_loss(l->scratch, l->T);
}

/* ---- small helpers ----------------------------------------------------- */

/* Forward differences (L(W + h e_k) - L(W)) / h, for comparison with your central numerical_gradient. */
static void forward_gradient(Matrix *grad, Matrix *W, LossFunction loss, void *context, float h)
{
    float center = loss(context);
    for (int k = 0; k < W->rows * W->cols; k++) {
        float saved = W->data[k];
        W->data[k] = saved + h;
        grad->data[k] = (loss(context) - center) / h;
        W->data[k] = saved;
    }
}

/* Central differences of the loss computed in double, divided by the step actually taken: W is a float
 * matrix, so saved + h and saved - h are rounded to floats and are not exactly 2h apart. */
static void central_gradient_double(Matrix *grad, Model *m, float h)
{
    for (int k = 0; k < m->W->rows; k++) {
        float saved = m->W->data[k];
        m->W->data[k] = saved + h;
        double up = logistic_loss_double(m);
        m->W->data[k] = saved - h;
        double down = logistic_loss_double(m);
        m->W->data[k] = saved;
        grad->data[k] = (float)((up - down) / ((double)(saved + h) - (double)(saved - h)));
    }
}

/* Formats a number; nan prints as "nan" whatever its sign bit. */
static const char *show(char *buffer, size_t size, const char *format, double value)
{
    if (isnan(value))
        snprintf(buffer, size, "nan");
    else
        snprintf(buffer, size, format, value);
    return buffer;
}

/* Prints a column vector as one row: "name [a, b, c]". */
static void print_row(const char *name, const Matrix *m)
{
    printf("%s [", name);
    for (int k = 0; k < m->rows * m->cols; k++)
        printf(k ? ", %.5f" : "%.5f", m->data[k]);
    printf("]\n");
}

int main(void)
{
    KitRng rng;
    char text[32];

    kit_section("A wrong gradient trains without a complaint");
    /* y = 3.5 x + 7.2 + noise, the data set of chapter 2.2, and three versions of its gradient */
    kit_rng_seed(&rng, 42);
    int N = 100;
    Matrix X = kit_matrix_create(N, 1), y = kit_matrix_create(N, 1), noise = kit_matrix_create(N, 1);
    kit_matrix_fill_normal(&X, &rng, 0, 1);
    kit_matrix_fill_normal(&noise, &rng, 0, 0.8f);
    for (int i = 0; i < N; i++)
        y.data[i] = 3.5f * X.data[i] + 7.2f + noise.data[i];
    Matrix W = kit_matrix_create(1, 1), b = kit_matrix_create(1, 1), y_pred = kit_matrix_create(N, 1);
    Matrix dW = kit_matrix_create(1, 1), db = kit_matrix_create(1, 1);
    Model line = {&X, &y, &W, &b, &y_pred};
    const char *versions[3] = {"right: mse_gradient", "sign flipped", "half of it (2 forgotten)"};
    const float factors[3] = {1.0f, -1.0f, 0.5f};
    const int shown[] = {0, 1, 2, 5, 10, 20, 50};
    printf("the loss of 100 points of y = 3.5x + 7.2 + noise, gradient descent with lr 0.1 from W = 0, b = 0\n");
    printf("%-26s", "step");
    for (int s = 0; s < 7; s++)
        printf("  %10d", shown[s]);
    printf("\n");
    for (int v = 0; v < 3; v++) {
        kit_matrix_fill(&W, 0.0f);
        kit_matrix_fill(&b, 0.0f);
        printf("%-26s", versions[v]);
        for (int t = 0, s = 0; t <= 50; t++) {
            if (t == shown[s])
                printf("  %10.4g", regression_loss(&line)), s++;
            mse_gradient(&dW, &db, &X, &W, &b, &y);
            W.data[0] -= 0.1f * factors[v] * dW.data[0];
            b.data[0] -= 0.1f * factors[v] * db.data[0];
        }
        printf("\n");
    }

    kit_section("Forward and central differences of f(x) = e^x at x = 0.5, in double");
    printf("f'(0.5) = e^0.5 = %.10f\n", exp(0.5));
    printf("%8s  %14s  %14s  %14s  %14s\n", "h", "forward error", "h f''/2", "central error", "h^2 f'''/6");
    for (int p = 1; p <= 5; p++) {
        double h = pow(10.0, -p), x = 0.5, slope = exp(x);
        double forward = (exp(x + h) - exp(x)) / h, central = (exp(x + h) - exp(x - h)) / (2 * h);
        printf("%8.0e  %14.3e  %14.3e  %14.3e  %14.3e\n", h, forward - slope, h * slope / 2, central - slope,
               h * h * slope / 6);
    }

    kit_section("The step h in float: the logistic loss of a random 40 x 4 problem");
    kit_rng_seed(&rng, 7);
    int M = 40, D = 4;
    Matrix Xc = kit_matrix_create(M, D), yc = kit_matrix_create(M, 1), Wc = kit_matrix_create(D, 1);
    Matrix bc = kit_matrix_create(1, 1), scratch = kit_matrix_create(M, 1);
    kit_matrix_fill_normal(&Xc, &rng, 0, 1.5f);
    kit_matrix_fill_normal(&Wc, &rng, 0, 1);
    bc.data[0] = 0.25f;
    for (int i = 0; i < M; i++)
        yc.data[i] = kit_rng_uniform(&rng) < 0.5f ? 1.0f : 0.0f;
    Model model = {&Xc, &yc, &Wc, &bc, &scratch};
    Matrix analytic = kit_matrix_create(D, 1), analytic_b = kit_matrix_create(1, 1), A = kit_matrix_create(M, 1);
    Matrix central = kit_matrix_create(D, 1), forward = kit_matrix_create(D, 1), central64 = kit_matrix_create(D, 1);
    logistic_gradient(&analytic, &analytic_b, &A, &Xc, &Wc, &bc, &yc);
    float L = logistic_loss(&model);
    printf("loss L = binary_cross_entropy(sigmoid(XW + b), y) = %.6f (float), %.6f (double)\n", L,
           logistic_loss_double(&model));
    /* how noisy is the float loss? compare it with the double one at 200 nearby points */
    double noise_max = 0.0;
    float start = Wc.data[0];
    for (int j = 1; j <= 200; j++) {
        Wc.data[0] = start + 1e-4f * (float)j;
        noise_max = fmax(noise_max, fabs((double)logistic_loss(&model) - logistic_loss_double(&model)));
    }
    Wc.data[0] = start;
    printf("the float loss is off the double one by up to %.2e at 200 nearby points (%.1f eps |L|)\n", noise_max,
           noise_max / (FLT_EPSILON * fabs(L)));
    print_row("analytic dW from logistic_gradient:", &analytic);
    numerical_gradient(&central, &Wc, logistic_loss, &model, 1e-2f);
    print_row("numerical_gradient, h = 1e-2:       ", &central);
    printf("relative error of numerical against analytic dW, for each step h:\n");
    printf("%8s  %14s  %14s  %16s  %14s\n", "h", "central", "forward", "central, double", "eps |L| / h");
    for (int p = 1; p <= STEP_COUNT; p++) {
        float h = powf(10.0f, (float)-p);
        numerical_gradient(&central, &Wc, logistic_loss, &model, h);
        forward_gradient(&forward, &Wc, logistic_loss, &model, h);
        central_gradient_double(&central64, &model, h);
        printf("%8.0e  %14.2e  %14.2e  %16.2e  %14.2e\n", (double)h, relative_error(&analytic, &central),
               relative_error(&analytic, &forward), relative_error(&analytic, &central64),
               FLT_EPSILON * fabs(L) / h);
    }

    kit_section("Checking mse_gradient of chapter 2.2");
    kit_rng_seed(&rng, 11);
    int Nr = 12, Dr = 3;
    Matrix Xr = kit_matrix_create(Nr, Dr), yr = kit_matrix_create(Nr, 1), Wr = kit_matrix_create(Dr, 1);
    Matrix br = kit_matrix_create(1, 1), scratch_r = kit_matrix_create(Nr, 1);
    kit_matrix_fill_normal(&Xr, &rng, 0, 1);
    kit_matrix_fill_normal(&yr, &rng, 2, 1);
    kit_matrix_fill_uniform(&Wr, &rng, -1, 1);
    br.data[0] = -0.5f;
    Model regression = {&Xr, &yr, &Wr, &br, &scratch_r};
    Matrix dWr = kit_matrix_create(Dr, 1), dbr = kit_matrix_create(1, 1);
    Matrix nWr = kit_matrix_create(Dr, 1), nbr = kit_matrix_create(1, 1);
    mse_gradient(&dWr, &dbr, &Xr, &Wr, &br, &yr);
    numerical_gradient(&nWr, &Wr, regression_loss, &regression, 1e-2f);
    numerical_gradient(&nbr, &br, regression_loss, &regression, 1e-2f);
    printf("12 random examples with 3 features, loss %.5f\n", regression_loss(&regression));
    print_row("dW from mse_gradient:          ", &dWr);
    print_row("dW from numerical_gradient:    ", &nWr);
    printf("db from mse_gradient: %.5f, from numerical_gradient: %.5f\n", dbr.data[0], nbr.data[0]);
    printf("relative error: dW %.2e, db %.2e\n", relative_error(&dWr, &nWr), relative_error(&dbr, &nbr));

    kit_section("What broken gradients look like: a 3 x 3 layer Z = XW, loss mse_loss(Z, T)");
    kit_rng_seed(&rng, 3);
    int Nl = 8, K = 3, n = Nl * K;
    Matrix Xl = kit_matrix_create(Nl, K), Tl = kit_matrix_create(Nl, K), Wl = kit_matrix_create(K, K);
    Matrix Zl = kit_matrix_create(Nl, K);
    kit_matrix_fill_normal(&Xl, &rng, 0, 1);
    kit_matrix_fill_normal(&Tl, &rng, 0, 1);
    kit_matrix_fill_normal(&Wl, &rng, 0, 1);
    Layer layer = {&Xl, &Tl, &Wl, &Zl};
    Matrix numeric = kit_matrix_create(K, K), right = kit_matrix_create(K, K), broken = kit_matrix_create(K, K);
    Matrix ratio = kit_matrix_create(K, K), turned = kit_matrix_create(K, K);
    numerical_gradient(&numeric, &Wl, layer_loss, &layer, 1e-2f);
    /* the right gradient: dW = (2/n) X^T (XW - T), n = N K elements in the mean */
    matrix_multiply(&Zl, &Xl, &Wl);
    for (int i = 0; i < K; i++)
        for (int j = 0; j < K; j++) {
            double sum = 0.0;
            for (int r = 0; r < Nl; r++)
                sum += (double)Xl.data[r * K + i] * (Zl.data[r * K + j] - Tl.data[r * K + j]);
            right.data[i * K + j] = (float)(2.0 * sum / n);
        }
    printf("loss %.5f, mean over n = %d elements; dW = (2/n) X^T (XW - T)\n", layer_loss(&layer), n);
    kit_matrix_print("numerical_gradient, h = 1e-2", &numeric, 5);
    printf("%-18s  %10s  %s\n", "analytic gradient", "rel. error", "analytic / numeric, element by element");
    const char *mistakes[4] = {"right", "sign flipped", "1/n forgotten", "transposed (dW^T)"};
    for (int v = 0; v < 4; v++) {
        for (int i = 0; i < K; i++)
            for (int j = 0; j < K; j++) {
                float value = right.data[i * K + j];
                broken.data[i * K + j] = v == 1 ? -value : v == 2 ? value * n : v == 3 ? right.data[j * K + i] : value;
            }
        for (int k = 0; k < K * K; k++)
            ratio.data[k] = broken.data[k] / numeric.data[k];
        printf("%-18s  %10.2e ", mistakes[v], relative_error(&broken, &numeric));
        for (int k = 0; k < K * K; k++)
            printf(" %7.3f", ratio.data[k]);
        printf("\n");
    }
    transpose(&turned, &broken);
    printf("the transposed one, transposed back: relative error %.2e\n", relative_error(&turned, &numeric));

    kit_section("The floor in the relative error");
    const float pairs[][2] = {{1e-6f, 3e-6f}, {0.0f, 0.0f}, {0.02f, 0.03f}, {0.5f, 0.0f}, {2.0f, 2.2f}, {100, 101}};
    printf("%10s  %10s  %20s  %16s\n", "a", "b", "|a-b| / max(|a|,|b|)", "relative_error");
    for (int p = 0; p < 6; p++) {
        Matrix a1 = kit_matrix_from(1, 1, &pairs[p][0]), b1 = kit_matrix_from(1, 1, &pairs[p][1]);
        double plain = fabs(pairs[p][0] - pairs[p][1]) / fmax(fabs(pairs[p][0]), fabs(pairs[p][1]));
        printf("%10g  %10g  %20s  %16.4g\n", pairs[p][0], pairs[p][1], show(text, sizeof text, "%.4g", plain),
               relative_error(&a1, &b1));
        kit_matrix_free(&a1), kit_matrix_free(&b1);
    }

    Matrix *all[] = {&X, &y, &noise, &W, &b, &y_pred, &dW, &db, &Xc, &yc, &Wc, &bc, &scratch, &analytic,
                     &analytic_b, &A, &central, &forward, &central64, &Xr, &yr, &Wr, &br, &scratch_r, &dWr, &dbr,
                     &nWr, &nbr, &Xl, &Tl, &Wl, &Zl, &numeric, &right, &broken, &ratio, &turned};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        kit_matrix_free(all[i]);
    return 0;
}
