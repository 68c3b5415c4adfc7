/*
 * The demo of chapter 4.2: Convolutional Layers for CNNs.
 * Run it with your code:  make run CH=4.2
 * It walks through the lesson and calls your functions from exercise.c: convolution against
 * cross-correlation, output sizes, im2col, edge filters on an image of the data set (written as
 * pictures), the speed of conv2d against conv2d_im2col, and the backward pass.
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 64
#define FILTERS 8
#define TIMED_RUNS 9

static const char *const fashion_classes[10] = {"T-shirt/top", "trouser", "pullover", "dress", "coat",
                                                "sandal", "shirt", "sneaker", "bag", "ankle boot"};

/* A one-image, one-channel, one-filter convolution with your conv2d: out = image (x) kernel, cross-correlation. */
static void cross_correlate(Matrix *out, const Matrix *image, const Matrix *kernel)
{
    ConvShape shape = {1, image->rows, image->cols, kernel->rows, 1};
    Matrix X = {1, image->rows * image->cols, image->data}, W = {1, kernel->rows * kernel->cols, kernel->data};
    Matrix result = {1, out->rows * out->cols, out->data};
    float zero = 0.0f;
    Matrix b = {1, 1, &zero};
    conv2d(&result, &X, &W, &b, shape);
}

/* The kernel rotated by 180 degrees (flipped in both axes). */
static void flip(Matrix *flipped, const Matrix *kernel)
{
    int n = kernel->rows * kernel->cols;
    for (int k = 0; k < n; k++)
        flipped->data[k] = kernel->data[n - 1 - k];
}

static double largest_difference(const float *a, const float *b, size_t n)
{
    double largest = 0.0;
    for (size_t k = 0; k < n; k++)
        if (fabs((double)a[k] - b[k]) > largest)
            largest = fabs((double)a[k] - b[k]);
    return largest;
}

/* Prints a height x width image of pixels in [0, 1] as text, two characters per pixel so that it keeps its
 * shape: ' ' below 0.1, '.' below 0.4, 'o' below 0.7, '#' above, between two bars. */
static void print_image(const float *pixels, int height, int width)
{
    for (int y = 0; y < height; y++) {
        printf("  |");
        for (int x = 0; x < width; x++) {
            double v = pixels[y * width + x];
            char ch = v < 0.1 ? ' ' : v < 0.4 ? '.' : v < 0.7 ? 'o' : '#';
            printf("%c%c", ch, ch);
        }
        printf("|\n");
    }
}

/* Prints two height x width maps side by side, one character per value, each map on its own scale: '+' above a
 * third of its largest |value|, '-' below minus that, '.' in between. */
static void print_signed_maps(const float *left, const float *right, int height, int width)
{
    const float *maps[2] = {left, right};
    double largest[2] = {0.0, 0.0};
    for (int m = 0; m < 2; m++)
        for (int p = 0; p < height * width; p++)
            largest[m] = fmax(largest[m], fabs(maps[m][p]));
    for (int y = 0; y < height; y++) {
        printf("  ");
        for (int m = 0; m < 2; m++) {
            for (int x = 0; x < width; x++) {
                double v = maps[m][y * width + x];
                printf("%c", v > largest[m] / 3 ? '+' : v < -largest[m] / 3 ? '-' : '.');
            }
            printf(m == 0 ? "    " : "\n");
        }
    }
}

/* The loss sum(out * R) of conv2d's output, in double, for central differences. */
static double product_loss(const Matrix *out, const Matrix *R)
{
    double sum = 0.0;
    for (int k = 0; k < out->rows * out->cols; k++)
        sum += (double)out->data[k] * R->data[k];
    return sum;
}

/* The largest |analytic - numeric| / max(|analytic|, |numeric|, 1) over the elements of params, with central
 * differences (h = 0.01) of sum(conv2d(X, W, b) * R). */
static double gradient_error(const Matrix *analytic, Matrix *params, Matrix *out, const Matrix *X, const Matrix *W,
                             const Matrix *b, const Matrix *R, ConvShape shape)
{
    double worst = 0.0;
    for (int k = 0; k < params->rows * params->cols; k++) {
        float saved = params->data[k];
        params->data[k] = saved + 0.01f;
        conv2d(out, X, W, b, shape);
        double up = product_loss(out, R);
        params->data[k] = saved - 0.01f;
        conv2d(out, X, W, b, shape);
        double down = product_loss(out, R);
        params->data[k] = saved;
        double numeric = (up - down) / ((double)(saved + 0.01f) - (double)(saved - 0.01f));
        double a = analytic->data[k];
        double error = fabs(a - numeric) / fmax(fmax(fabs(a), fabs(numeric)), 1.0);
        worst = fmax(worst, error);
    }
    return worst;
}

int main(void)
{
    kit_section("Cross-correlation and convolution: conv2d, convolve2d");
    const float nine[] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, four[] = {1, 2, 3, 4};
    Matrix image = kit_matrix_from(3, 3, nine), kernel = kit_matrix_from(2, 2, four);
    Matrix flipped = kit_matrix_create(2, 2), result = kit_matrix_create(2, 2);
    kit_matrix_print("image", &image, 0);
    kit_matrix_print("kernel", &kernel, 0);
    cross_correlate(&result, &image, &kernel);
    kit_matrix_print("cross-correlation, the kernel as it is (conv2d)", &result, 0);
    convolve2d(&result, &image, &kernel);
    kit_matrix_print("convolution, the kernel flipped (convolve2d)", &result, 0);
    flip(&flipped, &kernel);
    kit_matrix_print("the kernel flipped in both axes", &flipped, 0);
    cross_correlate(&result, &image, &flipped);
    kit_matrix_print("cross-correlation with the flipped kernel (conv2d)", &result, 0);

    kit_section("What each one does to a single bright pixel");
    float impulse_values[25] = {0};
    impulse_values[12] = 1;
    Matrix impulse = kit_matrix_from(5, 5, impulse_values), kernel3 = kit_matrix_from(3, 3, nine);
    Matrix response = kit_matrix_create(3, 3);
    printf("image: 5 x 5 zeros with a 1 in the middle; kernel: [[1, 2, 3], [4, 5, 6], [7, 8, 9]]\n");
    cross_correlate(&response, &impulse, &kernel3);
    kit_matrix_print("cross-correlation (conv2d)", &response, 0);
    convolve2d(&response, &impulse, &kernel3);
    kit_matrix_print("convolution (convolve2d)", &response, 0);

    kit_section("Output sizes: conv_output_size");
    const int sizes[][4] = {{28, 28, 3, 1}, {28, 28, 3, 2}, {28, 28, 5, 1}, {28, 28, 3, 3}, {5, 7, 3, 2}, {5, 7, 2, 3}};
    printf("%8s %8s %8s %10s   %s\n", "input", "kernel", "stride", "output", "input rows and columns never read");
    for (int t = 0; t < 6; t++) {
        int IH = sizes[t][0], IW = sizes[t][1], k = sizes[t][2], stride = sizes[t][3];
        int OH = conv_output_size(IH, k, stride), OW = conv_output_size(IW, k, stride);
        char input[32], output[32];
        snprintf(input, sizeof input, "%dx%d", IH, IW);
        snprintf(output, sizeof output, "%dx%d", OH, OW);
        printf("%8s %8d %8d %10s   %d and %d\n", input, k, stride, output, IH - ((OH - 1) * stride + k),
               IW - ((OW - 1) * stride + k));
    }

    kit_section("The layout of a layer's output: two filters on one image");
    const float pixels[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    const float two_filters[] = {0, 1, 2, 0, -1, 0, 0, 1}, two_biases[] = {0, 1};
    Matrix X1 = kit_matrix_from(1, 12, pixels), W2 = kit_matrix_from(2, 4, two_filters);
    Matrix b2 = kit_matrix_from(1, 2, two_biases), out12 = kit_matrix_create(1, 12);
    ConvShape s34 = {1, 3, 4, 2, 1};
    Matrix X1_view = {3, 4, X1.data};
    kit_matrix_print("X: one 3x4 image (a row of 12 pixels)", &X1_view, 0);
    Matrix filter0 = {2, 2, W2.data}, filter1 = {2, 2, W2.data + 4};
    kit_matrix_print("filter 0 (row 0 of W)", &filter0, 0);
    kit_matrix_print("filter 1 (row 1 of W)", &filter1, 0);
    printf("b = [0, 1]\n");
    conv2d(&out12, &X1, &W2, &b2, s34);
    kit_matrix_print("out = conv2d(X, W, b), stride 1: 1 x (2 filters * 2 * 3)", &out12, 0);
    Matrix map0 = {2, 3, out12.data}, map1 = {2, 3, out12.data + 6};
    kit_matrix_print("map of filter 0", &map0, 0);
    kit_matrix_print("map of filter 1", &map1, 0);

    kit_section("Every patch in a row of its own: im2col");
    Matrix X_small = kit_matrix_from(1, 9, nine), columns_small = kit_matrix_create(4, 4);
    ConvShape s33 = {1, 3, 3, 2, 1};
    im2col(&columns_small, &X_small, s33);
    kit_matrix_print("columns = im2col(the 3x3 image above, k = 2): one row per output position", &columns_small, 0);
    Matrix W_small = {1, 4, kernel.data}, out_small = kit_matrix_create(1, 4), columns_again = kit_matrix_create(4, 4);
    float zero_bias = 0.0f;
    Matrix b_small = {1, 1, &zero_bias};
    conv2d_im2col(&out_small, &columns_again, &X_small, &W_small, &b_small, s33);
    kit_matrix_print("conv2d_im2col with the kernel [1, 2, 3, 4] as W: W times columns^T", &out_small, 0);

    kit_section("Edge filters on an image of the data set");
    KitDatasetPlace place;
    KitDataset data;
    char error[1024];
    if (kit_dataset_find(&place, error, sizeof error) != 0) {
        fprintf(stderr, "error: %s\n", error);
        return 1;
    }
    if (kit_dataset_load(&data, &place, error, sizeof error) != 0) {
        fprintf(stderr, "error: %s\n", error);
        return 1;
    }
    int mnist = strcmp(place.name, "MNIST") == 0, label = (int)data.test_labels.data[0];
    char class_name[32];
    if (mnist)
        snprintf(class_name, sizeof class_name, "the digit %d", label);
    else
        snprintf(class_name, sizeof class_name, "class %d, %s", label, fashion_classes[label]);
    printf("data set: %s; test image 0 (%s), 28 x 28 pixels in [0, 1]:\n", place.name, class_name);
    print_image(data.test_images.data, 28, 28);
    const char *filter_names[4] = {"vertical edges (Sobel x)", "horizontal edges (Sobel y)",
                                   "outlines (Laplacian)", "blur (mean of 3 x 3)"};
    const float edge_filters[4][9] = {
        {-1, 0, 1, -2, 0, 2, -1, 0, 1},
        {-1, -2, -1, 0, 0, 0, 1, 2, 1},
        {0, 1, 0, 1, -4, 1, 0, 1, 0},
        {1.0f / 9, 1.0f / 9, 1.0f / 9, 1.0f / 9, 1.0f / 9, 1.0f / 9, 1.0f / 9, 1.0f / 9, 1.0f / 9},
    };
    Matrix filters = kit_matrix_from(4, 9, &edge_filters[0][0]), no_bias = kit_matrix_create(1, 4);
    Matrix picture = {1, 784, data.test_images.data};
    ConvShape s28 = {1, 28, 28, 3, 1};
    Matrix maps = kit_matrix_create(1, 4 * 26 * 26);
    conv2d(&maps, &picture, &filters, &no_bias, s28);
    printf("conv2d with 4 filters of 3 x 3, stride 1: out is %d x %d, four 26 x 26 maps\n", maps.rows, maps.cols);
    for (int f = 0; f < 4; f++) {
        const float *map = maps.data + f * 676;
        int at = 0;
        double low = INFINITY, high = -INFINITY;
        for (int p = 0; p < 676; p++) {
            low = fmin(low, map[p]), high = fmax(high, map[p]);
            if (fabs(map[p]) > fabs(map[at]))
                at = p;
        }
        printf("  map %d, %-27s min %6.3f  max %6.3f  strongest at (%2d, %2d)\n", f, filter_names[f], low, high,
               at / 26, at % 26);
    }
    printf("vertical edges (left) and horizontal edges (right): + above a third of the largest value, - below\n");
    printf("minus that, . in between\n");
    print_signed_maps(maps.data, maps.data + 676, 26, 26);
    ConvShape s28_2 = {1, 28, 28, 3, 2};
    Matrix maps2 = kit_matrix_create(1, 4 * 13 * 13);
    conv2d(&maps2, &picture, &filters, &no_bias, s28_2);
    printf("the same filters with stride 2: out is %d x %d, four 13 x 13 maps\n", maps2.rows, maps2.cols);
    struct {
        const char *file, *what;
        const Matrix *images;
        int count, side, scale;
        const char *title, *numbered;
    } pictures[4] = {
        {"4.2-image.png", "test image 0", &picture, 1, 28, 8, "Test image 0", NULL},
        {"4.2-filters.png", "the 4 filters of 3 x 3, in the order of the maps", &filters, 4, 3, 32, "The 4 filters",
         "filter"},
        {"4.2-feature-maps.png", "the 4 feature maps of 26 x 26 (stride 1)", &maps, 4, 26, 8,
         "Feature maps, stride 1", "map"},
        {"4.2-feature-maps-stride-2.png", "the 4 feature maps of 13 x 13 (stride 2)", &maps2, 4, 13, 16,
         "Feature maps, stride 2", "map"},
    };
    for (int p = 0; p < 4; p++) {
        const char *path = kit_picture_path(pictures[p].file);
        const KitImageGrid grid = {.title = pictures[p].title, .height = pictures[p].side, .width = pictures[p].side,
                                   .columns = 4, .scale = pictures[p].scale, .numbered = pictures[p].numbered};
        if (kit_plot_images(path, &grid, pictures[p].images, pictures[p].count, error, sizeof error) != 0)
            printf("could not draw the picture: %s\n", error);
        else
            printf("picture: %s: %s, each value a %d x %d square\n", path, pictures[p].what, pictures[p].scale,
                   pictures[p].scale);
    }
    printf("tiles left to right: ");
    for (int f = 0; f < 4; f++)
        printf(f < 3 ? "%s, " : "%s\n", filter_names[f]);
    printf("each tile is scaled on its own: its smallest value black, its largest white (0 is a mid grey in the\n");
    printf("edge maps, whose values are both negative and positive)\n");

    kit_section("Speed: a batch of 64 images, 8 filters of 3 x 3");
    KitRng rng;
    kit_rng_seed(&rng, 42);
    Matrix batch = {BATCH, 784, data.test_images.data};
    Matrix W8 = kit_matrix_create(FILTERS, 9), b8 = kit_matrix_create(1, FILTERS);
    kit_matrix_fill_normal(&W8, &rng, 0.0f, 0.3f);
    kit_matrix_fill_normal(&b8, &rng, 0.0f, 0.1f);
    Matrix out_direct = kit_matrix_create(BATCH, FILTERS * 676), out_fast = kit_matrix_create(BATCH, FILTERS * 676);
    Matrix columns = kit_matrix_create(BATCH * 676, 9);
    printf("X %d x %d, W %d x %d, out %d x %d, columns %d x %d\n", batch.rows, batch.cols, W8.rows, W8.cols,
           out_fast.rows, out_fast.cols, columns.rows, columns.cols);
    double work = 2.0 * BATCH * FILTERS * 676 * 9;
    printf("work: 2 * 64 * 8 * 676 * 9 = %.0f floating-point operations\n", work);
    double direct_times[TIMED_RUNS], fast_times[TIMED_RUNS];
    conv2d_im2col(&out_fast, &columns, &batch, &W8, &b8, s28); /* untimed first calls: fresh memory, caches */
    conv2d(&out_direct, &batch, &W8, &b8, s28);
    for (int run = 0; run < TIMED_RUNS; run++) {
        double start = kit_seconds();
        conv2d(&out_direct, &batch, &W8, &b8, s28);
        direct_times[run] = kit_seconds() - start;
        start = kit_seconds();
        conv2d_im2col(&out_fast, &columns, &batch, &W8, &b8, s28);
        fast_times[run] = kit_seconds() - start;
    }
    double direct_seconds = kit_median(direct_times, TIMED_RUNS), fast_seconds = kit_median(fast_times, TIMED_RUNS);
    printf("conv2d, direct loops:  %.3f ms, %.2f GFLOP/s (the median of %d runs)\n", 1e3 * direct_seconds,
           work / direct_seconds / 1e9, TIMED_RUNS);
    printf("conv2d_im2col:         %.3f ms, %.2f GFLOP/s\n", 1e3 * fast_seconds, work / fast_seconds / 1e9);
    printf("speed-up: %.1fx\n", direct_seconds / fast_seconds);
    double difference = largest_difference(out_direct.data, out_fast.data, (size_t)BATCH * FILTERS * 676);
    printf("the two agree to within 1e-4 in all %d elements: %s\n", BATCH * FILTERS * 676,
           difference < 1e-4 ? "yes" : "no");

    kit_section("The backward pass: backward_conv2d");
    const float corner[] = {1, 0, 0, 0}, ones[] = {1, 1, 1, 1};
    Matrix X9 = {1, 9, image.data}, W4 = {1, 4, kernel.data};
    Matrix dX9 = kit_matrix_create(1, 9), dW4 = kit_matrix_create(1, 4), db1 = kit_matrix_create(1, 1);
    Matrix scratch = kit_matrix_create(4, 4);
    for (int t = 0; t < 2; t++) {
        Matrix dout = kit_matrix_from(1, 4, t == 0 ? corner : ones);
        Matrix dout_view = {2, 2, dout.data}, dX_view = {3, 3, dX9.data}, dW_view = {2, 2, dW4.data};
        im2col(&scratch, &X9, s33); /* the patches, as the forward pass leaves them for the backward pass */
        backward_conv2d(&dX9, &dW4, &db1, &dout, &X9, &W4, &scratch, s33);
        printf(t == 0 ? "the 3x3 image and the 2x2 kernel above, stride 1\n" : "\n");
        kit_matrix_print("dout", &dout_view, 0);
        kit_matrix_print("dW", &dW_view, 0);
        printf("db = %.0f\n", db1.data[0]);
        kit_matrix_print("dX", &dX_view, 0);
        /* the full convolution: dout padded with k - 1 = 1 zero on every side, convolved with the kernel */
        Matrix padded = kit_matrix_create(4, 4), full = kit_matrix_create(3, 3);
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 2; x++)
                padded.data[(y + 1) * 4 + (x + 1)] = dout.data[y * 2 + x];
        convolve2d(&full, &padded, &kernel);
        kit_matrix_print("convolve2d(dout padded with one ring of zeros, kernel): the full convolution", &full, 0);
        kit_matrix_free(&padded), kit_matrix_free(&full), kit_matrix_free(&dout);
    }

    printf("\ncentral differences of L = sum(out * R) through your conv2d, h = 0.01, on 2 random images of\n");
    printf("2 channels, 6x7, 3 filters of 3 x 3, stride 2 (largest relative error over all elements):\n");
    ConvShape s67 = {2, 6, 7, 3, 2};
    Matrix GX = kit_matrix_create(2, 84), GW = kit_matrix_create(3, 18), Gb = kit_matrix_create(1, 3);
    Matrix R = kit_matrix_create(2, 3 * 6), Gout = kit_matrix_create(2, 3 * 6);
    kit_matrix_fill_normal(&GX, &rng, 0.0f, 1.0f);
    kit_matrix_fill_normal(&GW, &rng, 0.0f, 1.0f);
    kit_matrix_fill_normal(&Gb, &rng, 0.0f, 1.0f);
    kit_matrix_fill_normal(&R, &rng, 0.0f, 1.0f);
    Matrix dGX = kit_matrix_create(2, 84), dGW = kit_matrix_create(3, 18), dGb = kit_matrix_create(1, 3);
    Matrix Gcolumns = kit_matrix_create(2 * 6, 18);
    im2col(&Gcolumns, &GX, s67);
    backward_conv2d(&dGX, &dGW, &dGb, &R, &GX, &GW, &Gcolumns, s67); /* dL/dout = R */
    printf("  dW: %.1e   db: %.1e   dX: %.1e\n", gradient_error(&dGW, &GW, &Gout, &GX, &GW, &Gb, &R, s67),
           gradient_error(&dGb, &Gb, &Gout, &GX, &GW, &Gb, &R, s67),
           gradient_error(&dGX, &GX, &Gout, &GX, &GW, &Gb, &R, s67));

    printf("\ntimes for the batch of 64 above (dout = the forward output, as a stand-in):\n");
    Matrix dX64 = kit_matrix_create(BATCH, 784), dW8 = kit_matrix_create(FILTERS, 9);
    Matrix db8 = kit_matrix_create(1, FILTERS);
    double without_dx[TIMED_RUNS], with_dx[TIMED_RUNS];
    /* columns holds the batch's patches from conv2d_im2col above; with dX, backward_conv2d writes dcolumns over
     * them, so those runs come last (their dW is then meaningless, but it takes the same time) */
    backward_conv2d(NULL, &dW8, &db8, &out_fast, &batch, &W8, &columns, s28);
    for (int run = 0; run < TIMED_RUNS; run++) {
        double start = kit_seconds();
        backward_conv2d(NULL, &dW8, &db8, &out_fast, &batch, &W8, &columns, s28);
        without_dx[run] = kit_seconds() - start;
    }
    for (int run = 0; run < TIMED_RUNS; run++) {
        double start = kit_seconds();
        backward_conv2d(&dX64, &dW8, &db8, &out_fast, &batch, &W8, &columns, s28);
        with_dx[run] = kit_seconds() - start;
    }
    double backward_seconds = kit_median(without_dx, TIMED_RUNS);
    printf("backward_conv2d, dX = NULL (a first layer): %.3f ms\n", 1e3 * backward_seconds);
    printf("backward_conv2d with dX:                    %.3f ms\n", 1e3 * kit_median(with_dx, TIMED_RUNS));
    printf("forward and backward of this layer for the 60000 training images, 938 batches: about %.2f s\n",
           938 * (fast_seconds + backward_seconds));

    kit_dataset_free(&data);
    Matrix *all[] = {&image, &kernel, &flipped, &result, &impulse, &kernel3, &response, &X1, &W2, &b2, &out12,
                     &X_small, &columns_small, &out_small, &columns_again, &filters, &no_bias, &maps, &maps2, &W8,
                     &b8, &out_direct, &out_fast, &columns, &dX9, &dW4, &db1, &scratch, &GX, &GW, &Gb, &R, &Gout,
                     &dGX, &dGW, &dGb, &Gcolumns, &dX64, &dW8, &db8};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        kit_matrix_free(all[i]);
    return 0;
}
