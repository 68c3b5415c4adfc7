/*
 * Chapter 1.2: Matrix Operations for Neural Networks — your exercise.
 *
 * Write the seven functions below, one at a time. After each one, run
 *     make grade CH=1.2
 * to see which checks pass, and
 *     make run CH=1.2
 * to run the chapter's demo with your code. The lesson is lessons/1.2-matrix-operations/README.md.
 *
 * Shapes: a vector is a 1 x n matrix. A product Z = XW multiplies an N x D matrix X (N examples
 * of D features) by a D x M matrix W and gives an N x M matrix Z (D is the shared inner dimension).
 * A Matrix is rows, cols and a row-major float array: element (i, j) is data[i * cols + j].
 * The caller allocates every output with the right shape; your functions only fill it.
 * You may use the C library (math.h: sqrt, fabs, ...), OpenBLAS (cblas.h: cblas_sgemm),
 * the kit's helpers (harness/kit.h) and your functions of chapter 1.1 (add_row_vector, ...).
 */
#include "kit.h"
#include "course.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>

/*
 * dot_product: multiply two vectors element by element and add up the products.
 *   a . b = sum_k a_k * b_k        over all n = rows * cols elements
 * a and b have the same number of elements (vectors are 1 x n); the result is one number.
 * Accumulate the sum in double and return it as a float.
 * Example: a = [1, 2, 3], b = [4, -5, 6]:  a . b = 4 - 10 + 18 = 12.
 *          The taste vectors A = [9, 2, 8, 1, 7] and B = [8, 1, 9, 2, 6] give A . B = 190.
 * In harness/course.h: a . b = sum_k a_k b_k over all elements; a and b have the same number of elements (vectors
 *     are 1 x n).
 */
float dot_product(const Matrix *a, const Matrix *b)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=1.2. */
    KIT_NOT_IMPLEMENTED();
}

/*
 * vector_norm: the length (Euclidean norm) of a vector.
 *   |a| = sqrt(a . a) = sqrt(sum_k a_k^2)
 * a has any shape; every element counts. Accumulate the sum of squares in double.
 * Example: |[3, 4]| = 5.  The taste vector A = [9, 2, 8, 1, 7] has |A| = sqrt(199) = 14.1067.
 * In harness/course.h: |a| = sqrt(a . a), the Euclidean length of a.
 */
float vector_norm(const Matrix *a)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=1.2. */
    KIT_NOT_IMPLEMENTED();
}

/*
 * cosine_similarity: the cosine of the angle between two vectors.
 *   cos(a, b) = (a . b) / (|a| |b|),    a number between -1 and 1
 * 1: same direction; 0: perpendicular; -1: opposite. The lengths do not matter:
 * cos(a, 2a) = 1. A zero vector has no direction: return 0 when |a| or |b| is 0.
 * a and b have the same number of elements. You may call dot_product and vector_norm.
 * Example: cos([1, 0], [1, 1]) = 1 / sqrt(2) = 0.7071;
 *          the taste vectors A and B above: cos(A, B) = 190 / (14.1067 * 13.6382) = 0.9876.
 * In harness/course.h: a . b / (|a| |b|), the cosine of the angle between a and b; 0 when either is a zero vector.
 */
float cosine_similarity(const Matrix *a, const Matrix *b)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=1.2. */
    KIT_NOT_IMPLEMENTED();
}

/*
 * matrix_multiply_loops: the matrix product, written out with three loops.
 *   Z[i][j] = sum_k X[i][k] * W[k][j]      for i < N, j < M, k < D
 * X is N x D, W is D x M, Z is N x M. Element (i, j) of Z is the dot product of
 * row i of X with column j of W. Accumulate each sum in double.
 * Do not call cblas_sgemm here: this is the slow reference the fast one is tested against.
 * Example: X = [[1, 2, 3], [4, 5, 6]] (2 x 3), W = [[7, 8], [9, 10], [11, 12]] (3 x 2)
 *          Z = [[58, 64], [139, 154]] (2 x 2); Z[0][0] = 1*7 + 2*9 + 3*11 = 58.
 * In harness/course.h: Z = XW with three loops; X is N x D, W is D x M, Z is N x M.
 */
void matrix_multiply_loops(Matrix *Z, const Matrix *X, const Matrix *W)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=1.2. */
    KIT_NOT_IMPLEMENTED();
}

/*
 * matrix_multiply: the same product Z = XW, computed by OpenBLAS with one call to cblas_sgemm.
 *   cblas_sgemm computes C = alpha * A B + beta * C (the names of its arguments, not the course's
 *   letters); here A = X, B = W, C = Z, alpha = 1, beta = 0.
 * X is N x D, W is D x M, Z is N x M, all row-major (CblasRowMajor, CblasNoTrans for both).
 * The leading dimension of a row-major matrix is its number of columns: D for X, M for W and Z.
 * Example: the same as matrix_multiply_loops, up to the last bits of each float.
 * In harness/course.h: The same product Z = XW with one call to OpenBLAS cblas_sgemm.
 */
void matrix_multiply(Matrix *Z, const Matrix *X, const Matrix *W)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=1.2. */
    KIT_NOT_IMPLEMENTED();
}

/*
 * transpose: swap the rows and columns of a matrix.
 *   out[j][i] = X[i][j]        for i < rows, j < cols
 * X is rows x cols, out is cols x rows (out is a different matrix from X).
 * Example: X = [[1, 2, 3], [4, 5, 6]] (2 x 3), out = [[1, 4], [2, 5], [3, 6]] (3 x 2).
 * In harness/course.h: out = X^T; X is rows x cols, out is cols x rows.
 */
void transpose(Matrix *out, const Matrix *X)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=1.2. */
    KIT_NOT_IMPLEMENTED();
}

/*
 * linear_layer: the forward pass of a fully connected layer.
 *   Z = XW + b,   Z[i][j] = sum_k X[i][k] * W[k][j] + b[j]
 * X is N x D (N examples with D features), W is D x M (the weights of M neurons,
 * one column each), b is 1 x M (one bias per neuron), Z is N x M.
 * Use your matrix_multiply, then your add_row_vector of chapter 1.1 to add b to
 * every row (add_row_vector(Z, Z, b) works in place: each element is read before it is written).
 * Example: X = [[1, 2]], W = [[1, 0, -1], [2, 1, 0]], b = [0.5, 0, 1]:  Z = [[5.5, 2, 0]].
 * In harness/course.h: Z = XW + b with your matrix_multiply and add_row_vector (1.1); X is N x D, W is D x M, b is
 *     1 x M, Z is N x M.
 */
void linear_layer(Matrix *Z, const Matrix *X, const Matrix *W, const Matrix *b)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=1.2. */
    KIT_NOT_IMPLEMENTED();
}
