/* Unit tests of the harness's CNN scratch (Criterion): chapter 4.3's sizes, layout, work and parameters. */
#include "course.h"
#include "kit.h"

#include <criterion/criterion.h>
#include <math.h>

static const KitCnnSizes course_sizes = {1, 28, 28, 3, 8, 16, 64, 10};

Test(cnn, the_layout_of_the_course_network)
{
    KitCnnLayout l = kit_cnn_layout(course_sizes);
    cr_assert(l.OH1 == 26 && l.OW1 == 26 && l.PH1 == 13 && l.PW1 == 13);
    cr_assert(l.OH2 == 11 && l.OW2 == 11 && l.PH2 == 5 && l.PW2 == 5, "the 11th row and column are pooled away");
    cr_assert(l.maps1 == 8 * 26 * 26 && l.pooled1 == 8 * 13 * 13 && l.maps2 == 16 * 121 && l.pooled2 == 16 * 25);
}

Test(cnn, images_too_small_for_two_stages_are_refused, .exit_code = 1)
{
    KitCnnSizes z = course_sizes;
    z.height = z.width = 9; /* 3k + 1 = 10 is the smallest side for 3 x 3 filters */
    kit_cnn_layout(z);
}

Test(cnn, the_smallest_images_two_stages_take)
{
    KitCnnSizes z = course_sizes;
    z.height = z.width = 10;
    KitCnnLayout l = kit_cnn_layout(z);
    cr_assert(l.OH1 == 8 && l.PH1 == 4 && l.OH2 == 2 && l.PH2 == 1);
}

Test(cnn, create_shapes_he_initialisation_and_sizes_round_trip)
{
    KitRng rng;
    kit_rng_seed(&rng, 5);
    Cnn cnn = kit_cnn_create(course_sizes, &rng), zero = kit_cnn_create(course_sizes, NULL);
    cr_assert(cnn.W1.rows == 8 && cnn.W1.cols == 9 && cnn.W2.rows == 16 && cnn.W2.cols == 72);
    cr_assert(cnn.W3.rows == 400 && cnn.W3.cols == 64 && cnn.W4.rows == 64 && cnn.W4.cols == 10);
    cr_assert(cnn.b1.cols == 8 && cnn.b2.cols == 16 && cnn.b3.cols == 64 && cnn.b4.cols == 10);
    /* W3's 25,600 draws: their std is sqrt(2 / 400) within a few percent; biases and the zero CNN are 0 */
    double sum = 0.0, squares = 0.0;
    int n = cnn.W3.rows * cnn.W3.cols;
    for (int k = 0; k < n; k++)
        sum += cnn.W3.data[k], squares += (double)cnn.W3.data[k] * cnn.W3.data[k];
    double std = sqrt(squares / n - (sum / n) * (sum / n));
    cr_assert(fabs(std - sqrt(2.0 / 400)) < 0.03 * sqrt(2.0 / 400), "std %g", std);
    for (int k = 0; k < 64; k++)
        cr_assert(cnn.b3.data[k] == 0.0f && zero.W3.data[k] == 0.0f);
    KitCnnSizes back = kit_cnn_sizes(&cnn);
    cr_assert(back.channels == 1 && back.height == 28 && back.kernel == 3 && back.filters1 == 8 &&
              back.filters2 == 16 && back.hidden == 64 && back.classes == 10);
    kit_cnn_free(&cnn), kit_cnn_free(&zero);
}

Test(cnn, work_rows_sets_every_batch_matrix)
{
    KitCnnWork w = kit_cnn_work_create(100, 8, course_sizes);
    cr_assert(w.X.rows == 8 && w.columns1.rows == 8 * 676 && w.columns2.rows == 8 * 121);
    kit_cnn_work_rows(&w, 3);
    const Matrix *batch[] = {&w.X, &w.Z1, &w.A1, &w.Z2, &w.A2, &w.A3, &w.A4, &w.dZ4, &w.dA1, &w.dZ1};
    for (size_t k = 0; k < sizeof batch / sizeof batch[0]; k++)
        cr_assert(batch[k]->rows == 3);
    cr_assert(w.columns1.rows == 3 * 676 && w.columns2.rows == 3 * 121 && w.dW3.rows == 400);
    kit_cnn_work_free(&w);
}
