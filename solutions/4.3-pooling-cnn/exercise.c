/*
 * Chapter 4.3: Pooling and CNN Architecture — your exercise.
 *
 * Write the six functions below, one at a time. After each one, run
 *     make grade CH=4.3
 * to see which checks pass, and
 *     make run CH=4.3
 * to train your CNN on the image data set with a progress bar. The lesson is
 * lessons/4.3-pooling-cnn/README.md.
 *
 * The network (a Cnn, see course.h): X -> convolution W1, b1 -> ReLU -> 2x2 max pooling -> dense W2, b2 -> softmax.
 * Letters used in the shape comments:
 *   N or m  images in the batch (rows)       C  channels of each image (1 for gray pixels)
 *   H, W    height and width of an image     k  the side of the square filters (stride 1)
 *   F       filters (W1->rows)               K  classes (W2->cols)
 *   OH = H - k + 1, OW = W - k + 1: the feature maps' height and width
 *   PH = OH / 2, PW = OW / 2 (rounded down): the pooled maps' height and width
 * Layouts, all row-major floats, as in chapter 4.2: an image is a row of C*H*W values, channel by channel
 * (value (c, y, x) at c*H*W + y*W + x); the F feature maps of an image are a row of F*OH*OW values, map by map;
 * pooling keeps that order, so a row of pooled maps holds F*PH*PW values, map by map.
 * The caller allocates every output; your functions only fill it, and a training step allocates nothing:
 * its scratch is a KitCnnWork (harness/kit.h), made once before training.
 * You may use the C library, OpenBLAS (cblas.h: cblas_sgemm), the kit's helpers and your functions of
 * earlier chapters: linear_layer (1.2), shuffle_indices and gather_rows (2.3), relu and softmax (3.2),
 * one_hot and cross_entropy (3.3), conv2d_im2col and conv2d_backward (4.2).
 */
#include "kit.h"
#include "course.h"

#include <cblas.h>
#include <stdlib.h>
#include <string.h>

/*
 * max_pool: 2x2 max pooling with stride 2, for every image and every channel.
 *   out[n][c][py][px] = max of X[n][c][2py + i][2px + j] over i, j in {0, 1}
 * X is N x (C*H*W), out is N x (C*PH*PW) with PH = H / 2 and PW = W / 2 rounded down: when H
 * (or W) is odd, the last row (or column) of every channel is in no window and is ignored.
 * argmax (N * C*PH*PW ints, like out) records where each maximum came from:
 *   argmax[n*out->cols + o] = the index in row n of X of the value written to out[n][o],
 * that is c*H*W + (2py + i)*W + (2px + j). Visit each window in the order (0,0), (0,1), (1,0),
 * (1,1) and replace the best only by a strictly larger value, so that a tie keeps the first
 * (a window of four zeros, common after ReLU, points at its top-left corner).
 * out and argmax are overwritten; X does not change.
 * Example: one image, C = 1, 4 x 4:  X = [[1, 3, 2, 0],
 *                                          [4, 2, 1, 5],
 *                                          [0, 0, 7, 1],
 *                                          [0, 0, 2, 3]]
 *          out = [[4, 5], [0, 7]] (1 x 4: [4, 5, 0, 7]), argmax = [4, 7, 8, 10]
 *          (4 is at row 1, column 0: index 1*4 + 0; the bottom-left window is all zeros: its first, 8).
 *          A 5 x 5 image gives the same 2 x 2 out: its last row and column are dropped.
 */
void max_pool(Matrix *out, int *argmax, const Matrix *X, int channels, int height, int width)
{
    /* SOLUTION BEGIN */
    int N = X->rows, pooled_height = height / 2, pooled_width = width / 2;
    int image_size = channels * height * width, pooled_size = channels * pooled_height * pooled_width;
    kit_require_shape(X, N, image_size, "max_pool: X");
    kit_require_shape(out, N, pooled_size, "max_pool: out");
    for (int n = 0; n < N; n++) {
        const float *image = X->data + (size_t)n * image_size;
        float *pooled = out->data + (size_t)n * pooled_size;
        int *where = argmax + (size_t)n * pooled_size;
        for (int c = 0; c < channels; c++)
            for (int py = 0; py < pooled_height; py++)
                for (int px = 0; px < pooled_width; px++) {
                    /* the window's four indices in row n of X, in the order that settles ties */
                    int top_left = c * height * width + 2 * py * width + 2 * px;
                    int window[4] = {top_left, top_left + 1, top_left + width, top_left + width + 1};
                    int best = window[0];
                    for (int q = 1; q < 4; q++)
                        if (image[window[q]] > image[best])
                            best = window[q];
                    int o = (c * pooled_height + py) * pooled_width + px;
                    pooled[o] = image[best];
                    where[o] = best;
                }
    }
    /* SOLUTION END */
}

/*
 * max_pool_backward: the gradient of a loss L through max_pool, given dout = dL/dout.
 * Each output is a copy of one element of its window, the one argmax names; the other three
 * elements do not affect it at all. So:
 *   dX = 0, then for every n and o:  dX[n][argmax[n*dout->cols + o]] += dout[n][o]
 * dout is N x (C*PH*PW) like max_pool's out, argmax is what max_pool recorded, dX is N x (C*H*W)
 * like its X, overwritten: every element that was not a window's maximum (and every element of a
 * dropped odd row or column) gets 0. The size of X's rows is dX->cols.
 * Example: the 4 x 4 example of max_pool, dout = [0.1, 0.2, 0.3, 0.4], argmax = [4, 7, 8, 10]:
 *          dX = [[0, 0, 0, 0], [0.1, 0, 0, 0.2], [0.3, 0, 0.4, 0], [0, 0, 0, 0]].
 */
void max_pool_backward(Matrix *dX, const Matrix *dout, const int *argmax)
{
    /* SOLUTION BEGIN */
    int N = dout->rows, pooled_size = dout->cols, image_size = dX->cols;
    kit_require_shape(dX, N, image_size, "max_pool_backward: dX");
    memset(dX->data, 0, (size_t)N * image_size * sizeof *dX->data);
    for (int n = 0; n < N; n++) {
        float *gradient = dX->data + (size_t)n * image_size;
        const float *from = dout->data + (size_t)n * pooled_size;
        const int *where = argmax + (size_t)n * pooled_size;
        for (int o = 0; o < pooled_size; o++) {
            if (where[o] < 0 || where[o] >= image_size)
                kit_fatal("max_pool_backward: argmax[%d] is %d; expected an index in a row of dX, 0 to %d",
                          n * pooled_size + o, where[o], image_size - 1);
            gradient[where[o]] += from[o];
        }
    }
    /* SOLUTION END */
}

/*
 * forward_cnn: the CNN's forward pass on the batch in work->X (m x C*H*W, m = work->X.rows):
 *   Z1     = conv2d_im2col(X, W1, b1, cnn->shape)   m x (F*OH*OW)   with work->columns (4.2), which keeps im2col(X)
 *   pooled = max_pool(Z1), argmax in work->argmax    m x (F*PH*PW)   F channels of OH x OW
 *   A1     = relu(pooled)                            m x (F*PH*PW)   (3.2)
 *   Z2     = linear_layer(A1, W2, b2)                m x K           (1.2)
 *   A2     = softmax(Z2)                             m x K           (3.2)
 * The network is conv -> ReLU -> pool -> dense; pooling before ReLU gives the same A1, since
 * max(relu(a), relu(b)) = relu(max(a, b)), and applies ReLU to 4 times fewer values.
 * Every result goes into the matrix of work with the same name (work->Z1, ->pooled, ->argmax, ->A1,
 * ->Z2, ->A2): backward_cnn needs them. F = cnn->W1.rows; OH = conv_output_size(H, k, 1) and OW
 * likewise: 26 for the course's 28 x 28 images and 3 x 3 filters, so PH = PW = 13.
 * Example: in the demo, one 28 x 28 image through 8 filters gives 8 maps of 26 x 26 (5,408 values),
 *          pooled to 8 x 13 x 13 = 1,352 values, then 10 scores and 10 probabilities that sum to 1.
 */
void forward_cnn(KitCnnWork *work, const Cnn *cnn)
{
    /* SOLUTION BEGIN */
    KitCnnWork *w = work;
    ConvShape s = cnn->shape;
    if (s.stride != 1)
        kit_fatal("forward_cnn: the CNN's stride is %d; this CNN uses stride 1", s.stride);
    int F = cnn->W1.rows;
    int map_height = conv_output_size(s.height, s.kernel, 1), map_width = conv_output_size(s.width, s.kernel, 1);
    kit_require_shape(&w->Z1, w->X.rows, F * map_height * map_width, "forward_cnn: work->Z1");
    conv2d_im2col(&w->Z1, &w->columns, &w->X, &cnn->W1, &cnn->b1, s);
    max_pool(&w->pooled, w->argmax, &w->Z1, F, map_height, map_width);
    relu(&w->A1, &w->pooled);
    linear_layer(&w->Z2, &w->A1, &cnn->W2, &cnn->b2);
    softmax(&w->A2, &w->Z2);
    /* SOLUTION END */
}

/*
 * backward_cnn: the gradients of the mean cross-entropy L of forward_cnn's output against the one-hot
 * targets work->Y (m x K), from the cache that forward_cnn left in work, layer by layer from the output back:
 *   dZ2     = (A2 - Y) / m                          m x K          softmax and cross-entropy together (3.4)
 *   dW2     = A1^T dZ2                              (F*PH*PW) x K
 *   db2     = the column sums of dZ2                1 x K
 *   dpooled = (dZ2 W2^T) * relu'(pooled)            m x (F*PH*PW)  back through the dense layer, then ReLU
 *   dZ1     = max_pool_backward(dpooled, argmax)    m x (F*OH*OW)  each gradient to its window's max, 0 elsewhere
 *   dW1, db1 = conv2d_backward(NULL, dW1, db1, dZ1, X, W1, columns, cnn->shape)   (4.2; no dX for a first layer;
 *              work->columns still holds the im2col(X) that forward_cnn made)
 * "*" is the element-wise product; relu'(p) is 1 for p > 0, else 0. Into work->dZ2, ->dW2, ->db2, ->dpooled,
 * ->dZ1, ->dW1, ->db1, all overwritten. Use cblas_sgemm for the two products of the dense layer (CblasTrans
 * reads a matrix transposed without copying it), as backward_mlp does in chapter 3.4.
 * Example: with every parameter at 0, every probability is 1/K; for one image of class 0 (m = 1, K = 10),
 *          dZ2 = db2 = [-0.9, 0.1, ..., 0.1], and dW2, dW1, db1 are 0 (A1 = 0, and nothing flows back
 *          through W2 = 0).
 */
void backward_cnn(KitCnnWork *work, const Cnn *cnn)
{
    /* SOLUTION BEGIN */
    KitCnnWork *w = work;
    int m = w->X.rows, P = cnn->W2.rows, K = cnn->W2.cols;
    kit_require_shape(&w->Y, m, K, "backward_cnn: work->Y");
    kit_require_shape(&w->A1, m, P, "backward_cnn: work->A1 (the pooled maps must be as many as W2's rows)");
    kit_require_shape(&w->dW2, P, K, "backward_cnn: work->dW2");
    /* the output layer: softmax followed by cross-entropy differentiates to A2 - Y, per example */
    float inverse_m = 1.0f / (float)m;
    for (size_t k = 0; k < (size_t)m * K; k++)
        w->dZ2.data[k] = (w->A2.data[k] - w->Y.data[k]) * inverse_m;
    /* dW2 = A1^T dZ2: (P x m)(m x K) */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, P, K, m, 1.0f, w->A1.data, P, w->dZ2.data, K, 0.0f,
                w->dW2.data, K);
    for (int c = 0; c < K; c++) { /* db2 = the column sums of dZ2 */
        float sum = 0.0f;
        for (int i = 0; i < m; i++)
            sum += w->dZ2.data[(size_t)i * K + c];
        w->db2.data[c] = sum;
    }
    /* dpooled = dZ2 W2^T: (m x K)(K x P), then zero where ReLU was off (pooled <= 0) */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, P, K, 1.0f, w->dZ2.data, K, cnn->W2.data, K, 0.0f,
                w->dpooled.data, P);
    for (size_t k = 0; k < (size_t)m * P; k++)
        w->dpooled.data[k] = w->pooled.data[k] > 0.0f ? w->dpooled.data[k] : 0.0f;
    /* back through the pooling: to the winners only */
    max_pool_backward(&w->dZ1, &w->dpooled, w->argmax);
    /* the convolution's parameters; the pixels need no gradient */
    conv2d_backward(NULL, &w->dW1, &w->db1, &w->dZ1, &w->X, &cnn->W1, &w->columns, cnn->shape);
    /* SOLUTION END */
}

/*
 * train_cnn_step: one step of gradient descent on one batch, as train_mlp_step of chapter 3.4.
 * The batch is in work->X (m x C*H*W) and work->labels (m x 1, class numbers), where m = work->X.rows
 * (the caller has set it with kit_cnn_work_rows). In order:
 *   1. work->Y = one_hot(work->labels)                       (m x K)
 *   2. forward_cnn(work, cnn)
 *   3. loss = cross_entropy(work->A2, work->Y)               (before the step)
 *   4. backward_cnn(work, cnn)
 *   5. W1 -= lr dW1, b1 -= lr db1, W2 -= lr dW2, b2 -= lr db2   (the gradients in work->dW1, ...)
 * Returns the loss of step 3. The forward pass's cache (work->A2 and the rest) is left as it was
 * before the update: train_cnn_epoch reports its A2 to the progress bar.
 * Example: in the demo, the first step on 64 images from He-initialised weights has a loss near
 *          log 10 = 2.30 (ten classes, nothing learned yet).
 */
float train_cnn_step(Cnn *cnn, KitCnnWork *work, float lr)
{
    /* SOLUTION BEGIN */
    KitCnnWork *w = work;
    one_hot(&w->Y, &w->labels);
    forward_cnn(w, cnn);
    float loss = cross_entropy(&w->A2, &w->Y);
    backward_cnn(w, cnn);
    Matrix *parameters[] = {&cnn->W1, &cnn->b1, &cnn->W2, &cnn->b2};
    const Matrix *gradients[] = {&w->dW1, &w->db1, &w->dW2, &w->db2};
    for (int p = 0; p < 4; p++) {
        kit_require_shape(gradients[p], parameters[p]->rows, parameters[p]->cols, "train_cnn_step: a parameter");
        size_t n = (size_t)parameters[p]->rows * parameters[p]->cols;
        for (size_t k = 0; k < n; k++)
            parameters[p]->data[k] -= lr * gradients[p]->data[k];
    }
    return loss;
    /* SOLUTION END */
}

/*
 * train_cnn_epoch: one pass over the N examples of X (N x C*H*W) and labels (N x 1) in a new random
 * order, as train_mlp_epoch of chapter 3.4:
 *   shuffle_indices(work->order, N, rng)
 *   for start = 0, B, 2B, ... below N (B = work->batch_size):
 *       m = min(B, N - start)                   the last batch is shorter when B does not divide N
 *       kit_cnn_work_rows(work, m)
 *       gather_rows(&work->X, X, work->order, start) and the same for labels into work->labels
 *       loss = train_cnn_step(cnn, work, lr)
 *       kit_progress_step(progress, loss, &work->A2, &work->labels)   (progress may be NULL)
 * Returns the epoch's mean loss: the sum of loss * m over the steps, divided by N.
 * work was made for N examples (work->examples) and this CNN's shapes; the caller calls
 * kit_progress_begin before and kit_progress_end after.
 */
float train_cnn_epoch(Cnn *cnn, const Matrix *X, const Matrix *labels, KitCnnWork *work, float lr, KitRng *rng,
                      KitProgress *progress)
{
    /* SOLUTION BEGIN */
    int N = X->rows, B = work->batch_size;
    if (work->examples != N)
        kit_fatal("train_cnn_epoch: the work was made for %d examples, X has %d rows", work->examples, N);
    kit_require_shape(labels, N, 1, "train_cnn_epoch: labels");
    shuffle_indices(work->order, N, rng);
    double total = 0.0;
    for (int start = 0; start < N; start += B) {
        int m = N - start < B ? N - start : B;
        kit_cnn_work_rows(work, m);
        gather_rows(&work->X, X, work->order, start);
        gather_rows(&work->labels, labels, work->order, start);
        float loss = train_cnn_step(cnn, work, lr);
        kit_progress_step(progress, loss, &work->A2, &work->labels);
        total += (double)loss * m;
    }
    return (float)(total / N);
    /* SOLUTION END */
}
