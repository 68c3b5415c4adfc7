/* The grading suite of chapter 1.1: Getting Started with Arrays. */
#include "check.h"
#include "course.h"

const char kit_suite_chapter[] = "1.1";

#define ABS_TOL 1e-5
#define REL_TOL 1e-4

static void check_add_row_vector_lesson(KitCase *c)
{
    const float x[] = {1, 2, 3, 4, 5, 6}, r[] = {10, 20, 30};
    Matrix X = kit_matrix_from(2, 3, x), row = kit_matrix_from(1, 3, r), out = kit_output_matrix(2, 3);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "row", &row);
    add_row_vector(&out, &X, &row);
    kit_emit(c, "add_row_vector(out, X, row)", &out, 0, 0);
    kit_emit_unchanged(c, "add_row_vector", "X", &X);
    kit_emit_unchanged(c, "add_row_vector", "row", &row);
    kit_matrix_free(&X), kit_matrix_free(&row), kit_matrix_free(&out);
}

static void check_add_row_vector_random(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 101);
    Matrix X = kit_matrix_create(7, 5), row = kit_matrix_create(1, 5), out = kit_output_matrix(7, 5);
    kit_matrix_fill_normal(&X, &rng, 0, 3);
    kit_matrix_fill_normal(&row, &rng, 0, 3);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "row", &row);
    add_row_vector(&out, &X, &row);
    kit_emit(c, "add_row_vector(out, X, row)", &out, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "add_row_vector", "X", &X);
    kit_emit_unchanged(c, "add_row_vector", "row", &row);
    kit_matrix_free(&X), kit_matrix_free(&row), kit_matrix_free(&out);
}

static void check_slice_people(KitCase *c)
{
    Matrix data = kit_people_dataset(), features = kit_output_matrix(8, 3), labels = kit_output_matrix(8, 1);
    kit_show_input(c, "data", &data);
    slice(&features, &data, 0, 0);
    kit_emit(c, "slice(features 8x3, data, 0, 0)", &features, 0, 0);
    slice(&labels, &data, 0, 3);
    kit_emit(c, "slice(labels 8x1, data, 0, 3)", &labels, 0, 0);
    kit_emit_unchanged(c, "slice", "data", &data);
    kit_matrix_free(&data), kit_matrix_free(&features), kit_matrix_free(&labels);
}

static void check_slice_block(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 102);
    Matrix X = kit_matrix_create(6, 7), block = kit_output_matrix(3, 2), corner = kit_output_matrix(1, 1);
    kit_matrix_fill_uniform(&X, &rng, -10, 10);
    kit_show_input(c, "X", &X);
    slice(&block, &X, 2, 4);
    kit_emit(c, "slice(out 3x2, X, 2, 4)", &block, 0, 0);
    slice(&corner, &X, 5, 6);
    kit_emit(c, "slice(out 1x1, X, 5, 6)", &corner, 0, 0);
    kit_emit_unchanged(c, "slice", "X", &X);
    kit_matrix_free(&X), kit_matrix_free(&block), kit_matrix_free(&corner);
}

/* Normalizes a rows x cols matrix of normal numbers with the given mean and std. */
static void normalize_random(KitCase *c, uint64_t salt, int rows, int cols, float mean, float std)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + salt);
    Matrix X = kit_matrix_create(rows, cols), out = kit_output_matrix(rows, cols);
    kit_matrix_fill_normal(&X, &rng, mean, std);
    kit_show_input(c, "X", &X);
    normalize(&out, &X);
    kit_emit(c, "normalize(out, X)", &out, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "normalize", "X", &X);
    kit_matrix_free(&X), kit_matrix_free(&out);
}

static void check_normalize_small(KitCase *c) { normalize_random(c, 103, 3, 2, 0, 1); }

static void check_normalize_random(KitCase *c) { normalize_random(c, 104, 20, 13, 5, 3); }

static void check_normalize_constant(KitCase *c)
{
    Matrix X = kit_matrix_create(3, 4), out = kit_output_matrix(3, 4);
    kit_matrix_fill(&X, 4.0f);
    kit_show_input(c, "X", &X);
    normalize(&out, &X);
    kit_emit(c, "normalize(out, X) of a constant matrix", &out, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "normalize", "X", &X);
    kit_matrix_free(&X), kit_matrix_free(&out);
}

static void check_normalize_in_place(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 105);
    Matrix X = kit_matrix_create(5, 6);
    kit_matrix_fill_uniform(&X, &rng, 0, 255);
    kit_show_input(c, "X", &X);
    normalize(&X, &X);
    kit_emit(c, "X after normalize(X, X)", &X, ABS_TOL, REL_TOL);
    kit_matrix_free(&X);
}

/* Runs column_stats on X (shown as name) and emits the four statistics, then X, which must not change. */
static void emit_column_stats(KitCase *c, const char *name, const Matrix *X, double rel_tol)
{
    int D = X->cols;
    Matrix mean = kit_output_matrix(1, D), std = kit_output_matrix(1, D);
    Matrix min = kit_output_matrix(1, D), max = kit_output_matrix(1, D);
    column_stats(&mean, &std, &min, &max, X);
    kit_emit(c, "mean", &mean, ABS_TOL, rel_tol);
    kit_emit(c, "std", &std, ABS_TOL, rel_tol);
    kit_emit(c, "min", &min, 0, 0);
    kit_emit(c, "max", &max, 0, 0);
    kit_emit_unchanged(c, "column_stats", name, X);
    kit_matrix_free(&mean), kit_matrix_free(&std), kit_matrix_free(&min), kit_matrix_free(&max);
}

static void check_column_stats_people(KitCase *c)
{
    Matrix data = kit_people_dataset();
    kit_show_input(c, "data", &data);
    emit_column_stats(c, "data", &data, REL_TOL);
    kit_matrix_free(&data);
}

static void check_column_stats_random(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 106);
    Matrix X = kit_matrix_create(50, 6);
    kit_matrix_fill_normal(&X, &rng, 0, 1);
    for (int i = 0; i < 50; i++) /* column j has mean 10^j - 20 and std 2^j: some all negative */
        for (int j = 0; j < 6; j++)
            X.data[i * 6 + j] = X.data[i * 6 + j] * (float)(1 << j) + (float)(j == 0 ? -20 : j * 7 - 20);
    kit_show_input(c, "X", &X);
    emit_column_stats(c, "X", &X, REL_TOL);
    kit_matrix_free(&X);
}

static void check_normalize_columns_people(KitCase *c)
{
    Matrix data = kit_people_dataset(), out = kit_output_matrix(8, 4);
    kit_show_input(c, "data", &data);
    normalize_columns(&out, &data);
    kit_emit(c, "normalize_columns(out, data)", &out, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "normalize_columns", "data", &data);
    kit_matrix_free(&data), kit_matrix_free(&out);
}

static void check_normalize_columns_constant(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 107);
    Matrix X = kit_matrix_create(6, 3), out = kit_output_matrix(6, 3);
    kit_matrix_fill_normal(&X, &rng, 2, 5);
    for (int i = 0; i < 6; i++)
        X.data[i * 3 + 1] = -7.5f; /* the middle column is constant: its std is 0 */
    kit_show_input(c, "X", &X);
    normalize_columns(&out, &X);
    kit_emit(c, "normalize_columns(out, X)", &out, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "normalize_columns", "X", &X);
    kit_matrix_free(&X), kit_matrix_free(&out);
}

const KitCheck kit_suite_checks[] = {
    {"add-row-vector-lesson", "add_row_vector: the lesson's 2x3 example", 2, "",
     "out[i][j] = X[i][j] + row[j]: the column index j picks the element of row.", 5, 0,
     check_add_row_vector_lesson},
    {"add-row-vector-random", "add_row_vector: a random 7x5 matrix", 2, "", NULL, 5, 0, check_add_row_vector_random},
    {"slice-people", "slice: features and labels of the people data set", 2, "", NULL, 5, 0, check_slice_people},
    {"slice-block", "slice: a 3x2 block at (2, 4) and a 1x1 corner of a 6x7 matrix", 2, "",
     "X[row0 + i][col0 + j] lives at X->data[(row0 + i) * X->cols + (col0 + j)]: use X's width, not out's.", 5,
     0, check_slice_block},
    {"normalize-small", "normalize: a random 3x2 matrix", 2, "",
     "Use the population std, sqrt(sum (x - mean)^2 / n), over all R * C elements.", 5, 0,
     check_normalize_small},
    {"normalize-random", "normalize: a random 20x13 matrix with mean 5 and std 3", 2, "", NULL, 5, 0,
     check_normalize_random},
    {"normalize-constant", "normalize: a constant matrix (std 0)", 1, "",
     "When std is 0, return X - mean (all zeros here) instead of dividing by zero.", 5, 0,
     check_normalize_constant},
    {"normalize-in-place", "normalize: in place, normalize(X, X)", 1, "",
     "Compute mean and std completely before writing to out: out may be X itself.", 5, 0,
     check_normalize_in_place},
    {"column-stats-people", "column_stats: the people data set", 2, "",
     "Start min and max at the column's first element, not at 0.", 5, 0, check_column_stats_people},
    {"column-stats-random", "column_stats: 50x6 random columns of different scales, some all negative", 2, "",
     NULL, 5, 0, check_column_stats_random},
    {"normalize-columns-people", "normalize_columns: the people data set", 2, "",
     "Each column uses its own mean and std (population std, divided by N).", 5, 0,
     check_normalize_columns_people},
    {"normalize-columns-constant", "normalize_columns: a 6x3 matrix whose middle column is constant", 1, "",
     "A column with std 0 is only centred: X[i][j] - mean[j].", 5, 0, check_normalize_columns_constant},
};
const int kit_suite_check_count = sizeof kit_suite_checks / sizeof kit_suite_checks[0];
