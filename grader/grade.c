/*
 * grade.c: the grade tool. It builds each chapter's check program from the
 * learner's code, runs it, judges what it emitted against the chapter's
 * fixture, runs it again under Valgrind memcheck, and prints the report.
 *
 * It never links learner code itself: verdicts come from what each check
 * emitted, from how its process ended as the supervisor saw it (each check
 * runs on its own, limited, sandboxed where bubblewrap works: sandbox.c), and
 * from the fixture recorded from the reference solution.
 *
 * Usage: grade [SUBCOMMAND] [ARGUMENTS]; "grade help" lists the subcommands (the table at the end of this file),
 * each of which parses its own arguments. Without a subcommand it grades: grade [--from DIR] ... [CHAPTER...].
 * The Makefile builds it with the compiler and flags it uses for learner code (KIT_CC, KIT_CFLAGS, KIT_LDLIBS).
 */
#define _GNU_SOURCE
#include "grade.h"
#include "process.h"
#include "kit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MEMCHECK_POINTS 2
/* The memory check: Valgrind memcheck, then AddressSanitizer and UBSan (run_memcheck, run_sanitizers). */
#define MEMORY_CHECK_TITLE "memory safety (Valgrind memcheck, AddressSanitizer, UBSan)"

/* The seed of the hidden cases: other inputs for the same checks, recorded in grader/hidden. */
#define HIDDEN_SEED "2718281828"


static Course course;
static Options options;

/*
 * What one grading (or recording, or demo) works on: made once by its subcommand from the options, and for a
 * submission from what was unpacked (prepare_submission), or by a recording for the reference or the stubs; then
 * passed down to every step, which reads it and never changes it.
 */
typedef struct {
    const char *from;   /* the folder of exercise.c files: lessons, solutions, a submission's, the untouched stubs' */
    const char *build;  /* where the check programs and their results go */
    const char *seed;   /* the seed of the checks (the hidden cases have their own) */
    int hidden;         /* the hidden cases run too */
    int submission;     /* grading a learner's submission (CI): compiled in the sandbox, never reused */
} Run;

/* Every chapter graded so far, by index. */
static ChapterResult *chapter_results[MAX_CHAPTERS];

/* The data set this machine offers, found once, when a chapter first needs one (choose_dataset). */
static struct {
    char *name, *dir;   /* "MNIST" or "Fashion-MNIST", and its folder; NULL when there is none */
    char *problem;      /* why there is none */
} dataset;
/* The program of lessons/<folder>/ that grade demo builds and runs: "demo", or another one named by --program
 * (make run CH=4.5 DEMO=final_exam). */
static const char *demo_program = "demo";
/* The chapters named on the command line (--only applies to them, not to the chapters they link). */
static int named_chapter[MAX_CHAPTERS];
static int any_chapter_named; /* chapters were named on the command line (CH=...) */

/* ---- small helpers (the rest are in util.c) ------------------------------ */

/* Empties a folder (the scratch folders of a run), making it when it is not there. */
static void clear_dir(const char *dir)
{
    remove_tree(dir);
    make_dirs(dir);
}

/* Splits a string of flags on white space into argv entries appended to args. */
static void append_words(Args *args, const char *words)
{
    char *copy = format_string("%s", words ? words : "");
    for (char *word = strtok(copy, " \t\n"); word; word = strtok(NULL, " \t\n"))
        args_add(args, word);
    free(copy);
}


static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* ---- building a chapter's check program -------------------------------- */

/* The exercise file graded for a chapter: --use CH=FILE, else <from>/<folder>/exercise.c. */
static char *source_of(const Run *run, const Chapter *chapter)
{
    for (int i = 0; i < options.use_count; i++)
        if (strcmp(options.use_chapter[i], chapter->id) == 0)
            return format_string("%s", options.use_file[i]);
    return format_string("%s/%s/exercise.c", run->from, chapter->folder);
}

/* Collects the chapter and every chapter it links, in course order. */
static void linked_chapters(const Chapter *chapter, int *included)
{
    included[chapter->index] = 1;
    for (int i = 0; i < chapter->need_count; i++) {
        const Chapter *need = course_find(&course, chapter->needs[i]);
        if (need && !included[need->index])
            linked_chapters(need, included);
    }
}

/* What a compile command builds (compile_command). */
typedef enum {
    BUILD_OBJECT,           /* one exercise.c alone, into an object that check and demo programs link */
    BUILD_SANITIZED_OBJECT, /* the same, with AddressSanitizer and UBSan (the memory check's second part) */
    BUILD_COVERAGE_OBJECT,  /* the same, with gcc's coverage counters and no optimisation (make coverage) */
    BUILD_CHECK,            /* a chapter's check program: its suite and the check runner, with the objects it links */
    BUILD_SANITIZED,        /* the same, from the sanitized objects */
    BUILD_DEMO,             /* a program of the chapter's lesson (demo.c, final_exam.c), with the objects it links */
} BuildKind;

/*
 * The compiler's command for a build of learner code, in args: the kit's own compiler and flags (KIT_CC and
 * KIT_CFLAGS, as the Makefile builds the kit), then what the kind adds. Every build of learner code is made here,
 * so that a check, a demo and a coverage run cannot drift apart in flags. inputs are the files compiled or linked
 * (an exercise.c for an object; the demo's source and the objects for a program), in order; output is what is made.
 */
static void compile_command(Args *args, BuildKind kind, const Chapter *chapter, const char *output,
                            char *const *inputs, int input_count)
{
    int object = kind == BUILD_OBJECT || kind == BUILD_SANITIZED_OBJECT || kind == BUILD_COVERAGE_OBJECT;
    int sanitized = kind == BUILD_SANITIZED_OBJECT || kind == BUILD_SANITIZED;
    append_words(args, KIT_CC);
    append_words(args, KIT_CFLAGS);
    if (options.debug || kind == BUILD_COVERAGE_OBJECT)
        args_add(args, "-O0"); /* every variable visible in gdb; coverage counts lines as written */
    if (kind == BUILD_COVERAGE_OBJECT)
        args_add(args, "--coverage");
    if (sanitized) {
        /* stack and global overflows, use after return, and the undefined behaviour Valgrind cannot see */
        args_add(args, "-fsanitize=address,undefined");
        args_add(args, "-fno-omit-frame-pointer");
    }
    args_add(args, "-Wno-unused-parameter"); /* a stub does not use its arguments yet */
    args_add(args, "-Iharness");
    if (object)
        args_add(args, "-c");
    args_add(args, "-o");
    args_add(args, output);
    if (kind == BUILD_CHECK || kind == BUILD_SANITIZED) {
        args_add(args, "build/grader/runner.o");
        char *suite = format_string("build/grader/suite-%s.o", chapter->id);
        args_add(args, suite);
        free(suite);
    }
    for (int i = 0; i < input_count; i++)
        args_add(args, inputs[i]);
    if (object)
        return;
    if (options.coverage)
        args_add(args, "--coverage");
    args_add(args, "build/kit/libkit.a");
    if (kind == BUILD_CHECK || kind == BUILD_SANITIZED)
        args_add(args, "-Wl,--wrap=cblas_sgemm"); /* the checks count the learner's calls of cblas_sgemm */
    append_words(args, KIT_LDLIBS);
}

/* The folder of a run's compiled exercise.c files (compile_object): <build>/objects, or the folder KIT_OBJECTS names,
 * which several build folders can share (make test's do: every test that grades the reference links the same
 * objects). An object's name is the key of all that makes it, so one made for another build folder is the same
 * object. Not for a submission, which compiles in the sandbox into a folder of its own. */
static char *objects_folder(const Run *run)
{
    const char *shared = getenv("KIT_OBJECTS");
    if (shared != NULL && shared[0] != '\0' && !run->submission)
        return format_string("%s", shared);
    return format_string("%s/objects", run->build);
}

/* Removes what folder holds of the builds of one file with one command (names that start with prefix) other than
 * the one whose key is keep, when made more than a minute ago: nothing will link them again. (A minute, so that a
 * second grading of the same folder that has just found one can still link it.) Also what a grading stopped midway
 * left half made (names that start with its process id, then prefix), after ten minutes. */
static void prune_objects(const char *folder, const char *prefix, const char *keep)
{
    DIR *dir = opendir(folder);
    if (dir == NULL)
        return;
    size_t length = strlen(prefix);
    time_t now = time(NULL);
    for (struct dirent *entry; (entry = readdir(dir)) != NULL;) {
        const char *name = entry->d_name;
        size_t digits = strspn(name, "0123456789");
        int half_made = digits > 0 && name[digits] == '-' && strncmp(name + digits + 1, prefix, length) == 0;
        int older = strncmp(name, prefix, length) == 0 && strncmp(name + length, keep, strlen(keep)) != 0;
        if (!half_made && !older)
            continue;
        char *path = format_string("%s/%s", folder, name);
        struct stat st;
        if (stat(path, &st) == 0 && now - st.st_mtime > (half_made ? 600 : 60))
            remove(path);
        free(path);
    }
    closedir(dir);
}

/* The objects this process has compiled (compile_object): with --fresh each is compiled anew once, not once for every
 * chapter that links it. */
static char *compiled_here[MAX_CHAPTERS * 4];
static int compiled_here_count;

static int compiled_by_this_process(const char *object)
{
    for (int i = 0; i < compiled_here_count; i++)
        if (strcmp(compiled_here[i], object) == 0)
            return 1;
    return 0;
}

/*
 * Compiles one exercise.c (the functions of chapter owner) into an object in the run's objects folder, or finds it
 * there: an object is named by the key of what makes it (the command, the file's path and bytes, the kit's headers),
 * so that each exercise.c is compiled once for all the chapters that link it, and a reference solution once for
 * all the variants of another chapter graded beside it. kind: BUILD_OBJECT or BUILD_SANITIZED_OBJECT. Returns the
 * object's path, or NULL when it does not compile; either way *log gets what the compiler said (allocated, maybe
 * empty) and *status its wait status (-1: it ran out of time). For a submission it compiles in the sandbox, into a
 * folder made empty for the submission.
 */
static char *compile_object(const Run *run, const Chapter *owner, const char *source, BuildKind kind, char **log,
                            int *status)
{
    char *folder = objects_folder(run);
    make_dirs(folder);
    Args command = {0};
    char *inputs[] = {(char *)source};
    compile_command(&command, kind, owner, "-", inputs, 1); /* the command, but for its output */
    const char *files[] = {"harness/kit.h", "harness/course.h", source};
    char *command_key = reuse_key(NULL, 0, (const char *const *)command.items, command.count);
    char *key = reuse_key(files, 3, (const char *const *)command.items, command.count);
    args_free(&command);
    /* <chapter>-<kind>-<the command's key>-<the key of the file and the command>.o, and .log: what the compiler said */
    char *prefix = format_string("%s-%s-%.8s-", owner->id, kind == BUILD_SANITIZED_OBJECT ? "sanitized" : "plain",
                                 command_key);
    char *object = format_string("%s/%s%s.o", folder, prefix, key);
    char *log_path = format_string("%s/%s%s.log", folder, prefix, key);
    *status = 0;
    if ((options.fresh && !compiled_by_this_process(object)) || !file_exists(object) || !file_exists(log_path)) {
        /* made under names of this process's, then renamed, the log first: whoever sees the object sees it whole */
        char *made = format_string("%s/%d-%s%s.o", folder, (int)getpid(), prefix, key);
        char *made_log = format_string("%s/%d-%s%s.log", folder, (int)getpid(), prefix, key);
        Args args = {0};
        compile_command(&args, kind, owner, made, inputs, 1);
        if (run->submission) {
            const char *reads[] = {"harness", source, NULL}, *writes[] = {folder, NULL};
            *status = run_isolated(args.items, made_log, 120, reads, writes);
        } else {
            *status = run_process(args.items, NULL, made_log, 120);
        }
        args_free(&args);
        int kept = *status == 0 && rename(made_log, log_path) == 0 && rename(made, object) == 0;
        int why = errno;
        if (!kept) {
            *log = read_file(made_log, 1 << 20);
            if (*status == 0) { /* compiled, but it could not be kept */
                free(*log);
                *log = format_string("cannot keep the object %s compiled from %s: %s\n", object, source,
                                     strerror(why));
            }
            remove(made), remove(made_log);
        }
        free(made), free(made_log);
        if (!kept) {
            if (*log == NULL)
                *log = format_string("%s", "");
            if (*status == 0)
                *status = 1 << 8; /* as if the compiler had exited 1 */
            free(object), free(log_path), free(prefix), free(key), free(command_key), free(folder);
            return NULL;
        }
        prune_objects(folder, prefix, key);
        if (compiled_here_count < (int)(sizeof compiled_here / sizeof compiled_here[0]))
            compiled_here[compiled_here_count++] = format_string("%s", object);
    }
    *log = read_file(log_path, 1 << 20);
    if (*log == NULL)
        *log = format_string("%s", "");
    free(log_path), free(prefix), free(key), free(command_key), free(folder);
    return object;
}

/*
 * Links the program output from the objects by the command args (a check program, or the sanitized one), its
 * messages into log_path: in the sandbox for a submission. Where the program is there already, made by the same
 * command from the same files (the kit's headers, the runner, the suite, the library and the objects, whose key is
 * kept in <output>.key), it is not made again and its log is the one it was made with. Returns the linker's wait
 * status (0 when nothing had to be made), -1 when it ran out of time.
 */
static int link_program(const Run *run, const Chapter *chapter, const Args *args, const char *output,
                        const char *log_path, char *const *objects, int object_count)
{
    char *suite = format_string("build/grader/suite-%s.o", chapter->id);
    const char *fixed[] = {"harness/kit.h", "harness/course.h", "grader/check.h", "build/grader/runner.o", suite,
                           "build/kit/libkit.a"};
    int fixed_count = (int)(sizeof fixed / sizeof fixed[0]);
    const char **files = allocate((size_t)(fixed_count + object_count + 1) * sizeof *files);
    int count = 0;
    for (int i = 0; i < fixed_count; i++)
        files[count++] = fixed[i];
    for (int i = 0; i < object_count; i++)
        files[count++] = objects[i];
    /* (--fresh makes it anew, as it computes everything else) */
    char *key = options.coverage || options.fresh ? NULL
                                                  : reuse_key(files, count, (const char *const *)args->items, args->count);
    char *key_path = format_string("%s.key", output);
    char *kept = read_file(key_path, 64);
    int status;
    if (key && kept && strcmp(kept, key) == 0 && file_exists(output) && file_exists(log_path)) {
        status = 0; /* nothing changed since it was made */
    } else {
        remove(key_path);
        if (run->submission) {
            const char **reads = allocate((size_t)(count + 1) * sizeof *reads);
            int n = 0;
            for (int i = 3; i < count; i++) /* the runner, the suite, the library and the objects */
                reads[n++] = files[i];
            reads[n] = NULL;
            char *folder = format_string("%s", output); /* the folder the program is made in */
            *strrchr(folder, '/') = '\0';
            const char *writes[] = {folder, NULL};
            status = run_isolated(args->items, log_path, 120, reads, writes);
            free(folder);
            free(reads);
        } else {
            status = run_process(args->items, NULL, log_path, 120);
        }
        if (status == 0 && key) {
            FILE *f = fopen(key_path, "w");
            if (f) {
                fputs(key, f);
                fclose(f);
            }
        }
    }
    free(kept), free(key), free(key_path), free(files), free(suite);
    return status;
}

/*
 * The objects of the chapter's exercise.c and of every one it links (result->sources, in course order), compiled
 * by kind (BUILD_OBJECT or BUILD_SANITIZED_OBJECT) into objects[]; returns how many, or -1 when one does not
 * compile: then *errors gets the compiler's messages, cut down to what a learner should read, and *blocked_by the
 * linked chapter whose file they are about (NULL: the chapter's own). *own_log gets what the compiler said about
 * the chapter's own file (NULL when not asked for).
 */
static int compile_objects(const Run *run, const Chapter *chapter, const ChapterResult *result, BuildKind kind,
                           char **objects, char **errors, const char **blocked_by, char **own_log)
{
    int count = 0, failed = -1;
    char *failed_log = NULL;
    for (int i = 0; i < result->source_count; i++) {
        char *log;
        int status;
        char *object = compile_object(run, result->source_chapters[i], result->sources[i], kind, &log, &status);
        int own = result->source_chapters[i] == chapter;
        if (object) {
            objects[count++] = object;
        } else if (failed < 0 || (result->source_chapters[failed] == chapter && !own)) {
            /* a linked chapter's file that does not compile blocks this chapter, whatever its own file does */
            free(failed_log);
            failed_log = status == -1 ? format_string("%s: the compiler ran past 120 s\n", result->sources[i]) : log;
            if (status == -1)
                free(log);
            log = NULL;
            failed = i;
        }
        if (own && own_log)
            *own_log = log ? format_string("%s", log) : NULL;
        free(log);
    }
    if (failed < 0)
        return count;
    for (int k = 0; k < count; k++)
        free(objects[k]);
    *errors = summarize_compile_log(failed_log);
    *blocked_by = result->source_chapters[failed] == chapter ? NULL : result->source_chapters[failed]->id;
    free(failed_log);
    return -1;
}

/* Builds <dir>/check; returns 1 on success, else fills result->compile_errors (and blocked_by). */
static int build_check(const Run *run, const Chapter *chapter, const char *dir, ChapterResult *result)
{
    int included[MAX_CHAPTERS] = {0};
    linked_chapters(chapter, included);
    for (int i = 0; i < course.count; i++) {
        if (!included[i])
            continue;
        char *source = source_of(run, &course.chapters[i]);
        if (!file_exists(source)) {
            result->compile_errors = format_string("%s is missing: it holds the functions of chapter %s", source,
                                                   course.chapters[i].id);
            if (i != chapter->index)
                result->blocked_by = course.chapters[i].id;
            free(source);
            return 0;
        }
        result->source_chapters[result->source_count] = &course.chapters[i];
        result->sources[result->source_count++] = source;
    }
    char *objects[MAX_SOURCES] = {0};
    int object_count = 0;
    char *own_log = NULL;
    if (options.coverage) {
        /* every exercise.c is compiled on its own, beside the program, so that each has its own coverage notes */
        for (int i = 0; i < result->source_count; i++) {
            char *object = format_string("%s/exercise-%s.o", dir, result->source_chapters[i]->id);
            Args object_args = {0};
            compile_command(&object_args, BUILD_COVERAGE_OBJECT, chapter, object, &result->sources[i], 1);
            char *log_path = format_string("%s/coverage-compile.log", dir);
            int status = run_process(object_args.items, NULL, log_path, 120);
            if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
                die("cannot compile %s for coverage; see %s", result->sources[i], log_path);
            args_free(&object_args);
            free(log_path);
            objects[object_count++] = object;
        }
    } else {
        object_count = compile_objects(run, chapter, result, BUILD_OBJECT, objects, &result->compile_errors,
                                       &result->blocked_by, &own_log);
        if (object_count < 0)
            return 0;
        /* the warnings about the chapter's own exercise.c: a warning is often the bug ("statement with no effect") */
        char *own = source_of(run, chapter);
        result->compile_warnings = summarize_warnings(own_log ? own_log : "", own, &result->warning_count);
        free(own), free(own_log);
    }

    char *output = format_string("%s/check", dir);
    Args args = {0};
    compile_command(&args, BUILD_CHECK, chapter, output, objects, object_count);
    char *log_path = format_string("%s/compile.log", dir);
    int status = link_program(run, chapter, &args, output, log_path, objects, object_count);
    int ok = status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok) {
        char *log = read_file(log_path, 1 << 20);
        result->compile_errors = status < 0 ? format_string("linking %s ran past 120 s", output)
                                            : summarize_compile_log(log ? log : "");
        free(log);
        /* an error located in a linked chapter's file ("undefined reference", "multiple definition") blocks this
         * chapter instead */
        for (int i = 0; i < result->source_count; i++)
            if (result->source_chapters[i] != chapter && strstr(result->compile_errors, result->sources[i]))
                result->blocked_by = result->source_chapters[i]->id;
    }
    for (int k = 0; k < object_count; k++)
        free(objects[k]);
    free(log_path), free(output);
    args_free(&args);
    return ok;
}

/* ---- running and judging ----------------------------------------------- */

/* The environment of a check: nothing of the caller's but what the kit sets. */
static char *clean_environment[12] = {"PATH=/usr/bin:/bin", "OPENBLAS_NUM_THREADS=1", "OMP_NUM_THREADS=1",
                                      "LC_ALL=C", NULL};

/* Adds NAME=value to the environment of the checks. */
static void environment_add(char *setting)
{
    int count = 0;
    while (clean_environment[count])
        count++;
    if (count + 1 >= (int)(sizeof clean_environment / sizeof clean_environment[0]))
        die("internal: no room for %s in the checks' environment", setting);
    clean_environment[count] = setting;
    clean_environment[count + 1] = NULL;
}

/* Chooses the data set once, for the chapters whose checks need one, and tells the checks where it is. */
static void choose_dataset(void)
{
    static int chosen;
    if (chosen++)
        return;
    KitDatasetPlace place;
    char error[1024];
    if (kit_dataset_find(&place, error, sizeof error) != 0) {
        dataset.problem = format_string("%s", error);
        return;
    }
    dataset.name = format_string("%s", place.name);
    dataset.dir = format_string("%s", place.dir);
    judged_dataset = dataset.name;
    /* absolute: the checks run where only the folders they need are mounted, at the same places */
    char *where = realpath(place.dir, NULL);
    environment_add(format_string("KIT_DATASET_DIR=%s", where ? where : place.dir));
    free(where);
    environment_add(format_string("KIT_DATASET_NAME=%s", place.name));
}

static int fixture_needs_data(const Fixture *fixture)
{
    for (int i = 0; i < fixture->check_count; i++)
        if (fixture->checks[i].bar_count > 0)
            return 1;
    return 0;
}

static double total_timeout(const Fixture *fixture, double factor)
{
    double total = 10;
    for (int i = 0; i < fixture->check_count; i++)
        total += fixture->checks[i].timeout * factor + 1;
    return total;
}

/* What judging a check as soon as its results are there needs. */
typedef struct {
    const Chapter *chapter;
    const Fixture *fixture;
    const char *dir;
    ChapterResult *result;
    const int *selected; /* job k runs the fixture's check selected[k] */
} JudgeContext;

/* 1 when --only is not given or names id (a hidden case "hidden-x" goes with x). */
static int only_selects(const char *id)
{
    return options.only == NULL || list_names(options.only, strncmp(id, "hidden-", 7) == 0 ? id + 7 : id);
}

/* Dies unless every id of --only (ONLY=) is a check of one of the chapters named: a learner's typo in ONLY would
 * otherwise grade nothing and say little. */
static void check_only_ids(const char *const *requested, int requested_count)
{
    if (requested_count == 0)
        die("ONLY=%s names checks of one chapter: say which with CH, for example make grade CH=1.1 ONLY=%s",
            options.only, options.only);
    for (const char *p = options.only; *p;) {
        const char *end = strchr(p, ',');
        size_t length = end ? (size_t)(end - p) : strlen(p);
        int found = 0;
        char *ids = format_string("%s", "");
        for (int r = 0; r < requested_count; r++) {
            const Chapter *chapter = course_find(&course, requested[r]);
            char *path = format_string("grader/fixtures/%s.txt", chapter->id);
            Fixture *fixture = fixture_read(path);
            for (int i = 0; fixture && i < fixture->check_count; i++) {
                const char *id = fixture->checks[i].id;
                if (strlen(id) == length && strncmp(id, p, length) == 0)
                    found = 1;
                char *more = format_string("%s%s%s", ids, *ids ? ", " : "", id);
                free(ids);
                ids = more;
            }
            free(path);
        }
        if (!found && length > 0)
            die("ONLY=%s: there is no check '%.*s' in chapter%s %s; its checks are: %s", options.only, (int)length, p,
                requested_count > 1 ? "s" : "", requested[0], ids);
        free(ids);
        p += length + (end != NULL);
    }
}

static void judge_when_done(int i, const char *problem, void *context)
{
    JudgeContext *judging = context;
    i = judging->selected[i];
    const FixtureCheck *check = &judging->fixture->checks[i];
    if (problem && judging->result->runner_problem == NULL)
        judging->result->runner_problem = format_string("%s", problem);
    char *results = format_string("%s/%s", judging->dir, check->hidden ? "run-hidden" : "run");
    judge_check(judging->chapter, check, results, judging->result, &judging->result->checks[i]);
    free(results);
}

/*
 * locate_timeout (judge.c): the learner's function and line that a check which ran out of time was in, from the
 * stack its check program recorded at 0.8 of its limit (<id>.stack, one frame a line, "program(+0xOFFSET)[...]",
 * runner.c), its offsets turned into functions and lines by addr2line, run as learner code is run (the program is
 * the learner's). The innermost frame in one of the chapter's exercise.c files; NULL when there is none.
 */
static char *locate_in_stack(const char *run_dir, const char *id, const ChapterResult *chapter_result)
{
    char *stack_path = format_string("%s/%s.stack", run_dir, id);
    char *stack = read_file(stack_path, 1 << 16);
    free(stack_path);
    if (stack == NULL)
        return NULL;
    char *relative = format_string("%s/../check", run_dir), *program = realpath(relative, NULL);
    free(relative);
    if (program == NULL) {
        free(stack);
        return NULL;
    }
    Args args = {0};
    args_add(&args, "addr2line");
    args_add(&args, "-a");
    args_add(&args, "-f");
    args_add(&args, "-i");
    args_add(&args, "-e");
    args_add(&args, program);
    int frames = 0;
    for (char *line = strtok(stack, "\n"); line && frames < 64; line = strtok(NULL, "\n")) {
        const char *offset = strstr(line, "check(+0x");
        if (offset == NULL)
            continue;
        offset += strlen("check(+");
        char *address = format_string("%.*s", (int)strspn(offset, "0123456789abcdefx"), offset);
        args_add(&args, address);
        free(address);
        frames++;
    }
    free(stack);
    char *found = NULL;
    if (frames > 0) {
        char *log_path = format_string("%s/%s.addr2line", run_dir, id);
        const char *reads[] = {program, NULL}, *writes[] = {NULL};
        int status = run_isolated(args.items, log_path, 20, reads, writes);
        char *text = status == 0 ? read_file(log_path, 1 << 16) : NULL;
        /* addr2line -a -f -i: for each address "0x...", then pairs of lines "function" and "file:line", the innermost
         * first (an inlined function, then the one it was inlined into) */
        char *previous = NULL;
        for (char *line = text ? strtok(text, "\n") : NULL; line && !found; line = strtok(NULL, "\n")) {
            for (int k = 0; k < chapter_result->source_count && previous && !found; k++) {
                const char *source = chapter_result->sources[k];
                const char *at = strstr(line, source);
                if (at && (at == line || at[-1] == '/') && at[strlen(source)] == ':')
                    found = format_string("%s() at %.*s", previous, (int)strcspn(at, " "), at);
            }
            previous = line;
        }
        free(text);
        free(log_path);
    }
    args_free(&args);
    free(program);
    return found;
}

/* The first chapter that the check calls the code of (its needs) whose own checks timed out, or NULL. */
static const Chapter *linked_chapter_timed_out(const FixtureCheck *check)
{
    for (int k = 0; k < check->need_count; k++) {
        const Chapter *need = course_find(&course, check->needs[k]);
        const ChapterResult *r = need ? chapter_results[need->index] : NULL;
        for (int i = 0; r && i < r->check_count; i++)
            if (r->checks[i].verdict == VERDICT_TIMEOUT)
                return need;
    }
    return NULL;
}

/* Runs every check (and every hidden case) as a process of its own, under the supervisor of sandbox.c,
 * and judges each one as soon as it has ended. */
static void run_checks(const Run *run, const Chapter *chapter, const Fixture *fixture, const char *dir, ChapterResult *result,
                       const char *hidden_seed)
{
    char *run_dir = format_string("%s/run", dir), *hidden_dir = format_string("%s/run-hidden", dir);
    clear_dir(run_dir);
    if (hidden_seed)
        clear_dir(hidden_dir);
    char *program = format_string("%s/check", dir);
    Job *jobs = allocate((size_t)fixture->check_count * sizeof *jobs);
    int *selected = allocate((size_t)fixture->check_count * sizeof *selected), job_count = 0;
    /* the short checks first, then the long ones (training): after a check times out, the supervisor gives the short
     * ones less time and runs no long one (sandbox.c, contain_jobs) */
    for (int long_ones = 0; long_ones <= 1; long_ones++)
        for (int i = 0; i < fixture->check_count; i++) {
            const FixtureCheck *check = &fixture->checks[i];
            if ((check->timeout >= LONG_CHECK_SECONDS) != long_ones)
                continue;
            CheckResult *not_run = &result->checks[i];
            const Chapter *looping = linked_chapter_timed_out(check);
            if (options.skip_training && check->bar_count > 0) {
                *not_run = (CheckResult){.id = check->id, .title = check->title, .max_points = check->points,
                                         .verdict = VERDICT_SKIPPED, .message = format_string("not run (--skip-training)")};
                continue;
            }
            if (named_chapter[chapter->index] && !only_selects(check->id)) {
                *not_run = (CheckResult){.id = check->id, .title = check->title, .max_points = check->points,
                                         .verdict = VERDICT_SKIPPED, .message = format_string("not run (--only)")};
                continue;
            }
            if (looping) { /* it would wait for the same endless loop, most likely */
                *not_run = (CheckResult){.id = check->id, .title = check->title, .max_points = check->points,
                                         .verdict = VERDICT_BLOCKED, .blocked_by = looping->id, .not_run = 1,
                                         .message = format_string("not run: a check of chapter %s timed out",
                                                                  looping->id)};
                continue;
            }
            char **argv = allocate(10 * sizeof *argv);
            const char *words[] = {program, "--run", "{work}", "--one", check->file_id, "--seed",
                                   check->hidden ? hidden_seed : run->seed, "--limit", "{limit}"};
            for (int k = 0; k < 9; k++)
                argv[k] = (char *)words[k];
            selected[job_count] = i;
            jobs[job_count++] = (Job){check->file_id, check->hidden ? "run-hidden" : "run", check->timeout, 1, argv};
        }
    const char *binds[] = {program, result->uses_data ? dataset.dir : NULL, NULL};
    JudgeContext context = {chapter, fixture, dir, result, selected};
    result->check_count = fixture->check_count;
    double started = now_seconds();
    run_jobs(dir, jobs, job_count, binds, clean_environment, judge_when_done, &context);
    result->run_seconds += now_seconds() - started;
    for (int k = 0; k < job_count; k++)
        free(jobs[k].argv);
    free(jobs);
    free(selected);
    free(program);
    free(run_dir);
    free(hidden_dir);
}

static void ignore_done(int i, const char *problem, void *context)
{
    (void)i;
    (void)problem;
    (void)context;
}

/* The checks that the memory check does not run again, as a --skip list: those that timed out natively would only
 * time out again, slower, and so would those that were not run for that; a fork bomb is not run twice. */
static char *checks_not_to_run_again(const ChapterResult *result)
{
    char *skip = format_string("%s", "-");
    for (int i = 0; i < result->check_count; i++) {
        const CheckResult *c = &result->checks[i];
        if (c->verdict != VERDICT_TIMEOUT && c->processes_left == 0 && !c->not_run)
            continue;
        char *longer = format_string("%s,%s", skip, c->id);
        free(skip);
        skip = longer;
    }
    return skip;
}

/*
 * The memory check's second part: the checks again (not the training ones) in a build with AddressSanitizer and
 * UBSan, which see what Valgrind cannot: overflows of arrays on the stack and of globals, use of a function's locals
 * after it returned, signed overflow, invalid shifts, misaligned access. Valgrind still sees what they do not: reads
 * of memory never written, and leaks (LeakSanitizer is off). Their reports fail the memory check, with the file and
 * line in the learner's code (memcheck.c). Run after Valgrind, and only where it ran.
 */
static void run_sanitizers(const Run *run, const Chapter *chapter, const Fixture *fixture, const char *dir,
                           ChapterResult *result)
{
    if (result->memory.verdict == VERDICT_SKIPPED || result->memory.verdict == VERDICT_TODO)
        return; /* not asked for, or no code of the learner's ran */
    char *program = format_string("%s/check-sanitized", dir);
    char *log_path = format_string("%s/compile-sanitized.log", dir);
    char *objects[MAX_SOURCES] = {0}, *errors = NULL;
    const char *blocked_by = NULL;
    int object_count = compile_objects(run, chapter, result, BUILD_SANITIZED_OBJECT, objects, &errors, &blocked_by,
                                       NULL);
    int status = 1 << 8;
    if (object_count >= 0) {
        Args args = {0};
        compile_command(&args, BUILD_SANITIZED, chapter, program, objects, object_count);
        status = link_program(run, chapter, &args, program, log_path, objects, object_count);
        args_free(&args);
        for (int k = 0; k < object_count; k++)
            free(objects[k]);
    }
    CheckResult *memory = &result->memory;
    if (status != 0) {
        char *log = errors ? errors : read_file(log_path, 4096);
        char *more = format_string("%s%sthe build with AddressSanitizer and UBSan failed (%s): %.*s",
                                   memory->verdict == VERDICT_FAIL ? memory->message : "",
                                   memory->verdict == VERDICT_FAIL ? "\n" : "", describe_wait_status(status),
                                   (int)strcspn(log ? log : "", "\n"), log ? log : "");
        free(memory->message), free(log);
        memory->message = more;
        memory->verdict = VERDICT_FAIL;
        memory->points = 0;
        free(program), free(log_path);
        return;
    }
    char *san_dir = format_string("%s/sanitized", dir);
    clear_dir(san_dir);
    char *skip = checks_not_to_run_again(result);
    char *argv[] = {program, "--run", "{work}", "--sanitized", "--seed", (char *)run->seed, "--skip", skip, NULL};
    Job job = {"sanitized", "sanitized", total_timeout(fixture, SANITIZER_SLOWDOWN), 0, argv};
    const char *binds[] = {program, result->uses_data ? dataset.dir : NULL, NULL};
    /* the checks' environment, and the sanitizers' settings: reports on stderr (the check's log), no leak check
     * (Valgrind's), the locals of a function that returned kept poisoned */
    char *envp[16];
    int n = 0;
    for (int k = 0; clean_environment[k] && n < 12; k++)
        envp[n++] = clean_environment[k];
    envp[n++] = "ASAN_OPTIONS=detect_leaks=0:detect_stack_use_after_return=1:allocator_may_return_null=1";
    envp[n++] = "UBSAN_OPTIONS=print_stacktrace=1";
    envp[n] = NULL;
    double started = now_seconds();
    char *problem = run_jobs(dir, &job, 1, binds, envp, ignore_done, NULL);
    result->memcheck_seconds += now_seconds() - started;
    Status ended;
    if (problem || !status_read_check(san_dir, "sanitized", &ended) || !status_succeeded(&ended)) {
        char how[64] = "it left no status";
        if (!problem && status_read_check(san_dir, "sanitized", &ended))
            status_describe(&ended, how, sizeof how);
        char *more = format_string("%s%sthe run with AddressSanitizer and UBSan did not end normally (%s)",
                                   memory->verdict == VERDICT_FAIL ? memory->message : "",
                                   memory->verdict == VERDICT_FAIL ? "\n" : "", problem ? problem : how);
        free(memory->message);
        memory->message = more;
        memory->verdict = VERDICT_FAIL;
        memory->points = 0;
    } else {
        read_sanitizer_logs(san_dir, result);
    }
    free(problem), free(skip), free(san_dir), free(program), free(log_path);
}

/* Does a file of folder whose name starts with prefix hold text (in its first megabyte)? */
static int logs_mention(const char *folder, const char *prefix, const char *text)
{
    DIR *dir = opendir(folder);
    if (dir == NULL)
        return 0;
    int found = 0;
    for (struct dirent *entry; !found && (entry = readdir(dir)) != NULL;) {
        if (strncmp(entry->d_name, prefix, strlen(prefix)) != 0)
            continue;
        char *path = format_string("%s/%s", folder, entry->d_name);
        char *log = read_file(path, 1 << 20);
        found = log != NULL && strstr(log, text) != NULL;
        free(log), free(path);
    }
    closedir(dir);
    return found;
}

/* Runs the check program under Valgrind memcheck and reads its logs. */
static void run_memcheck(const Run *run, const Fixture *fixture, const char *dir, ChapterResult *result)
{
    CheckResult *memory = &result->memory;
    memory->title = MEMORY_CHECK_TITLE;
    memory->id = "memory";
    memory->max_points = MEMCHECK_POINTS;
    int ran_code = 0;
    for (int i = 0; i < result->check_count; i++)
        if (result->checks[i].verdict != VERDICT_TODO && result->checks[i].verdict != VERDICT_BLOCKED)
            ran_code = 1;
    if (!ran_code) {
        memory->verdict = VERDICT_TODO;
        memory->message = format_string("runs once your functions are written");
        return;
    }
    if (options.no_memcheck) {
        memory->verdict = VERDICT_SKIPPED;
        memory->message = format_string("not run (--no-memcheck)");
        return;
    }
    char *valgrind_path = find_program("valgrind");
    if (valgrind_path == NULL) {
        memory->verdict = VERDICT_FAIL;
        memory->message = format_string("valgrind is not installed, so memory safety cannot be checked "
                                        "(on Debian or Ubuntu: sudo apt-get install valgrind)");
        return;
    }
    char *vg_dir = format_string("%s/memcheck", dir);
    clear_dir(vg_dir);
    char *program = format_string("%s/check", dir);
    char *log_option = format_string("%s", "--log-file={work}/vg.%p.log");
    char *path_option = format_string("--fullpath-after=%s/", options.root);
    char *skip = checks_not_to_run_again(result);
    /* First without --track-origins, which slows Valgrind down and helps only a run that reads an uninitialised
     * value (most read none); when Valgrind says one did, the same run again with it, so that the report says where
     * the value came from (its allocation or its stack frame). The checks are seeded: the second run is the first
     * one again. */
    char *problem = NULL;
    Status status;
    int have_status = 0;
    result->memcheck_seconds = 0.0;
    for (int track_origins = 0; track_origins <= 1; track_origins++) {
        if (track_origins) {
            if (problem || !have_status || !status_succeeded(&status) || status.processes_left != 0 ||
                !logs_mention(vg_dir, "vg.", "Use --track-origins=yes"))
                break;
            clear_dir(vg_dir);
        }
        char *argv[] = {valgrind_path, "--tool=memcheck", "--leak-check=full",
                        "--show-leak-kinds=definite,indirect", "--errors-for-leak-kinds=definite,indirect",
                        track_origins ? "--track-origins=yes" : "--track-origins=no", "--num-callers=30", path_option,
                        log_option, program, "--run", "{work}", "--memcheck", "--seed", (char *)run->seed, "--skip",
                        skip, NULL};
        Job job = {"memcheck", "memcheck", total_timeout(fixture, MEMCHECK_SLOWDOWN), 0, argv};
        const char *binds[] = {program, result->uses_data ? dataset.dir : NULL, NULL};
        double started = now_seconds();
        free(problem);
        problem = run_jobs(dir, &job, 1, binds, clean_environment, ignore_done, NULL);
        result->memcheck_seconds += now_seconds() - started;
        have_status = status_read_check(vg_dir, "memcheck", &status);
    }
    if (problem || !have_status) {
        memory->verdict = VERDICT_FAIL;
        memory->message = format_string("the run under Valgrind did not happen: %s",
                                        problem ? problem : "it left no status");
    } else if (status.ending == ENDED_TIMEOUT) {
        memory->verdict = VERDICT_TIMEOUT;
        memory->message = format_string("the run under Valgrind went past its time limit of %.0f s",
                                        status.limit_seconds);
    } else if (!status_succeeded(&status) || status.processes_left != 0) {
        char *log_path = format_string("%s/memcheck.log", vg_dir);
        char *log = read_file(log_path, 2048);
        char how[64];
        status_describe(&status, how, sizeof how);
        memory->verdict = VERDICT_FAIL;
        memory->message = format_string("the run under Valgrind did not end normally (%s%s)%s%.*s", how,
                                        status.processes_left > 0 ? ", with processes left running" : "",
                                        log && log[0] ? ": " : "", (int)strcspn(log ? log : "", "\n"),
                                        log ? log : "");
        free(log);
        free(log_path);
    } else {
        read_memcheck_logs(vg_dir, result);
    }
    free(problem);
    free(skip);
    free(valgrind_path);
    free(vg_dir);
    free(program);
    free(log_option);
    free(path_option);
}

/* ---- grading one chapter ----------------------------------------------- */

/* The key of a chapter's grading (reuse.c): the grade tool itself, the kit's headers, library and check runner,
 * the chapter's suite and fixture (and hidden cases, when they run), the exercise.c files it links, the seed, the
 * data set (for a chapter that uses one), the protection in use and which checks run. Chapters the report shows,
 * submissions (CI) and coverage runs are always graded. */
static char *passed_key(const Run *run, const Chapter *chapter, int uses_data)
{
    char *files[MAX_CHAPTERS + 16];
    int count = 0;
    const char *kit_files[] = {"/proc/self/exe", "build/kit/libkit.a", "build/grader/runner.o", "harness/kit.h",
                               "harness/course.h"};
    for (size_t k = 0; k < sizeof kit_files / sizeof kit_files[0]; k++)
        files[count++] = format_string("%s", kit_files[k]);
    files[count++] = format_string("build/grader/suite-%s.o", chapter->id);
    files[count++] = format_string("grader/fixtures/%s.txt", chapter->id);
    if (run->hidden)
        files[count++] = format_string("grader/hidden/%s.txt", chapter->id);
    int included[MAX_CHAPTERS] = {0};
    linked_chapters(chapter, included);
    for (int i = 0; i < course.count; i++)
        if (included[i])
            files[count++] = source_of(run, &course.chapters[i]);
    /* the data set only for a chapter that uses one: which one was chosen depends on what was graded before */
    const char *settings[] = {run->seed,
                              uses_data ? dataset.name : "-",
                              uses_data ? dataset.dir : "-",
                              sandbox_description(),
                              run->hidden ? "hidden" : "public",
                              options.no_memcheck ? "no memcheck" : "memcheck"};
    char *key = reuse_key((const char *const *)files, count, settings, (int)(sizeof settings / sizeof settings[0]));
    for (int k = 0; k < count; k++)
        free(files[k]);
    return key;
}

/* A chapter that passed may be taken as it was when chapters are named (make grade CH=...): a linked one, and a
 * named one too, where nothing changed since (make debug builds its program anew). The whole course's grading,
 * submissions and coverage runs grade everything. */
static int may_reuse(const Run *run, const Chapter *chapter)
{
    (void)chapter;
    return any_chapter_named && !run->submission && !options.coverage && !options.fresh && !options.debug;
}

/* A linked chapter's result as if every check had passed, memory too (skipped with --no-memcheck): one unchanged
 * since it passed (reuse_passed), or the reference taken as passing (--trust-links). */
static void fill_passed(ChapterResult *result)
{
    const Fixture *fixture = result->fixture;
    result->compiled = 1;
    result->check_count = fixture->check_count;
    for (int i = 0; i < fixture->check_count; i++)
        result->checks[i] = (CheckResult){.id = fixture->checks[i].id, .title = fixture->checks[i].title,
                                          .verdict = VERDICT_PASS, .points = fixture->checks[i].points,
                                          .max_points = fixture->checks[i].points};
    result->memory = (CheckResult){.id = "memory", .title = MEMORY_CHECK_TITLE,
                                   .verdict = VERDICT_PASS, .points = MEMCHECK_POINTS, .max_points = MEMCHECK_POINTS};
    if (options.no_memcheck) /* it passed every check, and its memory was not checked then either */
        result->memory = (CheckResult){.id = "memory", .title = MEMORY_CHECK_TITLE,
                                       .verdict = VERDICT_SKIPPED, .max_points = MEMCHECK_POINTS,
                                       .message = format_string("not run (--no-memcheck)")};
}

/* The result of a linked chapter that passed with the same key: every check passed, memory too. */
static int reuse_passed(const char *dir, const char *key, ChapterResult *result)
{
    if (!reuse_recorded(dir, key))
        return 0;
    fill_passed(result);
    result->reused = 1;
    return 1;
}

/* After a grading: keep the key of a chapter that passed (with --no-memcheck: every check passed), forget it
 * for one that did not. */
static void remember_passed(const char *dir, const char *key, const ChapterResult *result)
{
    int passed = result->passed;
    if (options.no_memcheck && result->compiled) {
        passed = 1;
        for (int i = 0; i < result->check_count; i++)
            passed &= result->checks[i].verdict == VERDICT_PASS;
    }
    reuse_record(dir, key, passed);
}


/* The progress line on a terminal ("chapter 5 of 16: 3.1 ..."), redrawn on stderr as each chapter starts and cleared
 * before the report; nothing where stderr is not a terminal (CI logs, a redirected report). */
static int progress_done, progress_total, progress_shown;

/* Counts the chapters that grading those marked in graded will grade: they and, in turn, the chapters they link. */
static void count_to_grade(const Chapter *chapter, int *marked)
{
    if (marked[chapter->index])
        return;
    marked[chapter->index] = 1;
    progress_total++;
    for (int i = 0; i < chapter->need_count; i++) {
        const Chapter *need = course_find(&course, chapter->needs[i]);
        if (need && need->written)
            count_to_grade(need, marked);
    }
}

static void show_progress(const Chapter *chapter)
{
    progress_done++;
    if (progress_total < 2 || !isatty(STDERR_FILENO))
        return;
    fprintf(stderr, "\r\033[Kgrading chapter %d of %d: %s %s ...", progress_done, progress_total, chapter->id,
            chapter->title);
    fflush(stderr);
    progress_shown = 1;
}

static void clear_progress(void)
{
    if (progress_shown)
        fprintf(stderr, "\r\033[K");
    progress_shown = 0;
}

/* ---- a chapter that is still its untouched stub ------------------------ */

/*
 * A check stops at the first stub function it calls: the stub prints "not implemented: f() in <file>" and exits
 * with status 3. make fixtures records, for every check, which function that is when every chapter is its
 * untouched stub (grader/fixtures/<chapter>.stub, grader/hidden/<chapter>.stub for the hidden cases; record_stub),
 * with the hash of the stub. Before that function the check called no function of the course: the first one it
 * called would have been a stub, and would have stopped it (the course's stubs define their chapter's functions
 * and nothing else). Hence a chapter whose exercise.c is byte for byte its stub, and each of whose checks stops in
 * it or in a linked chapter that is untouched too, stops at the same functions again whatever the other chapters
 * hold: the same verdicts, without a run. When every chapter it links is untouched as well, its check program is
 * the one make fixtures built and ran: no need to build it either (every stub of the course compiles without a
 * warning with the grader's flags; record_stub checks it each time). A linked chapter that is not its stub may not
 * compile, or may not link with the others (a function defined twice): then the program is still built, so that
 * the report says so, and only the run is skipped. (Learner code that runs without being called, a constructor
 * in another chapter's file, is not accounted for: all it could turn the stub's 0 points into is a forged pass.)
 * A missing, malformed or stale record, or one that does not cover every check, means grading as usual.
 */
static StubRecord *stub_records[2][MAX_CHAPTERS]; /* [hidden][chapter index], read once */
static int stub_records_read[2][MAX_CHAPTERS];

static const StubRecord *stub_record_of(const Chapter *chapter, int hidden)
{
    if (!stub_records_read[hidden][chapter->index]++) {
        char *path = format_string("grader/%s/%s.stub", hidden ? "hidden" : "fixtures", chapter->id);
        StubRecord *record = stub_record_read(path);
        if (record && strcmp(record->chapter, chapter->id) != 0)
            record = NULL; /* another chapter's record under this name */
        stub_records[hidden][chapter->index] = record;
        free(path);
    }
    return stub_records[hidden][chapter->index];
}

/* 1 when the chapter's exercise.c (source_of) has the hash of the untouched stub that make fixtures recorded. */
static int is_untouched_stub(const Run *run, const Chapter *chapter)
{
    static int state[MAX_CHAPTERS]; /* 0: not looked at yet, 1: untouched, 2: not */
    if (state[chapter->index] == 0) {
        const StubRecord *record = stub_record_of(chapter, 0);
        char *source = source_of(run, chapter);
        state[chapter->index] = record && hash_contents(FNV_OFFSET_BASIS, source) == record->stub_hash ? 1 : 2;
        free(source);
    }
    return state[chapter->index] == 1;
}

/* The recorded stop of the fixture's check (a hidden case's in the hidden record), or NULL. */
static const StubStop *recorded_stop(const Chapter *chapter, const FixtureCheck *check)
{
    const StubRecord *record = stub_record_of(chapter, check->hidden);
    return record ? stub_record_find(record, check->id) : NULL;
}

/* 1 when the verdicts of every check of the chapter are those its record gives (see above), for this grading. */
static int stub_outcome_known(const Run *run, const Chapter *chapter, const ChapterResult *result, const char *hidden_seed)
{
    /* --fresh computes everything; the others build the program for another use, or do not run every check */
    if (options.fresh || options.coverage || options.debug || options.skip_training ||
        (options.only && named_chapter[chapter->index]))
        return 0;
    /* without a data set, a training check stops at the kit's "needs a data set" before it calls any function */
    if (result->uses_data && dataset.name == NULL)
        return 0;
    if (!is_untouched_stub(run, chapter))
        return 0;
    const StubRecord *open = stub_record_of(chapter, 0), *hidden = hidden_seed ? stub_record_of(chapter, 1) : NULL;
    if (strcmp(open->seed, run->seed) != 0)
        return 0;
    if (hidden_seed && (hidden == NULL || hidden->stub_hash != open->stub_hash || strcmp(hidden->seed, hidden_seed)))
        return 0;
    int included[MAX_CHAPTERS] = {0}, covered[2] = {0, 0};
    linked_chapters(chapter, included);
    const Fixture *fixture = result->fixture;
    for (int i = 0; i < fixture->check_count; i++) {
        const StubStop *stop = recorded_stop(chapter, &fixture->checks[i]);
        const Chapter *owner = stop && stop->chapter ? course_find(&course, stop->chapter) : NULL;
        if (owner == NULL || !included[owner->index] || !is_untouched_stub(run, owner))
            return 0;
        covered[fixture->checks[i].hidden]++;
    }
    /* a record of more checks than the fixture has was made with another version of the suite */
    return covered[0] == open->stop_count && (hidden == NULL || covered[1] == hidden->stop_count);
}

/* 1 when the chapter and every chapter it links are their untouched stubs. */
static int linked_all_untouched(const Run *run, const Chapter *chapter)
{
    int included[MAX_CHAPTERS] = {0};
    linked_chapters(chapter, included);
    for (int i = 0; i < course.count; i++)
        if (included[i] && !is_untouched_stub(run, &course.chapters[i]))
            return 0;
    return 1;
}

/* The verdicts of a chapter whose outcome is known (stub_outcome_known): each check "todo", with the line the stub
 * it stops at prints, naming that chapter's file as graded now. */
static void fill_stub_outcome(const Run *run, const Chapter *chapter, ChapterResult *result)
{
    const Fixture *fixture = result->fixture;
    result->check_count = fixture->check_count;
    for (int i = 0; i < fixture->check_count; i++) {
        const FixtureCheck *check = &fixture->checks[i];
        const StubStop *stop = recorded_stop(chapter, check);
        char *source = source_of(run, course_find(&course, stop->chapter));
        result->checks[i] = (CheckResult){.id = check->id, .title = check->title, .verdict = VERDICT_TODO,
                                          .max_points = check->points, .hint = check->hint,
                                          .message = not_implemented_message(stop->function, source),
                                          .stub_function = format_string("%s", stop->function),
                                          .stub_file = source};
    }
}

static ChapterResult *grade_chapter(const Run *run, const Chapter *chapter)
{
    if (chapter_results[chapter->index])
        return chapter_results[chapter->index];
    ChapterResult *result = allocate(sizeof *result);
    chapter_results[chapter->index] = result;
    result->chapter = chapter;

    /* chapters whose code this one links come first: their verdicts decide what is blocked */
    for (int i = 0; i < chapter->need_count; i++) {
        const Chapter *need = course_find(&course, chapter->needs[i]);
        if (need && need->written)
            grade_chapter(run, need);
    }
    show_progress(chapter);

    char *fixture_path = format_string("grader/fixtures/%s.txt", chapter->id);
    Fixture *fixture = fixture_read(fixture_path);
    if (fixture == NULL)
        die("%s is missing or unreadable: run 'make fixtures' (instructors)", fixture_path);
    const char *hidden_seed = NULL;
    if (run->hidden) {
        char *hidden_path = format_string("grader/hidden/%s.txt", chapter->id);
        Fixture *hidden = fixture_read(hidden_path);
        if (hidden == NULL)
            die("%s is missing: the hidden cases are only in the instructors' copy of the kit", hidden_path);
        fixture_add_hidden(fixture, hidden);
        hidden_seed = hidden->seed;
        free(hidden_path);
    }
    result->fixture = fixture;
    result->checks = allocate((size_t)fixture->check_count * sizeof *result->checks);
    for (int i = 0; i < fixture->check_count; i++)
        result->max_points += fixture->checks[i].points;
    result->max_points += MEMCHECK_POINTS;
    if (fixture_needs_data(fixture)) {
        choose_dataset();
        result->uses_data = 1;
    }

    char *dir = format_string("%s/%s", run->build, chapter->id);
    make_dirs(dir);
    double started = now_seconds();
    /* a linked chapter of the reference under --trust-links: taken as passing, with nothing to key, build or run */
    result->trusted = options.trust_links && !named_chapter[chapter->index];
    char *key = run->submission || options.coverage || result->trusted ? NULL
                                                                       : passed_key(run, chapter, result->uses_data);
    int stubbed = !result->trusted && stub_outcome_known(run, chapter, result, hidden_seed);
    if (result->trusted) {
        fill_passed(result);
    } else if (may_reuse(run, chapter) && reuse_passed(dir, key, result)) {
        /* unchanged since it passed: nothing to run */
    } else if (!(stubbed && linked_all_untouched(run, chapter)) && !build_check(run, chapter, dir, result)) {
        result->compiled = 0;
    } else {
        result->compiled = 1;
        if (stubbed)
            fill_stub_outcome(run, chapter, result); /* an untouched stub: nothing to run (and maybe nothing to build) */
        else
            run_checks(run, chapter, fixture, dir, result, hidden_seed);
        apply_blocking(&course, chapter_results, result);
        run_memcheck(run, fixture, dir, result); /* for a stub: "runs once your functions are written" */
        run_sanitizers(run, chapter, fixture, dir, result);
    }
    result->seconds = now_seconds() - started;
    finish_chapter(result);
    if (!result->reused && !result->trusted)
        remember_passed(dir, key, result);
    free(key);
    free(dir);
    free(fixture_path);
    return result;
}

/* ---- a submission ------------------------------------------------------ */

static const char *submission_root;
static const char *wanted_folder;
static char *found_path;

/* nftw visitor: remembers the shortest path of a regular file <wanted_folder>/exercise.c. */
static int find_exercise(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    if (type != FTW_F || !S_ISREG(st->st_mode))
        return 0;
    size_t n = strlen(path), f = strlen(wanted_folder);
    const char *tail = "/exercise.c";
    if (n < f + 12 || strcmp(path + n - 11, tail) != 0)
        return 0;
    if (strncmp(path + n - 11 - f, wanted_folder, f) != 0 || path[n - 12 - f] != '/')
        return 0;
    if (found_path == NULL || strlen(path) < strlen(found_path)) {
        free(found_path);
        found_path = format_string("%s", path);
    }
    return 0;
}

static void copy_file(const char *from, const char *to, size_t cap)
{
    char *text = read_file(from, cap + 1);
    if (text == NULL)
        die("cannot read %s", from);
    if (strlen(text) > cap)
        die("%s is larger than %zu bytes: is it really an exercise.c?", from, cap);
    FILE *f = fopen(to, "w");
    if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
        die("cannot write %s", to);
    free(text);
}

/* Writes the untouched stub of a chapter to target: what grader/stub.awk makes of its reference solution (the
 * stub every learner starts from), never lessons/<folder>/exercise.c, which in the grading copy may hold anything,
 * reference code included. In a copy without solutions/ (the learner's edition), the stub as git has it. */
static void write_pristine_stub(const Chapter *chapter, const char *target)
{
    char *solution = format_string("solutions/%s/exercise.c", chapter->folder);
    char *chapter_option = format_string("chapter=%s", chapter->id);
    char *stub_path = format_string("HEAD:lessons/%s/exercise.c", chapter->folder);
    char *awk[] = {"awk", "-v", chapter_option, "-f", "grader/stub.awk", solution, NULL};
    char *git[] = {"git", "show", stub_path, NULL};
    int from_solution = file_exists(solution);
    int status = run_process(from_solution ? awk : git, NULL, target, 60);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        die("cannot make the untouched stub of chapter %s: %s failed (%s; its "
            "output is in %s)%s", chapter->id, from_solution ? "grader/stub.awk on its reference solution" : "git show",
            describe_wait_status(status), target,
            from_solution ? "" : ". Grade submissions in the instructors' copy of the kit, which has solutions/");
    free(solution), free(chapter_option), free(stub_path);
}

/*
 * Takes a learner's submission (a folder or a tarball) into build/submission/src: only the exercise.c
 * of each written chapter, found as <chapter folder>/exercise.c anywhere inside it; nothing else of
 * theirs is used. A chapter not found is graded as its untouched stub (write_pristine_stub).
 */
static void prepare_submission(Run *run, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        die("SUBMISSION=%s: no such file or folder (give a folder or a .tar, .tar.gz or .tgz file)", path);
    clear_dir("build/submission");
    make_dirs("build/submission/src");
    if (S_ISDIR(st.st_mode)) {
        submission_root = path;
    } else {
        make_dirs("build/submission/unpacked");
        char *argv[] = {"tar", "-xf", (char *)path, "-C", "build/submission/unpacked", "--no-same-owner",
                        "--no-same-permissions", NULL};
        /* unpacked where it can write nothing but build/submission/unpacked */
        const char *reads[] = {path, NULL}, *writes[] = {"build/submission/unpacked", NULL};
        int status = run_isolated(argv, "build/submission/unpack.log", 120, reads, writes);
        if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            char *log = read_file("build/submission/unpack.log", 2048);
            die("SUBMISSION=%s: cannot unpack it as a tar archive: %s", path, log ? log : "");
        }
        submission_root = "build/submission/unpacked";
    }
    char *taken = format_string("%s", ""), *missing = format_string("%s", "");
    for (int i = 0; i < course.count; i++) {
        const Chapter *chapter = &course.chapters[i];
        if (!chapter->written)
            continue;
        wanted_folder = chapter->folder;
        found_path = NULL;
        nftw(submission_root, find_exercise, 16, FTW_PHYS);
        char *folder = format_string("build/submission/src/%s", chapter->folder);
        make_dirs(folder);
        char *target = format_string("%s/exercise.c", folder);
        char **list = found_path ? &taken : &missing;
        if (found_path)
            copy_file(found_path, target, 1 << 20);
        else
            write_pristine_stub(chapter, target);
        char *longer = format_string("%s%s%s", *list, (*list)[0] ? ", " : "", chapter->id);
        free(*list);
        *list = longer;
        free(found_path);
        free(folder);
        free(target);
    }
    printf("Submission %s: graded its exercise.c of chapters %s", path, taken[0] ? taken : "(none)");
    if (missing[0])
        printf("; not found, graded as the untouched stub: %s", missing);
    printf("\n");
    run->from = "build/submission/src";
    run->build = "build/submission/build";
    run->hidden = 1;
    run->submission = 1;
}

/* ---- recording fixtures ------------------------------------------------ */

/* Writes to path where each check of the fixture (its hidden cases, or the others) stopped in result: the function
 * of its "not implemented" line and that function's chapter, found by the file the line names. */
static void write_stub_record(const char *path, const Chapter *chapter, const char *seed, uint64_t stub_hash,
                              const ChapterResult *result, int hidden)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        die("cannot write %s: %s", path, strerror(errno));
    fprintf(f, "# Where each %s of chapter %s stops when every chapter is its untouched stub: recorded by 'make "
               "fixtures'\n# from the stubs grader/stub.awk makes of solutions/. Do not edit. An exercise.c whose "
               "FNV-1a hash is the\n# stub's is graded from these lines, not built and run (grader/grade.c, "
               "stub_outcome_known).\n# check ID FUNCTION CHAPTER: the check stops at FUNCTION, a stub of CHAPTER; "
               "\"- -\": it ends otherwise.\n",
            hidden ? "hidden case" : "check", chapter->id);
    fprintf(f, "chapter %s\nseed %s\nstub %016llx\n", chapter->id, seed, (unsigned long long)stub_hash);
    for (int i = 0; i < result->check_count; i++) {
        const CheckResult *check = &result->checks[i];
        if (result->fixture->checks[i].hidden != hidden)
            continue;
        const char *owner = NULL;
        if (check->verdict == VERDICT_TODO && check->stub_function)
            for (int k = 0; k < result->source_count; k++)
                if (strcmp(result->sources[k], check->stub_file) == 0)
                    owner = result->source_chapters[k]->id;
        fprintf(f, "check %s %s %s\n", check->id, owner ? check->stub_function : "-", owner ? owner : "-");
    }
    if (fclose(f) != 0)
        die("cannot write %s: %s", path, strerror(errno));
    printf("wrote %s\n", path);
}

/* Grades the untouched stubs of the chapter and of the chapters it links, as make grade grades them (built, every
 * check and hidden case run in the sandbox and judged), and records where each check stops (stub_outcome_known)
 * in <fixtures>/<chapter>.stub and <hidden>/<chapter>.stub, beside the fixtures just recorded. */
static void record_stub(const Chapter *chapter, const char *hidden_dir)
{
    const char *stubs_folder = "build/record/stubs";
    int included[MAX_CHAPTERS] = {0};
    linked_chapters(chapter, included);
    for (int i = 0; i < course.count; i++) {
        if (!included[i])
            continue;
        char *folder = format_string("%s/%s", stubs_folder, course.chapters[i].folder);
        char *target = format_string("%s/exercise.c", folder);
        make_dirs(folder);
        write_pristine_stub(&course.chapters[i], target);
        free(folder), free(target);
    }
    char *paths[] = {format_string("%s/%s.txt", options.fixtures, chapter->id),
                     format_string("%s/%s.txt", hidden_dir, chapter->id)};
    Fixture *fixture = fixture_read(paths[0]), *hidden = fixture_read(paths[1]);
    if (fixture == NULL || hidden == NULL)
        die("cannot read %s, just recorded", fixture ? paths[1] : paths[0]);
    fixture_add_hidden(fixture, hidden);
    /* the stubs, graded with the seeds the fixtures were recorded with */
    const Run stubs = {.from = stubs_folder, .build = "build/record", .seed = fixture->seed, .hidden = 1};
    const Run *run = &stubs;
    ChapterResult result = {.chapter = chapter, .fixture = fixture, .uses_data = fixture_needs_data(fixture)};
    result.checks = allocate((size_t)fixture->check_count * sizeof *result.checks);
    char *dir = format_string("build/record/%s/stubs", chapter->id);
    make_dirs(dir);
    if (!build_check(run, chapter, dir, &result))
        die("the untouched stubs of chapter %s and of the chapters it links do not build:\n%s", chapter->id,
            result.compile_errors);
    if (result.compile_warnings)
        die("the untouched stub of chapter %s compiles with %d warning(s), expected none: an untouched stub is "
            "graded without being compiled, so nothing would report them:\n%s", chapter->id, result.warning_count,
            result.compile_warnings);
    run_checks(run, chapter, fixture, dir, &result, hidden->seed);
    char *stub = source_of(run, chapter);
    uint64_t stub_hash = hash_contents(FNV_OFFSET_BASIS, stub);
    for (int k = 0; k < 2; k++) {
        char *path = format_string("%s/%s.stub", k ? hidden_dir : options.fixtures, chapter->id);
        write_stub_record(path, chapter, k ? hidden->seed : fixture->seed, stub_hash, &result, k);
        free(path);
    }
    free(stub), free(dir), free(paths[0]), free(paths[1]);
}

/* Builds the chapter's checks with the reference solutions and records their outputs as its fixture; then where
 * the checks of its untouched stub stop (record_stub). */
static void record_fixture(const Chapter *chapter)
{
    const Run reference = {.from = "solutions", .build = "build/record", .seed = "1"};
    const Run *run = &reference;
    choose_dataset(); /* for checks that train on it; their fixtures keep only the bars */
    ChapterResult scratch = {0};
    char *dir = format_string("build/record/%s", chapter->id);
    make_dirs(dir);
    if (!build_check(run, chapter, dir, &scratch))
        die("the reference solution of chapter %s does not build:\n%s", chapter->id, scratch.compile_errors);
    char *program = format_string("%s/check", dir);
    char *hidden_dir = format_string("%s/hidden", strcmp(options.fixtures, "grader/fixtures") == 0 ? "grader"
                                                                                                  : options.fixtures);
    make_dirs(hidden_dir);
    for (int hidden = 0; hidden <= 1; hidden++) {
        char *fixture = format_string("%s/%s.txt", hidden ? hidden_dir : options.fixtures, chapter->id);
        char *log_path = format_string("%s/record.log", dir);
        char *argv[] = {program, "--record", fixture, "--seed", hidden ? HIDDEN_SEED : "1", NULL};
        int status = run_process(argv, clean_environment, log_path, 600);
        if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            char *log = read_file(log_path, 4096);
            die("recording %s failed (%s): %s", fixture, describe_wait_status(status), log ? log : "");
        }
        printf("wrote %s\n", fixture);
        free(fixture);
        free(log_path);
    }
    record_stub(chapter, hidden_dir);
    free(hidden_dir);
    free(program);
    free(dir);
}

/* ---- the demo ---------------------------------------------------------- */

/* Builds the chapter's demo with the code in --from; returns the program's path, or NULL when it does not build
 * (the compiler's messages are shown). */
static char *build_demo(const Run *run, const Chapter *chapter)
{
    char *dir = format_string("build/demo/%s/%s", strcmp(run->from, "solutions") ? "lessons" : "solutions",
                              chapter->id);
    make_dirs(dir);
    char *program = format_string("%s/%s", dir, demo_program);
    Run demo_run = *run; /* its objects beside the demos */
    demo_run.build = format_string("build/demo/%s", strcmp(run->from, "solutions") ? "lessons" : "solutions");
    char *inputs[MAX_SOURCES + 1];
    int input_count = 0;
    inputs[input_count++] = format_string("lessons/%s/%s.c", chapter->folder, demo_program);
    if (!file_exists(inputs[0]))
        die("%s is missing: chapter %s has no program called %s", inputs[0], chapter->id, demo_program);
    int included[MAX_CHAPTERS] = {0};
    linked_chapters(chapter, included);
    /* the objects of the exercise.c files, as the checks link them; what the compiler said of each, as the learner
     * would see it from make */
    int status = 0;
    for (int i = 0; i < course.count && status == 0; i++) {
        if (!included[i])
            continue;
        char *source = source_of(run, &course.chapters[i]), *log;
        if (!file_exists(source))
            die("%s is missing: it holds the functions of chapter %s", source, course.chapters[i].id);
        char *object = compile_object(&demo_run, &course.chapters[i], source, BUILD_OBJECT, &log, &status);
        fputs(log, stderr);
        free(log), free(source);
        if (object)
            inputs[input_count++] = object;
    }
    char *log_path = format_string("%s/compile.log", dir);
    if (status == 0) {
        Args args = {0};
        compile_command(&args, BUILD_DEMO, chapter, program, inputs, input_count);
        status = run_process(args.items, NULL, log_path, 120);
        char *log = read_file(log_path, 1 << 20);
        if (log && log[0])
            fputs(log, stderr);
        free(log);
        args_free(&args);
    }
    free(log_path);
    for (int k = 0; k < input_count; k++)
        free(inputs[k]);
    free(dir), free((char *)demo_run.build);
    if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "\nThe %s of chapter %s does not build%s: the compiler's messages above name the file "
                        "and line.\n", demo_program, chapter->id, status < 0 ? " (the compiler ran past 120 s)" : "");
        free(program);
        return NULL;
    }
    return program;
}

/* Builds the chapter's demo and runs it in place of this process, as the lesson checker runs it: with one OpenBLAS
 * thread unless OPENBLAS_NUM_THREADS says otherwise (with two, sums split across threads round differently, and a
 * training run drifts from the figures the lesson shows). */
static int run_demo(const Run *run, const Chapter *chapter)
{
    char *program = build_demo(run, chapter);
    if (program == NULL)
        return 1;
    if (getenv("OPENBLAS_NUM_THREADS") == NULL) {
        setenv("OPENBLAS_NUM_THREADS", "1", 1);
        fprintf(stderr, "(the demo runs with one OpenBLAS thread, as the lesson's output was made; "
                        "OPENBLAS_NUM_THREADS=2 make run CH=%s uses two: faster, with the last digits of "
                        "some results different)\n", chapter->id);
    }
    char *argv[] = {program, NULL};
    execv(program, argv);
    die("cannot run %s: %s", program, strerror(errno));
}

/* Does the chapter's demo (or its other program) load the data set? Such a lesson shows what it prints on MNIST. */
static int demo_uses_dataset(const Chapter *chapter)
{
    const char *programs[] = {"demo", "final_exam"};
    int uses = 0;
    for (int k = 0; k < 2 && !uses; k++) {
        char *source = format_string("lessons/%s/%s.c", chapter->folder, programs[k]);
        char *text = file_exists(source) ? read_file(source, 0) : NULL;
        uses = text && strstr(text, "kit_dataset_find(") != NULL;
        free(text), free(source);
    }
    return uses;
}

/* Runs the chapter's demo, then its other program when it has one (the lesson quotes them in that order), built
 * from the reference solutions, with the data set the environment picks; returns what they printed, or NULL
 * (and says why) when one of them does not build or fails. */
static char *demo_output(const Run *run, const Chapter *chapter, const char *path, const char *log_suffix)
{
    char *output = format_string("%s", "");
    const char *programs[] = {"demo", "final_exam"};
    for (int k = 0; k < 2; k++) {
        char *source = format_string("lessons/%s/%s.c", chapter->folder, programs[k]);
        int exists = k == 0 || file_exists(source);
        free(source);
        if (!exists)
            continue;
        demo_program = programs[k];
        char *program = build_demo(run, chapter);
        if (program == NULL) {
            free(output);
            return NULL;
        }
        char *log_path = format_string("build/demo/solutions/%s/%soutput%s.txt", chapter->id,
                                       k == 0 ? "" : "final_exam-", log_suffix);
        char *argv[] = {program, NULL};
        int status = run_process(argv, NULL, log_path, 600);
        if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            printf("%s: the %s of chapter %s failed with the reference solution (%s); its output is in %s\n", path,
                   programs[k], chapter->id, describe_wait_status(status), log_path);
            free(output), free(log_path), free(program);
            return NULL;
        }
        char *more = read_file(log_path, 0);
        char *joined = format_string("%s%s", output, more ? more : "");
        free(output), free(more), free(log_path), free(program);
        output = joined;
    }
    return output;
}

/* Every picture the lesson embeds, ![...](pictures/NAME), is a committed file lessons/<folder>/pictures/NAME that is
 * byte for byte what the demo just drew into build/pictures/NAME. Returns 1 when they all are; else says which is
 * not and how to mend it, and returns 0. Only the demos' pictures (.png) are checked here: the figures of ideas
 * (.svg) are drawn by tools/figures.c, and make test T=figures checks them. */
static int check_lesson_pictures(const Chapter *chapter, const char *path)
{
    char *text = read_file(path, 0);
    int ok = text != NULL;
    for (const char *p = text ? strstr(text, "](pictures/") : NULL; p && ok; p = strstr(p + 1, "](pictures/")) {
        const char *name = p + strlen("](pictures/");
        int length = (int)strcspn(name, ")");
        if (length < 4 || strncmp(name + length - 4, ".png", 4) != 0)
            continue; /* not a picture the demo draws */
        char *committed = format_string("lessons/%s/pictures/%.*s", chapter->folder, length, name);
        char *drawn = format_string("build/pictures/%.*s", length, name);
        char *a = read_file(committed, 0), *b = read_file(drawn, 0);
        struct stat sa, sb;
        int same = a && b && stat(committed, &sa) == 0 && stat(drawn, &sb) == 0 && sa.st_size == sb.st_size &&
                   memcmp(a, b, (size_t)sa.st_size) == 0;
        if (!same) {
            printf("%s: embeds %s, which %s what the demo draws now into %s; run the demo on MNIST with the "
                   "reference (OPENBLAS_NUM_THREADS=1 MNIST_DIR=... build/grader/grade demo %s --from solutions) "
                   "and copy that file there\n", path, committed, a ? "is not" : "is missing: it must be", drawn,
                   chapter->id);
            ok = 0;
        }
        free(a), free(b), free(committed), free(drawn);
    }
    free(text);
    return ok;
}

/* The exit status of grade lesson for a lesson it could not check here (make test counts it as skipped). */
#define LESSON_SKIPPED 3

/* Checks a lesson text against what its demo (built from the reference solutions) prints now, and every picture it
 * embeds against what the demo draws now, or for the introduction against the text in output_file. A lesson whose
 * demo loads the data set shows in its ```output blocks (and pictures) what the demo makes of MNIST, and in its
 * ```output fashion-mnist blocks what it prints on Fashion-MNIST (the data set of a learner offline); without MNIST
 * here it is skipped, and says why. Returns 1 when the lesson
 * matches, 0 when it does not, LESSON_SKIPPED when it cannot be checked here. */
static int check_lesson(const Chapter *chapter, const char *output_file)
{
    char *path = format_string("lessons/%s/README.md", chapter->folder);
    char *output = NULL, *fashion_output = NULL;
    const Run reference = {.from = "solutions", .seed = "1"}; /* the lesson shows what the reference's demo prints */
    const Run *run = &reference;
    if (output_file) {
        output = read_file(output_file, 0);
        if (output == NULL)
            die("cannot read %s", output_file);
    } else if (chapter->written) {
        setenv("OPENBLAS_NUM_THREADS", "1", 1); /* with one thread, as sums split over threads round otherwise */
        if (demo_uses_dataset(chapter)) {
            KitDatasetPlace place;
            char error[2048];
            unsetenv("KIT_DATASET");
            int found = kit_dataset_find(&place, error, sizeof error) == 0;
            if (!found || strcmp(place.name, "MNIST") != 0) {
                printf("%s: skipped: its output blocks are what the demo prints on MNIST, and MNIST is not here "
                       "(%s%s); set MNIST_DIR to a folder of MNIST's four IDX files, or run make datasets\n",
                       path, found ? "only Fashion-MNIST was found, in " : "", found ? place.dir : error);
                free(path);
                return LESSON_SKIPPED;
            }
            output = demo_output(run, chapter, path, "");
            if (output == NULL || !check_lesson_pictures(chapter, path)) {
                free(output), free(path);
                return 0;
            }
            setenv("KIT_DATASET", "fashion-mnist", 1);
            char *text = read_file(path, 0);
            int has_fashion_blocks = text && strstr(text, "\n```output fashion-mnist\n") != NULL;
            free(text);
            if (has_fashion_blocks && (fashion_output = demo_output(run, chapter, path, "-fashion-mnist")) == NULL) {
                free(output), free(path);
                return 0;
            }
        } else if ((output = demo_output(run, chapter, path, "")) == NULL || !check_lesson_pictures(chapter, path)) {
            free(output), free(path);
            return 0;
        }
    }
    int ok = check_lesson_text(chapter, path, output, fashion_output);
    free(output), free(fashion_output);
    free(path);
    return ok;
}

/* ---- main -------------------------------------------------------------- */

/* ---- the subcommands ------------------------------------------------------ */

static _Noreturn void usage(void);

/* Reads the value of the option at argv[*i] into *value when its name is name: 1 when it did (then *i is past it). */
static int option_value(int argc, char **argv, int *i, const char *name, const char **value)
{
    if (strcmp(argv[*i], name) != 0)
        return 0;
    if (*i + 1 >= argc)
        die("%s needs a value (see: grade help)", name);
    *value = argv[++*i];
    return 1;
}

/* The options of every subcommand that builds learner code: where the code is, where it is built, the seed. */
static int common_option(int argc, char **argv, int *i)
{
    const char *color = NULL;
    if (option_value(argc, argv, i, "--from", &options.from) || option_value(argc, argv, i, "--build", &options.build))
        return 1;
    if (option_value(argc, argv, i, "--seed", &options.seed))
        return 1;
    if (option_value(argc, argv, i, "--color", &color)) {
        if (strcmp(color, "always") == 0)
            options.color = 1;
        else if (strcmp(color, "never") == 0)
            options.color = 0;
        else if (strcmp(color, "auto") != 0)
            die("--color takes auto, always or never, got '%s'", color);
        return 1;
    }
    return 0;
}

/* The chapter a subcommand that takes exactly one names (0 names the introduction where intro_ok). */
static const Chapter *one_chapter(const char *command, const char *const *named, int count, int intro_ok)
{
    if (count != 1)
        die("grade %s takes one chapter; the written chapters are %s", command, course_written_list(&course));
    const Chapter *chapter = intro_ok && strcmp(named[0], "0") == 0 ? course_intro(&course)
                                                                    : course_find(&course, named[0]);
    if (chapter == NULL)
        die("there is no chapter '%s'; the chapters are %s", named[0], course_id_list(&course));
    return chapter;
}

/* The run the options ask for. Its build folder by default: one per source of code, so that grading the reference
 * never replaces the learner's, and one of its own for make debug. */
static Run run_of_options(void)
{
    Run run = {.from = options.from, .build = options.build, .seed = options.seed, .hidden = options.hidden};
    if (run.build == NULL && options.debug)
        run.build = "build/grade/debug";
    if (run.build == NULL)
        run.build = format_string("build/grade/%s", strcmp(run.from, "lessons") == 0     ? "lessons"
                                                    : strcmp(run.from, "solutions") == 0 ? "solutions"
                                                                                         : "other");
    return run;
}

/* make debug CH=x.y ONLY=id: after grading the chapter (which builds its check program with -g), runs that one check
 * in gdb, in this very process tree and outside the sandbox, with the data set and seed grading used. */
static int debug_check(const Run *run, const char *const *requested, int requested_count)
{
    if (requested_count != 1 || options.only == NULL || strchr(options.only, ','))
        die("make debug takes one chapter and one of its checks: make debug CH=1.1 ONLY=<check id> (the report "
            "of make grade CH=1.1 names the id of every failed check)");
    const Chapter *chapter = course_find(&course, requested[0]);
    const ChapterResult *result = chapter_results[chapter->index];
    if (result == NULL || !result->compiled)
        die("chapter %s does not compile, so there is no check to debug: its report above says where", chapter->id);
    char *program = format_string("%s/%s/check", run->build, chapter->id);
    char *work = format_string("%s/%s/debug", run->build, chapter->id);
    make_dirs(work);
    const char *file_id = options.only;
    for (int i = 0; i < result->fixture->check_count; i++)
        if (strcmp(result->fixture->checks[i].id, options.only) == 0)
            file_id = result->fixture->checks[i].file_id;
    for (int k = 1; clean_environment[k]; k++)
        putenv(clean_environment[k]);
    printf("\nStarting gdb on check %s of chapter %s. Type 'break <your function>' (for example the one the check "
           "names), then 'run'; 'bt' shows where a crash happened, 'next' and 'print' step through your code, 'quit' "
           "leaves.\n\n",
           options.only, chapter->id);
    fflush(stdout);
    execlp("gdb", "gdb", "-q", "--args", program, "--run", work, "--one", file_id, "--seed", run->seed,
           (char *)NULL);
    die("cannot start gdb (%s): install it with apt-get install gdb", strerror(errno));
    return 2;
}

/* --trust-links takes the chapters that are only linked as passing without grading them: true of the reference
 * solutions alone (whose own checks the solutions and bars tests run), so only with --from solutions, chapters named,
 * and no --use for a chapter that is not named. For the mutant tests, whose linked chapters are always the reference. */
static void check_trusted_links(const Run *run, int requested_count)
{
    if (strcmp(run->from, "solutions") != 0 || requested_count == 0)
        die("--trust-links takes the chapters the named ones link as passing, without grading them, which holds for "
            "the reference solutions only: use it with --from solutions and the chapters to grade named (got --from "
            "%s%s)", run->from, requested_count == 0 ? " and no chapter named" : "");
    for (int k = 0; k < options.use_count; k++) {
        const Chapter *chapter = course_find(&course, options.use_chapter[k]);
        if (chapter == NULL || !named_chapter[chapter->index])
            die("--trust-links takes the chapters the named ones link as the reference, but --use %s=%s replaces "
                "chapter %s, which is not named: name it too, or leave out --trust-links",
                options.use_chapter[k], options.use_file[k], options.use_chapter[k]);
    }
}

/* The grading itself (make grade), and make debug, which grades one chapter and then starts gdb on one check. */
static int grade_command(int argc, char **argv, int debug)
{
    const char *requested[MAX_CHAPTERS];
    int requested_count = 0;
    const char *submission = NULL, *use = NULL;
    options.debug = debug;
    options.no_memcheck = debug;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (common_option(argc, argv, &i) || option_value(argc, argv, &i, "--only", &options.only))
            continue;
        if (!debug && (option_value(argc, argv, &i, "--results", &options.results) ||
                       option_value(argc, argv, &i, "--junit", &options.junit) ||
                       option_value(argc, argv, &i, "--gradescope", &options.gradescope) ||
                       option_value(argc, argv, &i, "--html", &options.html) ||
                       option_value(argc, argv, &i, "--submission", &submission)))
            continue;
        if (!debug && option_value(argc, argv, &i, "--use", &use)) {
            char *spec = format_string("%s", use);
            char *equals = strchr(spec, '=');
            if (equals == NULL || options.use_count == MAX_CHAPTERS)
                die("--use takes CHAPTER=FILE, got '%s'", spec);
            *equals = '\0';
            options.use_chapter[options.use_count] = spec;
            options.use_file[options.use_count++] = equals + 1;
        } else if (!debug && strcmp(a, "--no-memcheck") == 0)
            options.no_memcheck = 1;
        else if (strcmp(a, "--fresh") == 0)
            options.fresh = 1;
        else if (!debug && strcmp(a, "--skip-training") == 0)
            options.skip_training = 1;
        else if (!debug && strcmp(a, "--trust-links") == 0)
            options.trust_links = 1;
        else if (!debug && strcmp(a, "--hidden") == 0)
            options.hidden = 1;
        else if (!debug && strcmp(a, "--coverage") == 0)
            options.coverage = 1;
        else if (a[0] == '-')
            usage();
        else if (requested_count < MAX_CHAPTERS)
            requested[requested_count++] = a;
    }
    double started_at = now_seconds();
    sandbox_choose(".", "build", options.coverage);
    Run the_run = run_of_options();
    Run *run = &the_run;
    /* CI grading: the results in every format, where the options do not say otherwise */
    const char *results = options.results, *junit = options.junit, *gradescope = options.gradescope;
    if (submission) {
        prepare_submission(run, submission);
        sandbox_hide_references();
        results = results ? results : "build/submission/results.tsv";
        junit = junit ? junit : "build/submission/junit.xml";
        gradescope = gradescope ? gradescope : "build/submission/results.json";
    }

    /* check every requested chapter before grading anything */
    int graded[MAX_CHAPTERS] = {0};
    for (int r = 0; r < requested_count; r++) {
        const Chapter *chapter = course_find(&course, requested[r]);
        if (chapter == NULL)
            die("there is no chapter '%s'; the chapters are %s", requested[r], course_id_list(&course));
        if (!chapter->written)
            die("chapter %s (%s) is not written yet: it is coming; the written chapters are %s", chapter->id,
                chapter->title, course_written_list(&course));
        graded[chapter->index] = 1;
        named_chapter[chapter->index] = 1;
        any_chapter_named = 1;
    }
    if (requested_count == 0)
        for (int i = 0; i < course.count; i++)
            graded[i] = course.chapters[i].written;
    if (options.only)
        check_only_ids(requested, requested_count);
    if (options.trust_links)
        check_trusted_links(run, requested_count);

    int marked[MAX_CHAPTERS] = {0};
    for (int i = 0; i < course.count; i++)
        if (graded[i])
            count_to_grade(&course.chapters[i], marked);
    for (int i = 0; i < course.count; i++)
        if (graded[i])
            grade_chapter(run, &course.chapters[i]);
    clear_progress();
    if (debug)
        return debug_check(run, requested, requested_count);

    Report report = {.course = &course, .results = chapter_results, .graded = graded, .detailed = requested_count > 0,
                     .from = run->from, .color = options.color, .dataset_name = dataset.name,
                     .dataset_dir = dataset.dir, .dataset_problem = dataset.problem,
                     .hidden = run->hidden,
                     .html_path = options.html ? options.html : format_string("%s/report.html", run->build),
                     .sandbox = sandbox_description()};
    summarize(&report);
    int all_passed = print_report(&report);
    if (results)
        write_results(&report, results);
    if (junit)
        write_junit(&report, junit);
    if (gradescope)
        write_gradescope(&report, gradescope, now_seconds() - started_at);
    write_html(&report, report.html_path);
    return all_passed ? 0 : 1;
}

static int grade_main(int argc, char **argv) { return grade_command(argc, argv, 0); }

static int debug_main(int argc, char **argv) { return grade_command(argc, argv, 1); }

/* The chapter's demo (make run), or another program of its lesson (--program final_exam). */
static int demo_main(int argc, char **argv)
{
    const char *named[MAX_CHAPTERS];
    int count = 0;
    for (int i = 1; i < argc; i++) {
        if (common_option(argc, argv, &i) || option_value(argc, argv, &i, "--program", &demo_program))
            continue;
        if (argv[i][0] == '-')
            usage();
        if (count < MAX_CHAPTERS)
            named[count++] = argv[i];
    }
    if (count != 1)
        die("which chapter's demo? say it with CH, for example: make run CH=1.1 (the written chapters are %s)",
            course_written_list(&course));
    const Chapter *chapter = one_chapter("demo", named, count, 0);
    if (!chapter->written)
        die("chapter %s (%s) is not written yet: it is coming; the written chapters are %s", chapter->id,
            chapter->title, course_written_list(&course));
    Run run = run_of_options();
    return run_demo(&run, chapter);
}

/* make fixtures: the fixtures, hidden cases and stub records of the chapters named (every one by default). */
static int record_main(int argc, char **argv)
{
    int graded[MAX_CHAPTERS] = {0}, any = 0;
    for (int i = 1; i < argc; i++) {
        if (option_value(argc, argv, &i, "--fixtures", &options.fixtures))
            continue;
        if (argv[i][0] == '-')
            usage();
        const Chapter *chapter = course_find(&course, argv[i]);
        if (chapter == NULL)
            die("there is no chapter '%s'; the chapters are %s", argv[i], course_id_list(&course));
        graded[chapter->index] = any = 1; /* a chapter's fixtures are recorded before it is marked written */
    }
    for (int i = 0; i < course.count && !any; i++)
        graded[i] = course.chapters[i].written;
    sandbox_choose(".", "build", 0); /* the untouched stubs' checks run as grading runs them (record_stub) */
    /* OpenBLAS picks its kernels by CPU, and an AVX-512 kernel rounds a sum in another order than the AVX2 one:
       the fixtures are recorded with the AVX2 kernels, which every machine the kit runs on has, so that
       recording them again anywhere gives the same files, bit for bit */
    environment_add("OPENBLAS_CORETYPE=Haswell");
    for (int i = 0; i < course.count; i++)
        if (graded[i])
            record_fixture(&course.chapters[i]);
    return 0;
}

/* make test's lesson check: every output block of the lesson is what its demo prints now. */
static int lesson_main(int argc, char **argv)
{
    const char *named[MAX_CHAPTERS], *output_file = NULL;
    int count = 0;
    for (int i = 1; i < argc; i++) {
        if (option_value(argc, argv, &i, "--output-of", &output_file))
            continue;
        if (argv[i][0] == '-')
            usage();
        if (count < MAX_CHAPTERS)
            named[count++] = argv[i];
    }
    const Chapter *chapter = one_chapter("lesson", named, count, 1);
    int verdict = check_lesson(chapter, output_file);
    return verdict == LESSON_SKIPPED ? LESSON_SKIPPED : verdict ? 0 : 1;
}

/* The hand-written mutants of a chapter (grader/mutants/<chapter>.txt): listed, or one written out. */
static int mutants_command(int argc, char **argv, int write)
{
    const char *positional[4];
    int count = 0;
    for (int i = 1; i < argc; i++) {
        if (option_value(argc, argv, &i, "--mutants-file", &mutants_file))
            continue;
        if (argv[i][0] == '-' || count == 4)
            usage();
        positional[count++] = argv[i];
    }
    if (count != (write ? 3 : 1))
        usage();
    const Chapter *chapter = one_chapter(argv[0], positional + count - 1, 1, 0);
    return write ? write_mutant(chapter, positional[0], positional[1]) : list_mutants(chapter);
}

static int mutants_main(int argc, char **argv) { return mutants_command(argc, argv, 0); }

static int write_mutant_main(int argc, char **argv) { return mutants_command(argc, argv, 1); }

/* The written chapters, one a line: "id folder", and with --functions the functions each one's learner writes. */
static int chapters_main(int argc, char **argv)
{
    int functions = argc == 2 && strcmp(argv[1], "--functions") == 0;
    if (argc != 1 && !functions)
        usage();
    for (int i = 0; i < course.count; i++)
        if (course.chapters[i].written)
            printf("%s %s%s%s\n", course.chapters[i].id, course.chapters[i].folder, functions ? " " : "",
                   functions ? course.chapters[i].functions : "");
    return 0;
}

static int map_main(int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        usage();
    print_course_map(&course);
    return 0;
}

static int sandbox_main(int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        usage();
    sandbox_choose(".", "build", 0);
    printf("Sandbox: %s\n", sandbox_description());
    return 0;
}

static int help_main(int argc, char **argv);

/* Every subcommand: its name, what it does, and its arguments. */
static const struct {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand's name */
    const char *arguments;
    const char *what;
} subcommands[] = {
    {"grade", grade_main,
     "[--from DIR] [--use CHAPTER=FILE]... [--build DIR] [--results FILE] [--junit FILE] [--gradescope FILE]\n"
     "        [--html FILE] [--hidden] [--coverage] [--submission FOLDER|TARBALL] [--seed N] [--no-memcheck]\n"
     "        [--fresh] [--only ID,ID...] [--skip-training] [--trust-links] [--color auto|always|never] [CHAPTER...]",
     "grade the chapters (every written one by default): make grade; the subcommand when none is named.\n"
     "        --fresh: compute everything, reuse nothing (a linked chapter that passed before and has not changed,\n"
     "        an untouched stub's recorded verdicts); --trust-links (with --from solutions): the chapters the named\n"
     "        ones link are the reference, taken as passing without grading them (the instructors' mutant tests)"},
    {"debug", debug_main, "--only ID [--from DIR] [--seed N] CHAPTER",
     "grade the chapter built with -O0, then start gdb on that one check: make debug"},
    {"demo", demo_main, "[--from DIR] [--program NAME] CHAPTER",
     "build and run the chapter's demo (or NAME.c beside it, e.g. final_exam): make run"},
    {"record", record_main, "[--fixtures DIR] [CHAPTER...]",
     "record the fixtures, hidden cases and stub records from solutions/: make fixtures"},
    {"lesson", lesson_main, "[--output-of FILE] CHAPTER", "check the lesson's output blocks against its demo (0: the introduction)"},
    {"mutants", mutants_main, "[--mutants-file FILE] CHAPTER", "list the chapter's hand-written mutants"},
    {"write-mutant", write_mutant_main, "[--mutants-file FILE] NAME FILE CHAPTER", "write one mutant of the reference"},
    {"chapters", chapters_main, "[--functions]",
     "the written chapters, one a line: id folder (and the functions the learner writes); the shell tools ask this"},
    {"map", map_main, "", "the course map as a Markdown table"},
    {"sandbox", sandbox_main, "", "how the learner's code runs here (KIT_SANDBOX=auto|bubblewrap|none)"},
    {"contain", NULL, "...", "the supervisor of the checks inside the sandbox (sandbox.c; not for people)"},
    {"help", help_main, "", "this list"},
};
#define SUBCOMMAND_COUNT ((int)(sizeof subcommands / sizeof subcommands[0]))

static void print_usage(FILE *to)
{
    fprintf(to, "usage: grade [SUBCOMMAND] [ARGUMENTS]   (run from the kit's top folder)\n");
    for (int k = 0; k < SUBCOMMAND_COUNT; k++)
        fprintf(to, "  grade %s %s\n        %s\n", subcommands[k].name, subcommands[k].arguments, subcommands[k].what);
}

static int help_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    print_usage(stdout);
    return 0;
}

static _Noreturn void usage(void)
{
    print_usage(stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    int k = 0;
    while (k < SUBCOMMAND_COUNT && (argc < 2 || strcmp(argv[1], subcommands[k].name) != 0))
        k++;
    if (k < SUBCOMMAND_COUNT && strcmp(subcommands[k].name, "contain") == 0)
        return contain_main(argc, argv); /* the supervisor in the sandbox: nothing else of the kit is there */
    options.from = "lessons";
    options.seed = "1";
    options.fixtures = "grader/fixtures";
    locate_timeout = locate_in_stack;
    options.color = isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
    setenv("LC_ALL", "C", 1); /* the compiler's messages in plain ASCII, the same on every machine */
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd) == NULL || !file_exists("grader/course.txt"))
        die("run me from the kit's top folder (where grader/course.txt is)");
    options.root = cwd;
    course_read(&course, "grader/course.txt");
    /* no subcommand named: grading ("grade 1.1", "grade --from solutions") */
    return k < SUBCOMMAND_COUNT ? subcommands[k].run(argc - 1, argv + 1) : grade_main(argc, argv);
}
