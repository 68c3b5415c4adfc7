/* Unit tests of the harness's MLP scratch (Criterion): the networks and works of chapters 3.3 to 4.4. */
#include "course.h"
#include "kit.h"

#include <criterion/criterion.h>
#include <math.h>

/* The std of the n elements of M around their mean, in double. */
static double spread(const Matrix *M)
{
    int n = M->rows * M->cols;
    double sum = 0.0, squares = 0.0;
    for (int k = 0; k < n; k++)
        sum += M->data[k], squares += (double)M->data[k] * M->data[k];
    return sqrt(squares / n - (sum / n) * (sum / n));
}

Test(mlp, create_shapes_and_he_initialisation)
{
    KitRng rng;
    kit_rng_seed(&rng, 3);
    Mlp n = kit_mlp_create(784, 256, 10, &rng), zero = kit_mlp_create(784, 256, 10, NULL);
    cr_assert(n.W1.rows == 784 && n.W1.cols == 256 && n.b1.rows == 1 && n.b1.cols == 256);
    cr_assert(n.W2.rows == 256 && n.W2.cols == 10 && n.b2.rows == 1 && n.b2.cols == 10);
    cr_assert(fabs(spread(&n.W1) - sqrt(2.0 / 784)) < 0.02 * sqrt(2.0 / 784), "std of W1 %g", spread(&n.W1));
    for (int k = 0; k < 256; k++)
        cr_assert(n.b1.data[k] == 0.0f && zero.W1.data[k] == 0.0f);
    /* W1 is drawn first: the same seed gives the same W1 as a fill of its own */
    Matrix W1 = kit_matrix_create(784, 256);
    kit_rng_seed(&rng, 3);
    kit_matrix_fill_normal(&W1, &rng, 0.0f, sqrtf(2.0f / 784));
    cr_assert(W1.data[0] == n.W1.data[0] && W1.data[784 * 256 - 1] == n.W1.data[784 * 256 - 1]);
    kit_matrix_free(&W1);
    kit_mlp_free(&n), kit_mlp_free(&zero);
}

Test(mlp, create3_shapes_and_he_initialisation)
{
    KitRng rng;
    kit_rng_seed(&rng, 4);
    Mlp3 n = kit_mlp3_create(784, 256, 128, 10, &rng);
    cr_assert(n.W1.rows == 784 && n.W1.cols == 256 && n.W2.rows == 256 && n.W2.cols == 128);
    cr_assert(n.W3.rows == 128 && n.W3.cols == 10 && n.b2.cols == 128 && n.b3.cols == 10);
    cr_assert(fabs(spread(&n.W2) - sqrt(2.0 / 256)) < 0.03 * sqrt(2.0 / 256), "std of W2 %g", spread(&n.W2));
    cr_assert(fabs(spread(&n.W3) - sqrt(2.0 / 128)) < 0.1 * sqrt(2.0 / 128), "std of W3 %g", spread(&n.W3));
    kit_mlp3_free(&n);
}

Test(mlp, a_network_without_classes_is_refused, .exit_code = 1)
{
    kit_mlp_create(4, 3, 1, NULL);
}

Test(mlp, work_rows_sets_every_batch_matrix)
{
    KitMlpWork w = kit_mlp_work_create(100, 8, 5, 4, 3);
    kit_mlp_work_rows(&w, 3);
    const Matrix *batch[] = {&w.X, &w.labels, &w.Y, &w.cache.Z1, &w.cache.A1, &w.cache.Z2, &w.cache.A2,
                             &w.gradients.dZ1, &w.gradients.dZ2};
    for (size_t k = 0; k < sizeof batch / sizeof batch[0]; k++)
        cr_assert(batch[k]->rows == 3, "batch matrix %zu has %d rows", k, batch[k]->rows);
    cr_assert(w.gradients.dW1.rows == 5 && w.gradients.dW1.cols == 4 && w.gradients.db2.cols == 3);
    cr_assert(w.gradients.dZ2.cols == 3 && w.cache.A1.cols == 4 && w.order[99] == 99);
    kit_mlp_work_free(&w);
}

Test(mlp, work3_rows_sets_every_batch_matrix_and_both_masks)
{
    KitMlp3Work w = kit_mlp3_work_create(50, 8, 6, 5, 4, 3);
    kit_mlp3_work_rows(&w, 2);
    const Matrix *batch[] = {&w.X,  &w.labels, &w.Y,     &w.cache.Z1,      &w.cache.A1,      &w.cache.Z2,
                             &w.cache.A2, &w.cache.Z3, &w.cache.A3, &w.gradients.dZ1, &w.gradients.dZ2,
                             &w.gradients.dZ3, &w.mask1, &w.mask2};
    for (size_t k = 0; k < sizeof batch / sizeof batch[0]; k++)
        cr_assert(batch[k]->rows == 2, "batch matrix %zu has %d rows", k, batch[k]->rows);
    cr_assert(w.mask1.cols == 5 && w.mask2.cols == 4 && w.gradients.dW2.rows == 5 && w.gradients.dW2.cols == 4);
    cr_assert(w.gradients.dW3.rows == 4 && w.gradients.db3.cols == 3 && w.order[49] == 49);
    kit_mlp3_work_free(&w);
}

Test(mlp, work_rows_beyond_the_batch_size_are_refused, .exit_code = 1)
{
    KitMlp3Work w = kit_mlp3_work_create(50, 8, 6, 5, 4, 3);
    kit_mlp3_work_rows(&w, 9);
}
