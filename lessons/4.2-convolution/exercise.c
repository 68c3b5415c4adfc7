/*
 * Chapter 4.2: Convolutional Layers for CNNs — your exercise.
 *
 * Write the five functions below, one at a time. After each one, run
 *     make grade CH=4.2
 * to see which checks pass, and
 *     make run CH=4.2
 * to run the chapter's demo with your code. The lesson is lessons/4.2-convolution/README.md.
 *
 * Letters used in the shape comments (the course's, listed in course.h; the sizes arrive in a ConvShape shape):
 *   N       images in the batch (X->rows)     C  channels of each image (shape.channels; 1 for gray pixels)
 *   IH, IW  height and width of each image    k  the side of the square filters (shape.kernel)
 *           (shape.height, shape.width)       shape.stride  how far a filter moves per step
 *   F       filters (the rows of the weights W)
 *   OH = (IH - k) / shape.stride + 1 and OW = (IW - k) / shape.stride + 1: the output's height and width
 *   (conv_output_size)
 * Layouts, all row-major floats (W is always the weights; an image's width is IW, or width in the code):
 *   X    N x (C*IH*IW): row n is image n, channel by channel; pixel (c, y, x) is at c*IH*IW + y*IW + x.
 *   W    F x (C*k*k): row f is filter f, its C kernels of k x k in the same order: (c, i, j) at c*k*k + i*k + j.
 *   b    1 x F: one bias per filter.
 *   out  N x (F*OH*OW): row n holds image n's F feature maps, one after the other: (f, y, x) at f*OH*OW + y*OW + x.
 * "Valid" convolution: no padding, a filter only visits positions where it lies wholly inside the image.
 * The caller allocates every output and every scratch matrix; your functions only fill them.
 * You may use the C library, OpenBLAS (cblas.h: cblas_sgemm) and the kit's helpers (harness/kit.h).
 */
#include "kit.h"
#include "course.h"

#include <cblas.h>
#include <stdlib.h>
#include <string.h>

/*
 * convolve2d: the true 2D convolution of one single-channel image, as in mathematics, signal
 * processing and scipy.signal.convolve2d(image, kernel, mode='valid').
 *   out[y][x] = sum_{i,j} image[y + i][x + j] * kernel[k-1-i][k-1-j]      for i, j < k
 * The kernel is flipped in both axes (rotated by 180 degrees) before it slides over the image.
 * image is IH x IW, kernel is k x k (k = kernel->rows), out is (IH-k+1) x (IW-k+1), overwritten.
 * Accumulate each sum in double.
 * Example: image = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], kernel = [[1, 2], [3, 4]]:
 *          out[0][0] = 1*4 + 2*3 + 4*2 + 5*1 = 23;  out = [[23, 33], [53, 63]].
 *          (Without the flip, out[0][0] would be 1*1 + 2*2 + 4*3 + 5*4 = 37: that is cross-correlation.)
 * In harness/course.h: out = the true 2D convolution of image (IH x IW) with kernel (k x k), valid mode: the kernel
 *     flipped in both axes, as in scipy.signal.convolve2d(image, kernel, mode='valid'); out is (IH-k+1) x (IW-k+1).
 */
void convolve2d(Matrix *out, const Matrix *image, const Matrix *kernel)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=4.2. */
    KIT_NOT_IMPLEMENTED();
}

/*
 * conv2d: the convolutional layer of deep learning, with direct loops (the clear version).
 *   out[n][f][y][x] = b[f] + sum_{c,i,j} X[n][c][y*shape.stride + i][x*shape.stride + j] * W[f][c][i][j]
 *   for every image n < N, filter f < F, output position y < OH, x < OW; c < C, i, j < k.
 * This is cross-correlation, as in every deep-learning library: the filter is NOT flipped.
 * Shapes: X is N x (C*IH*IW), W is F x (C*k*k), b is 1 x F, out is N x (F*OH*OW), overwritten
 * (see the layouts at the top of the file). F is W->rows and N is X->rows; C, IH, IW, k and the
 * stride come from the ConvShape shape. Take OH and OW from conv_output_size(shape.height, shape.kernel, shape.stride)
 * and conv_output_size(shape.width, shape.kernel, shape.stride). Accumulate each sum in double.
 * Do not call cblas_sgemm here: this is the reference the fast version is tested against.
 * Example: N = 1 image of C = 1 channel, 3 x 4: [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]];
 *          F = 2 filters of 2 x 2, W = [[0, 1, 2, 0], [-1, 0, 0, 1]] (filter 0 is [[0, 1], [2, 0]],
 *          filter 1 is [[-1, 0], [0, 1]]), b = [0, 1], stride 1: OH = 2, OW = 3, out is 1 x 12:
 *          out[0][0][0][0] = 0 + 2*1 + 5*2 = 12;  out[0][1][0][0] = 1 - 1*1 + 6*1 = 6;
 *          out = [[12, 15, 18, 24, 27, 30,   6, 6, 6, 6, 6, 6]]  (filter 0's 2 x 3 map, then filter 1's).
 *          With stride 2: OH = 1, OW = 2, out = [[12, 18, 6, 6]]; the image's last column is never used.
 * In harness/course.h: out[n][f][y][x] = b[f] + sum_{c,i,j} X[n][c][y*shape.stride + i][x*shape.stride + j]
 *     W[f][c][i][j] (cross-correlation) with direct loops; X is N x (C*IH*IW), W is F x (C*k*k), b is 1 x F, out is
 *     N x (F*OH*OW), overwritten.
 */
void conv2d(Matrix *out, const Matrix *X, const Matrix *W, const Matrix *b, ConvShape shape)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=4.2. */
    KIT_NOT_IMPLEMENTED();
}

/*
 * im2col: copy every patch a filter visits into a row of its own, so that a convolution
 * becomes one matrix product.
 *   columns[n*OH*OW + y*OW + x][c*k*k + i*k + j] = X[n][c][y*shape.stride + i][x*shape.stride + j]
 * X is N x (C*IH*IW); columns is (N*OH*OW) x (C*k*k), overwritten. Row (n, y, x) holds the
 * C*k*k pixels under output position (y, x) of image n, in the same order as a row of W,
 * so that conv2d's sum is the dot product of that row with the filter's row.
 * A pixel appears in as many rows as patches cover it (up to k*k times with stride 1).
 * Example: one 1-channel 3 x 3 image [[1, 2, 3], [4, 5, 6], [7, 8, 9]], k = 2, stride 1:
 *          columns (4 x 4) = [[1, 2, 4, 5], [2, 3, 5, 6], [4, 5, 7, 8], [5, 6, 8, 9]].
 * In harness/course.h: columns ((N*OH*OW) x (C*k*k), overwritten): row n*OH*OW + y*OW + x holds the patch of image
 *     n under output position (y, x), in W's order.
 */
void im2col(Matrix *columns, const Matrix *X, ConvShape shape)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=4.2. */
    KIT_NOT_IMPLEMENTED();
}

/*
 * conv2d_im2col: the same layer as conv2d, computed the fast way.
 *   1. im2col(columns, X, shape): the patches of all images, (N*OH*OW) x (C*k*k);
 *   2. for each image n, its F x (OH*OW) block of out is  W (F x C*k*k) times columns_n^T,
 *      where columns_n is the OH*OW rows of image n: one cblas_sgemm per image, with
 *      CblasTrans for the second matrix, that writes straight into out's row n
 *      (leading dimensions: C*k*k for W and columns, OH*OW for the output block);
 *   3. add b[f] to every element of feature map f.
 * columns is allocated by the caller with im2col's shape and keeps im2col(X) for backward_conv2d;
 * out is N x (F*OH*OW), overwritten, equal to conv2d's output up to float rounding (the grader compares them).
 * Example: the same as conv2d's.
 * In harness/course.h: The same out as conv2d, by im2col into columns (caller-allocated, im2col's shape) and
 *     cblas_sgemm; columns keeps im2col(X) for backward_conv2d.
 */
void conv2d_im2col(Matrix *out, Matrix *columns, const Matrix *X, const Matrix *W, const Matrix *b, ConvShape shape)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=4.2. */
    KIT_NOT_IMPLEMENTED();
}

/*
 * backward_conv2d: the gradients of a loss L through conv2d, given dout = dL/dout.
 *   db[f]          = sum_{n,y,x} dout[n][f][y][x]
 *   dW[f][c][i][j] = sum_{n,y,x} dout[n][f][y][x] * X[n][c][y*shape.stride + i][x*shape.stride + j]
 *                  that is, per image: dW += dout_n (F x OH*OW) times columns_n (OH*OW x C*k*k)
 *   dX[n][c][p][q] = sum of dout[n][f][y][x] * W[f][c][i][j] over every (f, y, x, i, j)
 *                    with y*shape.stride + i = p and x*shape.stride + j = q
 *                  that is: dcolumns_n = dout_n^T (OH*OW x F) times W (F x C*k*k), then "col2im":
 *                  add each element of row (n, y, x) of dcolumns back onto the pixel it was copied
 *                  from, X[n][c][y*shape.stride + i][x*shape.stride + j] (a pixel covered by several patches
 *                  gets several terms).
 * Shapes: dout is N x (F*OH*OW) like out, X is N x (C*IH*IW), W is F x (C*k*k); dW (F x C*k*k) and
 * db (1 x F) are overwritten; dX (N x C*IH*IW) is overwritten (every element, also the pixels no
 * filter visits, which get 0), or skipped when dX is NULL (the first layer needs no dX).
 * columns holds im2col(X), as conv2d_im2col left it in the forward pass (the caller keeps it for the backward
 * pass, so that the pixels need not be copied nine times again): read it for dW; once dW is done you may write
 * dcolumns over it. Use cblas_sgemm for the products (per image), not loops over everything.
 * Example: one 1-channel 3 x 3 image X = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], one 2 x 2 filter
 *          W = [[1, 2], [3, 4]], stride 1, dout = [[1, 0], [0, 0]] (only out[0][0] matters):
 *          db = [1], dW = [[1, 2], [4, 5]] (the patch under out[0][0]),
 *          dX = [[1, 2, 0], [3, 4, 0], [0, 0, 0]] (the filter, placed where that patch was).
 * In harness/course.h: Given dout = dL/dout (N x F*OH*OW): dW (F x C*k*k) and db (1 x F) overwritten, dX (N x
 *     C*IH*IW) overwritten unless it is NULL; columns holds im2col(X), as conv2d_im2col left it, and may be
 *     overwritten for dX.
 */
void backward_conv2d(Matrix *dX, Matrix *dW, Matrix *db, const Matrix *dout, const Matrix *X, const Matrix *W,
                     Matrix *columns, ConvShape shape)
{
    /* TODO: write this function (see the comment above it), then run make grade CH=4.2. */
    KIT_NOT_IMPLEMENTED();
}
