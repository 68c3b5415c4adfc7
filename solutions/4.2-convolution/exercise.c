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
    /* SOLUTION BEGIN */
    int width = image->cols, k = kernel->rows;
    int out_height = image->rows - k + 1, out_width = width - k + 1;
    for (int y = 0; y < out_height; y++)
        for (int x = 0; x < out_width; x++) {
            double sum = 0.0;
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++)
                    sum += (double)image->data[(y + i) * width + (x + j)] *
                           kernel->data[(k - 1 - i) * k + (k - 1 - j)];
            out->data[y * out_width + x] = (float)sum;
        }
    /* SOLUTION END */
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
    /* SOLUTION BEGIN */
    int N = X->rows, F = W->rows, C = shape.channels, height = shape.height, width = shape.width, k = shape.kernel;
    int out_height = conv_output_size(height, k, shape.stride), out_width = conv_output_size(width, k, shape.stride);
    size_t image_size = (size_t)C * height * width, map_size = (size_t)out_height * out_width;
    int filter_size = C * k * k;
    for (int n = 0; n < N; n++) {
        const float *image = X->data + n * image_size;
        float *maps = out->data + n * F * map_size;
        for (int f = 0; f < F; f++) {
            const float *filter = W->data + (size_t)f * filter_size;
            for (int y = 0; y < out_height; y++)
                for (int x = 0; x < out_width; x++) {
                    double sum = b->data[f];
                    for (int c = 0; c < C; c++)
                        for (int i = 0; i < k; i++)
                            for (int j = 0; j < k; j++)
                                sum += (double)image[(size_t)c * height * width + (y * shape.stride + i) * width +
                                                     (x * shape.stride + j)] *
                                       filter[c * k * k + i * k + j];
                    maps[f * map_size + y * out_width + x] = (float)sum;
                }
        }
    }
    /* SOLUTION END */
}

/* SOLUTION ONLY BEGIN */
/* The patches of one image, into its OH*OW rows of columns from row on. im2col calls it with k = 3 and stride 1, the
 * CNN's, as constants (the compiler then unrolls a channel's nine copies, with no loop or test between them), and
 * with any k and stride. */
static inline __attribute__((always_inline)) void image_patches(float *row, const float *image, int C, int height,
                                                               int width, int k, int stride, int out_height,
                                                               int out_width)
{
    int patch_size = C * k * k;
    for (int y = 0; y < out_height; y++)
        for (int x = 0; x < out_width; x++, row += patch_size) {
            const float *corner = image + (size_t)y * stride * width + (size_t)x * stride;
            float *to = row;
            for (int c = 0; c < C; c++, corner += (size_t)height * width)
                for (int i = 0; i < k; i++, to += k) {
                    const float *pixels = corner + (size_t)i * width; /* the k pixels of the patch's row i */
                    for (int j = 0; j < k; j++)
                        to[j] = pixels[j];
                }
        }
}
/* SOLUTION ONLY END */

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
    /* SOLUTION BEGIN */
    int N = X->rows, C = shape.channels, height = shape.height, width = shape.width, k = shape.kernel;
    int stride = shape.stride;
    int out_height = conv_output_size(height, k, stride), out_width = conv_output_size(width, k, stride);
    size_t image_size = (size_t)C * height * width, image_rows = (size_t)out_height * out_width;
    for (int n = 0; n < N; n++) {
        const float *image = X->data + n * image_size;
        float *rows = columns->data + n * image_rows * C * k * k;
        if (k == 3 && stride == 1) /* the CNN's filters */
            image_patches(rows, image, C, height, width, 3, 1, out_height, out_width);
        else
            image_patches(rows, image, C, height, width, k, stride, out_height, out_width);
    }
    /* SOLUTION END */
}

/* SOLUTION ONLY BEGIN */
#include <stdatomic.h>

/* conv2d_im2col's work, for kit_parallel: every part takes the next image not yet taken and makes its feature maps
 * (an image's maps depend on that image alone, so the bits are the same whichever core makes them, and a core that
 * runs slower, sharing its time with other programs, simply takes fewer images) */
typedef struct {
    Matrix *out, *columns;
    const Matrix *X, *W, *b;
    ConvShape shape;
    atomic_int next;
} ConvForward;

static void conv2d_im2col_part(void *job, int part, int parts)
{
    ConvForward *f_job = job;
    Matrix *out = f_job->out, *columns = f_job->columns;
    const Matrix *X = f_job->X, *W = f_job->W, *b = f_job->b;
    ConvShape shape = f_job->shape;
    int N = X->rows, F = W->rows, k = shape.kernel;
    int map_size = conv_output_size(shape.height, k, shape.stride) * conv_output_size(shape.width, k, shape.stride);
    int patch_size = shape.channels * k * k;
    (void)part, (void)parts;
    for (int n; (n = atomic_fetch_add_explicit(&f_job->next, 1, memory_order_relaxed)) < N;) {
        /* im2col of image n alone, just before its product reads it: its patches are still in the cache */
        Matrix image = {1, X->cols, X->data + (size_t)n * X->cols};
        Matrix patches = {map_size, patch_size, columns->data + (size_t)n * map_size * patch_size};
        im2col(&patches, &image, shape);
        float *maps = out->data + (size_t)n * F * map_size;
        for (int f = 0; f < F; f++) { /* the bias first, then beta = 1 adds the product to it */
            float bias = b->data[f];
            for (int p = 0; p < map_size; p++)
                maps[f * map_size + p] = bias;
        }
        /* maps (F x OH*OW) += W (F x C*k*k) columns_n^T (C*k*k x OH*OW) */
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, F, map_size, patch_size, 1.0f, W->data, patch_size,
                    patches.data, patch_size, 1.0f, maps, map_size);
    }
}
/* SOLUTION ONLY END */

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
    /* SOLUTION BEGIN */
    /* the images shared out between kit_threads() cores (one when graded) */
    ConvForward job = {out, columns, X, W, b, shape, 0};
    kit_parallel(conv2d_im2col_part, &job);
    /* SOLUTION END */
}

/* SOLUTION ONLY BEGIN */
/* backward_conv2d's dW and dX, for kit_parallel. dW is one chain of additions over the images, in order (beta 1
 * adds each image's product onto the sum so far), so part 0 makes it alone and says how far it has come in dW_done.
 * dX is image by image: every part takes the next image from next_dX, once part 0 is past that image in dW
 * (dcolumns overwrites the image's columns, which dW reads). The bits are those of one thread. */
typedef struct {
    Matrix *dX, *dW, *db, *columns;
    const Matrix *dout, *X, *W;
    ConvShape shape;
    atomic_int dW_done, next_dX;
} ConvBackward;

/* db[f] = the sum of feature map f's gradient over every image and position, in 4 interleaved partial sums so that
 * each addition need not wait for the one before (4 times faster than one chain) */
static void bias_gradient(Matrix *db, const Matrix *dout, int N, int F, int map_size)
{
    for (int f = 0; f < F; f++) {
        float partial[4] = {0.0f, 0.0f, 0.0f, 0.0f};
        for (int n = 0; n < N; n++) {
            const float *map = dout->data + ((size_t)n * F + f) * map_size;
            int p = 0;
            for (; p + 4 <= map_size; p += 4)
                for (int q = 0; q < 4; q++)
                    partial[q] += map[p + q];
            for (; p < map_size; p++)
                partial[0] += map[p];
        }
        db->data[f] = (partial[0] + partial[1]) + (partial[2] + partial[3]);
    }
}

/* One output row's terms of one tap, added onto the pixels they came from: pixels[x * stride] += from[x * patch_size] */
static inline __attribute__((always_inline)) void add_tap_row(float *restrict pixels, const float *restrict from,
                                                             int out_width, int stride, int patch_size)
{
    for (int x = 0; x < out_width; x++)
        pixels[x * stride] += from[(size_t)x * patch_size];
}

/* dX for image n: dcolumns_n (OH*OW x C*k*k) = dout_n^T W, written over columns_n (dW has read it), then col2im,
 * one tap (c, i, j) at a time: its column of dcolumns_n is added onto the pixels it came from, an output row at a
 * time, a run of pixels side by side (where going row by row through dcolumns_n would add to one pixel at a time,
 * each addition waiting for the one before on the same pixel). The taps go from the last to the first, so that each
 * pixel still sums its terms in the order of the output positions that reach it (y, x rising). */
static void image_input_gradient(ConvBackward *g, int n)
{
    const Matrix *dout = g->dout, *W = g->W;
    ConvShape shape = g->shape;
    int F = W->rows, C = shape.channels, height = shape.height, width = shape.width, k = shape.kernel;
    int stride = shape.stride;
    int out_height = conv_output_size(height, k, stride), out_width = conv_output_size(width, k, stride);
    int map_size = out_height * out_width, patch_size = C * k * k;
    float *dcolumns = g->columns->data + (size_t)n * map_size * patch_size;
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, map_size, patch_size, F, 1.0f,
                dout->data + (size_t)n * F * map_size, map_size, W->data, patch_size, 0.0f, dcolumns, patch_size);
    float *image_gradient = g->dX->data + (size_t)n * C * height * width;
    memset(image_gradient, 0, (size_t)C * height * width * sizeof *image_gradient);
    for (int c = 0; c < C; c++)
        for (int i = k - 1; i >= 0; i--)
            for (int j = k - 1; j >= 0; j--) {
                const float *tap = dcolumns + (c * k + i) * k + j; /* its value at position p: tap[p * patch_size] */
                for (int y = 0; y < out_height; y++) {
                    float *pixels = image_gradient + (size_t)c * height * width + (y * stride + i) * width + j;
                    const float *from = tap + (size_t)y * out_width * patch_size;
                    if (stride == 1) /* the CNN's: the same loop, compiled for pixels side by side */
                        add_tap_row(pixels, from, out_width, 1, patch_size);
                    else
                        add_tap_row(pixels, from, out_width, stride, patch_size);
                }
            }
}

static void backward_conv2d_part(void *job, int part, int parts)
{
    ConvBackward *g = job;
    Matrix *dX = g->dX, *dW = g->dW, *db = g->db, *columns = g->columns;
    const Matrix *dout = g->dout, *X = g->X, *W = g->W;
    ConvShape shape = g->shape;
    int N = X->rows, F = W->rows, C = shape.channels, height = shape.height, width = shape.width, k = shape.kernel;
    int out_height = conv_output_size(height, k, shape.stride), out_width = conv_output_size(width, k, shape.stride);
    int map_size = out_height * out_width, patch_size = C * k * k;

    if (part == parts - 1) /* db on the last part, beside part 0's dW (first of all on a single part) */
        bias_gradient(db, dout, N, F, map_size);

    /* dW = sum_n dout_n (F x OH*OW) columns_n (OH*OW x C*k*k), with the forward pass's columns: beta 0 for the
     * first image, then 1. Part 0 makes dX for an image right after its term of dW when no other part has taken
     * that image yet (always, on one part): its columns are still in the cache when dcolumns is written over them. */
    if (part == 0) {
        for (int n = 0; n < N; n++) {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, F, patch_size, map_size, 1.0f,
                        dout->data + (size_t)n * F * map_size, map_size,
                        columns->data + (size_t)n * map_size * patch_size, patch_size, n == 0 ? 0.0f : 1.0f, dW->data,
                        patch_size);
            atomic_store_explicit(&g->dW_done, n + 1, memory_order_release);
            int untaken = n;
            if (dX != NULL && atomic_compare_exchange_strong(&g->next_dX, &untaken, n + 1))
                image_input_gradient(g, n);
        }
    }
    if (dX == NULL)
        return;
    for (int n; (n = atomic_fetch_add_explicit(&g->next_dX, 1, memory_order_relaxed)) < N;) {
        while (atomic_load_explicit(&g->dW_done, memory_order_acquire) <= n)
            kit_cpu_relax(); /* part 0 has not read columns_n yet */
        image_input_gradient(g, n);
    }
}
/* SOLUTION ONLY END */

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
    /* SOLUTION BEGIN */
    /* db, dW, then dX image by image, on kit_threads() cores (one when graded): part 0 makes dW, the last part db,
     * and the other parts start on dX as soon as part 0 is past their images; it then joins them */
    ConvBackward job = {dX, dW, db, columns, dout, X, W, shape, 0, 0};
    kit_parallel(backward_conv2d_part, &job);
    /* SOLUTION END */
}
