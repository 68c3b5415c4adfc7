/* training.c: the scratch of a training loop and its progress bar. */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

Mlp kit_mlp_create(int inputs, int hidden, int classes, KitRng *rng)
{
    if (inputs < 1 || hidden < 1 || classes < 2)
        kit_fatal("kit_mlp_create: %d inputs, %d hidden units, %d classes; expected at least 1, 1 and 2", inputs,
                  hidden, classes);
    Mlp n;
    n.W1 = kit_matrix_create(inputs, hidden), n.b1 = kit_matrix_create(1, hidden);
    n.W2 = kit_matrix_create(hidden, classes), n.b2 = kit_matrix_create(1, classes);
    if (rng) {
        kit_matrix_fill_normal(&n.W1, rng, 0.0f, sqrtf(2.0f / inputs));
        kit_matrix_fill_normal(&n.W2, rng, 0.0f, sqrtf(2.0f / hidden));
    }
    return n;
}

void kit_mlp_free(Mlp *n)
{
    Matrix *all[] = {&n->W1, &n->b1, &n->W2, &n->b2};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        kit_matrix_free(all[k]);
}

Mlp3 kit_mlp3_create(int inputs, int hidden1, int hidden2, int classes, KitRng *rng)
{
    if (inputs < 1 || hidden1 < 1 || hidden2 < 1 || classes < 2)
        kit_fatal("kit_mlp3_create: %d inputs, %d and %d hidden units, %d classes; expected at least 1, 1, 1 and 2",
                  inputs, hidden1, hidden2, classes);
    Mlp3 n;
    n.W1 = kit_matrix_create(inputs, hidden1), n.b1 = kit_matrix_create(1, hidden1);
    n.W2 = kit_matrix_create(hidden1, hidden2), n.b2 = kit_matrix_create(1, hidden2);
    n.W3 = kit_matrix_create(hidden2, classes), n.b3 = kit_matrix_create(1, classes);
    if (rng) {
        kit_matrix_fill_normal(&n.W1, rng, 0.0f, sqrtf(2.0f / inputs));
        kit_matrix_fill_normal(&n.W2, rng, 0.0f, sqrtf(2.0f / hidden1));
        kit_matrix_fill_normal(&n.W3, rng, 0.0f, sqrtf(2.0f / hidden2));
    }
    return n;
}

void kit_mlp3_free(Mlp3 *n)
{
    Matrix *all[] = {&n->W1, &n->b1, &n->W2, &n->b2, &n->W3, &n->b3};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        kit_matrix_free(all[k]);
}

/* order = 0, 1, ..., examples - 1, allocated for the work that function (its name, for the message) makes. */
static int *first_order(int examples, const char *function)
{
    int *order = malloc((size_t)examples * sizeof *order);
    if (!order)
        kit_fatal("%s: no memory for the order of %d examples", function, examples);
    for (int i = 0; i < examples; i++)
        order[i] = i;
    return order;
}

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
    MlpCache *c = &w.cache;
    c->Z1 = kit_matrix_create(batch_size, hidden), c->A1 = kit_matrix_create(batch_size, hidden);
    c->Z2 = kit_matrix_create(batch_size, classes), c->A2 = kit_matrix_create(batch_size, classes);
    MlpGradients *g = &w.gradients;
    g->dW1 = kit_matrix_create(inputs, hidden), g->db1 = kit_matrix_create(1, hidden);
    g->dW2 = kit_matrix_create(hidden, classes), g->db2 = kit_matrix_create(1, classes);
    g->dZ1 = kit_matrix_create(batch_size, hidden), g->dZ2 = kit_matrix_create(batch_size, classes);
    w.order = first_order(examples, "kit_mlp_work_create");
    return w;
}

void kit_mlp_work_rows(KitMlpWork *w, int m)
{
    if (m < 1 || m > w->batch_size)
        kit_fatal("kit_mlp_work_rows: a batch of %d rows; expected 1 to %d (the batch size the work was made for)", m,
                  w->batch_size);
    MlpCache *c = &w->cache;
    Matrix *batch[] = {&w->X, &w->labels, &w->Y, &c->Z1, &c->A1, &c->Z2, &c->A2, &w->gradients.dZ1,
                       &w->gradients.dZ2};
    for (size_t k = 0; k < sizeof batch / sizeof batch[0]; k++)
        batch[k]->rows = m;
}

void kit_mlp_work_free(KitMlpWork *w)
{
    MlpCache *c = &w->cache;
    MlpGradients *g = &w->gradients;
    Matrix *all[] = {&w->X,   &w->labels, &w->Y,   &c->Z1,  &c->A1,  &c->Z2,  &c->A2,
                     &g->dW1, &g->db1,    &g->dW2, &g->db2, &g->dZ1, &g->dZ2};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        kit_matrix_free(all[k]);
    free(w->order);
    w->order = NULL;
}

KitMlp3Work kit_mlp3_work_create(int examples, int batch_size, int inputs, int hidden1, int hidden2, int classes)
{
    if (examples < 1 || batch_size < 1 || inputs < 1 || hidden1 < 1 || hidden2 < 1 || classes < 2)
        kit_fatal("kit_mlp3_work_create: %d examples, batch size %d, %d inputs, %d and %d hidden units, %d classes; "
                  "expected at least 1, 1, 1, 1, 1 and 2",
                  examples, batch_size, inputs, hidden1, hidden2, classes);
    int B = batch_size;
    KitMlp3Work w;
    w.batch_size = B;
    w.examples = examples;
    w.X = kit_matrix_create(B, inputs), w.labels = kit_matrix_create(B, 1), w.Y = kit_matrix_create(B, classes);
    Mlp3Cache *c = &w.cache;
    c->Z1 = kit_matrix_create(B, hidden1), c->A1 = kit_matrix_create(B, hidden1);
    c->Z2 = kit_matrix_create(B, hidden2), c->A2 = kit_matrix_create(B, hidden2);
    c->Z3 = kit_matrix_create(B, classes), c->A3 = kit_matrix_create(B, classes);
    Mlp3Gradients *g = &w.gradients;
    g->dW1 = kit_matrix_create(inputs, hidden1), g->db1 = kit_matrix_create(1, hidden1);
    g->dW2 = kit_matrix_create(hidden1, hidden2), g->db2 = kit_matrix_create(1, hidden2);
    g->dW3 = kit_matrix_create(hidden2, classes), g->db3 = kit_matrix_create(1, classes);
    g->dZ1 = kit_matrix_create(B, hidden1), g->dZ2 = kit_matrix_create(B, hidden2);
    g->dZ3 = kit_matrix_create(B, classes);
    w.mask1 = kit_matrix_create(B, hidden1), w.mask2 = kit_matrix_create(B, hidden2);
    w.order = first_order(examples, "kit_mlp3_work_create");
    return w;
}

void kit_mlp3_work_rows(KitMlp3Work *w, int m)
{
    if (m < 1 || m > w->batch_size)
        kit_fatal("kit_mlp3_work_rows: a batch of %d rows; expected 1 to %d (the batch size the work was made for)",
                  m, w->batch_size);
    Mlp3Cache *c = &w->cache;
    Mlp3Gradients *g = &w->gradients;
    Matrix *batch[] = {&w->X,  &w->labels, &w->Y,  &c->Z1,    &c->A1,   &c->Z2, &c->A2,
                       &c->Z3, &c->A3,     &g->dZ1, &g->dZ2, &g->dZ3, &w->mask1, &w->mask2};
    for (size_t k = 0; k < sizeof batch / sizeof batch[0]; k++)
        batch[k]->rows = m;
}

void kit_mlp3_work_free(KitMlp3Work *w)
{
    Mlp3Cache *c = &w->cache;
    Mlp3Gradients *g = &w->gradients;
    Matrix *all[] = {&w->X,   &w->labels, &w->Y,   &c->Z1,  &c->A1,  &c->Z2,  &c->A2,    &c->Z3,    &c->A3,
                     &g->dW1, &g->db1,    &g->dW2, &g->db2, &g->dW3, &g->db3, &g->dZ1,   &g->dZ2,   &g->dZ3,
                     &w->mask1, &w->mask2};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        kit_matrix_free(all[k]);
    free(w->order);
    w->order = NULL;
}

KitCnnLayout kit_cnn_layout(KitCnnSizes z)
{
    KitCnnLayout l;
    l.OH1 = z.height - z.kernel + 1, l.OW1 = z.width - z.kernel + 1;
    l.PH1 = l.OH1 / KIT_CNN_POOL, l.PW1 = l.OW1 / KIT_CNN_POOL;
    l.OH2 = l.PH1 - z.kernel + 1, l.OW2 = l.PW1 - z.kernel + 1;
    l.PH2 = l.OH2 / KIT_CNN_POOL, l.PW2 = l.OW2 / KIT_CNN_POOL;
    /* the smallest image side with PH2 >= 1: OH2 >= pool, so PH1 >= pool + kernel - 1 and OH1 >= pool * that */
    int smallest = KIT_CNN_POOL * (KIT_CNN_POOL + z.kernel - 1) + z.kernel - 1;
    if (z.channels < 1 || z.kernel < 1 || z.filters1 < 1 || z.filters2 < 1 || z.hidden < 1 || z.classes < 2 ||
        l.PH2 < 1 || l.PW2 < 1)
        kit_fatal("the CNN's sizes: images %d x %d x %d, filters %d x %d, %d and %d filters, %d hidden units, %d classes; "
                  "expected at least 1 channel, 1 filter in each convolution, 1 hidden unit, 2 classes and images large "
                  "enough for two convolutions each followed by %dx%d pooling (at least %d x %d for %d x %d filters)",
                  z.channels, z.height, z.width, z.kernel, z.kernel, z.filters1, z.filters2, z.hidden, z.classes,
                  KIT_CNN_POOL, KIT_CNN_POOL, smallest, smallest, z.kernel, z.kernel);
    l.maps1 = z.filters1 * l.OH1 * l.OW1, l.pooled1 = z.filters1 * l.PH1 * l.PW1;
    l.maps2 = z.filters2 * l.OH2 * l.OW2, l.pooled2 = z.filters2 * l.PH2 * l.PW2;
    return l;
}

KitCnnWork kit_cnn_work_create(int examples, int batch_size, KitCnnSizes z)
{
    if (examples < 1 || batch_size < 1)
        kit_fatal("kit_cnn_work_create: %d examples in batches of %d; expected at least 1 of each", examples,
                  batch_size);
    KitCnnLayout l = kit_cnn_layout(z);
    int B = batch_size, patch1 = z.channels * z.kernel * z.kernel, patch2 = z.filters1 * z.kernel * z.kernel;
    KitCnnWork w;
    w.batch_size = B;
    w.examples = examples;
    w.sizes = z;
    w.layout = l;
    w.X = kit_matrix_create(B, z.channels * z.height * z.width);
    w.labels = kit_matrix_create(B, 1);
    w.Y = kit_matrix_create(B, z.classes);
    w.columns1 = kit_matrix_create(B * l.OH1 * l.OW1, patch1);
    w.Z1 = kit_matrix_create(B, l.maps1);
    w.pooled1 = kit_matrix_create(B, l.pooled1);
    w.A1 = kit_matrix_create(B, l.pooled1);
    w.columns2 = kit_matrix_create(B * l.OH2 * l.OW2, patch2);
    w.Z2 = kit_matrix_create(B, l.maps2);
    w.pooled2 = kit_matrix_create(B, l.pooled2);
    w.A2 = kit_matrix_create(B, l.pooled2);
    w.Z3 = kit_matrix_create(B, z.hidden);
    w.A3 = kit_matrix_create(B, z.hidden);
    w.Z4 = kit_matrix_create(B, z.classes);
    w.A4 = kit_matrix_create(B, z.classes);
    w.dZ4 = kit_matrix_create(B, z.classes);
    w.dZ3 = kit_matrix_create(B, z.hidden);
    w.dpooled2 = kit_matrix_create(B, l.pooled2);
    w.dZ2 = kit_matrix_create(B, l.maps2);
    w.dA1 = kit_matrix_create(B, l.pooled1);
    w.dpooled1 = kit_matrix_create(B, l.pooled1);
    w.dZ1 = kit_matrix_create(B, l.maps1);
    w.dW1 = kit_matrix_create(z.filters1, patch1);
    w.db1 = kit_matrix_create(1, z.filters1);
    w.dW2 = kit_matrix_create(z.filters2, patch2);
    w.db2 = kit_matrix_create(1, z.filters2);
    w.dW3 = kit_matrix_create(l.pooled2, z.hidden);
    w.db3 = kit_matrix_create(1, z.hidden);
    w.dW4 = kit_matrix_create(z.hidden, z.classes);
    w.db4 = kit_matrix_create(1, z.classes);
    w.argmax1 = calloc((size_t)B * l.pooled1, sizeof *w.argmax1);
    w.argmax2 = calloc((size_t)B * l.pooled2, sizeof *w.argmax2);
    w.order = malloc((size_t)examples * sizeof *w.order);
    if (!w.argmax1 || !w.argmax2 || !w.order)
        kit_fatal("kit_cnn_work_create: no memory for the argmax of %d and %d pooled values or the order of %d "
                  "examples", B * l.pooled1, B * l.pooled2, examples);
    for (int i = 0; i < examples; i++)
        w.order[i] = i;
    return w;
}

void kit_cnn_work_rows(KitCnnWork *w, int m)
{
    if (m < 1 || m > w->batch_size)
        kit_fatal("kit_cnn_work_rows: a batch of %d rows; expected 1 to %d (the batch size the work was made for)", m,
                  w->batch_size);
    Matrix *batch[] = {&w->X,   &w->labels, &w->Y,   &w->Z1,       &w->pooled1, &w->A1,  &w->Z2,
                       &w->pooled2, &w->A2, &w->Z3,  &w->A3,       &w->Z4,      &w->A4,  &w->dZ4,
                       &w->dZ3, &w->dpooled2, &w->dZ2, &w->dA1,    &w->dpooled1, &w->dZ1};
    for (size_t k = 0; k < sizeof batch / sizeof batch[0]; k++)
        batch[k]->rows = m;
    w->columns1.rows = m * w->layout.OH1 * w->layout.OW1;
    w->columns2.rows = m * w->layout.OH2 * w->layout.OW2;
}

void kit_cnn_work_free(KitCnnWork *w)
{
    Matrix *all[] = {&w->X,   &w->labels, &w->Y,        &w->columns1, &w->Z1,  &w->pooled1, &w->A1,
                     &w->columns2, &w->Z2, &w->pooled2, &w->A2,       &w->Z3,  &w->A3,      &w->Z4,
                     &w->A4,  &w->dZ4,    &w->dZ3,      &w->dpooled2, &w->dZ2, &w->dA1,     &w->dpooled1,
                     &w->dZ1, &w->dW1,    &w->db1,      &w->dW2,      &w->db2, &w->dW3,     &w->db3,
                     &w->dW4, &w->db4};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        kit_matrix_free(all[k]);
    free(w->argmax1);
    free(w->argmax2);
    free(w->order);
    w->argmax1 = w->argmax2 = NULL;
    w->order = NULL;
}

Cnn kit_cnn_create(KitCnnSizes z, KitRng *rng)
{
    KitCnnLayout l = kit_cnn_layout(z);
    int patch1 = z.channels * z.kernel * z.kernel, patch2 = z.filters1 * z.kernel * z.kernel;
    Cnn c;
    c.shape = (ConvShape){z.channels, z.height, z.width, z.kernel, 1};
    c.W1 = kit_matrix_create(z.filters1, patch1), c.b1 = kit_matrix_create(1, z.filters1);
    c.W2 = kit_matrix_create(z.filters2, patch2), c.b2 = kit_matrix_create(1, z.filters2);
    c.W3 = kit_matrix_create(l.pooled2, z.hidden), c.b3 = kit_matrix_create(1, z.hidden);
    c.W4 = kit_matrix_create(z.hidden, z.classes), c.b4 = kit_matrix_create(1, z.classes);
    if (rng) {
        kit_matrix_fill_normal(&c.W1, rng, 0.0f, sqrtf(2.0f / patch1));
        kit_matrix_fill_normal(&c.W2, rng, 0.0f, sqrtf(2.0f / patch2));
        kit_matrix_fill_normal(&c.W3, rng, 0.0f, sqrtf(2.0f / l.pooled2));
        kit_matrix_fill_normal(&c.W4, rng, 0.0f, sqrtf(2.0f / z.hidden));
    }
    return c;
}

void kit_cnn_free(Cnn *c)
{
    Matrix *all[] = {&c->W1, &c->b1, &c->W2, &c->b2, &c->W3, &c->b3, &c->W4, &c->b4};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        kit_matrix_free(all[k]);
}

KitCnnSizes kit_cnn_sizes(const Cnn *c)
{
    return (KitCnnSizes){c->shape.channels, c->shape.height, c->shape.width, c->shape.kernel,
                         c->W1.rows,       c->W2.rows,       c->W3.cols,      c->W4.cols};
}

double kit_argmax_accuracy(const Matrix *probabilities, const Matrix *labels)
{
    int N = probabilities->rows, K = probabilities->cols;
    kit_require_shape(labels, N, 1, "kit_argmax_accuracy: labels");
    long right = 0;
    for (int i = 0; i < N; i++) {
        const float *row = probabilities->data + (size_t)i * K;
        int best = 0;
        for (int c = 1; c < K; c++)
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
    p->watch = NULL, p->watch_context = NULL;
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
    if (p->watch)
        p->watch(p, p->watch_context);
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
