/*
 * Chapter 3.4: Backpropagation for Training MLPs — your exercise.
 *
 * Write the three functions below, one at a time. After each one, run
 *     make grade CH=3.4
 * to see which checks pass, and
 *     make run CH=3.4
 * to train your network on the image data set with a progress bar. The lesson is
 * lessons/3.4-backpropagation/README.md.
 *
 * The network is chapter 3.3's: X (N x D) -> W1, b1 -> ReLU (H units) -> W2, b2 -> softmax (K classes).
 *   X is N x D, W1 is D x H, b1 is 1 x H, W2 is H x K, b2 is 1 x K, Y (one-hot targets) is N x K.
 * The parameters are an Mlp (mlp->W1, ...), forward_mlp's results an MlpCache (cache->Z1, ...), and the
 * gradients an MlpGradients (gradients->dW1, ...): all three in harness/course.h.
 * A Matrix is rows, cols and a row-major float array: element (i, j) is data[i * cols + j].
 * The caller allocates every output; your functions only fill it, and a training step allocates
 * nothing: its scratch is a KitMlpWork (harness/kit.h), made once before training.
 * You may use the C library, OpenBLAS (cblas.h: cblas_sgemm with CblasTrans, as in chapter 1.2),
 * the kit's helpers and your functions of earlier chapters: shuffle_indices and gather_rows (2.3),
 * relu_derivative (3.2), one_hot, forward_mlp and cross_entropy (3.3).
 */
#include "kit.h"
#include "course.h"

#include <cblas.h>
#include <stdlib.h>

/*
 * backward_mlp: the gradients of the mean cross-entropy L of forward_mlp's output with respect to
 * every parameter, from the forward pass's cache (Z1, A1, A2), by the chain rule, layer by layer
 * from the output back (each name below a member of gradients, cache or mlp):
 *   dZ2 = (A2 - Y) / N          (N x K)  softmax and cross-entropy together: dL/dZ2
 *   dW2 = A1^T dZ2              (H x K)
 *   db2 = sum over rows of dZ2  (1 x K)
 *   dZ1 = (dZ2 W2^T) * relu'(Z1) (N x H) the error sent back through W2, kept where the unit was on
 *   dW1 = X^T dZ1               (D x H)
 *   db1 = sum over rows of dZ1  (1 x H)
 * N is the number of rows of X (the batch). "*" is the element-wise product, and relu'(z) is 1 for
 * z > 0, else 0 (your relu_derivative of 3.2). W2^T means W2 read transposed: let cblas_sgemm do it
 * (CblasTrans) rather than copying it. gradients->dZ2 and dZ1 are outputs too (the caller's scratch):
 * write them. All six are overwritten, not added to; X, Y, the cache and the parameters do not change
 * (of the parameters only W2 is read: no gradient flows back into X, so W1 is not needed).
 * Example: X = [[1, 0, 2], [0, -1, 1]], the parameters of 3.3's example, Y = [[0, 1, 0], [0, 0, 1]]
 *          (labels 1 and 2): A2 = [[0.4069, 0.5224, 0.0707], [0.3072, 0.5065, 0.1863]],
 *          dZ2 = [[0.2034, -0.2388, 0.0353], [0.1536, 0.2533, -0.4069]],
 *          db2 = [0.3570, 0.0145, -0.3715], db1 = [0.2034, 0.3617, -0.4419, 0]
 *          (the fourth hidden unit was off for both examples, so nothing flows back through it).
 * In harness/course.h: The gradients of the mean cross-entropy of forward_mlp's output: dZ2 = (A2 - Y) / N,
 *     dW2 = A1^T dZ2, db2 = column sums of dZ2, dZ1 = (dZ2 W2^T) * relu'(Z1), dW1 = X^T dZ1, db1 = column sums of
 *     dZ1; all six gradients overwritten (not added to).
 */
void backward_mlp(MlpGradients *gradients, const MlpCache *cache, const Matrix *X, const Matrix *Y, const Mlp *mlp)
{
    /* SOLUTION BEGIN */
    MlpGradients *g = gradients;
    const Matrix *W2 = &mlp->W2;
    int N = X->rows, D = X->cols, H = W2->rows, K = W2->cols;
    kit_require_shape(Y, N, K, "backward_mlp: Y");
    kit_require_shape(&cache->Z1, N, H, "backward_mlp: Z1");
    kit_require_shape(&cache->A1, N, H, "backward_mlp: A1");
    kit_require_shape(&cache->A2, N, K, "backward_mlp: A2");
    kit_require_shape(&g->dW1, D, H, "backward_mlp: dW1");
    kit_require_shape(&g->db1, 1, H, "backward_mlp: db1");
    kit_require_shape(&g->dW2, H, K, "backward_mlp: dW2");
    kit_require_shape(&g->db2, 1, K, "backward_mlp: db2");
    kit_require_shape(&g->dZ2, N, K, "backward_mlp: dZ2");
    kit_require_shape(&g->dZ1, N, H, "backward_mlp: dZ1");
    /* the output layer: softmax followed by cross-entropy differentiates to A2 - Y, per example */
    float inverse_n = 1.0f / (float)N;
    for (size_t k = 0; k < (size_t)N * K; k++)
        g->dZ2.data[k] = (cache->A2.data[k] - Y->data[k]) * inverse_n;
    /* dW2 = A1^T dZ2: (H x N)(N x K) */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H, K, N, 1.0f, cache->A1.data, H, g->dZ2.data, K, 0.0f,
                g->dW2.data, K);
    for (int c = 0; c < K; c++) { /* db2 = the column sums of dZ2 */
        float sum = 0.0f;
        for (int i = 0; i < N; i++)
            sum += g->dZ2.data[(size_t)i * K + c];
        g->db2.data[c] = sum;
    }
    /* back through W2: dA1 = dZ2 W2^T, (N x K)(K x H), then through ReLU: zero where Z1 <= 0 */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, H, K, 1.0f, g->dZ2.data, K, W2->data, K, 0.0f,
                g->dZ1.data, H);
    for (size_t k = 0; k < (size_t)N * H; k++)
        if (!(cache->Z1.data[k] > 0.0f))
            g->dZ1.data[k] = 0.0f;
    /* dW1 = X^T dZ1: (D x N)(N x H) */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, D, H, N, 1.0f, X->data, D, g->dZ1.data, H, 0.0f,
                g->dW1.data, H);
    for (int j = 0; j < H; j++) { /* db1 = the column sums of dZ1 */
        float sum = 0.0f;
        for (int i = 0; i < N; i++)
            sum += g->dZ1.data[(size_t)i * H + j];
        g->db1.data[j] = sum;
    }
    /* SOLUTION END */
}

/*
 * train_mlp_step: one step of gradient descent on one batch.
 * The batch is in work->X (m x D) and work->labels (m x 1, class numbers), where m = work->X.rows
 * (the caller has set it with kit_mlp_work_rows). In order:
 *   1. work->Y = one_hot(work->labels)                            (m x K)
 *   2. forward_mlp into work->cache
 *   3. loss = cross_entropy(work->cache.A2, work->Y)              (before the step)
 *   4. backward_mlp into work->gradients
 *   5. W1 -= lr dW1, b1 -= lr db1, W2 -= lr dW2, b2 -= lr db2    (all four, after every gradient is known)
 * Returns the loss of step 3. The forward pass's cache (work->cache.A2 and the rest) is left as it
 * was before the update: train_mlp_epoch reports its A2 to the progress bar.
 * Example: in the demo, the first step on 64 images of the data set from He-initialised weights
 *          has a loss near log 10 = 2.30 (ten classes, nothing learned yet).
 * In harness/course.h: One step of gradient descent on the batch in work->X and work->labels: one_hot, forward_mlp,
 *     cross_entropy, backward_mlp, then W -= lr dW for W1, b1, W2, b2; returns the batch's loss before the step.
 */
float train_mlp_step(Mlp *mlp, KitMlpWork *work, float lr)
{
    /* SOLUTION BEGIN */
    /* The steps above, in the order the contract gives, except that backward_mlp and the update are one pass:
     * this reference is also what make bench times and the training checks run, so it does what a fast library
     * does between its products, and a learner's plain version (backward_mlp, then W -= lr dW) passes the same
     * checks. Each weight gradient is not written to memory and read back for the update: cblas_sgemm adds
     * -lr A1^T dZ2 straight onto W2 (alpha -lr, beta 1), and -lr X^T dZ1 onto W1, so W1's 784 x 256 values are
     * read and written once a step instead of three times (zeroing dW1, writing it, then W1 -= lr dW1). dZ1 is
     * computed from W2 before W2 moves. work->gradients keeps dZ2, dZ1, db2 and db1; its dW1 and dW2 are not
     * written. */
    KitMlpWork *w = work;
    MlpGradients *g = &w->gradients;
    Matrix *W1 = &mlp->W1, *W2 = &mlp->W2;
    int m = w->X.rows, D = W1->rows, H = W2->rows, K = W2->cols;
    one_hot(&w->Y, &w->labels);
    forward_mlp(&w->cache, &w->X, mlp);
    float loss = cross_entropy(&w->cache.A2, &w->Y);
    kit_require_shape(&g->dZ2, m, K, "train_mlp_step: work->gradients.dZ2");
    kit_require_shape(&g->dZ1, m, H, "train_mlp_step: work->gradients.dZ1");
    kit_require_shape(&mlp->b1, 1, H, "train_mlp_step: b1");
    kit_require_shape(&mlp->b2, 1, K, "train_mlp_step: b2");
    /* dZ2 = (A2 - Y) / m, and db2 = its column sums (added up row by row, each column from row 0 down) */
    float inverse_m = 1.0f / (float)m, *db = g->db2.data;
    for (int c = 0; c < K; c++)
        db[c] = 0.0f;
    for (int i = 0; i < m; i++)
        for (int c = 0; c < K; c++) {
            float d = (w->cache.A2.data[(size_t)i * K + c] - w->Y.data[(size_t)i * K + c]) * inverse_m;
            g->dZ2.data[(size_t)i * K + c] = d;
            db[c] += d;
        }
    /* dZ1 = (dZ2 W2^T) * relu'(Z1), with W2 as it was, and db1 = its column sums */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, H, K, 1.0f, g->dZ2.data, K, W2->data, K, 0.0f,
                g->dZ1.data, H);
    db = g->db1.data;
    for (int j = 0; j < H; j++)
        db[j] = 0.0f;
    for (int i = 0; i < m; i++)
        for (int j = 0; j < H; j++) {
            float *d = &g->dZ1.data[(size_t)i * H + j];
            if (!(w->cache.Z1.data[(size_t)i * H + j] > 0.0f))
                *d = 0.0f;
            db[j] += *d;
        }
    /* the update: W2 += -lr A1^T dZ2 and W1 += -lr X^T dZ1, each in its product, then the biases */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H, K, m, -lr, w->cache.A1.data, H, g->dZ2.data, K, 1.0f,
                W2->data, K);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, D, H, m, -lr, w->X.data, D, g->dZ1.data, H, 1.0f, W1->data,
                H);
    for (int c = 0; c < K; c++)
        mlp->b2.data[c] -= lr * g->db2.data[c];
    for (int j = 0; j < H; j++)
        mlp->b1.data[j] -= lr * g->db1.data[j];
    return loss;
    /* SOLUTION END */
}

/*
 * train_mlp_epoch: one pass over the N examples of X (N x D) and labels (N x 1) in a new random order.
 *   shuffle_indices(work->order, N, rng)
 *   for start = 0, B, 2B, ... below N (B = work->batch_size):
 *       m = min(B, N - start)                   the last batch is shorter when B does not divide N
 *       kit_mlp_work_rows(work, m)
 *       gather_rows(&work->X, X, work->order, start) and the same for labels into work->labels
 *       loss = train_mlp_step(mlp, work, lr)
 *       kit_progress_step(progress, loss, &work->cache.A2, &work->labels)   (progress may be NULL)
 * Returns the epoch's mean loss: the sum of loss * m over the steps, divided by N.
 * work was made for N examples (work->examples) and this network's shapes; the caller calls
 * kit_progress_begin before and kit_progress_end after.
 * In harness/course.h: One epoch: shuffle_indices(work->order), then train_mlp_step on each batch of batch_size
 *     rows (the last one shorter), reporting each step to progress (may be NULL); returns the mean of the batch
 *     losses weighted by their rows.
 */
float train_mlp_epoch(Mlp *mlp, const Matrix *X, const Matrix *labels, KitMlpWork *work, float lr, KitRng *rng,
                      KitProgress *progress)
{
    /* SOLUTION BEGIN */
    int N = X->rows, B = work->batch_size;
    if (work->examples != N)
        kit_fatal("train_mlp_epoch: the work was made for %d examples, X has %d rows", work->examples, N);
    kit_require_shape(labels, N, 1, "train_mlp_epoch: labels");
    shuffle_indices(work->order, N, rng);
    double total = 0.0;
    for (int start = 0; start < N; start += B) {
        int m = N - start < B ? N - start : B;
        kit_mlp_work_rows(work, m);
        gather_rows(&work->X, X, work->order, start);
        gather_rows(&work->labels, labels, work->order, start);
        float loss = train_mlp_step(mlp, work, lr);
        kit_progress_step(progress, loss, &work->cache.A2, &work->labels);
        total += (double)loss * m;
    }
    return (float)(total / N);
    /* SOLUTION END */
}
