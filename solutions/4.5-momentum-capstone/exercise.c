/*
 * Chapter 4.5: Advanced Optimization and Capstone — your exercise.
 *
 * Write the five functions below, one at a time. After each one, run
 *     make grade CH=4.5
 * to see which checks pass, and
 *     make run CH=4.5
 * to race momentum against plain gradient descent down a narrow valley, then train the course's
 * best model, the CNN of chapter 4.3 with momentum, and look at what it learned and where it errs.
 *     make run CH=4.5 DEMO=final_exam
 * runs the final exam: one program that uses a piece of every module of the course.
 * The lesson is lessons/4.5-momentum-capstone/README.md.
 *
 * Letters used in the shape comments (the course's, listed in course.h):
 *   rows x cols  the shape of a parameter     N or m  examples (rows of a batch)     K  classes
 * The CNN is chapter 4.3's Cnn (see course.h): two convolution stages (W1, b1 and W2, b2, each followed by 2x2 max
 * pooling and ReLU), a hidden dense layer W3, b3 with ReLU and the output layer W4, b4 with softmax. Its velocities
 * are a second Cnn whose eight matrices have the parameters' shapes.
 * The caller allocates every output; your functions only fill it, and a training step allocates nothing.
 * You may use the C library, the kit's helpers and your functions of earlier chapters: shuffle_indices and
 * gather_rows (2.3), one_hot and cross_entropy (3.3), forward_cnn and backward_cnn (4.3).
 */
#include "kit.h"
#include "course.h"

#include <stdlib.h>
#include <string.h>

/*
 * momentum_update: one step of gradient descent with (classical) momentum on one parameter.
 *   V = beta * V - lr * dW        the velocity: a running, decaying sum of past steps
 *   W = W + V                     the parameter moves by the new velocity
 * element by element. W, V and dW have the same shape (rows x cols); W and V are updated in place
 * (V is the caller's: it must survive from one step to the next, and starts at 0), dW does not change.
 * With beta = 0 this is plain gradient descent, W -= lr dW.
 * Example: W = [1, 2], V = [0, 0], dW = [0.5, -1], lr = 0.1, beta = 0.9:
 *          step 1: V = [-0.05, 0.1],   W = [0.95, 2.1]
 *          step 2 (the same dW): V = 0.9 V - 0.1 dW = [-0.095, 0.19], W = [0.855, 2.29]
 * In harness/course.h: One step of classical momentum, element by element: V = beta V - lr dW, then W += V; W, V
 *     (the caller's velocity, kept between steps) and dW have one shape.
 */
void momentum_update(Matrix *W, Matrix *V, const Matrix *dW, float lr, float beta)
{
    /* SOLUTION BEGIN */
    kit_require_shape(V, W->rows, W->cols, "momentum_update: V (the velocity has the parameter's shape)");
    kit_require_shape(dW, W->rows, W->cols, "momentum_update: dW (the gradient has the parameter's shape)");
    size_t n = (size_t)W->rows * W->cols;
    for (size_t k = 0; k < n; k++) {
        V->data[k] = beta * V->data[k] - lr * dW->data[k];
        W->data[k] += V->data[k];
    }
    /* SOLUTION END */
}

/*
 * accuracy: the fraction of rows whose predicted class is their label.
 *   predicted_i = the column of the largest element of row i of probabilities (the first one on ties)
 *   accuracy    = (number of rows i with predicted_i == labels[i]) / N
 * probabilities is N x K (any scores: only their order matters), labels is N x 1 (class numbers 0 to K-1
 * stored as floats). Returns a number from 0 to 1; 0 when N is 0.
 * Example: probabilities = [[0.1, 0.7, 0.2],      labels = [1,      row 0 predicts 1: right
 *                           [0.5, 0.4, 0.1],                2,      row 1 predicts 0: wrong
 *                           [0.3, 0.3, 0.4],                2,      row 2 predicts 2: right
 *                           [0.4, 0.2, 0.4]]                2]      row 3 ties 0 and 2: predicts 0, wrong
 *          accuracy = 2 / 4 = 0.5
 * In harness/course.h: The fraction (0 to 1) of the N rows of probabilities (N x K) whose largest element (the
 *     first on ties) is at the column labels (N x 1) names.
 */
float accuracy(const Matrix *probabilities, const Matrix *labels)
{
    /* SOLUTION BEGIN */
    int N = probabilities->rows, K = probabilities->cols;
    kit_require_shape(labels, N, 1, "accuracy: labels");
    if (N == 0)
        return 0.0f;
    int right = 0;
    for (int i = 0; i < N; i++) {
        const float *row = probabilities->data + (size_t)i * K;
        int best = 0;
        for (int k = 1; k < K; k++)
            if (row[k] > row[best])
                best = k;
        right += best == (int)labels->data[i];
    }
    return (float)right / (float)N;
    /* SOLUTION END */
}

/*
 * confusion_matrix: counts[t][p] = the number of rows whose label is t and whose predicted class is p,
 * with the prediction of accuracy (the largest probability, the first one on ties).
 * probabilities is N x K, labels is N x 1, counts is K x K and overwritten: rows are the true classes,
 * columns the predicted ones, so the diagonal holds the right answers and the sum of all counts is N.
 * Example: the four rows of accuracy's example give (K = 3)
 *          counts = [[0, 0, 0],
 *                    [0, 1, 0],
 *                    [2, 0, 1]]     (the two rows of class 2 predicted 0 are at row 2, column 0)
 * In harness/course.h: counts (K x K, overwritten)[t][p] = the number of rows of label t predicted p (accuracy's
 *     prediction); probabilities N x K, labels N x 1.
 */
void confusion_matrix(Matrix *counts, const Matrix *probabilities, const Matrix *labels)
{
    /* SOLUTION BEGIN */
    int N = probabilities->rows, K = probabilities->cols;
    kit_require_shape(labels, N, 1, "confusion_matrix: labels");
    kit_require_shape(counts, K, K, "confusion_matrix: counts");
    memset(counts->data, 0, (size_t)K * K * sizeof *counts->data);
    for (int i = 0; i < N; i++) {
        const float *row = probabilities->data + (size_t)i * K;
        int best = 0;
        for (int k = 1; k < K; k++)
            if (row[k] > row[best])
                best = k;
        int label = (int)labels->data[i];
        if (label < 0 || label >= K)
            kit_fatal("confusion_matrix: labels[%d] is %d; expected a class from 0 to %d", i, label, K - 1);
        counts->data[(size_t)label * K + best] += 1.0f;
    }
    /* SOLUTION END */
}

/*
 * train_cnn_step_momentum: train_cnn_step of chapter 4.3 with momentum_update in place of W -= lr dW.
 * The batch is in work->X (m x C*IH*IW) and work->labels (m x 1), m = work->X.rows. In order:
 *   1. work->Y = one_hot(work->labels)
 *   2. forward_cnn(work, cnn)
 *   3. loss = cross_entropy(work->A4, work->Y)                (before the step)
 *   4. backward_cnn(work, cnn)
 *   5. momentum_update(&cnn->W1, &velocity->W1, &work->dW1, lr, beta), and the same for b1, W2, b2, ..., W4, b4
 * velocity holds the eight velocities, each with its parameter's shape (velocity->shape is not used);
 * they start at 0 and carry over from step to step. Returns the loss of step 3.
 * Example: with beta = 0 the step is exactly train_cnn_step's.
 * In harness/course.h: train_cnn_step with momentum_update(lr, beta) for W1, b1, ..., W4, b4 and their velocities
 *     in velocity (the same shapes); returns the loss before the step.
 */
float train_cnn_step_momentum(Cnn *cnn, Cnn *velocity, KitCnnWork *work, float lr, float beta)
{
    /* SOLUTION BEGIN */
    KitCnnWork *w = work;
    one_hot(&w->Y, &w->labels);
    forward_cnn(w, cnn);
    float loss = cross_entropy(&w->A4, &w->Y);
    backward_cnn(w, cnn);
    Matrix *parameters[] = {&cnn->W1, &cnn->b1, &cnn->W2, &cnn->b2, &cnn->W3, &cnn->b3, &cnn->W4, &cnn->b4};
    Matrix *velocities[] = {&velocity->W1, &velocity->b1, &velocity->W2, &velocity->b2,
                            &velocity->W3, &velocity->b3, &velocity->W4, &velocity->b4};
    const Matrix *gradients[] = {&w->dW1, &w->db1, &w->dW2, &w->db2, &w->dW3, &w->db3, &w->dW4, &w->db4};
    for (int p = 0; p < 8; p++)
        momentum_update(parameters[p], velocities[p], gradients[p], lr, beta);
    return loss;
    /* SOLUTION END */
}

/*
 * train_cnn_epoch_momentum: train_cnn_epoch of chapter 4.3 with train_cnn_step_momentum:
 *   shuffle_indices(work->order, N, rng)
 *   for start = 0, B, 2B, ... below N (B = work->batch_size):
 *       m = min(B, N - start)
 *       kit_cnn_work_rows(work, m)
 *       gather_rows(&work->X, X, work->order, start) and the same for labels into work->labels
 *       loss = train_cnn_step_momentum(cnn, velocity, work, lr, beta)
 *       kit_progress_step(progress, loss, &work->A4, &work->labels)   (progress may be NULL)
 * Returns the epoch's mean loss: the sum of loss * m over the steps, divided by N. The velocities
 * carry over from epoch to epoch too: never reset them here.
 * In harness/course.h: train_cnn_epoch with train_cnn_step_momentum: one shuffle, then the batches; returns the
 *     mean of the batch losses weighted by their rows.
 */
float train_cnn_epoch_momentum(Cnn *cnn, Cnn *velocity, const Matrix *X, const Matrix *labels, KitCnnWork *work,
                               float lr, float beta, KitRng *rng, KitProgress *progress)
{
    /* SOLUTION BEGIN */
    int N = X->rows, B = work->batch_size;
    if (work->examples != N)
        kit_fatal("train_cnn_epoch_momentum: the work was made for %d examples, X has %d rows", work->examples, N);
    kit_require_shape(labels, N, 1, "train_cnn_epoch_momentum: labels");
    shuffle_indices(work->order, N, rng);
    double total = 0.0;
    for (int start = 0; start < N; start += B) {
        int m = N - start < B ? N - start : B;
        kit_cnn_work_rows(work, m);
        gather_rows(&work->X, X, work->order, start);
        gather_rows(&work->labels, labels, work->order, start);
        float loss = train_cnn_step_momentum(cnn, velocity, work, lr, beta);
        kit_progress_step(progress, loss, &work->A4, &work->labels);
        total += (double)loss * m;
    }
    return (float)(total / N);
    /* SOLUTION END */
}
