/*
 * Chapter 1.3: Mathematical Functions and Activation Basics — your exercise.
 *
 * Write the three functions below, one at a time. After each one, run
 *     make grade CH=1.3
 * to see which checks pass, and
 *     make run CH=1.3
 * to run the chapter's demo with your code. The lesson is lessons/1.3-math-functions/README.md.
 *
 * Shapes: Z is a rows x cols matrix of any shape (often the pre-activations of a layer, N x M);
 * every output has the same shape as Z and is filled element by element.
 * A Matrix is rows, cols and a row-major float array: element (i, j) is data[i * cols + j],
 * so an element-wise function can walk all rows * cols elements with one index k.
 * The caller allocates every output; your functions only fill it. Each output may be Z itself
 * (an in-place call such as sigmoid(&Z, &Z)): read an element before you write it.
 * You may use the C library (math.h: expf, ...) and the kit's helpers (harness/kit.h).
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdlib.h>

/*
 * elementwise_exp: the exponential of every element.
 *   out[i][j] = e^Z[i][j]
 * Z and out are rows x cols; out may be Z. Use expf from math.h (the float version of exp).
 * Example: Z = [-2, -1, 0, 1, 2]  gives  out = [0.1353, 0.3679, 1.0000, 2.7183, 7.3891].
 * In float, e^z overflows to inf for z above about 88.72 (FLT_MAX is e^88.72) and
 * underflows to 0 below about -103.97: expf(1000) is inf and expf(-1000) is 0, which is correct.
 * In harness/course.h: out = e^Z element by element; out may be Z.
 */
void elementwise_exp(Matrix *out, const Matrix *Z)
{
    /* SOLUTION BEGIN */
    int n = Z->rows * Z->cols;
    for (int k = 0; k < n; k++)
        out->data[k] = expf(Z->data[k]);
    /* SOLUTION END */
}

/*
 * elementwise_maximum: every element, raised to at least floor.
 *   out[i][j] = max(Z[i][j], floor)
 * Z and out are rows x cols; out may be Z. With floor = 0 this is ReLU, max(z, 0), the
 * activation of most hidden layers: negative values become 0, the others pass unchanged.
 * Example: Z = [[-1.5, 2.0], [0.5, -0.25]], floor 0    gives  out = [[0, 2.0], [0.5, 0]];
 *          the same Z with floor -1                   gives  out = [[-1, 2.0], [0.5, -0.25]].
 * In harness/course.h: out = max(Z, floor) element by element (max(Z, 0) is ReLU); out may be Z.
 */
void elementwise_maximum(Matrix *out, const Matrix *Z, float floor)
{
    /* SOLUTION BEGIN */
    int n = Z->rows * Z->cols;
    for (int k = 0; k < n; k++) {
        float z = Z->data[k];
        out->data[k] = z > floor ? z : floor;
    }
    /* SOLUTION END */
}

/*
 * sigmoid: the logistic function of every element, squashing any real number into [0, 1].
 *   out[i][j] = 1 / (1 + e^-z)        with z = Z[i][j]
 * Z and out are rows x cols; out may be Z.
 * Compute it so that no exponential ever overflows: for z >= 0 use 1 / (1 + e^-z)
 * (e^-z is at most 1), for z < 0 use the equal e^z / (1 + e^z) (e^z is below 1).
 * The form e^z / (1 + e^z) for every z gives inf / inf = NaN at z = 1000; the stable
 * form gives exactly 1 there and exactly 0 at z = -1000.
 * Example: Z = [-2, 0, 2]  gives  out = [0.1192, 0.5000, 0.8808];
 *          sigmoid(-z) = 1 - sigmoid(z) for every z.
 * In harness/course.h: out = 1 / (1 + e^-Z) element by element, computed so that no exponential overflows; out may
 *     be Z.
 */
void sigmoid(Matrix *out, const Matrix *Z)
{
    /* SOLUTION BEGIN */
    int n = Z->rows * Z->cols;
    for (int k = 0; k < n; k++) {
        float z = Z->data[k];
        if (z >= 0.0f) {
            out->data[k] = 1.0f / (1.0f + expf(-z));
        } else {
            float e = expf(z);
            out->data[k] = e / (1.0f + e);
        }
    }
    /* SOLUTION END */
}
