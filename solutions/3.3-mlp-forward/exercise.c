/*
 * Chapter 3.3: Multi-Layer Perceptrons and Forward Propagation — your exercise.
 *
 * Write the three functions below, one at a time. After each one, run
 *     make grade CH=3.3
 * to see which checks pass, and
 *     make run CH=3.3
 * to run the chapter's demo with your code. The lesson is lessons/3.3-mlp-forward/README.md.
 *
 * The network has two layers: a hidden layer of H ReLU units and an output layer of K
 * softmax units, one per class. Shapes:
 *   N  examples in the batch (rows)       D  input features per example (784 pixels for MNIST)
 *   H  hidden units                       K  classes (10 for MNIST)
 *   X is N x D, W1 is D x H, b1 is 1 x H, W2 is H x K, b2 is 1 x K.
 * The four parameters travel together in an Mlp (harness/course.h): mlp->W1, mlp->b1, mlp->W2, mlp->b2;
 * the forward pass's results in an MlpCache: cache->Z1, cache->A1, cache->Z2, cache->A2.
 * Labels are an N x 1 matrix of class numbers 0..K-1 stored as floats (the kit loads MNIST's
 * labels that way); one-hot targets Y are N x K.
 * A Matrix is rows, cols and a row-major float array: element (i, j) is data[i * cols + j].
 * The caller allocates every output; your functions only fill it.
 * You may use the C library (math.h: log, ...), the kit's helpers (harness/kit.h) and your
 * functions of earlier chapters: linear_layer (1.2), relu and softmax (3.2).
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdlib.h>

/*
 * one_hot: the targets of a classifier, one row per example.
 *   Y[i][k] = 1 when k == labels[i], else 0
 * labels is N x 1 (class numbers 0..K-1 as floats), Y is N x K; K is Y->cols. Every element
 * of Y is written (overwritten, whatever it held). A label that is not a whole number in
 * 0..K-1 is a mistake of the caller: stop with kit_fatal and a message naming the row and value.
 * Example: labels = [3, 0, 2], K = 4:
 *          Y = [[0, 0, 0, 1],
 *               [1, 0, 0, 0],
 *               [0, 0, 1, 0]]
 * In harness/course.h: Y (N x K) = the one-hot rows of labels (N x 1, classes 0..K-1 as floats):
 *     Y[i][labels[i]] = 1, else 0; overwrites Y.
 */
void one_hot(Matrix *Y, const Matrix *labels)
{
    /* SOLUTION BEGIN */
    int N = labels->rows, K = Y->cols;
    kit_require_shape(Y, N, K, "one_hot: Y");
    kit_matrix_fill(Y, 0.0f);
    for (int i = 0; i < N; i++) {
        float value = labels->data[i];
        int label = (int)value;
        if (!(value >= 0.0f && value < (float)K) || (float)label != value)
            kit_fatal("one_hot: labels[%d] is %g, expected a class number from 0 to %d", i, (double)value, K - 1);
        Y->data[(size_t)i * K + label] = 1.0f;
    }
    /* SOLUTION END */
}

/*
 * forward_mlp: the forward pass of a two-layer network, keeping every intermediate result.
 *   cache->Z1 = X W1 + b1        (N x H)   the hidden layer's scores
 *   cache->A1 = relu(Z1)         (N x H)   the hidden layer's activations
 *   cache->Z2 = A1 W2 + b2       (N x K)   the output scores (logits), one per class
 *   cache->A2 = softmax(Z2)      (N x K)   the probabilities: each row is >= 0 and sums to 1
 * X is N x D; the parameters are mlp->W1 (D x H), mlp->b1 (1 x H), mlp->W2 (H x K) and mlp->b2 (1 x K).
 * The caller allocates the four matrices of the cache; all four are overwritten. They are what
 * backpropagation (chapter 3.4) reads, so write each one: do not compute A1 in Z1's place.
 * X and the parameters are not changed.
 * Use your linear_layer (1.2) for both scores and your relu and softmax (3.2).
 * A matrix of the wrong shape is a mistake of the caller: check all eight first, with
 * kit_require_shape(&cache->Z1, N, H, "forward_mlp: Z1") and the like, which stop with a clear message.
 * Example: X = [[1, 0, 2], [0, -1, 1]],
 *          W1 = [[0.5, -1, 0, 1], [1, 0.5, -0.5, 0], [0, 1, 0.5, -1]], b1 = [0, 0.5, -0.5, 0.25],
 *          W2 = [[1, 0, -1], [0.5, 1, 0], [0, -1, 1], [2, 2, 2]], b2 = [0, 0.5, -0.5]:
 *          Z1 = [[0.5, 1.5, 0.5, -0.75], [-1, 1, 0.5, -0.75]]
 *          A1 = [[0.5, 1.5, 0.5, 0], [0, 1, 0.5, 0]]        (the 4th hidden unit is off for both)
 *          Z2 = [[1.25, 1.5, -0.5], [0.5, 1, 0]]
 *          A2 = [[0.4069, 0.5224, 0.0707], [0.3072, 0.5065, 0.1863]]
 * In harness/course.h: cache->Z1 = X W1 + b1 (N x H), A1 = relu(Z1), Z2 = A1 W2 + b2 (N x K), A2 = softmax(Z2); X is
 *     N x D, the parameters those of Mlp; the caller allocates the cache, overwritten.
 */
void forward_mlp(MlpCache *cache, const Matrix *X, const Mlp *mlp)
{
    /* SOLUTION BEGIN */
    int N = X->rows, D = X->cols, H = mlp->W1.cols, K = mlp->W2.cols;
    kit_require_shape(&mlp->W1, D, H, "forward_mlp: W1");
    kit_require_shape(&mlp->b1, 1, H, "forward_mlp: b1");
    kit_require_shape(&mlp->W2, H, K, "forward_mlp: W2");
    kit_require_shape(&mlp->b2, 1, K, "forward_mlp: b2");
    kit_require_shape(&cache->Z1, N, H, "forward_mlp: Z1");
    kit_require_shape(&cache->A1, N, H, "forward_mlp: A1");
    kit_require_shape(&cache->Z2, N, K, "forward_mlp: Z2");
    kit_require_shape(&cache->A2, N, K, "forward_mlp: A2");
    linear_layer(&cache->Z1, X, &mlp->W1, &mlp->b1);          /* Z1 = X W1 + b1 */
    relu(&cache->A1, &cache->Z1);                             /* A1 = max(0, Z1) */
    linear_layer(&cache->Z2, &cache->A1, &mlp->W2, &mlp->b2); /* Z2 = A1 W2 + b2 */
    softmax(&cache->A2, &cache->Z2);                          /* A2 = softmax(Z2), row by row */
    /* SOLUTION END */
}

/*
 * cross_entropy: the mean loss of a classifier's probabilities against one-hot targets.
 *   L = -(1/N) sum_i sum_k Y[i][k] log(max(A[i][k], 1e-7))
 * A is N x K (each row a probability distribution, such as softmax's output), Y is N x K
 * (one-hot rows from one_hot; rows of any weights that sum to 1 work with the same formula).
 * N is the number of rows: the loss is a mean over examples, not over the N * K elements.
 * log is the natural logarithm. Clip every probability at 1e-7 from below before its log, so
 * that a probability of 0 costs -log(1e-7) = 16.1181 instead of inf (and 0 * log 0 is never
 * NaN). Compute the logs and the sum in double; the result is never NaN or inf.
 * Nothing is written: A and Y must not change.
 * With one-hot rows only the true class's term is nonzero: L is the mean of -log(the
 * probability given to the right answer). A perfect prediction costs 0, a uniform one log K.
 * Example: A = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]], Y = [[1, 0, 0], [0, 1, 0]]
 *          L = -(log 0.7 + log 0.8) / 2 = (0.3567 + 0.2231) / 2 = 0.2899.
 * In harness/course.h: -(1/N) sum_i sum_k Y[i][k] log(max(A[i][k], 1e-7)), the mean cross-entropy of probabilities
 *     A against targets Y (both N x K), in double; never NaN or inf.
 */
float cross_entropy(const Matrix *A, const Matrix *Y)
{
    /* SOLUTION BEGIN */
    const double eps = 1e-7;
    int N = Y->rows, n = Y->rows * Y->cols;
    double sum = 0.0;
    for (int k = 0; k < n; k++) {
        double a = A->data[k];
        if (a < eps)
            a = eps;
        sum += Y->data[k] * log(a);
    }
    return (float)(-sum / N);
    /* SOLUTION END */
}
