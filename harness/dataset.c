/* dataset.c: finds and loads the course's data set (MNIST, or Fashion-MNIST offline) as matrices. */
#include "kit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const split_files[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                           "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

/* Finds dir/name or dir/name.gz; returns 1 and the path, or 0. */
static int find_file(char *path, size_t size, const char *dir, const char *name)
{
    snprintf(path, size, "%s/%s.gz", dir, name);
    if (access(path, R_OK) == 0)
        return 1;
    snprintf(path, size, "%s/%s", dir, name);
    return access(path, R_OK) == 0;
}

/* Does dir hold all four files? Names the first missing one in missing. */
static int complete(const char *dir, char *missing, size_t missing_size)
{
    char path[1024];
    for (int i = 0; i < 4; i++) {
        if (!find_file(path, sizeof path, dir, split_files[i])) {
            snprintf(missing, missing_size, "%s/%s(.gz)", dir, split_files[i]);
            return 0;
        }
    }
    return 1;
}

int kit_dataset_find(KitDatasetPlace *place, char *error, size_t error_size)
{
    char missing[1100];
    /* KIT_DATASET=fashion-mnist picks Fashion-MNIST even where MNIST is there: the lessons' printed
     * figures were measured on it, and the kit's own tests compare them */
    const char *forced = getenv("KIT_DATASET");
    int fashion_only = forced && strcmp(forced, "fashion-mnist") == 0;
    const char *from_environment = fashion_only ? NULL : getenv("MNIST_DIR");
    if (from_environment && from_environment[0]) {
        if (!complete(from_environment, missing, sizeof missing)) {
            snprintf(error, error_size, "MNIST_DIR is %s, but %s is missing: it needs the four IDX files of MNIST",
                     from_environment, missing);
            return -1;
        }
        snprintf(place->dir, sizeof place->dir, "%s", from_environment);
        snprintf(place->name, sizeof place->name, "MNIST");
        return 0;
    }
    if (!fashion_only && complete(KIT_MNIST_DIR, missing, sizeof missing)) {
        snprintf(place->dir, sizeof place->dir, "%s", KIT_MNIST_DIR);
        snprintf(place->name, sizeof place->name, "MNIST");
        return 0;
    }
    if (complete(KIT_FASHION_MNIST_DIR, missing, sizeof missing)) {
        snprintf(place->dir, sizeof place->dir, "%s", KIT_FASHION_MNIST_DIR);
        snprintf(place->name, sizeof place->name, "Fashion-MNIST");
        return 0;
    }
    snprintf(error, error_size,
             "no data set: MNIST is not in %s (run: make datasets) and Fashion-MNIST is not in %s "
             "(on Debian or Ubuntu: sudo apt-get install dataset-fashion-mnist); or set MNIST_DIR",
             KIT_MNIST_DIR, KIT_FASHION_MNIST_DIR);
    return -1;
}

int kit_idx_load_images(Matrix *images, const char *path, char *error, size_t error_size)
{
    KitIdx idx;
    if (kit_idx_read(path, &idx, error, error_size) != 0)
        return -1;
    if (idx.dimension_count != 3) {
        snprintf(error, error_size, "%s: has %d dimension(s), expected 3 (images, rows, columns): is it a labels file?",
                 path, idx.dimension_count);
        kit_idx_free(&idx);
        return -1;
    }
    int count = idx.dims[0], pixels = idx.dims[1] * idx.dims[2];
    *images = kit_matrix_create(count, pixels);
    for (size_t k = 0; k < idx.size; k++)
        images->data[k] = (float)idx.data[k] / 255.0f;
    kit_idx_free(&idx);
    return 0;
}

int kit_idx_load_labels(Matrix *labels, const char *path, char *error, size_t error_size)
{
    KitIdx idx;
    if (kit_idx_read(path, &idx, error, error_size) != 0)
        return -1;
    if (idx.dimension_count != 1) {
        snprintf(error, error_size, "%s: has %d dimensions, expected 1 (a list of labels): is it an images file?",
                 path, idx.dimension_count);
        kit_idx_free(&idx);
        return -1;
    }
    for (size_t k = 0; k < idx.size; k++) {
        if (idx.data[k] > 9) {
            snprintf(error, error_size, "%s: label %zu is %d, expected a class from 0 to 9", path, k, idx.data[k]);
            kit_idx_free(&idx);
            return -1;
        }
    }
    *labels = kit_matrix_create(idx.dims[0], 1);
    for (size_t k = 0; k < idx.size; k++)
        labels->data[k] = (float)idx.data[k];
    kit_idx_free(&idx);
    return 0;
}

int kit_dataset_load(KitDataset *out, const KitDatasetPlace *place, char *error, size_t error_size)
{
    memset(out, 0, sizeof *out);
    out->place = *place;
    Matrix *targets[4] = {&out->train_images, &out->train_labels, &out->test_images, &out->test_labels};
    for (int i = 0; i < 4; i++) {
        char path[1024];
        if (!find_file(path, sizeof path, place->dir, split_files[i])) {
            snprintf(error, error_size, "%s/%s(.gz) is missing", place->dir, split_files[i]);
            kit_dataset_free(out);
            return -1;
        }
        int status = i % 2 == 0 ? kit_idx_load_images(targets[i], path, error, error_size)
                                : kit_idx_load_labels(targets[i], path, error, error_size);
        if (status != 0) {
            kit_dataset_free(out);
            return -1;
        }
        if (i % 2 == 1 && targets[i]->rows != targets[i - 1]->rows) {
            snprintf(error, error_size, "%s has %d labels, but its images file has %d images", path,
                     targets[i]->rows, targets[i - 1]->rows);
            kit_dataset_free(out);
            return -1;
        }
    }
    return 0;
}

void kit_dataset_free(KitDataset *d)
{
    kit_matrix_free(&d->train_images);
    kit_matrix_free(&d->train_labels);
    kit_matrix_free(&d->test_images);
    kit_matrix_free(&d->test_labels);
}
