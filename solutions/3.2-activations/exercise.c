/*
 * Chapter 3.2: Activation Functions for Neural Networks — your exercise.
 *
 * Write the four functions below, one at a time. After each one, run
 *     make grade CH=3.2
 * to see which checks pass, and
 *     make run CH=3.2
 * to run the chapter's demo with your code. The lesson is lessons/3.2-activations/README.md.
 *
 * Shapes: Z is an N x K matrix, one row per example. For ReLU and the derivatives it is any
 * matrix, rows x cols (often a layer's pre-activations, N x M) and every element is handled on its own.
 * For softmax each row is one example's K class scores ("logits"), and each row of the output
 * is a probability distribution over the K classes.
 * A Matrix is rows, cols and a row-major float array: element (i, j) is data[i * cols + j].
 * The caller allocates every output with the shape of the input; your functions only fill it
 * (they overwrite it: never add to what it held). Each output may be the input itself (an
 * in-place call such as relu(&Z, &Z)): read what you need before you write over it.
 * You may use the C library (math.h: expf, ...), the kit's helpers (harness/kit.h) and your
 * functions of earlier chapters (elementwise_maximum of 1.3 is ReLU with a floor of 0).
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdlib.h>

/*
 * relu: the rectified linear unit of every element.
 *   out[i][j] = max(0, Z[i][j])
 * Z and out are rows x cols; out may be Z. Negative values become 0, the others pass unchanged.
 * Whether relu(-0.0) gives -0.0 or 0.0 does not matter: the two compare equal.
 * Example: Z = [[-1.5, 2.0], [0.0, -0.25], [0.5, -3.0]]  gives  out = [[0, 2.0], [0, 0], [0.5, 0]].
 * In harness/course.h: out = max(0, Z) element by element; out may be Z.
 */
void relu(Matrix *out, const Matrix *Z)
{
    /* SOLUTION BEGIN */
    int n = Z->rows * Z->cols;
    for (int k = 0; k < n; k++) {
        float z = Z->data[k];
        out->data[k] = z > 0.0f ? z : 0.0f;
    }
    /* SOLUTION END */
}

/*
 * relu_derivative: the slope of ReLU at every element, the factor backpropagation multiplies by.
 *   out[i][j] = 1 if Z[i][j] > 0, else 0
 * Z and out are rows x cols (Z holds the pre-activations, not the output of relu); out may be Z.
 * At exactly 0 ReLU has no derivative; the convention here is relu'(0) = 0, for 0.0 and -0.0
 * alike (the test is z > 0, not z >= 0). The smallest positive float still counts as positive.
 * Example: Z = [[-1.5, 2.0], [0.0, -0.25], [0.5, -3.0]]  gives  out = [[0, 1], [0, 0], [1, 0]].
 * In harness/course.h: out = 1 where Z > 0, else 0 (the derivative of ReLU, with relu'(0) = 0 by convention); out
 *     may be Z.
 */
void relu_derivative(Matrix *out, const Matrix *Z)
{
    /* SOLUTION BEGIN */
    int n = Z->rows * Z->cols;
    for (int k = 0; k < n; k++)
        out->data[k] = Z->data[k] > 0.0f ? 1.0f : 0.0f;
    /* SOLUTION END */
}

/*
 * sigmoid_derivative: the slope of sigmoid, computed from sigmoid's output.
 *   out[i][j] = A[i][j] (1 - A[i][j])        where A = sigmoid(Z)
 * A and out are rows x cols; out may be A. Note the argument: A is the activation (the output of
 * sigmoid, numbers in [0, 1]), not the pre-activation Z: d sigmoid(z) / dz = sigmoid(z) (1 - sigmoid(z)),
 * and a layer keeps A from its forward pass, so no exponential is needed here.
 * The largest value is 0.25, at A = 0.5 (z = 0); it falls towards 0 as A nears 0 or 1.
 * Example: A = [0.5, 0.9, 0.1, 1.0]  gives  out = [0.25, 0.09, 0.09, 0].
 * In harness/course.h: out = A (1 - A) element by element, the derivative of sigmoid from its output
 *     A = sigmoid(Z); out may be A.
 */
void sigmoid_derivative(Matrix *out, const Matrix *A)
{
    /* SOLUTION BEGIN */
    int n = A->rows * A->cols;
    for (int k = 0; k < n; k++) {
        float a = A->data[k];
        out->data[k] = a * (1.0f - a);
    }
    /* SOLUTION END */
}

/*
 * softmax: each row of scores turned into probabilities over the K classes.
 *   out[i][j] = e^(Z[i][j] - m_i) / sum_k e^(Z[i][k] - m_i),     m_i = max_k Z[i][k]
 * Z and out are N x K; out may be Z. Each row is handled on its own: every output is in [0, 1],
 * every row of out sums to 1, and the largest score of a row gets the largest probability.
 * Subtracting the row's largest score m_i does not change the result (it multiplies the top
 * and the bottom of the fraction by e^-m_i), but it makes every exponent <= 0, so no e^z
 * overflows: without it, the row [1000, 1001, 1002] gives inf / inf = NaN.
 * Go over each row three times: find m_i; write e^(Z[i][j] - m_i) into out and add them up
 * (a double for the sum is a good habit); divide the row of out by the sum. When out is Z the
 * first pass is done before anything is written, and each element is read before it is replaced.
 * Example: the rows [1, 2, 3] and [1000, 1001, 1002] both give [0.0900, 0.2447, 0.6652];
 *          a row of equal scores gives equal probabilities, and an N x 1 matrix gives all ones.
 * In harness/course.h: Row by row: out[i][j] = e^(Z[i][j] - m_i) / sum_k e^(Z[i][k] - m_i), with m_i the largest
 *     Z[i][k] (the max shift, so that large logits such as 1000 give no inf or NaN); each row sums to 1; out may be
 *     Z.
 */
void softmax(Matrix *out, const Matrix *Z)
{
    /* SOLUTION BEGIN */
    int N = Z->rows, K = Z->cols;
    for (int i = 0; i < N; i++) {
        const float *z = Z->data + (size_t)i * K;
        float *o = out->data + (size_t)i * K;
        float m = z[0];
        for (int j = 1; j < K; j++)
            if (z[j] > m)
                m = z[j];
        double sum = 0.0;
        for (int j = 0; j < K; j++) {
            o[j] = expf(z[j] - m);
            sum += o[j];
        }
        for (int j = 0; j < K; j++)
            o[j] = (float)(o[j] / sum);
    }
    /* SOLUTION END */
}
