/*
 * parallel.c (make test T=parallel): the reference's CNN gives the same bits on any number of the kit's threads.
 *
 * The convolutions and poolings of chapters 4.2 and 4.3 share out the images of a batch with kit_parallel, and
 * backward_conv2d's dW stays one chain of additions in the order of the images. So training on 2 or 3 threads must
 * leave every parameter bit for bit as on 1, which is what the lessons' outputs and the fixtures were made with.
 * This trains the capstone's network (16 and 32 filters) for a few steps on random images, with batches of 64 and
 * of 37 (shares of unequal size), once per thread count, and compares the parameters and losses.
 *   parallel    prints one line per thread count compared; exits 1 at the first difference
 */
#include "course.h"
#include "kit.h"

#include <cblas.h>
#include <stdio.h>
#include <string.h>

enum { STEPS = 6, EXAMPLES = 64 + 37 };
static const KitCnnSizes capstone = {1, 28, 28, 3, 16, 32, 128, 10};

/* The parameters after STEPS steps on threads threads, and the losses of the steps, into parameters (the eight
 * matrices end to end, at most room floats) and losses; returns how many floats the parameters are. */
static size_t train(int threads, float *parameters, size_t room, float *losses)
{
    kit_set_threads(threads);
    KitRng rng;
    kit_rng_seed(&rng, 2024);
    Cnn cnn = kit_cnn_create(capstone, &rng);
    Matrix X = kit_matrix_create(EXAMPLES, 28 * 28), labels = kit_matrix_create(EXAMPLES, 1);
    kit_matrix_fill_uniform(&X, &rng, 0.0f, 1.0f);
    for (int i = 0; i < EXAMPLES; i++)
        labels.data[i] = (float)kit_rng_below(&rng, 10);
    KitCnnWork work = kit_cnn_work_create(EXAMPLES, 64, capstone);
    for (int step = 0; step < STEPS; step++) {
        int start = step % 2 ? 64 : 0, m = step % 2 ? 37 : 64;
        kit_cnn_work_rows(&work, m);
        memcpy(work.X.data, X.data + (size_t)start * X.cols, (size_t)m * X.cols * sizeof *X.data);
        memcpy(work.labels.data, labels.data + start, (size_t)m * sizeof *labels.data);
        losses[step] = train_cnn_step(&cnn, &work, 0.05f);
    }
    const Matrix *all[] = {&cnn.W1, &cnn.b1, &cnn.W2, &cnn.b2, &cnn.W3, &cnn.b3, &cnn.W4, &cnn.b4};
    size_t count = 0;
    for (int p = 0; p < 8; p++) {
        size_t size = (size_t)all[p]->rows * all[p]->cols;
        if (count + size > room)
            kit_fatal("parallel: the capstone's parameters are more than the %zu floats kept for them", room);
        memcpy(parameters + count, all[p]->data, size * sizeof *parameters);
        count += size;
    }
    kit_cnn_work_free(&work);
    kit_matrix_free(&X), kit_matrix_free(&labels);
    kit_cnn_free(&cnn);
    return count;
}

int main(void)
{
    openblas_set_num_threads(1); /* the dense layers' products on one thread: the same bits every time */
    enum { ROOM = 1 << 18 };     /* floats: more than the capstone's 108,618 parameters */
    Matrix one = kit_matrix_create(1, ROOM), other = kit_matrix_create(1, ROOM);
    float losses_one[STEPS], losses_other[STEPS];
    size_t count = train(1, one.data, ROOM, losses_one);
    for (int threads = 2; threads <= 3; threads++) {
        train(threads, other.data, ROOM, losses_other);
        size_t differ = 0;
        for (size_t i = 0; i < count; i++)
            differ += memcmp(&one.data[i], &other.data[i], sizeof one.data[i]) != 0;
        int losses_differ = memcmp(losses_one, losses_other, sizeof losses_one) != 0;
        if (differ || losses_differ) {
            printf("%d threads: %zu of the %zu parameters differ from 1 thread's%s\n", threads, differ, count,
                   losses_differ ? ", and the losses too" : "");
            return 1;
        }
        printf("%d threads: the %zu parameters and %d losses are those of 1 thread, bit for bit\n", threads, count,
               STEPS);
    }
    kit_matrix_free(&one), kit_matrix_free(&other);
    return 0;
}
