/*
 * bench.c: the speed and memory of the reference solutions (make bench; see tools/bench.sh).
 *
 * Built with the reference solutions of the written chapters; the parts whose chapter is not written
 * yet say so. Every figure is a median over repeated runs: one epoch of training is one run.
 *   bench [--runs N] [--peers PYTHON] [--scale]
 * --peers: right after each network, the same network in PyTorch and in NumPy (PYTHON bench/peers.py), so that the
 *   kit's epoch and its peers' are minutes apart at most, not the whole run.
 * --scale: instead, how the epoch's time grows with the batch size, the hidden width and the filter count.
 */
#include "kit.h"
#include "course.h"

#include <cblas.h>
#include <errno.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

extern char **environ;


/* The sgemm peak: the median GFLOP/s of runs products of two n x n matrices. */
static double sgemm_peak(int n, int runs)
{
    Matrix A = kit_matrix_create(n, n), B = kit_matrix_create(n, n), C = kit_matrix_create(n, n);
    KitRng rng;
    kit_rng_seed(&rng, 8);
    kit_matrix_fill_uniform(&A, &rng, -1.0f, 1.0f);
    kit_matrix_fill_uniform(&B, &rng, -1.0f, 1.0f);
    double *rates = malloc((size_t)runs * sizeof *rates);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, A.data, n, B.data, n, 0.0f, C.data, n);
    for (int r = 0; r < runs; r++) {
        double started = kit_seconds();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, A.data, n, B.data, n, 0.0f, C.data, n);
        rates[r] = 2.0 * n * n * (double)n / (kit_seconds() - started) / 1e9;
    }
    double peak = kit_median(rates, runs);
    free(rates);
    kit_matrix_free(&A), kit_matrix_free(&B), kit_matrix_free(&C);
    return peak;
}

/* The line of one network's result that tools/bench.sh reads, after the line a reader reads:
 *   kit <network> epoch_seconds <s> floor_seconds <the epoch's products at the sgemm peak> threads <the threads it ran on: OpenBLAS's (MLPs) or the kit's (CNNs)>
 * network is the name peers.py gives the same network (mlp, mlp3, cnn, capstone). */
static void report_parseable(const char *network, double seconds, double flops, double peak, int threads)
{
    printf("kit %s epoch_seconds %.4f floor_seconds %.4f threads %d\n", network, seconds, flops / 1e9 / peak, threads);
}

/* --peers: the python3 that runs bench/peers.py (NULL: no peers), the data set's folder, the runs of each epoch */
static const char *peers_python, *peers_data;
static int peers_runs;

/* The network's peers, right after the kit's epoch: bench/peers.py torch, then numpy, their lines on this stdout. */
static void run_peers(const char *network)
{
    static const char *const peers[] = {"torch", "numpy"};
    if (peers_python == NULL)
        return;
    char runs[16];
    snprintf(runs, sizeof runs, "%d", peers_runs);
    for (int k = 0; k < 2; k++) {
        char *argv[] = {(char *)peers_python, "bench/peers.py", (char *)peers[k], "--data", (char *)peers_data,
                        "--runs", runs, "--networks", (char *)network, NULL};
        fflush(stdout); /* this process's lines first, then the child's, in order */
        pid_t child;
        int status = posix_spawnp(&child, peers_python, NULL, NULL, argv, environ);
        if (status != 0)
            kit_fatal("bench: cannot run %s bench/peers.py: %s", peers_python, strerror(status));
        if (waitpid(child, &status, 0) < 0)
            kit_fatal("bench: waiting for %s bench/peers.py %s: %s", peers_python, peers[k], strerror(errno));
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            kit_fatal("bench: %s bench/peers.py %s --networks %s failed (%s %d)", peers_python, peers[k], network,
                      WIFEXITED(status) ? "exit status" : "signal", WIFEXITED(status) ? WEXITSTATUS(status)
                                                                                      : WTERMSIG(status));
    }
}

static void report(const char *network, const char *what, double seconds, double flops, double peak, double target,
                   int threads)
{
    double rate = flops / seconds / 1e9;
    printf("%-34s %6.3f s an epoch  %6.1f GFLOP/s = %4.2f of the sgemm peak  (", what, seconds, rate, rate / peak);
    if (target > 0.0)
        printf("target: at most %.2f s%s; ", target, seconds <= target ? ", met" : ", missed");
    printf("its %.1f GFLOP at the peak: %.3f s)\n", flops / 1e9, flops / 1e9 / peak);
    report_parseable(network, seconds, flops, peak, threads);
}

#if defined KIT_BENCH_MLP || defined KIT_BENCH_MLP3 || defined KIT_BENCH_CNN
/* One network's epoch at its faster thread count, as bench/peers.py times PyTorch: an untimed epoch first (so that
 * the trial of 1 thread does not also pay for a cold start: the data set's pages, the caches, OpenBLAS's buffers),
 * one trial epoch with each count from 1 to most, then the median of runs epochs with the faster one. The threads are OpenBLAS's for the MLPs, whose
 * time is in their products; for the CNNs (own_threads 1) they are the kit's (kit_set_threads: the reference's
 * convolutions and poolings share out the images of a batch), with OpenBLAS on one thread. epoch(data, runs) trains
 * runs epochs and returns their median; the counts are printed, and the one used is left in *used. */
static void use_threads(int threads, int own_threads)
{
    openblas_set_num_threads(own_threads ? 1 : threads);
    kit_set_threads(own_threads ? threads : 1);
}

static double at_best_threads(double (*epoch)(const KitDataset *, int), const KitDataset *data, int runs, int most,
                              int own_threads, int *used)
{
    double fastest = INFINITY;
    *used = 1;
    use_threads(1, own_threads);
    epoch(data, 1);
    printf("  (%s threads, one trial epoch each after an untimed one:", own_threads ? "the kit's" : "OpenBLAS");
    for (int t = 1; t <= most; t++) {
        use_threads(t, own_threads);
        double seconds = epoch(data, 1);
        printf(" %d: %.3f s", t, seconds);
        if (seconds < fastest)
            fastest = seconds, *used = t;
    }
    printf("; the median of %d epochs with %d)\n", runs, *used);
    use_threads(*used, own_threads);
    double seconds = epoch(data, runs);
    use_threads(most, 0);
    return seconds;
}
#endif

#if defined KIT_BENCH_MLP || defined KIT_BENCH_MLP3
/* What the epoch spent besides its products: the difference, or a word on why there is none to show (the two are
 * measured one after the other, and the machine's speed can change in between). */
static void print_rest(double epoch_seconds, double products_seconds)
{
    if (epoch_seconds > products_seconds)
        printf("the rest of the epoch: %.3f s", epoch_seconds - products_seconds);
    else
        printf("the rest of the epoch: none to measure (the machine ran slower while the products ran alone)");
}

/* The matrix work of an MLP's epoch alone: the same cblas_sgemm calls, with the same shapes and transposes, that the
 * reference makes for every batch of B rows of N examples, and nothing else (no bias, activation, softmax, batch
 * copying or separate update). sizes holds the layers' widths, sizes[0] = D to sizes[layers] = K. With
 * update_in_product (chapter 3.4's reference step), each weight gradient's product adds onto the weights (alpha -lr,
 * beta 1) as that step's does; else it overwrites dW (beta 0), as backward_mlp3 does. The median of runs epochs. */
static double bench_products(long N, int B, const int *sizes, int layers, int runs, int update_in_product)
{
    Matrix A[4], W[4], dZ[4], dW[4];
    KitRng rng;
    kit_rng_seed(&rng, 7);
    for (int l = 0; l <= layers; l++) {
        A[l] = kit_matrix_create(B, sizes[l]); /* A[0] is the batch X, A[l] the activations of layer l */
        kit_matrix_fill_uniform(&A[l], &rng, -1.0f, 1.0f);
    }
    for (int l = 1; l <= layers; l++) {
        W[l] = kit_matrix_create(sizes[l - 1], sizes[l]);
        dW[l] = kit_matrix_create(sizes[l - 1], sizes[l]);
        dZ[l] = kit_matrix_create(B, sizes[l]);
        kit_matrix_fill_uniform(&W[l], &rng, -0.1f, 0.1f);
        kit_matrix_fill_uniform(&dZ[l], &rng, -0.1f, 0.1f);
    }
    double *times = malloc((size_t)runs * sizeof *times);
    for (int r = 0; r < runs; r++) {
        double started = kit_seconds();
        for (long start = 0; start < N; start += B) {
            int m = N - start < B ? (int)(N - start) : B;
            for (int l = 1; l <= layers; l++) /* forward: Z_l = A_{l-1} W_l */
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, sizes[l], sizes[l - 1], 1.0f, A[l - 1].data,
                            sizes[l - 1], W[l].data, sizes[l], 0.0f, A[l].data, sizes[l]);
            for (int l = layers; l >= 1; l--) { /* backward: dW_l = A_{l-1}^T dZ_l, and dZ_{l-1} = dZ_l W_l^T */
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, sizes[l - 1], sizes[l], m,
                            update_in_product ? -1e-4f : 1.0f, A[l - 1].data, sizes[l - 1], dZ[l].data, sizes[l],
                            update_in_product ? 1.0f : 0.0f, update_in_product ? W[l].data : dW[l].data, sizes[l]);
                if (l > 1)
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, sizes[l - 1], sizes[l], 1.0f, dZ[l].data,
                                sizes[l], W[l].data, sizes[l], 0.0f, dZ[l - 1].data, sizes[l - 1]);
            }
        }
        times[r] = kit_seconds() - started;
    }
    double result = kit_median(times, runs);
    free(times);
    for (int l = 0; l <= layers; l++)
        kit_matrix_free(&A[l]);
    for (int l = 1; l <= layers; l++)
        kit_matrix_free(&W[l]), kit_matrix_free(&dW[l]), kit_matrix_free(&dZ[l]);
    return result;
}

/* One line for the products alone, against the epoch they belong to. */
static void report_products(double seconds, double epoch_seconds, double flops, double peak)
{
    double rate = flops / seconds / 1e9;
    printf("  its products alone:              %6.3f s an epoch  %6.1f GFLOP/s = %4.2f of the sgemm peak  (target: at "
           "least 0.50%s); ",
           seconds, rate, rate / peak, rate / peak >= 0.5 ? ", met" : ", missed");
    print_rest(epoch_seconds, seconds);
    printf("\n");
}
#endif

#ifdef KIT_BENCH_MLP
/* The reference MLP D -> H -> 10 of chapter 3.4 in batches of B: the median time of runs epochs. */
static double bench_mlp(const KitDataset *data, int H, int B, int runs)
{
    const Matrix *X = &data->train_images, *y = &data->train_labels;
    int D = X->cols, K = 10;
    KitRng rng;
    kit_rng_seed(&rng, 34);
    Mlp mlp = kit_mlp_create(D, H, K, &rng);
    KitMlpWork work = kit_mlp_work_create(X->rows, B, D, H, K);
    double *times = malloc((size_t)runs * sizeof *times);
    for (int r = 0; r < runs; r++) {
        double started = kit_seconds();
        train_mlp_epoch(&mlp, X, y, &work, 0.1f, &rng, NULL);
        times[r] = kit_seconds() - started;
    }
    double result = kit_median(times, runs);
    free(times);
    kit_mlp_work_free(&work);
    kit_mlp_free(&mlp);
    return result;
}

/* make bench's MLP: 256 hidden units, batches of 64 */
static double epoch_mlp(const KitDataset *data, int runs) { return bench_mlp(data, 256, 64, runs); }
#endif

#ifdef KIT_BENCH_MLP3
/* The reference 784 -> 256 -> 128 -> 10 network of chapter 4.1, trained with its forward_mlp3 and backward_mlp3 and
 * chapter 2.3's batches: the median time of runs epochs. All scratch is allocated before the first epoch. */
static double bench_mlp3(const KitDataset *data, int runs)
{
    enum { B = 64, H1 = 256, H2 = 128, K = 10 };
    const Matrix *X = &data->train_images, *y = &data->train_labels;
    int N = X->rows, D = X->cols;
    KitRng rng;
    kit_rng_seed(&rng, 41);
    Mlp3 mlp = kit_mlp3_create(D, H1, H2, K, &rng);
    KitMlp3Work work = kit_mlp3_work_create(N, B, D, H1, H2, K);
    Matrix *parameters[] = {&mlp.W1, &mlp.b1, &mlp.W2, &mlp.b2, &mlp.W3, &mlp.b3};
    Mlp3Gradients *g = &work.gradients;
    const Matrix *gradients[] = {&g->dW1, &g->db1, &g->dW2, &g->db2, &g->dW3, &g->db3};
    double *times = malloc((size_t)runs * sizeof *times);
    for (int r = 0; r < runs; r++) {
        double started = kit_seconds();
        shuffle_indices(work.order, N, &rng);
        for (int start = 0; start < N; start += B) {
            int m = N - start < B ? N - start : B;
            kit_mlp3_work_rows(&work, m);
            gather_rows(&work.X, X, work.order, start);
            gather_rows(&work.labels, y, work.order, start);
            one_hot(&work.Y, &work.labels);
            forward_mlp3(&work.cache, &work.X, &mlp);
            backward_mlp3(g, &work.cache, &work.X, &work.Y, &mlp);
            for (int p = 0; p < 6; p++)
                cblas_saxpy(parameters[p]->rows * parameters[p]->cols, -0.1f, gradients[p]->data, 1,
                            parameters[p]->data, 1);
        }
        times[r] = kit_seconds() - started;
    }
    double result = kit_median(times, runs);
    free(times);
    kit_mlp3_work_free(&work);
    kit_mlp3_free(&mlp);
    return result;
}
#endif

#ifdef KIT_BENCH_CNN
/* A reference CNN of chapter 4.3 of the given sizes (kit_cnn_create's He initialisation): the median time of runs
 * epochs with train_cnn_epoch, or with train_cnn_epoch_momentum (beta 0.9) when momentum is 1 and chapter 4.5 is
 * written. */
static double bench_cnn(const KitDataset *data, KitCnnSizes sizes, int momentum, int runs)
{
    const Matrix *X = &data->train_images, *y = &data->train_labels;
    KitRng rng;
    kit_rng_seed(&rng, 43);
    Cnn cnn = kit_cnn_create(sizes, &rng), velocity = kit_cnn_create(sizes, NULL);
    KitCnnWork work = kit_cnn_work_create(X->rows, 64, sizes);
    double *times = malloc((size_t)runs * sizeof *times);
    for (int r = 0; r < runs; r++) {
        double started = kit_seconds();
#ifdef KIT_BENCH_MOMENTUM
        if (momentum)
            train_cnn_epoch_momentum(&cnn, &velocity, X, y, &work, 0.05f, 0.9f, &rng, NULL);
        else
#endif
            train_cnn_epoch(&cnn, X, y, &work, 0.1f, &rng, NULL);
        times[r] = kit_seconds() - started;
    }
    (void)momentum;
    double result = kit_median(times, runs);
    free(times);
    kit_cnn_work_free(&work);
    kit_cnn_free(&cnn), kit_cnn_free(&velocity);
    return result;
}

/* The floating-point operations of the matrix products of one epoch of N images for that CNN: each convolution's
 * forward product and its filters' gradient (2 x maps x patch x filters each), convolution 2's input gradient too,
 * and the dense layers' forward product, weight gradient and input gradient (2 x inputs x outputs each). */
static double cnn_flops(long N, KitCnnSizes z)
{
    KitCnnLayout l = kit_cnn_layout(z);
    double conv1 = 2.0 * l.OH1 * l.OW1 * z.channels * z.kernel * z.kernel * z.filters1;
    double conv2 = 2.0 * l.OH2 * l.OW2 * z.filters1 * z.kernel * z.kernel * z.filters2;
    double dense = 2.0 * l.pooled2 * z.hidden + 2.0 * z.hidden * z.classes;
    return N * (2.0 * conv1 + 3.0 * conv2 + 3.0 * dense);
}

/* make bench's CNNs: chapter 4.3's as its accuracy check trains it, and the capstone's, twice as wide, with momentum */
static const KitCnnSizes course_cnn = {1, 28, 28, 3, 8, 16, 64, 10};
static double epoch_cnn(const KitDataset *data, int runs) { return bench_cnn(data, course_cnn, 0, runs); }
#ifdef KIT_BENCH_MOMENTUM
static const KitCnnSizes capstone_cnn = {1, 28, 28, 3, 16, 32, 128, 10};
static double epoch_capstone(const KitDataset *data, int runs) { return bench_cnn(data, capstone_cnn, 1, runs); }
#endif
#endif

/* ---- make bench SCALE=1: how an epoch's time grows with the batch, the width and the filters ---- */

/* One row of a scaling table: the value varied, the epoch, its products alone (0: not measured), the floor (the
 * epoch's products at the sgemm peak) and their ratio; then a line for tools/bench.sh:
 *   scale <table> <value> epoch_seconds <s> products_seconds <s> floor_seconds <s> */
#if defined KIT_BENCH_MLP || defined KIT_BENCH_CNN
/* One table's rows for its chart: the value varied, as text, and the epoch and its floor in seconds. */
typedef struct {
    char labels[8][16];
    const char *names[8];
    float seconds[16]; /* epoch and floor of row i at 2i and 2i + 1 */
    int rows;
} ScaleChart;

/* The table as a bar chart, build/bench/scale-<table>.png: each row's epoch beside its floor. */
static void draw_scale_chart(ScaleChart *chart, const char *table, const char *title, const char *x_label)
{
    char path[128], error[512];
    snprintf(path, sizeof path, "build/bench/scale-%s.png", table);
    for (int i = 0; i < chart->rows; i++)
        chart->names[i] = chart->labels[i];
    const char *series[2] = {"epoch", "floor at the sgemm peak"};
    KitBars bars = {chart->seconds, chart->rows, 2, chart->names, series, 2};
    KitChart text = {.title = title, .x_label = x_label, .y_label = "seconds"};
    if (kit_plot_bars(path, &text, &bars, error, sizeof error) == 0)
        printf("  chart: %s (blue: the epoch; orange: its floor)\n", path);
    else
        printf("  no chart: %s\n", error);
}

static void report_scale(ScaleChart *chart, const char *table, int value, double seconds, double products,
                         double flops, double peak)
{
    double floor_seconds = flops / 1e9 / peak;
    if (chart->rows < 8) {
        snprintf(chart->labels[chart->rows], sizeof chart->labels[0], "%d", value);
        chart->seconds[2 * chart->rows] = (float)seconds, chart->seconds[2 * chart->rows + 1] = (float)floor_seconds;
        chart->rows++;
    }
    printf("  %6d %10.3f s", value, seconds);
    if (products > 0.0)
        printf(" %10.3f s", products);
    printf(" %10.3f s %10.2f\n", floor_seconds, seconds / floor_seconds);
    printf("scale %s %d epoch_seconds %.4f products_seconds %.4f floor_seconds %.4f\n", table, value, seconds, products,
           floor_seconds);
}
#endif

/* The three tables; the peak is measured again before each, and each uses the highest so far. */
static void bench_scale(const KitDataset *data, double peak, int runs)
{
    long N = data->train_images.rows, D = data->train_images.cols;
    (void)N, (void)D, (void)runs;
    printf("How an epoch's time grows (make bench SCALE=1). floor: the epoch's matrix products at the sgemm peak, "
           "which no\nimplementation of that network can beat with these products; epoch/floor near 1: the CPU is "
           "used well\n");
#ifdef KIT_BENCH_MLP
    {
        enum { K = 10 };
        static const int batches[] = {16, 32, 64, 128, 256, 512}, widths[] = {64, 128, 256, 512, 1024};
        ScaleChart by_batch = {.rows = 0}, by_width = {.rows = 0};
        peak = fmax(peak, sgemm_peak(1024, 9));
        printf("MLP 784-256-10 by batch size (learning rate 0.1; medians of %d epochs; the peak: %.1f GFLOP/s):\n", runs,
               peak);
        printf("  %6s %12s %12s %12s %10s\n", "batch", "epoch", "products", "floor", "epoch/floor");
        for (size_t i = 0; i < sizeof batches / sizeof batches[0]; i++) {
            int H = 256, sizes[] = {(int)D, H, K};
            double flops = 2.0 * N * (2.0 * D * H + 3.0 * H * K);
            double seconds = bench_mlp(data, H, batches[i], runs);
            report_scale(&by_batch, "mlp_batch", batches[i], seconds, bench_products(N, batches[i], sizes, 2, runs, 1),
                         flops, peak);
        }
        draw_scale_chart(&by_batch, "mlp-batch", "MLP 784-256-10: an epoch by batch size", "batch size");
        peak = fmax(peak, sgemm_peak(1024, 9));
        printf("MLP 784-H-10 by hidden width H (batch 64; the peak: %.1f GFLOP/s):\n", peak);
        printf("  %6s %12s %12s %12s %10s\n", "H", "epoch", "products", "floor", "epoch/floor");
        for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
            int H = widths[i], sizes[] = {(int)D, H, K};
            double flops = 2.0 * N * (2.0 * D * H + 3.0 * H * K);
            double seconds = bench_mlp(data, H, 64, runs);
            report_scale(&by_width, "mlp_width", H, seconds, bench_products(N, 64, sizes, 2, runs, 1), flops, peak);
        }
        draw_scale_chart(&by_width, "mlp-width", "MLP 784-H-10: an epoch by hidden width", "hidden units H");
    }
#else
    printf("MLP: not measured, chapter 3.4 is not written yet\n");
#endif
#ifdef KIT_BENCH_CNN
    {
        /* the course's CNNs have twice as many filters in convolution 2 as in convolution 1 (8-16, 16-32); an epoch
         * of the widest takes minutes, so each is timed on a tenth of the training set, once, and multiplied by 10 */
        static const int filters[] = {4, 8, 16, 32, 64};
        ScaleChart by_filters = {.rows = 0};
        enum { PART = 10 };
        KitDataset part = *data;
        part.train_images.rows = part.train_labels.rows = (int)(N / PART);
        peak = fmax(peak, sgemm_peak(1024, 9));
        printf("CNN of 4.3 by filter count f (f filters 3x3, then 2f, dense 64, batch 64, learning rate 0.1; the peak: "
               "%.1f GFLOP/s):\nthe time of one pass over %d images, times %d\n", peak, part.train_images.rows, PART);
        printf("  %6s %12s %12s %10s\n", "f", "epoch", "floor", "epoch/floor");
        for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
            KitCnnSizes sizes = {1, 28, 28, 3, filters[i], 2 * filters[i], 64, 10};
            double seconds = PART * bench_cnn(&part, sizes, 0, 1);
            report_scale(&by_filters, "cnn_filters", filters[i], seconds, 0.0, cnn_flops(N, sizes), peak);
        }
        draw_scale_chart(&by_filters, "cnn-filters", "CNN of 4.3: an epoch by filter count", "filters f (then 2f)");
    }
#else
    printf("CNN: not measured, chapter 4.3 is not written yet\n");
#endif
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line as it is measured, also through tools/bench.sh's pipe */
    int runs = 5, scale = 0;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--peers") == 0 && i + 1 < argc)
            peers_python = argv[++i];
        else if (strcmp(argv[i], "--scale") == 0)
            scale = 1;
    if (runs < 1)
        kit_fatal("bench: --runs must be at least 1");
    printf("OpenBLAS: %s; kernels for the core '%s'; %d threads on %d processors\n", openblas_get_config(),
           openblas_get_corename(), openblas_get_num_threads(), openblas_get_num_procs());
    int most_threads = openblas_get_num_threads();
    openblas_set_num_threads(1);
    double peak_one = sgemm_peak(1024, 9);
    openblas_set_num_threads(most_threads);
    double peak = sgemm_peak(1024, 9);
    printf("sgemm peak (1024 x 1024 x 1024, median of 9): %.1f GFLOP/s with %d threads, %.1f GFLOP/s with 1\n", peak,
           most_threads, peak_one);
    printf("(the peak is measured again before each network; each ratio uses the highest so far, so that a slow\n"
           " moment during one measurement of the peak cannot make a ratio look better than it is)\n");

    KitDatasetPlace place;
    KitDataset data;
    char error[512];
    if (kit_dataset_find(&place, error, sizeof error) != 0 || kit_dataset_load(&data, &place, error, sizeof error) != 0)
        kit_fatal("%s", error);
    long N = data.train_images.rows, D = data.train_images.cols;
    if (scale) {
        printf("Data set: %s, %ld training images\n", place.name, N);
        bench_scale(&data, fmax(peak, peak_one), runs); /* the higher of the two: one thread can be faster */
        kit_dataset_free(&data);
        return 0;
    }
    printf("Data set: %s, %ld training images; every figure below is the median of %d epochs\n", place.name, N, runs);
    peers_data = place.dir, peers_runs = runs;
#ifdef KIT_BENCH_MLP
    {
        /* floating-point operations of the matrix products of one epoch: forward X W1 and A1 W2, backward
         * A1^T dZ2, dZ2 W2^T and X^T dZ1 */
        int H = 256, K = 10;
        double flops = 2.0 * N * (2.0 * D * H + 3.0 * H * K);
        peak = fmax(peak, sgemm_peak(1024, 9));
        int threads;
        double seconds = at_best_threads(epoch_mlp, &data, runs, most_threads, 0, &threads);
        report("mlp", "MLP 784-256-10, batch 64:", seconds, flops, peak, 0.25, threads);
        int sizes[] = {(int)D, H, K};
        openblas_set_num_threads(threads);
        report_products(bench_products(N, 64, sizes, 2, runs, 1), seconds, flops, peak);
        openblas_set_num_threads(most_threads);
        run_peers("mlp");
    }
#else
    printf("MLP 784-256-10: not measured, chapter 3.4 is not written yet\n");
#endif
#ifdef KIT_BENCH_MLP3
    {
        /* forward: X W1, A1 W2, A2 W3; backward: dW3, dA2, dW2, dA1, dW1 (no dX) */
        int H1 = 256, H2 = 128, K = 10;
        double flops = 2.0 * N * (2.0 * D * H1 + 3.0 * H1 * H2 + 3.0 * H2 * K);
        peak = fmax(peak, sgemm_peak(1024, 9));
        int threads;
        double seconds = at_best_threads(bench_mlp3, &data, runs, most_threads, 0, &threads);
        report("mlp3", "MLP 784-256-128-10, batch 64:", seconds, flops, peak, 0.35, threads);
        int sizes[] = {(int)D, H1, H2, K};
        openblas_set_num_threads(threads);
        report_products(bench_products(N, 64, sizes, 3, runs, 0), seconds, flops, peak);
        openblas_set_num_threads(most_threads);
        run_peers("mlp3");
    }
#else
    printf("MLP 784-256-128-10: not measured, chapter 4.1 is not written yet\n");
#endif
#ifdef KIT_BENCH_CNN
    {
        peak = fmax(peak, sgemm_peak(1024, 9));
        int threads;
        double seconds = at_best_threads(epoch_cnn, &data, runs, most_threads, 1, &threads);
        report("cnn", "CNN 8-16 filters 3x3, dense 64:", seconds, cnn_flops(N, course_cnn), peak, 0.0, threads);
        run_peers("cnn");
#ifdef KIT_BENCH_MOMENTUM
        peak = fmax(peak, sgemm_peak(1024, 9));
        seconds = at_best_threads(epoch_capstone, &data, runs, most_threads, 1, &threads);
        report("capstone", "capstone CNN 16-32, dense 128:", seconds, cnn_flops(N, capstone_cnn), peak, 0.0,
               threads);
        run_peers("capstone");
#else
        printf("capstone CNN: not measured, chapter 4.5 is not written yet\n");
#endif
    }
#else
    printf("CNN: not measured, chapter 4.3 is not written yet\n");
#endif
    printf("sgemm peak, the highest median of this run: %.1f GFLOP/s\n", peak);
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    double data_mib = (double)(data.train_images.rows + data.test_images.rows) * (D + 1) * sizeof(float) / (1 << 20);
    printf("Peak memory of this process: %.0f MiB (the data set as floats: %.0f MiB)\n", usage.ru_maxrss / 1024.0,
           data_mib);
    kit_dataset_free(&data);
    return 0;
}
