/*
 * Chapter 4.4: Regularization Techniques — your exercise.
 *
 * Write the three functions below, one at a time. After each one, run
 *     make grade CH=4.4
 * to see which checks pass, and
 *     make run CH=4.4
 * to train the network of chapter 4.1 on a small part of the image data set with and without
 * regularization, and compare what it does on the training images and on the test images.
 * The lesson is lessons/4.4-regularization/README.md.
 *
 * The network is chapter 4.1's, with dropout after each hidden layer:
 *   X (N x D) -> W1, b1 -> ReLU (H1 units) -> dropout -> W2, b2 -> ReLU (H2 units) -> dropout
 *             -> W3, b3 -> softmax (K classes)
 *   X is N x D, W1 is D x H1, b1 is 1 x H1, W2 is H1 x H2, b2 is 1 x H2, W3 is H2 x K, b3 is 1 x K,
 *   Y (one-hot targets) is N x K. The parameters are an Mlp3 (harness/course.h); the demo's network is
 *   784 -> 256 -> 128 -> 10.
 * A Matrix is rows, cols and a row-major float array: element (i, j) is data[i * cols + j].
 * The caller allocates every output; your functions only fill it, and a training step allocates
 * nothing: its scratch is a KitMlp3Work (harness/course.h), made once before training, which holds the
 * batch, the forward pass's cache, the gradients and the two dropout masks.
 * You may use the C library, OpenBLAS (cblas.h: cblas_sgemm with CblasTrans, as in chapter 1.2),
 * the kit's helpers (kit_rng_uniform for dropout's random numbers) and your functions of earlier
 * chapters: linear_layer (1.2), relu and softmax (3.2), one_hot and cross_entropy (3.3).
 */
#include "kit.h"
#include "course.h"

#include <cblas.h>
#include <stdlib.h>

/*
 * l2_regularization: the L2 penalty of one weight matrix, and its gradient added to dW.
 *   penalty = lambda * sum_k W_k^2        (returned; sum the squares in double)
 *   dW     += 2 * lambda * W              (element by element: ACCUMULATES onto dW)
 * dW already holds the gradient of the data loss (from the backward pass); this adds the
 * penalty's gradient on top of it, so that dW becomes the gradient of data loss + penalty.
 * dW has W's shape; dW may be NULL, and then only the penalty is returned. W does not change.
 * Example: W = [[1, -2], [0.5, 0]], dW = [[0.1, 0.2], [0.3, 0.4]], lambda = 0.01:
 *          returns 0.01 * (1 + 4 + 0.25 + 0) = 0.0525, and dW becomes [[0.12, 0.16], [0.31, 0.40]].
 * In harness/course.h: Returns lambda * sum W^2 (summed in double) and adds its gradient 2 lambda W to dW
 *     (accumulates; dW may be NULL: penalty only).
 */
float l2_regularization(Matrix *dW, const Matrix *W, float lambda)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=4.4. */
    KIT_NOT_IMPLEMENTED();
}

/*
 * dropout: inverted dropout of the activations A (rows x cols), in training or in evaluation mode.
 * Training (training != 0): every unit is dropped with probability rate and kept otherwise, and
 * the kept ones are scaled by 1 / (1 - rate) so that the expected value of each output is its input:
 *   for every element k of A, in row-major order (k = 0, 1, ..., rows*cols - 1):
 *       u = kit_rng_uniform(rng)                      exactly one draw per element
 *       mask[k] = u >= rate ? 1 / (1 - rate) : 0      kept with probability 1 - rate
 *       out[k]  = A[k] * mask[k]
 * Evaluation (training == 0): nothing is dropped and nothing is scaled: out = A and mask = 1
 * everywhere; rng is not used (it may be NULL).
 * out and mask have A's shape and are overwritten; out may be A (dropout in place). The mask is the
 * cache of the backward pass: the gradient flows back as dA = dout * mask. A rate outside [0, 1) is
 * a mistake of the caller (a rate of 1 would scale by 1 / 0): stop with kit_fatal naming the rate.
 * Example: A = [[1, 2, 3, 4], [5, 6, 7, 8]], rate = 0.5, training, rng seeded with 7 (kit_rng_seed):
 *          the draws are 0.0459, 0.1302, 0.9726, 0.6197, 0.2935, 0.5081, 0.5448, 0.6130, so
 *          mask = [[0, 0, 2, 2], [0, 2, 2, 2]] and out = [[0, 0, 6, 8], [0, 12, 14, 16]];
 *          in evaluation mode out = A and mask = [[1, 1, 1, 1], [1, 1, 1, 1]].
 * In harness/course.h: Inverted dropout: in training, one kit_rng_uniform draw u per element in row-major order,
 *     mask = (u >= rate ? 1 / (1 - rate) : 0), out = A * mask; in evaluation (training 0) out = A and mask = 1, rng
 *     unused; out and mask overwritten, out may be A; rate in [0, 1).
 */
void dropout(Matrix *out, Matrix *mask, const Matrix *A, float rate, int training, KitRng *rng)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=4.4. */
    KIT_NOT_IMPLEMENTED();
}

/*
 * train_mlp_step_regularized: one step of gradient descent on one batch of the three-layer network,
 * with dropout on both hidden layers and an L2 penalty on the weights W1, W2 and W3 (not on the biases).
 * The batch is in work->X (m x D) and work->labels (m x 1), where m = work->X.rows (the caller has set
 * it with kit_mlp3_work_rows). Below, Z1 stands for work->cache.Z1, dW1 for work->gradients.dW1, mask1
 * for work->mask1, W1 for mlp->W1, and so on. In order:
 *   1. work->Y = one_hot(work->labels)                               (m x K)
 *   2. Z1 = X W1 + b1 (linear_layer), A1 = relu(Z1)                   (m x H1)
 *   3. dropout(A1, mask1, A1, rate, 1, rng)        in place: A1 now holds relu(Z1) * mask1;
 *                                                  Z1 keeps the scores for relu'(Z1)
 *   4. Z2 = A1 W2 + b2, A2 = relu(Z2), dropout(A2, mask2, A2, rate, 1, rng)   (m x H2)
 *   5. Z3 = A2 W3 + b3, A3 = softmax(Z3)                              (m x K)
 *   6. loss = cross_entropy(A3, work->Y)
 *   7. the backward pass of chapter 4.1 through the dropped layers (cblas_sgemm for the products):
 *        dZ3 = (A3 - Y) / m,  dW3 = A2^T dZ3 (A2 the dropped activations),  db3 = column sums of dZ3
 *        dZ2 = (dZ3 W3^T) * mask2 * relu'(Z2)   dropout's backward: the same mask, element by element
 *        dW2 = A1^T dZ2,  db2 = column sums of dZ2
 *        dZ1 = (dZ2 W2^T) * mask1 * relu'(Z1),  dW1 = X^T dZ1,  db1 = column sums of dZ1
 *      all nine into work->gradients, overwritten
 *   8. loss += l2_regularization(dW1, W1, lambda) + the same for W2 and W3   (adds 2 lambda W to each dW)
 *   9. W1 -= lr dW1, b1 -= lr db1, and the same for W2, b2, W3, b3    (all six, after every gradient)
 * Returns the loss of step 8: the batch's cross-entropy plus the penalty, before the update.
 * The draws of rng: m * H1 for mask1 (step 3), then m * H2 for mask2 (step 4), even when rate is 0.
 * With lambda = 0 and rate = 0 the step is forward_mlp3 and backward_mlp3 of chapter 4.1 followed by
 * W -= lr dW. The biases are not penalised: a bias shifts a unit's score by the same amount for every
 * input, so it cannot make the network sensitive to small details of the training images.
 * Example: the network of chapter 4.1's example (2 -> 3 -> 2 -> 3, X = [[1, 2], [0, -1]], labels 0 and 2)
 *          with lambda 0.1, rate 0.5 and rng seeded with 17: mask1 = [[0, 2, 0], [0, 2, 2]],
 *          mask2 = [[0, 2], [0, 2]], and the step returns 4.2517: cross-entropy 3.0267, plus
 *          0.1 * sum W1^2 = 0.4500, plus 0.1 * sum W2^2 = 0.4500, plus 0.1 * sum W3^2 = 0.3250 (see the demo).
 * In harness/course.h: One step of gradient descent on the three-layer network with dropout (rate) on both hidden
 *     activations (masks in work->mask1, mask2) and L2 (lambda) on W1, W2 and W3; gradients into work->gradients,
 *     overwritten, then W -= lr dW for all six parameters; returns the batch's cross-entropy plus the penalty,
 *     before the update.
 */
float train_mlp_step_regularized(Mlp3 *mlp, KitMlp3Work *work, float lr, float lambda, float rate, KitRng *rng)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=4.4. */
    KIT_NOT_IMPLEMENTED();
}
