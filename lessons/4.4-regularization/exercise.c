/*
 * Chapter 4.4: Regularization Techniques — your exercise.
 *
 * Write the three functions below, one at a time. After each one, run
 *     make grade CH=4.4
 * to see which checks pass, and
 *     make run CH=4.4
 * to train the network of chapter 3.4 on a small part of the image data set with and without
 * regularization, and compare what it does on the training images and on the test images.
 * The lesson is lessons/4.4-regularization/README.md.
 *
 * The network is chapter 3.4's: X (N x D) -> W1, b1 -> ReLU (H units) -> dropout -> W2, b2 -> softmax (K classes).
 *   X is N x D, W1 is D x H, b1 is 1 x H, W2 is H x K, b2 is 1 x K, Y (one-hot targets) is N x K.
 * A Matrix is rows, cols and a row-major float array: element (i, j) is data[i * cols + j].
 * The caller allocates every output; your functions only fill it, and a training step allocates
 * nothing: its scratch is a KitMlpWork (harness/kit.h) and a mask matrix, made once before training.
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
 * train_mlp_step_regularized: one step of gradient descent on one batch, with dropout on the hidden
 * layer and an L2 penalty on the weights W1 and W2 (not on the biases).
 * The batch is in work->X (m x D) and work->labels (m x 1), where m = work->X.rows (the caller has set
 * it with kit_mlp_work_rows). mask has H columns and at least m rows; its first m rows receive this
 * step's dropout mask. In order:
 *   1. work->Y = one_hot(work->labels)                              (m x K)
 *   2. work->Z1 = X W1 + b1 (linear_layer), work->A1 = relu(Z1)      (m x H)
 *   3. dropout(&work->A1, &batch_mask, &work->A1, rate, 1, rng)     in place: A1 now holds the dropped
 *      where batch_mask = (Matrix){m, H, mask->data}, the first       activations relu(Z1) * mask; Z1
 *      m rows of mask (a header over the same memory, no copy)       keeps the scores for relu'(Z1)
 *   4. work->Z2 = A1 W2 + b2, work->A2 = softmax(Z2)                 (m x K)
 *   5. loss = cross_entropy(work->A2, work->Y)
 *   6. the backward pass of chapter 3.4 through the dropped layer (cblas_sgemm for the products):
 *        dZ2 = (A2 - Y) / m,  dW2 = A1^T dZ2 (A1 the dropped activations),  db2 = column sums of dZ2
 *        dZ1 = (dZ2 W2^T) * mask * relu'(Z1)      dropout's backward: the same mask, element by element
 *        dW1 = X^T dZ1,  db1 = column sums of dZ1  into work->dW1, db1, dW2, db2 (overwritten)
 *   7. loss += l2_regularization(&work->dW1, W1, lambda) + l2_regularization(&work->dW2, W2, lambda)
 *   8. W1 -= lr dW1, b1 -= lr db1, W2 -= lr dW2, b2 -= lr db2        (all four, after every gradient)
 * Returns the loss of step 7: the batch's cross-entropy plus the penalty, before the update.
 * With lambda = 0 and rate = 0 it is train_mlp_step of chapter 3.4 (but it still draws m * H numbers).
 * The biases are not penalised: a bias shifts a unit's score by the same amount for every input, so
 * it cannot make the network sensitive to small details of the training images.
 * Example: the network of chapters 3.3 and 3.4 (3 -> 4 -> 3, X = [[1, 0, 2], [0, -1, 1]], labels 1 and 2)
 *          with lambda 0.1, rate 0.5 and rng seeded with 7: mask = [[0, 0, 2, 2], [0, 2, 2, 2]], and the step
 *          returns 4.0053: cross-entropy 1.6803, plus 0.1 * sum W1^2 = 0.6000, plus 0.1 * sum W2^2 = 1.7250
 *          (see the demo).
 * In harness/course.h: train_mlp_step with dropout (rate) on the hidden activations and L2 (lambda) on W1 and W2,
 *     the step's mask in the first m rows of mask (at least m x H); returns the batch's cross-entropy plus the
 *     penalty, before the update.
 */
float train_mlp_step_regularized(Matrix *W1, Matrix *b1, Matrix *W2, Matrix *b2, KitMlpWork *work, Matrix *mask,
                                 float lr, float lambda, float rate, KitRng *rng)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=4.4. */
    KIT_NOT_IMPLEMENTED();
}
