/*
 * course.h: the functions you write, chapter by chapter.
 *
 * Each chapter's exercise.c defines that chapter's functions; later chapters
 * call the ones you wrote before (a layer uses your matrix_multiply and your
 * add_row_vector). The comment above each function in exercise.c says exactly
 * what it computes, with its shapes and an example, and ends with the one-line
 * contract written above the function here, word for word (make test T=contracts).
 *
 * The letters of the course: each has one meaning in every chapter (lessons, stubs,
 * solutions, hints and the contracts below). A Matrix is rows x cols.
 *   N       examples: the rows of a data set (m: the rows of one mini-batch, B: the batch size)
 *   D       input features: the columns of X (X is N x D; a product XW is (N x D)(D x M))
 *   M       the outputs of one layer of neurons (W is D x M, b is 1 x M)
 *   H       hidden units (H1 and H2: the two hidden layers of chapters 4.1 and 4.4)
 *   K       classes: the columns of the one-hot targets Y and of the probabilities (labels 0..K-1)
 *   C       channels of an image (1 for MNIST's gray pixels)
 *   IH, IW  an input image's height and width (ConvShape's height and width)
 *   k       a square filter's side (ConvShape's kernel); shape.stride is its step
 *   F       filters of a convolution (F1 and F2: the two convolutions of chapter 4.3)
 *   OH, OW  a convolution's output height and width; PH, PW those of a pooled map
 *   P1, P2  the values of one image after pooling stage 1 and 2 of the CNN (F1*PH1*PW1, F2*PH2*PW2)
 * A matrix of no particular meaning (an activation of any shape) is rows x cols. Lowercase
 * i, j, c, f, y, x are indices (of a row, a column, a channel, a filter, an output position); outside
 * the convolutions, k indexes the classes (Y[i][k], k < K) and the elements of a matrix (sum_k, grad[k]).
 *
 * The names of the passes, one scheme in every chapter: the forward pass of a whole model is forward_ and the
 * model's name (forward_perceptron, forward_mlp, forward_mlp3, forward_cnn); the forward pass of one layer is the
 * layer's own name (conv2d, max_pool, relu, softmax, dropout); every backward pass is backward_ and the name of the
 * model or layer it goes back through (backward_mlp, backward_mlp3, backward_cnn, backward_conv2d, backward_max_pool).
 */
#ifndef COURSE_H
#define COURSE_H

#include "kit.h"

/* ---- 1.1 Getting Started with Arrays (lessons/1.1-arrays) --------------- */

/* out = X + row, the row (1 x cols) added to every row of X (rows x cols). */
void add_row_vector(Matrix *out, const Matrix *X, const Matrix *row);

/* out = the out->rows x out->cols block of X whose top-left corner is (row0, col0). */
void slice(Matrix *out, const Matrix *X, int row0, int col0);

/* out = (X - mean) / std over all elements (out = X - mean when std is 0); out may be X. */
void normalize(Matrix *out, const Matrix *X);

/* The mean, population std, min and max of every column of the N x D matrix X (each 1 x D). */
void column_stats(Matrix *mean, Matrix *std, Matrix *min, Matrix *max, const Matrix *X);

/* Every column of X scaled to mean 0 and std 1 on its own (only centred when its std is 0). */
void normalize_columns(Matrix *out, const Matrix *X);

/* ---- 1.2 Matrix Operations for Neural Networks (lessons/1.2-matrix-operations) ---- */

/* a . b = sum_k a_k b_k over all elements; a and b have the same number of elements (vectors are 1 x n). */
float dot_product(const Matrix *a, const Matrix *b);

/* |a| = sqrt(a . a), the Euclidean length of a. */
float vector_norm(const Matrix *a);

/* a . b / (|a| |b|), the cosine of the angle between a and b; 0 when either is a zero vector. */
float cosine_similarity(const Matrix *a, const Matrix *b);

/* Z = XW with three loops; X is N x D, W is D x M, Z is N x M. */
void matrix_multiply_loops(Matrix *Z, const Matrix *X, const Matrix *W);

/* The same product Z = XW with one call to OpenBLAS cblas_sgemm. */
void matrix_multiply(Matrix *Z, const Matrix *X, const Matrix *W);

/* out = X^T; X is rows x cols, out is cols x rows. */
void transpose(Matrix *out, const Matrix *X);

/* Z = XW + b with your matrix_multiply and add_row_vector (1.1); X is N x D, W is D x M, b is 1 x M, Z is N x M. */
void linear_layer(Matrix *Z, const Matrix *X, const Matrix *W, const Matrix *b);

/* ---- 1.3 Mathematical Functions and Activation Basics (lessons/1.3-math-functions) ---- */

/* out = e^Z element by element; out may be Z. */
void elementwise_exp(Matrix *out, const Matrix *Z);

/* out = max(Z, floor) element by element (max(Z, 0) is ReLU); out may be Z. */
void elementwise_maximum(Matrix *out, const Matrix *Z, float floor);

/* out = 1 / (1 + e^-Z) element by element, computed so that no exponential overflows; out may be Z. */
void sigmoid(Matrix *out, const Matrix *Z);

/* ---- 2.1 Understanding Loss Functions (lessons/2.1-loss-functions) ---------- */

/* (1/n) sum (y_pred - y)^2 over all n elements, summed in double; y_pred and y have the same shape. */
float mse_loss(const Matrix *y_pred, const Matrix *y);

/* -(1/n) sum [y log a + (1 - y) log(1 - a)] with each a clipped to [1e-7, 1 - 1e-7] first, in double; never NaN or inf. */
float binary_cross_entropy(const Matrix *A, const Matrix *y);

/* The fraction of the elements of z with |z| <= k (0 to 1). */
float share_within(const Matrix *z, float k);

/* ---- 2.2 Gradient Descent for Optimization (lessons/2.2-gradient-descent) ---- */

/* dW = (2/N) X^T (XW + b - y) and db = (2/N) sum_i (x_i W + b - y_i), the gradient of mse_loss(XW + b, y); overwrites dW (D x 1) and db (1 x 1). */
void mse_gradient(Matrix *dW, Matrix *db, const Matrix *X, const Matrix *W, const Matrix *b, const Matrix *y);

/* steps of full-batch gradient descent on W (D x 1) and b (1 x 1), W -= lr dW and b -= lr db; losses (1 x steps) gets the loss before each step. */
void gradient_descent(Matrix *W, Matrix *b, Matrix *losses, const Matrix *X, const Matrix *y, float lr, int steps);

/* ---- 2.3 Mini-Batch Gradient Descent (lessons/2.3-mini-batches) ---- */

/* order = a random permutation of 0..n-1 (overwritten): order[i] = i, then Fisher-Yates, for i = n-1 down to 1,
 * j = kit_rng_below(rng, i + 1), swap order[i] and order[j]. */
void shuffle_indices(int *order, int n, KitRng *rng);

/* out (m x D, m = out->rows) = the rows X[order[start]], ..., X[order[start + m - 1]] of X (N x D): a mini-batch. */
void gather_rows(Matrix *out, const Matrix *X, const int *order, int start);

/* A = sigmoid(XW + b) (m x 1), dW = X^T (A - y) / m (D x 1), db = sum(A - y) / m (1 x 1), all overwritten; X is m x D, y is m x 1. */
void logistic_gradient(Matrix *dW, Matrix *db, Matrix *A, const Matrix *X, const Matrix *W, const Matrix *b,
                       const Matrix *y);

/* epochs of mini-batch gradient descent for logistic regression (shuffle, then batches of batch_size rows, the last one shorter); losses (1 x epochs) gets each epoch's mean loss. */
void minibatch_gradient_descent(Matrix *W, Matrix *b, Matrix *losses, const Matrix *X, const Matrix *y, float lr,
                                int epochs, int batch_size, KitRng *rng);

/* ---- 2.4 Debugging with Numerical Gradients (lessons/2.4-numerical-gradients) ---- */

/* A loss as a function of parameters it reads through context (for example a struct holding X, y, W and b). */
typedef float (*LossFunction)(void *context);

/* grad[k] = (loss with W[k] + h - loss with W[k] - h) / 2h for every element k of W (central differences); grad has W's shape and is overwritten, W is restored exactly. */
void numerical_gradient(Matrix *grad, Matrix *W, LossFunction loss, void *context, float h);

/* max over k of |a_k - b_k| / max(|a_k|, |b_k|, 1), the floored relative error of two gradients of the same shape; NaN if either holds a NaN or an inf. */
float relative_error(const Matrix *a, const Matrix *b);

/* ---- 3.1 Single-Layer Perceptrons (lessons/3.1-perceptron) ---- */

/* A = sigmoid(XW + b) with your linear_layer and sigmoid: M sigmoid neurons; X is N x D, W is D x M, b is 1 x M, A is N x M (overwritten). */
void forward_perceptron(Matrix *A, const Matrix *X, const Matrix *W, const Matrix *b);

/* The fraction (0 to 1) of the elements of A whose prediction (1 when a >= 0.5, else 0) equals y, of the same shape. */
float binary_accuracy(const Matrix *A, const Matrix *y);

/* epochs of full-batch gradient descent on the binary cross-entropy of one neuron, W -= lr X^T (A - y) / N, b -= lr mean(A - y); losses (1 x epochs) gets each epoch's loss before its step. */
void train_perceptron(Matrix *W, Matrix *b, Matrix *losses, const Matrix *X, const Matrix *y, float lr, int epochs);

/* ---- 3.2 Activation Functions for Neural Networks (lessons/3.2-activations) ---- */

/* out = max(0, Z) element by element; out may be Z. */
void relu(Matrix *out, const Matrix *Z);

/* out = 1 where Z > 0, else 0 (the derivative of ReLU, with relu'(0) = 0 by convention); out may be Z. */
void relu_derivative(Matrix *out, const Matrix *Z);

/* out = A (1 - A) element by element, the derivative of sigmoid from its output A = sigmoid(Z); out may be A. */
void sigmoid_derivative(Matrix *out, const Matrix *A);

/* Row by row: out[i][j] = e^(Z[i][j] - m_i) / sum_k e^(Z[i][k] - m_i), with m_i the largest Z[i][k]
 * (the max shift, so that large logits such as 1000 give no inf or NaN); each row sums to 1; out may be Z. */
void softmax(Matrix *out, const Matrix *Z);

/* ---- 3.3 Multi-Layer Perceptrons and Forward Propagation (lessons/3.3-mlp-forward) ---- */

/* Y (N x K) = the one-hot rows of labels (N x 1, classes 0..K-1 as floats): Y[i][labels[i]] = 1, else 0; overwrites Y. */
void one_hot(Matrix *Y, const Matrix *labels);

/* A two-layer network's parameters (chapters 3.3 and 3.4): W1 D x H, b1 1 x H, W2 H x K, b2 1 x K. */
struct Mlp {
    Matrix W1, b1; /* the hidden layer */
    Matrix W2, b2; /* the output layer */
};

/* forward_mlp's cache, the values of the forward pass that backward_mlp reads: Z1, A1 N x H and Z2, A2 N x K. */
typedef struct {
    Matrix Z1, A1; /* the hidden layer's scores X W1 + b1, and relu of them */
    Matrix Z2, A2; /* the output scores A1 W2 + b2, and softmax of them: the probabilities */
} MlpCache;

/* cache->Z1 = X W1 + b1 (N x H), A1 = relu(Z1), Z2 = A1 W2 + b2 (N x K), A2 = softmax(Z2); X is N x D, the parameters those of Mlp; the caller allocates the cache, overwritten. */
void forward_mlp(MlpCache *cache, const Matrix *X, const Mlp *mlp);

/* -(1/N) sum_i sum_k Y[i][k] log(max(A[i][k], 1e-7)), the mean cross-entropy of probabilities A against targets Y (both N x K), in double; never NaN or inf. */
float cross_entropy(const Matrix *A, const Matrix *Y);

/* ---- 3.4 Backpropagation for Training MLPs (lessons/3.4-backpropagation) ---- */

/* backward_mlp's outputs: the gradient of the loss L for each parameter (dW1 = dL/dW1 has W1's shape, and so on)
 * and for each layer's scores (dZ1 N x H, dZ2 N x K). A struct of its own rather than a second Mlp (the CNN's
 * velocity of 4.5 reuses Cnn): named as in the formulas, dW1 reads as the gradient of W1, never as a weight, and
 * the struct also holds dZ1 and dZ2, which have a batch's rows and no parameter of their own. */
typedef struct {
    Matrix dW1, db1, dW2, db2; /* the parameters' gradients, each of its parameter's shape */
    Matrix dZ1, dZ2;           /* the scores' gradients, the batch's rows */
} MlpGradients;

/* The scratch of training the two-layer network, allocated once by kit_mlp_work_create (kit.h) so that no training
 * step allocates: the batch matrices (X m x D, labels m x 1, Y m x K, the cache, and the gradients dZ1, dZ2) have
 * batch_size rows, of which kit_mlp_work_rows makes the current batch's m used; order holds the N examples' order. */
struct KitMlpWork {
    int batch_size, examples;
    Matrix X, labels, Y;       /* the batch, its classes and their one-hot rows */
    MlpCache cache;            /* forward_mlp's output */
    MlpGradients gradients;    /* backward_mlp's output */
    int *order;
};

/* The gradients of the mean cross-entropy of forward_mlp's output: dZ2 = (A2 - Y) / N, dW2 = A1^T dZ2, db2 = column sums of dZ2,
 * dZ1 = (dZ2 W2^T) * relu'(Z1), dW1 = X^T dZ1, db1 = column sums of dZ1; all six gradients overwritten (not added to). */
void backward_mlp(MlpGradients *gradients, const MlpCache *cache, const Matrix *X, const Matrix *Y, const Mlp *mlp);

/* One step of gradient descent on the batch in work->X and work->labels: one_hot, forward_mlp, cross_entropy, backward_mlp,
 * then W -= lr dW for W1, b1, W2, b2; returns the batch's loss before the step. */
float train_mlp_step(Mlp *mlp, KitMlpWork *work, float lr);

/* One epoch: shuffle_indices(work->order), then train_mlp_step on each batch of batch_size rows (the last one shorter),
 * reporting each step to progress (may be NULL); returns the mean of the batch losses weighted by their rows. */
float train_mlp_epoch(Mlp *mlp, const Matrix *X, const Matrix *labels, KitMlpWork *work, float lr, KitRng *rng,
                      KitProgress *progress);

/* ---- 4.1 Deeper MLPs and Vanishing Gradients (lessons/4.1-deeper-mlp) ---- */

/* A three-layer network's parameters (chapters 4.1 and 4.4): W1 D x H1, b1 1 x H1, W2 H1 x H2, b2 1 x H2, W3 H2 x K,
 * b3 1 x K. */
struct Mlp3 {
    Matrix W1, b1; /* the first hidden layer */
    Matrix W2, b2; /* the second hidden layer */
    Matrix W3, b3; /* the output layer */
};

/* forward_mlp3's cache: Z1, A1 N x H1, Z2, A2 N x H2, Z3, A3 N x K (as MlpCache, one layer more). */
typedef struct {
    Matrix Z1, A1, Z2, A2, Z3, A3;
} Mlp3Cache;

/* backward_mlp3's outputs: dW1 .. db3, each of its parameter's shape, and dZ1 N x H1, dZ2 N x H2, dZ3 N x K (as
 * MlpGradients, one layer more). */
typedef struct {
    Matrix dW1, db1, dW2, db2, dW3, db3;
    Matrix dZ1, dZ2, dZ3;
} Mlp3Gradients;

/* The scratch of training the three-layer network (kit_mlp3_work_create, kit.h), as KitMlpWork, with the dropout masks
 * of chapter 4.4 (mask1 m x H1, mask2 m x H2) among the batch matrices. */
struct KitMlp3Work {
    int batch_size, examples;
    Matrix X, labels, Y;
    Mlp3Cache cache;
    Mlp3Gradients gradients;
    Matrix mask1, mask2;
    int *order;
};

/* cache->Z1 = X W1 + b1, A1 = relu(Z1) (N x H1), Z2 = A1 W2 + b2, A2 = relu(Z2) (N x H2), Z3 = A2 W3 + b3, A3 = softmax(Z3) (N x K);
 * the parameters those of Mlp3; the caller allocates the cache, overwritten. */
void forward_mlp3(Mlp3Cache *cache, const Matrix *X, const Mlp3 *mlp);

/* The gradients of the mean cross-entropy of forward_mlp3's output: dZ3 = (A3 - Y) / N, dW3 = A2^T dZ3, db3 = column sums,
 * dZ2 = (dZ3 W3^T) * relu'(Z2), dW2 = A1^T dZ2, db2, dZ1 = (dZ2 W2^T) * relu'(Z1), dW1 = X^T dZ1, db1; all nine gradients
 * overwritten (not added to). */
void backward_mlp3(Mlp3Gradients *gradients, const Mlp3Cache *cache, const Matrix *X, const Matrix *Y, const Mlp3 *mlp);

/* ---- 4.2 Convolutional Layers for CNNs (lessons/4.2-convolution) ---- */

/* The shape of a convolution: images are rows of a Matrix, channel by channel (index c*IH*IW + y*IW + x); filters W
 * are F x (C*k*k) in the same order; the output is N x (F*OH*OW), filter by filter (index f*OH*OW + y*OW + x). */
typedef struct {
    int channels, height, width; /* of each input image: C, IH and IW */
    int kernel, stride;          /* square k x k filters, moved by the same stride along both axes */
} ConvShape;

/* (size - kernel) / stride + 1: the output's height (from the input's height) or width ("valid": no padding). */
static inline int conv_output_size(int size, int kernel, int stride) { return (size - kernel) / stride + 1; }

/* out = the true 2D convolution of image (IH x IW) with kernel (k x k), valid mode: the kernel flipped in both axes, as in scipy.signal.convolve2d(image, kernel, mode='valid'); out is (IH-k+1) x (IW-k+1). */
void convolve2d(Matrix *out, const Matrix *image, const Matrix *kernel);

/* out[n][f][y][x] = b[f] + sum_{c,i,j} X[n][c][y*shape.stride + i][x*shape.stride + j] W[f][c][i][j] (cross-correlation) with direct loops; X is N x (C*IH*IW), W is F x (C*k*k), b is 1 x F, out is N x (F*OH*OW), overwritten. */
void conv2d(Matrix *out, const Matrix *X, const Matrix *W, const Matrix *b, ConvShape shape);

/* columns ((N*OH*OW) x (C*k*k), overwritten): row n*OH*OW + y*OW + x holds the patch of image n under output position (y, x), in W's order. */
void im2col(Matrix *columns, const Matrix *X, ConvShape shape);

/* The same out as conv2d, by im2col into columns (caller-allocated, im2col's shape) and cblas_sgemm; columns keeps
 * im2col(X) for backward_conv2d. */
void conv2d_im2col(Matrix *out, Matrix *columns, const Matrix *X, const Matrix *W, const Matrix *b, ConvShape shape);

/* Given dout = dL/dout (N x F*OH*OW): dW (F x C*k*k) and db (1 x F) overwritten, dX (N x C*IH*IW) overwritten unless it
 * is NULL; columns holds im2col(X), as conv2d_im2col left it, and may be overwritten for dX. */
void backward_conv2d(Matrix *dX, Matrix *dW, Matrix *db, const Matrix *dout, const Matrix *X, const Matrix *W,
                     Matrix *columns, ConvShape shape);

/* ---- 4.3 Pooling and CNN Architecture (lessons/4.3-pooling-cnn) ---- */

/* A CNN of two convolution stages and two dense layers (the sizes and letters of KitCnnSizes and KitCnnLayout, kit.h):
 *   convolution 1 (F1 filters of k x k, stride 1) -> 2x2 max pooling -> ReLU        C x IH x IW ->  F1 x PH1 x PW1
 *   convolution 2 (F2 filters of k x k over the F1 maps) -> 2x2 max pooling -> ReLU  ->  F2 x PH2 x PW2 (P2 values)
 *   dense hidden layer of H units -> ReLU  ->  dense output layer -> softmax over K classes
 * (both poolings are max_pool with size KIT_CNN_POOL, 2, defined once in kit.h; pooling before ReLU gives the same
 * numbers as ReLU before pooling: ReLU and max commute). */
struct Cnn {
    ConvShape shape; /* the input images, C x IH x IW, and the filters' side k; shape.stride must be 1 */
    Matrix W1, b1;   /* convolution 1: F1 x (C*k*k) in conv2d's order, and 1 x F1 */
    Matrix W2, b2;   /* convolution 2: F2 x (F1*k*k), and 1 x F2 */
    Matrix W3, b3;   /* the hidden layer: P2 x H, and 1 x H */
    Matrix W4, b4;   /* the output layer: H x K, and 1 x K */
};

/* The shape of convolution 2's input: the F1 pooled maps of PH1 x PW1 that convolution 1 and pooling make. */
static inline ConvShape cnn_second_shape(const Cnn *cnn)
{
    int OH = conv_output_size(cnn->shape.height, cnn->shape.kernel, 1);
    int OW = conv_output_size(cnn->shape.width, cnn->shape.kernel, 1);
    return (ConvShape){cnn->W1.rows, OH / KIT_CNN_POOL, OW / KIT_CNN_POOL, cnn->shape.kernel, 1};
}

/* out (N x C*(IH/size)*(IW/size)) = the largest value of every size x size window (stride size) of every channel of X
 * (N x C*IH*IW), the last IH % size rows and IW % size columns dropped; argmax[n*out->cols + o] = that value's index in
 * row n of X (the first one on ties, row by row). */
void max_pool(Matrix *out, int *argmax, const Matrix *X, int size, int channels, int height, int width);

/* dX (N x C*IH*IW) = 0, then dX[n][argmax[n*dout->cols + o]] += dout[n][o]: each gradient goes to the element that was
 * its window's largest; dX is overwritten, dout is max_pool's out shape, argmax is max_pool's. */
void backward_max_pool(Matrix *dX, const Matrix *dout, const int *argmax);

/* The forward pass of the batch in work->X, into work: Z1 = conv2d_im2col(X, W1, b1) (with columns1),
 * pooled1 = max_pool(Z1, KIT_CNN_POOL) (argmax1), A1 = relu(pooled1); Z2 = conv2d_im2col(A1, W2, b2) (columns2,
 * cnn_second_shape), pooled2, argmax2, A2 the same; Z3 = linear_layer(A2, W3, b3), A3 = relu(Z3);
 * Z4 = linear_layer(A3, W4, b4), A4 = softmax(Z4). */
void forward_cnn(KitCnnWork *work, const Cnn *cnn);

/* From forward_cnn's cache and work->Y: dZ4 = (A4 - Y) / m, dW4 = A3^T dZ4, db4; dZ3 = (dZ4 W4^T) * relu'(Z3), dW3 = A2^T dZ3,
 * db3; dpooled2 = (dZ3 W3^T) * relu'(pooled2), dZ2 = backward_max_pool(dpooled2), dA1, dW2 and db2 by backward_conv2d;
 * dpooled1 = dA1 * relu'(pooled1), dZ1 = backward_max_pool(dpooled1), dW1 and db1 by backward_conv2d (dX NULL); all overwritten. */
void backward_cnn(KitCnnWork *work, const Cnn *cnn);

/* One step of gradient descent on the batch in work->X and work->labels: one_hot, forward_cnn, cross_entropy,
 * backward_cnn, then W -= lr dW for W1, b1, ..., W4, b4; returns the batch's loss before the step. */
float train_cnn_step(Cnn *cnn, KitCnnWork *work, float lr);

/* One epoch: shuffle_indices(work->order), then train_cnn_step on each batch of batch_size rows (the last one shorter),
 * reporting each step to progress (may be NULL); returns the mean of the batch losses weighted by their rows. */
float train_cnn_epoch(Cnn *cnn, const Matrix *X, const Matrix *labels, KitCnnWork *work, float lr, KitRng *rng,
                      KitProgress *progress);

/* ---- 4.4 Regularization Techniques (lessons/4.4-regularization) ---- */

/* Returns lambda * sum W^2 (summed in double) and adds its gradient 2 lambda W to dW (accumulates; dW may be NULL: penalty only). */
float l2_regularization(Matrix *dW, const Matrix *W, float lambda);

/* Inverted dropout: in training, one kit_rng_uniform draw u per element in row-major order, mask = (u >= rate ? 1 / (1 - rate) : 0),
 * out = A * mask; in evaluation (training 0) out = A and mask = 1, rng unused; out and mask overwritten, out may be A; rate in [0, 1). */
void dropout(Matrix *out, Matrix *mask, const Matrix *A, float rate, int training, KitRng *rng);

/* One step of gradient descent on the three-layer network with dropout (rate) on both hidden activations (masks in
 * work->mask1, mask2) and L2 (lambda) on W1, W2 and W3; gradients into work->gradients, overwritten, then W -= lr dW for
 * all six parameters; returns the batch's cross-entropy plus the penalty, before the update. */
float train_mlp_step_regularized(Mlp3 *mlp, KitMlp3Work *work, float lr, float lambda, float rate, KitRng *rng);

/* ---- 4.5 Advanced Optimization and Capstone (lessons/4.5-momentum-capstone) ---- */

/* One step of classical momentum, element by element: V = beta V - lr dW, then W += V; W, V (the caller's velocity, kept between steps) and dW have one shape. */
void momentum_update(Matrix *W, Matrix *V, const Matrix *dW, float lr, float beta);

/* The fraction (0 to 1) of the N rows of probabilities (N x K) whose largest element (the first on ties) is at the column labels (N x 1) names. */
float accuracy(const Matrix *probabilities, const Matrix *labels);

/* counts (K x K, overwritten)[t][p] = the number of rows of label t predicted p (accuracy's prediction); probabilities N x K, labels N x 1. */
void confusion_matrix(Matrix *counts, const Matrix *probabilities, const Matrix *labels);

/* train_cnn_step with momentum_update(lr, beta) for W1, b1, ..., W4, b4 and their velocities in velocity (the same shapes); returns the loss before the step. */
float train_cnn_step_momentum(Cnn *cnn, Cnn *velocity, KitCnnWork *work, float lr, float beta);

/* train_cnn_epoch with train_cnn_step_momentum: one shuffle, then the batches; returns the mean of the batch losses weighted by their rows. */
float train_cnn_epoch_momentum(Cnn *cnn, Cnn *velocity, const Matrix *X, const Matrix *labels, KitCnnWork *work,
                               float lr, float beta, KitRng *rng, KitProgress *progress);

#endif
