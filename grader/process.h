/*
 * process.h: the boundary between the grade tool and every process it starts.
 *
 * One module owns what crosses that boundary:
 *   - the limits a process of learner code runs under (ProcessLimits, and the kit's caps below);
 *   - spawn(), the one way the grade tool starts a program: a process group of its own, stdin from
 *     /dev/null, stdout and stderr into a log, no other descriptor, the limits, no new privileges,
 *     optionally as another user;
 *   - the exit statuses a supervisor uses when a program could not be started (SPAWN_EXIT_*);
 *   - Status, how a check ended as its supervisor saw it, and its text form, the <id>.status file that
 *     the supervisor writes (sandbox.c), that a check program writes for the checks it runs itself under
 *     Valgrind (runner.c), and that the judge, the memory check and the reuse of results read back.
 * It depends on the C library alone, so that a check program (runner.c) links it as the grade tool does.
 */
#ifndef PROCESS_H
#define PROCESS_H

#include "kit.h" /* KIT_EXIT_NOT_IMPLEMENTED, KIT_EXIT_FATAL: how a check program says why it stopped */

#include <stddef.h>
#include <sys/types.h>

/* ---- limits -------------------------------------------------------------- */

#define PROCESS_LIMIT 64                 /* processes a check may start, beyond those its user runs already */
#define OUTPUT_CAP_BYTES (16L << 20)     /* the largest file a check may write (its output flood ends there) */
#define MEMORY_CAP_BYTES (4L << 30)      /* the address space of a check, and of the compiler on a submission */
#define COMPILE_FILE_CAP_BYTES (256L << 20) /* the largest file the compiler or tar may write on a submission */
#define CPU_GRACE_SECONDS 2              /* a capped check's CPU limit: its wall-clock budget and this */
/* Valgrind memcheck runs a check some 10 to 30 times slower: its time budget is this many times the check's. */
#define MEMCHECK_SLOWDOWN 30.0
/* Built with AddressSanitizer and UBSan, a check runs some 2 to 3 times slower: its budget is this many times. */
#define SANITIZER_SLOWDOWN 5.0
/* A check whose time limit is this long or longer trains on the data set: a long check. */
#define LONG_CHECK_SECONDS 30
/* Once a check of a chapter has timed out (an endless loop, most likely), the supervisor runs the chapter's other
 * short checks with at most this limit (correct code takes milliseconds on them), and its long checks not at all:
 * the verdict of a loop that never ends comes in seconds, not in the minutes of every check's full limit. */
#define LIMIT_AFTER_TIMEOUT_SECONDS 2.0

/* What spawn() sets in the child before it runs the program; a field at 0 leaves that limit as it is. */
typedef struct {
    long memory_bytes;      /* RLIMIT_AS */
    long cpu_seconds;       /* RLIMIT_CPU */
    long file_bytes;        /* RLIMIT_FSIZE */
    long processes;         /* RLIMIT_NPROC (binds a user other than root only) */
    int no_core;            /* RLIMIT_CORE 0: no core dump */
} ProcessLimits;

/* Sets the limits in the calling process (a child about to run learner code). */
void limits_apply(const ProcessLimits *limits);

/* ---- starting a program ---------------------------------------------------- */

/* The exit statuses of a child that spawn() could not turn into the program asked for. */
#define SPAWN_EXIT_NO_LOG 120           /* its log (or /dev/null) could not be opened */
#define SPAWN_EXIT_NO_USER 125          /* it could not become the user asked for */
#define SPAWN_EXIT_NO_PROGRAM 127       /* execve failed: "cannot run <program>: <why>" is in its log */
/* How such a child's log begins, for SPAWN_EXIT_NO_USER and SPAWN_EXIT_NO_PROGRAM: the judge tells a check that
 * never started from one whose code stopped with the same status. */
#define SPAWN_NO_USER_MESSAGE "the grader cannot switch to the user that runs the checks"
#define SPAWN_NO_PROGRAM_MESSAGE "cannot run "

typedef struct {
    char **argv;            /* NULL-terminated; argv[0] is looked up in PATH when envp is NULL */
    char **envp;            /* the environment, or NULL to keep the caller's */
    const char *log_path;   /* stdout and stderr go there */
    int log_exclusive;      /* make the log as a new file (O_EXCL, O_NOFOLLOW): a scratch folder another user writes */
    ProcessLimits limits;
    int as_user;            /* become user uid, group gid, for good, before the program runs */
    uid_t uid;
    gid_t gid;
    int keep_fd;            /* a descriptor to pass on as descriptor keep_fd_as (bubblewrap's results folder); -1: none */
    int keep_fd_as;
    int die_with_parent;    /* SIGKILL the child when its parent dies */
    int no_new_privileges;  /* PR_SET_NO_NEW_PRIVS: no setuid program gives it more rights */
} SpawnRequest;

/* A request with no limits, no user switch, no descriptor kept: fill in argv and log_path, then what differs. */
SpawnRequest spawn_request(char **argv, const char *log_path);

/* Starts the program as a child in a process group of its own; returns its pid, or -1 with errno set when no
 * child could be made (a child that cannot run the program ends with one of the SPAWN_EXIT_* statuses). */
pid_t spawn(const SpawnRequest *request);

/* Waits for pid at most limit_seconds (polling, 0.2 ms at first, then up to 3.2 ms); returns 1 with *wstatus
 * filled when it ended, 0 when it is still running. */
int wait_until(pid_t pid, int *wstatus, double limit_seconds);

/* Kills the process group of pid and pid itself, and reaps it. */
void kill_group_and_wait(pid_t pid);

/* In a child: becomes user uid, group gid, for good (no way back to root). Returns 0, or -1 when that failed. */
int become_user(uid_t uid, gid_t gid);

/* ---- the processes a check leaves behind ------------------------------------- */

/* Kills every process below this one (its subreaper: orphans come back to it) and reaps them; returns how many
 * were alive at first. */
int kill_descendants(void);

/* The number of processes a user runs now (RLIMIT_NPROC counts all of that user's processes). */
long count_user_processes(uid_t uid);

/* ---- how a check ended ------------------------------------------------------ */

typedef enum {
    ENDED_EXIT,     /* it exited: code is the exit status */
    ENDED_SIGNAL,   /* a signal ended it: code is the signal */
    ENDED_TIMEOUT,  /* it ran past its wall-clock limit and was killed: limit_seconds */
    ENDED_NOT_RUN,  /* the supervisor did not start it: a check before it, after, timed out (a long check) */
} Ending;

/* A check that reached a function of the course not written yet leaves, beside its .out, <id>.not-implemented:
 * one line, "FUNCTION FILE" (kit_not_implemented, through the hook the check program sets: runner.c). */
#define NOT_IMPLEMENTED_SUFFIX ".not-implemented"

typedef struct {
    Ending ending;
    int code;
    double limit_seconds;
    int pid;               /* 0 when not known */
    int processes_left;    /* processes it left running when it ended (-1 when not known) */
    int process_limit;     /* the process limit it ran under (0 when not known) */
    double seconds;        /* how long it ran (-1 when not known) */
    /* the check that timed out before this one ("" when none did): this one did not run (ENDED_NOT_RUN), or ran
     * with its limit cut to LIMIT_AFTER_TIMEOUT_SECONDS */
    char after[128];
    /* the function not written yet that it stopped at, and its file ("" when it stopped at none): read by
     * status_read_check from <id>.not-implemented */
    char stub_function[128];
    char stub_file[512];
} Status;

/* The Status of a process from its wait status (WIFEXITED, WIFSIGNALED); pid, processes and time not known. */
Status status_from_wait(int wstatus, pid_t pid);
/* The Status of a process killed after limit_seconds. */
Status status_timed_out(double limit_seconds, pid_t pid);

/* Did it exit with status 0? */
int status_succeeded(const Status *s);

/* The Status of a check the supervisor did not start, because check after timed out before it. */
Status status_not_run(const char *after);

/* The text of a .status file: "exited N", "signal N", "timeout S" or "not-run" on the first line, then "pid P", and
 * where known "processes L of M", "seconds T" and "after ID", one a line. Returns the length written (as snprintf). */
int status_format(const Status *s, char *text, size_t size);

/* Reads the text of a .status file; returns 1 and fills *s, or 0 when it is not one (then *s is untouched). */
int status_parse(const char *text, Status *s);

/* Reads <path>: 1 and *s filled, or 0 when the file is missing or not a status. */
int status_read(const char *path, Status *s);

/* Reads <dir>/<id>.status and, when the check stopped at a function not written yet (KIT_EXIT_NOT_IMPLEMENTED
 * with <dir>/<id>.not-implemented beside it), that function and file into s->stub_function and s->stub_file. */
int status_read_check(const char *dir, const char *id, Status *s);

/* Did the check stop at a function not written yet? */
int status_not_implemented(const Status *s);

/* Parses the line of a .not-implemented file ("FUNCTION FILE") into s->stub_function and s->stub_file; 0 when it
 * is not one. */
int status_parse_not_implemented(const char *text, Status *s);

/* The first line of the status, for a message: "exited 3", "signal 11", "timeout 5", "not-run". */
void status_describe(const Status *s, char *text, size_t size);

#endif
