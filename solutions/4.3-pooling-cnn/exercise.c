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
 * The network (a Cnn, see course.h), two convolution stages and two dense layers:
 *   X -> convolution W1, b1 -> 2x2 max pooling -> ReLU         (stage 1)
 *     -> convolution W2, b2 -> 2x2 max pooling -> ReLU         (stage 2)
 *     -> dense W3, b3 -> ReLU -> dense W4, b4 -> softmax
 * (the pooling windows' side, 2, is KIT_CNN_POOL in harness/kit.h: max_pool takes it as its size)
 * Letters used in the shape comments (the course's, listed in course.h):
 *   N or m  images in the batch (rows)       C  channels of each image (1 for gray pixels)
 *   IH, IW  height and width of an image     k  the side of the square filters (stride 1)
 *   F1, F2  the filters of convolutions 1 and 2 (W1->rows, W2->rows)
 *   H       hidden units (W3->cols)          K  classes (W4->cols)
 *   OH1 = IH - k + 1, OW1 = IW - k + 1: convolution 1's feature maps;  PH1 = OH1 / 2, PW1 = OW1 / 2 (rounded down)
 *   OH2 = PH1 - k + 1, OW2 = PW1 - k + 1: convolution 2's maps;     PH2 = OH2 / 2, PW2 = OW2 / 2
 *   P1 = F1*PH1*PW1 and P2 = F2*PH2*PW2: the values of an image after each stage
 *   For the course's 28 x 28 digits and 3 x 3 filters: 26 x 26 -> 13 x 13 -> 11 x 11 -> 5 x 5.
 * Layouts, all row-major floats, as in chapter 4.2: an image is a row of C*IH*IW values, channel by channel
 * (value (c, y, x) at c*IH*IW + y*IW + x); the F feature maps of an image are a row of F*OH*OW values, map by map;
 * pooling keeps that order, so a row of pooled maps holds F*PH*PW values, map by map, and is itself an image of
 * F channels that convolution 2 reads as it is.
 * The caller allocates every output; your functions only fill it, and a training step allocates nothing:
 * its scratch is a KitCnnWork (harness/kit.h), made once before training.
 * You may use the C library, OpenBLAS (cblas.h: cblas_sgemm), the kit's helpers and your functions of
 * earlier chapters: linear_layer (1.2), shuffle_indices and gather_rows (2.3), relu and softmax (3.2),
 * one_hot and cross_entropy (3.3), conv2d_im2col and backward_conv2d (4.2).
 */
#include "kit.h"
#include "course.h"

#include <cblas.h>
#include <stdlib.h>
#include <string.h>

/* SOLUTION ONLY BEGIN */
#include <stdatomic.h>

/* max_pool's and backward_max_pool's work, for kit_parallel: every part takes the next image not yet taken and pools
 * it (or sends its gradients back), each image on its own */
typedef struct {
    Matrix *out;
    int *argmax;
    const Matrix *X;
    int size, channels, height, width, pooled_height, pooled_width, image_size, pooled_size;
    atomic_int next;
} PoolJob;

typedef struct {
    Matrix *dX;
    const Matrix *dout;
    const int *argmax;
    int image_size, pooled_size;
    atomic_int next;
} PoolGradientJob;

/* One row of windows: pooled row py of the channel whose pixels start at image[start]. Each window's cells are
 * compared as selects, not branches (a branch on a comparison of a feature map's values is one the processor cannot
 * predict); called with size 2, the loops over i and j unroll and the compiler compares the row's windows side by
 * side, in vectors. */
static inline __attribute__((always_inline)) void pool_row(float *restrict pooled, int *restrict where,
                                                          const float *restrict image, int start, int py, int size,
                                                          int width, int count)
{
    for (int px = 0; px < count; px++) {
        /* the window's cells in row n of X, visited row by row, each taking the best's place only when strictly
         * larger: the order that settles ties */
        int top_left = start + size * py * width + size * px;
        int best = top_left;
        float largest = image[top_left];
        for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++) {
                int cell = top_left + i * width + j;
                float v = image[cell];
                best = v > largest ? cell : best;
                largest = v > largest ? v : largest;
            }
        pooled[px] = largest;
        where[px] = best;
    }
}

static void max_pool_part(void *job, int part, int parts)
{
    PoolJob *p = job;
    const Matrix *X = p->X;
    Matrix *out = p->out;
    int *argmax = p->argmax;
    int size = p->size, channels = p->channels, height = p->height, width = p->width;
    int pooled_height = p->pooled_height, pooled_width = p->pooled_width;
    int image_size = p->image_size, pooled_size = p->pooled_size;
    (void)part, (void)parts;
    for (int n; (n = atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed)) < X->rows;) {
        const float *image = X->data + (size_t)n * image_size;
        float *pooled = out->data + (size_t)n * pooled_size;
        int *where = argmax + (size_t)n * pooled_size;
        for (int c = 0; c < channels; c++)
            for (int py = 0; py < pooled_height; py++) {
                int o = (c * pooled_height + py) * pooled_width, start = c * height * width;
                if (size == 2) /* the CNN's windows: the same code, compiled for size 2 */
                    pool_row(pooled + o, where + o, image, start, py, 2, width, pooled_width);
                else
                    pool_row(pooled + o, where + o, image, start, py, size, width, pooled_width);
            }
    }
}

static void backward_max_pool_part(void *job, int part, int parts)
{
    PoolGradientJob *p = job;
    Matrix *dX = p->dX;
    const Matrix *dout = p->dout;
    const int *argmax = p->argmax;
    int pooled_size = p->pooled_size, image_size = p->image_size;
    (void)part, (void)parts;
    for (int n; (n = atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed)) < dout->rows;) {
        float *gradient = dX->data + (size_t)n * image_size;
        memset(gradient, 0, (size_t)image_size * sizeof *gradient);
        const float *from = dout->data + (size_t)n * pooled_size;
        const int *where = argmax + (size_t)n * pooled_size;
        for (int o = 0; o < pooled_size; o++) {
            if (where[o] < 0 || where[o] >= image_size)
                kit_fatal("backward_max_pool: argmax[%d] is %d; expected an index in a row of dX, 0 to %d",
                          n * pooled_size + o, where[o], image_size - 1);
            gradient[where[o]] += from[o];
        }
    }
}
/* SOLUTION ONLY END */

/*
 * max_pool: max pooling with square windows of size x size and stride size (the windows side by side, none
 * overlapping), for every image and every channel. The CNN below uses size = KIT_CNN_POOL (harness/kit.h): 2.
 *   out[n][c][py][px] = max of X[n][c][size*py + i][size*px + j] over i, j in 0..size-1
 * X is N x (C*IH*IW), out is N x (C*PH*PW) with PH = IH / size and PW = IW / size rounded down: when IH (or IW)
 * is not a multiple of size, the last IH % size rows (or IW % size columns) of every channel are in no window
 * and are ignored. size 1 makes windows of one value: out = X.
 * argmax (N * C*PH*PW ints, like out) records where each maximum came from:
 *   argmax[n*out->cols + o] = the index in row n of X of the value written to out[n][o],
 * that is c*IH*IW + (size*py + i)*IW + (size*px + j). Visit each window row by row, left to right ((0,0),
 * (0,1), (1,0), (1,1) for size 2), and replace the best only by a strictly larger value, so that a tie keeps
 * the first (a window of zeros, common after ReLU, points at its top-left corner).
 * out and argmax are overwritten; X does not change. size is at least 1.
 * Example: one image, C = 1, 4 x 4, size 2:  X = [[1, 3, 2, 0],
 *                                                  [4, 2, 1, 5],
 *                                                  [0, 0, 7, 1],
 *                                                  [0, 0, 2, 3]]
 *          out = [[4, 5], [0, 7]] (1 x 4: [4, 5, 0, 7]), argmax = [4, 7, 8, 10]
 *          (4 is at row 1, column 0: index 1*4 + 0; the bottom-left window is all zeros: its first, 8).
 *          A 5 x 5 image gives the same 2 x 2 out: its last row and column are dropped.
 *          With size 3, the 4 x 4 image has one window, its top-left 3 x 3: out = [7], argmax = [10].
 * In harness/course.h: out (N x C*(IH/size)*(IW/size)) = the largest value of every size x size window (stride
 *     size) of every channel of X (N x C*IH*IW), the last IH % size rows and IW % size columns dropped;
 *     argmax[n*out->cols + o] = that value's index in row n of X (the first one on ties, row by row).
 */
void max_pool(Matrix *out, int *argmax, const Matrix *X, int size, int channels, int height, int width)
{
    /* SOLUTION BEGIN */
    if (size < 1)
        kit_fatal("max_pool: size is %d; expected the side of a window, at least 1", size);
    int N = X->rows, pooled_height = height / size, pooled_width = width / size;
    int image_size = channels * height * width, pooled_size = channels * pooled_height * pooled_width;
    kit_require_shape(X, N, image_size, "max_pool: X");
    kit_require_shape(out, N, pooled_size, "max_pool: out");
    PoolJob job = {out, argmax, X, size, channels, height, width, pooled_height, pooled_width, image_size, pooled_size, 0};
    kit_parallel(max_pool_part, &job); /* the images shared out between kit_threads() cores (one when graded) */
    /* SOLUTION END */
}

/*
 * backward_max_pool: the gradient of a loss L through max_pool, given dout = dL/dout.
 * Each output is a copy of one element of its window, the one argmax names; the other elements
 * of the window do not affect it at all. So:
 *   dX = 0, then for every n and o:  dX[n][argmax[n*dout->cols + o]] += dout[n][o]
 * dout is N x (C*PH*PW) like max_pool's out, argmax is what max_pool recorded, dX is N x (C*IH*IW)
 * like its X, overwritten: every element that was not a window's maximum (and every element of a
 * dropped odd row or column) gets 0. The size of X's rows is dX->cols.
 * Example: the 4 x 4 example of max_pool, dout = [0.1, 0.2, 0.3, 0.4], argmax = [4, 7, 8, 10]:
 *          dX = [[0, 0, 0, 0], [0.1, 0, 0, 0.2], [0.3, 0, 0.4, 0], [0, 0, 0, 0]].
 * In harness/course.h: dX (N x C*IH*IW) = 0, then dX[n][argmax[n*dout->cols + o]] += dout[n][o]: each gradient goes
 *     to the element that was its window's largest; dX is overwritten, dout is max_pool's out shape, argmax is
 *     max_pool's.
 */
void backward_max_pool(Matrix *dX, const Matrix *dout, const int *argmax)
{
    /* SOLUTION BEGIN */
    int N = dout->rows, pooled_size = dout->cols, image_size = dX->cols;
    kit_require_shape(dX, N, image_size, "backward_max_pool: dX");
    PoolGradientJob job = {dX, dout, argmax, image_size, pooled_size, 0};
    kit_parallel(backward_max_pool_part, &job); /* the images shared out between kit_threads() cores */
    /* SOLUTION END */
}

/*
 * forward_cnn: the CNN's forward pass on the batch in work->X (m x C*IH*IW, m = work->X.rows):
 *   Z1      = conv2d_im2col(X, W1, b1, cnn->shape)     m x (F1*OH1*OW1)  with work->columns1, which keeps im2col(X)
 *   pooled1 = max_pool(Z1), argmax in work->argmax1    m x P1            F1 channels of OH1 x OW1
 *   A1      = relu(pooled1)                            m x P1            (3.2)
 *   Z2      = conv2d_im2col(A1, W2, b2, shape2)        m x (F2*OH2*OW2)  with work->columns2 (shape2: below)
 *   pooled2 = max_pool(Z2), argmax in work->argmax2    m x P2            F2 channels of OH2 x OW2
 *   A2      = relu(pooled2)                            m x P2
 *   Z3      = linear_layer(A2, W3, b3)                 m x H             (1.2)
 *   A3      = relu(Z3)                                 m x H
 *   Z4      = linear_layer(A3, W4, b4)                 m x K
 *   A4      = softmax(Z4)                              m x K             (3.2)
 * Both max_pool calls take size KIT_CNN_POOL (2, harness/kit.h), the side of the CNN's pooling windows.
 * shape2, the shape of convolution 2's input, is {F1, PH1, PW1, k, 1}: the pooled maps of stage 1 are its channels.
 * Pooling before ReLU gives the same A1 as ReLU before pooling, since max(relu(a), relu(b)) = relu(max(a, b)),
 * and applies ReLU to 4 times fewer values (size x size times fewer).
 * Every result goes into the matrix of work with the same name (work->Z1, ->pooled1, ->argmax1, ->A1, ...,
 * ->Z4, ->A4): backward_cnn needs them.
 * Example: in the demo, one 28 x 28 image through 8 and 16 filters becomes 8 maps of 26 x 26 (5,408 values),
 *          8 x 13 x 13 = 1,352 after pooling, 16 maps of 11 x 11 (1,936), 16 x 5 x 5 = 400 after pooling
 *          (the 11th row and column are dropped), 64 hidden values, then 10 probabilities that sum to 1.
 * In harness/course.h: The forward pass of the batch in work->X, into work: Z1 = conv2d_im2col(X, W1, b1) (with
 *     columns1), pooled1 = max_pool(Z1, KIT_CNN_POOL) (argmax1), A1 = relu(pooled1); Z2 = conv2d_im2col(A1, W2,
 *     b2) (columns2, cnn_second_shape), pooled2, argmax2, A2 the same; Z3 = linear_layer(A2, W3, b3), A3 =
 *     relu(Z3); Z4 = linear_layer(A3, W4, b4), A4 = softmax(Z4).
 */
void forward_cnn(KitCnnWork *work, const Cnn *cnn)
{
    /* SOLUTION BEGIN */
    KitCnnWork *w = work;
    ConvShape shape1 = cnn->shape, shape2 = cnn_second_shape(cnn);
    if (shape1.stride != 1)
        kit_fatal("forward_cnn: the CNN's stride is %d; this CNN uses stride 1", shape1.stride);
    int F1 = cnn->W1.rows, F2 = cnn->W2.rows;
    int OH1 = conv_output_size(shape1.height, shape1.kernel, 1), OW1 = conv_output_size(shape1.width, shape1.kernel, 1);
    int OH2 = conv_output_size(shape2.height, shape2.kernel, 1), OW2 = conv_output_size(shape2.width, shape2.kernel, 1);
    kit_require_shape(&w->Z1, w->X.rows, F1 * OH1 * OW1, "forward_cnn: work->Z1");
    kit_require_shape(&w->Z2, w->X.rows, F2 * OH2 * OW2, "forward_cnn: work->Z2");
    /* stage 1: the images -> F1 pooled maps */
    conv2d_im2col(&w->Z1, &w->columns1, &w->X, &cnn->W1, &cnn->b1, shape1);
    max_pool(&w->pooled1, w->argmax1, &w->Z1, KIT_CNN_POOL, F1, OH1, OW1);
    relu(&w->A1, &w->pooled1);
    /* stage 2: the F1 maps, read as an image of F1 channels -> F2 pooled maps */
    conv2d_im2col(&w->Z2, &w->columns2, &w->A1, &cnn->W2, &cnn->b2, shape2);
    max_pool(&w->pooled2, w->argmax2, &w->Z2, KIT_CNN_POOL, F2, OH2, OW2);
    relu(&w->A2, &w->pooled2);
    /* the dense layers */
    linear_layer(&w->Z3, &w->A2, &cnn->W3, &cnn->b3);
    relu(&w->A3, &w->Z3);
    linear_layer(&w->Z4, &w->A3, &cnn->W4, &cnn->b4);
    softmax(&w->A4, &w->Z4);
    /* SOLUTION END */
}

/*
 * backward_cnn: the gradients of the mean cross-entropy L of forward_cnn's output against the one-hot
 * targets work->Y (m x K), from the cache that forward_cnn left in work, layer by layer from the output back:
 *   dZ4      = (A4 - Y) / m                           m x K     softmax and cross-entropy together (3.4)
 *   dW4      = A3^T dZ4, db4 = the column sums of dZ4           H x K, 1 x K
 *   dZ3      = (dZ4 W4^T) * relu'(Z3)                 m x H     back through the output layer, then ReLU
 *   dW3      = A2^T dZ3, db3 = the column sums of dZ3           P2 x H, 1 x H
 *   dpooled2 = (dZ3 W3^T) * relu'(pooled2)            m x P2    back through the hidden layer, then stage 2's ReLU
 *   dZ2      = backward_max_pool(dpooled2, argmax2)   m x (F2*OH2*OW2)
 *   dA1, dW2, db2 = backward_conv2d(dA1, dW2, db2, dZ2, A1, W2, columns2, shape2)   (4.2; dA1 m x P1 is dL/dA1,
 *              the gradient at convolution 2's input, which stage 1 needs)
 *   dpooled1 = dA1 * relu'(pooled1)                   m x P1    stage 1's ReLU
 *   dZ1      = backward_max_pool(dpooled1, argmax1)   m x (F1*OH1*OW1)
 *   dW1, db1 = backward_conv2d(NULL, dW1, db1, dZ1, X, W1, columns1, cnn->shape)   (no dX: the pixels need none)
 * "*" is the element-wise product; relu'(p) is 1 for p > 0, else 0. shape2 = cnn_second_shape(cnn), as in forward_cnn.
 * work->columns1 and ->columns2 still hold the im2col(X) and im2col(A1) that forward_cnn made; backward_conv2d may
 * overwrite columns2 when it computes dA1, which is why stage 2 goes back before stage 1 and nothing reads it after.
 * Into work->dZ4, ->dW4, ..., ->dW1, ->db1, all overwritten. Use cblas_sgemm for the products of the dense layers
 * (CblasTrans reads a matrix transposed without copying it), as backward_mlp does in chapter 3.4.
 * Example: with every parameter at 0, every probability is 1/K; for one image of class 0 (m = 1, K = 10),
 *          dZ4 = db4 = [-0.9, 0.1, ..., 0.1], and every other gradient is 0 (A3 = 0, and nothing flows back
 *          through W4 = 0).
 * In harness/course.h: From forward_cnn's cache and work->Y: dZ4 = (A4 - Y) / m, dW4 = A3^T dZ4, db4; dZ3 = (dZ4
 *     W4^T) * relu'(Z3), dW3 = A2^T dZ3, db3; dpooled2 = (dZ3 W3^T) * relu'(pooled2),
 *     dZ2 = backward_max_pool(dpooled2), dA1, dW2 and db2 by backward_conv2d; dpooled1 = dA1 * relu'(pooled1),
 *     dZ1 = backward_max_pool(dpooled1), dW1 and db1 by backward_conv2d (dX NULL); all overwritten.
 */
void backward_cnn(KitCnnWork *work, const Cnn *cnn)
{
    /* SOLUTION BEGIN */
    KitCnnWork *w = work;
    int m = w->X.rows, K = cnn->W4.cols;
    kit_require_shape(&w->Y, m, K, "backward_cnn: work->Y");
    kit_require_shape(&w->A2, m, cnn->W3.rows, "backward_cnn: work->A2 (the pooled maps must be as many as W3's rows)");
    /* the output layer: softmax followed by cross-entropy differentiates to A4 - Y, per example */
    float inverse_m = 1.0f / (float)m;
    for (size_t k = 0; k < (size_t)m * K; k++)
        w->dZ4.data[k] = (w->A4.data[k] - w->Y.data[k]) * inverse_m;
    /* the two dense layers, output first: dW = A^T dZ (In x Out), db = the column sums of dZ, and the gradient
     * at the layer's input, dIn = (dZ W^T) * relu'(before), zero where the ReLU before the layer was off */
    struct {
        Matrix *dIn, *dW, *db;
        const Matrix *dZ, *A, *W, *before;
    } dense[2] = {{&w->dZ3, &w->dW4, &w->db4, &w->dZ4, &w->A3, &cnn->W4, &w->Z3},
                  {&w->dpooled2, &w->dW3, &w->db3, &w->dZ3, &w->A2, &cnn->W3, &w->pooled2}};
    for (int l = 0; l < 2; l++) {
        int In = dense[l].W->rows, Out = dense[l].W->cols;
        kit_require_shape(dense[l].dW, In, Out, "backward_cnn: a dense layer's dW");
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, In, Out, m, 1.0f, dense[l].A->data, In,
                    dense[l].dZ->data, Out, 0.0f, dense[l].dW->data, Out);
        for (int c = 0; c < Out; c++) {
            float sum = 0.0f;
            for (int i = 0; i < m; i++)
                sum += dense[l].dZ->data[(size_t)i * Out + c];
            dense[l].db->data[c] = sum;
        }
        float *dIn = dense[l].dIn->data;
        const float *before = dense[l].before->data; /* in a local, so that the loop below runs in vectors */
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, In, Out, 1.0f, dense[l].dZ->data, Out,
                    dense[l].W->data, Out, 0.0f, dIn, In);
        for (size_t k = 0; k < (size_t)m * In; k++)
            dIn[k] = before[k] > 0.0f ? dIn[k] : 0.0f;
    }
    /* stage 2: back through its pooling to the winners, then through its convolution to W2, b2 and A1 */
    backward_max_pool(&w->dZ2, &w->dpooled2, w->argmax2);
    backward_conv2d(&w->dA1, &w->dW2, &w->db2, &w->dZ2, &w->A1, &cnn->W2, &w->columns2, cnn_second_shape(cnn));
    /* stage 1: ReLU, pooling, and the convolution's parameters */
    float *dpooled1 = w->dpooled1.data;
    const float *pooled1 = w->pooled1.data, *dA1 = w->dA1.data;
    for (size_t k = 0; k < (size_t)m * w->dA1.cols; k++) {
        float gradient = dA1[k]; /* read whatever the sign, so that the loop runs in vectors */
        dpooled1[k] = pooled1[k] > 0.0f ? gradient : 0.0f;
    }
    backward_max_pool(&w->dZ1, &w->dpooled1, w->argmax1);
    backward_conv2d(NULL, &w->dW1, &w->db1, &w->dZ1, &w->X, &cnn->W1, &w->columns1, cnn->shape);
    /* SOLUTION END */
}

/*
 * train_cnn_step: one step of gradient descent on one batch, as train_mlp_step of chapter 3.4.
 * The batch is in work->X (m x C*IH*IW) and work->labels (m x 1, class numbers), where m = work->X.rows
 * (the caller has set it with kit_cnn_work_rows). In order:
 *   1. work->Y = one_hot(work->labels)                       (m x K)
 *   2. forward_cnn(work, cnn)
 *   3. loss = cross_entropy(work->A4, work->Y)               (before the step)
 *   4. backward_cnn(work, cnn)
 *   5. W -= lr dW for each of the eight parameters W1, b1, W2, b2, W3, b3, W4, b4 (the gradients in work->dW1, ...)
 * Returns the loss of step 3. The forward pass's cache (work->A4 and the rest) is left as it was
 * before the update: train_cnn_epoch reports its A4 to the progress bar.
 * Example: in the demo, the first step on 64 images from He-initialised weights has a loss near
 *          log 10 = 2.30 (ten classes, nothing learned yet).
 * In harness/course.h: One step of gradient descent on the batch in work->X and work->labels: one_hot, forward_cnn,
 *     cross_entropy, backward_cnn, then W -= lr dW for W1, b1, ..., W4, b4; returns the batch's loss before the
 *     step.
 */
float train_cnn_step(Cnn *cnn, KitCnnWork *work, float lr)
{
    /* SOLUTION BEGIN */
    KitCnnWork *w = work;
    one_hot(&w->Y, &w->labels);
    forward_cnn(w, cnn);
    float loss = cross_entropy(&w->A4, &w->Y);
    backward_cnn(w, cnn);
    Matrix *parameters[] = {&cnn->W1, &cnn->b1, &cnn->W2, &cnn->b2, &cnn->W3, &cnn->b3, &cnn->W4, &cnn->b4};
    const Matrix *gradients[] = {&w->dW1, &w->db1, &w->dW2, &w->db2, &w->dW3, &w->db3, &w->dW4, &w->db4};
    for (int p = 0; p < 8; p++) {
        kit_require_shape(gradients[p], parameters[p]->rows, parameters[p]->cols, "train_cnn_step: a parameter");
        size_t n = (size_t)parameters[p]->rows * parameters[p]->cols;
        for (size_t k = 0; k < n; k++)
            parameters[p]->data[k] -= lr * gradients[p]->data[k];
    }
    return loss;
    /* SOLUTION END */
}

/*
 * train_cnn_epoch: one pass over the N examples of X (N x C*IH*IW) and labels (N x 1) in a new random
 * order, as train_mlp_epoch of chapter 3.4:
 *   shuffle_indices(work->order, N, rng)
 *   for start = 0, B, 2B, ... below N (B = work->batch_size):
 *       m = min(B, N - start)                   the last batch is shorter when B does not divide N
 *       kit_cnn_work_rows(work, m)
 *       gather_rows(&work->X, X, work->order, start) and the same for labels into work->labels
 *       loss = train_cnn_step(cnn, work, lr)
 *       kit_progress_step(progress, loss, &work->A4, &work->labels)   (progress may be NULL)
 * Returns the epoch's mean loss: the sum of loss * m over the steps, divided by N.
 * work was made for N examples (work->examples) and this CNN's shapes; the caller calls
 * kit_progress_begin before and kit_progress_end after.
 * In harness/course.h: One epoch: shuffle_indices(work->order), then train_cnn_step on each batch of batch_size
 *     rows (the last one shorter), reporting each step to progress (may be NULL); returns the mean of the batch
 *     losses weighted by their rows.
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
        kit_progress_step(progress, loss, &work->A4, &work->labels);
        total += (double)loss * m;
    }
    return (float)(total / N);
    /* SOLUTION END */
}
