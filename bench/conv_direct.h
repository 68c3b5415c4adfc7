/*
 * conv_direct.h: the direct convolution of conv_direct.c, the same layer as chapter 4.2's conv2d_im2col and
 * backward_conv2d with the same arguments in the same order (scratch in the place of columns).
 */
#ifndef CONV_DIRECT_H
#define CONV_DIRECT_H

#include "kit.h"
#include "course.h"

#include <stddef.h>

/* The floats of scratch the kernels need for that many filters over images of shape (the input gradient keeps one
 * padded gradient map per filter; the forward pass and the weight gradient need the size for 1 filter). */
size_t conv_direct_scratch_size(ConvShape shape, int filters);

/* out (N x F*OH*OW) = conv2d(X, W, b), overwritten; scratch holds at least conv_direct_scratch_size(shape, 1)
 * floats, and its contents are lost. */
void conv2d_direct(Matrix *out, Matrix *scratch, const Matrix *X, const Matrix *W, const Matrix *b, ConvShape shape);

/* Given dout = dL/dout (N x F*OH*OW): dW (F x C*k*k) and db (1 x F) overwritten, dX (N x C*IH*IW) overwritten unless
 * it is NULL; scratch holds at least conv_direct_scratch_size(shape, F) floats (1 filter's when dX is NULL). */
void backward_conv2d_direct(Matrix *dX, Matrix *dW, Matrix *db, const Matrix *dout, const Matrix *X, const Matrix *W,
                            Matrix *scratch, ConvShape shape);

/* dX (N x C*IH*IW) alone, overwritten, as backward_conv2d_direct computes it; scratch holds at least
 * conv_direct_scratch_size(shape, F) floats. */
void backward_conv2d_direct_input(Matrix *dX, const Matrix *dout, const Matrix *W, Matrix *scratch, ConvShape shape);

/* backward_conv2d with its sgemm for dW and db (from columns = im2col(X)) and backward_conv2d_direct_input for dX,
 * with columns, no longer needed, as its scratch: the two faster halves of the two ways on this machine. */
void backward_conv2d_mixed(Matrix *dX, Matrix *dW, Matrix *db, const Matrix *dout, const Matrix *X, const Matrix *W,
                           Matrix *columns, ConvShape shape);

#endif
