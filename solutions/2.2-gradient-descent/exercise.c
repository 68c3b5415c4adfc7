/*
 * Chapter 2.2: Gradient Descent for Optimization — your exercise.
 *
 * Write the two functions below, one at a time. After each one, run
 *     make grade CH=2.2
 * to see which checks pass, and
 *     make run CH=2.2
 * to run the chapter's demo with your code. The lesson is lessons/2.2-gradient-descent/README.md.
 *
 * The model is linear regression: one prediction per example, y_pred = XW + b.
 * Shapes: X is N x D (N examples with D features each), W is D x 1 (one weight per feature),
 * b is 1 x 1 (the intercept), y is N x 1 (the targets). The gradients have the shapes of
 * what they are the gradient of: dW is D x 1, db is 1 x 1.
 * A Matrix is rows, cols and a row-major float array: element (i, j) is data[i * cols + j];
 * X[i][k] is X->data[i * D + k], and W, b, y, dW, db are plain arrays (one column).
 * The caller allocates every argument; your functions only fill or update them.
 * You may use the C library (math.h), the kit's helpers (harness/kit.h), your linear_layer
 * of chapter 1.2 and your mse_loss of chapter 2.1.
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdlib.h>

/*
 * mse_gradient: the gradient of the mean squared error of a linear model.
 *   The loss is  L(W, b) = (1/N) sum_i (x_i W + b - y_i)^2,  what mse_loss(XW + b, y) returns,
 *   where x_i is row i of X. With the residual r_i = x_i W + b - y_i, the chain rule gives
 *     dW[k] = dL/dW[k] = (2/N) sum_i r_i X[i][k]      that is  dW = (2/N) X^T r
 *     db[0] = dL/db    = (2/N) sum_i r_i
 * X is N x D, W is D x 1, b is 1 x 1, y is N x 1; dW is D x 1 and db is 1 x 1.
 * Overwrite dW and db (do not add to what they held: they may contain anything on entry).
 * X, W, b and y are not changed. Allocate nothing: one pass over the rows of X is enough
 * (compute r_i, then add r_i X[i][k] to dW[k] and r_i to db), and multiply by 2/N at the end.
 * Example: X = [[1], [2], [3]], y = [[3], [5], [7]] (the line y = 2x + 1), W = [[0]], b = [[0]]:
 *          r = [-3, -5, -7], dW = (2/3)(-3 - 10 - 21) = -22.6667, db = (2/3)(-15) = -10.
 *          Both are negative: the loss falls when W and b grow, towards 2 and 1.
 * In harness/course.h: dW = (2/N) X^T (XW + b - y) and db = (2/N) sum_i (x_i W + b - y_i), the gradient of
 *     mse_loss(XW + b, y); overwrites dW (D x 1) and db (1 x 1).
 */
void mse_gradient(Matrix *dW, Matrix *db, const Matrix *X, const Matrix *W, const Matrix *b, const Matrix *y)
{
    /* SOLUTION BEGIN */
    int N = X->rows, D = X->cols;
    for (int k = 0; k < D; k++)
        dW->data[k] = 0.0f;
    double bias_sum = 0.0;
    for (int i = 0; i < N; i++) {
        const float *x = X->data + (size_t)i * D;
        double prediction = b->data[0];
        for (int k = 0; k < D; k++)
            prediction += (double)x[k] * W->data[k];
        float residual = (float)(prediction - y->data[i]);
        for (int k = 0; k < D; k++)
            dW->data[k] += residual * x[k];
        bias_sum += residual;
    }
    float scale = 2.0f / (float)N;
    for (int k = 0; k < D; k++)
        dW->data[k] *= scale;
    db->data[0] = scale * (float)bias_sum;
    /* SOLUTION END */
}

/*
 * gradient_descent: train W and b by full-batch gradient descent on the mean squared error.
 *   for t = 0, 1, ..., steps - 1:
 *       losses[t] = mse_loss(XW + b, y)         the loss BEFORE step t
 *       dW, db    = mse_gradient(X, W, b, y)
 *       W <- W - lr dW,   b <- b - lr db
 * W (D x 1) and b (1 x 1) hold the starting point on entry and the trained values on return;
 * losses is 1 x steps. X (N x D) and y (N x 1) are not changed.
 * Compute the predictions XW + b with your linear_layer (chapter 1.2: b is a 1 x 1 row, added
 * to every row of XW) and the loss with your mse_loss (chapter 2.1). Allocate the scratch
 * matrices you need (the N x 1 predictions, dW, db) once, before the first step, and free
 * them before you return: nothing is allocated inside the loop.
 * Example: X = [[1], [2], [3]], y = [[3], [5], [7]], W = [[0]], b = [[0]], lr = 0.05, steps = 2:
 *          losses = [27.6667, 5.4885], W = [[1.6378]], b = [[0.7233]]
 *          (after the first step W = 1.1333 and b = 0.5).
 * In harness/course.h: steps of full-batch gradient descent on W (D x 1) and b (1 x 1), W -= lr dW and b -= lr db;
 *     losses (1 x steps) gets the loss before each step.
 */
void gradient_descent(Matrix *W, Matrix *b, Matrix *losses, const Matrix *X, const Matrix *y, float lr, int steps)
{
    /* SOLUTION BEGIN */
    int N = X->rows, D = X->cols;
    Matrix y_pred = kit_matrix_create(N, 1), dW = kit_matrix_create(D, 1), db = kit_matrix_create(1, 1);
    for (int t = 0; t < steps; t++) {
        linear_layer(&y_pred, X, W, b);
        losses->data[t] = mse_loss(&y_pred, y);
        mse_gradient(&dW, &db, X, W, b, y);
        for (int k = 0; k < D; k++)
            W->data[k] -= lr * dW.data[k];
        b->data[0] -= lr * db.data[0];
    }
    kit_matrix_free(&y_pred);
    kit_matrix_free(&dW);
    kit_matrix_free(&db);
    /* SOLUTION END */
}
