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

/* ---- 2.2 Gradient Descent for Optimization (lessons/2.2-gradient-descent) ---- */

/* dW = (2/N) X^T (XW + b - y) and db = (2/N) sum_i (x_i W + b - y_i), the gradient of mse_loss(XW + b, y); overwrites dW (D x 1) and db (1 x 1). */
void mse_gradient(Matrix *dW, Matrix *db, const Matrix *X, const Matrix *W, const Matrix *b, const Matrix *y);

/* steps of full-batch gradient descent on W (D x 1) and b (1 x 1), W -= lr dW and b -= lr db; losses (1 x steps) gets the loss before each step. */
void gradient_descent(Matrix *W, Matrix *b, Matrix *losses, const Matrix *X, const Matrix *y, float lr, int steps);

#endif
