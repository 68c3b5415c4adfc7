/* training.c: the scratch of a training loop and its progress bar. */
#include "kit.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

KitMlpWork kit_mlp_work_create(int examples, int batch_size, int inputs, int hidden, int classes)
{
    if (examples < 1 || batch_size < 1 || inputs < 1 || hidden < 1 || classes < 2)
        kit_fatal("kit_mlp_work_create: %d examples, batch size %d, %d inputs, %d hidden units, %d classes; "
                  "expected at least 1, 1, 1, 1 and 2",
                  examples, batch_size, inputs, hidden, classes);
    KitMlpWork w;
    w.batch_size = batch_size;
    w.examples = examples;
    w.X = kit_matrix_create(batch_size, inputs);
    w.labels = kit_matrix_create(batch_size, 1);
    w.Y = kit_matrix_create(batch_size, classes);
    w.Z1 = kit_matrix_create(batch_size, hidden);
    w.A1 = kit_matrix_create(batch_size, hidden);
    w.Z2 = kit_matrix_create(batch_size, classes);
    w.A2 = kit_matrix_create(batch_size, classes);
    w.dZ2 = kit_matrix_create(batch_size, classes);
    w.dZ1 = kit_matrix_create(batch_size, hidden);
    w.dW1 = kit_matrix_create(inputs, hidden);
    w.db1 = kit_matrix_create(1, hidden);
    w.dW2 = kit_matrix_create(hidden, classes);
    w.db2 = kit_matrix_create(1, classes);
    w.order = malloc((size_t)examples * sizeof *w.order);
    if (!w.order)
        kit_fatal("kit_mlp_work_create: no memory for the order of %d examples", examples);
    for (int i = 0; i < examples; i++)
        w.order[i] = i;
    return w;
}

void kit_mlp_work_rows(KitMlpWork *w, int m)
{
    if (m < 1 || m > w->batch_size)
        kit_fatal("kit_mlp_work_rows: a batch of %d rows; expected 1 to %d (the batch size the work was made for)", m,
                  w->batch_size);
    Matrix *batch[] = {&w->X, &w->labels, &w->Y, &w->Z1, &w->A1, &w->Z2, &w->A2, &w->dZ2, &w->dZ1};
    for (size_t k = 0; k < sizeof batch / sizeof batch[0]; k++)
        batch[k]->rows = m;
}

void kit_mlp_work_free(KitMlpWork *w)
{
    Matrix *all[] = {&w->X,   &w->labels, &w->Y,   &w->Z1,  &w->A1,  &w->Z2, &w->A2,
                     &w->dZ2, &w->dZ1,    &w->dW1, &w->db1, &w->dW2, &w->db2};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        kit_matrix_free(all[k]);
    free(w->order);
    w->order = NULL;
}

KitCnnWork kit_cnn_work_create(int examples, int batch_size, int channels, int height, int width, int kernel,
                               int filters, int classes)
{
    if (examples < 1 || batch_size < 1 || channels < 1 || kernel < 1 || height < kernel + 1 || width < kernel + 1 ||
        filters < 1 || classes < 2)
        kit_fatal("kit_cnn_work_create: %d examples, batch size %d, images %d x %d x %d, filters %d x %d, %d filters, "
                  "%d classes; expected at least 1 example, a batch of 1, 1 channel, images at least one pixel larger "
                  "than the filters (so that the feature maps can be pooled), 1 filter and 2 classes",
                  examples, batch_size, channels, height, width, kernel, kernel, filters, classes);
    int map_height = height - kernel + 1, map_width = width - kernel + 1;
    int maps = filters * map_height * map_width, pooled = filters * (map_height / 2) * (map_width / 2);
    KitCnnWork w;
    w.batch_size = batch_size;
    w.examples = examples;
    w.map_size = map_height * map_width;
    w.X = kit_matrix_create(batch_size, channels * height * width);
    w.labels = kit_matrix_create(batch_size, 1);
    w.Y = kit_matrix_create(batch_size, classes);
    w.columns = kit_matrix_create(batch_size * w.map_size, channels * kernel * kernel);
    w.Z1 = kit_matrix_create(batch_size, maps);
    w.pooled = kit_matrix_create(batch_size, pooled);
    w.A1 = kit_matrix_create(batch_size, pooled);
    w.Z2 = kit_matrix_create(batch_size, classes);
    w.A2 = kit_matrix_create(batch_size, classes);
    w.dZ2 = kit_matrix_create(batch_size, classes);
    w.dpooled = kit_matrix_create(batch_size, pooled);
    w.dZ1 = kit_matrix_create(batch_size, maps);
    w.dW1 = kit_matrix_create(filters, channels * kernel * kernel);
    w.db1 = kit_matrix_create(1, filters);
    w.dW2 = kit_matrix_create(pooled, classes);
    w.db2 = kit_matrix_create(1, classes);
    w.argmax = calloc((size_t)batch_size * pooled, sizeof *w.argmax);
    w.order = malloc((size_t)examples * sizeof *w.order);
    if (!w.argmax || !w.order)
        kit_fatal("kit_cnn_work_create: no memory for the argmax of %d pooled values or the order of %d examples",
                  batch_size * pooled, examples);
    for (int i = 0; i < examples; i++)
        w.order[i] = i;
    return w;
}

void kit_cnn_work_rows(KitCnnWork *w, int m)
{
    if (m < 1 || m > w->batch_size)
        kit_fatal("kit_cnn_work_rows: a batch of %d rows; expected 1 to %d (the batch size the work was made for)", m,
                  w->batch_size);
    Matrix *batch[] = {&w->X,  &w->labels, &w->Y,   &w->Z1,      &w->pooled, &w->A1,
                       &w->Z2, &w->A2,     &w->dZ2, &w->dpooled, &w->dZ1};
    for (size_t k = 0; k < sizeof batch / sizeof batch[0]; k++)
        batch[k]->rows = m;
    w->columns.rows = m * w->map_size;
}

void kit_cnn_work_free(KitCnnWork *w)
{
    Matrix *all[] = {&w->X,   &w->labels,  &w->Y,   &w->columns, &w->Z1,  &w->pooled, &w->A1,  &w->Z2,
                     &w->A2,  &w->dZ2,     &w->dpooled, &w->dZ1, &w->dW1, &w->db1,    &w->dW2, &w->db2};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        kit_matrix_free(all[k]);
    free(w->argmax);
    free(w->order);
    w->argmax = NULL;
    w->order = NULL;
}

double kit_argmax_accuracy(const Matrix *probabilities, const Matrix *labels)
{
    int N = probabilities->rows, C = probabilities->cols;
    kit_require_shape(labels, N, 1, "kit_argmax_accuracy: labels");
    long right = 0;
    for (int i = 0; i < N; i++) {
        const float *row = probabilities->data + (size_t)i * C;
        int best = 0;
        for (int c = 1; c < C; c++)
            if (row[c] > row[best])
                best = c;
        right += best == (int)labels->data[i];
    }
    return N ? (double)right / N : 0.0;
}

void kit_progress_begin(KitProgress *p, int epoch, int epochs, int steps)
{
    p->epoch = epoch, p->epochs = epochs, p->steps = steps, p->step = 0;
    p->loss_sum = 0.0, p->right = 0, p->seen = 0;
    p->started = kit_seconds(), p->drawn = 0.0;
    p->terminal = isatty(STDOUT_FILENO);
    p->step_losses = NULL;
}

static void draw(const KitProgress *p, double now)
{
    enum { WIDTH = 24 };
    int filled = p->steps ? (int)((long)WIDTH * p->step / p->steps) : WIDTH;
    char bar[WIDTH + 1];
    for (int k = 0; k < WIDTH; k++)
        bar[k] = k < filled ? '=' : (k == filled ? '>' : ' ');
    bar[WIDTH] = '\0';
    double spent = now - p->started, left = p->step ? spent * (p->steps - p->step) / p->step : 0.0;
    printf("\repoch %d/%d [%s] %d/%d  loss %.4f  accuracy %5.2f%%  %.1f s, %.1f s left ", p->epoch, p->epochs, bar,
           p->step, p->steps, p->seen ? p->loss_sum / p->seen : 0.0, p->seen ? 100.0 * p->right / p->seen : 0.0,
           spent, left);
    fflush(stdout);
}

void kit_progress_step(KitProgress *p, float loss, const Matrix *probabilities, const Matrix *labels)
{
    if (!p)
        return;
    int m = probabilities->rows;
    if (p->step_losses && p->step < p->steps)
        p->step_losses[p->step] = loss;
    p->step++;
    p->loss_sum += (double)loss * m;
    p->seen += m;
    p->right += (long)(kit_argmax_accuracy(probabilities, labels) * m + 0.5);
    if (p->terminal) {
        double now = kit_seconds();
        if (now - p->drawn >= 0.1 || p->step == p->steps) {
            draw(p, now);
            p->drawn = now;
        }
    }
}

void kit_progress_end(KitProgress *p)
{
    if (p->terminal)
        printf("\r%*s\r", 100, "");
    printf("epoch %d/%d  %d steps  loss %.4f  train accuracy %.2f%%  %.2f s\n", p->epoch, p->epochs, p->step,
           p->seen ? p->loss_sum / p->seen : 0.0, p->seen ? 100.0 * p->right / p->seen : 0.0,
           kit_seconds() - p->started);
    fflush(stdout);
}
