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
    /* SOLUTION BEGIN */
    Mlp3Cache *c = cache;
    int N = X->rows, D = X->cols, H1 = mlp->W1.cols, H2 = mlp->W2.cols, K = mlp->W3.cols;
    kit_require_shape(&mlp->W1, D, H1, "forward_mlp3: W1");
    kit_require_shape(&mlp->b1, 1, H1, "forward_mlp3: b1");
    kit_require_shape(&mlp->W2, H1, H2, "forward_mlp3: W2");
    kit_require_shape(&mlp->b2, 1, H2, "forward_mlp3: b2");
    kit_require_shape(&mlp->W3, H2, K, "forward_mlp3: W3");
    kit_require_shape(&mlp->b3, 1, K, "forward_mlp3: b3");
    kit_require_shape(&c->Z1, N, H1, "forward_mlp3: Z1");
    kit_require_shape(&c->A1, N, H1, "forward_mlp3: A1");
    kit_require_shape(&c->Z2, N, H2, "forward_mlp3: Z2");
    kit_require_shape(&c->A2, N, H2, "forward_mlp3: A2");
    kit_require_shape(&c->Z3, N, K, "forward_mlp3: Z3");
    kit_require_shape(&c->A3, N, K, "forward_mlp3: A3");
    linear_layer(&c->Z1, X, &mlp->W1, &mlp->b1);      /* Z1 = X W1 + b1 */
    relu(&c->A1, &c->Z1);                             /* A1 = max(0, Z1) */
    linear_layer(&c->Z2, &c->A1, &mlp->W2, &mlp->b2); /* Z2 = A1 W2 + b2 */
    relu(&c->A2, &c->Z2);                             /* A2 = max(0, Z2) */
    linear_layer(&c->Z3, &c->A2, &mlp->W3, &mlp->b3); /* Z3 = A2 W3 + b3 */
    softmax(&c->A3, &c->Z3);                          /* A3 = softmax(Z3), row by row */
    /* SOLUTION END */
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
    /* SOLUTION BEGIN */
    Mlp3Gradients *g = gradients;
    const Mlp3Cache *c = cache;
    const Matrix *W2 = &mlp->W2, *W3 = &mlp->W3;
    int N = X->rows, D = X->cols, H1 = W2->rows, H2 = W2->cols, K = W3->cols;
    kit_require_shape(W3, H2, K, "backward_mlp3: W3");
    kit_require_shape(Y, N, K, "backward_mlp3: Y");
    kit_require_shape(&c->Z1, N, H1, "backward_mlp3: Z1");
    kit_require_shape(&c->A1, N, H1, "backward_mlp3: A1");
    kit_require_shape(&c->Z2, N, H2, "backward_mlp3: Z2");
    kit_require_shape(&c->A2, N, H2, "backward_mlp3: A2");
    kit_require_shape(&c->A3, N, K, "backward_mlp3: A3");
    kit_require_shape(&g->dW1, D, H1, "backward_mlp3: dW1");
    kit_require_shape(&g->db1, 1, H1, "backward_mlp3: db1");
    kit_require_shape(&g->dW2, H1, H2, "backward_mlp3: dW2");
    kit_require_shape(&g->db2, 1, H2, "backward_mlp3: db2");
    kit_require_shape(&g->dW3, H2, K, "backward_mlp3: dW3");
    kit_require_shape(&g->db3, 1, K, "backward_mlp3: db3");
    kit_require_shape(&g->dZ3, N, K, "backward_mlp3: dZ3");
    kit_require_shape(&g->dZ2, N, H2, "backward_mlp3: dZ2");
    kit_require_shape(&g->dZ1, N, H1, "backward_mlp3: dZ1");
    /* the output layer: softmax followed by cross-entropy differentiates to A3 - Y, per example */
    float inverse_n = 1.0f / (float)N;
    for (size_t k = 0; k < (size_t)N * K; k++)
        g->dZ3.data[k] = (c->A3.data[k] - Y->data[k]) * inverse_n;
    /* dW3 = A2^T dZ3: (H2 x N)(N x K) */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H2, K, N, 1.0f, c->A2.data, H2, g->dZ3.data, K, 0.0f,
                g->dW3.data, K);
    for (int j = 0; j < K; j++) { /* db3 = the column sums of dZ3 */
        float sum = 0.0f;
        for (int i = 0; i < N; i++)
            sum += g->dZ3.data[(size_t)i * K + j];
        g->db3.data[j] = sum;
    }
    /* back through W3: dA2 = dZ3 W3^T, (N x K)(K x H2), then through ReLU: zero where Z2 <= 0 */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, H2, K, 1.0f, g->dZ3.data, K, W3->data, K, 0.0f,
                g->dZ2.data, H2);
    for (size_t k = 0; k < (size_t)N * H2; k++)
        if (!(c->Z2.data[k] > 0.0f))
            g->dZ2.data[k] = 0.0f;
    /* dW2 = A1^T dZ2: (H1 x N)(N x H2) */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H1, H2, N, 1.0f, c->A1.data, H1, g->dZ2.data, H2, 0.0f,
                g->dW2.data, H2);
    for (int j = 0; j < H2; j++) { /* db2 = the column sums of dZ2 */
        float sum = 0.0f;
        for (int i = 0; i < N; i++)
            sum += g->dZ2.data[(size_t)i * H2 + j];
        g->db2.data[j] = sum;
    }
    /* back through W2: dA1 = dZ2 W2^T, (N x H2)(H2 x H1), then through ReLU: zero where Z1 <= 0 */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, H1, H2, 1.0f, g->dZ2.data, H2, W2->data, H2, 0.0f,
                g->dZ1.data, H1);
    for (size_t k = 0; k < (size_t)N * H1; k++)
        if (!(c->Z1.data[k] > 0.0f))
            g->dZ1.data[k] = 0.0f;
    /* dW1 = X^T dZ1: (D x N)(N x H1) */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, D, H1, N, 1.0f, X->data, D, g->dZ1.data, H1, 0.0f,
                g->dW1.data, H1);
    for (int j = 0; j < H1; j++) { /* db1 = the column sums of dZ1 */
        float sum = 0.0f;
        for (int i = 0; i < N; i++)
            sum += g->dZ1.data[(size_t)i * H1 + j];
        g->db1.data[j] = sum;
    }
    /* SOLUTION END */
}
