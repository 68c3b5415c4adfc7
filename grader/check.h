/*
 * check.h: how a chapter's grading suite (grader/suites/<chapter>.c) is written.
 *
 * A suite is a table of checks. Each check runs in its own child process: it
 * builds its inputs with the kit's seeded generator, calls the learner's
 * functions, and emits what they produced. The child never judges: the grade
 * tool (a separate program that never links learner code) compares what was
 * emitted with the chapter's fixture, recorded from the reference solution
 * together with the tolerances the suite states here.
 */
#ifndef KIT_CHECK_H
#define KIT_CHECK_H

#include "kit.h"

#include <setjmp.h>

typedef struct KitCase KitCase;

typedef struct {
    const char *id;          /* unique within the chapter: lowercase letters, digits, '-' */
    const char *title;       /* what the report shows: "normalize: the lesson's 3x2 matrix" */
    int points;
    const char *needs;       /* space-separated chapters whose functions the check calls besides its own, or "" */
    const char *hint;        /* shown under a failure: where to look, or NULL */
    double timeout_seconds;  /* wall-clock limit of one run (the memory check allows 30 times more) */
    int skip_memcheck;       /* 1 for checks too slow to run under Valgrind */
    void (*run)(KitCase *c);
} KitCheck;

/* Every suite defines these three. */
extern const char kit_suite_chapter[];
extern const KitCheck kit_suite_checks[];
extern const int kit_suite_check_count;

/* Emits a matrix the learner's code produced, to be compared element by element with the reference:
 * a value passes when |got - expected| <= abs_tol + rel_tol * |expected| (and NaN or inf match only themselves). */
void kit_emit(KitCase *c, const char *name, const Matrix *m, double abs_tol, double rel_tol);

/* Emits rows 0, step, 2 step, ... and the last row of a large matrix, compared like kit_emit: enough to catch a
 * wrong index or leading dimension without a fixture of every element. The name says which rows were kept. */
void kit_emit_rows(KitCase *c, const char *name, const Matrix *m, int step, double abs_tol, double rel_tol);

/* What kit_emit_unchanged puts after an input's name; the judge recognises an input that changed by it. */
#define KIT_UNCHANGED_SUFFIX " (it must not change)"

/* Emits an input of the learner's function after the call, to be compared exactly (tolerance 0) with what it was:
 * a function must leave every input it takes as a const pointer as it is (its outputs may be that input only where
 * its comment says so, as in normalize(X, X)). The name is "<name> after <function> (it must not change)"; a large
 * input keeps a sample of its rows (kit_emit_rows), so that fixtures stay small. A failure names the function and
 * the first element it wrote. */
void kit_emit_unchanged(KitCase *c, const char *function, const char *name, const Matrix *m);

/* What kit_emit_refusal puts after its name; the judge explains by it a call that was not refused. */
#define KIT_REFUSAL_SUFFIX " (it must stop with kit_fatal)"

/* How a call with a forbidden input ended: the value kit_emit_refusal emits (the reference's is KIT_REFUSED). */
enum {
    KIT_REFUSAL_RETURNED = 0,  /* the function returned as if the input were fine */
    KIT_REFUSED = 1,           /* it stopped with kit_fatal, its message starting with a function's name */
    KIT_REFUSAL_UNNAMED = 2,   /* it stopped with kit_fatal, but the message does not start with a name (or
                                  with a kit_ helper's: kit_matrix_create's message does not say which input) */
    KIT_REFUSAL_CRASHED = 3,   /* a signal ended it (a segmentation fault, an abort) */
    KIT_REFUSAL_EXITED = 4,    /* it called exit with a status of its own */
    KIT_REFUSAL_HUNG = 5,      /* it was still running after KIT_REFUSAL_SECONDS */
};
#define KIT_REFUSAL_SECONDS 10

/* Calls call(context) in a child process: a call of the learner's function with an input that its contract calls a
 * mistake of the caller (a rate of 1 for dropout, a matrix of the wrong shape). The contract asks the function to
 * stop with kit_fatal (kit_require_shape does) and a message that starts with its name, "dropout: rate 1; ...", or
 * with the name of the course's function that found the mistake ("linear_layer: ...", called by forward_mlp).
 * Emits how the call ended, one of the values above, compared exactly; `input` says what was wrong ("rate 1").
 * Under Valgrind it does nothing: a process that stops with kit_fatal leaves its memory allocated, by design. */
void kit_emit_refusal(KitCase *c, const char *function, const char *input, void (*call)(void *context),
                      void *context);

/* Emits one number, compared like an element of kit_emit. */
void kit_emit_scalar(KitCase *c, const char *name, double value, double abs_tol, double rel_tol);

/* Records an input of the check so that a failure report can show it (small inputs are printed in full). */
void kit_show_input(KitCase *c, const char *name, const Matrix *m);

/* Allocates an output matrix filled with NaN, so that an element the learner's code never writes shows as nan. */
Matrix kit_output_matrix(int rows, int cols);

/* Emits a measured figure (such as a test accuracy) that must reach a bar; the bar depends on the data set
 * graded: mnist_bar on MNIST, fashion_bar on Fashion-MNIST. The report shows the figure beside the bar. */
void kit_emit_at_least(KitCase *c, const char *name, double value, double mnist_bar, double fashion_bar);

/*
 * A training check's watch on the learner's training, which ends it once it can no longer reach the bar: when
 * every element of the output layer's bias is NaN. From then on every prediction is NaN (NaN plus anything is NaN,
 * and an update of a NaN is NaN), so the test accuracy would be that of always guessing the first class. The watch
 * looks every 16 steps: through the KitProgress the learner's epoch passes to kit_progress_step
 * (kit_watch_progress), which ends the training by a longjmp to stop, set by the check with setjmp before it
 * trains; or where the check makes the steps itself (kit_watch_step), which says when to stop. kit_emit_stopped
 * then reports where and why it stopped.
 */
typedef struct {
    jmp_buf stop;
    const Matrix *bias;   /* the output layer's bias */
    const char *name;     /* its name in the learner's code, e.g. "b4" */
    int epoch, step, steps; /* where the training is (steps: an epoch's, 0 when the check makes the steps) */
} KitWatch;
void kit_watch_init(KitWatch *w, const Matrix *bias, const char *name);
/* Before each epoch of the learner's: starts p (kit_progress_begin) and has kit_progress_step call the watch. */
void kit_watch_progress(KitWatch *w, KitProgress *p, int epoch, int epochs, int steps);
/* After each step the check makes itself (step counts from 1 over the whole training): 1 when the training must
 * stop there (no longjmp). */
int kit_watch_step(KitWatch *w, int step);
/* Emits the bar's figure as not measured, with where the training was stopped and why. */
void kit_emit_stopped(KitCase *c, const char *name, double mnist_bar, double fashion_bar, const KitWatch *w);

/* The data set the grade tool chose, loaded once per check (KIT_DATASET_DIR and KIT_DATASET_NAME in the
 * environment); stops the check with a clear message when there is none. */
const KitDataset *kit_case_dataset(KitCase *c);

/* A loss as a function of the parameters it is differentiated by; it reads them through context. */
typedef double (*KitLoss)(void *context);

/* Checks an analytic gradient against central differences: for each element k of params,
 *   numeric_k = (loss(params + h e_k) - loss(params - h e_k)) / (2 h),
 * with params restored after each element. Emits both; the judge requires
 *   |analytic - numeric| <= rel_tol * max(|analytic|, |numeric|, 1)
 * for every element, a gradient that is not all zero, and names the parameter, the worst element and,
 * where it recognises one, the pattern of the mistake (sign, a constant factor, a transpose).
 * Use h around 1e-2 in float, and sample points away from kinks such as ReLU's 0. */
void kit_check_gradient(KitCase *c, const char *parameter, const Matrix *analytic, Matrix *params, KitLoss loss,
                        void *context, float h, double rel_tol);

/* Allocates a rows x cols matrix of normal numbers (mean, std) drawn from the case's seed plus salt:
 * the same numbers for the same seed, other numbers for the hidden cases' seed. */
Matrix kit_case_normal_matrix(const KitCase *c, uint64_t salt, int rows, int cols, float mean, float std);

/* The seed of this run: fixed for the public cases; the same check may be run with other seeds. */
uint64_t kit_case_seed(const KitCase *c);

/* 1 when the check runs under Valgrind (outputs are not judged then), else 0. */
int kit_case_under_memcheck(const KitCase *c);

/* The number of calls the learner's code made to cblas_sgemm since the check started. */
long kit_sgemm_calls(void);

#endif
