/*
 * kit.h: the shared harness that every chapter of the course builds against.
 *
 * Everything here comes with the kit; you never edit it. Every name the kit
 * provides starts with kit_ (or KIT_), so you can always tell the kit's code
 * from the functions you write yourself (normalize, matrix_multiply, ...).
 *
 * The letters of the shapes in these comments (N examples, D features, H hidden
 * units, K classes, C channels, ...) are the course's, listed once at the top of
 * course.h.
 *
 * Matrices are flat, row-major arrays of float: element (i, j) of a matrix
 * with cols columns lives at data[i * cols + j].
 */
#ifndef KIT_H
#define KIT_H

#include <stddef.h>
#include <stdint.h>

/* A matrix: a shape and rows * cols floats in row-major order. */
typedef struct {
    int rows;
    int cols;
    float *data;
} Matrix;

/* ---- matrices ---------------------------------------------------------- */

/* Allocates a rows x cols matrix filled with zeros; stops the program with a clear message on a bad shape or no memory. */
Matrix kit_matrix_create(int rows, int cols);

/* Allocates a rows x cols matrix and copies rows * cols values into it, row by row. */
Matrix kit_matrix_from(int rows, int cols, const float *values);

/* Frees the matrix's data and sets its shape to 0 x 0; freeing twice is harmless. */
void kit_matrix_free(Matrix *m);

/* Sets every element of m to value. */
void kit_matrix_fill(Matrix *m, float value);

/* Copies src into dst; both must have the same shape. */
void kit_matrix_copy(Matrix *dst, const Matrix *src);

/* Prints "name (rows x cols):" and the rows of m with the given number of decimals. */
void kit_matrix_print(const char *name, const Matrix *m, int decimals);

/* Stops the program with a message naming what, its shape and the expected shape when m is not rows x cols. */
void kit_require_shape(const Matrix *m, int rows, int cols, const char *what);

/* ---- random numbers ---------------------------------------------------- */

/* A seeded random number generator (PCG32): the same seed gives the same numbers on every machine. */
typedef struct {
    uint64_t state;
    uint64_t increment;
    int has_spare_normal;
    double spare_normal;
} KitRng;

/* Starts the generator at seed. */
void kit_rng_seed(KitRng *rng, uint64_t seed);

/* Returns the next 32 random bits. */
uint32_t kit_rng_u32(KitRng *rng);

/* Returns a float uniformly distributed in [0, 1). */
float kit_rng_uniform(KitRng *rng);

/* Returns a float from the standard normal distribution (mean 0, standard deviation 1). */
float kit_rng_normal(KitRng *rng);

/* Returns an integer uniformly distributed in [0, n), for n >= 1. */
int kit_rng_below(KitRng *rng, int n);

/* Fills m with normal numbers of the given mean and standard deviation. */
void kit_matrix_fill_normal(Matrix *m, KitRng *rng, float mean, float std);

/* Fills m with uniform numbers in [low, high). */
void kit_matrix_fill_uniform(Matrix *m, KitRng *rng, float low, float high);

/* ---- time -------------------------------------------------------------- */

/* Seconds on a monotonic clock: subtract two readings to time a piece of code. */
double kit_seconds(void);

/* The median of count values (the mean of the middle two when count is even); sorts values in place. */
double kit_median(double *values, int count);

/* ---- the cores ----------------------------------------------------------- */

/* The threads kit_parallel runs its parts on: KIT_THREADS from the environment, else 1, until kit_set_threads sets it;
 * at most KIT_MOST_THREADS. The grader's checks use 1. The reference solutions of chapters 4.2 and 4.3 share out the
 * images of a batch with kit_parallel, so that make bench trains their CNNs on every core, to the same bits as on
 * one. Use more than 1 with OpenBLAS on one thread (OPENBLAS_NUM_THREADS=1): the threads of both on the same cores
 * would wait for each other. */
#define KIT_MOST_THREADS 64
int kit_threads(void);
void kit_set_threads(int threads);

/* Runs task(argument, part, parts) for part = 0 .. parts - 1, parts = kit_threads(), each on a thread of its own
 * (part 0 on the calling one), and returns when all have returned; OpenBLAS runs on one thread meanwhile, so that
 * each part's products stay on its core. With one part, task(argument, 0, 1) runs here and no thread is started.
 * If the system lets it start fewer threads, the parts left run on the calling thread after part 0, in order: a part
 * may wait for what a part with a lower number does, never for a higher one. A part that calls kit_parallel runs
 * that call's work itself, as one part. Call it from one thread at a time. */
typedef void (*KitTask)(void *argument, int part, int parts);
void kit_parallel(KitTask task, void *argument);

/* Tells the processor, in a loop that waits for another thread, that it is waiting. */
static inline void kit_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* ---- data files -------------------------------------------------------- */

/* The contents of an IDX file (the format of MNIST): up to 3 dimensions of unsigned bytes. */
typedef struct {
    int dimension_count;       /* 1 for labels, 3 for images */
    int dims[3];               /* e.g. {10000, 28, 28} for images, {10000} for labels */
    size_t size;               /* number of bytes in data: the product of dims */
    unsigned char *data;
} KitIdx;

/* Reads an IDX file, gzip-compressed or not. Returns 0, or -1 with a message in error that names the file and what is wrong. */
int kit_idx_read(const char *path, KitIdx *out, char *error, size_t error_size);

/* Frees what kit_idx_read allocated. */
void kit_idx_free(KitIdx *idx);

/* ---- the image data set ------------------------------------------------ */

/* Where MNIST lands after 'make datasets', and where Debian's dataset-fashion-mnist installs Fashion-MNIST. */
#define KIT_MNIST_DIR "datasets/mnist"
#define KIT_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"

/* Which data set, and the folder of its four IDX files. */
typedef struct {
    char name[32];   /* "MNIST" or "Fashion-MNIST" */
    char dir[512];
} KitDatasetPlace;

/* Images as rows of 784 pixels scaled to [0, 1]; labels as N x 1 classes 0 to 9. */
typedef struct {
    KitDatasetPlace place;
    Matrix train_images;   /* 60000 x 784 */
    Matrix train_labels;   /* 60000 x 1 */
    Matrix test_images;    /* 10000 x 784 */
    Matrix test_labels;    /* 10000 x 1 */
} KitDataset;

/* Finds the data set: the folder MNIST_DIR names, else datasets/mnist, else Debian's Fashion-MNIST
 * (KIT_DATASET=fashion-mnist in the environment picks Fashion-MNIST in any case).
 * Returns 0, or -1 with a message that says what is missing and how to get it. */
int kit_dataset_find(KitDatasetPlace *place, char *error, size_t error_size);

/* Loads the four files of the data set at place. Returns 0, or -1 with a message naming the file. */
int kit_dataset_load(KitDataset *out, const KitDatasetPlace *place, char *error, size_t error_size);

/* Frees the four matrices. */
void kit_dataset_free(KitDataset *d);

/* Loads an IDX images file as an N x (rows * cols) matrix of pixels in [0, 1]. Returns 0 or -1 with a message. */
int kit_idx_load_images(Matrix *images, const char *path, char *error, size_t error_size);

/* Loads an IDX labels file as an N x 1 matrix of classes 0 to 9. Returns 0 or -1 with a message. */
int kit_idx_load_labels(Matrix *labels, const char *path, char *error, size_t error_size);

/* ---- pictures ---------------------------------------------------------- */

/* The pictures are PNG files drawn in the style of matplotlib's: a title, axis labels, axis numbers at round
 * steps, light grid lines and a legend, in the kit's own bitmap font (printable ASCII). Each function returns 0,
 * or -1 with a message in error that names the file (and the argument that is wrong). */

/* What a chart says around its data. Any text may be NULL (then it is left out). */
typedef struct {
    const char *title;    /* above the chart */
    const char *x_label;  /* under the x axis, e.g. "epoch" */
    const char *y_label;  /* along the y axis, e.g. "loss" */
    int log_y;            /* 1: a logarithmic y axis, numbered at powers of ten */
    float x_first;        /* the x of each curve's first value (e.g. 1 for epoch 1, 0 for step 0) */
    float x_step;         /* the x distance between two values; 0 means 1 */
} KitChart;

/* One curve of a chart: count values, the value i at x = x_first + i * x_step, and its name in the legend. */
typedef struct {
    const float *values;
    int count;
    const char *name;     /* NULL: the curve is not in the legend */
} KitCurve;

#define KIT_PLOT_MAX_CURVES 8

/* The colour of curve k, to print in a legend: "blue", "orange", "green", "red", ... */
extern const char *const kit_plot_color_names[KIT_PLOT_MAX_CURVES];

/* Draws 1 to KIT_PLOT_MAX_CURVES curves on one 800 x 500 chart, in the colours of kit_plot_color_names, with a
 * legend box naming each curve in a corner where it hides none of them (else under the chart, which grows taller
 * for it). The y axis spans the finite values
 * (their powers of ten on a log axis); a value that is inf or NaN (a diverging run), or not positive on a log
 * axis, is drawn at the chart's top edge (0 on a log axis: at the bottom edge). */
int kit_plot_curves(const char *path, const KitChart *chart, const KitCurve *curves, int curve_count,
                    char *error, size_t error_size);

/* Points and the straight line fitted to them, for kit_plot_scatter. */
typedef struct {
    const float *x, *y;       /* count points (x[i], y[i]) */
    int count;
    const char *points_name;  /* the points' name in the legend, or NULL */
    float slope, intercept;   /* the line y = slope * x + intercept */
    const char *line_name;    /* the line's name in the legend, or NULL */
} KitScatter;

/* Draws the points (blue dots) and the line (orange) across them on one chart; chart->log_y, x_first and x_step
 * are not used (the axes span the points). */
int kit_plot_scatter(const char *path, const KitChart *chart, const KitScatter *scatter, char *error,
                     size_t error_size);

/* Bars in groups, for kit_plot_bars: value k of group g is values[g * series + k]. */
typedef struct {
    const float *values;
    int groups, series;                /* 1 or more groups of 1 to KIT_PLOT_MAX_CURVES bars */
    const char *const *group_names;    /* under each group, or NULL */
    const char *const *series_names;   /* in the legend, in the colours of kit_plot_color_names, or NULL */
    int decimals;                      /* of the value written over each bar */
} KitBars;

/* Draws the bars side by side in their groups, each with its value over it; the y axis starts at 0, or, where the
 * values lie close together far from 0 (accuracies of 91% and 92%), a little below the smallest, so that their
 * differences show. chart->log_y, x_first and x_step are not used. */
int kit_plot_bars(const char *path, const KitChart *chart, const KitBars *bars, char *error, size_t error_size);

/* How kit_plot_images lays out its pictures. */
typedef struct {
    const char *title;            /* above the grid, or NULL */
    int height, width;            /* of one picture, in values */
    int columns;                  /* pictures to a row */
    int scale;                    /* each value becomes a scale x scale square */
    const char *const *captions;  /* NULL, or one caption per picture (NULL for none), written under it */
    const char *numbered;         /* without captions: picture t is captioned "<numbered> t" (e.g. "filter 3") */
} KitImageGrid;

/* Draws count grayscale pictures of grid->height x grid->width values, grid->columns to a row, as one PNG: picture
 * t is the height * width floats at images->data + t * height * width (row-major), so the rows of a data set
 * (28 x 28 = 784 values each) or the F feature maps of one row of a convolution's output can be drawn as they
 * are. Each picture is scaled on its own, its smallest value black and its largest white (a constant picture is
 * mid grey; NaN and inf are drawn red), framed by a thin grey line, with its caption under it. */
int kit_plot_images(const char *path, const KitImageGrid *grid, const Matrix *images, int count, char *error,
                    size_t error_size);

/* Draws a confusion matrix as a heat map: counts is K x K, row t the true class and column p the predicted one;
 * each cell shows its count, in a blue that darkens with the count's share of its row (on a square-root scale,
 * so that a few mistakes show), and the class numbers run along both axes. */
int kit_plot_confusion(const char *path, const char *title, const Matrix *counts, char *error, size_t error_size);

/* The path build/pictures/<file_name>, where demos write their pictures (the folder is made if needed). */
const char *kit_picture_path(const char *file_name);

/* ---- training ------------------------------------------------------------ */

/* The networks of chapters 3.3 to 4.4 and the scratch of their training (course.h defines them: Mlp and KitMlpWork
 * in chapters 3.3 and 3.4, Mlp3 and KitMlp3Work in chapter 4.1). The work is allocated once before the first epoch
 * so that no training step allocates; its batch matrices have batch_size rows, of which kit_mlp_work_rows (or
 * kit_mlp3_work_rows) makes the current batch's m used. */
typedef struct Mlp Mlp;
typedef struct Mlp3 Mlp3;
typedef struct KitMlpWork KitMlpWork;
typedef struct KitMlp3Work KitMlp3Work;

/* A two-layer network of D inputs, H hidden units and K classes, every parameter 0; then, when rng is not NULL, W1
 * and W2 drawn in that order from He's normal distribution (mean 0, std sqrt(2 / fan_in), fan_in = D and H). */
Mlp kit_mlp_create(int inputs, int hidden, int classes, KitRng *rng);
void kit_mlp_free(Mlp *mlp);

/* The same for a three-layer network of H1 and H2 hidden units: W1, W2, W3 drawn in that order (fan_in D, H1, H2). */
Mlp3 kit_mlp3_create(int inputs, int hidden1, int hidden2, int classes, KitRng *rng);
void kit_mlp3_free(Mlp3 *mlp);

/* Allocates the scratch for N examples of D inputs, H hidden units and K classes, in batches of batch_size. */
KitMlpWork kit_mlp_work_create(int examples, int batch_size, int inputs, int hidden, int classes);

/* Makes the batch matrices of work m rows tall (1 <= m <= batch_size), for a batch of m examples; no allocation. */
void kit_mlp_work_rows(KitMlpWork *work, int m);

/* Frees what kit_mlp_work_create allocated. */
void kit_mlp_work_free(KitMlpWork *work);

/* The same three for the three-layer network of H1 and H2 hidden units (its work holds dropout's masks too). */
KitMlp3Work kit_mlp3_work_create(int examples, int batch_size, int inputs, int hidden1, int hidden2, int classes);
void kit_mlp3_work_rows(KitMlp3Work *work, int m);
void kit_mlp3_work_free(KitMlp3Work *work);

/* The side of the pooling windows of chapter 4.3's CNN, and their stride: each convolution stage pools with
 * max_pool(..., KIT_CNN_POOL, ...), in windows of 2x2. Every size of the CNN after a pooling is worked out from it. */
#define KIT_CNN_POOL 2

/* The sizes of chapter 4.3's CNN: images of channels x height x width, two convolutions of kernel x kernel filters
 * (stride 1; filters1, then filters2 over the filters1 pooled maps), each followed by KIT_CNN_POOL x KIT_CNN_POOL max
 * pooling and ReLU, a dense hidden layer of hidden units with ReLU, and a dense output layer of classes scores. */
typedef struct {
    int channels, height, width, kernel;
    int filters1, filters2, hidden, classes;
} KitCnnSizes;

/* The sizes derived from them: the feature maps of convolution 1 (OH1 x OW1 = height - kernel + 1 by width - kernel + 1),
 * its pooled maps (PH1 = OH1 / KIT_CNN_POOL, PW1 = OW1 / KIT_CNN_POOL, rounded down), the same for convolution 2
 * over PH1 x PW1 maps, and the values each image has at every stage. Exits with a message if the images are too small for two stages. */
typedef struct {
    int OH1, OW1, PH1, PW1, OH2, OW2, PH2, PW2;
    int maps1, pooled1, maps2, pooled2; /* filters1*OH1*OW1, filters1*PH1*PW1, filters2*OH2*OW2, filters2*PH2*PW2 */
} KitCnnLayout;

KitCnnLayout kit_cnn_layout(KitCnnSizes sizes);

/* The scratch of training chapter 4.3's CNN, allocated once before the first epoch so that no training step
 * allocates. With m the rows of the current batch (kit_cnn_work_rows) and the letters of KitCnnLayout:
 *   X m x (C*IH*IW), labels m x 1, Y m x K              the batch, its classes and their one-hot rows
 *   columns1 (m*OH1*OW1) x (C*k*k)                     im2col(X): forward_cnn makes it, backward_cnn reads it (4.2)
 *   Z1, dZ1 m x maps1                                  convolution 1's output and its gradient
 *   pooled1, A1, dA1, dpooled1 m x pooled1             its pooled maps, after ReLU, and their gradients
 *   argmax1 m*pooled1 ints                             where in Z1 each pooled value came from
 *   columns2 (m*OH2*OW2) x (F1*k*k)                    im2col(A1), for convolution 2
 *   Z2, dZ2 m x maps2; pooled2, A2, dpooled2 m x pooled2; argmax2 m*pooled2 ints   the same for convolution 2
 *   Z3, A3, dZ3 m x H                                  the hidden layer's sums, after ReLU, and dL/dZ3
 *   Z4, A4, dZ4 m x K                                  the output layer's scores, the probabilities, dL/dZ4
 *   dW1 .. db4                                         the gradients, each of its parameter's shape (see Cnn)
 * order holds the examples' order (N ints). */
typedef struct {
    int batch_size, examples;
    KitCnnSizes sizes;
    KitCnnLayout layout;
    Matrix X, labels, Y;
    Matrix columns1, Z1, pooled1, A1, columns2, Z2, pooled2, A2, Z3, A3, Z4, A4;
    Matrix dZ4, dZ3, dpooled2, dZ2, dA1, dpooled1, dZ1;
    Matrix dW1, db1, dW2, db2, dW3, db3, dW4, db4;
    int *argmax1, *argmax2;
    int *order;
} KitCnnWork;

/* Allocates the scratch for N examples of the CNN of sizes, in batches of batch_size. */
KitCnnWork kit_cnn_work_create(int examples, int batch_size, KitCnnSizes sizes);

/* Makes the batch matrices of work m rows tall (the columns m*OH*OW rows), for a batch of m examples; no allocation. */
void kit_cnn_work_rows(KitCnnWork *work, int m);

/* Frees what kit_cnn_work_create allocated. */
void kit_cnn_work_free(KitCnnWork *work);

/* Chapter 4.3's CNN (course.h defines it). kit_cnn_create allocates one of sizes with every parameter 0, then, when
 * rng is not NULL, draws W1, W2, W3 and W4 in that order from He's normal distribution (mean 0, std sqrt(2 / fan_in),
 * fan_in = C*k*k, F1*k*k, pooled2 and hidden), the biases staying 0. A Cnn of zeros serves as momentum's velocity. */
typedef struct Cnn Cnn;
Cnn kit_cnn_create(KitCnnSizes sizes, KitRng *rng);
void kit_cnn_free(Cnn *cnn);

/* The sizes of cnn, read off its matrices and shape. */
KitCnnSizes kit_cnn_sizes(const Cnn *cnn);

/* A progress bar for one epoch of training. On a terminal it redraws one line (epoch, step, running loss and
 * accuracy, time spent and time left) at most ten times a second; elsewhere it prints only the epoch's line. */
typedef struct KitProgress {
    int epoch, epochs, steps, step;
    double loss_sum;   /* sum over the steps so far of loss * batch rows */
    long right, seen;  /* examples whose largest probability was their label, examples seen */
    double started, drawn;
    int terminal;
    float *step_losses; /* NULL, or where step k's loss is stored at [k - 1] (set it after kit_progress_begin) */
    /* NULL, or called by kit_progress_step after each step, with watch_context (set them after kit_progress_begin):
     * the grader's training checks use it to end a training that can no longer reach its bar */
    void (*watch)(const struct KitProgress *p, void *watch_context);
    void *watch_context;
} KitProgress;

/* Starts epoch (1-based) of epochs, made of steps batches. */
void kit_progress_begin(KitProgress *p, int epoch, int epochs, int steps);

/* Records one training step: its mean loss and the batch's probabilities (m x K) and labels (m x 1). p may be NULL. */
void kit_progress_step(KitProgress *p, float loss, const Matrix *probabilities, const Matrix *labels);

/* Ends the epoch: prints "epoch e/E  S steps  loss L  train accuracy A%  T s" on a line of its own. */
void kit_progress_end(KitProgress *p);

/* The fraction of rows of probabilities (N x K) whose largest element is at the column labels (N x 1) names. */
double kit_argmax_accuracy(const Matrix *probabilities, const Matrix *labels);

/* ---- the course's small data set --------------------------------------- */

/* Eight people, four columns: age, salary, years of experience, promoted (1) or not (0). */
#define KIT_PEOPLE_ROWS 8
#define KIT_PEOPLE_COLS 4
extern const char *const kit_people_columns[KIT_PEOPLE_COLS];

/* Allocates the 8 x 4 people data set (free it with kit_matrix_free). */
Matrix kit_people_dataset(void);

/* ---- demos -------------------------------------------------------------- */

/* Prints a blank line and "== title ==": the heading of a part of a demo. */
void kit_section(const char *title);

/* ---- errors and placeholders ------------------------------------------- */

/* What kit_fatal prints before its message, and the exit status it ends with: the grader recognises a refusal
 * (kit_emit_refusal) and an error of the learner's code by them. */
#define KIT_FATAL_PREFIX "error: "
#define KIT_EXIT_FATAL 1

/* Prints KIT_FATAL_PREFIX and the formatted message to stderr, then exits with KIT_EXIT_FATAL. */
_Noreturn void kit_fatal(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* The exit status of a program that reached a function not written yet. */
#define KIT_EXIT_NOT_IMPLEMENTED 3

/* Reports that a function of the course is still a stub, then exits with KIT_EXIT_NOT_IMPLEMENTED. */
_Noreturn void kit_not_implemented(const char *function, const char *file);

/* Called by kit_not_implemented first, when a program set it: the grader's check program records there which
 * function a check stopped at, as data beside the message. NULL by default. */
extern void (*kit_not_implemented_hook)(const char *function, const char *file);

/* The placeholder in every stub: replace it with your code. */
#define KIT_NOT_IMPLEMENTED() kit_not_implemented(__func__, __FILE__)

#endif
