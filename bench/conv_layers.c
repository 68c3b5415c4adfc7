/*
 * conv_layers.c: where a training step of chapter 4.3's CNN spends its time, layer by layer, and the direct
 * convolution of conv_direct.c against im2col + sgemm on the layers of the CNNs of 4.3 and 4.5.
 *
 * Built with the reference solutions by bench/conv_layers.sh (make bench-conv); the step's parts run on a random
 * batch of 64 images of 28 x 28 (the data set does not change the time of a step).
 *   conv_layers [--runs N] [--steps S] [--epochs E]
 * It first checks the direct kernels against conv2d and backward_conv2d on odd shapes (exit status 1 if one
 * differs); --runs 0 stops there. --epochs E also trains E epochs of each CNN on the data set each way.
 */
#include "kit.h"
#include "course.h"
#include "conv_direct.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


/* ---- the largest difference between two matrices, relative to the largest magnitude of the first ---- */
static double difference(const Matrix *a, const Matrix *b)
{
    double largest = 1e-30, worst = 0.0;
    size_t count = (size_t)a->rows * a->cols;
    for (size_t k = 0; k < count; k++) {
        largest = fmax(largest, fabs(a->data[k]));
        worst = fmax(worst, fabs((double)a->data[k] - b->data[k]));
    }
    return worst / largest;
}

/* The direct kernels against the naive conv2d (forward) and backward_conv2d with im2col (backward) on odd shapes. */
static int check_kernels(void)
{
    struct {
        int N, C, height, width, k, stride, F;
    } cases[] = {{3, 1, 7, 9, 3, 1, 2},  {2, 3, 8, 5, 3, 2, 4},  {1, 2, 11, 13, 5, 1, 3}, {2, 4, 9, 10, 2, 2, 5},
                 {4, 8, 13, 13, 3, 1, 16}, {2, 1, 28, 28, 3, 1, 8}, {1, 5, 6, 6, 1, 1, 3}, {2, 2, 10, 7, 4, 3, 2}};
    int failures = 0;
    KitRng rng;
    kit_rng_seed(&rng, 17);
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
        ConvShape s = {cases[t].C, cases[t].height, cases[t].width, cases[t].k, cases[t].stride};
        int N = cases[t].N, F = cases[t].F, OH = conv_output_size(s.height, s.kernel, s.stride);
        int OW = conv_output_size(s.width, s.kernel, s.stride), patch = s.channels * s.kernel * s.kernel;
        Matrix X = kit_matrix_create(N, s.channels * s.height * s.width), W = kit_matrix_create(F, patch);
        Matrix b = kit_matrix_create(1, F), out = kit_matrix_create(N, F * OH * OW), fast = kit_matrix_create(N, F * OH * OW);
        Matrix columns = kit_matrix_create(N * OH * OW, patch), dout = kit_matrix_create(N, F * OH * OW);
        Matrix dX = kit_matrix_create(N, X.cols), dW = kit_matrix_create(F, patch), db = kit_matrix_create(1, F);
        Matrix dX2 = kit_matrix_create(N, X.cols), dW2 = kit_matrix_create(F, patch), db2 = kit_matrix_create(1, F);
        kit_matrix_fill_normal(&X, &rng, 0.0f, 1.0f), kit_matrix_fill_normal(&W, &rng, 0.0f, 1.0f);
        kit_matrix_fill_uniform(&b, &rng, -1.0f, 1.0f), kit_matrix_fill_normal(&dout, &rng, 0.0f, 1.0f);
        conv2d(&out, &X, &W, &b, s);
        /* the direct kernels' scratch: a padded gradient map for each filter, or a map as wide as the image */
        Matrix scratch = kit_matrix_create(1, (int)conv_direct_scratch_size(s, F));
        conv2d_direct(&fast, &scratch, &X, &W, &b, s);
        im2col(&columns, &X, s);
        backward_conv2d(&dX, &dW, &db, &dout, &X, &W, &columns, s);
        backward_conv2d_direct(&dX2, &dW2, &db2, &dout, &X, &W, &scratch, s);
        double errors[4] = {difference(&out, &fast), difference(&dW, &dW2), difference(&db, &db2),
                            difference(&dX, &dX2)};
        int bad = errors[0] > 1e-5 || errors[1] > 1e-5 || errors[2] > 1e-5 || errors[3] > 1e-5;
        printf("  N=%d C=%d %2dx%-2d k=%d stride %d F=%2d: out %.1e, dW %.1e, db %.1e, dX %.1e  %s\n", N, s.channels,
               s.height, s.width, s.kernel, s.stride, F, errors[0], errors[1], errors[2], errors[3], bad ? "WRONG" : "ok");
        failures += bad;
        Matrix *all[] = {&X, &W, &b, &out, &fast, &columns, &dout, &dX, &dW, &db, &dX2, &dW2, &db2, &scratch};
        for (size_t m = 0; m < sizeof all / sizeof all[0]; m++)
            kit_matrix_free(all[m]);
    }
    return failures;
}

/* The processor time of this thread, in seconds: the machines here are shared, and a wall clock would count the time
 * other programs ran (OpenBLAS runs on this thread alone, see main). */
static double cpu_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return now.tv_sec + now.tv_nsec * 1e-9;
}

static int runs = 5, steps = 30;
static const double steps_an_epoch = 60000.0 / 64.0;

/* The median over runs of the seconds of steps repetitions of statement, as seconds an epoch (938 batches of 64). */
#define EPOCH_SECONDS(result, statement)                                                                             \
    do {                                                                                                             \
        double times_[64];                                                                                           \
        for (int r_ = 0; r_ < runs; r_++) {                                                                          \
            double started_ = cpu_seconds();                                                                         \
            for (int s_ = 0; s_ < steps; s_++) {                                                                     \
                statement;                                                                                           \
            }                                                                                                        \
            times_[r_] = (cpu_seconds() - started_) / steps * steps_an_epoch;                                        \
        }                                                                                                            \
        (result) = kit_median(times_, runs);                                                                             \
    } while (0)

static void line(const char *what, double seconds, double flops, double total)
{
    printf("  %-44s %7.3f s an epoch  %5.1f%%", what, seconds, 100.0 * seconds / total);
    if (flops > 0.0)
        printf("  %6.1f GFLOP/s", flops * steps_an_epoch / seconds / 1e9);
    printf("\n");
}

/* The sgemm peak in processor time: the median GFLOP/s of 9 products of two 1024 x 1024 matrices. */
static double sgemm_peak(void)
{
    enum { n = 1024, products = 9 };
    Matrix A = kit_matrix_create(n, n), B = kit_matrix_create(n, n), C = kit_matrix_create(n, n);
    KitRng rng;
    kit_rng_seed(&rng, 8);
    kit_matrix_fill_uniform(&A, &rng, -1.0f, 1.0f), kit_matrix_fill_uniform(&B, &rng, -1.0f, 1.0f);
    double rates[products];
    for (int r = 0; r < products; r++) {
        double started = cpu_seconds();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, A.data, n, B.data, n, 0.0f, C.data, n);
        rates[r] = 2.0 * n * n * (double)n / (cpu_seconds() - started) / 1e9;
    }
    kit_matrix_free(&A), kit_matrix_free(&B), kit_matrix_free(&C);
    return kit_median(rates, products);
}

/* The floating-point operations of the products of one epoch of 60,000 images, as bench.c's cnn_flops counts them:
 * each convolution's forward product and its dW, convolution 2's dX, and the dense layers' three products. */
static double epoch_flops(KitCnnSizes z)
{
    KitCnnLayout l = kit_cnn_layout(z);
    double conv1 = 2.0 * l.OH1 * l.OW1 * z.channels * z.kernel * z.kernel * z.filters1;
    double conv2 = 2.0 * l.OH2 * l.OW2 * z.filters1 * z.kernel * z.kernel * z.filters2;
    double dense = 2.0 * l.pooled2 * z.hidden + 2.0 * z.hidden * z.classes;
    return 60000.0 * (2.0 * conv1 + 3.0 * conv2 + 3.0 * dense);
}

static double peak; /* GFLOP/s, measured in main */

/* conv2d_im2col with one sgemm for the whole batch instead of one per image: maps (F x N*OH*OW) = W times columns^T,
 * then each filter's block of N maps copied into out's image-major order, with the bias. maps holds F*N*OH*OW. */
static void conv2d_im2col_batched(Matrix *out, Matrix *columns, Matrix *maps, const Matrix *X, const Matrix *W,
                                  const Matrix *b, ConvShape shape)
{
    int N = X->rows, F = W->rows, k = shape.kernel;
    int map_size = conv_output_size(shape.height, k, shape.stride) * conv_output_size(shape.width, k, shape.stride);
    int patch_size = shape.channels * k * k;
    im2col(columns, X, shape);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, F, N * map_size, patch_size, 1.0f, W->data, patch_size,
                columns->data, patch_size, 0.0f, maps->data, N * map_size);
    for (int f = 0; f < F; f++)
        for (int n = 0; n < N; n++) {
            const float *from = maps->data + ((size_t)f * N + n) * map_size;
            float *to = out->data + ((size_t)n * F + f) * map_size, bias = b->data[f];
            for (int p = 0; p < map_size; p++)
                to[p] = from[p] + bias;
        }
}

/* One CNN's step, layer by layer, with im2col + sgemm, then its convolutions with the direct kernels. */
static void profile(const char *name, KitCnnSizes z)
{
    KitRng rng;
    kit_rng_seed(&rng, 43);
    Cnn cnn = kit_cnn_create(z, &rng);
    KitCnnWork work = kit_cnn_work_create(64, 64, z), *w = &work;
    KitCnnLayout l = kit_cnn_layout(z);
    kit_cnn_work_rows(w, 64);
    kit_matrix_fill_uniform(&w->X, &rng, 0.0f, 1.0f);
    for (int n = 0; n < 64; n++)
        w->labels.data[n] = (float)(n % 10);
    one_hot(&w->Y, &w->labels);
    ConvShape shape1 = cnn.shape, shape2 = cnn_second_shape(&cnn);
    int F1 = z.filters1, F2 = z.filters2;
    double conv1 = 2.0 * 64 * l.OH1 * l.OW1 * z.channels * z.kernel * z.kernel * F1;
    double conv2 = 2.0 * 64 * l.OH2 * l.OW2 * F1 * z.kernel * z.kernel * F2;
    double dense = 2.0 * 64 * (l.pooled2 * z.hidden + z.hidden * z.classes);
    forward_cnn(w, &cnn);
    backward_cnn(w, &cnn);

    Matrix maps = kit_matrix_create(1, 64 * (l.maps1 > l.maps2 ? l.maps1 : l.maps2));
    double step, t[20];
    EPOCH_SECONDS(step, forward_cnn(w, &cnn); backward_cnn(w, &cnn));
    EPOCH_SECONDS(t[0], conv2d_im2col(&w->Z1, &w->columns1, &w->X, &cnn.W1, &cnn.b1, shape1));
    EPOCH_SECONDS(t[1], max_pool(&w->pooled1, w->argmax1, &w->Z1, KIT_CNN_POOL, F1, l.OH1, l.OW1);
                  relu(&w->A1, &w->pooled1));
    EPOCH_SECONDS(t[2], conv2d_im2col(&w->Z2, &w->columns2, &w->A1, &cnn.W2, &cnn.b2, shape2));
    EPOCH_SECONDS(t[3], max_pool(&w->pooled2, w->argmax2, &w->Z2, KIT_CNN_POOL, F2, l.OH2, l.OW2);
                  relu(&w->A2, &w->pooled2));
    EPOCH_SECONDS(t[4], linear_layer(&w->Z3, &w->A2, &cnn.W3, &cnn.b3); relu(&w->A3, &w->Z3);
                  linear_layer(&w->Z4, &w->A3, &cnn.W4, &cnn.b4); softmax(&w->A4, &w->Z4));
    EPOCH_SECONDS(t[5], backward_max_pool(&w->dZ2, &w->dpooled2, w->argmax2));
    /* backward_conv2d writes over columns2 for dA1: make it again each time, and take that time away */
    double again;
    EPOCH_SECONDS(again, im2col(&w->columns2, &w->A1, shape2));
    EPOCH_SECONDS(t[6], im2col(&w->columns2, &w->A1, shape2);
                  backward_conv2d(&w->dA1, &w->dW2, &w->db2, &w->dZ2, &w->A1, &cnn.W2, &w->columns2, shape2));
    t[6] -= again;
    EPOCH_SECONDS(t[7], backward_max_pool(&w->dZ1, &w->dpooled1, w->argmax1));
    EPOCH_SECONDS(t[8], backward_conv2d(NULL, &w->dW1, &w->db1, &w->dZ1, &w->X, &cnn.W1, &w->columns1, shape1));
    EPOCH_SECONDS(t[9], im2col(&w->columns2, &w->A1, shape2);
                  backward_conv2d(NULL, &w->dW2, &w->db2, &w->dZ2, &w->A1, &cnn.W2, &w->columns2, shape2));
    t[9] -= again;
    double parts = 0.0;
    for (int p = 0; p <= 8; p++)
        parts += t[p];
    printf("%s: a step of 64 images with im2col + sgemm (the reference), %.3f s an epoch; its floor at the sgemm peak "
           "%.3f s (%.1f GFLOP): %.1fx\n",
           name, step, epoch_flops(z) / 1e9 / peak, epoch_flops(z) / 1e9, step / (epoch_flops(z) / 1e9 / peak));
    line("convolution 1 forward (im2col + sgemm)", t[0], conv1, step);
    line("  pooling 1 and ReLU", t[1], 0, step);
    line("convolution 2 forward (im2col + sgemm)", t[2], conv2, step);
    line("  pooling 2 and ReLU", t[3], 0, step);
    line("dense layers and softmax, forward", t[4], dense / 2, step);
    line("  pooling 2 backward", t[5], 0, step);
    line("convolution 2 backward, dW and dX (sgemm)", t[6], 2 * conv2, step);
    line("  of which dW and db alone", t[9], conv2, step);
    line("  pooling 1 backward", t[7], 0, step);
    line("convolution 1 backward, dW only (sgemm)", t[8], conv1, step);
    line("the rest (dense backward, ReLU masks, loss)", step - parts, 0, step);

    EPOCH_SECONDS(t[10], conv2d_direct(&w->Z1, &w->columns1, &w->X, &cnn.W1, &cnn.b1, shape1));
    EPOCH_SECONDS(t[11], conv2d_direct(&w->Z2, &w->columns2, &w->A1, &cnn.W2, &cnn.b2, shape2));
    EPOCH_SECONDS(t[12], backward_conv2d_direct(&w->dA1, &w->dW2, &w->db2, &w->dZ2, &w->A1, &cnn.W2, &w->columns2, shape2));
    EPOCH_SECONDS(t[13], backward_conv2d_direct(NULL, &w->dW2, &w->db2, &w->dZ2, &w->A1, &cnn.W2, &w->columns2, shape2));
    EPOCH_SECONDS(t[14], backward_conv2d_direct(NULL, &w->dW1, &w->db1, &w->dZ1, &w->X, &cnn.W1, &w->columns1, shape1));
    EPOCH_SECONDS(t[15], im2col(&w->columns2, &w->A1, shape2);
                  backward_conv2d_mixed(&w->dA1, &w->dW2, &w->db2, &w->dZ2, &w->A1, &cnn.W2, &w->columns2, shape2));
    t[15] -= again;
    printf("%s: its convolutions with the direct kernels (conv_direct.c)\n", name);
    line("convolution 1 forward (direct)", t[10], conv1, step);
    line("convolution 2 forward (direct)", t[11], conv2, step);
    line("convolution 2 backward, dW and dX (direct)", t[12], 2 * conv2, step);
    line("  of which dW and db alone", t[13], conv2, step);
    line("convolution 1 backward, dW only (direct)", t[14], conv1, step);
    line("convolution 2 backward, dW sgemm, dX direct", t[15], 2 * conv2, step);
    double sgemm = t[0] + t[2] + t[6] + t[8], direct = t[10] + t[11] + t[12] + t[14];
    printf("  the four convolutions: %.3f s with im2col + sgemm, %.3f s direct (%.2fx); the step would take %.3f s\n",
           sgemm, direct, sgemm / direct, step - sgemm + direct);
    EPOCH_SECONDS(t[16], conv2d_im2col_batched(&w->Z1, &w->columns1, &maps, &w->X, &cnn.W1, &cnn.b1, shape1));
    EPOCH_SECONDS(t[17], conv2d_im2col_batched(&w->Z2, &w->columns2, &maps, &w->A1, &cnn.W2, &cnn.b2, shape2));
    printf("%s: the forward passes with one sgemm for the batch (and a copy into out's order)\n", name);
    line("convolution 1 forward (im2col + one sgemm)", t[16], conv1, step);
    line("convolution 2 forward (im2col + one sgemm)", t[17], conv2, step);
    kit_matrix_free(&maps);
    kit_cnn_work_free(&work);
    kit_cnn_free(&cnn);
}

#ifdef CONV_LAYERS_EPOCH
/* chapter 4.3's reference compiled twice more (see conv_layers.sh): with conv2d_direct and backward_conv2d_direct in
 * the place of conv2d_im2col and backward_conv2d, and with backward_conv2d_mixed in the place of backward_conv2d */
float train_cnn_epoch_direct(Cnn *cnn, const Matrix *X, const Matrix *labels, KitCnnWork *work, float lr, KitRng *rng,
                             KitProgress *progress);
float train_cnn_epoch_mixed(Cnn *cnn, const Matrix *X, const Matrix *labels, KitCnnWork *work, float lr, KitRng *rng,
                            KitProgress *progress);

/* Whole epochs of train_cnn_epoch on the data set, the three ways taking turns from the same weights and the same
 * order: the median processor seconds of each, and the mean losses of their last epochs. */
static void epochs(const char *name, const KitDataset *data, KitCnnSizes z, int count)
{
    const Matrix *X = &data->train_images, *y = &data->train_labels;
    double times[3][64];
    float loss[3] = {0.0f, 0.0f, 0.0f};
    KitCnnWork work = kit_cnn_work_create(X->rows, 64, z);
    for (int e = 0; e < count; e++)
        for (int v = 0; v < 3; v++) {
            KitRng rng;
            kit_rng_seed(&rng, 43);
            Cnn cnn = kit_cnn_create(z, &rng);
            double started = cpu_seconds();
            loss[v] = v == 0   ? train_cnn_epoch(&cnn, X, y, &work, 0.1f, &rng, NULL)
                      : v == 1 ? train_cnn_epoch_direct(&cnn, X, y, &work, 0.1f, &rng, NULL)
                               : train_cnn_epoch_mixed(&cnn, X, y, &work, 0.1f, &rng, NULL);
            times[v][e] = cpu_seconds() - started;
            kit_cnn_free(&cnn);
        }
    double sgemm = kit_median(times[0], count), direct = kit_median(times[1], count), mixed = kit_median(times[2], count);
    printf("%s, one epoch of train_cnn_epoch (median of %d; the floor at the sgemm peak: %.3f s):\n"
           "  %.3f s with im2col + sgemm, mean loss %.6f\n"
           "  %.3f s direct (%.2fx), mean loss %.6f\n"
           "  %.3f s with im2col + sgemm but dX direct (%.2fx), mean loss %.6f\n",
           name, count, epoch_flops(z) / 1e9 / peak, sgemm, loss[0], direct, sgemm / direct, loss[1], mixed, sgemm / mixed, loss[2]);
    kit_cnn_work_free(&work);
}
#endif

int main(int argc, char **argv)
{
    int epoch_runs = 0;
    for (int i = 1; i + 1 < argc; i += 2)
        if (strcmp(argv[i], "--runs") == 0)
            runs = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--steps") == 0)
            steps = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--epochs") == 0)
            epoch_runs = atoi(argv[i + 1]);
    if (runs < 0 || runs > 64 || steps < 1 || epoch_runs < 0 || epoch_runs > 64)
        kit_fatal("conv_layers: --runs must be 0 to 64, --steps at least 1, --epochs 0 to 64");
    openblas_set_num_threads(1);
    printf("The direct kernels against conv2d (forward) and im2col + sgemm (backward), largest difference relative "
           "to the largest value:\n");
    int failures = check_kernels();
    if (runs == 0) /* the checks alone */
        return failures ? 1 : 0;
    KitCnnSizes course = {1, 28, 28, 3, 8, 16, 64, 10}, capstone = {1, 28, 28, 3, 16, 32, 128, 10};
    peak = sgemm_peak();
    printf("sgemm peak (1024 x 1024 x 1024, one thread, median of 9, in processor time): %.1f GFLOP/s\n", peak);
    printf("Every time below: processor seconds of this thread (the machine is shared), one OpenBLAS thread; a step's\n"
           "parts are the median of %d runs of %d steps, times %.0f steps an epoch of 60,000 images\n",
           runs, steps, steps_an_epoch);
    profile("CNN of 4.3 (8 then 16 filters)", course);
    profile("capstone CNN of 4.5 (16 then 32 filters)", capstone);
#ifdef CONV_LAYERS_EPOCH
    if (epoch_runs > 0) {
        KitDatasetPlace place;
        KitDataset data;
        char error[512];
        if (kit_dataset_find(&place, error, sizeof error) != 0 || kit_dataset_load(&data, &place, error, sizeof error) != 0)
            kit_fatal("%s", error);
        epochs("CNN of 4.3", &data, course, epoch_runs);
        epochs("capstone CNN of 4.5 (without momentum)", &data, capstone, epoch_runs);
        kit_dataset_free(&data);
    }
#endif
    return failures ? 1 : 0;
}
