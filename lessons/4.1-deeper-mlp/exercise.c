/*
 * Chapter 4.1: Deeper MLPs and Vanishing Gradients — your exercise.
 *
 * Write the two functions below, one at a time. After each one, run
 *     make grade CH=4.1
 * to see which checks pass, and
 *     make run CH=4.1
 * to measure vanishing gradients in a deep stack and train your three-layer network on the image
 * data set. The lesson is lessons/4.1-deeper-mlp/README.md.
 *
 * The network has three layers: two hidden ReLU layers and a softmax output layer.
 *   X (N x D) -> W1, b1 -> ReLU (H1 units) -> W2, b2 -> ReLU (H2 units) -> W3, b3 -> softmax (K classes)
 * Shapes:
 *   N  examples in the batch (rows)       D  input features per example (784 pixels for MNIST)
 *   H1 units of the first hidden layer    H2 units of the second hidden layer
 *   K  classes (10 for MNIST)
 *   X is N x D, W1 is D x H1, b1 is 1 x H1, W2 is H1 x H2, b2 is 1 x H2, W3 is H2 x K, b3 is 1 x K,
 *   Y (one-hot targets) is N x K. The course's network is 784 -> 256 -> 128 -> 10.
 * As in chapters 3.3 and 3.4, three structs of harness/course.h carry the matrices: an Mlp3 holds the
 * parameters (mlp->W1 .. mlp->b3), an Mlp3Cache the forward pass's results (cache->Z1 .. cache->A3)
 * and an Mlp3Gradients the gradients (gradients->dW1 .. db3, and dZ1, dZ2, dZ3).
 * A Matrix is rows, cols and a row-major float array: element (i, j) is data[i * cols + j].
 * The caller allocates every output; your functions only fill it, and allocate nothing.
 * You may use the C library, OpenBLAS (cblas.h: cblas_sgemm with CblasTrans, as in chapter 1.2),
 * the kit's helpers (harness/kit.h) and your functions of earlier chapters: linear_layer (1.2),
 * relu, relu_derivative and softmax (3.2).
 */
#include "kit.h"
#include "course.h"

#include <cblas.h>
#include <stdlib.h>

/*
 * forward_mlp3: the forward pass of a three-layer network, keeping every intermediate result.
 *   cache->Z1 = X W1 + b1        (N x H1)  the first hidden layer's scores
 *   cache->A1 = relu(Z1)         (N x H1)
 *   cache->Z2 = A1 W2 + b2       (N x H2)  the second hidden layer's scores
 *   cache->A2 = relu(Z2)         (N x H2)
 *   cache->Z3 = A2 W3 + b3       (N x K)   the output scores (logits)
 *   cache->A3 = softmax(Z3)      (N x K)   the probabilities: each row is >= 0 and sums to 1
 * The caller allocates the six matrices of the cache; all six are overwritten. They are what
 * backward_mlp3 reads, so write each one (do not compute A1 in Z1's place). X and the parameters
 * do not change. Use your linear_layer (1.2) for the three scores and your relu and softmax (3.2).
 * A matrix of the wrong shape is a mistake of the caller: check all twelve first, with
 * kit_require_shape(&mlp->W1, D, H1, "forward_mlp3: W1") and the like, which stop with a clear message.
 * Example: X = [[1, 2], [0, -1]],
 *          W1 = [[1, -1, 0.5], [0.5, 1, -1]], b1 = [0, 0.5, 0.5],
 *          W2 = [[0.5, -1], [1, 0.5], [-1, 1]], b2 = [0, -0.5],
 *          W3 = [[1, 0, -1], [0.5, 1, 0]], b3 = [0, 0, 0.5]:
 *          Z1 = [[2, 1.5, -1], [-0.5, -0.5, 1.5]]      A1 = [[2, 1.5, 0], [0, 0, 1.5]]
 *          Z2 = [[2.5, -1.75], [-1.5, 1]]             A2 = [[2.5, 0], [0, 1]]
 *          Z3 = [[2.5, 0, -2], [0.5, 1, 0.5]]
 *          A3 = [[0.9148, 0.0751, 0.0102], [0.2741, 0.4519, 0.2741]]
 * In harness/course.h: cache->Z1 = X W1 + b1, A1 = relu(Z1) (N x H1), Z2 = A1 W2 + b2, A2 = relu(Z2) (N x H2), Z3 =
 *     A2 W3 + b3, A3 = softmax(Z3) (N x K); the parameters those of Mlp3; the caller allocates the cache,
 *     overwritten.
 */
void forward_mlp3(Mlp3Cache *cache, const Matrix *X, const Mlp3 *mlp)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=4.1. */
    KIT_NOT_IMPLEMENTED();
}

/*
 * backward_mlp3: the gradients of the mean cross-entropy L of forward_mlp3's output with respect to
 * every parameter, from the forward pass's cache, by the chain rule from the output back (each name
 * below a member of gradients, cache or mlp):
 *   dZ3 = (A3 - Y) / N             (N x K)   softmax and cross-entropy together: dL/dZ3
 *   dW3 = A2^T dZ3                 (H2 x K)
 *   db3 = sum over rows of dZ3     (1 x K)
 *   dZ2 = (dZ3 W3^T) * relu'(Z2)   (N x H2)  the error sent back through W3, kept where a unit was on
 *   dW2 = A1^T dZ2                 (H1 x H2)
 *   db2 = sum over rows of dZ2     (1 x H2)
 *   dZ1 = (dZ2 W2^T) * relu'(Z1)   (N x H1)
 *   dW1 = X^T dZ1                  (D x H1)
 *   db1 = sum over rows of dZ1     (1 x H1)
 * N is the number of rows of X. "*" is the element-wise product; relu'(z) is 1 for z > 0, else 0.
 * A^T means A read transposed: let cblas_sgemm do it (CblasTrans) instead of copying it, so that
 * nothing is allocated. gradients->dZ3, dZ2 and dZ1 are outputs too (the caller's scratch): write them.
 * All nine are overwritten, not added to; the inputs do not change. Of the parameters only W2 and W3
 * are read: nothing flows back into X, so W1 is not needed.
 * Example: the network of forward_mlp3's example with Y = [[1, 0, 0], [0, 0, 1]] (labels 0 and 2):
 *          dZ3 = [[-0.0426, 0.0375, 0.0051], [0.1370, 0.2259, -0.3630]]
 *          dW3 = [[-0.1066, 0.0939, 0.0127], [0.1370, 0.2259, -0.3630]], db3 = [0.0944, 0.2635, -0.3579]
 *          dZ2 = [[-0.0477, 0], [0, 0.2944]]   (Z2 was negative there: those units were off)
 *          dW2 = [[-0.0954, 0], [-0.0716, 0], [0, 0.4417]], db2 = [-0.0477, 0.2944]
 *          dZ1 = [[-0.0239, -0.0477, 0], [0, 0, 0.2944]]
 *          dW1 = [[-0.0239, -0.0477, 0], [-0.0477, -0.0954, -0.2944]], db1 = [-0.0239, -0.0477, 0.2944]
 * In harness/course.h: The gradients of the mean cross-entropy of forward_mlp3's output: dZ3 = (A3 - Y) / N,
 *     dW3 = A2^T dZ3, db3 = column sums, dZ2 = (dZ3 W3^T) * relu'(Z2), dW2 = A1^T dZ2, db2, dZ1 = (dZ2 W2^T) *
 *     relu'(Z1), dW1 = X^T dZ1, db1; all nine gradients overwritten (not added to).
 */
void backward_mlp3(Mlp3Gradients *gradients, const Mlp3Cache *cache, const Matrix *X, const Matrix *Y, const Mlp3 *mlp)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=4.1. */
    KIT_NOT_IMPLEMENTED();
}
