/*
 * cnn_check.h: what the convolution checks of chapters 4.2, 4.3 and 4.5 compute themselves, so that a check does not
 * depend on the learner's other functions: im2col, and the test accuracy of a trained CNN of chapter 4.3's shape
 * (1 x 28 x 28 images, 3 x 3 filters, 2 x 2 pooling, dense).
 */
#ifndef KIT_CNN_CHECK_H
#define KIT_CNN_CHECK_H

#include "check.h"
#include "course.h"

#include <math.h>
#include <stdlib.h>

/* columns = im2col(X) for shape s, as chapter 4.2 defines it: row n*OH*OW + y*OW + x holds the patch of output
 * (y, x) of image n, element c*k*k + i*k + j being X[n][c][y*s + i][x*s + j]. columns is (N*OH*OW) x (C*k*k). */
static inline void im2col_here(Matrix *columns, const Matrix *X, ConvShape s)
{
    int N = X->rows, C = s.channels, H = s.height, W = s.width, k = s.kernel;
    int OH = conv_output_size(H, k, s.stride), OW = conv_output_size(W, k, s.stride);
    for (int n = 0; n < N; n++)
        for (int y = 0; y < OH; y++)
            for (int x = 0; x < OW; x++)
                for (int ch = 0; ch < C; ch++)
                    for (int i = 0; i < k; i++)
                        for (int j = 0; j < k; j++)
                            columns->data[((n * OH + y) * OW + x) * C * k * k + ch * k * k + i * k + j] =
                                X->data[n * C * H * W + ch * H * W + (y * s.stride + i) * W + x * s.stride + j];
}

/* The class the trained CNN gives one 28 x 28 image, computed here: the convolution in float (each sum of 9
 * products), pooling, ReLU and the dense layer in double. */
static inline int predict_here(const Cnn *cnn, const float *image, float *maps, double *pooled)
{
    enum { H = 28, K = 3, OH = H - K + 1, PH = OH / 2 };
    int F = cnn->W1.rows, classes = cnn->W2.cols;
    for (int f = 0; f < F; f++) {
        const float *w = cnn->W1.data + f * K * K;
        for (int y = 0; y < OH; y++)
            for (int x = 0; x < OH; x++) {
                const float *patch = image + y * H + x;
                maps[(f * OH + y) * OH + x] = cnn->b1.data[f] + patch[0] * w[0] + patch[1] * w[1] + patch[2] * w[2] +
                                              patch[H] * w[3] + patch[H + 1] * w[4] + patch[H + 2] * w[5] +
                                              patch[2 * H] * w[6] + patch[2 * H + 1] * w[7] + patch[2 * H + 2] * w[8];
            }
        for (int py = 0; py < PH; py++)
            for (int px = 0; px < PH; px++) {
                const float *top = maps + (f * OH + 2 * py) * OH + 2 * px;
                float m = fmaxf(fmaxf(top[0], top[1]), fmaxf(top[OH], top[OH + 1]));
                pooled[(f * PH + py) * PH + px] = m > 0.0f ? m : 0.0;
            }
    }
    int best = 0;
    double best_score = -INFINITY;
    for (int k = 0; k < classes; k++) {
        double z = cnn->b2.data[k];
        for (int j = 0; j < F * PH * PH; j++)
            z += pooled[j] * cnn->W2.data[(size_t)j * classes + k];
        if (z > best_score)
            best_score = z, best = k;
    }
    return best;
}

/* The fraction of the test images (T, N x 784; labels N x 1) whose class predict_here gives right. */
static inline double cnn_test_accuracy(const Cnn *cnn, const Matrix *T, const Matrix *labels)
{
    int F = cnn->W1.rows;
    float *maps = malloc((size_t)F * 26 * 26 * sizeof *maps);
    double *pooled = malloc((size_t)F * 13 * 13 * sizeof *pooled);
    int right = 0;
    for (int i = 0; i < T->rows; i++)
        right += predict_here(cnn, T->data + (size_t)i * 784, maps, pooled) == (int)labels->data[i];
    free(maps), free(pooled);
    return T->rows ? (double)right / T->rows : 0.0;
}

#endif
