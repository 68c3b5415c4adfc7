/* Unit tests of the process boundary (process.c, Criterion): the .status text both ways, the not-implemented
 * record, and what spawn() gives a child: its log, no stray descriptor, its limits, its time limit. */
#include "process.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

Test(status, every_ending_reads_back_as_it_was_written)
{
    Status written[3] = {status_from_wait(3 << 8, 41), status_from_wait(SIGSEGV, 42), status_timed_out(2.5, 43)};
    written[0].processes_left = 0, written[0].process_limit = PROCESS_LIMIT, written[0].seconds = 0.25;
    for (int i = 0; i < 3; i++) {
        char text[256];
        status_format(&written[i], text, sizeof text);
        Status read;
        cr_assert(status_parse(text, &read), "%s", text);
        cr_assert_eq(read.ending, written[i].ending, "%s", text);
        cr_assert_eq(read.pid, written[i].pid);
        cr_assert_eq(read.processes_left, written[i].processes_left, "%s", text);
        cr_assert_float_eq(read.seconds, written[i].seconds, 1e-9, "%s", text);
        if (written[i].ending == ENDED_TIMEOUT)
            cr_assert_float_eq(read.limit_seconds, 2.5, 1e-9);
        else
            cr_assert_eq(read.code, written[i].code);
    }
    cr_assert_eq(written[1].ending, ENDED_SIGNAL);
    cr_assert_eq(written[1].code, SIGSEGV);
}

Test(status, the_supervisors_text_is_read_field_by_field)
{
    Status s;
    cr_assert(status_parse("exited 0\npid 12\nprocesses 3 of 64\nseconds 1.50\n", &s));
    cr_assert(status_succeeded(&s));
    cr_assert_eq(s.pid, 12);
    cr_assert_eq(s.processes_left, 3);
    cr_assert_eq(s.process_limit, 64);
    cr_assert_float_eq(s.seconds, 1.5, 1e-9);
    /* a check program's own status (under Valgrind) has no process count and no time */
    cr_assert(status_parse("signal 11\npid 9\n", &s));
    cr_assert_not(status_succeeded(&s));
    cr_assert_eq(s.processes_left, -1);
    cr_assert_lt(s.seconds, 0);
    char first[64];
    status_describe(&s, first, sizeof first);
    cr_assert_str_eq(first, "signal 11");
}

Test(status, what_is_not_a_status_is_refused)
{
    const char *bad[] = {"", "exited", "exited x\n", "exited 0x1\n", "ended 0\n", "timeout\n", "signal 11 or so\n",
                         "pid 3\nexited 0\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        Status s = {.code = 77};
        cr_assert_not(status_parse(bad[i], &s), "'%s' was read as a status", bad[i]);
        cr_assert_eq(s.code, 77, "a refused text changed the status");
    }
    Status s;
    cr_assert_not(status_parse(NULL, &s));
    cr_assert_not(status_read("/nonexistent/x.status", &s));
}

Test(status, a_stub_is_a_field_only_with_its_record_and_exit_status)
{
    char dir[] = "/tmp/kit-status-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/c.status", dir);
    FILE *f = fopen(path, "w");
    fputs("exited 3\npid 5\n", f);
    fclose(f);
    Status s;
    cr_assert(status_read_check(dir, "c", &s));
    cr_assert_not(status_not_implemented(&s), "exit status 3 alone is not a stub");
    char record[256];
    snprintf(record, sizeof record, "%s/c%s", dir, NOT_IMPLEMENTED_SUFFIX);
    f = fopen(record, "w");
    fputs("softmax lessons/3.2-activations/exercise.c\n", f);
    fclose(f);
    cr_assert(status_read_check(dir, "c", &s));
    cr_assert(status_not_implemented(&s));
    cr_assert_str_eq(s.stub_function, "softmax");
    cr_assert_str_eq(s.stub_file, "lessons/3.2-activations/exercise.c");
    /* the same record beside a check that exited 0 is ignored */
    f = fopen(path, "w");
    fputs("exited 0\npid 5\n", f);
    fclose(f);
    cr_assert(status_read_check(dir, "c", &s));
    cr_assert_not(status_not_implemented(&s));
    cr_assert_str_eq(s.stub_function, "");
    remove(record), remove(path), remove(dir);

    Status parsed = {0};
    cr_assert_not(status_parse_not_implemented("", &parsed));
    cr_assert_not(status_parse_not_implemented("no_file_given\n", &parsed));
    cr_assert_not(status_parse_not_implemented(" a.c\n", &parsed));
    cr_assert(status_parse_not_implemented("f path with space/e.c\n", &parsed));
    cr_assert_str_eq(parsed.stub_file, "path with space/e.c");
}

/* Runs sh -c script under request (its argv and log filled in here); returns the wait status, the log in *log. */
static int run_shell(SpawnRequest request, const char *script, char *log, size_t size)
{
    char path[] = "/tmp/kit-spawn-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
    request.argv = argv;
    request.log_path = path;
    pid_t pid = spawn(&request);
    cr_assert_gt(pid, 0);
    int wstatus;
    cr_assert(wait_until(pid, &wstatus, 20), "sh did not end");
    FILE *f = fopen(path, "r");
    size_t n = fread(log, 1, size - 1, f);
    log[n] = '\0';
    fclose(f);
    remove(path);
    return wstatus;
}

/* The shell's own open descriptors from 0 to 63, each looked up by the shell itself (listing the folder would open
 * one more, and a pipe to another program two more). */
#define LIST_SHELL_FDS "n=0; while [ $n -lt 64 ]; do [ -e /proc/$$/fd/$n ] && printf '%s ' $n; n=$((n + 1)); done; :"

Test(spawn, the_child_gets_its_log_and_no_other_descriptor)
{
    int leaked = open("/dev/null", O_RDONLY); /* a descriptor of the parent's, without close-on-exec */
    cr_assert_geq(leaked, 3);
    char log[4096];
    int wstatus = run_shell(spawn_request(NULL, NULL), "echo out; echo err >&2; " LIST_SHELL_FDS,
                            log, sizeof log);
    cr_assert(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0, "%s", log);
    cr_assert_str_eq(log, "out\nerr\n0 1 2 ", "%s", log);
    /* one descriptor may be passed on, at the number asked for */
    SpawnRequest keep = spawn_request(NULL, NULL);
    keep.keep_fd = leaked;
    keep.keep_fd_as = 7;
    run_shell(keep, LIST_SHELL_FDS, log, sizeof log);
    cr_assert_str_eq(log, "0 1 2 7 ", "%s", log);
    close(leaked);
}

Test(spawn, the_limits_hold_in_the_child)
{
    SpawnRequest request = spawn_request(NULL, NULL);
    request.limits = (ProcessLimits){.no_core = 1, .file_bytes = 1 << 20, .memory_bytes = 1L << 30, .cpu_seconds = 7};
    char log[256];
    run_shell(request, "ulimit -f; ulimit -v; ulimit -t; ulimit -c", log, sizeof log);
    /* dash prints the file size in blocks of 512 bytes and the address space in KiB */
    cr_assert_str_eq(log, "2048\n1048576\n7\n0\n", "%s", log);
}

Test(spawn, a_program_that_cannot_run_ends_with_its_own_status_and_words)
{
    char path[] = "/tmp/kit-spawn-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    char *argv[] = {"/nonexistent/program", NULL};
    SpawnRequest request = spawn_request(argv, path);
    char *envp[] = {"PATH=/usr/bin", NULL};
    request.envp = envp;
    pid_t pid = spawn(&request);
    int wstatus;
    cr_assert(wait_until(pid, &wstatus, 20));
    cr_assert(WIFEXITED(wstatus));
    cr_assert_eq(WEXITSTATUS(wstatus), SPAWN_EXIT_NO_PROGRAM);
    char log[256] = "";
    FILE *f = fopen(path, "r");
    cr_assert_not_null(fgets(log, sizeof log, f));
    fclose(f);
    remove(path);
    cr_assert_eq(strncmp(log, SPAWN_NO_PROGRAM_MESSAGE "/nonexistent/program: ", strlen(SPAWN_NO_PROGRAM_MESSAGE) + 22), 0,
                 "%s", log);
}

Test(spawn, a_process_past_its_time_is_still_running_until_killed)
{
    char *argv[] = {"/bin/sleep", "30", NULL};
    SpawnRequest request = spawn_request(argv, "/dev/null");
    pid_t pid = spawn(&request);
    int wstatus;
    cr_assert_not(wait_until(pid, &wstatus, 0.2));
    kill_group_and_wait(pid);
    cr_assert_eq(kill(pid, 0), -1, "the process is still there");
}

Test(spawn, as_another_user_when_root)
{
    if (geteuid() != 0)
        cr_skip_test("only root can run a program as another user");
    SpawnRequest request = spawn_request(NULL, NULL);
    request.as_user = 1;
    request.uid = 65534;
    request.gid = 65534;
    char log[64];
    run_shell(request, "id -u; id -g", log, sizeof log);
    cr_assert_str_eq(log, "65534\n65534\n", "%s", log);
}

Test(status, a_check_not_run_and_a_cut_limit_say_which_check_timed_out_first)
{
    Status not_run = status_not_run("backward-lesson"), cut = status_timed_out(LIMIT_AFTER_TIMEOUT_SECONDS, 8);
    snprintf(cut.after, sizeof cut.after, "%s", "backward-lesson");
    char text[256];
    status_format(&not_run, text, sizeof text);
    Status read;
    cr_assert(status_parse(text, &read), "%s", text);
    cr_assert_eq(read.ending, ENDED_NOT_RUN, "%s", text);
    cr_assert_str_eq(read.after, "backward-lesson");
    cr_assert_not(status_succeeded(&read));
    status_format(&cut, text, sizeof text);
    cr_assert(status_parse(text, &read), "%s", text);
    cr_assert_eq(read.ending, ENDED_TIMEOUT);
    cr_assert_float_eq(read.limit_seconds, LIMIT_AFTER_TIMEOUT_SECONDS, 1e-9);
    cr_assert_str_eq(read.after, "backward-lesson");
    cr_assert_not(status_parse("not-running\n", &read));
}
