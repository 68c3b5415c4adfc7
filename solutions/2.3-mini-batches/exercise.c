/*
 * Chapter 2.3: Mini-Batch Gradient Descent — your exercise.
 *
 * Write the four functions below, one at a time. After each one, run
 *     make grade CH=2.3
 * to see which checks pass, and
 *     make run CH=2.3
 * to run the chapter's demo with your code. The lesson is lessons/2.3-mini-batches/README.md.
 *
 * The model is logistic regression: one neuron with a sigmoid, a = sigmoid(x W + b), the
 * probability that example x belongs to class 1. It is trained on mini-batches: small groups
 * of rows drawn from a shuffled order of the data set, one gradient step per batch.
 * Shapes: X is N x D (N examples with D features), y is N x 1 (labels 0 or 1), W is D x 1,
 * b is 1 x 1. A batch has m rows (m <= batch_size): X_batch is m x D, y_batch and A are m x 1.
 * A Matrix is rows, cols and a row-major float array: element (i, j) is data[i * cols + j].
 * The caller allocates every output; your functions only fill it.
 * You may use the C library, the kit's helpers (harness/kit.h: kit_rng_below, ...) and your
 * functions of earlier chapters: linear_layer (1.2), sigmoid (1.3), binary_cross_entropy (2.1).
 */
#include "kit.h"
#include "course.h"

#include <stdlib.h>

/*
 * shuffle_indices: a random order of the N examples, for one epoch.
 * order is an array of n ints; afterwards it holds every number 0, 1, ..., n-1 exactly once,
 * in a random order. Whatever order held before is overwritten. The shuffle is Fisher-Yates,
 * exactly this variant (the grader compares your order with the reference for the same seed):
 *   1. order[i] = i for every i < n;
 *   2. for i from n-1 down to 1:  j = kit_rng_below(rng, i + 1)  (uniform in 0..i),
 *      then swap order[i] and order[j].
 * That is n-1 calls of kit_rng_below, and each of the n! orders is equally likely. Draw j from
 * 0..i, not from 0..n-1: the swaps would still give a permutation, but not a uniform one.
 * Example: n = 6 after kit_rng_seed(&rng, 1): the draws are j = 1, 3, 3, 2, 0 (for i = 5, 4, 3, 2, 1), so
 *          [0, 1, 2, 3, 4, 5] -> [0, 5, 2, 3, 4, 1] -> [0, 5, 2, 4, 3, 1] -> (i = 3 and i = 2 swap an
 *          entry with itself) -> [5, 0, 2, 4, 3, 1].
 * In harness/course.h: order = a random permutation of 0..n-1 (overwritten): order[i] = i, then Fisher-Yates, for
 *     i = n-1 down to 1, j = kit_rng_below(rng, i + 1), swap order[i] and order[j].
 */
void shuffle_indices(int *order, int n, KitRng *rng)
{
    /* SOLUTION BEGIN */
    for (int i = 0; i < n; i++)
        order[i] = i;
    for (int i = n - 1; i > 0; i--) {
        int j = kit_rng_below(rng, i + 1);
        int kept = order[i];
        order[i] = order[j];
        order[j] = kept;
    }
    /* SOLUTION END */
}

/*
 * gather_rows: copy the rows of one mini-batch out of a data matrix.
 *   out[r] = X[order[start + r]]        for r = 0, ..., m - 1, with m = out->rows
 * X is N x D, out is m x D (the same D; D is 1 for a label column); order holds at least
 * start + m valid row numbers of X. Only order[start], ..., order[start + m - 1] may be read:
 * the last batch of an epoch is often shorter, and the caller makes out that short.
 * Example: X = [[0, 1], [10, 11], [20, 21], [30, 31]], order = [3, 0, 2, 1], start = 2, m = 2
 *          out = [[20, 21], [10, 11]].
 * In harness/course.h: out (m x D, m = out->rows) = the rows X[order[start]], ..., X[order[start + m - 1]] of X (N
 *     x D): a mini-batch.
 */
void gather_rows(Matrix *out, const Matrix *X, const int *order, int start)
{
    /* SOLUTION BEGIN */
    int m = out->rows, D = X->cols;
    for (int r = 0; r < m; r++) {
        const float *source = X->data + (size_t)order[start + r] * D;
        for (int j = 0; j < D; j++)
            out->data[r * D + j] = source[j];
    }
    /* SOLUTION END */
}

/*
 * logistic_gradient: the predictions of logistic regression on a batch, and the gradient of
 * its mean binary cross-entropy.
 *   A  = sigmoid(X W + b)                   the probability of class 1 for each row
 *   dW = X^T (A - y) / m,   dW[j] = (1/m) sum_i X[i][j] (a_i - y_i)
 *   db = sum_i (a_i - y_i) / m
 * X is m x D, W is D x 1, b is 1 x 1, y is m x 1 (0 or 1); outputs A (m x 1), dW (D x 1) and
 * db (1 x 1) are overwritten. dW and db are the derivatives of binary_cross_entropy(A, y) (2.1)
 * with respect to W and b: the sigmoid's slope a (1 - a) cancels the loss's 1 / (a (1 - a)).
 * Use your linear_layer (1.2) and sigmoid (1.3) for A, then one pass over the rows for dW and db.
 * Example: X = [[1, 2], [-1, 0], [0, 1]], W = [[0.5], [-0.5]], b = [[0]], y = [[1], [0], [1]]
 *          X W + b = [-0.5, -0.5, -0.5], A = [0.3775, 0.3775, 0.3775], A - y = [-0.6225, 0.3775, -0.6225]
 *          dW = [(-0.6225 - 0.3775 + 0) / 3, (-1.2449 + 0 - 0.6225) / 3] = [-0.3333, -0.6225],
 *          db = (-0.6225 + 0.3775 - 0.6225) / 3 = -0.2891.
 * In harness/course.h: A = sigmoid(XW + b) (m x 1), dW = X^T (A - y) / m (D x 1), db = sum(A - y) / m (1 x 1), all
 *     overwritten; X is m x D, y is m x 1.
 */
void logistic_gradient(Matrix *dW, Matrix *db, Matrix *A, const Matrix *X, const Matrix *W, const Matrix *b,
                       const Matrix *y)
{
    /* SOLUTION BEGIN */
    int m = X->rows, D = X->cols;
    linear_layer(A, X, W, b); /* A = XW + b */
    sigmoid(A, A);            /* A = sigmoid(XW + b) */
    kit_matrix_fill(dW, 0.0f);
    double bias_sum = 0.0;
    for (int i = 0; i < m; i++) {
        float error = A->data[i] - y->data[i]; /* a_i - y_i */
        bias_sum += error;
        for (int j = 0; j < D; j++)
            dW->data[j] += X->data[i * D + j] * error; /* dW += x_i^T (a_i - y_i) */
    }
    for (int j = 0; j < D; j++)
        dW->data[j] /= m;
    db->data[0] = (float)(bias_sum / m);
    /* SOLUTION END */
}

/*
 * minibatch_gradient_descent: train logistic regression with mini-batches.
 * For each of the epochs:
 *   1. shuffle_indices(order, N, rng): a new random order of the N examples;
 *   2. for start = 0, batch_size, 2 batch_size, ... while start < N:
 *        m = min(batch_size, N - start)       (the last batch holds what is left: never
 *                                              dropped, never read past the end of order)
 *        gather_rows: X_batch = the m rows order[start..start+m-1] of X, y_batch the same of y
 *        logistic_gradient on the batch: A, dW, db
 *        the batch's loss binary_cross_entropy(A, y_batch) (2.1), before the step
 *        W -= lr dW,  b -= lr db
 *   3. losses[epoch] = the mean loss of the epoch's examples: sum over batches of m * loss / N.
 * X is N x D, y is N x 1, W is D x 1 and b is 1 x 1 (both updated in place, from the caller's
 * starting values), losses is 1 x epochs. One epoch is ceil(N / batch_size) steps.
 * Allocate the scratch (order, a batch_size x D buffer for X_batch, batch_size x 1 for y_batch
 * and A, dW, db) once, before the first epoch, and free it at the end. For a short last batch,
 * use a Matrix header with m rows over the same buffer: Matrix Xb = {m, D, x_buffer.data}.
 * rng is used only by shuffle_indices, once per epoch. A batch_size of N or more is full-batch
 * gradient descent (one step per epoch); one below 1 is a mistake of the caller (with 0 the walk
 * never moves): stop with kit_fatal naming the value.
 * Example: N = 10, batch_size = 4: each epoch takes batches of 4, 4 and 2 rows (3 steps).
 * In harness/course.h: epochs of mini-batch gradient descent for logistic regression (shuffle, then batches of
 *     batch_size rows, the last one shorter); losses (1 x epochs) gets each epoch's mean loss.
 */
void minibatch_gradient_descent(Matrix *W, Matrix *b, Matrix *losses, const Matrix *X, const Matrix *y, float lr,
                                int epochs, int batch_size, KitRng *rng)
{
    /* SOLUTION BEGIN */
    int N = X->rows, D = X->cols;
    if (batch_size < 1)
        kit_fatal("minibatch_gradient_descent: batch_size is %d, it must be at least 1", batch_size);
    int capacity = batch_size < N ? batch_size : N;
    int *order = malloc((size_t)N * sizeof *order);
    if (order == NULL)
        kit_fatal("minibatch_gradient_descent: no memory for the order of %d examples", N);
    Matrix x_buffer = kit_matrix_create(capacity, D), y_buffer = kit_matrix_create(capacity, 1);
    Matrix a_buffer = kit_matrix_create(capacity, 1);
    Matrix dW = kit_matrix_create(D, 1), db = kit_matrix_create(1, 1);

    for (int epoch = 0; epoch < epochs; epoch++) {
        shuffle_indices(order, N, rng);
        double loss_sum = 0.0;
        for (int start = 0; start < N; start += batch_size) {
            int m = N - start < batch_size ? N - start : batch_size;
            Matrix Xb = {m, D, x_buffer.data}, yb = {m, 1, y_buffer.data}, A = {m, 1, a_buffer.data};
            gather_rows(&Xb, X, order, start);
            gather_rows(&yb, y, order, start);
            logistic_gradient(&dW, &db, &A, &Xb, W, b, &yb);
            loss_sum += (double)m * binary_cross_entropy(&A, &yb);
            for (int j = 0; j < D; j++)
                W->data[j] -= lr * dW.data[j]; /* W <- W - lr dW */
            b->data[0] -= lr * db.data[0];     /* b <- b - lr db */
        }
        losses->data[epoch] = (float)(loss_sum / N);
    }

    free(order);
    kit_matrix_free(&x_buffer), kit_matrix_free(&y_buffer), kit_matrix_free(&a_buffer);
    kit_matrix_free(&dW), kit_matrix_free(&db);
    /* SOLUTION END */
}
