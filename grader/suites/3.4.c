/* The grading suite of chapter 3.4: Backpropagation for Training MLPs. */
#include "check.h"
#include "course.h"
#include "two_layer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char kit_suite_chapter[] = "3.4";

/* Gradients: each element is a sum of at most a few dozen float products, computed by cblas_sgemm in the
 * reference and perhaps by loops (float or double, any order) in your code; they differ by a few 1e-7 of
 * their size. These tolerances allow about 100 times more. */
#define GRADIENT_ABS_TOL 1e-5
#define GRADIENT_REL_TOL 1e-4
/* Training steps and epochs carry those differences through several updates: 10 times more room. */
#define TRAINING_ABS_TOL 1e-4
#define TRAINING_REL_TOL 1e-3
/* Central differences of a float loss near 1 with h = 1e-2: the numeric derivative is good to about 1e-4;
 * the checker's floored relative tolerance allows 1e-3 (chapter 2.4). */
#define NUMERIC_H 1e-2f
#define NUMERIC_TOL 1e-3

/* The accuracy check's fixed budget: a 784 -> 256 -> 10 network from He-initialised weights (normal, std
 * sqrt(2 / fan-in), zero biases), batches of 64, learning rate 0.3 for ACCURACY_EPOCHS - 1 epochs and 0.03 for
 * the last one, then the test set's accuracy. Measured with the reference (single-threaded OpenBLAS), seeds 1-8:
 *   MNIST (60,000 / 10,000 digits): min 0.9792, median 0.9800, max 0.9808; the bar 0.975 sits 0.0042 below the
 *   lowest seed. (At learning rate 0.1 the same 5 epochs reach only 0.9691 to 0.9704.)
 *   Fashion-MNIST: min 0.8781, median 0.8800, max 0.8825; the bar 0.85 sits 0.028 below.
 * About 1 s an epoch; correct code whose products are plain loops takes about 36 s an epoch (181 s for the 5, on
 * a quiet machine): the check allows 600 s, so that such code still passes when the machine runs twice as slow. */
#define ACCURACY_HIDDEN 256
#define ACCURACY_EPOCHS 5
#define ACCURACY_BATCH 64
#define ACCURACY_LR 0.3f
#define ACCURACY_LAST_LR 0.03f
#define MNIST_BAR 0.975
#define FASHION_BAR 0.85

/* ---- helpers ----------------------------------------------------------- */

/* Records the problem's inputs, each name after prefix ("" or "network 2: "). */
static void show_problem(KitCase *c, const char *prefix, const Problem *p)
{
    const char *names[] = {"X", "labels", "W1", "b1", "W2", "b2"};
    const Matrix *inputs[] = {&p->X, &p->labels, &p->W1, &p->b1, &p->W2, &p->b2};
    char name[64];
    for (int k = 0; k < 6; k++) {
        snprintf(name, sizeof name, "%s%s", prefix, names[k]);
        kit_show_input(c, name, inputs[k]);
    }
}

/* Runs the reference-free forward pass with the kit's own arithmetic (in double), so that the backward checks
 * do not depend on chapter 3.3: fills the cache of a problem (Z1, A1, Z2 and A2). */
static void forward_here(MlpCache *cache, const Problem *p)
{
    int N = p->X.rows, D = p->X.cols, H = p->W1.cols, C = p->W2.cols;
    Matrix *Z1 = &cache->Z1, *A1 = &cache->A1, *Z2 = &cache->Z2, *A2 = &cache->A2;
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < H; j++) {
            double z = p->b1.data[j];
            for (int k = 0; k < D; k++)
                z += (double)p->X.data[i * D + k] * p->W1.data[k * H + j];
            Z1->data[i * H + j] = (float)z;
            A1->data[i * H + j] = z > 0 ? (float)z : 0.0f;
        }
        double scores[64], largest = -INFINITY, sum = 0.0;
        for (int c = 0; c < C; c++) {
            double z = p->b2.data[c];
            for (int j = 0; j < H; j++)
                z += (double)A1->data[i * H + j] * p->W2.data[j * C + c];
            scores[c] = z;
            Z2->data[i * C + c] = (float)z;
            largest = z > largest ? z : largest;
        }
        for (int c = 0; c < C; c++)
            sum += scores[c] = exp(scores[c] - largest);
        for (int c = 0; c < C; c++)
            A2->data[i * C + c] = (float)(scores[c] / sum);
    }
}

/* Emits the inputs of backward_mlp after the call, named "A2" or, after a prefix "network 1: ", "A2 (network 1)": it
 * must not change them. */
static void emit_backward_unchanged(KitCase *c, const char *prefix, const Problem *p, const MlpCache *cache)
{
    const char *names[] = {"X", "Y", "Z1", "A1", "Z2", "A2", "W1", "b1", "W2", "b2"};
    const Matrix *inputs[] = {&p->X,  &p->Y,  &cache->Z1, &cache->A1, &cache->Z2,
                              &cache->A2, &p->W1, &p->b1,     &p->W2,     &p->b2};
    int which = (int)strcspn(prefix, ":");
    char label[64];
    for (int k = 0; k < 10; k++) {
        if (prefix[0])
            snprintf(label, sizeof label, "%s (%.*s)", names[k], which, prefix);
        else
            snprintf(label, sizeof label, "%s", names[k]);
        kit_emit_unchanged(c, "backward_mlp", label, inputs[k]);
    }
}

/* Calls backward_mlp on the problem and emits its six outputs, then its inputs. */
static void emit_backward(KitCase *c, const char *prefix, const char *what, const Problem *p)
{
    int N = p->X.rows, D = p->X.cols, H = p->W1.cols, C = p->W2.cols;
    MlpCache cache = {kit_matrix_create(N, H), kit_matrix_create(N, H), kit_matrix_create(N, C),
                      kit_matrix_create(N, C)};
    forward_here(&cache, p);
    char label[160];
    snprintf(label, sizeof label, "%sZ1 (from the forward pass)", prefix);
    kit_show_input(c, label, &cache.Z1);
    snprintf(label, sizeof label, "%sA2 (from the forward pass)", prefix);
    kit_show_input(c, label, &cache.A2);
    MlpGradients g = {kit_output_matrix(D, H), kit_output_matrix(1, H), kit_output_matrix(H, C),
                      kit_output_matrix(1, C), kit_output_matrix(N, H), kit_output_matrix(N, C)};
    Mlp mlp = problem_mlp(p);
    backward_mlp(&g, &cache, &p->X, &p->Y, &mlp);
    struct {
        const char *name;
        const Matrix *m;
    } outputs[] = {{"dZ2", &g.dZ2}, {"dW2", &g.dW2}, {"db2", &g.db2}, {"dZ1", &g.dZ1}, {"dW1", &g.dW1}, {"db1", &g.db1}};
    for (int k = 0; k < 6; k++) {
        snprintf(label, sizeof label, "%s after backward_mlp, %s", outputs[k].name, what);
        kit_emit(c, label, outputs[k].m, GRADIENT_ABS_TOL, GRADIENT_REL_TOL);
    }
    emit_backward_unchanged(c, prefix, p, &cache);
    Matrix *all[] = {&cache.Z1, &cache.A1, &cache.Z2, &cache.A2, &g.dW1, &g.db1, &g.dW2, &g.db2, &g.dZ1, &g.dZ2};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        kit_matrix_free(all[k]);
}

/* ---- backward_mlp ------------------------------------------------------ */

static void check_backward_lesson(KitCase *c)
{
    const float x[] = {1, 0, 2, 0, -1, 1};
    const float w1[] = {0.5f, -1, 0, 1, 1, 0.5f, -0.5f, 0, 0, 1, 0.5f, -1}, b1[] = {0, 0.5f, -0.5f, 0.25f};
    const float w2[] = {1, 0, -1, 0.5f, 1, 0, 0, -1, 1, 2, 2, 2}, b2[] = {0, 0.5f, -0.5f};
    const float labels[] = {1, 2}, y[] = {0, 1, 0, 0, 0, 1};
    Problem p = {kit_matrix_from(2, 3, x), kit_matrix_from(2, 1, labels), kit_matrix_from(2, 3, y),
                 kit_matrix_from(3, 4, w1), kit_matrix_from(1, 4, b1), kit_matrix_from(4, 3, w2),
                 kit_matrix_from(1, 3, b2)};
    show_problem(c, "", &p);
    emit_backward(c, "", "the lesson's 3 -> 4 -> 3 example", &p);
    free_problem(&p);
}

static void check_backward_random(KitCase *c)
{
    /* H above C and H below C, so that a W2 read the wrong way round cannot come out right */
    const int shapes[][4] = {{9, 7, 6, 4}, {5, 3, 2, 5}};
    for (int s = 0; s < 2; s++) {
        const int *n = shapes[s];
        Problem p = random_problem(c, 3401 + s, n[0], n[1], n[2], n[3], 0.0);
        char what[96], prefix[32];
        snprintf(prefix, sizeof prefix, "network %d: ", s + 1);
        show_problem(c, prefix, &p);
        snprintf(what, sizeof what, "a random %d -> %d -> %d network, %d examples", n[1], n[2], n[3], n[0]);
        emit_backward(c, prefix, what, &p);
        free_problem(&p);
    }
}

/* The loss of the learner's network as a function of its parameters, for the gradient checker. */
typedef struct {
    Problem *p;
    MlpCache cache;
} LossContext;

static double network_loss(void *context)
{
    LossContext *l = context;
    Mlp mlp = problem_mlp(l->p);
    forward_mlp(&l->cache, &l->p->X, &mlp);
    return cross_entropy(&l->cache.A2, &l->p->Y);
}

/* backward_mlp's gradient of one parameter (0 W1, 1 b1, 2 W2, 3 b2) against central differences of
 * cross_entropy(forward_mlp(...)). */
static void check_numeric(KitCase *c, int which)
{
    enum { N = 6, D = 4, H = 5, C = 3 };
    Problem p = random_problem(c, 3410, N, D, H, C, 0.1);
    show_problem(c, "", &p);
    LossContext l = {&p, {kit_matrix_create(N, H), kit_matrix_create(N, H), kit_matrix_create(N, C),
                          kit_matrix_create(N, C)}};
    network_loss(&l); /* forward_mlp and cross_entropy (chapter 3.3): their inputs too must come back as they were */
    const char *inputs[] = {"X", "W1", "b1", "W2", "b2"};
    const Matrix *forward_inputs[] = {&p.X, &p.W1, &p.b1, &p.W2, &p.b2};
    for (int k = 0; k < 5; k++)
        kit_emit_unchanged(c, "forward_mlp", inputs[k], forward_inputs[k]);
    kit_emit_unchanged(c, "cross_entropy", "Y", &p.Y);
    MlpGradients g = {kit_output_matrix(D, H), kit_output_matrix(1, H), kit_output_matrix(H, C),
                      kit_output_matrix(1, C), kit_output_matrix(N, H), kit_output_matrix(N, C)};
    Mlp mlp = problem_mlp(&p);
    backward_mlp(&g, &l.cache, &p.X, &p.Y, &mlp);
    /* (Z1, A1 and A2 come from the learner's own forward_mlp here, not from the reference's: the backward checks
     * above show whether backward_mlp changes its cache) */
    kit_emit_unchanged(c, "backward_mlp", "X", &p.X);
    kit_emit_unchanged(c, "backward_mlp", "Y", &p.Y);
    kit_emit_unchanged(c, "backward_mlp", "W2", &p.W2);
    const char *names[] = {"W1", "b1", "W2", "b2"};
    Matrix *analytic[] = {&g.dW1, &g.db1, &g.dW2, &g.db2}, *parameters[] = {&p.W1, &p.b1, &p.W2, &p.b2};
    kit_check_gradient(c, names[which], analytic[which], parameters[which], network_loss, &l, NUMERIC_H, NUMERIC_TOL);
    Matrix *all[] = {&l.cache.Z1, &l.cache.A1, &l.cache.Z2, &l.cache.A2, &g.dW1, &g.db1, &g.dW2, &g.db2, &g.dZ1,
                     &g.dZ2};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        kit_matrix_free(all[k]);
    free_problem(&p);
}

static void check_numeric_w1(KitCase *c) { check_numeric(c, 0); }
static void check_numeric_b1(KitCase *c) { check_numeric(c, 1); }
static void check_numeric_w2(KitCase *c) { check_numeric(c, 2); }
static void check_numeric_b2(KitCase *c) { check_numeric(c, 3); }

/* ---- train_mlp_step and train_mlp_epoch -------------------------------- */

static void check_step(KitCase *c)
{
    enum { N = 5, D = 6, H = 7, C = 4, BATCH = 8 };
    Problem p = random_problem(c, 3420, N, D, H, C, 0.0);
    show_problem(c, "", &p);
    /* a work made for batches of 8, used for a batch of 5: the step must use the rows it is given */
    KitMlpWork work = kit_mlp_work_create(N, BATCH, D, H, C);
    kit_mlp_work_rows(&work, N);
    kit_matrix_copy(&work.X, &p.X);
    kit_matrix_copy(&work.labels, &p.labels);
    kit_matrix_fill(&work.Y, NAN); /* train_mlp_step makes the one-hot rows itself */
    Mlp mlp = problem_mlp(&p);
    float loss = train_mlp_step(&mlp, &work, 0.5f);
    kit_emit_scalar(c, "the loss train_mlp_step returned (lr 0.5)", loss, TRAINING_ABS_TOL, TRAINING_REL_TOL);
    emit_parameters(c, "after one train_mlp_step with lr 0.5", &p, TRAINING_ABS_TOL, TRAINING_REL_TOL);
    loss = train_mlp_step(&mlp, &work, 0.5f);
    kit_emit_scalar(c, "the loss of a second step on the same batch", loss, TRAINING_ABS_TOL, TRAINING_REL_TOL);
    kit_mlp_work_free(&work);
    free_problem(&p);
}

static void check_epoch(KitCase *c)
{
    enum { N = 37, D = 6, H = 8, C = 3, BATCH = 8 }; /* 4 batches of 8 and a last one of 5 */
    Problem p = random_problem(c, 3430, N, D, H, C, 0.0);
    kit_show_input(c, "labels", &p.labels);
    kit_show_input(c, "W1 (start)", &p.W1);
    KitMlpWork work = kit_mlp_work_create(N, BATCH, D, H, C);
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 3431);
    Mlp mlp = problem_mlp(&p);
    float first = train_mlp_epoch(&mlp, &p.X, &p.labels, &work, 0.2f, &rng, NULL);
    kit_emit_scalar(c, "the mean loss train_mlp_epoch returned (epoch 1, 37 examples, batches of 8, lr 0.2)", first,
                    TRAINING_ABS_TOL, TRAINING_REL_TOL);
    emit_parameters(c, "after epoch 1", &p, TRAINING_ABS_TOL, TRAINING_REL_TOL);
    float second = train_mlp_epoch(&mlp, &p.X, &p.labels, &work, 0.2f, &rng, NULL);
    kit_emit_scalar(c, "the mean loss of epoch 2 (a new order from the same generator)", second, TRAINING_ABS_TOL,
                    TRAINING_REL_TOL);
    emit_parameters(c, "after epoch 2", &p, TRAINING_ABS_TOL, TRAINING_REL_TOL);
    kit_emit_unchanged(c, "train_mlp_epoch", "X", &p.X);
    kit_emit_unchanged(c, "train_mlp_epoch", "labels", &p.labels);
    kit_emit_scalar(c, "kit_rng_below(rng, 1000) after the two epochs (one shuffle of 37 each)",
                    kit_rng_below(&rng, 1000), 0, 0);
    kit_mlp_work_free(&work);
    free_problem(&p);

    /* 32 examples in batches of 8: every batch is full, and the walk must stop when start reaches N (a loop that
     * runs while start <= N asks for a fifth batch of 0 rows) */
    enum { FULL = 32 };
    Problem q = random_problem(c, 3432, FULL, D, H, C, 0.0);
    kit_show_input(c, "labels (the epoch of 32)", &q.labels);
    KitMlpWork full = kit_mlp_work_create(FULL, BATCH, D, H, C);
    kit_rng_seed(&rng, kit_case_seed(c) + 3433);
    Mlp whole_mlp = problem_mlp(&q);
    float whole = train_mlp_epoch(&whole_mlp, &q.X, &q.labels, &full, 0.2f, &rng, NULL);
    kit_emit_scalar(c, "the mean loss train_mlp_epoch returned for 32 examples in 4 full batches of 8 (lr 0.2)", whole,
                    TRAINING_ABS_TOL, TRAINING_REL_TOL);
    emit_parameters(c, "after the epoch of 32 examples", &q, TRAINING_ABS_TOL, TRAINING_REL_TOL);
    kit_mlp_work_free(&full);
    free_problem(&q);
}

/* The training set is too large to emit after the calls: whether train_mlp_epoch leaves X and labels as they are is
 * checked on the small problem of check_epoch. */
static void check_accuracy(KitCase *c)
{
    const KitDataset *data = kit_case_dataset(c);
    const Matrix *X = &data->train_images, *labels = &data->train_labels;
    int D = X->cols, H = ACCURACY_HIDDEN, C = 10;
    KitRng init, shuffle;
    kit_rng_seed(&init, kit_case_seed(c) + 3440);
    kit_rng_seed(&shuffle, kit_case_seed(c) + 3441);
    Mlp mlp = kit_mlp_create(D, H, C, &init); /* He initialisation: W1, then W2 */
    KitMlpWork work = kit_mlp_work_create(X->rows, ACCURACY_BATCH, D, H, C);
    int steps = (X->rows + ACCURACY_BATCH - 1) / ACCURACY_BATCH;
    KitWatch watch;
    KitProgress progress;
    kit_watch_init(&watch, &mlp.b2, "b2");
    if (setjmp(watch.stop) == 0) {
        for (int epoch = 1; epoch <= ACCURACY_EPOCHS; epoch++) {
            kit_watch_progress(&watch, &progress, epoch, ACCURACY_EPOCHS, steps);
            train_mlp_epoch(&mlp, X, labels, &work, epoch < ACCURACY_EPOCHS ? ACCURACY_LR : ACCURACY_LAST_LR, &shuffle,
                            &progress);
        }
        kit_emit_at_least(c, "test accuracy", two_layer_test_accuracy(data, &mlp.W1, &mlp.b1, &mlp.W2, &mlp.b2),
                          MNIST_BAR, FASHION_BAR);
    } else {
        kit_emit_stopped(c, "test accuracy", MNIST_BAR, FASHION_BAR, &watch);
    }
    kit_mlp_work_free(&work);
    kit_mlp_free(&mlp);
}

const KitCheck kit_suite_checks[] = {
    {"backward-lesson", "backward_mlp: the lesson's 3 -> 4 -> 3 example, labels 1 and 2", 2, "",
     "Go from the output back: dZ2 = (A2 - Y) / N first, then dW2 = A1^T dZ2 and db2 = the column sums of dZ2, "
     "then dZ1 = (dZ2 W2^T) * relu'(Z1), dW1 = X^T dZ1, db1 = the column sums of dZ1.",
     5, 0, check_backward_lesson},
    {"backward-random", "backward_mlp: random networks 7 -> 6 -> 4 and 3 -> 2 -> 5, every output", 3, "",
     "dW1 is D x H and dW2 is H x K: the shapes of W1 and W2. In the hidden delta W2 is read transposed "
     "(dZ2 is N x K, W2^T is K x H); with cblas_sgemm say CblasTrans and keep W2's leading dimension K.",
     5, 0, check_backward_random},
    {"gradient-w1", "backward_mlp: dW1 against central differences of the loss", 2, "3.3",
     "relu'(Z1) masks the error on its way back: it is 1 where Z1 > 0 (not where dA1 > 0 or A1 > 1).", 5, 0,
     check_numeric_w1},
    {"gradient-b1", "backward_mlp: db1 against central differences of the loss", 1, "3.3",
     "db1 sums dZ1 over the rows (the examples), one number per hidden unit.", 5, 0, check_numeric_b1},
    {"gradient-w2", "backward_mlp: dW2 against central differences of the loss", 2, "3.3",
     "The loss is a mean over the N examples: divide A2 - Y by N once, in dZ2, and every gradient inherits it.",
     5, 0, check_numeric_w2},
    {"gradient-b2", "backward_mlp: db2 against central differences of the loss", 1, "3.3",
     "dZ2 = (A2 - Y) / N with Y the one-hot rows: subtract 1 at the label's column only, and keep A2 everywhere "
     "else.",
     5, 0, check_numeric_b2},
    {"step", "train_mlp_step: two steps on a batch of 5 rows (lr 0.5), loss and parameters", 3, "3.3",
     "Make work->Y with one_hot, run forward_mlp into work->cache, take the loss, run backward_mlp into "
     "work->gradients, then move all four parameters against their gradients: W -= lr dW. Return the loss from "
     "before the step.",
     5, 0, check_step},
    {"epoch", "train_mlp_epoch: two epochs of 37 examples in batches of 8 (the last one 5), one of 32 (all full)", 3,
     "2.3 3.3",
     "Shuffle work->order once per epoch, then walk it in batches: kit_mlp_work_rows(work, m) with m = min(B, "
     "N - start), gather_rows for X and labels from start, one train_mlp_step, while start < N. Weight each "
     "batch's loss by m.",
     5, 0, check_epoch},
    {"accuracy", "train_mlp_epoch: 5 epochs of the 784 -> 256 -> 10 network on the training set, test accuracy", 5,
     "2.3 3.3",
     "A wrong gradient often still learns a little: pass the other checks first. If they pass and this one is "
     "slow, use cblas_sgemm for every product (see chapter 1.2).",
     600, 1, check_accuracy},
};
const int kit_suite_check_count = sizeof kit_suite_checks / sizeof kit_suite_checks[0];
