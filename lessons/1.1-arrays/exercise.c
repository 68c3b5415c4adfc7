/*
 * Chapter 1.1: Getting Started with Arrays — your exercise.
 *
 * Write the five functions below, one at a time. After each one, run
 *     make grade CH=1.1
 * to see which checks pass, and
 *     make run CH=1.1
 * to run the chapter's demo with your code. The lesson is lessons/1.1-arrays/README.md.
 *
 * Shapes: rows x cols is any matrix, N x D a data set (N examples, D features); the letters are
 * the course's, the same in every chapter (harness/course.h lists them).
 * A Matrix is rows, cols and a row-major float array: element (i, j) is data[i * cols + j].
 * The caller allocates every output with the right shape; your functions only fill it.
 * You may use the C library (math.h: sqrt, fabs, ...) and the kit's helpers (harness/kit.h).
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdlib.h>

/*
 * add_row_vector: broadcasting a row vector across a matrix.
 *   out[i][j] = X[i][j] + row[j]        for every row i and column j
 * X is rows x cols, row is 1 x cols, out is rows x cols.
 * Example: X = [[1, 2, 3], [4, 5, 6]], row = [10, 20, 30]
 *          out = [[11, 22, 33], [14, 25, 36]]
 * This is how a layer adds its bias to every example: Z = XW + b.
 * In harness/course.h: out = X + row, the row (1 x cols) added to every row of X (rows x cols).
 */
void add_row_vector(Matrix *out, const Matrix *X, const Matrix *row)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=1.1. */
    KIT_NOT_IMPLEMENTED();
}

/*
 * slice: copy a rectangular block of X into out.
 *   out[i][j] = X[row0 + i][col0 + j]   for i < out->rows, j < out->cols
 * X is rows x cols; out is r x c (r = out->rows, c = out->cols) with row0 + r <= X->rows and
 * col0 + c <= X->cols. In NumPy this is X[row0:row0+r, col0:col0+c].
 * Example: the 8 x 4 data set's first three columns are slice(features 8 x 3, data, 0, 0);
 *          its last column is slice(labels 8 x 1, data, 0, 3).
 * In harness/course.h: out = the out->rows x out->cols block of X whose top-left corner is (row0, col0).
 */
void slice(Matrix *out, const Matrix *X, int row0, int col0)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=1.1. */
    KIT_NOT_IMPLEMENTED();
}

/*
 * normalize: scale all the elements of X together to mean 0 and standard deviation 1.
 *   mean = (1/n) sum_k x_k
 *   std  = sqrt((1/n) sum_k (x_k - mean)^2)      (n = rows * cols: the population std, not 1/(n-1))
 *   out_k = (x_k - mean) / std,  or out_k = x_k - mean when std is 0
 * X and out are rows x cols; out may be X itself (normalizing in place), so compute
 * mean and std before you write anything. Accumulate the sums in double.
 * Example: X = [[1, 2], [3, 4]] has mean 2.5 and std 1.1180;
 *          out = [[-1.3416, -0.4472], [0.4472, 1.3416]].
 * In harness/course.h: out = (X - mean) / std over all elements (out = X - mean when std is 0); out may be X.
 */
void normalize(Matrix *out, const Matrix *X)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=1.1. */
    KIT_NOT_IMPLEMENTED();
}

/*
 * column_stats: the statistics of every column of a data set.
 *   mean[j] = (1/N) sum_i X[i][j]
 *   std[j]  = sqrt((1/N) sum_i (X[i][j] - mean[j])^2)     (population std)
 *   min[j]  = the smallest X[i][j],  max[j] = the largest X[i][j]
 * X is N x D; mean, std, min and max are each 1 x D.
 * Example: the ages 23, 35, 28, 45, 31, 52, 26, 38 have mean 34.75,
 *          std 9.2702, min 23 and max 52.
 * In harness/course.h: The mean, population std, min and max of every column of the N x D matrix X (each 1 x D).
 */
void column_stats(Matrix *mean, Matrix *std, Matrix *min, Matrix *max, const Matrix *X)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=1.1. */
    KIT_NOT_IMPLEMENTED();
}

/*
 * normalize_columns: scale every column of a data set to mean 0 and std 1 on its own.
 *   out[i][j] = (X[i][j] - mean[j]) / std[j],  or X[i][j] - mean[j] when std[j] is 0
 * X and out are N x D. This puts features of very different scales (age in years,
 * salary in dollars) on the same footing. You may call your column_stats.
 * Example: the ages above become -1.2675, 0.0270, -0.7281, ... (age 23 is 1.27 std below the mean).
 * In harness/course.h: Every column of X scaled to mean 0 and std 1 on its own (only centred when its std is 0).
 */
void normalize_columns(Matrix *out, const Matrix *X)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=1.1. */
    KIT_NOT_IMPLEMENTED();
}
