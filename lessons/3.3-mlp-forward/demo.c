/*
 * The demo of chapter 3.3: Multi-Layer Perceptrons and Forward Propagation.
 * Run it with your code:  make run CH=3.3
 * It walks through the lesson and calls your functions from exercise.c (and, through them, your
 * linear_layer of chapter 1.2 and your relu and softmax of 3.2; slice and normalize_columns of 1.1
 * prepare the 8 people). The second half sends images of the data set through an untrained
 * 784 -> 256 -> 10 network.
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 64
#define HIDDEN 256
#define CLASSES 10

/* n with a comma between each group of three digits: 203530 -> "203,530". */
static const char *with_commas(long n, char *buffer, size_t size)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%ld", n);
    size_t length = strlen(digits), o = 0;
    for (size_t i = 0; i < length && o + 2 < size; i++) {
        if (i > 0 && (length - i) % 3 == 0)
            buffer[o++] = ',';
        buffer[o++] = digits[i];
    }
    buffer[o] = '\0';
    return buffer;
}

/* The class with the largest probability in row i of A. */
static int predicted_class(const Matrix *A, int i)
{
    int best = 0;
    for (int j = 1; j < A->cols; j++)
        if (A->data[i * A->cols + j] > A->data[i * A->cols + best])
            best = j;
    return best;
}

/* The share of rows of A whose predicted class is their label. */
static double share_correct(const Matrix *A, const Matrix *labels)
{
    int right = 0;
    for (int i = 0; i < A->rows; i++)
        right += predicted_class(A, i) == (int)labels->data[i];
    return (double)right / A->rows;
}

/* The standard deviation of all elements of m. */
static double spread(const Matrix *m)
{
    size_t n = (size_t)m->rows * m->cols;
    double sum = 0.0, squares = 0.0;
    for (size_t k = 0; k < n; k++)
        sum += m->data[k];
    double mean = sum / n;
    for (size_t k = 0; k < n; k++)
        squares += (m->data[k] - mean) * (m->data[k] - mean);
    return sqrt(squares / n);
}

/* The rows start .. start + rows - 1 of M as a matrix header over the same memory (no copy). */
static Matrix rows_of(const Matrix *M, int start, int rows)
{
    Matrix view = {rows, M->cols, M->data + (size_t)start * M->cols};
    return view;
}

int main(void)
{
    kit_section("A forward pass by hand: forward_mlp");
    const float x[] = {1, 0, 2, 0, -1, 1};
    const float w1[] = {0.5f, -1, 0, 1, 1, 0.5f, -0.5f, 0, 0, 1, 0.5f, -1}, bias1[] = {0, 0.5f, -0.5f, 0.25f};
    const float w2[] = {1, 0, -1, 0.5f, 1, 0, 0, -1, 1, 2, 2, 2}, bias2[] = {0, 0.5f, -0.5f};
    Matrix X = kit_matrix_from(2, 3, x);
    Mlp mlp = {kit_matrix_from(3, 4, w1), kit_matrix_from(1, 4, bias1), kit_matrix_from(4, 3, w2),
               kit_matrix_from(1, 3, bias2)};
    MlpCache cache = {kit_matrix_create(2, 4), kit_matrix_create(2, 4), kit_matrix_create(2, 3),
                      kit_matrix_create(2, 3)};
    forward_mlp(&cache, &X, &mlp);
    kit_matrix_print("X", &X, 0);
    kit_matrix_print("W1", &mlp.W1, 1);
    kit_matrix_print("b1", &mlp.b1, 2);
    kit_matrix_print("W2", &mlp.W2, 1);
    kit_matrix_print("b2", &mlp.b2, 1);
    kit_matrix_print("Z1 = X W1 + b1", &cache.Z1, 2);
    kit_matrix_print("A1 = relu(Z1)", &cache.A1, 2);
    kit_matrix_print("Z2 = A1 W2 + b2", &cache.Z2, 2);
    kit_matrix_print("A2 = softmax(Z2)", &cache.A2, 4);
    printf("row sums of A2: %.4f and %.4f\n", cache.A2.data[0] + cache.A2.data[1] + cache.A2.data[2],
           cache.A2.data[3] + cache.A2.data[4] + cache.A2.data[5]);

    kit_section("Targets as rows: one_hot");
    const float class_values[] = {3, 0, 2};
    Matrix labels_small = kit_matrix_from(3, 1, class_values), Y_small = kit_matrix_create(3, 4);
    one_hot(&Y_small, &labels_small);
    printf("labels = [3, 0, 2], K = 4 classes\n");
    kit_matrix_print("Y = one_hot(labels)", &Y_small, 0);

    kit_section("Cross-entropy: cross_entropy");
    const float a_lesson[] = {0.7f, 0.2f, 0.1f, 0.1f, 0.8f, 0.1f}, y_lesson[] = {1, 0, 0, 0, 1, 0};
    Matrix A_lesson = kit_matrix_from(2, 3, a_lesson), Y_lesson = kit_matrix_from(2, 3, y_lesson);
    kit_matrix_print("A", &A_lesson, 1);
    kit_matrix_print("Y", &Y_lesson, 0);
    printf("cross_entropy(A, Y) = %.4f\n", cross_entropy(&A_lesson, &Y_lesson));
    const float targets[] = {0, 1, 0, 0, 1, 0}; /* both examples of the forward pass by hand are class 1 */
    Matrix Y_hand = kit_matrix_from(2, 3, targets);
    printf("the forward pass by hand, both labels 1: cross_entropy(A2, Y) = %.4f = -(log %.4f + log %.4f) / 2\n",
           cross_entropy(&cache.A2, &Y_hand), cache.A2.data[1], cache.A2.data[4]);
    printf("the loss of one example whose true class gets probability p: -log(max(p, 1e-7))\n");
    const float chances[] = {1.0f, 0.99f, 0.9f, 0.5f, 0.1f, 0.01f, 1e-6f, 0.0f};
    for (int k = 0; k < 8; k++) {
        const float a_pair[] = {chances[k], 1.0f - chances[k]}, y_pair[] = {1, 0};
        Matrix A_pair = kit_matrix_from(1, 2, a_pair), Y_pair = kit_matrix_from(1, 2, y_pair);
        /* 0.0 + turns the -0 of a perfect prediction (0 times a negative log) into 0 */
        printf("  p = %-8g loss %8.4f\n", (double)chances[k], 0.0 + cross_entropy(&A_pair, &Y_pair));
        kit_matrix_free(&A_pair), kit_matrix_free(&Y_pair);
    }
    const int class_counts[] = {2, 4, 10};
    for (int k = 0; k < 3; k++) {
        int K = class_counts[k];
        Matrix A_uniform = kit_matrix_create(5, K), labels = kit_matrix_create(5, 1), Y_uniform = kit_matrix_create(5, K);
        kit_matrix_fill(&A_uniform, 1.0f / K);
        for (int i = 0; i < 5; i++)
            labels.data[i] = (float)(i % K);
        one_hot(&Y_uniform, &labels);
        printf("uniform guesses over K = %2d classes (5 rows): loss %.4f, log K = %.4f\n", K,
               cross_entropy(&A_uniform, &Y_uniform), log(K));
        kit_matrix_free(&A_uniform), kit_matrix_free(&labels), kit_matrix_free(&Y_uniform);
    }

    kit_section("The 8 people: an untrained 3 -> 8 -> 2 network");
    Matrix people = kit_people_dataset();
    Matrix features = kit_matrix_create(8, 3), promoted = kit_matrix_create(8, 1), P = kit_matrix_create(8, 3);
    slice(&features, &people, 0, 0);
    slice(&promoted, &people, 0, 3);
    normalize_columns(&P, &features);
    KitRng rng;
    kit_rng_seed(&rng, 0);
    Mlp people_mlp = kit_mlp_create(3, 8, 2, NULL); /* zeros, then the weights drawn here */
    kit_matrix_fill_normal(&people_mlp.W1, &rng, 0.0f, 0.1f);
    kit_matrix_fill_normal(&people_mlp.W2, &rng, 0.0f, 0.1f);
    MlpCache people_cache = {kit_matrix_create(8, 8), kit_matrix_create(8, 8), kit_matrix_create(8, 2),
                             kit_matrix_create(8, 2)};
    Matrix PY = kit_matrix_create(8, 2);
    forward_mlp(&people_cache, &P, &people_mlp);
    one_hot(&PY, &promoted);
    printf("X: age, salary and experience of 8 people, each column normalized (normalize_columns)\n");
    printf("W1 (3 x 8), then W2 (8 x 2): normal numbers with mean 0 and std 0.1 from seed 0; b1 = 0, b2 = 0\n");
    printf("shapes: X %d x %d -> Z1, A1 %d x %d -> Z2, A2 %d x %d\n", P.rows, P.cols, people_cache.Z1.rows, people_cache.Z1.cols, people_cache.Z2.rows,
           people_cache.Z2.cols);
    printf("parameters: 3 x 8 + 8 + 8 x 2 + 2 = %d\n", 3 * 8 + 8 + 8 * 2 + 2);
    printf("the sum of each column of W1 (one per hidden unit):");
    for (int j = 0; j < 8; j++)
        printf(" %.4f", people_mlp.W1.data[j] + people_mlp.W1.data[8 + j] + people_mlp.W1.data[16 + j]);
    printf("\n");
    kit_matrix_print("A1 = relu(Z1)", &people_cache.A1, 4);
    printf("%-7s %4s %7s %5s %9s %16s %12s   %s\n", "person", "age", "salary", "years", "promoted", "P(not promoted)",
           "P(promoted)", "prediction");
    int people_right = 0;
    for (int i = 0; i < 8; i++) {
        const float *row = people.data + i * 4;
        int says_promoted = people_cache.A2.data[i * 2 + 1] > 0.5f;
        people_right += says_promoted == (row[3] == 1.0f);
        printf("%-7d %4.0f %7.0f %5.0f %9s %16.4f %12.4f   %s\n", i + 1, row[0], row[1], row[2],
               row[3] == 1.0f ? "yes" : "no", people_cache.A2.data[i * 2], people_cache.A2.data[i * 2 + 1],
               says_promoted ? "promoted" : "not promoted");
    }
    printf("right: %d of 8; cross_entropy(A2, one_hot(promoted)) = %.4f (log 2 = %.4f)\n", people_right,
           cross_entropy(&people_cache.A2, &PY), log(2.0));

    kit_section("The data set");
    KitDatasetPlace place;
    KitDataset data;
    char error[1024], count_text[32];
    if (kit_dataset_find(&place, error, sizeof error) != 0) {
        fprintf(stderr, "error: %s\n", error);
        return 1;
    }
    if (kit_dataset_load(&data, &place, error, sizeof error) != 0) {
        fprintf(stderr, "error: %s\n", error);
        return 1;
    }
    printf("data set: %s, from %s\n", place.name, place.dir);
    printf("training images %d x %d, test images %d x %d, pixels in [0, 1], classes 0 to 9\n",
           data.train_images.rows, data.train_images.cols, data.test_images.rows, data.test_images.cols);

    kit_section("Shapes through a 784 -> 256 -> 10 network, a batch of 64");
    int D = data.train_images.cols, T = data.test_images.rows;
    Matrix Xb = rows_of(&data.train_images, 0, BATCH), labels_b = rows_of(&data.train_labels, 0, BATCH);
    Mlp net = kit_mlp_create(D, HIDDEN, CLASSES, NULL);
    MlpCache batch = {kit_matrix_create(BATCH, HIDDEN), kit_matrix_create(BATCH, HIDDEN),
                      kit_matrix_create(BATCH, CLASSES), kit_matrix_create(BATCH, CLASSES)};
    Matrix BY = kit_matrix_create(BATCH, CLASSES);
    printf("X      %3d x %3d   the first 64 training images, one per row\n", Xb.rows, Xb.cols);
    printf("W1     %3d x %3d   b1   1 x %3d\n", net.W1.rows, net.W1.cols, net.b1.cols);
    printf("Z1, A1 %3d x %3d   one row of 256 hidden values per image\n", batch.Z1.rows, batch.Z1.cols);
    printf("W2     %3d x %3d   b2   1 x %3d\n", net.W2.rows, net.W2.cols, net.b2.cols);
    printf("Z2, A2 %3d x %3d   one row of 10 class probabilities per image\n", batch.Z2.rows, batch.Z2.cols);
    printf("Y      %3d x %3d   one_hot of the 64 labels\n", BY.rows, BY.cols);
    long parameters = (long)D * HIDDEN + HIDDEN + HIDDEN * CLASSES + CLASSES;
    printf("parameters: W1 %d x %d = %s", D, HIDDEN, with_commas((long)D * HIDDEN, count_text, sizeof count_text));
    printf(", b1 %d, W2 %d x %d = %s, b2 %d\n", HIDDEN, HIDDEN, CLASSES,
           with_commas(HIDDEN * CLASSES, count_text, sizeof count_text), CLASSES);
    printf("            total %s floats, %.2f MB\n", with_commas(parameters, count_text, sizeof count_text),
           parameters * 4.0 / 1e6);

    kit_section("An untrained network's predictions");
    kit_rng_seed(&rng, 33);
    kit_matrix_fill_normal(&net.W1, &rng, 0.0f, 0.01f);
    kit_matrix_fill_normal(&net.W2, &rng, 0.0f, 0.01f);
    forward_mlp(&batch, &Xb, &net);
    one_hot(&BY, &labels_b);
    printf("W1 and W2: normal numbers with std 0.01 (seed 33), b1 = 0, b2 = 0\n");
    printf("%-6s %6s %10s %14s %14s\n", "image", "label", "predicted", "P(predicted)", "P(label)");
    for (int i = 0; i < 5; i++) {
        int label = (int)labels_b.data[i], guess = predicted_class(&batch.A2, i);
        printf("%-6d %6d %10d %14.4f %14.4f\n", i, label, guess, batch.A2.data[i * CLASSES + guess],
               batch.A2.data[i * CLASSES + label]);
    }
    printf("the batch of 64: accuracy %.2f%%, loss %.4f (log 10 = %.4f)\n", 100 * share_correct(&batch.A2, &labels_b),
           cross_entropy(&batch.A2, &BY), log(10.0));
    MlpCache test = {kit_matrix_create(T, HIDDEN), kit_matrix_create(T, HIDDEN), kit_matrix_create(T, CLASSES),
                     kit_matrix_create(T, CLASSES)};
    Matrix TY = kit_matrix_create(T, CLASSES);
    one_hot(&TY, &data.test_labels);
    forward_mlp(&test, &data.test_images, &net);
    printf("the %s test images: accuracy %.2f%%, loss %.4f\n", with_commas(T, count_text, sizeof count_text),
           100 * share_correct(&test.A2, &data.test_labels), cross_entropy(&test.A2, &TY));
    int guesses[CLASSES] = {0};
    for (int i = 0; i < T; i++)
        guesses[predicted_class(&test.A2, i)]++;
    printf("how often each class is predicted:");
    for (int j = 0; j < CLASSES; j++)
        printf(" %d", guesses[j]);
    printf("\n");

    kit_section("The scale of the starting weights");
    const char *scale_names[] = {"0.01", "0.1", "He", "1"};
    float largest_logit = 0.0f;
    printf("%-26s %10s %10s %12s %10s %9s %10s\n", "std of W1 and W2", "std of Z1", "std of Z2", "mean max P",
           "loss", "accuracy", "P(label)=0");
    for (int s = 0; s < 4; s++) {
        KitRng scale_rng;
        kit_rng_seed(&scale_rng, 33);
        float std1 = s == 0 ? 0.01f : s == 1 ? 0.1f : s == 2 ? sqrtf(2.0f / D) : 1.0f;
        float std2 = s == 2 ? sqrtf(2.0f / HIDDEN) : std1;
        kit_matrix_fill_normal(&net.W1, &scale_rng, 0.0f, std1);
        kit_matrix_fill_normal(&net.W2, &scale_rng, 0.0f, std2);
        forward_mlp(&test, &data.test_images, &net);
        double top = 0.0;
        int zero = 0;
        for (int i = 0; i < T; i++) {
            top += test.A2.data[i * CLASSES + predicted_class(&test.A2, i)];
            zero += test.A2.data[i * CLASSES + (int)data.test_labels.data[i]] == 0.0f;
        }
        for (int k = 0; k < T * CLASSES; k++)
            largest_logit = fmaxf(largest_logit, fabsf(test.Z2.data[k]));
        char name[40];
        if (s == 2)
            snprintf(name, sizeof name, "He: %.4f and %.4f", std1, std2);
        else
            snprintf(name, sizeof name, "%s", scale_names[s]);
        printf("%-26s %10.4f %10.4f %12.4f %10.4f %8.2f%% %10d\n", name, spread(&test.Z1), spread(&test.Z2), top / T,
               cross_entropy(&test.A2, &TY), 100 * share_correct(&test.A2, &data.test_labels), zero);
    }

    printf("the largest |logit| with std 1: %.1f (e^z overflows a float above z = 88.72)\n", largest_logit);

    kit_section("Timing the forward pass");
    kit_rng_seed(&rng, 33);
    kit_matrix_fill_normal(&net.W1, &rng, 0.0f, 0.01f);
    kit_matrix_fill_normal(&net.W2, &rng, 0.0f, 0.01f);
    double flops_per_image = 2.0 * ((double)D * HIDDEN + (double)HIDDEN * CLASSES);
    printf("one image costs 2 x (784 x 256 + 256 x 10) = %.0f floating-point operations in the two products\n",
           flops_per_image);
    int repeats = 200;
    forward_mlp(&batch, &Xb, &net); /* a first pass warms up the caches */
    double started = kit_seconds();
    for (int r = 0; r < repeats; r++)
        forward_mlp(&batch, &Xb, &net);
    double batch_seconds = (kit_seconds() - started) / repeats;
    printf("a batch of 64 images (the mean of %d passes): %.3f ms, %.1f GFLOP/s\n", repeats, 1000 * batch_seconds,
           flops_per_image * BATCH / batch_seconds / 1e9);
    repeats = 5;
    started = kit_seconds();
    for (int r = 0; r < repeats; r++)
        forward_mlp(&test, &data.test_images, &net);
    double test_seconds = (kit_seconds() - started) / repeats;
    printf("all 10,000 test images at once (the mean of %d passes): %.1f ms, %.1f GFLOP/s\n", repeats,
           1000 * test_seconds, flops_per_image * T / test_seconds / 1e9);
    printf("per image: %.2f us in batches of 64, %.2f us in one batch of 10,000\n", 1e6 * batch_seconds / BATCH,
           1e6 * test_seconds / T);

    Matrix *all[] = {&labels_small, &Y_small, &X, &Y_hand, &A_lesson, &Y_lesson, &people, &features, &promoted, &P,
                     &PY, &BY, &TY};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        kit_matrix_free(all[i]);
    MlpCache *caches[] = {&cache, &people_cache, &batch, &test};
    for (int i = 0; i < 4; i++)
        kit_matrix_free(&caches[i]->Z1), kit_matrix_free(&caches[i]->A1), kit_matrix_free(&caches[i]->Z2),
            kit_matrix_free(&caches[i]->A2);
    kit_mlp_free(&mlp), kit_mlp_free(&people_mlp), kit_mlp_free(&net);
    kit_dataset_free(&data);
    return 0;
}
