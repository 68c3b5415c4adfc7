#!/usr/bin/env bash
# make mutate CH=x.y: the blind spots of a chapter's checks. build/grader/mutate (grader/mutate.c) makes every
# single-site mutant of the chapter's reference solution (operators swapped, bounds and constants moved by one, a
# statement dropped); this grades each one against the other reference solutions and prints how many the checks
# kill, and every survivor with its file:line, the change and the source line.
#
#   tools/mutate.sh CHAPTER
#   J=1                        grade one mutant at a time (default: two, one per core of a two-core machine)
#   KIT_MUTATE_EQUIVALENT=FILE the equivalent-mutants file to read (default grader/mutants/<chapter>.equivalent)
#   KIT_MUTATE_DIR=DIR         where the mutants and their build folders go (default build/mutate)
#
# A mutant is killed when a check of its chapter fails, crashes or times out, and did not compile when its chapter
# does not build. The checks run without Valgrind (seconds instead of minutes); a mutant they all pass is graded
# again with it, since an off-by-one write past an array's end is often visible only to the memory check.
# One that still passes is a survivor, unless grader/mutants/<chapter>.equivalent marks it equivalent, with the
# reason no check can tell it from the solution. Exit status: 0 once every mutant is graded, 2 for a wrong request.
set -euo pipefail
cd "$(dirname "$0")/.."

GRADE=build/grader/grade
MUTATE=build/grader/mutate
written=$($GRADE chapters | cut -d' ' -f1 | paste -sd' ' -)
chapter=${1:-}
if [ -z "$chapter" ]; then
    echo "make mutate: which chapter? say it with CH, for example: make mutate CH=1.3 (the written chapters are: $written)" >&2
    exit 2
fi
if ! grep -qx -- "$chapter" <<<"${written// /$'\n'}"; then
    echo "make mutate: there is no written chapter '$chapter' in grader/course.txt; the written chapters are: $written" >&2
    exit 2
fi
folder=$($GRADE chapters | awk -v ch="$chapter" '$1 == ch {print $2}')
solution=solutions/$folder/exercise.c
equivalent=${KIT_MUTATE_EQUIVALENT:-grader/mutants/$chapter.equivalent}
if [ -n "${KIT_MUTATE_EQUIVALENT:-}" ] && [ ! -f "$KIT_MUTATE_EQUIVALENT" ]; then
    echo "make mutate: KIT_MUTATE_EQUIVALENT names $KIT_MUTATE_EQUIVALENT, which is not a file: name an equivalent-mutants file (like grader/mutants/1.3.equivalent), or unset it" >&2
    exit 2
fi
root=${KIT_MUTATE_DIR:-build/mutate}/$chapter
workers=${J:-2}
case "$workers" in '' | *[!0-9]* | 0)
    echo "make mutate: J is '$workers'; it must be a number of mutants graded at a time, 1 or more" >&2
    exit 2 ;;
esac

# the mutants of an earlier run go; the build folders stay, so the linked chapters are not graded again
mkdir -p "$root"
find "$root" -mindepth 1 -maxdepth 1 -regex '.*/[0-9]+' -exec rm -rf {} +
if ! $MUTATE --equivalent "$equivalent" "$chapter" "$root" >"$root/mutants.tsv" 2>"$root/warnings.txt"; then
    cat "$root/warnings.txt" >&2
    exit 2
fi
total=$(($(wc -l <"$root/mutants.tsv") - 1))
echo "chapter $chapter: $total mutants of $solution, $workers at a time (in $root/)"

# The outcome of the grading in folder dir: killed by <checks>, survived, uncompiled or error.
outcome_of() {
    awk -F'\t' -v ch="$chapter" '
        NR == 1 {for (i = 1; i <= NF; i++) column[$i] = i; next}
        $(column["chapter"]) != ch {next}
        {check = $(column["check"]); verdict = $(column["verdict"]); rows++}
        check == "build" && verdict == "compile-error" {uncompiled = 1}
        verdict == "FAIL" || verdict == "CRASH" || verdict == "TIMEOUT" || verdict == "todo" {
            killers = killers (killers == "" ? "" : ",") check }
        verdict != "pass" && verdict != "skipped" && verdict != "FAIL" && verdict != "CRASH" && verdict != "TIMEOUT" &&
            verdict != "todo" && verdict != "compile-error" {odd = odd " " check "(" verdict ")"}
        END {
            if (rows == 0) print "error no results"
            else if (uncompiled) print "uncompiled"
            else if (killers != "") print "killed " killers
            else if (odd != "") print "error" odd
            else print "survived"
        }' "$1/results.tsv" 2>/dev/null || echo "error no results"
}

# grade_one n build memcheck: grades mutant n in that build folder, and writes its outcome to <root>/<n>/outcome
grade_one() {
    local n=$1 build=$2 memcheck=$3 dir="$root/$1"
    rm -f "$dir/results.tsv"
    # the grade tool exits 1 when a chapter does not pass (always so with --no-memcheck): the results tell more;
    # the chapters it links are the reference (--trust-links: taken as passing, not graded for every mutant)
    $GRADE --from solutions --use "$chapter=$dir/exercise.c" --trust-links --build "$build" --results "$dir/results.tsv" \
        --color never $memcheck "$chapter" >"$dir/report.log" 2>&1 || true
    outcome_of "$dir" >"$dir/outcome"
}

# Each worker grades every J-th mutant in a build folder of its own: the grade tool writes a chapter's program and
# its work files in <build>/<chapter>/, which two gradings at once would overwrite.
started=$(date +%s)
for ((w = 1; w <= workers; w++)); do
    (
        for ((n = w; n <= total; n += workers)); do
            grade_one "$n" "$root/build-$w" --no-memcheck
        done
    ) &
done
wait
# the survivors of the checks, with Valgrind this time (a write past the end that only memcheck sees)
survivors=$(for ((n = 1; n <= total; n++)); do [ "$(cat "$root/$n/outcome")" = survived ] && echo "$n"; done || true)
if [ -n "$survivors" ]; then
    mapfile -t queue <<<"$survivors"
    for ((w = 1; w <= workers; w++)); do
        (
            for ((i = w - 1; i < ${#queue[@]}; i += workers)); do
                grade_one "${queue[$i]}" "$root/build-$w" ""
            done
        ) &
    done
    wait
fi

killed=0 survived=0 uncompiled=0 marked=0 errors=0
survivor_lines="" equivalent_lines="" problem_lines=""
while IFS=$'\t' read -r n line column function original mutated change why source; do
    [ "$n" = n ] && continue # the header
    read -r outcome detail <"$root/$n/outcome" || true
    place="$solution:$line: $original -> $mutated   (in function $function)"
    case "$outcome" in
    killed)
        killed=$((killed + 1))
        if [ "$why" != - ]; then
            problem_lines+="warning: $equivalent marks '$change' in $function (line '$source') as equivalent, but check $detail kills it (mutant $n, $root/$n/): remove that entry"$'\n'
        fi ;;
    survived)
        if [ "$why" != - ]; then
            marked=$((marked + 1))
            equivalent_lines+="$place"$'\n'"      $source"$'\n'"      equivalent: $why"$'\n'
        else
            survived=$((survived + 1))
            survivor_lines+="$place"$'\n'"      $source"$'\n'
        fi ;;
    uncompiled) uncompiled=$((uncompiled + 1)) ;;
    *)
        errors=$((errors + 1))
        problem_lines+="error: mutant $n ($solution:$line: $original -> $mutated) could not be graded (${detail:-?}); the grader's report is $root/$n/report.log"$'\n' ;;
    esac
done <"$root/mutants.tsv"

echo "$total mutants: $killed killed, $survived survived, $uncompiled did not compile, $marked marked equivalent$(
    [ "$errors" = 0 ] || echo ", $errors could not be graded") ($(($(date +%s) - started)) s)"
cat "$root/warnings.txt"
printf '%s' "$problem_lines"
if [ -n "$survivor_lines" ]; then
    echo
    echo "Survivors: every check of chapter $chapter passes with these changes, memory check included (the checks' blind"
    echo "spots; mark one that computes the same results as the solution in $equivalent, with the reason):"
    printf '%s' "$survivor_lines"
fi
if [ -n "$equivalent_lines" ]; then
    echo
    echo "Marked equivalent in $equivalent:"
    printf '%s' "$equivalent_lines"
fi
echo
echo "Each mutant's file, results and report: $root/<n>/ (n as in $root/mutants.tsv)"
