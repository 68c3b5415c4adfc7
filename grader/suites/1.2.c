/* The grading suite of chapter 1.2: Matrix Operations for Neural Networks. */
#include "check.h"
#include "course.h"

#include <stdio.h>

const char kit_suite_chapter[] = "1.2";

/* Products: the loops accumulate in double, cblas_sgemm in float, so they differ in the last bits. */
#define ABS_TOL 1e-4
#define REL_TOL 1e-4

static const float taste_a[] = {9, 2, 8, 1, 7}, taste_b[] = {8, 1, 9, 2, 6}, taste_c[] = {1, 9, 2, 8, 1};

static void check_dot_product_lesson(KitCase *c)
{
    Matrix A = kit_matrix_from(1, 5, taste_a), B = kit_matrix_from(1, 5, taste_b), C = kit_matrix_from(1, 5, taste_c);
    kit_show_input(c, "A", &A);
    kit_show_input(c, "B", &B);
    kit_show_input(c, "C", &C);
    kit_emit_scalar(c, "dot_product(A, B)", dot_product(&A, &B), 0, 0);
    kit_emit_scalar(c, "dot_product(A, C)", dot_product(&A, &C), 0, 0);
    kit_emit_scalar(c, "dot_product(B, C)", dot_product(&B, &C), 0, 0);
    kit_emit_unchanged(c, "dot_product", "A", &A);
    kit_emit_unchanged(c, "dot_product", "B", &B);
    kit_emit_unchanged(c, "dot_product", "C", &C);
    kit_matrix_free(&A), kit_matrix_free(&B), kit_matrix_free(&C);
}

static void check_dot_product_random(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 201);
    Matrix a = kit_matrix_create(1, 37), b = kit_matrix_create(1, 37);
    Matrix P = kit_matrix_create(3, 4), Q = kit_matrix_create(3, 4);
    kit_matrix_fill_normal(&a, &rng, 0, 2);
    kit_matrix_fill_normal(&b, &rng, 1, 2);
    kit_matrix_fill_uniform(&P, &rng, -5, 5);
    kit_matrix_fill_uniform(&Q, &rng, -5, 5);
    kit_show_input(c, "a", &a);
    kit_show_input(c, "b", &b);
    kit_show_input(c, "P", &P);
    kit_show_input(c, "Q", &Q);
    kit_emit_scalar(c, "dot_product(a, b)", dot_product(&a, &b), 1e-5, REL_TOL);
    kit_emit_scalar(c, "dot_product(P, Q) over all 12 elements of the 3x4 matrices", dot_product(&P, &Q), 1e-5,
                    REL_TOL);
    kit_emit_unchanged(c, "dot_product", "a", &a);
    kit_emit_unchanged(c, "dot_product", "b", &b);
    kit_emit_unchanged(c, "dot_product", "P", &P);
    kit_emit_unchanged(c, "dot_product", "Q", &Q);
    kit_matrix_free(&a), kit_matrix_free(&b), kit_matrix_free(&P), kit_matrix_free(&Q);
}

static void check_vector_norm(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 202);
    const float three_four[] = {3, -4};
    Matrix A = kit_matrix_from(1, 5, taste_a), B = kit_matrix_from(1, 5, taste_b), C = kit_matrix_from(1, 5, taste_c);
    Matrix v = kit_matrix_from(1, 2, three_four), r = kit_matrix_create(1, 23);
    kit_matrix_fill_normal(&r, &rng, -1, 3);
    kit_show_input(c, "A", &A);
    kit_show_input(c, "B", &B);
    kit_show_input(c, "C", &C);
    kit_show_input(c, "v", &v);
    kit_show_input(c, "r", &r);
    kit_emit_scalar(c, "vector_norm(A)", vector_norm(&A), 1e-5, REL_TOL);
    kit_emit_scalar(c, "vector_norm(B)", vector_norm(&B), 1e-5, REL_TOL);
    kit_emit_scalar(c, "vector_norm(C)", vector_norm(&C), 1e-5, REL_TOL);
    kit_emit_scalar(c, "vector_norm(v)", vector_norm(&v), 1e-5, REL_TOL);
    kit_emit_scalar(c, "vector_norm(r)", vector_norm(&r), 1e-5, REL_TOL);
    kit_emit_unchanged(c, "vector_norm", "A", &A);
    kit_emit_unchanged(c, "vector_norm", "B", &B);
    kit_emit_unchanged(c, "vector_norm", "C", &C);
    kit_emit_unchanged(c, "vector_norm", "v", &v);
    kit_emit_unchanged(c, "vector_norm", "r", &r);
    kit_matrix_free(&A), kit_matrix_free(&B), kit_matrix_free(&C), kit_matrix_free(&v), kit_matrix_free(&r);
}

static void check_cosine_similarity_lesson(KitCase *c)
{
    const float twice_a[] = {18, 4, 16, 2, 14}, minus_a[] = {-9, -2, -8, -1, -7};
    Matrix A = kit_matrix_from(1, 5, taste_a), B = kit_matrix_from(1, 5, taste_b), C = kit_matrix_from(1, 5, taste_c);
    Matrix A2 = kit_matrix_from(1, 5, twice_a), An = kit_matrix_from(1, 5, minus_a);
    kit_show_input(c, "A", &A);
    kit_show_input(c, "B", &B);
    kit_show_input(c, "C", &C);
    kit_emit_scalar(c, "cosine_similarity(A, B)", cosine_similarity(&A, &B), 1e-5, REL_TOL);
    kit_emit_scalar(c, "cosine_similarity(A, C)", cosine_similarity(&A, &C), 1e-5, REL_TOL);
    kit_emit_scalar(c, "cosine_similarity(B, C)", cosine_similarity(&B, &C), 1e-5, REL_TOL);
    kit_emit_scalar(c, "cosine_similarity(A, 2A)", cosine_similarity(&A, &A2), 1e-5, REL_TOL);
    kit_emit_scalar(c, "cosine_similarity(A, -A)", cosine_similarity(&A, &An), 1e-5, REL_TOL);
    kit_emit_unchanged(c, "cosine_similarity", "A", &A);
    kit_emit_unchanged(c, "cosine_similarity", "B", &B);
    kit_emit_unchanged(c, "cosine_similarity", "C", &C);
    kit_emit_unchanged(c, "cosine_similarity", "2A", &A2);
    kit_emit_unchanged(c, "cosine_similarity", "-A", &An);
    kit_matrix_free(&A), kit_matrix_free(&B), kit_matrix_free(&C), kit_matrix_free(&A2), kit_matrix_free(&An);
}

static void check_cosine_similarity_random(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 203);
    Matrix a = kit_matrix_create(1, 16), b = kit_matrix_create(1, 16);
    kit_matrix_fill_normal(&a, &rng, 0.5f, 10);
    kit_matrix_fill_normal(&b, &rng, 0.5f, 0.1f); /* very different lengths: only the angle counts */
    kit_show_input(c, "a", &a);
    kit_show_input(c, "b", &b);
    kit_emit_scalar(c, "cosine_similarity(a, b)", cosine_similarity(&a, &b), 1e-5, REL_TOL);
    kit_emit_scalar(c, "cosine_similarity(b, a)", cosine_similarity(&b, &a), 1e-5, REL_TOL);
    kit_emit_scalar(c, "cosine_similarity(a, a)", cosine_similarity(&a, &a), 1e-5, REL_TOL);
    kit_emit_unchanged(c, "cosine_similarity", "a", &a);
    kit_emit_unchanged(c, "cosine_similarity", "b", &b);
    kit_matrix_free(&a), kit_matrix_free(&b);
}

static void check_cosine_similarity_zero(KitCase *c)
{
    Matrix A = kit_matrix_from(1, 5, taste_a), zero = kit_matrix_create(1, 5);
    kit_show_input(c, "A", &A);
    kit_show_input(c, "zero", &zero);
    kit_emit_scalar(c, "cosine_similarity(A, zero)", cosine_similarity(&A, &zero), 0, 0);
    kit_emit_scalar(c, "cosine_similarity(zero, A)", cosine_similarity(&zero, &A), 0, 0);
    kit_emit_scalar(c, "cosine_similarity(zero, zero)", cosine_similarity(&zero, &zero), 0, 0);
    kit_emit_unchanged(c, "cosine_similarity", "A", &A);
    kit_emit_unchanged(c, "cosine_similarity", "zero", &zero);
    kit_matrix_free(&A), kit_matrix_free(&zero);
}

/* Multiplies X (N x K) by W (K x M) with one of the two functions and emits Z, the sgemm calls and the inputs
 * after the call, named X and W with the suffix (" (second product)"). */
static void emit_product(KitCase *c, void (*multiply)(Matrix *, const Matrix *, const Matrix *), const char *name,
                         const Matrix *X, const Matrix *W, const char *suffix)
{
    Matrix Z = kit_output_matrix(X->rows, W->cols);
    char label[128];
    long calls_before = kit_sgemm_calls();
    multiply(&Z, X, W);
    long calls = kit_sgemm_calls() - calls_before;
    snprintf(label, sizeof label, "%s(Z, X %dx%d, W %dx%d)", name, X->rows, X->cols, W->rows, W->cols);
    kit_emit(c, label, &Z, ABS_TOL, REL_TOL);
    snprintf(label, sizeof label, "calls to cblas_sgemm made by this %s", name);
    kit_emit_scalar(c, label, (double)calls, 0, 0);
    snprintf(label, sizeof label, "X%s", suffix);
    kit_emit_unchanged(c, name, label, X);
    snprintf(label, sizeof label, "W%s", suffix);
    kit_emit_unchanged(c, name, label, W);
    kit_matrix_free(&Z);
}

/* Random N x K and K x M matrices from the case's seed and a salt. */
static void random_factors(KitCase *c, uint64_t salt, int N, int K, int M, Matrix *X, Matrix *W)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + salt);
    *X = kit_matrix_create(N, K);
    *W = kit_matrix_create(K, M);
    kit_matrix_fill_normal(X, &rng, 0, 1);
    kit_matrix_fill_uniform(W, &rng, -2, 2);
}

static void check_matmul_loops_lesson(KitCase *c)
{
    const float x[] = {1, 2, 3, 4, 5, 6}, w[] = {7, 8, 9, 10, 11, 12};
    Matrix X = kit_matrix_from(2, 3, x), W = kit_matrix_from(3, 2, w);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W", &W);
    emit_product(c, matrix_multiply_loops, "matrix_multiply_loops", &X, &W, "");
    kit_matrix_free(&X), kit_matrix_free(&W);
}

static void check_matmul_loops_random(KitCase *c)
{
    Matrix X, W, X2, W2;
    random_factors(c, 204, 7, 5, 3, &X, &W);
    random_factors(c, 205, 4, 9, 6, &X2, &W2);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W", &W);
    emit_product(c, matrix_multiply_loops, "matrix_multiply_loops", &X, &W, "");
    kit_show_input(c, "X (second product)", &X2);
    kit_show_input(c, "W (second product)", &W2);
    emit_product(c, matrix_multiply_loops, "matrix_multiply_loops", &X2, &W2, " (second product)");
    kit_matrix_free(&X), kit_matrix_free(&W), kit_matrix_free(&X2), kit_matrix_free(&W2);
}

static void check_matmul_sgemm_lesson(KitCase *c)
{
    const float x[] = {1, 2, 3, 4, 5, 6}, w[] = {7, 8, 9, 10, 11, 12};
    Matrix X = kit_matrix_from(2, 3, x), W = kit_matrix_from(3, 2, w);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W", &W);
    emit_product(c, matrix_multiply, "matrix_multiply", &X, &W, "");
    kit_matrix_free(&X), kit_matrix_free(&W);
}

static void check_matmul_sgemm_random(KitCase *c)
{
    Matrix X, W, X2, W2;
    random_factors(c, 206, 7, 5, 3, &X, &W);
    random_factors(c, 207, 3, 8, 6, &X2, &W2);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W", &W);
    emit_product(c, matrix_multiply, "matrix_multiply", &X, &W, "");
    kit_show_input(c, "X (second product)", &X2);
    kit_show_input(c, "W (second product)", &W2);
    emit_product(c, matrix_multiply, "matrix_multiply", &X2, &W2, " (second product)");
    kit_matrix_free(&X), kit_matrix_free(&W), kit_matrix_free(&X2), kit_matrix_free(&W2);
}

/* A larger product, 33x65 by 65x17, by both functions: the fast one must agree with the loops. */
static void check_matmul_agree(KitCase *c)
{
    Matrix X, W;
    random_factors(c, 208, 33, 65, 17, &X, &W);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W", &W);
    emit_product(c, matrix_multiply_loops, "matrix_multiply_loops", &X, &W, "");
    emit_product(c, matrix_multiply, "matrix_multiply", &X, &W, "");
    kit_matrix_free(&X), kit_matrix_free(&W);
}

static void check_transpose(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 209);
    const float x[] = {1, 2, 3, 4, 5, 6};
    Matrix small = kit_matrix_from(2, 3, x), small_out = kit_output_matrix(3, 2);
    Matrix X = kit_matrix_create(7, 5), out = kit_output_matrix(5, 7);
    Matrix row = kit_matrix_create(1, 6), column = kit_output_matrix(6, 1);
    kit_matrix_fill_uniform(&X, &rng, -10, 10);
    kit_matrix_fill_uniform(&row, &rng, -10, 10);
    kit_show_input(c, "S", &small);
    transpose(&small_out, &small);
    kit_emit(c, "transpose(out 3x2, S 2x3)", &small_out, 0, 0);
    kit_emit_unchanged(c, "transpose", "S", &small);
    kit_show_input(c, "X", &X);
    transpose(&out, &X);
    kit_emit(c, "transpose(out 5x7, X 7x5)", &out, 0, 0);
    kit_emit_unchanged(c, "transpose", "X", &X);
    kit_show_input(c, "row", &row);
    transpose(&column, &row);
    kit_emit(c, "transpose(out 6x1, row 1x6)", &column, 0, 0);
    kit_emit_unchanged(c, "transpose", "row", &row);
    kit_matrix_free(&small), kit_matrix_free(&small_out), kit_matrix_free(&X), kit_matrix_free(&out);
    kit_matrix_free(&row), kit_matrix_free(&column);
}

static void check_linear_layer_lesson(KitCase *c)
{
    /* the lesson's layer: 4 examples with 2 features, 3 neurons */
    const float x[] = {1, 2, 0, -1, 3, 0.5f, -2, 1}, w[] = {0.5f, -1, 0.2f, 1.5f, 0.5f, -0.4f};
    const float bias[] = {0.1f, -0.2f, 0.3f};
    Matrix X = kit_matrix_from(4, 2, x), W = kit_matrix_from(2, 3, w), b = kit_matrix_from(1, 3, bias);
    Matrix Z = kit_output_matrix(4, 3);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W", &W);
    kit_show_input(c, "b", &b);
    linear_layer(&Z, &X, &W, &b);
    kit_emit(c, "linear_layer(Z 4x3, X 4x2, W 2x3, b 1x3)", &Z, 1e-5, REL_TOL);
    kit_emit_unchanged(c, "linear_layer", "X", &X);
    kit_emit_unchanged(c, "linear_layer", "W", &W);
    kit_emit_unchanged(c, "linear_layer", "b", &b);
    kit_matrix_free(&X), kit_matrix_free(&W), kit_matrix_free(&b), kit_matrix_free(&Z);
}

static void check_linear_layer_random(KitCase *c)
{
    Matrix X, W;
    random_factors(c, 210, 9, 6, 4, &X, &W);
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 211);
    Matrix b = kit_matrix_create(1, 4), Z = kit_output_matrix(9, 4);
    kit_matrix_fill_normal(&b, &rng, 0, 5);
    kit_show_input(c, "X", &X);
    kit_show_input(c, "W", &W);
    kit_show_input(c, "b", &b);
    linear_layer(&Z, &X, &W, &b);
    kit_emit(c, "linear_layer(Z 9x4, X 9x6, W 6x4, b 1x4)", &Z, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "linear_layer", "X", &X);
    kit_emit_unchanged(c, "linear_layer", "W", &W);
    kit_emit_unchanged(c, "linear_layer", "b", &b);
    kit_matrix_free(&X), kit_matrix_free(&W), kit_matrix_free(&b), kit_matrix_free(&Z);
}

const KitCheck kit_suite_checks[] = {
    {"dot-product-lesson", "dot_product: the taste vectors A, B and C", 1, "",
     "Multiply element by element and add up all n = rows * cols products.", 5, 0, check_dot_product_lesson},
    {"dot-product-random", "dot_product: random vectors of 37 elements and two 3x4 matrices", 2, "",
     "The loop runs over every element, k from 0 to rows * cols - 1: a 3x4 matrix has 12.", 5, 0,
     check_dot_product_random},
    {"vector-norm", "vector_norm: the taste vectors, [3, -4] and a random vector", 1, "",
     "|a| = sqrt(sum of a_k^2): do not forget the square root.", 5, 0, check_vector_norm},
    {"cosine-similarity-lesson", "cosine_similarity: the taste vectors, A with 2A and with -A", 2, "",
     "Divide the dot product by both lengths, |a| times |b|.", 5, 0, check_cosine_similarity_lesson},
    {"cosine-similarity-random", "cosine_similarity: random vectors of very different lengths", 1, "", NULL, 5, 0,
     check_cosine_similarity_random},
    {"cosine-similarity-zero", "cosine_similarity: a zero vector gives 0", 1, "",
     "When |a| or |b| is 0, return 0 instead of dividing by zero.", 5, 0, check_cosine_similarity_zero},
    {"matmul-loops-lesson", "matrix_multiply_loops: the lesson's 2x3 times 3x2", 2, "",
     "Z[i][j] = sum_k X[i][k] * W[k][j]; X[i][k] is X->data[i * K + k] and W[k][j] is W->data[k * M + j].", 5, 0,
     check_matmul_loops_lesson},
    {"matmul-loops-random", "matrix_multiply_loops: random 7x5 times 5x3 and 4x9 times 9x6", 2, "",
     "Take N and K from X and M from W's columns: with non-square shapes a swapped bound or index shows.", 5, 0,
     check_matmul_loops_random},
    {"matmul-sgemm-lesson", "matrix_multiply: the lesson's 2x3 times 3x2, one cblas_sgemm call", 2, "",
     "matrix_multiply must compute the whole product with exactly one call to cblas_sgemm.", 5, 0,
     check_matmul_sgemm_lesson},
    {"matmul-sgemm-random", "matrix_multiply: random 7x5 times 5x3 and 3x8 times 8x6", 2, "",
     "One call to cblas_sgemm: row-major, no transposes, m = N, n = M, k = K; "
     "leading dimensions K for X, M for W and Z.", 5, 0,
     check_matmul_sgemm_random},
    {"matmul-agree", "matrix_multiply and the loops agree on 33x65 times 65x17", 1, "", NULL, 5, 0,
     check_matmul_agree},
    {"transpose", "transpose: the lesson's 2x3, a random 7x5 and a 1x6 row", 2, "",
     "out[j][i] = X[i][j]: out has R columns, so out[j][i] is out->data[j * R + i].", 5, 0, check_transpose},
    {"linear-layer-lesson", "linear_layer: the lesson's layer, X 4x2, W 2x3, b 1x3", 2, "1.1",
     "Z = XW first (matrix_multiply), then add b to every row (add_row_vector).", 5, 0,
     check_linear_layer_lesson},
    {"linear-layer-random", "linear_layer: a random 9x6 input, 6x4 weights and 1x4 bias", 1, "1.1", NULL, 5, 0,
     check_linear_layer_random},
};
const int kit_suite_check_count = sizeof kit_suite_checks / sizeof kit_suite_checks[0];
