#!/usr/bin/env bash
# The kit's own tests ('make test'): named tests, one file each in tools/tests/, run side by side on the
# machine's cores. Each prints one line per result; this prints them test by test as they finish, then
# "N passed, N failed, N skipped" and the time of each test, and exits 1 on any failure.
#
#   make test                     every test
#   make test T=mutants,lessons   those tests (make test T=list names them all)
#   make test T=lessons CH=3.4    those tests, for chapter 3.4 only (tests that go chapter by chapter)
#   make test J=1                 one test at a time (default: one per core)
set -u
cd "$(dirname "$0")/.."

if [ ! -d solutions ]; then
    echo "This is the learner's edition of the kit: its own tests need the reference solutions (solutions/)," >&2
    echo "which only the instructors' copy has. To grade your work, run: make grade" >&2
    exit 2
fi

# Every test: a file tools/tests/<name>.sh. The chapter-wise ones run as one job per chapter; the exclusive ones
# run alone, before the others: their hostile code forks up to the checks' process limit, which counts every
# process of the user the checks run as, so a check of another test beside them could not start its threads.
chapter_tests="lessons mutants"
exclusive_tests="hostile sandbox"
# The tests that start nothing as that user (they read the kit, draw, render pages or fetch, and write only their
# own scratch folder): they run beside the exclusive ones, on the cores those leave free.
companion_tests="pages figures fetch contracts map"
# (the order make test T=list names them in, and that in which they start when neither the last run nor
# tools/tests/typical-times has timed them: the longest first)
preferred="bars-mnist bars-fashion mutants lessons submission solutions feedback hang sanitizers edition scaffold
    gradescope report coverage fixtures stubs unit fetch map contracts hostile sandbox"
all_tests=$(for name in $preferred; do [ -f "tools/tests/$name.sh" ] && echo "$name"; done
    for file in tools/tests/*.sh; do
        name=$(basename "$file" .sh)
        case "$name" in lib | _*) continue ;; esac
        echo $preferred | tr " " "\n" | grep -qx -- "$name" || echo "$name"
    done)
all_tests=$(echo $all_tests)

requested=$(echo "${T:-}" | tr ',' ' ')
if [ "$requested" = list ]; then
    printf '%s\n' $all_tests
    exit 0
fi
selected=""
for name in ${requested:-$all_tests}; do
    if [ ! -f "tools/tests/$name.sh" ] || [ "$name" = lib ] || [ "${name#_}" != "$name" ]; then
        echo "make test: there is no test '$name'; the tests are:$(printf ' %s' $all_tests)" >&2
        exit 2
    fi
    selected="$selected $name"
done
known=$(build/grader/grade chapters | cut -d' ' -f1)
for id in ${CH//,/ }; do
    grep -qx "$id" <<<"$known" || {
        echo "make test: there is no written chapter '$id'; they are:$(printf ' %s' $known)" >&2
        exit 2
    }
done

root=${KIT_TEST_SCRATCH:-build/test} # another folder lets a second copy of the tests run beside this one
mkdir -p "$root"
# One folder of compiled exercise.c files for every test of this run (grade's KIT_OBJECTS): the reference solutions
# that most tests grade or link are compiled once for all of them, not once per build folder. Emptied first, so that
# a run compiles everything it links.
KIT_OBJECTS=$(cd "$root" && pwd)/objects
rm -rf "$KIT_OBJECTS"
export KIT_OBJECTS
jobs=${J:-$(nproc 2>/dev/null || echo 2)}

# MNIST: the folder MNIST_DIR names, else datasets/mnist (make datasets), else the copy beside the checkout.
shared_mnist=../shared/datasets/mnist
if [ -z "${MNIST_DIR:-}" ] && [ ! -e datasets/mnist/train-images-idx3-ubyte.gz ] &&
    [ -f "$shared_mnist/train-images-idx3-ubyte.gz" ]; then
    MNIST_DIR=$(cd "$shared_mnist" && pwd)
    export MNIST_DIR
fi
# The jobs: a test, or a chapter-wise test and one chapter ("mutants@4.3"), ordered the longest first by the times
# of the last run (so that the cores finish together); where this folder has none (a fresh clone), by those of a
# typical run, tools/tests/typical-times (seconds on a 2-core machine: only their order matters); the later chapters
# first where neither has a job.
times_file="$root/times"
typical_times=tools/tests/typical-times
jobs_of() { # the selected tests that are (1) or are not (0) exclusive, as jobs: the accuracy bars, then the chapters'
    # jobs from the last chapter back, then the rest
    local want=$1 name id
    local ids
    ids=$(if [ -n "${CH:-}" ]; then printf '%s\n' ${CH//,/ }; else echo "$known"; fi | tac)
    for name in $selected; do
        case " $exclusive_tests " in *" $name "*) [ "$want" = 1 ] || continue ;; *) [ "$want" = 0 ] || continue ;; esac
        case "$name" in bars-*) echo "$name" ;; esac
    done
    for id in $ids; do
        for name in $selected; do
            case " $chapter_tests " in *" $name "*) [ "$want" = 0 ] && echo "$name@$id" ;; esac
        done
    done
    for name in $selected; do
        case " $exclusive_tests " in *" $name "*) [ "$want" = 1 ] || continue ;; *) [ "$want" = 0 ] || continue ;; esac
        case " $chapter_tests " in *" $name "*) continue ;; esac
        case "$name" in bars-*) ;; *) echo "$name" ;; esac
    done
}
by_last_time() { # jobs on stdin, the longest of the last run (or a typical one) first; those neither timed first of
    # all, in order
    awk -v last="$times_file" -v typical="$typical_times" '
        function read(file, line, f) {while ((getline line < file) > 0) {split(line, f, " "); t[f[1]] = f[2]}}
        BEGIN {read(typical); read(last)}
        {print (($1 in t) ? t[$1] : 999999999), NR, $1}' | sort -k1,1nr -k2,2n | cut -d' ' -f3
}
exclusive_jobs=$(jobs_of 1)
shared_jobs=$(jobs_of 0 | by_last_time)
is_exclusive() { case " $exclusive_tests " in *" ${1%@*} "*) return 0 ;; esac; return 1; }
# the companions of the exclusive jobs: the selected companion tests, when there are exclusive jobs to run beside
companion_jobs=""
if [ -n "$exclusive_jobs" ]; then
    for job in $shared_jobs; do
        case " $companion_tests " in *" $job "*) companion_jobs="$companion_jobs $job" ;; esac
    done
    shared_jobs=$(for job in $shared_jobs; do case " $companion_jobs " in *" $job "*) ;; *) echo "$job" ;; esac; done)
fi
export CH
# shellcheck disable=SC2016
echo "MNIST: $(SCRATCH=$root/lib bash -c '. tools/tests/lib.sh && echo "${mnist_here:-not here (the tests that need it say they are skipped)}"')"
echo "tests:$selected ($(echo $exclusive_jobs $companion_jobs $shared_jobs | wc -w) jobs, $jobs at a time${exclusive_jobs:+; one at a time:$(printf ' %s' $exclusive_jobs)}${companion_jobs:+, beside them:$companion_jobs})"

start_test() { # job: runs in the background; writes <root>/<job>.out, .err, and .status when done
    local job=$1 name=${1%@*} chapter=
    [ "$job" != "$name" ] && chapter=${job#*@}
    rm -rf "${root:?}/$job" "$root/$job.out" "$root/$job.err" "$root/$job.status"
    (
        started=$(date +%s)
        CH=${chapter:-${CH:-}} SCRATCH="$root/$job" bash -c '. tools/tests/lib.sh && . "tools/tests/$0.sh"' "$name" \
            >"$root/$job.out" 2>"$root/$job.err"
        status=$?
        echo "$status $(($(date +%s) - started))" >"$root/$job.status"
    ) &
}

report_test() { # job: prints what it found, and a failure when the test itself stopped early
    local job=$1 status seconds
    read -r status seconds <"$root/$job.status"
    echo "== $job ($seconds s)"
    cat "$root/$job.out"
    if [ "$status" != 0 ]; then
        echo "FAIL test $job stopped early (exit status $status); its errors, from $root/$job.err:"
        tail -20 "$root/$job.err" | sed 's/^/     | /'
    fi
    echo "$job $seconds" >>"$times_file.new"
}

run_jobs() { # at most this many at a time, then the jobs
    local most=$1 job
    shift
    local pending="$*" running=""
    while [ -n "$pending$running" ]; do
        for job in $running; do # the jobs that have finished, in the order they finish
            [ -f "$root/$job.status" ] || continue
            report_test "$job"
            running=$(printf ' %s' $running | sed "s/ $job\$//; s/ $job / /")
        done
        while [ -n "$pending" ] && [ "$(wc -w <<<"$running")" -lt "$most" ]; do
            # the first pending job that may start: an exclusive one only while no other exclusive one runs
            next=""
            for job in $pending; do
                if is_exclusive "$job"; then
                    for other in $running; do is_exclusive "$other" && continue 2; done
                fi
                next=$job
                break
            done
            [ -n "$next" ] || break
            start_test "$next"
            running="$running $next"
            pending=$(printf ' %s' $pending | sed "s/ $next\$//; s/ $next / /")
        done
        # until one of the running jobs ends (wait -n: the first to end, or at once if one has ended already)
        [ -n "$running" ] && { wait -n 2>/dev/null || true; }
    done
    wait
}

started=$(date +%s)
: >"$times_file.new"
# the exclusive jobs one at a time, with their companions beside them on the other cores
# shellcheck disable=SC2086
run_jobs "$jobs" $exclusive_jobs $companion_jobs
# shellcheck disable=SC2086
run_jobs "$jobs" $shared_jobs
# the times of this run, kept with those of jobs it did not run
[ -f "$times_file" ] && awk 'NR == FNR {seen[$1] = 1; print; next} !($1 in seen)' "$times_file.new" "$times_file" \
    >"$times_file.all" && mv "$times_file.all" "$times_file.new"
mv "$times_file.new" "$times_file"

outputs=$(for job in $exclusive_jobs $companion_jobs $shared_jobs; do
    cat "$root/$job.out"
    read -r status _ <"$root/$job.status"
    [ "$status" = 0 ] || echo "FAIL test $job stopped early"
done)
passed=$(grep -c '^ok   ' <<<"$outputs")
failed=$(grep -c '^FAIL ' <<<"$outputs")
skipped=$(grep -c '^skip ' <<<"$outputs")
echo
echo "times (s): $(sort -k2,2nr "$times_file" | awk -v jobs=" $(echo $exclusive_jobs $companion_jobs $shared_jobs) " 'index(jobs, " " $1 " ") {printf "%s %s, ", $1, $2}' | sed 's/, $//')"
[ "$failed" = 0 ] || { echo "failed:"; grep '^FAIL ' <<<"$outputs" | sed 's/^FAIL /  /'; }
echo "$passed passed, $failed failed, $skipped skipped in $(($(date +%s) - started)) s"
[ "$failed" -eq 0 ]
