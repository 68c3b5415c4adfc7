/*
 * Chapter 3.1: Single-Layer Perceptrons — your exercise.
 *
 * Write the three functions below, one at a time. After each one, run
 *     make grade CH=3.1
 * to see which checks pass, and
 *     make run CH=3.1
 * to run the chapter's demo with your code. The lesson is lessons/3.1-perceptron/README.md.
 *
 * The model is a single-layer perceptron: M neurons that each take the weighted sum of the
 * D inputs of an example, add their bias and pass the result through a sigmoid.
 * Shapes: X is N x D (N examples with D inputs), W is D x M (one column of weights per neuron),
 * b is 1 x M (one bias per neuron), A is N x M (the output of every neuron for every example).
 * For training there is one neuron: W is D x 1, b is 1 x 1, and y is N x 1 (labels 0 or 1).
 * A Matrix is rows, cols and a row-major float array: element (i, j) is data[i * cols + j].
 * The caller allocates every output; your functions only fill or update it.
 * You may use the C library, the kit's helpers (harness/kit.h) and your functions of earlier
 * chapters: linear_layer (1.2), sigmoid (1.3) and binary_cross_entropy (2.1).
 */
#include "kit.h"
#include "course.h"

#include <stdlib.h>

/*
 * forward_perceptron: the outputs of a layer of M sigmoid neurons.
 *   A = sigmoid(X W + b),   A[i][j] = sigmoid(sum_k X[i][k] W[k][j] + b[j])
 * X is N x D, W is D x M, b is 1 x M; A is N x M and is overwritten. X, W and b are not changed.
 * Use your linear_layer (1.2) to write XW + b into A, then your sigmoid (1.3) on A in place.
 * Example: the four points X = [[0, 0], [0, 1], [1, 0], [1, 1]], W = [[1], [1]], b = [[-1.5]]:
 *          XW + b = [-1.5, -0.5, -0.5, 0.5], A = [0.1824, 0.3775, 0.3775, 0.6225]
 *          (only [1, 1] is above 0.5: this neuron computes AND).
 * In harness/course.h: A = sigmoid(XW + b) with your linear_layer and sigmoid: M sigmoid neurons; X is N x D, W is
 *     D x M, b is 1 x M, A is N x M (overwritten).
 */
void forward_perceptron(Matrix *A, const Matrix *X, const Matrix *W, const Matrix *b)
{
    /* SOLUTION BEGIN */
    linear_layer(A, X, W, b); /* A = XW + b */
    sigmoid(A, A);            /* A = sigmoid(XW + b) */
    /* SOLUTION END */
}

/*
 * binary_accuracy: the fraction of predictions that are right.
 *   the prediction of an output a is 1 when a >= 0.5 and 0 when a < 0.5 (a = 0.5 exactly is a 1);
 *   accuracy = (number of elements whose prediction equals y) / (number of elements)
 * A and y have the same shape (N x 1 for one neuron, N x M for M of them: every element counts);
 * y holds 0s and 1s. Returns a number from 0 to 1; A and y are not changed.
 * Example: A = [0.9, 0.2, 0.5, 0.4], y = [1, 0, 0, 1]: predictions [1, 0, 1, 0], right on the
 *          first two only: 2 / 4 = 0.5.
 * In harness/course.h: The fraction (0 to 1) of the elements of A whose prediction (1 when a >= 0.5, else 0) equals
 *     y, of the same shape.
 */
float binary_accuracy(const Matrix *A, const Matrix *y)
{
    /* SOLUTION BEGIN */
    int n = A->rows * A->cols, right = 0;
    for (int i = 0; i < n; i++) {
        float prediction = A->data[i] >= 0.5f ? 1.0f : 0.0f;
        right += prediction == y->data[i];
    }
    return (float)right / (float)n;
    /* SOLUTION END */
}

/*
 * train_perceptron: full-batch gradient descent on the binary cross-entropy of one neuron.
 *   for epoch = 0, 1, ..., epochs - 1:
 *       A = forward_perceptron(X, W, b)                  the predictions, N x 1
 *       losses[epoch] = binary_cross_entropy(A, y)       the loss BEFORE this epoch's step
 *       dW = X^T (A - y) / N,   dW[k] = (1/N) sum_i X[i][k] (a_i - y_i)
 *       db = (1/N) sum_i (a_i - y_i)
 *       W <- W - lr dW,   b <- b - lr db
 * X is N x D, y is N x 1 (0 or 1); W (D x 1) and b (1 x 1) hold the starting point on entry and
 * the trained values on return; losses is 1 x epochs. X and y are not changed.
 * dW and db are the gradient of the loss, derived in chapter 2.3 (the sigmoid's slope cancels).
 * Allocate the scratch (A, N x 1, and dW, D x 1) once, before the first epoch, and free it before
 * you return: nothing is allocated inside the loop.
 * Example: the four points of AND, X = [[0, 0], [0, 1], [1, 0], [1, 1]], y = [0, 0, 0, 1],
 *          W = [[0], [0]], b = [[0]], lr = 1, epochs = 2:
 *          epoch 0: A = [0.5, 0.5, 0.5, 0.5], loss 0.6931, A - y = [0.5, 0.5, 0.5, -0.5],
 *                   dW = [0, 0], db = 0.25, so W stays [0, 0] and b becomes -0.25;
 *          epoch 1: A = [0.4378, 0.4378, 0.4378, 0.4378], loss 0.6384, A - y = [0.4378, 0.4378, 0.4378, -0.5622],
 *                   dW = [-0.0311, -0.0311], db = 0.1878, so W = [[0.0311], [0.0311]] and b = [[-0.4378]]
 *          losses = [0.6931, 0.6384].
 * In harness/course.h: epochs of full-batch gradient descent on the binary cross-entropy of one neuron, W -= lr X^T
 *     (A - y) / N, b -= lr mean(A - y); losses (1 x epochs) gets each epoch's loss before its step.
 */
void train_perceptron(Matrix *W, Matrix *b, Matrix *losses, const Matrix *X, const Matrix *y, float lr, int epochs)
{
    /* SOLUTION BEGIN */
    int N = X->rows, D = X->cols;
    kit_require_shape(W, D, 1, "train_perceptron: W");
    kit_require_shape(b, 1, 1, "train_perceptron: b");
    kit_require_shape(y, N, 1, "train_perceptron: y");
    Matrix A = kit_matrix_create(N, 1), dW = kit_matrix_create(D, 1);
    for (int epoch = 0; epoch < epochs; epoch++) {
        forward_perceptron(&A, X, W, b);
        losses->data[epoch] = binary_cross_entropy(&A, y);
        kit_matrix_fill(&dW, 0.0f);
        double bias_sum = 0.0;
        for (int i = 0; i < N; i++) {
            float error = A.data[i] - y->data[i]; /* a_i - y_i */
            bias_sum += error;
            for (int k = 0; k < D; k++)
                dW.data[k] += X->data[i * D + k] * error; /* dW += x_i^T (a_i - y_i) */
        }
        for (int k = 0; k < D; k++)
            W->data[k] -= lr * dW.data[k] / N; /* W <- W - lr X^T (A - y) / N */
        b->data[0] -= lr * (float)(bias_sum / N); /* b <- b - lr mean(A - y) */
    }
    kit_matrix_free(&A);
    kit_matrix_free(&dW);
    /* SOLUTION END */
}
