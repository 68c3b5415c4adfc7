/*
 * process.c: the boundary between the grade tool and the processes it starts (see process.h): limits,
 * spawn(), waiting, the process tree a check leaves behind, and the .status files.
 * It uses the C library alone: a check program links it too (runner.c writes the .status of the checks it runs
 * itself under Valgrind), so nothing here may exit on an error of its own; each function says what it returns.
 */
#define _GNU_SOURCE
#include "process.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
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

/* ---- limits -------------------------------------------------------------- */

static void set_limit(int resource, long value)
{
    struct rlimit r = {(rlim_t)value, (rlim_t)value};
    setrlimit(resource, &r);
}

void limits_apply(const ProcessLimits *limits)
{
    if (limits->no_core)
        set_limit(RLIMIT_CORE, 0);
    if (limits->memory_bytes > 0)
        set_limit(RLIMIT_AS, limits->memory_bytes);
    if (limits->cpu_seconds > 0)
        set_limit(RLIMIT_CPU, limits->cpu_seconds);
    if (limits->file_bytes > 0)
        set_limit(RLIMIT_FSIZE, limits->file_bytes);
    if (limits->processes > 0)
        set_limit(RLIMIT_NPROC, limits->processes);
}

/* ---- starting a program ---------------------------------------------------- */

int become_user(uid_t uid, gid_t gid)
{
    if (setgroups(0, NULL) != 0 || setgid(gid) != 0 || setuid(uid) != 0)
        return -1;
    if (getuid() != uid || geteuid() != uid || setuid(0) == 0)
        return -1;
    return 0;
}

/* Closes the descriptors from first to last (inclusive) where the kernel can, else one by one. */
static void close_range_of(unsigned first, unsigned last)
{
    if (first > last)
        return;
#ifdef SYS_close_range
    if (syscall(SYS_close_range, first, last, 0U) == 0)
        return;
#endif
    long max = sysconf(_SC_OPEN_MAX);
    unsigned top = (unsigned)(max > 0 && max < 65536 ? max : 65536);
    for (unsigned fd = first; fd <= last && fd < top; fd++)
        close((int)fd);
}

SpawnRequest spawn_request(char **argv, const char *log_path)
{
    SpawnRequest request;
    memset(&request, 0, sizeof request);
    request.argv = argv;
    request.log_path = log_path;
    request.keep_fd = -1;
    request.keep_fd_as = -1;
    return request;
}

pid_t spawn(const SpawnRequest *r)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid != 0)
        return pid; /* the parent, or -1 with errno */
    setpgid(0, 0);
    int null_fd = open("/dev/null", O_RDONLY);
    int flags = O_WRONLY | O_CREAT | (r->log_exclusive ? O_EXCL | O_NOFOLLOW : O_TRUNC);
    int log_fd = open(r->log_path, flags, 0644);
    if (null_fd < 0 || log_fd < 0)
        _exit(SPAWN_EXIT_NO_LOG);
    dup2(null_fd, STDIN_FILENO);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    int kept = -1;
    if (r->keep_fd >= 0) {
        kept = r->keep_fd_as;
        if (r->keep_fd != kept)
            dup2(r->keep_fd, kept);
        fcntl(kept, F_SETFD, 0); /* it crosses execve */
    }
    /* no descriptor but 0, 1, 2 (and the one kept): learner code gets none it was not meant to have */
    if (kept > STDERR_FILENO) {
        close_range_of(STDERR_FILENO + 1, (unsigned)kept - 1);
        close_range_of((unsigned)kept + 1, ~0U);
    } else {
        close_range_of(STDERR_FILENO + 1, ~0U);
    }
    limits_apply(&r->limits);
    if (r->no_new_privileges)
        prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if (r->as_user && become_user(r->uid, r->gid) != 0) {
        fprintf(stderr, "%s: %s\n", SPAWN_NO_USER_MESSAGE, strerror(errno));
        _exit(SPAWN_EXIT_NO_USER);
    }
    if (r->die_with_parent)
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0); /* after the switch of user, which clears it */
    if (r->envp)
        execve(r->argv[0], r->argv, r->envp);
    else
        execvp(r->argv[0], r->argv);
    fprintf(stderr, "%s%s: %s\n", SPAWN_NO_PROGRAM_MESSAGE, r->argv[0], strerror(errno));
    _exit(SPAWN_EXIT_NO_PROGRAM);
}

static double seconds_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + 1e-9 * (double)now.tv_nsec;
}

int wait_until(pid_t pid, int *wstatus, double limit_seconds)
{
    double start = seconds_now();
    struct timespec pause = {0, 200000};
    for (;;) {
        pid_t done = waitpid(pid, wstatus, WNOHANG);
        if (done == pid)
            return 1;
        if (done < 0 && errno != EINTR) {
            /* not our child any more (reaped elsewhere): say it ended, with the status of a child that could not
             * run (SPAWN_EXIT_NO_USER, 125) */
            *wstatus = SPAWN_EXIT_NO_USER << 8;
            return 1;
        }
        if (seconds_now() - start > limit_seconds)
            return 0;
        nanosleep(&pause, NULL);
        if (pause.tv_nsec < 2000000)
            pause.tv_nsec *= 2; /* 0.2 ms, 0.4, ... up to 3.2 ms: quick checks end quickly */
    }
}

void kill_group_and_wait(pid_t pid)
{
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    int wstatus;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
}

/* ---- the processes a check leaves behind ------------------------------------- */

/* Reads a process's parent and state from /proc/<pid>/stat; returns 0 when it is gone. */
static int process_info(pid_t pid, pid_t *parent, char *state)
{
    char path[64], text[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0)
        return 0;
    text[n] = '\0';
    const char *close_paren = strrchr(text, ')'); /* the command name may hold spaces and parentheses */
    int ppid;
    if (close_paren == NULL || sscanf(close_paren + 1, " %c %d", state, &ppid) != 2)
        return 0;
    *parent = ppid;
    return 1;
}

/* Does this process (single-threaded) have children? Read cheaply where the kernel lists them. */
static int has_children(void)
{
    char path[64], text[16];
    snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 1; /* cannot tell: look */
    ssize_t n = read(fd, text, sizeof text);
    close(fd);
    return n != 0;
}

/* Grows the three arrays of the /proc listing; 0 when memory ran out. */
static int grow(pid_t **pids, pid_t **parents, char **states, int *capacity)
{
    int more = *capacity ? 2 * *capacity : 1024;
    pid_t *p = realloc(*pids, (size_t)more * sizeof *p);
    if (p)
        *pids = p;
    pid_t *q = realloc(*parents, (size_t)more * sizeof *q);
    if (q)
        *parents = q;
    char *s = realloc(*states, (size_t)more);
    if (s)
        *states = s;
    if (p == NULL || q == NULL || s == NULL)
        return 0;
    *capacity = more;
    return 1;
}

/*
 * Lists the processes below top (children, grandchildren, ...). Orphans come back to top when it is their
 * subreaper, so this finds every process the checks started. Zombies are not counted in *alive.
 */
static int list_descendants(pid_t top, pid_t *found, int cap, int *alive)
{
    *alive = 0;
    if (!has_children())
        return 0;
    DIR *proc = opendir("/proc");
    if (proc == NULL)
        return 0;
    int capacity = 0, count = 0;
    pid_t *pids = NULL, *parents = NULL;
    char *states = NULL;
    for (struct dirent *entry; (entry = readdir(proc)) != NULL;) {
        char *end;
        long pid = strtol(entry->d_name, &end, 10);
        if (*end != '\0' || pid <= 0)
            continue;
        if (count == capacity && !grow(&pids, &parents, &states, &capacity))
            break; /* out of memory: kill what was found, the next round finds the rest */
        if (process_info((pid_t)pid, &parents[count], &states[count]))
            pids[count++] = (pid_t)pid;
    }
    closedir(proc);
    /* breadth first from top */
    int n = 0;
    pid_t *queue = malloc((size_t)(count + 1) * sizeof *queue);
    int head = 0, tail = 0;
    if (queue)
        queue[tail++] = top;
    while (head < tail) {
        pid_t p = queue[head++];
        for (int i = 0; i < count; i++) {
            if (parents[i] != p || pids[i] == top)
                continue;
            queue[tail++] = pids[i];
            parents[i] = -1; /* visited */
            if (states[i] != 'Z')
                (*alive)++;
            if (n < cap)
                found[n++] = pids[i];
        }
    }
    free(queue);
    free(pids);
    free(parents);
    free(states);
    return n;
}

int kill_descendants(void)
{
    static pid_t found[8192];
    int alive_at_first = -1;
    for (int round = 0; round < 5000; round++) {
        int alive;
        int n = list_descendants(getpid(), found, (int)(sizeof found / sizeof found[0]), &alive);
        if (alive_at_first < 0)
            alive_at_first = alive;
        for (int i = 0; i < n; i++)
            kill(found[i], SIGKILL);
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        if (alive == 0 && n == 0)
            break;
        struct timespec pause = {0, 1000000};
        nanosleep(&pause, NULL);
    }
    return alive_at_first < 0 ? 0 : alive_at_first;
}

long count_user_processes(uid_t uid)
{
    DIR *proc = opendir("/proc");
    if (proc == NULL)
        return 0;
    long count = 0;
    for (struct dirent *entry; (entry = readdir(proc)) != NULL;) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
            continue;
        char path[300];
        struct stat st;
        snprintf(path, sizeof path, "/proc/%s", entry->d_name);
        if (stat(path, &st) == 0 && st.st_uid == uid)
            count++;
    }
    closedir(proc);
    return count;
}

/* ---- how a check ended ------------------------------------------------------ */

static Status status_unknown(pid_t pid)
{
    Status s;
    memset(&s, 0, sizeof s);
    s.pid = (int)pid;
    s.processes_left = -1;
    s.seconds = -1;
    return s;
}

Status status_from_wait(int wstatus, pid_t pid)
{
    Status s = status_unknown(pid);
    if (WIFEXITED(wstatus)) {
        s.ending = ENDED_EXIT;
        s.code = WEXITSTATUS(wstatus);
    } else {
        s.ending = ENDED_SIGNAL;
        s.code = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
    }
    return s;
}

Status status_timed_out(double limit_seconds, pid_t pid)
{
    Status s = status_unknown(pid);
    s.ending = ENDED_TIMEOUT;
    s.limit_seconds = limit_seconds;
    return s;
}

Status status_not_run(const char *after)
{
    Status s = status_unknown(0);
    s.ending = ENDED_NOT_RUN;
    snprintf(s.after, sizeof s.after, "%s", after);
    return s;
}

int status_succeeded(const Status *s) { return s->ending == ENDED_EXIT && s->code == 0; }

int status_not_implemented(const Status *s)
{
    return s->ending == ENDED_EXIT && s->code == KIT_EXIT_NOT_IMPLEMENTED && s->stub_function[0] != '\0';
}

void status_describe(const Status *s, char *text, size_t size)
{
    if (s->ending == ENDED_TIMEOUT)
        snprintf(text, size, "timeout %g", s->limit_seconds);
    else if (s->ending == ENDED_NOT_RUN)
        snprintf(text, size, "not-run");
    else
        snprintf(text, size, "%s %d", s->ending == ENDED_EXIT ? "exited" : "signal", s->code);
}

int status_format(const Status *s, char *text, size_t size)
{
    char first[64];
    status_describe(s, first, sizeof first);
    int n = snprintf(text, size, "%s\npid %d\n", first, s->pid);
    if (n >= 0 && s->processes_left >= 0)
        n += snprintf(text + ((size_t)n < size ? (size_t)n : size), (size_t)n < size ? size - (size_t)n : 0,
                      "processes %d of %d\n", s->processes_left, s->process_limit);
    if (n >= 0 && s->seconds >= 0)
        n += snprintf(text + ((size_t)n < size ? (size_t)n : size), (size_t)n < size ? size - (size_t)n : 0,
                      "seconds %.2f\n", s->seconds);
    if (n >= 0 && s->after[0])
        n += snprintf(text + ((size_t)n < size ? (size_t)n : size), (size_t)n < size ? size - (size_t)n : 0,
                      "after %s\n", s->after);
    return n;
}

int status_parse(const char *text, Status *out)
{
    if (text == NULL)
        return 0;
    Status s = status_unknown(0);
    int code, used = 0;
    double limit;
    if (sscanf(text, "exited %d%n", &code, &used) == 1 && (text[used] == '\n' || text[used] == '\0'))
        s.ending = ENDED_EXIT, s.code = code;
    else if (sscanf(text, "signal %d%n", &code, &used) == 1 && (text[used] == '\n' || text[used] == '\0'))
        s.ending = ENDED_SIGNAL, s.code = code;
    else if (sscanf(text, "timeout %lf%n", &limit, &used) == 1 && (text[used] == '\n' || text[used] == '\0'))
        s.ending = ENDED_TIMEOUT, s.limit_seconds = limit;
    else if (strncmp(text, "not-run", 7) == 0 && (text[7] == '\n' || text[7] == '\0'))
        s.ending = ENDED_NOT_RUN;
    else
        return 0;
    /* then "name value" lines, in any order; a line of another name is left for later versions */
    for (const char *line = strchr(text, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        int pid, left, limit_count;
        double seconds;
        if (sscanf(line + 1, "pid %d", &pid) == 1)
            s.pid = pid;
        else if (sscanf(line + 1, "processes %d of %d", &left, &limit_count) == 2 && left >= 0)
            s.processes_left = left, s.process_limit = limit_count;
        else if (sscanf(line + 1, "seconds %lf", &seconds) == 1 && seconds >= 0)
            s.seconds = seconds;
        else if (strncmp(line + 1, "after ", 6) == 0) {
            size_t length = strcspn(line + 7, "\n");
            if (length > 0 && length < sizeof s.after) {
                memcpy(s.after, line + 7, length);
                s.after[length] = '\0';
            }
        }
    }
    *out = s;
    return 1;
}

/* Reads at most size - 1 bytes of path into text; 0 when it cannot be read. */
static int read_small_file(const char *path, char *text, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    size_t used = 0;
    for (ssize_t n; used < size - 1 && (n = read(fd, text + used, size - 1 - used)) != 0;) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        used += (size_t)n;
    }
    close(fd);
    text[used] = '\0';
    return 1;
}

int status_read(const char *path, Status *s)
{
    char text[512];
    return read_small_file(path, text, sizeof text) && status_parse(text, s);
}

int status_parse_not_implemented(const char *text, Status *s)
{
    size_t function_length = strcspn(text, " \n");
    if (function_length == 0 || function_length >= sizeof s->stub_function || text[function_length] != ' ')
        return 0;
    const char *file = text + function_length + 1;
    size_t file_length = strcspn(file, "\n");
    if (file_length == 0 || file_length >= sizeof s->stub_file)
        return 0;
    memcpy(s->stub_function, text, function_length);
    s->stub_function[function_length] = '\0';
    memcpy(s->stub_file, file, file_length);
    s->stub_file[file_length] = '\0';
    return 1;
}

int status_read_check(const char *dir, const char *id, Status *s)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.status", dir, id);
    if (!status_read(path, s))
        return 0;
    char text[1024];
    snprintf(path, sizeof path, "%s/%s%s", dir, id, NOT_IMPLEMENTED_SUFFIX);
    if (s->ending == ENDED_EXIT && s->code == KIT_EXIT_NOT_IMPLEMENTED && read_small_file(path, text, sizeof text))
        status_parse_not_implemented(text, s);
    return 1;
}
