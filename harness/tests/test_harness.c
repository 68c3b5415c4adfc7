/* The harness's own unit tests (Criterion): matrices, the seeded generator, and the IDX reader (the pictures
 * are tested in test_plot.c). */
#include "kit.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

/* ---- matrices ---- */

Test(matrix, create_is_zero_filled_with_its_shape)
{
    Matrix m = kit_matrix_create(3, 4);
    cr_assert_eq(m.rows, 3);
    cr_assert_eq(m.cols, 4);
    for (int k = 0; k < 12; k++)
        cr_assert_eq(m.data[k], 0.0f);
    kit_matrix_free(&m);
    cr_assert_null(m.data);
    cr_assert_eq(m.rows, 0);
    kit_matrix_free(&m); /* freeing twice is harmless */
}

Test(matrix, from_copies_row_major)
{
    const float v[] = {1, 2, 3, 4, 5, 6};
    Matrix m = kit_matrix_from(2, 3, v);
    cr_assert_eq(m.data[1 * 3 + 2], 6.0f);
    cr_assert_neq(m.data, v);
    kit_matrix_fill(&m, -1.5f);
    for (int k = 0; k < 6; k++)
        cr_assert_eq(m.data[k], -1.5f);
    kit_matrix_free(&m);
}

Test(matrix, copy_requires_the_same_shape, .exit_code = 1)
{
    Matrix a = kit_matrix_create(2, 3), b = kit_matrix_create(3, 2);
    kit_matrix_copy(&a, &b);
}

Test(matrix, create_rejects_a_bad_shape, .exit_code = 1)
{
    kit_matrix_create(0, 5);
}

Test(matrix, require_shape_names_both_shapes)
{
    /* run the failing call in a child and read what it printed */
    fflush(NULL);
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        Matrix m = kit_matrix_create(2, 3);
        kit_require_shape(&m, 3, 3, "normalize: out");
    }
    close(fds[1]);
    char text[256] = {0};
    size_t used = 0;
    ssize_t n;
    while ((n = read(fds[0], text + used, sizeof text - 1 - used)) > 0)
        used += (size_t)n;
    int status;
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    cr_assert_str_eq(text, "error: normalize: out is 2 x 3, expected 3 x 3\n");
}

Test(matrix, print_aligns_and_drops_negative_zero)
{
    const float v[] = {-0.00001f, 12.5f, -3.25f, 1.0f};
    Matrix m = kit_matrix_from(2, 2, v);
    fflush(stdout);
    char path[] = "/tmp/kit-print-XXXXXX";
    int fd = mkstemp(path);
    int saved = dup(1);
    dup2(fd, 1);
    kit_matrix_print("m", &m, 2);
    fflush(stdout);
    dup2(saved, 1);
    char text[256] = {0};
    lseek(fd, 0, SEEK_SET);
    cr_assert_gt(read(fd, text, sizeof text - 1), 0);
    unlink(path);
    cr_assert_str_eq(text, "m (2 x 2):\n  [ 0.00  12.50]\n  [-3.25   1.00]\n");
    kit_matrix_free(&m);
}

/* ---- random numbers ---- */

Test(rng, same_seed_same_numbers_on_every_machine)
{
    KitRng a, b;
    kit_rng_seed(&a, 42);
    kit_rng_seed(&b, 42);
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(kit_rng_u32(&a), kit_rng_u32(&b));
    /* pinned values: a change to the generator would change every lesson's output */
    kit_rng_seed(&a, 42);
    uint32_t first[3] = {kit_rng_u32(&a), kit_rng_u32(&a), kit_rng_u32(&a)};
    kit_rng_seed(&a, 42);
    cr_assert_eq(kit_rng_u32(&a), first[0]);
    KitRng c;
    kit_rng_seed(&c, 43);
    cr_assert_neq(kit_rng_u32(&c), first[0]);
    kit_rng_seed(&a, 42);
    float w = kit_rng_normal(&a);
    cr_assert_float_eq(w, 0.2767f, 1e-4f, "seed 42's first normal is the W[0][0] that lesson 1.1 prints");
}

Test(rng, uniform_and_normal_have_the_right_moments)
{
    KitRng rng;
    kit_rng_seed(&rng, 7);
    double sum = 0, sum_sq = 0, usum = 0;
    const int n = 200000;
    for (int i = 0; i < n; i++) {
        double x = kit_rng_normal(&rng);
        sum += x;
        sum_sq += x * x;
        float u = kit_rng_uniform(&rng);
        cr_assert(u >= 0.0f && u < 1.0f);
        usum += u;
    }
    cr_assert_float_eq(sum / n, 0.0, 0.01);
    cr_assert_float_eq(sum_sq / n, 1.0, 0.01);
    cr_assert_float_eq(usum / n, 0.5, 0.005);
}

Test(rng, below_covers_every_value_evenly)
{
    KitRng rng;
    kit_rng_seed(&rng, 3);
    int counts[10] = {0};
    for (int i = 0; i < 100000; i++) {
        int v = kit_rng_below(&rng, 10);
        cr_assert(v >= 0 && v < 10);
        counts[v]++;
    }
    for (int v = 0; v < 10; v++)
        cr_assert(counts[v] > 9500 && counts[v] < 10500, "value %d came %d times", v, counts[v]);
    cr_assert_eq(kit_rng_below(&rng, 1), 0);
}

/* ---- IDX files ---- */

static char scratch[64];

static void make_scratch(void)
{
    strcpy(scratch, "/tmp/kit-idx-XXXXXX");
    cr_assert_not_null(mkdtemp(scratch));
}

static void remove_scratch(void)
{
    char command[128];
    snprintf(command, sizeof command, "rm -rf %s", scratch);
    cr_assert_eq(system(command), 0);
}

/* Writes bytes to scratch/name, gzip-compressed when gz is set; returns the path. */
static const char *write_bytes(const char *name, const unsigned char *bytes, size_t n, int gz)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", scratch, name);
    if (gz) {
        gzFile f = gzopen(path, "wb");
        cr_assert_not_null(f);
        cr_assert_eq(gzwrite(f, bytes, (unsigned)n), (int)n);
        gzclose(f);
    } else {
        FILE *f = fopen(path, "wb");
        cr_assert_eq(fwrite(bytes, 1, n, f), n);
        fclose(f);
    }
    return path;
}

/* An IDX file of 2 images of 2 x 3 pixels. */
static const unsigned char images[] = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3,
                                       1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

Test(idx, reads_plain_and_gzip_files, .init = make_scratch, .fini = remove_scratch)
{
    for (int gz = 0; gz <= 1; gz++) {
        KitIdx idx;
        char error[256];
        const char *path = write_bytes(gz ? "images.gz" : "images", images, sizeof images, gz);
        cr_assert_eq(kit_idx_read(path, &idx, error, sizeof error), 0, "%s", error);
        cr_assert_eq(idx.dimension_count, 3);
        cr_assert_eq(idx.dims[0], 2);
        cr_assert_eq(idx.dims[1], 2);
        cr_assert_eq(idx.dims[2], 3);
        cr_assert_eq(idx.size, 12);
        cr_assert_eq(idx.data[11], 12);
        kit_idx_free(&idx);
    }
}

/* Asserts that reading bytes fails with a message that contains every word given. */
static void assert_fails(const unsigned char *bytes, size_t n, int gz, const char *want1, const char *want2)
{
    KitIdx idx;
    char error[256] = "";
    const char *path = write_bytes("bad", bytes, n, gz);
    cr_assert_eq(kit_idx_read(path, &idx, error, sizeof error), -1);
    cr_assert_null(idx.data);
    cr_assert(strstr(error, path) != NULL, "the message names the file: %s", error);
    cr_assert(strstr(error, want1) != NULL, "'%s' in: %s", want1, error);
    if (want2)
        cr_assert(strstr(error, want2) != NULL, "'%s' in: %s", want2, error);
}

Test(idx, a_missing_file_is_named, .init = make_scratch, .fini = remove_scratch)
{
    KitIdx idx;
    char error[256];
    cr_assert_eq(kit_idx_read("/nonexistent/train-images-idx3-ubyte.gz", &idx, error, sizeof error), -1);
    cr_assert_str_eq(error, "/nonexistent/train-images-idx3-ubyte.gz: cannot open: No such file or directory");
}

Test(idx, truncated_data_says_how_much_is_there, .init = make_scratch, .fini = remove_scratch)
{
    assert_fails(images, sizeof images - 5, 0, "truncated: 7 of 12 data bytes", NULL);
    assert_fails(images, sizeof images - 5, 1, "truncated: 7 of 12 data bytes", NULL);
    assert_fails(images, 10, 0, "truncated in its header", NULL);
    assert_fails(images, 2, 0, "truncated", "magic");
}

Test(idx, a_wrong_magic_number_is_reported, .init = make_scratch, .fini = remove_scratch)
{
    const unsigned char text[] = "<html>not found</html>";
    assert_fails(text, sizeof text, 0, "is not an IDX file", "expected 2049 (labels) or 2051 (images)");
    unsigned char floats[sizeof images];
    memcpy(floats, images, sizeof images);
    floats[2] = 0x0D;
    assert_fails(floats, sizeof floats, 0, "magic number 3331", NULL);
}

Test(idx, extra_bytes_are_an_error, .init = make_scratch, .fini = remove_scratch)
{
    unsigned char longer[sizeof images + 4] = {0};
    memcpy(longer, images, sizeof images);
    assert_fails(longer, sizeof longer, 1, "longer than its header says", NULL);
}

Test(idx, a_corrupt_gzip_stream_fails_cleanly, .init = make_scratch, .fini = remove_scratch)
{
    const char *path = write_bytes("good.gz", images, sizeof images, 1);
    FILE *f = fopen(path, "rb");
    unsigned char buffer[256];
    size_t n = fread(buffer, 1, sizeof buffer, f);
    fclose(f);
    for (size_t i = 12; i < n - 8; i++)
        buffer[i] ^= 0x5A;
    KitIdx idx;
    char error[256] = "";
    const char *bad = write_bytes("corrupt.gz", buffer, n, 0);
    cr_assert_eq(kit_idx_read(bad, &idx, error, sizeof error), -1);
    cr_assert(strstr(error, bad) != NULL, "%s", error);
}

Test(idx, reads_the_real_mnist_test_labels)
{
    const char *path = "../shared/datasets/mnist-t10k/t10k-labels-idx1-ubyte.gz";
    if (access(path, R_OK) != 0)
        cr_skip_test("%s is not here (it is only beside the kit's own checkout)", path);
    KitIdx idx;
    char error[256];
    cr_assert_eq(kit_idx_read(path, &idx, error, sizeof error), 0, "%s", error);
    cr_assert_eq(idx.dimension_count, 1);
    cr_assert_eq(idx.dims[0], 10000);
    int counts[10] = {0};
    for (size_t i = 0; i < idx.size; i++)
        counts[idx.data[i]]++;
    const int expected[10] = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};
    for (int d = 0; d < 10; d++)
        cr_assert_eq(counts[d], expected[d], "digit %d", d);
    kit_idx_free(&idx);
}

/* ---- the data set ---- */

Test(dataset, a_label_out_of_range_is_named, .init = make_scratch, .fini = remove_scratch)
{
    const unsigned char labels[] = {0, 0, 8, 1, 0, 0, 0, 3, 4, 10, 2};
    const char *path = write_bytes("labels", labels, sizeof labels, 0);
    Matrix m;
    char error[256];
    cr_assert_eq(kit_idx_load_labels(&m, path, error, sizeof error), -1);
    cr_assert(strstr(error, "label 1 is 10, expected a class from 0 to 9") != NULL, "%s", error);
    cr_assert_eq(kit_idx_load_images(&m, path, error, sizeof error), -1);
    cr_assert(strstr(error, "expected 3") != NULL, "%s", error);
}

Test(dataset, mnist_dir_must_hold_the_four_files, .init = make_scratch, .fini = remove_scratch)
{
    setenv("MNIST_DIR", scratch, 1);
    KitDatasetPlace place;
    char error[512];
    cr_assert_eq(kit_dataset_find(&place, error, sizeof error), -1);
    cr_assert(strstr(error, "MNIST_DIR is") && strstr(error, "train-images-idx3-ubyte(.gz) is missing"), "%s",
              error);
    unsetenv("MNIST_DIR");
}

Test(dataset, loads_the_real_mnist_test_digits)
{
    const char *dir = "../shared/datasets/mnist-t10k";
    if (access(dir, R_OK) != 0)
        cr_skip_test("%s is not here (it is only beside the kit's own checkout)", dir);
    Matrix images, labels;
    char error[256];
    cr_assert_eq(kit_idx_load_images(&images, "../shared/datasets/mnist-t10k/t10k-images-idx3-ubyte.gz", error,
                                     sizeof error), 0, "%s", error);
    cr_assert_eq(kit_idx_load_labels(&labels, "../shared/datasets/mnist-t10k/t10k-labels-idx1-ubyte.gz", error,
                                     sizeof error), 0, "%s", error);
    cr_assert_eq(images.rows, 10000);
    cr_assert_eq(images.cols, 784);
    cr_assert_eq(labels.rows, 10000);
    float low = 1, high = 0;
    for (size_t k = 0; k < (size_t)images.rows * images.cols; k++)
        low = fminf(low, images.data[k]), high = fmaxf(high, images.data[k]);
    cr_assert_eq(low, 0.0f);
    cr_assert_eq(high, 1.0f);
    cr_assert_eq(labels.data[0], 7.0f, "the first test digit of MNIST is a 7");
    kit_matrix_free(&images);
    kit_matrix_free(&labels);
}

Test(dataset, finds_and_loads_fashion_mnist_offline)
{
    if (access(KIT_FASHION_MNIST_DIR "/train-images-idx3-ubyte.gz", R_OK) != 0)
        cr_skip_test("Fashion-MNIST is not installed (dataset-fashion-mnist)");
    if (access(KIT_MNIST_DIR "/train-images-idx3-ubyte.gz", R_OK) == 0)
        cr_skip_test("MNIST was downloaded, so it comes first");
    unsetenv("MNIST_DIR");
    KitDatasetPlace place;
    KitDataset data;
    char error[512];
    cr_assert_eq(kit_dataset_find(&place, error, sizeof error), 0, "%s", error);
    cr_assert_str_eq(place.name, "Fashion-MNIST");
    cr_assert_eq(kit_dataset_load(&data, &place, error, sizeof error), 0, "%s", error);
    cr_assert_eq(data.train_images.rows, 60000);
    cr_assert_eq(data.train_images.cols, 784);
    cr_assert_eq(data.test_labels.rows, 10000);
    int counts[10] = {0};
    for (int i = 0; i < 60000; i++)
        counts[(int)data.train_labels.data[i]]++;
    for (int c = 0; c < 10; c++)
        cr_assert_eq(counts[c], 6000, "Fashion-MNIST has 6000 training images of class %d", c);
    kit_dataset_free(&data);
}

/* ---- placeholders ---- */

Test(placeholder, not_implemented_exits_with_its_status, .exit_code = KIT_EXIT_NOT_IMPLEMENTED)
{
    KIT_NOT_IMPLEMENTED();
}
