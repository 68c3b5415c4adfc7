/*
 * sandbox.c: how the grade tool runs the learner's code, and what that code cannot do.
 *
 * Every check runs as a process of its own (check --run DIR --one ID), started by a supervisor
 * that never links learner code: this program, run as "grade contain" inside the sandbox, or the
 * grade tool itself where there is no sandbox. For each check the supervisor
 *   - makes a fresh scratch folder, the only place the check may write;
 *   - sets the limits (CPU time, memory, file size, processes) and starts the check with a clean
 *     environment, no open descriptor but stdin (/dev/null), stdout and stderr (its .log), and
 *     no way to gain privileges;
 *   - waits for it with a wall-clock limit, then counts and kills every process it left behind
 *     (it is the "subreaper" of all of them, so none escapes by leaving its process group);
 *   - copies the regular files the check wrote (capped) into the results folder, and writes the
 *     check's status itself: how it ended, how many processes it left running, and how long it ran.
 * The results folder is not mounted in the sandbox: the supervisor writes it through a descriptor
 * the check never gets. The grade tool judges only what is in the results folder.
 *
 * With bubblewrap (Debian package bubblewrap) the supervisor and its checks run with no network,
 * in process, IPC and host-name namespaces of their own, the system (/usr, /etc) read-only, and of
 * the kit only the check program, the data set (read-only) and the scratch folder: not the
 * reference solutions, not the fixtures, not the hidden cases, not the grade tool's results. In CI
 * grading mode (a submission), the compiler and tar run in such a sandbox too, so that an
 * #include or an archive cannot reach what the sandbox hides.
 *
 * Root is not bound by the process limit (RLIMIT_NPROC) and may write every file: when the grade
 * tool runs as root, learner code runs as the user nobody. Without bubblewrap, CI grading as root
 * also makes solutions/ and grader/hidden/ readable by root only while it grades.
 * The README's section "Threat model" says what each mode protects, and what it does not.
 */
#define _GNU_SOURCE
#include "grade.h"
#include "process.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define COLLECT_MAX_FILES 512            /* files copied from one scratch folder */
#define RESULTS_FD 3                     /* the results folder, as the supervisor in the sandbox gets it */

static struct {
    int chosen;
    int bubblewrap;        /* learner code runs in a bubblewrap sandbox */
    char *bwrap;           /* bwrap's path */
    int as_root;           /* the grade tool runs as root */
    int drop;              /* learner code runs as another user (nobody) */
    uid_t uid;             /* who runs learner code */
    gid_t gid;
    char *description;     /* one line for the report */
    char *root;            /* the kit's folder, absolute */
    char *grade;           /* this program, absolute */
} sandbox;

/* ---- processes (the primitives are in process.c) --------------------------- */

/* Runs argv as a child in a process group of its own (stdin /dev/null, stdout and stderr into log_path) and
 * kills the group after limit_seconds. envp NULL keeps the environment. Returns the wait status, -1 on a timeout. */
int run_process(char **argv, char **envp, const char *log_path, double limit_seconds)
{
    SpawnRequest request = spawn_request(argv, log_path);
    request.envp = envp;
    pid_t pid = spawn(&request);
    if (pid < 0)
        die("cannot start %s: %s", argv[0], strerror(errno));
    int status;
    int ended = wait_until(pid, &status, limit_seconds);
    kill(-pid, SIGKILL);
    if (ended)
        return status;
    kill_group_and_wait(pid);
    return -1;
}

/* ---- the supervisor ------------------------------------------------------ */

typedef struct {
    int results_fd;          /* the chapter's folder, where the results subfolders are */
    const char *work_root;   /* where the scratch folders are made */
    rlim_t process_limit;    /* RLIMIT_NPROC of a check */
    int drop;
    uid_t uid;
    gid_t gid;
    char **envp;
} Supervisor;

/* Writes text into <results>/<name> as a new regular file (whatever was there is replaced). */
static int write_result(int results_fd, const char *results, const char *name, const char *text, size_t size)
{
    char *path = format_string("%s/%s", results, name);
    unlinkat(results_fd, path, 0);
    int fd = openat(results_fd, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    free(path);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, text + done, size - done);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    return close(fd) == 0 && done == size ? 0 : -1;
}

/* Copies the regular files of a scratch folder (not links, pipes or folders; each capped) into the results. */
static void collect(const char *work, int results_fd, const char *results, const char *status_name)
{
    DIR *folder = opendir(work);
    if (folder == NULL)
        return;
    int files = 0;
    char *buffer = malloc(1 << 16);
    if (buffer == NULL)
        die("out of memory");
    for (struct dirent *entry; (entry = readdir(folder)) != NULL && files < COLLECT_MAX_FILES;) {
        if (entry->d_name[0] == '.' || strcmp(entry->d_name, status_name) == 0)
            continue;
        int from = openat(dirfd(folder), entry->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        struct stat st;
        if (from < 0)
            continue;
        if (fstat(from, &st) != 0 || !S_ISREG(st.st_mode)) {
            close(from);
            continue;
        }
        files++;
        char *path = format_string("%s/%s", results, entry->d_name);
        unlinkat(results_fd, path, 0);
        int to = openat(results_fd, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        free(path);
        long copied = 0;
        ssize_t n;
        while (to >= 0 && copied < OUTPUT_CAP_BYTES && (n = read(from, buffer, 1 << 16)) > 0) {
            if (write(to, buffer, (size_t)n) != n)
                break;
            copied += n;
        }
        if (to >= 0)
            close(to);
        close(from);
    }
    free(buffer);
    closedir(folder);
}

/* Replaces every "{work}" in an argument by the scratch folder, and every "{limit}" by the time limit in seconds. */
static char *substitute(const char *arg, const char *work, const char *limit)
{
    const char *at_work = strstr(arg, "{work}"), *at_limit = strstr(arg, "{limit}");
    const char *at = at_work && (!at_limit || at_work < at_limit) ? at_work : at_limit;
    if (at == NULL)
        return format_string("%s", arg);
    int is_work = at == at_work;
    char *rest = substitute(at + (is_work ? 6 : 7), work, limit);
    char *s = format_string("%.*s%s%s", (int)(at - arg), arg, is_work ? work : limit, rest);
    free(rest);
    return s;
}

/* Writes the status of a job the supervisor did not start: check after timed out before it. */
static void skip_job(const Supervisor *s, const Job *job, const char *after)
{
    Status status = status_not_run(after);
    char text[512];
    status_format(&status, text, sizeof text);
    char *status_name = format_string("%s.status", job->name);
    if (write_result(s->results_fd, job->results, status_name, text, strlen(text)) != 0)
        die("cannot write the status of %s into %s: %s", job->name, job->results, strerror(errno));
    free(status_name);
}

/* Runs one job under the supervisor (see the top of this file) with the time limit given; after names the check
 * whose timeout cut that limit, or is NULL. Returns how the job ended. */
static Ending contain_job(const Supervisor *s, const Job *job, double limit, const char *after)
{
    char *work = format_string("%s/job-XXXXXX", s->work_root);
    if (mkdtemp(work) == NULL)
        die("cannot make a scratch folder in %s: %s", s->work_root, strerror(errno));
    if (s->drop)
        chmod(work, 0777); /* the check runs as another user than its supervisor */
    char *log_name = format_string("%s.log", job->name);
    char *status_name = format_string("%s.status", job->name);
    char *log_path = format_string("%s/%s", work, log_name);
    int argc = 0;
    while (job->argv[argc])
        argc++;
    char **argv = allocate((size_t)(argc + 1) * sizeof *argv);
    char *limit_text = format_string("%g", limit);
    for (int i = 0; i < argc; i++)
        argv[i] = substitute(job->argv[i], work, limit_text);
    free(limit_text);

    SpawnRequest request = spawn_request(argv, log_path);
    request.envp = s->envp;
    request.log_exclusive = 1;
    request.limits = (ProcessLimits){.no_core = 1, .file_bytes = OUTPUT_CAP_BYTES, .processes = (long)s->process_limit};
    if (job->capped) {
        request.limits.memory_bytes = MEMORY_CAP_BYTES;
        request.limits.cpu_seconds = (long)limit + CPU_GRACE_SECONDS;
    }
    request.no_new_privileges = 1;
    request.as_user = s->drop;
    request.uid = s->uid;
    request.gid = s->gid;
    request.die_with_parent = 1;
    double started = now_seconds();
    pid_t pid = spawn(&request);
    if (pid < 0)
        die("cannot start a process for %s: %s", job->name, strerror(errno));
    int wstatus = 0;
    int ended = wait_until(pid, &wstatus, limit);
    double seconds = now_seconds() - started;
    /* count what is still running, then kill it all: the check itself too, when it timed out */
    int left = kill_descendants();
    if (!ended)
        left = left > 0 ? left - 1 : 0;
    Status status = ended ? status_from_wait(wstatus, pid) : status_timed_out(limit, pid);
    if (after)
        snprintf(status.after, sizeof status.after, "%s", after);
    status.processes_left = left;
    status.process_limit = PROCESS_LIMIT;
    status.seconds = seconds;
    char full[512];
    status_format(&status, full, sizeof full);
    collect(work, s->results_fd, job->results, status_name);
    if (write_result(s->results_fd, job->results, status_name, full, strlen(full)) != 0)
        die("cannot write the status of %s into %s: %s", job->name, job->results, strerror(errno));
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
    free(work);
    free(log_name);
    free(status_name);
    free(log_path);
    return status.ending;
}

/*
 * Runs the jobs in turn (the short checks first: grade.c orders them), each with its own limit, until one times
 * out. From then on the short checks run with at most LIMIT_AFTER_TIMEOUT_SECONDS, and neither the long ones nor the
 * twin of a check that timed out (the same check with the hidden cases' inputs: the same name in another results
 * folder) run at all, so that an endless loop is judged in seconds. done(i, NULL, context), when given, is called as
 * job i's results are there, before the next job runs.
 */
static void contain_jobs(const Supervisor *s, const Job *jobs, int count, void (*done)(int, const char *, void *),
                         void *context)
{
    const char *first_timeout = NULL;
    int *timed_out = allocate((size_t)(count > 0 ? count : 1) * sizeof *timed_out);
    for (int i = 0; i < count; i++) {
        const Job *job = &jobs[i];
        const char *twin = NULL;
        for (int k = 0; k < i && twin == NULL; k++)
            if (timed_out[k] && strcmp(jobs[k].name, job->name) == 0)
                twin = jobs[k].name;
        if (twin || (first_timeout && job->timeout >= LONG_CHECK_SECONDS)) {
            skip_job(s, job, twin ? twin : first_timeout);
        } else {
            int cut = first_timeout && job->timeout > LIMIT_AFTER_TIMEOUT_SECONDS;
            Ending ending = contain_job(s, job, cut ? LIMIT_AFTER_TIMEOUT_SECONDS : job->timeout,
                                        cut ? first_timeout : NULL);
            timed_out[i] = ending == ENDED_TIMEOUT;
            if (timed_out[i] && first_timeout == NULL)
                first_timeout = job->name;
        }
        if (done)
            done(i, NULL, context);
    }
    free(timed_out);
}

/*
 * grade contain NPROC UID GID DROP WORK_ROOT [NAME RESULTS TIMEOUT CAPPED ARGC ARG...]...
 * The supervisor in the sandbox: runs each job in turn; the results folder is descriptor 3.
 */
int contain_main(int argc, char **argv)
{
    if (argc < 7)
        die("contain: too few arguments");
    extern char **environ;
    Supervisor s = {RESULTS_FD, argv[6], (rlim_t)strtoul(argv[2], NULL, 10), atoi(argv[5]),
                    (uid_t)strtoul(argv[3], NULL, 10), (gid_t)strtoul(argv[4], NULL, 10), environ};
    fcntl(RESULTS_FD, F_SETFD, FD_CLOEXEC);
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); /* no check may read this process's memory or descriptors */
    Job *jobs = allocate((size_t)argc * sizeof *jobs);
    int count = 0;
    for (int i = 7; i < argc;) {
        if (i + 5 > argc)
            die("contain: a job needs NAME RESULTS TIMEOUT CAPPED ARGC ARG...");
        int n = atoi(argv[i + 4]);
        if (n < 1 || i + 5 + n > argc)
            die("contain: job %s has a bad argument count", argv[i]);
        char **job_argv = allocate((size_t)(n + 1) * sizeof *job_argv); /* the job's own, ending with NULL */
        memcpy(job_argv, argv + i + 5, (size_t)n * sizeof *job_argv);
        job_argv[n] = NULL;
        jobs[count++] = (Job){argv[i], argv[i + 1], atof(argv[i + 2]), atoi(argv[i + 3]), job_argv};
        i += 5 + n;
    }
    contain_jobs(&s, jobs, count, NULL, NULL);
    return 0;
}

/* ---- choosing the protection ------------------------------------------------ */

static char *absolute(const char *path)
{
    char *resolved = realpath(path, NULL);
    if (resolved == NULL)
        die("cannot find %s: %s", path, strerror(errno));
    return resolved;
}

/* The folders made so far in the sandbox being described (bubblewrap would make them 0700). */
static char *made[256];
static int made_count;

static void forget_made(void)
{
    for (int i = 0; i < made_count; i++)
        free(made[i]);
    made_count = 0;
}

/* The arguments every sandbox starts with: namespaces and the read-only system. */
static void add_base(Args *args, int supervisor)
{
    args_add(args, sandbox.bwrap);
    if (sandbox.as_root) {
        /* as root, bubblewrap keeps every capability unless told: keep only what the supervisor needs to
           become nobody and to kill what nobody leaves behind (learner code then has none), and none for
           the compiler */
        const char *namespaces[] = {"--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
                                    "--unshare-cgroup-try", "--cap-drop", "ALL"};
        for (size_t i = 0; i < sizeof namespaces / sizeof namespaces[0]; i++)
            args_add(args, namespaces[i]);
        if (supervisor) {
            const char *keep[] = {"--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_KILL"};
            for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
                args_add(args, keep[i]);
        }
    } else {
        args_add(args, "--unshare-all");
    }
    forget_made();
    const char *base[] = {"--die-with-parent", "--new-session", "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc",
                          "/etc", "--dev", "/dev", "--proc", "/proc", "--perms", "1777", "--tmpfs", "/tmp"};
    for (size_t i = 0; i < sizeof base / sizeof base[0]; i++)
        args_add(args, base[i]);
    /* /bin, /lib, ... are links into /usr on Debian; folders elsewhere */
    const char *top[] = {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"};
    for (size_t i = 0; i < sizeof top / sizeof top[0]; i++) {
        struct stat st;
        char target[PATH_MAX];
        if (lstat(top[i], &st) != 0)
            continue;
        if (S_ISLNK(st.st_mode)) {
            ssize_t n = readlink(top[i], target, sizeof target - 1);
            if (n <= 0)
                continue;
            target[n] = '\0';
            args_add(args, "--symlink");
            args_add(args, target);
        } else {
            args_add(args, "--ro-bind");
            args_add(args, top[i]);
        }
        args_add(args, top[i]);
    }
}

/* Makes the folders above path in the sandbox, each one that every user may enter. */
static void add_parents(Args *args, const char *path)
{
    static const char *mounted[] = {"/usr", "/etc", "/dev", "/proc", "/tmp"};
    for (const char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        char *folder = format_string("%.*s", (int)(slash - path), path);
        int known = 0;
        for (size_t i = 0; i < sizeof mounted / sizeof mounted[0]; i++)
            known |= strcmp(folder, mounted[i]) == 0;
        for (int i = 0; i < made_count && !known; i++)
            known = strcmp(folder, made[i]) == 0;
        if (known || made_count == (int)(sizeof made / sizeof made[0])) {
            free(folder);
            continue;
        }
        args_add(args, "--perms");
        args_add(args, "0755");
        args_add(args, "--dir");
        args_add(args, folder);
        made[made_count++] = folder;
    }
}

/* Adds a bind of path (made absolute) at the same place inside the sandbox. */
static void add_bind(Args *args, const char *path, int writable)
{
    char *where = absolute(path);
    add_parents(args, where);
    args_add(args, writable ? "--bind" : "--ro-bind");
    args_add(args, where);
    args_add(args, where);
    free(where);
}

/* Can user nobody enter the kit's folder and run programs from it? (Not when the kit is in /root, say.) */
static int nobody_can_enter(const char *folder)
{
    char *argv[] = {"test", "-x", (char *)folder, NULL};
    SpawnRequest request = spawn_request(argv, "/dev/null");
    request.as_user = 1;
    request.uid = sandbox.uid;
    request.gid = sandbox.gid;
    pid_t pid = spawn(&request);
    int status;
    if (pid < 0)
        return 0;
    if (!wait_until(pid, &status, 20)) {
        kill_group_and_wait(pid);
        return 0;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* The first line of a file, for a message. */
static char *first_line_of(const char *path)
{
    char *text = read_file(path, 4096);
    if (text == NULL || text[0] == '\0') {
        free(text);
        return format_string("%s", "no message");
    }
    text[strcspn(text, "\n")] = '\0';
    const char *shown = strncmp(text, "bwrap: ", 7) == 0 ? text + 7 : text;
    char *line = format_string("%s", shown);
    free(text);
    return line;
}

void sandbox_choose(const char *root, const char *build, int coverage)
{
    if (sandbox.chosen++)
        return;
    sandbox.root = absolute(root);
    sandbox.grade = absolute("/proc/self/exe");
    sandbox.as_root = geteuid() == 0;
    sandbox.uid = getuid();
    sandbox.gid = getgid();
    if (sandbox.as_root) {
        struct passwd *nobody = getpwnam("nobody");
        sandbox.uid = nobody ? nobody->pw_uid : 65534;
        sandbox.gid = nobody ? nobody->pw_gid : 65534;
    }
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); /* without a sandbox, this program is the supervisor */

    const char *wanted = getenv("KIT_SANDBOX");
    if (wanted == NULL || wanted[0] == '\0')
        wanted = "auto";
    if (strcmp(wanted, "auto") != 0 && strcmp(wanted, "none") != 0 && strcmp(wanted, "bubblewrap") != 0)
        die("KIT_SANDBOX=%s: say auto (the default), bubblewrap or none", wanted);
    char *reason = NULL;
    int chosen_off = coverage || strcmp(wanted, "none") == 0;
    if (coverage)
        reason = format_string("%s", "make coverage runs the checks without one, to collect their counts");
    else if (strcmp(wanted, "none") == 0)
        reason = format_string("%s", "KIT_SANDBOX=none");
    else if ((sandbox.bwrap = find_program("bwrap")) == NULL)
        reason = format_string("%s", "bwrap is not installed; on Debian or Ubuntu: sudo apt-get install bubblewrap");
    else {
        /* try it once, as it will be used */
        Args args = {0};
        add_base(&args, 1);
        args_add(&args, "--");
        args_add(&args, "/usr/bin/true");
        make_dirs(build);
        char *log_path = format_string("%s/sandbox-probe.log", build);
        int status = run_process(args.items, NULL, log_path, 20);
        if (status == 0)
            sandbox.bubblewrap = 1;
        else
            reason = first_line_of(log_path);
        free(log_path);
        args_free(&args);
    }
    if (!sandbox.bubblewrap && strcmp(wanted, "bubblewrap") == 0)
        die("KIT_SANDBOX=bubblewrap, but bubblewrap cannot run here: %s", reason);

    const char *who = "as you";
    char *note = format_string("%s", "");
    if (sandbox.as_root && coverage) {
        who = "as root (they run the reference solutions, and must write their counts where root keeps them)";
    } else if (sandbox.as_root) {
        sandbox.drop = 1;
        who = "as the user nobody";
        if (!sandbox.bubblewrap && !nobody_can_enter(sandbox.root)) {
            sandbox.drop = 0;
            who = "as root";
            free(note);
            note = format_string("; the user nobody cannot enter %s, so the process limit does not hold and "
                                 "the code can change the kit's files (install bubblewrap, or put the kit "
                                 "where every user can enter, such as /opt)", sandbox.root);
        }
    }
    /* root is not bound by the process limit: say it only where it holds */
    char *limit = sandbox.as_root && !sandbox.drop ? format_string("%s", "")
                                                   : format_string(", at most %d processes each", PROCESS_LIMIT);
    if (sandbox.bubblewrap)
        sandbox.description =
            format_string("bubblewrap (no network; the kit read-only, its solutions and hidden cases not there; "
                          "each check writes only its own scratch folder; checks run %s%s)", who, limit);
    else
        sandbox.description = format_string("none (bubblewrap %s: %s); checks run %s%s%s",
                                            chosen_off ? "not used" : "unavailable", reason, who, limit, note);
    free(limit);
    free(note);
    free(reason);
}

const char *sandbox_description(void) { return sandbox.description; }

int sandbox_is_bubblewrap(void) { return sandbox.bubblewrap; }

/* ---- running jobs ---------------------------------------------------------- */

/*
 * Runs the jobs (learner code) for the chapter whose folder is dir; each job's files land in
 * dir/<job results>/<job name>.{out,log,status}. binds are the files the jobs read (the check program,
 * the data set); envp their environment. done(i, problem, context) is called once job i's results are
 * there: without a sandbox at once, before the next job runs, so that no later check can change them
 * first; problem is NULL, or what went wrong with the sandbox itself. Returns that problem too.
 */
char *run_jobs(const char *dir, const Job *jobs, int count, const char *const *binds, char **envp,
               void (*done)(int, const char *, void *), void *context)
{
    char *work_root = format_string("%s/work", dir);
    remove_tree(work_root);
    make_dirs(work_root);
    for (int i = 0; i < count; i++) {
        char *results = format_string("%s/%s", dir, jobs[i].results);
        make_dirs(results);
        free(results);
    }
    int results_fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (results_fd < 0)
        die("cannot open %s: %s", dir, strerror(errno));
    rlim_t process_limit = (rlim_t)(count_user_processes(sandbox.uid) + PROCESS_LIMIT);
    char *problem = NULL;

    if (!sandbox.bubblewrap) {
        Supervisor s = {results_fd, work_root, process_limit, sandbox.drop, sandbox.uid, sandbox.gid, envp};
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        contain_jobs(&s, jobs, count, done, context);
    } else {
        Args args = {0};
        add_base(&args, 1);
        for (int i = 0; binds[i]; i++)
            add_bind(&args, binds[i], 0);
        add_bind(&args, sandbox.grade, 0);
        add_bind(&args, work_root, 1);
        args_add(&args, "--chdir");
        args_add(&args, sandbox.root);
        args_add(&args, "--");
        args_add(&args, sandbox.grade);
        args_add(&args, "contain");
        char *number = format_string("%lu", (unsigned long)process_limit);
        args_add(&args, number);
        free(number);
        number = format_string("%u", (unsigned)sandbox.uid);
        args_add(&args, number);
        free(number);
        number = format_string("%u", (unsigned)sandbox.gid);
        args_add(&args, number);
        free(number);
        args_add(&args, sandbox.drop ? "1" : "0");
        char *work_absolute = absolute(work_root);
        args_add(&args, work_absolute);
        double total = 10;
        for (int i = 0; i < count; i++) {
            int argc = 0;
            while (jobs[i].argv[argc])
                argc++;
            char *timeout = format_string("%g", jobs[i].timeout), *n = format_string("%d", argc),
                 *capped = format_string("%d", jobs[i].capped);
            const char *head[] = {jobs[i].name, jobs[i].results, timeout, capped, n};
            for (int k = 0; k < 5; k++)
                args_add(&args, head[k]);
            for (int k = 0; k < argc; k++)
                args_add(&args, jobs[i].argv[k]);
            free(timeout);
            free(n);
            free(capped);
            total += jobs[i].timeout + 2;
        }
        char *log_path = format_string("%s/sandbox.log", dir);
        SpawnRequest request = spawn_request(args.items, log_path);
        request.envp = envp;
        request.keep_fd = results_fd; /* the supervisor writes the results through it */
        request.keep_fd_as = RESULTS_FD;
        pid_t pid = spawn(&request);
        if (pid < 0)
            die("cannot start bubblewrap: %s", strerror(errno));
        int status;
        if (!wait_until(pid, &status, total)) {
            kill_group_and_wait(pid);
            problem = format_string("the sandbox ran past its overall time limit of %.0f s", total);
        } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            char *line = first_line_of(log_path);
            problem = format_string("the sandbox stopped (%s): %s", describe_wait_status(status), line);
            free(line);
        }
        kill(-pid, SIGKILL);
        kill_descendants(); /* bubblewrap's own helper comes back to this program when bubblewrap ends */
        for (int i = 0; i < count; i++)
            done(i, problem, context);
        free(log_path);
        free(work_absolute);
        args_free(&args);
    }
    close(results_fd);
    remove_tree(work_root);
    free(work_root);
    return problem;
}

/* ---- compiling and unpacking a submission ---------------------------------------- */

/* Gives a folder and what is in it to a user (nobody while it compiles; root again after). */
static uid_t owner_uid;
static gid_t owner_gid;

static int give_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    if (lchown(path, owner_uid, owner_gid) != 0)
        return 0;
    return 0;
}

static void give_tree(const char *path, uid_t uid, gid_t gid)
{
    owner_uid = uid;
    owner_gid = gid;
    nftw(path, give_entry, 32, FTW_PHYS);
}

/*
 * Runs a program that reads a submission (the compiler, tar) with the same protection as learner code:
 * in the sandbox, seeing only the files in reads and writes (writable); without one, as nobody when the
 * grade tool is root. Limits: 4 GiB of memory, the time limit as CPU time, 256 MiB per file.
 * Returns the wait status, or -1 when it timed out.
 */
int run_isolated(char **argv, const char *log_path, double limit_seconds, const char *const *reads,
                 const char *const *writes)
{
    Args args = {0};
    if (sandbox.bubblewrap) {
        add_base(&args, 0);
        for (int i = 0; reads[i]; i++)
            add_bind(&args, reads[i], 0);
        for (int i = 0; writes[i]; i++)
            add_bind(&args, writes[i], 1);
        char *inside_root = format_string("%s/.", sandbox.root); /* the kit's folder, to start in, even empty */
        add_parents(&args, inside_root);
        free(inside_root);
        args_add(&args, "--chdir");
        args_add(&args, sandbox.root);
        args_add(&args, "--");
    }
    for (int i = 0; argv[i]; i++)
        args_add(&args, argv[i]);
    if (!sandbox.bubblewrap && sandbox.drop)
        for (int i = 0; writes[i]; i++)
            give_tree(writes[i], sandbox.uid, sandbox.gid);

    SpawnRequest request = spawn_request(args.items, log_path);
    request.limits = (ProcessLimits){.no_core = 1, .memory_bytes = MEMORY_CAP_BYTES,
                                     .cpu_seconds = (long)limit_seconds, .file_bytes = COMPILE_FILE_CAP_BYTES};
    request.as_user = !sandbox.bubblewrap && sandbox.drop;
    request.uid = sandbox.uid;
    request.gid = sandbox.gid;
    request.die_with_parent = 1;
    pid_t pid = spawn(&request);
    if (pid < 0)
        die("cannot start %s: %s", argv[0], strerror(errno));
    int status;
    int ended = wait_until(pid, &status, limit_seconds);
    kill(-pid, SIGKILL);
    if (!ended) {
        kill_group_and_wait(pid);
        status = -1;
    }
    kill_descendants();
    if (!sandbox.bubblewrap && sandbox.drop)
        for (int i = 0; writes[i]; i++)
            give_tree(writes[i], getuid(), getgid());
    args_free(&args);
    return status;
}

/* ---- the folders CI grading hides without a sandbox ------------------------------ */

static const char *hidden_folders[] = {"solutions", "grader/hidden"};
static mode_t hidden_modes[2];
static int hidden_changed[2];

static void restore_hidden_folders(void)
{
    for (int i = 0; i < 2; i++)
        if (hidden_changed[i])
            chmod(hidden_folders[i], hidden_modes[i]);
}

/* In CI grading as root without bubblewrap, the learner's code (run as nobody) must not read the
 * reference solutions or the hidden cases: they are made readable by root only while grading. */
void sandbox_hide_references(void)
{
    if (sandbox.bubblewrap || !sandbox.drop)
        return;
    for (int i = 0; i < 2; i++) {
        struct stat st;
        if (stat(hidden_folders[i], &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        hidden_modes[i] = st.st_mode & 07777;
        if (chmod(hidden_folders[i], 0700) == 0)
            hidden_changed[i] = 1;
    }
    atexit(restore_hidden_folders);
    char *longer = format_string("%s; solutions/ and grader/hidden/ readable by root only while it grades",
                                 sandbox.description);
    free(sandbox.description);
    sandbox.description = longer;
}
