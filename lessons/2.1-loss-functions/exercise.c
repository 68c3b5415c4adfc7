/*
 * Chapter 2.1: Understanding Loss Functions — your exercise.
 *
 * Write the three functions below, one at a time. After each one, run
 *     make grade CH=2.1
 * to see which checks pass, and
 *     make run CH=2.1
 * to run the chapter's demo with your code. The lesson is lessons/2.1-loss-functions/README.md.
 *
 * Shapes: every matrix here is rows x cols of any shape, read as a list of n = rows * cols numbers:
 * N x 1 predictions of N examples, a 1 x N row, or an N x M batch of M outputs each.
 * A Matrix is rows, cols and a row-major float array, so one index k can walk all n elements.
 * The two matrices of a loss have the same shape. Each function returns one float and writes
 * nothing: its inputs must not change. Accumulate sums in double and convert at the end.
 * You may use the C library (math.h: log, fabs, ...) and the kit's helpers (harness/kit.h).
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdlib.h>

/*
 * mse_loss: the mean squared error of a regression model's predictions.
 *   L = (1/n) sum_k (y_pred_k - y_k)^2         over all n = rows * cols elements
 * y_pred and y are rows x cols (both the same shape). Sum the squares in double.
 * L is 0 exactly when y_pred equals y, and every error counts with its square:
 * an error of 2 costs four times as much as an error of 1.
 * Example: y_pred = [2.5, 0.0, 2.1, 7.8], y = [3.0, -0.5, 2.0, 7.0]
 *          errors -0.5, 0.5, 0.1, 0.8; L = (0.25 + 0.25 + 0.01 + 0.64) / 4 = 0.2875.
 * In harness/course.h: (1/n) sum (y_pred - y)^2 over all n elements, summed in double; y_pred and y have the same
 *     shape.
 */
float mse_loss(const Matrix *y_pred, const Matrix *y)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=2.1. */
    KIT_NOT_IMPLEMENTED();
}

/*
 * binary_cross_entropy: the loss of a classifier that outputs probabilities.
 *   L = -(1/n) sum_k [ y_k log(a_k) + (1 - y_k) log(1 - a_k) ]
 * A is rows x cols: a_k is the predicted probability that example k is a 1; y has A's shape: the
 * true labels, usually 0 or 1 (any value in [0, 1] works with the same formula; use it as written).
 * log is the natural logarithm. Before taking any log, clip every a into [eps, 1 - eps]
 * with eps = 1e-7:
 *   a = min(max(a_k, 1e-7), 1 - 1e-7)
 * so that log never sees 0: without it, a = 0 with y = 1 gives log(0) = -inf (the loss is inf),
 * and even a perfect a = 1 with y = 1 gives 0 * log(0) = 0 * -inf = NaN.
 * Compute in double: the clipping, the logs and the sum (1 - 1e-7 is not a float:
 * 1.0f - 1e-7f rounds to 0.99999988, and log(1 - a) then comes out -15.94 instead of -16.12).
 * The result is never NaN or inf: a certain wrong answer costs -log(1e-7) = 16.1181,
 * a certain right one -log(1 - 1e-7) = 1.0e-7.
 * Example: A = [0.9, 0.1, 0.8, 0.3], y = [1, 0, 1, 0]
 *          L = -(log 0.9 + log 0.9 + log 0.8 + log 0.7) / 4 = 0.1976.
 * In harness/course.h: -(1/n) sum [y log a + (1 - y) log(1 - a)] with each a clipped to [1e-7, 1 - 1e-7] first, in
 *     double; never NaN or inf.
 */
float binary_cross_entropy(const Matrix *A, const Matrix *y)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=2.1. */
    KIT_NOT_IMPLEMENTED();
}

/*
 * share_within: the fraction of the elements of z that lie within k of 0.
 *   share = (the number of elements z_i with |z_i| <= k) / n      over all n = rows * cols elements
 * z is rows x cols; the share is a number from 0 to 1, and an element with |z_i| exactly equal to k
 * counts as within.
 * Applied to z-scores (values scaled to mean 0 and std 1), share_within(z, 1) and
 * share_within(z, 2) are the shares within one and two standard deviations of the mean:
 * about 0.68 and 0.95 when the values come from a normal distribution.
 * Example: z = [-2.5, -1, -0.3, 0, 0.8, 1, 1.7, 2]
 *          share_within(z, 1) = 5/8 = 0.625   (-1, -0.3, 0, 0.8 and 1)
 *          share_within(z, 2) = 7/8 = 0.875   (all but -2.5)
 * In harness/course.h: The fraction of the elements of z with |z| <= k (0 to 1).
 */
float share_within(const Matrix *z, float k)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=2.1. */
    KIT_NOT_IMPLEMENTED();
}
