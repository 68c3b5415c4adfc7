/*
 * Chapter 2.4: Debugging with Numerical Gradients — your exercise.
 *
 * Write the two functions below, one at a time. After each one, run
 *     make grade CH=2.4
 * to see which checks pass, and
 *     make run CH=2.4
 * to run the chapter's demo with your code. The lesson is lessons/2.4-numerical-gradients/README.md.
 *
 * Together they make a gradient checker: numerical_gradient estimates the gradient of any
 * loss by moving one parameter at a time a little up and a little down, and relative_error
 * says how far that estimate is from the gradient your backward pass computed by hand.
 * A loss is a function float loss(void *context) (the LossFunction of harness/course.h):
 * it reads the data and the parameters through context, a pointer to a struct of your
 * choice, for example  struct { const Matrix *X, *y; Matrix *W, *b; Matrix *scratch; }.
 * The W you pass to numerical_gradient must be the very matrix the loss reads (the same
 * data), or moving its elements changes nothing.
 * Shapes: W is any rows x cols matrix of parameters (a D x 1 weight vector, a 1 x 1 bias, a D x M
 * weight matrix); grad has the same shape. A Matrix is rows, cols and a row-major float
 * array, so the rows * cols elements can be walked with one index k: W->data[k].
 * The caller allocates every argument; your functions only fill grad or read.
 * You may use the C library (math.h: fabsf, fmaxf, isnan, ...) and the kit's helpers (harness/kit.h).
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdlib.h>

/*
 * numerical_gradient: the gradient of a loss by central differences.
 * For every element k of W, in turn:
 *   saved = W[k]
 *   W[k] = saved + h,  up   = loss(context)
 *   W[k] = saved - h,  down = loss(context)
 *   W[k] = saved                                  restore it before the next element
 *   grad[k] = (up - down) / (2 h)
 * grad has W's shape and is overwritten (whatever it held before is ignored); grad must not be W.
 * On return W holds exactly the values it held on entry: write saved back, do not add h and
 * subtract it again (in float, (w + h) - h is not always w). The loss is called 2 * rows * cols times.
 * The error of the estimate is about h^2 |L'''| / 6 from the curvature of the loss plus about
 * eps |L| / h from rounding (eps = 1.2e-7 in float): h = 1e-2 is a good step for float losses.
 * Example: a loss that returns e^W[0] (W is 1 x 1), at W = [[0]] with h = 0.1:
 *          grad = (e^0.1 - e^-0.1) / 0.2 = 1.00167  (the true slope is 1: the error is h^2 / 6;
 *          the forward difference (e^0.1 - e^0) / 0.1 = 1.05171 is 30 times further off).
 * Example: a loss that returns W[0]^2 + 3 W[1] (W is 1 x 2) at W = [[1, 2]], h = 0.01:
 *          grad = [[2, 3]] up to float rounding (within 3e-5).
 * In harness/course.h: grad[k] = (loss with W[k] + h - loss with W[k] - h) / 2h for every element k of W (central
 *     differences); grad has W's shape and is overwritten, W is restored exactly.
 */
void numerical_gradient(Matrix *grad, Matrix *W, LossFunction loss, void *context, float h)
{
    /* SOLUTION BEGIN */
    kit_require_shape(grad, W->rows, W->cols, "numerical_gradient: grad (it has the shape of W)");
    size_t n = (size_t)W->rows * (size_t)W->cols;
    for (size_t k = 0; k < n; k++) {
        float saved = W->data[k];
        W->data[k] = saved + h;
        float up = loss(context);
        W->data[k] = saved - h;
        float down = loss(context);
        W->data[k] = saved;
        grad->data[k] = (float)(((double)up - (double)down) / (2.0 * (double)h));
    }
    /* SOLUTION END */
}

/*
 * relative_error: how far apart two gradients are, as one number.
 *   relative_error(a, b) = max over k of |a_k - b_k| / max(|a_k|, |b_k|, 1)
 * a and b have the same shape (typically an analytic gradient and a numerical one).
 * The floor 1 in the denominator: for elements of size 1 or more this is the plain relative
 * error; for tiny elements (1e-6 against 3e-6, both really 0 up to rounding) it becomes the
 * absolute error, so rounding noise on a near-zero gradient is not a 67% error, and two
 * all-zero gradients give 0, not 0 / 0. It is the largest error, not the mean: one wrong
 * element among thousands must show. 0 means identical; a sign flip gives 2.
 * If any element of a or b is NaN or infinite, return NaN: a gradient that is not finite must
 * never pass as close (note that NaN > x is false, so a plain "if (error > worst)" would skip
 * a NaN error: test with isfinite from math.h).
 * Example: a = [2, 0.001, -3], b = [2.2, 0.003, -3]
 *          errors 0.2 / 2.2 = 0.0909, 0.002 / 1 = 0.002, 0 / 3 = 0  ->  0.0909.
 * In harness/course.h: max over k of |a_k - b_k| / max(|a_k|, |b_k|, 1), the floored relative error of two
 *     gradients of the same shape; NaN if either holds a NaN or an inf.
 */
float relative_error(const Matrix *a, const Matrix *b)
{
    /* SOLUTION BEGIN */
    kit_require_shape(b, a->rows, a->cols, "relative_error: b (it has the shape of a)");
    size_t n = (size_t)a->rows * (size_t)a->cols;
    double worst = 0.0;
    for (size_t k = 0; k < n; k++) {
        double x = a->data[k], y = b->data[k];
        if (!isfinite(x) || !isfinite(y))
            return NAN;
        double scale = fmax(fmax(fabs(x), fabs(y)), 1.0);
        double error = fabs(x - y) / scale;
        if (error > worst)
            worst = error;
    }
    return (float)worst;
    /* SOLUTION END */
}
