/*
 * course.h: the functions you write, chapter by chapter.
 *
 * Each chapter's exercise.c defines that chapter's functions; later chapters
 * call the ones you wrote before (a layer uses your matrix_multiply and your
 * add_row_vector). The comment above each function in exercise.c says exactly
 * what it computes, with its shapes and an example.
 */
#ifndef COURSE_H
#define COURSE_H

#include "kit.h"

/* ---- 1.1 Getting Started with Arrays (lessons/1.1-arrays) --------------- */

/* out = X + row, the 1 x C row added to every row of the R x C matrix X. */
void add_row_vector(Matrix *out, const Matrix *X, const Matrix *row);

/* out = the out->rows x out->cols block of X whose top-left corner is (row0, col0). */
void slice(Matrix *out, const Matrix *X, int row0, int col0);

/* out = (X - mean) / std over all elements (out = X - mean when std is 0); out may be X. */
void normalize(Matrix *out, const Matrix *X);

/* The mean, population std, min and max of every column of the N x D matrix X (each 1 x D). */
void column_stats(Matrix *mean, Matrix *std, Matrix *min, Matrix *max, const Matrix *X);

/* Every column of X scaled to mean 0 and std 1 on its own (only centred when its std is 0). */
void normalize_columns(Matrix *out, const Matrix *X);

/* ---- 1.2 Matrix Operations for Neural Networks (lessons/1.2-matrix-operations) ---- */

/* a . b = sum_k a_k b_k over all elements; a and b have the same number of elements (vectors are 1 x n). */
float dot_product(const Matrix *a, const Matrix *b);

/* |a| = sqrt(a . a), the Euclidean length of a. */
float vector_norm(const Matrix *a);

/* a . b / (|a| |b|), the cosine of the angle between a and b; 0 when either is a zero vector. */
float cosine_similarity(const Matrix *a, const Matrix *b);

/* Z = XW with three loops; X is N x K, W is K x M, Z is N x M. */
void matrix_multiply_loops(Matrix *Z, const Matrix *X, const Matrix *W);

/* The same product Z = XW with one call to OpenBLAS cblas_sgemm. */
void matrix_multiply(Matrix *Z, const Matrix *X, const Matrix *W);

/* out = X^T; X is R x C, out is C x R. */
void transpose(Matrix *out, const Matrix *X);

/* Z = XW + b with your matrix_multiply and add_row_vector (1.1); X is N x K, W is K x M, b is 1 x M, Z is N x M. */
void linear_layer(Matrix *Z, const Matrix *X, const Matrix *W, const Matrix *b);

/* ---- 1.3 Mathematical Functions and Activation Basics (lessons/1.3-math-functions) ---- */

/* out = e^Z element by element; out may be Z. */
void elementwise_exp(Matrix *out, const Matrix *Z);

/* out = max(Z, floor) element by element (max(Z, 0) is ReLU); out may be Z. */
void elementwise_maximum(Matrix *out, const Matrix *Z, float floor);

/* out = 1 / (1 + e^-Z) element by element, computed so that no exponential overflows; out may be Z. */
void sigmoid(Matrix *out, const Matrix *Z);

/* ---- 2.1 Understanding Loss Functions (lessons/2.1-loss-functions) ---------- */

/* (1/n) sum (y_pred - y)^2 over all n elements, summed in double; y_pred and y have the same shape. */
float mse_loss(const Matrix *y_pred, const Matrix *y);

/* -(1/n) sum [y log a + (1 - y) log(1 - a)] with each a clipped to [1e-7, 1 - 1e-7] first, in double; never NaN or inf. */
float binary_cross_entropy(const Matrix *A, const Matrix *y);

/* The fraction of the elements of z with |z| <= k (0 to 1). */
float share_within(const Matrix *z, float k);

/* ---- 2.2 Gradient Descent for Optimization (lessons/2.2-gradient-descent) ---- */

/* dW = (2/N) X^T (XW + b - y) and db = (2/N) sum_i (x_i W + b - y_i), the gradient of mse_loss(XW + b, y); overwrites dW (D x 1) and db (1 x 1). */
void mse_gradient(Matrix *dW, Matrix *db, const Matrix *X, const Matrix *W, const Matrix *b, const Matrix *y);

/* steps of full-batch gradient descent on W (D x 1) and b (1 x 1), W -= lr dW and b -= lr db; losses (1 x steps) gets the loss before each step. */
void gradient_descent(Matrix *W, Matrix *b, Matrix *losses, const Matrix *X, const Matrix *y, float lr, int steps);

/* ---- 2.3 Mini-Batch Gradient Descent (lessons/2.3-mini-batches) ---- */

/* order = a random permutation of 0..n-1 (overwritten): Fisher-Yates, for i = n-1 down to 1, j = kit_rng_below(rng, i + 1), swap order[i] and order[j]. */
void shuffle_indices(int *order, int n, KitRng *rng);

/* out (m x D, m = out->rows) = the rows X[order[start]], ..., X[order[start + m - 1]] of X (N x D): a mini-batch. */
void gather_rows(Matrix *out, const Matrix *X, const int *order, int start);

/* A = sigmoid(XW + b) (m x 1), dW = X^T (A - y) / m (D x 1), db = sum(A - y) / m (1 x 1), all overwritten; X is m x D, y is m x 1. */
void logistic_gradient(Matrix *dW, Matrix *db, Matrix *A, const Matrix *X, const Matrix *W, const Matrix *b,
                       const Matrix *y);

/* epochs of mini-batch gradient descent for logistic regression (shuffle, then batches of batch_size rows, the last one shorter); losses (1 x epochs) gets each epoch's mean loss. */
void minibatch_gradient_descent(Matrix *W, Matrix *b, Matrix *losses, const Matrix *X, const Matrix *y, float lr,
                                int epochs, int batch_size, KitRng *rng);

/* ---- 2.4 Debugging with Numerical Gradients (lessons/2.4-numerical-gradients) ---- */

/* A loss as a function of parameters it reads through context (for example a struct holding X, y, W and b). */
typedef float (*LossFunction)(void *context);

/* grad[k] = (loss with W[k] + h - loss with W[k] - h) / 2h for every element k of W (central differences); grad has W's shape and is overwritten, W is restored exactly. */
void numerical_gradient(Matrix *grad, Matrix *W, LossFunction loss, void *context, float h);

/* max over k of |a_k - b_k| / max(|a_k|, |b_k|, 1), the floored relative error of two gradients of the same shape; NaN if either holds a NaN or an inf. */
float relative_error(const Matrix *a, const Matrix *b);

/* ---- 3.1 Single-Layer Perceptrons (lessons/3.1-perceptron) ---- */

/* A = sigmoid(XW + b) with your linear_layer and sigmoid: M sigmoid neurons; X is N x D, W is D x M, b is 1 x M, A is N x M (overwritten). */
void forward_perceptron(Matrix *A, const Matrix *X, const Matrix *W, const Matrix *b);

/* The fraction (0 to 1) of the elements of A whose prediction (1 when a >= 0.5, else 0) equals y, of the same shape. */
float binary_accuracy(const Matrix *A, const Matrix *y);

/* epochs of full-batch gradient descent on the binary cross-entropy of one neuron, W -= lr X^T (A - y) / N, b -= lr mean(A - y); losses (1 x epochs) gets each epoch's loss before its step. */
void train_perceptron(Matrix *W, Matrix *b, Matrix *losses, const Matrix *X, const Matrix *y, float lr, int epochs);

/* ---- 3.2 Activation Functions for Neural Networks (lessons/3.2-activations) ---- */

/* out = max(0, Z) element by element; out may be Z. */
void relu(Matrix *out, const Matrix *Z);

/* out = 1 where Z > 0, else 0 (the derivative of ReLU, with relu'(0) = 0 by convention); out may be Z. */
void relu_derivative(Matrix *out, const Matrix *Z);

/* out = A (1 - A) element by element, the derivative of sigmoid from its output A = sigmoid(Z); out may be A. */
void sigmoid_derivative(Matrix *out, const Matrix *A);

/* Row by row: out[i][j] = e^(Z[i][j] - m_i) / sum_k e^(Z[i][k] - m_i), with m_i the largest Z[i][k]
 * (the max shift, so that large logits such as 1000 give no inf or NaN); each row sums to 1; out may be Z. */
void softmax(Matrix *out, const Matrix *Z);

/* ---- 3.3 Multi-Layer Perceptrons and Forward Propagation (lessons/3.3-mlp-forward) ---- */

/* Y (N x C) = the one-hot rows of labels (N x 1, classes 0..C-1 as floats): Y[i][labels[i]] = 1, else 0; overwrites Y. */
void one_hot(Matrix *Y, const Matrix *labels);

/* Z1 = X W1 + b1 (N x H), A1 = relu(Z1), Z2 = A1 W2 + b2 (N x C), A2 = softmax(Z2); X is N x D, W1 D x H, b1 1 x H, W2 H x C, b2 1 x C; the caller allocates the four outputs. */
void forward_mlp(Matrix *Z1, Matrix *A1, Matrix *Z2, Matrix *A2, const Matrix *X, const Matrix *W1,
                 const Matrix *b1, const Matrix *W2, const Matrix *b2);

/* -(1/N) sum_i sum_c Y[i][c] log(max(A[i][c], 1e-7)), the mean cross-entropy of probabilities A against targets Y (both N x C), in double; never NaN or inf. */
float cross_entropy(const Matrix *A, const Matrix *Y);

#endif
