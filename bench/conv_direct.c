/*
 * conv_direct.c: a direct convolution (no im2col, no sgemm) for the small filters of chapters 4.3 and 4.5, its
 * weight and bias gradients and its input gradient, in plain C that GCC -O3 vectorises without -march.
 * A candidate for chapter 4.2 (see conv_direct.h for the contracts and conv_layers.c for its measurements).
 *
 * The idea, for stride 1. A filter's output row y is a sum of shifted input rows; done row by row, the loops run
 * over OW = 26 or 11 values and most of the time goes into starting and ending them. Instead, lay the output map
 * out at the input's width IW: its value (y, x) at y*IW + x, like the input's pixel (y, x). Then the input pixel
 * under tap (i, j) of output (y, x) is at (y*IW + x) + i*IW + j, the same offset i*IW + j for every position, and
 * one loop over q = y*IW + x covers the whole map:
 *     wide[q] += W[f][c][i][j] * channel[q + i*IW + j]     for q < (OH-1)*IW + OW
 * The positions with x >= OW (k-1 of each row but the last) are computed too and thrown away when the map is
 * copied into out; every read stays inside the channel. The loop is long (141 or 726 values), contiguous and free
 * of dependences, so the compiler turns it into vector instructions; for 3x3 filters the nine taps of a channel
 * go into one pass, so that wide[q] is loaded and stored once for 18 operations.
 * The gradients use the same layout:
 *   dW[f][c][i][j] = sum over n and q of dout_wide[q] * X[n][c][q + i*IW + j], where dout_wide is dout's map
 *                    laid out at width IW with zeros at x >= OW (so the thrown-away positions add nothing);
 *   dX[n][c] = the sum over f of the correlation of dout's map f, padded with k-1 zeros on every side, with filter
 *              (f, c) rotated by 180 degrees: the "full" convolution. Laid out at width IW with the zeros on the
 *              left of each row, a read past a row's end lands on the next row's zeros, so the output needs no wide
 *              copy: it is dX's channel itself.
 * Other strides take the plain loops at the end of the file.
 */
#include "kit.h"
#include "course.h"
#include "conv_direct.h"

#include <string.h>

/* The floats of scratch the direct kernels need for F filters over images of shape: one padded gradient map per
 * filter for the input gradient, which also holds one wide map. */
size_t conv_direct_scratch_size(ConvShape shape, int filters)
{
    int k = shape.kernel;
    return (size_t)filters * ((size_t)(shape.height + k - 1) * shape.width + (k - 1));
}

static void require_scratch(const Matrix *scratch, ConvShape shape, int filters, const char *who)
{
    size_t needed = conv_direct_scratch_size(shape, filters), has = (size_t)scratch->rows * scratch->cols;
    if (has < needed)
        kit_fatal("%s: scratch holds %zu floats; expected at least %zu (conv_direct_scratch_size)", who, has, needed);
}

/* wide[q] += sum_{i,j} taps[i*k + j] * in[q + i*pitch + j]  for q < count: a k x k correlation of rows of pitch
 * floats, as one long loop. For 3x3 taps, the nine weights stay in registers and wide[q] is stored once. */
static void correlate(float *restrict wide, const float *restrict in, int pitch, int count, const float *taps, int k)
{
    if (k == 3) {
        const float *restrict row0 = in, *restrict row1 = in + pitch, *restrict row2 = in + 2 * pitch;
        float t0 = taps[0], t1 = taps[1], t2 = taps[2], t3 = taps[3], t4 = taps[4], t5 = taps[5];
        float t6 = taps[6], t7 = taps[7], t8 = taps[8];
        for (int q = 0; q < count; q++)
            wide[q] += t0 * row0[q] + t1 * row0[q + 1] + t2 * row0[q + 2] + t3 * row1[q] + t4 * row1[q + 1] +
                       t5 * row1[q + 2] + t6 * row2[q] + t7 * row2[q + 1] + t8 * row2[q + 2];
        return;
    }
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++) {
            float tap = taps[i * k + j];
            const float *restrict from = in + (size_t)i * pitch + j;
            for (int q = 0; q < count; q++)
                wide[q] += tap * from[q];
        }
}

/* The sum of a[q] * b[q] for q < count, in 8 interleaved partial sums (GCC vectorises them; one running sum
 * would have to add in order and could not be). */
static float dot(const float *restrict a, const float *restrict b, int count)
{
    float partial[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    int q = 0;
    for (; q + 8 <= count; q += 8)
        for (int r = 0; r < 8; r++)
            partial[r] += a[q + r] * b[q + r];
    for (; q < count; q++)
        partial[0] += a[q] * b[q];
    return ((partial[0] + partial[1]) + (partial[2] + partial[3])) + ((partial[4] + partial[5]) + (partial[6] + partial[7]));
}

/* The sum of the count values of a, in 8 partial sums. */
static float sum(const float *restrict a, int count)
{
    float partial[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    int q = 0;
    for (; q + 8 <= count; q += 8)
        for (int r = 0; r < 8; r++)
            partial[r] += a[q + r];
    for (; q < count; q++)
        partial[0] += a[q];
    return ((partial[0] + partial[1]) + (partial[2] + partial[3])) + ((partial[4] + partial[5]) + (partial[6] + partial[7]));
}

/* ---- any stride: the plain loops, one output row at a time ----------------------------------------------------- */

static void forward_rows(Matrix *out, const Matrix *X, const Matrix *W, const Matrix *b, ConvShape shape)
{
    int N = X->rows, F = W->rows, C = shape.channels, height = shape.height, width = shape.width, k = shape.kernel;
    int stride = shape.stride;
    int OH = conv_output_size(height, k, stride), OW = conv_output_size(width, k, stride);
    size_t image_size = (size_t)C * height * width, map_size = (size_t)OH * OW;
    for (int n = 0; n < N; n++)
        for (int f = 0; f < F; f++) {
            const float *filter = W->data + (size_t)f * C * k * k;
            for (int y = 0; y < OH; y++) {
                float *restrict row = out->data + ((size_t)n * F + f) * map_size + (size_t)y * OW;
                for (int x = 0; x < OW; x++)
                    row[x] = b->data[f];
                for (int c = 0; c < C; c++)
                    for (int i = 0; i < k; i++)
                        for (int j = 0; j < k; j++) {
                            const float *restrict pixels = X->data + n * image_size + (size_t)c * height * width +
                                                           (size_t)(y * stride + i) * width + j;
                            float tap = filter[(c * k + i) * k + j];
                            for (int x = 0; x < OW; x++)
                                row[x] += tap * pixels[x * stride];
                        }
            }
        }
}

static void weights_rows(Matrix *dW, const Matrix *dout, const Matrix *X, ConvShape shape)
{
    int N = X->rows, F = dW->rows, C = shape.channels, height = shape.height, width = shape.width, k = shape.kernel;
    int stride = shape.stride;
    int OH = conv_output_size(height, k, stride), OW = conv_output_size(width, k, stride);
    size_t image_size = (size_t)C * height * width, map_size = (size_t)OH * OW;
    for (int n = 0; n < N; n++)
        for (int f = 0; f < F; f++)
            for (int y = 0; y < OH; y++) {
                const float *restrict d = dout->data + ((size_t)n * F + f) * map_size + (size_t)y * OW;
                for (int c = 0; c < C; c++)
                    for (int i = 0; i < k; i++)
                        for (int j = 0; j < k; j++) {
                            const float *restrict pixels = X->data + n * image_size + (size_t)c * height * width +
                                                           (size_t)(y * stride + i) * width + j;
                            float gradient = 0.0f;
                            for (int x = 0; x < OW; x++)
                                gradient += d[x] * pixels[x * stride];
                            dW->data[((f * C + c) * k + i) * k + j] += gradient;
                        }
            }
}

static void input_rows(Matrix *dX, const Matrix *dout, const Matrix *W, ConvShape shape)
{
    int N = dX->rows, F = W->rows, C = shape.channels, height = shape.height, width = shape.width, k = shape.kernel;
    int stride = shape.stride;
    int OH = conv_output_size(height, k, stride), OW = conv_output_size(width, k, stride);
    size_t image_size = (size_t)C * height * width, map_size = (size_t)OH * OW;
    memset(dX->data, 0, (size_t)N * image_size * sizeof *dX->data);
    for (int n = 0; n < N; n++)
        for (int f = 0; f < F; f++)
            for (int y = 0; y < OH; y++) {
                const float *restrict d = dout->data + ((size_t)n * F + f) * map_size + (size_t)y * OW;
                for (int c = 0; c < C; c++)
                    for (int i = 0; i < k; i++)
                        for (int j = 0; j < k; j++) {
                            float *restrict pixels = dX->data + n * image_size + (size_t)c * height * width +
                                                     (size_t)(y * stride + i) * width + j;
                            float tap = W->data[((f * C + c) * k + i) * k + j];
                            for (int x = 0; x < OW; x++)
                                pixels[x * stride] += tap * d[x];
                        }
            }
}

/* ---- the kernels -------------------------------------------------------------------------------------------- */

void conv2d_direct(Matrix *out, Matrix *scratch, const Matrix *X, const Matrix *W, const Matrix *b, ConvShape shape)
{
    if (shape.stride != 1) {
        forward_rows(out, X, W, b, shape);
        return;
    }
    int N = X->rows, F = W->rows, C = shape.channels, height = shape.height, width = shape.width, k = shape.kernel;
    int OH = conv_output_size(height, k, 1), OW = conv_output_size(width, k, 1);
    size_t image_size = (size_t)C * height * width, map_size = (size_t)OH * OW;
    int count = (OH - 1) * width + OW; /* the wide map's positions, up to the last valid one */
    require_scratch(scratch, shape, 1, "conv2d_direct");
    float *wide = scratch->data;
    for (int n = 0; n < N; n++)
        for (int f = 0; f < F; f++) {
            for (int q = 0; q < count; q++)
                wide[q] = b->data[f];
            for (int c = 0; c < C; c++)
                correlate(wide, X->data + n * image_size + (size_t)c * height * width, width, count,
                          W->data + ((size_t)f * C + c) * k * k, k);
            float *map = out->data + ((size_t)n * F + f) * map_size;
            for (int y = 0; y < OH; y++) /* keep the OW valid values of each wide row */
                memcpy(map + (size_t)y * OW, wide + (size_t)y * width, (size_t)OW * sizeof *map);
        }
}

void backward_conv2d_direct(Matrix *dX, Matrix *dW, Matrix *db, const Matrix *dout, const Matrix *X, const Matrix *W,
                            Matrix *scratch, ConvShape shape)
{
    int N = X->rows, F = W->rows, C = shape.channels, height = shape.height, width = shape.width, k = shape.kernel;
    int OH = conv_output_size(height, k, shape.stride), OW = conv_output_size(width, k, shape.stride);
    size_t image_size = (size_t)C * height * width, map_size = (size_t)OH * OW;
    memset(dW->data, 0, (size_t)F * C * k * k * sizeof *dW->data);
    for (int f = 0; f < F; f++) { /* db: every map's sum */
        float total = 0.0f;
        for (int n = 0; n < N; n++)
            total += sum(dout->data + ((size_t)n * F + f) * map_size, (int)map_size);
        db->data[f] = total;
    }
    if (shape.stride != 1) {
        weights_rows(dW, dout, X, shape);
        if (dX != NULL)
            input_rows(dX, dout, W, shape);
        return;
    }
    require_scratch(scratch, shape, dX != NULL ? F : 1, "backward_conv2d_direct");

    /* dW: each gradient map laid out at width IW, zeros at x >= OW, then one long dot product per tap */
    int count = (OH - 1) * width + OW;
    float *wide = scratch->data;
    memset(wide, 0, (size_t)count * sizeof *wide);
    for (int n = 0; n < N; n++)
        for (int f = 0; f < F; f++) {
            const float *map = dout->data + ((size_t)n * F + f) * map_size;
            for (int y = 0; y < OH; y++)
                memcpy(wide + (size_t)y * width, map + (size_t)y * OW, (size_t)OW * sizeof *wide);
            for (int c = 0; c < C; c++)
                for (int i = 0; i < k; i++)
                    for (int j = 0; j < k; j++)
                        dW->data[(((size_t)f * C + c) * k + i) * k + j] +=
                            dot(wide, X->data + n * image_size + (size_t)c * height * width + (size_t)i * width + j,
                                count);
        }
    if (dX != NULL)
        backward_conv2d_direct_input(dX, dout, W, scratch, shape);
}

void backward_conv2d_direct_input(Matrix *dX, const Matrix *dout, const Matrix *W, Matrix *scratch, ConvShape shape)
{
    int N = dX->rows, F = W->rows, C = shape.channels, height = shape.height, width = shape.width, k = shape.kernel;
    int OH = conv_output_size(height, k, shape.stride), OW = conv_output_size(width, k, shape.stride);
    size_t image_size = (size_t)C * height * width, map_size = (size_t)OH * OW;
    if (shape.stride != 1) {
        input_rows(dX, dout, W, shape);
        return;
    }
    require_scratch(scratch, shape, F, "backward_conv2d_direct_input");

    /* dX: each gradient map padded with k-1 zeros on every side, laid out at width IW (its row y at row y + k-1,
     * columns k-1 to IW-1), then correlated with the filters rotated by 180 degrees, straight into dX */
    size_t padded_size = (size_t)(height + k - 1) * width + (k - 1);
    memset(scratch->data, 0, (size_t)F * padded_size * sizeof *scratch->data);
    float rotated[k * k];
    for (int n = 0; n < N; n++) {
        for (int f = 0; f < F; f++) {
            const float *map = dout->data + ((size_t)n * F + f) * map_size;
            float *padded = scratch->data + f * padded_size;
            for (int y = 0; y < OH; y++)
                memcpy(padded + (size_t)(y + k - 1) * width + (k - 1), map + (size_t)y * OW, (size_t)OW * sizeof *padded);
        }
        for (int c = 0; c < C; c++) {
            float *channel = dX->data + n * image_size + (size_t)c * height * width;
            memset(channel, 0, (size_t)height * width * sizeof *channel);
            for (int f = 0; f < F; f++) {
                const float *taps = W->data + ((size_t)f * C + c) * k * k;
                for (int t = 0; t < k * k; t++)
                    rotated[t] = taps[k * k - 1 - t];
                correlate(channel, scratch->data + f * padded_size, width, height * width, rotated, k);
            }
        }
    }
}

void backward_conv2d_mixed(Matrix *dX, Matrix *dW, Matrix *db, const Matrix *dout, const Matrix *X, const Matrix *W,
                           Matrix *columns, ConvShape shape)
{
    backward_conv2d(NULL, dW, db, dout, X, W, columns, shape);
    if (dX != NULL)
        backward_conv2d_direct_input(dX, dout, W, columns, shape);
}
