/* grade.h: the grade tool's types, shared by its files (grade.c, course.c, judge.c, memcheck.c, report.c). */
#ifndef GRADE_H
#define GRADE_H

#include <stddef.h>
#include <stdint.h>

#define MAX_CHAPTERS 32
#define MAX_NEEDS 8
#define MAX_SOURCES 32

/* A line of grader/course.txt. */
typedef struct {
    int index;
    char *id;            /* "1.1" */
    char *folder;        /* "1.1-arrays" */
    int written;         /* 0: coming (or the introduction) */
    int is_intro;
    char *needs[MAX_NEEDS];
    int need_count;
    char *kinds;         /* "numeric memory" */
    char *title;
    char *functions;     /* space-separated */
} Chapter;

typedef struct {
    Chapter chapters[MAX_CHAPTERS];
    int count;
} Course;

/* How a message of compare_arrays introduces what the grader recognised in a wrong result; the report then shows
 * the check's fixed hint as a general one. */
#define DIAGNOSIS_PREFIX "what it looks like: "

/* A named matrix, expected (from the fixture) or produced (from a run). */
typedef struct {
    char *name;
    int rows, cols;
    double abs_tol, rel_tol;
    float *values;
} Array;

/* A figure that must reach a bar (e.g. a test accuracy); the bar depends on the data set. */
typedef struct {
    char *name;
    double value;              /* reached (by the reference, in a fixture) */
    double mnist_bar, fashion_bar;
    char *note;                /* NULL, or why the figure was not measured (kit_emit_stopped) */
} Bar;

/* An analytic gradient and its central-difference estimate, emitted by kit_check_gradient. */
typedef struct {
    char *name;
    int rows, cols;
    double rel_tol;
    float *analytic, *numeric;
} Gradient;

/* One check of a fixture. */
typedef struct {
    char *id, *title, *hint;
    char *file_id;       /* the check program's name for it (a hidden case's id is "hidden-" + file_id) */
    int hidden;          /* a hidden case: the same check with the hidden seed's inputs */
    int points;
    char *needs[MAX_NEEDS];
    int need_count;
    double timeout;
    int memcheck;
    Array *inputs;
    int input_count;
    Array *expected;
    int expected_count;
    Bar *bars;
    int bar_count;
    Gradient *gradients;
    int gradient_count;
} FixtureCheck;

typedef struct {
    char *chapter;
    char *seed;
    FixtureCheck *checks;
    int check_count;
} Fixture;

/* Where one check of a chapter stops when every chapter is its untouched stub: at the first stub function it calls,
 * which reports "not implemented" (a line of grader/fixtures/<chapter>.stub). */
typedef struct {
    char *check_id;      /* as in the fixture ("hidden-" + its id for a hidden case) */
    char *function;      /* the stub function it stops at, or NULL when it ended otherwise */
    char *chapter;       /* the chapter that function belongs to, or NULL */
} StubStop;

/* What make fixtures recorded of a chapter's untouched stub: the stub's hash and where each check stops. */
typedef struct {
    char *chapter;
    char *seed;
    unsigned long long stub_hash;   /* FNV-1a of the stub's bytes */
    StubStop *stops;
    int stop_count;
} StubRecord;

typedef enum {
    VERDICT_PASS,
    VERDICT_FAIL,
    VERDICT_TODO,     /* not implemented yet */
    VERDICT_BLOCKED,  /* a chapter it needs does not pass */
    VERDICT_CRASH,
    VERDICT_TIMEOUT,
    VERDICT_SKIPPED,
} Verdict;

typedef struct {
    const char *id, *title;
    Verdict verdict;
    int points, max_points;
    char *message;       /* the first line says what went wrong; more lines give detail */
    char *stub_function; /* VERDICT_TODO: the function not written yet that it stopped at, and its file */
    char *stub_file;
    char *info;          /* shown beside a pass too: a figure and its bar */
    const char *hint;
    const char *blocked_by;
    char *printed;       /* the first lines the learner's code printed, or NULL */
    int pid;             /* of the process that ran it under memcheck */
    int processes_left;  /* processes its code started and left running (a fork bomb, say) */
    int not_run;         /* not run at all: a check before it, or of a chapter it links, timed out */
} CheckResult;

typedef struct {
    const Chapter *chapter;
    Fixture *fixture;
    int compiled;
    char *compile_errors;
    char *compile_warnings; /* the compiler's warnings about the chapter's own exercise.c (it compiled), or NULL */
    int warning_count;
    const char *blocked_by;         /* a linked chapter that does not compile */
    char *runner_problem;
    char *sources[MAX_SOURCES];
    const Chapter *source_chapters[MAX_SOURCES];
    int source_count;
    CheckResult *checks;
    int check_count;
    CheckResult memory;
    int points, max_points;
    int passed;
    int uses_data;       /* some check is judged against a bar that depends on the data set */
    double seconds, run_seconds, memcheck_seconds;
    int reused;          /* a linked chapter unchanged since it passed: not graded again (grade.c) */
    int trusted;         /* a linked chapter of the reference taken as passing without grading (--trust-links) */
} ChapterResult;

/* The grade tool's command line, as given: read once by its subcommand, never changed after (what one grading works
 * on, derived from it, is a Run: grade.c). */
typedef struct {
    const char *from;        /* --from: the folder of exercise.c files (lessons by default) */
    const char *build;       /* --build, or NULL for the default of the folder graded */
    const char *seed;        /* --seed */
    const char *results;
    const char *junit;       /* JUnit XML */
    const char *gradescope;  /* Gradescope's results.json */
    const char *html;        /* the HTML report (build/report.html unless told otherwise) */
    const char *root;
    const char *fixtures;   /* where grade record writes */
    const char *submission;  /* --submission: a learner's folder or tarball to grade (CI) */
    int no_memcheck;
    int fresh;               /* compute everything, reuse nothing: linked chapters that passed, untouched stubs' records */
    const char *only;        /* a comma-separated list of check ids: run only these (the others are skipped), or NULL */
    int hidden;              /* also run the hidden cases (grader/hidden) */
    int coverage;            /* build the checks with gcc's --coverage (make coverage) */
    int debug;               /* build the checks with -O0 for gdb (make debug) */
    int skip_training;       /* skip the checks that train on the data set (make coverage: their lines run in the others) */
    int trust_links;         /* the chapters only linked are the reference, taken as passing, not graded (mutant tests) */
    int color;
    char *use_chapter[MAX_CHAPTERS];
    char *use_file[MAX_CHAPTERS];
    int use_count;
} Options;

/* What a grading adds up to, over the chapters graded: computed once by summarize (report.c) from the chapters'
 * results, then only rendered by each output format (terminal, TSV, JUnit, results.json, HTML). */
typedef struct {
    int points, max_points;
    int passed, graded;      /* chapters */
    int coming;              /* chapters of the course not written yet */
    int all_passed;          /* every graded chapter passed: the grade tool's exit status is 0 */
    char *next;              /* what to do next, one sentence */
} Summary;

typedef struct {
    const Course *course;
    ChapterResult **results;
    const int *graded;
    int detailed;        /* chapters were named on the command line: show every check */
    const char *from;
    int color;
    const char *dataset_name, *dataset_dir, *dataset_problem;
    int hidden;          /* the hidden cases were run */
    const char *html_path;
    const char *sandbox; /* how learner code was run (shown in detailed reports and CI grading) */
    Summary summary;     /* filled by summarize */
} Report;

typedef struct {
    char **items;
    int count, capacity;
} Args;

/* grade.c */
_Noreturn void die(const char *format, ...) __attribute__((format(printf, 1, 2)));
char *format_string(const char *format, ...) __attribute__((format(printf, 1, 2)));
void *allocate(size_t size);
void make_dirs(const char *path);
void remove_tree(const char *path);
char *read_file(const char *path, size_t cap);
void args_add(Args *args, const char *word);
/* Frees every word and the list, and empties it. */
void args_free(Args *args);
double now_seconds(void);
char *find_program(const char *name);
const char *describe_wait_status(int status);
/* 1 when word is one of the comma-separated words of list ("a,b,c"), whole: ONLY=, --skip. */
int list_names(const char *list, const char *word);

/* sandbox.c: how learner code runs (see the README's "Threat model") */
typedef struct {
    const char *name;     /* the check's id, or "memcheck": its files are <name>.out, .log and .status */
    const char *results;  /* the subfolder of the chapter's folder that gets them: "run", "run-hidden", ... */
    double timeout;       /* wall-clock seconds */
    int capped;           /* memory and CPU time capped (not under Valgrind, which needs more of both) */
    char **argv;          /* NULL-terminated; "{work}" in an argument stands for the job's scratch folder */
} Job;
void sandbox_choose(const char *root, const char *build, int coverage);
const char *sandbox_description(void);
int sandbox_is_bubblewrap(void);
void sandbox_hide_references(void);
int run_process(char **argv, char **envp, const char *log_path, double limit_seconds);
int run_isolated(char **argv, const char *log_path, double limit_seconds, const char *const *reads,
                 const char *const *writes);
char *run_jobs(const char *dir, const Job *jobs, int count, const char *const *binds, char **envp,
               void (*done)(int job, const char *problem, void *context), void *context);
int contain_main(int argc, char **argv);

/* reuse.c: the key of a grading, and the record of the chapters that passed with it */
#define FNV_OFFSET_BASIS 14695981039346656037ULL
uint64_t hash_bytes(uint64_t h, const void *data, size_t n);
/* text and its terminating zero ("(none)" for NULL) */
uint64_t hash_text(uint64_t h, const char *text);
/* the bytes of the file at path, or "(missing)": the same for the same contents wherever the file is */
uint64_t hash_contents(uint64_t h, const char *path);
/* the path, then the bytes */
uint64_t hash_file(uint64_t h, const char *path);
/* The key of a grading: the files (paths and bytes) and the settings, in order, as 16 hex digits. */
char *reuse_key(const char *const *files, int file_count, const char *const *settings, int setting_count);
/* 1 when <dir>/passed holds key: the chapter passed last time with everything the key sums up as it is now. */
int reuse_recorded(const char *dir, const char *key);
/* After a grading: keeps key in <dir>/passed when the chapter passed, else removes it. */
void reuse_record(const char *dir, const char *key, int passed);

/* compiler.c */
/* The lines of a compiler's log worth showing after a failed build: errors, and the source line and caret under
 * each (at most 14 lines); the log's first 1200 characters when no line is recognised. */
char *summarize_compile_log(const char *log);
/* The compiler's warnings about the file source in a build's log: each "source:line:col: warning: ..." line with
 * the source line and caret under it, at most 24 lines in all; NULL when there are none. *count gets how many. */
char *summarize_warnings(const char *log, const char *source, int *count);

/* course.c */
void course_read(Course *course, const char *path);
const Chapter *course_find(const Course *course, const char *id);
const Chapter *course_intro(const Course *course);
char *course_id_list(const Course *course);
char *course_written_list(const Course *course);
void print_course_map(const Course *course);

/* judge.c */
extern const char *judged_dataset;
/* Where the learner's code was when a check ran out of time, "f() at FILE:LINE", or NULL when it cannot tell: set by
 * the grade tool (grade.c), NULL where nothing can tell (the unit tests). */
extern char *(*locate_timeout)(const char *run_dir, const char *id, const ChapterResult *chapter_result);   /* "MNIST" or "Fashion-MNIST": which bars apply; NULL when none was found */
Fixture *fixture_read(const char *path);
void fixture_add_hidden(Fixture *fixture, const Fixture *hidden);
/* Each returns NULL when the values pass, else the message a learner reads. */
char *compare_arrays(const Array *expected, const Array *got);
char *judge_gradient(const Gradient *g);
char *judge_bar(const Bar *expected, const Bar *got, char **info);
void judge_check(const Chapter *chapter, const FixtureCheck *check, const char *run_dir,
                 const ChapterResult *chapter_result, CheckResult *result);
/* A check's message when it stopped at a stub function, as harness/util.c words it (kit_not_implemented). */
char *not_implemented_message(const char *function, const char *file);
/* Parses the text of a .stub record (text is changed); NULL when it is malformed. */
StubRecord *stub_record_parse(char *text);
/* Reads a .stub record; NULL when the file is missing or malformed. */
StubRecord *stub_record_read(const char *path);
/* The stop of check_id in record, or NULL. */
const StubStop *stub_record_find(const StubRecord *record, const char *check_id);

/* instructor.c */
extern const char *mutants_file;
char *mask_measurements(const char *line);
int check_lesson_text(const Chapter *chapter, const char *path, char *demo_output, char *fashion_output);
int list_mutants(const Chapter *chapter);
int write_mutant(const Chapter *chapter, const char *name, const char *out_path);

/* memcheck.c */
void read_memcheck_logs(const char *dir, ChapterResult *result);
/* Reads the logs of the checks run in the build with AddressSanitizer and UBSan (<dir>/<id>.log) and, where they
 * report a problem, fails the memory check with them (after Valgrind's, when it found any). */
void read_sanitizer_logs(const char *dir, ChapterResult *result);

/* report.c */
void apply_blocking(const Course *course, ChapterResult **results, ChapterResult *result);
void finish_chapter(ChapterResult *result);
/* Adds up the graded chapters into report->summary: the scoring step, done once before any output is written. */
void summarize(Report *report);
/* Prints the report; returns report->summary.all_passed. */
int print_report(const Report *report);
void write_results(const Report *report, const char *path);
void write_junit(const Report *report, const char *path);
void write_gradescope(const Report *report, const char *path, double seconds);
void write_html(const Report *report, const char *path);

#endif
