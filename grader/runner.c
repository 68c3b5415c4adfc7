/*
 * runner.c: the main() of a chapter's check program.
 *
 * A check program is the chapter's suite linked with the learner's code (or
 * the reference solution). It never decides a verdict; it runs each check in
 * a child process of its own and leaves, per check, in the output folder:
 *   <id>.out     what the check emitted (inputs and outputs, as text)
 *   <id>.log     what the code printed (stdout and stderr, capped)
 *   <id>.status  how the child ended: "exited N", "signal N" or "timeout S", and its pid
 *
 * Usage:
 *   check --list                       one line per check: id, points, title
 *   check --run DIR --one ID [--seed S] [--limit SECONDS]
 *                                      run one check in this very process (the grade tool's supervisor
 *                                      starts it, sets its limits and writes its .status: sandbox.c); with
 *                                      the time limit given, it records its stack in <id>.stack at 0.8 of it
 *   check --run DIR [--memcheck | --sanitized] [--seed S] [--only ID] [--skip ID,ID...]
 *                                      run the checks, each in a child (under Valgrind, or built with the
 *                                      sanitizers: two at a time on 2 cores, the training checks left out)
 *   check --record FIXTURE [--seed S]  run the reference and write the chapter's fixture
 *
 * The learner's code is linked into this program, so nothing it writes is trusted: the grade tool
 * judges a check from its .out alone, and from the status its own supervisor observed.
 */
#define _GNU_SOURCE
#include "check.h"
#include "process.h"

#include <cblas.h>
#include <ctype.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>


struct KitCase {
    FILE *out;
    uint64_t seed;
    int under_memcheck;
    KitDataset dataset;
    int dataset_loaded;
};

/* ---- what a check calls ------------------------------------------------ */

static void write_matrix(FILE *out, const Matrix *m)
{
    for (int i = 0; i < m->rows; i++) {
        for (int j = 0; j < m->cols; j++)
            fprintf(out, "%s%.9g", j ? " " : "", (double)m->data[(size_t)i * m->cols + j]);
        fputc('\n', out);
    }
}

void kit_emit(KitCase *c, const char *name, const Matrix *m, double abs_tol, double rel_tol)
{
    fprintf(c->out, "output %s\t%d %d %g %g\n", name, m->rows, m->cols, abs_tol, rel_tol);
    write_matrix(c->out, m);
    fflush(c->out);
}

void kit_emit_rows(KitCase *c, const char *name, const Matrix *m, int step, double abs_tol, double rel_tol)
{
    if (step < 1)
        kit_fatal("kit_emit_rows: step %d; expected at least 1", step);
    int kept = (m->rows - 1) / step + 1 + ((m->rows - 1) % step != 0);
    Matrix rows = kit_matrix_create(kept, m->cols);
    for (int r = 0; r < kept; r++) {
        int source = r * step < m->rows ? r * step : m->rows - 1;
        memcpy(rows.data + (size_t)r * m->cols, m->data + (size_t)source * m->cols, (size_t)m->cols * sizeof(float));
    }
    char label[300];
    snprintf(label, sizeof label, "%s: rows 0, %d, %d, ... and %d only (row r here is row %d r, the last the last)",
             name, step, 2 * step, m->rows - 1, step);
    kit_emit(c, label, &rows, abs_tol, rel_tol);
    kit_matrix_free(&rows);
}

/* An input of at most this many elements is emitted whole; a larger one keeps rows of about this many in all. */
#define UNCHANGED_WHOLE_ELEMENTS 256
#define UNCHANGED_SAMPLE_ELEMENTS 128

void kit_emit_unchanged(KitCase *c, const char *function, const char *name, const Matrix *m)
{
    char label[256];
    snprintf(label, sizeof label, "%s after %s" KIT_UNCHANGED_SUFFIX, name, function);
    if ((long)m->rows * m->cols <= UNCHANGED_WHOLE_ELEMENTS) {
        kit_emit(c, label, m, 0, 0);
        return;
    }
    int rows_kept = UNCHANGED_SAMPLE_ELEMENTS / m->cols > 1 ? UNCHANGED_SAMPLE_ELEMENTS / m->cols : 1;
    kit_emit_rows(c, label, m, (m->rows + rows_kept - 1) / rows_kept, 0, 0);
}

void kit_emit_scalar(KitCase *c, const char *name, double value, double abs_tol, double rel_tol)
{
    float v = (float)value;
    Matrix m = {1, 1, &v};
    kit_emit(c, name, &m, abs_tol, rel_tol);
}

void kit_emit_refusal(KitCase *c, const char *function, const char *input, void (*call)(void *context),
                      void *context)
{
    if (c->under_memcheck)
        return;
    fflush(NULL); /* the child's exit must not write this process's buffers a second time */
    int channel[2];
    if (pipe(channel) != 0)
        kit_fatal("kit_emit_refusal: no pipe for the call of %s: %s", function, strerror(errno));
    pid_t pid = fork();
    if (pid < 0)
        kit_fatal("kit_emit_refusal: cannot start a process for the call of %s: %s", function, strerror(errno));
    if (pid == 0) {
        close(channel[0]);
        dup2(channel[1], STDERR_FILENO);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, STDOUT_FILENO);
        signal(SIGALRM, SIG_DFL); /* not the stack's recorder of the check (run_here): the alarm ends this call */
        alarm(KIT_REFUSAL_SECONDS);
        call(context);
        _exit(0); /* returned: no exit handlers, no buffers flushed twice */
    }
    close(channel[1]);
    char message[1024];
    size_t length = 0;
    for (ssize_t got; (got = read(channel[0], message + length, sizeof message - 1 - length)) != 0;) {
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 || (length += (size_t)got) == sizeof message - 1)
            break;
    }
    message[length] = '\0';
    close(channel[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(status) && WEXITSTATUS(status) == KIT_EXIT_NOT_IMPLEMENTED) {
        fputs(message, stderr); /* the function is still the stub: the check says so, as any other would */
        fflush(stderr);
        exit(KIT_EXIT_NOT_IMPLEMENTED);
    }
    /* "error: dropout: rate 1; ..." from kit_fatal, or the message of a function it called, such as linear_layer's
     * own shape check: a function's name and a colon */
    size_t start = strlen(KIT_FATAL_PREFIX), name_length = 0;
    if (strncmp(message, KIT_FATAL_PREFIX, start) == 0)
        while (isalnum((unsigned char)message[start + name_length]) || message[start + name_length] == '_')
            name_length++;
    /* the kit's own helpers (kit_matrix_create: "a matrix needs at least one row") do not say which input was
     * wrong: their message is no refusal of the function's */
    int named = name_length > 0 && message[start + name_length] == ':' && strncmp(message + start, "kit_", 4) != 0;
    int outcome = KIT_REFUSAL_EXITED;
    if (WIFSIGNALED(status))
        outcome = WTERMSIG(status) == SIGALRM ? KIT_REFUSAL_HUNG : KIT_REFUSAL_CRASHED;
    else if (WEXITSTATUS(status) == 0)
        outcome = KIT_REFUSAL_RETURNED;
    else if (WEXITSTATUS(status) == KIT_EXIT_FATAL)
        outcome = named ? KIT_REFUSED : KIT_REFUSAL_UNNAMED;
    /* what went wrong goes to the check's log, which the report quotes under "your code printed" */
    if (outcome != KIT_REFUSED && length)
        fprintf(stderr, "the call of %s with %s printed: %s%s", function, input, message,
                message[length - 1] != '\n' ? "\n" : "");
    if (outcome == KIT_REFUSAL_CRASHED)
        fprintf(stderr, "the call of %s with %s ended with signal %d (%s)\n", function, input, WTERMSIG(status),
                strsignal(WTERMSIG(status)));
    char label[512];
    snprintf(label, sizeof label, "%s with %s" KIT_REFUSAL_SUFFIX, function, input);
    kit_emit_scalar(c, label, outcome, 0, 0);
}

void kit_show_input(KitCase *c, const char *name, const Matrix *m)
{
    fprintf(c->out, "input %s\t%d %d\n", name, m->rows, m->cols);
    write_matrix(c->out, m);
    fflush(c->out);
}

Matrix kit_output_matrix(int rows, int cols)
{
    Matrix m = kit_matrix_create(rows, cols);
    kit_matrix_fill(&m, NAN);
    return m;
}

void kit_emit_at_least(KitCase *c, const char *name, double value, double mnist_bar, double fashion_bar)
{
    fprintf(c->out, "atleast %s\t%.9g %.9g %.9g\n", name, value, mnist_bar, fashion_bar);
    fflush(c->out);
}

void kit_watch_init(KitWatch *w, const Matrix *bias, const char *name)
{
    w->bias = bias, w->name = name;
    w->epoch = 0, w->step = 0, w->steps = 0;
}

static int all_nan(const Matrix *m)
{
    size_t n = (size_t)m->rows * m->cols;
    for (size_t i = 0; i < n; i++)
        if (!isnan(m->data[i]))
            return 0;
    return n > 0;
}

int kit_watch_step(KitWatch *w, int step)
{
    w->step = step;
    return step % 16 == 0 && all_nan(w->bias);
}

static void watch_after_step(const KitProgress *p, void *context)
{
    KitWatch *w = context;
    if (kit_watch_step(w, p->step))
        longjmp(w->stop, 1);
}

void kit_watch_progress(KitWatch *w, KitProgress *p, int epoch, int epochs, int steps)
{
    kit_progress_begin(p, epoch, epochs, steps);
    p->terminal = 0; /* nothing drawn: the check's output is for the grade tool */
    p->watch = watch_after_step, p->watch_context = w;
    w->epoch = epoch, w->step = 0, w->steps = steps;
}

void kit_emit_stopped(KitCase *c, const char *name, double mnist_bar, double fashion_bar, const KitWatch *w)
{
    char where[96];
    if (w->steps > 0)
        snprintf(where, sizeof where, "in epoch %d, after step %d of %d", w->epoch, w->step, w->steps);
    else
        snprintf(where, sizeof where, "after step %d", w->step);
    fprintf(c->out, "atleast %s\tnan %.9g %.9g\tthe training was stopped %s: every element of %s, the output "
                    "layer's bias, is NaN, so every prediction from then on is NaN too (a step that goes uphill, "
                    "a learning rate far too large, or a NaN from exp or log does this)\n",
            name, mnist_bar, fashion_bar, where, w->name);
    fflush(c->out);
}

const KitDataset *kit_case_dataset(KitCase *c)
{
    if (c->dataset_loaded)
        return &c->dataset;
    KitDatasetPlace place;
    const char *dir = getenv("KIT_DATASET_DIR"), *name = getenv("KIT_DATASET_NAME");
    if (dir == NULL || name == NULL)
        kit_fatal("this check needs a data set, and none was found (run: make datasets)");
    snprintf(place.dir, sizeof place.dir, "%s", dir);
    snprintf(place.name, sizeof place.name, "%s", name);
    char error[1024];
    if (kit_dataset_load(&c->dataset, &place, error, sizeof error) != 0)
        kit_fatal("%s", error);
    c->dataset_loaded = 1;
    return &c->dataset;
}

void kit_check_gradient(KitCase *c, const char *parameter, const Matrix *analytic, Matrix *params, KitLoss loss,
                        void *context, float h, double rel_tol)
{
    Matrix numeric = kit_matrix_create(params->rows, params->cols);
    size_t n = (size_t)params->rows * (size_t)params->cols;
    for (size_t k = 0; k < n; k++) {
        float saved = params->data[k];
        params->data[k] = saved + h;
        double up = loss(context);
        params->data[k] = saved - h;
        double down = loss(context);
        params->data[k] = saved;
        /* divide by the step actually taken: saved + h is rounded to a float */
        double step = (double)(saved + h) - (double)(saved - h);
        numeric.data[k] = (float)((up - down) / step);
    }
    fprintf(c->out, "gradient %s\t%d %d %g\n", parameter, analytic->rows, analytic->cols, rel_tol);
    write_matrix(c->out, analytic);
    write_matrix(c->out, &numeric);
    fflush(c->out);
    kit_matrix_free(&numeric);
}

uint64_t kit_case_seed(const KitCase *c) { return c->seed; }

Matrix kit_case_normal_matrix(const KitCase *c, uint64_t salt, int rows, int cols, float mean, float std)
{
    KitRng rng;
    kit_rng_seed(&rng, c->seed + salt);
    Matrix m = kit_matrix_create(rows, cols);
    kit_matrix_fill_normal(&m, &rng, mean, std);
    return m;
}

int kit_case_under_memcheck(const KitCase *c) { return c->under_memcheck; }

/* Every call the learner's code makes to cblas_sgemm passes through here (linked with --wrap=cblas_sgemm). */
static long sgemm_calls;

void __real_cblas_sgemm(const enum CBLAS_ORDER order, const enum CBLAS_TRANSPOSE trans_a,
                        const enum CBLAS_TRANSPOSE trans_b, const blasint m, const blasint n, const blasint k,
                        const float alpha, const float *a, const blasint lda, const float *b, const blasint ldb,
                        const float beta, float *c, const blasint ldc);

void __wrap_cblas_sgemm(const enum CBLAS_ORDER order, const enum CBLAS_TRANSPOSE trans_a,
                        const enum CBLAS_TRANSPOSE trans_b, const blasint m, const blasint n, const blasint k,
                        const float alpha, const float *a, const blasint lda, const float *b, const blasint ldb,
                        const float beta, float *c, const blasint ldc)
{
    sgemm_calls++;
    __real_cblas_sgemm(order, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

long kit_sgemm_calls(void) { return sgemm_calls; }

/* ---- running checks ---------------------------------------------------- */

static void usage(void)
{
    fprintf(stderr, "usage: check --list\n"
                    "       check --run DIR --one ID [--seed S] [--limit SECONDS]\n"
                    "       check --run DIR [--memcheck | --sanitized] [--seed S] [--only ID] [--skip ID,ID...]\n"
                    "       check --record FIXTURE [--seed S]\n");
    exit(2);
}

static char *path_join(const char *dir, const char *id, const char *suffix)
{
    char *path;
    if (asprintf(&path, "%s/%s%s", dir, id, suffix) < 0)
        kit_fatal("out of memory");
    return path;
}

/* Where the check that runs in this process records the function not written yet that it stopped at. */
static char *not_implemented_path;

/* kit_not_implemented's hook: "FUNCTION FILE" into <dir>/<id>.not-implemented (process.h), written at once with
 * one write, so that a refusal's child (kit_emit_refusal), which shares the .out's buffer, duplicates nothing. */
static void record_not_implemented(const char *function, const char *file)
{
    int fd = open(not_implemented_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    char line[700];
    int n = snprintf(line, sizeof line, "%s %s\n", function, file);
    if (n > 0 && (size_t)n < sizeof line && write(fd, line, (size_t)n) != n)
        n = -1;
    close(fd);
}

/* Where the check that runs in this process records its stack when it nears its time limit, or -1. */
static int stack_fd = -1;

/* SIGALRM's handler at 0.8 of the limit: the stack, one frame a line ("program(+0xOFFSET)[0xADDRESS]"), into
 * <id>.stack, where the grade tool finds the learner's function and line that a check which times out was in
 * (judge.c). The check goes on; its supervisor ends it at the limit. */
static void record_stack(int signal_number)
{
    (void)signal_number;
    void *frames[64];
    int count = backtrace(frames, 64);
    backtrace_symbols_fd(frames, count, stack_fd);
}

/* Arms record_stack for 0.8 of limit_seconds from now. */
static void record_stack_before(double limit_seconds, const char *dir, const char *id)
{
    char *path = path_join(dir, id, ".stack");
    stack_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    free(path);
    if (stack_fd < 0)
        return;
    void *warm_up[1];
    backtrace(warm_up, 1); /* loads the unwinder now, not in the signal handler, where loading is not safe */
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = record_stack;
    action.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &action, NULL);
    double at = 0.8 * limit_seconds;
    struct itimerval timer = {{0, 0}, {(time_t)at, (suseconds_t)((at - (double)(time_t)at) * 1e6)}};
    setitimer(ITIMER_REAL, &timer, NULL);
}

/* Runs the check in this process, its outputs into <dir>/<id>.out, and exits. limit_seconds (0: not known) is the
 * time its supervisor gives it. */
static _Noreturn void run_here(const KitCheck *check, const char *dir, uint64_t seed, int under_memcheck,
                               double limit_seconds)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    not_implemented_path = path_join(dir, check->id, NOT_IMPLEMENTED_SUFFIX);
    kit_not_implemented_hook = record_not_implemented;
    if (limit_seconds > 0)
        record_stack_before(limit_seconds, dir, check->id);
    char *out_path = path_join(dir, check->id, ".out");
    KitCase c = {fopen(out_path, "w"), seed, under_memcheck, {{{0}, {0}}, {0}, {0}, {0}, {0}}, 0};
    if (c.out == NULL)
        _exit(121);
    free(out_path);
    sgemm_calls = 0;
    check->run(&c);
    if (c.dataset_loaded)
        kit_dataset_free(&c.dataset);
    fclose(c.out);
    exit(0);
}

/* The checks run in a build with AddressSanitizer and UBSan (--sanitized): slower, and with a shadow memory far
 * beyond the memory cap, like a run under Valgrind; their reports go to each check's log. */
static int sanitized;

/* In the child: redirect output, set limits, run the check, exit. */
static _Noreturn void run_child(const KitCheck *check, const char *dir, uint64_t seed, int under_memcheck)
{
    setpgid(0, 0);
    char *log_path = path_join(dir, check->id, ".log");
    int log_fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int null_fd = open("/dev/null", O_RDONLY);
    if (log_fd < 0 || null_fd < 0)
        _exit(120);
    dup2(null_fd, STDIN_FILENO);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    close(null_fd);
    close(log_fd);
    free(log_path);

    ProcessLimits limits = {.no_core = 1, .file_bytes = OUTPUT_CAP_BYTES};
    if (!under_memcheck && !sanitized) { /* Valgrind needs more of both, and AddressSanitizer more memory */
        limits.memory_bytes = MEMORY_CAP_BYTES;
        limits.cpu_seconds = (long)check->timeout_seconds + CPU_GRACE_SECONDS;
    }
    limits_apply(&limits);
    run_here(check, dir, seed, under_memcheck, 0);
}

/* A check running in a child. */
typedef struct {
    const KitCheck *check;
    pid_t pid;
    double started, limit_seconds;
} Running;

/* Starts one check in a child. */
static Running start_one(const KitCheck *check, const char *dir, uint64_t seed, int under_memcheck)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        kit_fatal("cannot start a process for check %s: %s", check->id, strerror(errno));
    if (pid == 0)
        run_child(check, dir, seed, under_memcheck);
    return (Running){check, pid, kit_seconds(),
                     check->timeout_seconds * (under_memcheck ? MEMCHECK_SLOWDOWN : sanitized ? SANITIZER_SLOWDOWN : 1.0)};
}

/* Has the check ended (or run out of time, and been killed)? Then 1, with how it ended in *status. */
static int check_ended(const Running *r, Status *status)
{
    int wstatus = 0;
    pid_t done = waitpid(r->pid, &wstatus, WNOHANG);
    if (done < 0 && errno != EINTR)
        kit_fatal("waiting for check %s: %s", r->check->id, strerror(errno));
    if (done != r->pid) {
        if (kit_seconds() - r->started <= r->limit_seconds)
            return 0;
        kill_group_and_wait(r->pid);
        *status = status_timed_out(r->limit_seconds, r->pid);
        return 1;
    }
    kill(-r->pid, SIGKILL); /* anything the check left running in its group */
    *status = status_from_wait(wstatus, r->pid);
    return 1;
}

/* Runs one check in a child and waits for it; returns how it ended. */
static void run_one(const KitCheck *check, const char *dir, uint64_t seed, int under_memcheck, Status *status)
{
    Running r = start_one(check, dir, seed, under_memcheck);
    while (!check_ended(&r, status)) {
        struct timespec pause = {0, 2000000};
        nanosleep(&pause, NULL);
    }
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
        kit_fatal("cannot write %s: %s", path, strerror(errno));
}

/* Is id one of the comma-separated ids in list? */
static int listed(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t length = comma ? (size_t)(comma - p) : strlen(p);
        if (length == n && strncmp(p, id, n) == 0)
            return 1;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

/* Writes the status of each running check that has ended into <dir>/<id>.status, and drops it from running;
 * waits a little when none has. Returns how many are still running. */
static int collect_ended(Running *running, int count, const char *dir)
{
    int ended = 0;
    for (int i = 0; i < count;) {
        Status status;
        if (!check_ended(&running[i], &status)) {
            i++;
            continue;
        }
        char text[512];
        status_format(&status, text, sizeof text);
        char *status_path = path_join(dir, running[i].check->id, ".status");
        write_file(status_path, text);
        free(status_path);
        running[i] = running[--count];
        ended = 1;
    }
    if (!ended) {
        struct timespec pause = {0, 2000000};
        nanosleep(&pause, NULL);
    }
    return count;
}

static void run_all(const char *dir, uint64_t seed, int under_memcheck, const char *only, const char *skip)
{
    /* Under Valgrind each check is some ten times slower, with the sanitizers some two times: two run at once where
     * there are two cores */
    enum { MOST_AT_ONCE = 2 };
    int at_once = (under_memcheck || sanitized) && sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? MOST_AT_ONCE : 1;
    Running running[MOST_AT_ONCE];
    int count = 0, found = 0;
    for (int i = 0; i < kit_suite_check_count; i++) {
        const KitCheck *check = &kit_suite_checks[i];
        if (only != NULL && strcmp(only, check->id) != 0)
            continue;
        found = 1;
        if (((under_memcheck || sanitized) && check->skip_memcheck) || listed(skip, check->id))
            continue;
        while (count == at_once)
            count = collect_ended(running, count, dir);
        running[count++] = start_one(check, dir, seed, under_memcheck);
    }
    while (count > 0)
        count = collect_ended(running, count, dir);
    if (only != NULL && !found)
        kit_fatal("chapter %s has no check named '%s' (see: check --list)", kit_suite_chapter, only);
}

/* Copies a check's output into the fixture. A figure judged against a bar depends on the data set the
 * reference ran on, so only its bars are kept (its value is written as 0). */
static void copy_into(FILE *to, const char *path)
{
    FILE *from = fopen(path, "r");
    if (from == NULL)
        kit_fatal("cannot read %s: %s", path, strerror(errno));
    char *line = NULL;
    size_t capacity = 0;
    while (getline(&line, &capacity, from) > 0) {
        char *tab = strchr(line, '\t');
        double value, mnist_bar, fashion_bar;
        if (strncmp(line, "atleast ", 8) == 0 && tab &&
            sscanf(tab + 1, "%lf %lf %lf", &value, &mnist_bar, &fashion_bar) == 3)
            fprintf(to, "%.*s\t0 %.9g %.9g\n", (int)(tab - line), line, mnist_bar, fashion_bar);
        else
            fputs(line, to);
    }
    free(line);
    fclose(from);
}

/* Runs every check against the reference and writes the fixture the grade tool judges with. */
static void record(const char *fixture_path, uint64_t seed)
{
    char dir[] = "/tmp/kit-record-XXXXXX";
    if (mkdtemp(dir) == NULL)
        kit_fatal("cannot make a scratch folder: %s", strerror(errno));
    char *temporary_path;
    if (asprintf(&temporary_path, "%s.partial", fixture_path) < 0)
        kit_fatal("out of memory");
    FILE *fixture = fopen(temporary_path, "w");
    if (fixture == NULL)
        kit_fatal("cannot write %s: %s", temporary_path, strerror(errno));
    fprintf(fixture, "# The grading fixture of chapter %s, recorded from the reference solution.\n"
                     "# Do not edit: 'make fixtures' writes it again from grader/suites and solutions/.\n"
                     "chapter %s\nseed %llu\n",
            kit_suite_chapter, kit_suite_chapter, (unsigned long long)seed);
    for (int i = 0; i < kit_suite_check_count; i++) {
        const KitCheck *check = &kit_suite_checks[i];
        Status status;
        run_one(check, dir, seed, 0, &status);
        if (!status_succeeded(&status)) {
            char *log_path = path_join(dir, check->id, ".log");
            char how[64];
            status_describe(&status, how, sizeof how);
            kit_fatal("the reference failed check %s (%s); see %s", check->id, how, log_path);
        }
        fprintf(fixture, "check %s\ntitle %s\npoints %d\nneeds %s\nhint %s\ntimeout %g\nmemcheck %d\n", check->id,
                check->title, check->points, check->needs[0] ? check->needs : "-",
                check->hint ? check->hint : "-", check->timeout_seconds, !check->skip_memcheck);
        char *out_path = path_join(dir, check->id, ".out");
        copy_into(fixture, out_path);
        fputs("end\n", fixture);
        char *log_path = path_join(dir, check->id, ".log");
        unlink(out_path);
        unlink(log_path);
        free(out_path);
        free(log_path);
    }
    if (fclose(fixture) != 0 || rename(temporary_path, fixture_path) != 0)
        kit_fatal("cannot write %s: %s", fixture_path, strerror(errno));
    free(temporary_path);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    const char *run_dir = NULL, *record_path = NULL, *only = NULL, *one = NULL, *skip = NULL;
    int list = 0, under_memcheck = 0;
    uint64_t seed = 1;
    double limit_seconds = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--list") == 0)
            list = 1;
        else if (strcmp(argv[i], "--run") == 0 && i + 1 < argc)
            run_dir = argv[++i];
        else if (strcmp(argv[i], "--record") == 0 && i + 1 < argc)
            record_path = argv[++i];
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--one") == 0 && i + 1 < argc)
            one = argv[++i];
        else if (strcmp(argv[i], "--skip") == 0 && i + 1 < argc)
            skip = argv[++i];
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc)
            limit_seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "--memcheck") == 0)
            under_memcheck = 1;
        else if (strcmp(argv[i], "--sanitized") == 0)
            sanitized = 1;
        else
            usage();
    }
    if (list) {
        for (int i = 0; i < kit_suite_check_count; i++)
            printf("%s\t%d\t%s\n", kit_suite_checks[i].id, kit_suite_checks[i].points, kit_suite_checks[i].title);
        return 0;
    }
    if (record_path != NULL) {
        record(record_path, seed);
        return 0;
    }
    if (run_dir == NULL)
        usage();
    if (one != NULL) {
        for (int i = 0; i < kit_suite_check_count; i++)
            if (strcmp(kit_suite_checks[i].id, one) == 0)
                run_here(&kit_suite_checks[i], run_dir, seed, under_memcheck, limit_seconds);
        kit_fatal("chapter %s has no check named '%s' (see: check --list)", kit_suite_chapter, one);
    }
    if (mkdir(run_dir, 0755) != 0 && errno != EEXIST)
        kit_fatal("cannot make %s: %s", run_dir, strerror(errno));
    run_all(run_dir, seed, under_memcheck, only, skip);
    return 0;
}
