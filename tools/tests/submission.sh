# CI grading of a submission: only the exercise.c files of a tarball, hidden cases, JUnit and Gradescope. The
# tarball holds every chapter's reference solution; the chapters without a training check are graded (the bars
# tests train the others).
untrained=$(while read -r chapter folder; do
    grep -q '^atleast ' "grader/fixtures/$chapter.txt" || echo "$chapter"
done <<<"$all_chapters" | paste -sd' ' -)
submission="$SCRATCH/submission/learner-work"
mkdir -p "$submission"
while read -r chapter folder; do
    mkdir -p "$submission/lessons/$folder"
    cp "solutions/$folder/exercise.c" "$submission/lessons/$folder/exercise.c"
done <<<"$all_chapters"
printf 'all:\n\techo this Makefile must not be used\n' >"$submission/Makefile"
printf 'not the kit header\n' >"$submission/lessons/kit.h"
tar -czf "$SCRATCH/submission.tgz" -C "$SCRATCH/submission" learner-work
# The tarball's chapters without their memory checks (the solutions test runs every reference's under Valgrind
# and the sanitizers), then one chapter with its memory check, so that CI's path is seen with and without it.
# (grade exits 1: without their memory checks the chapters are not passed yet)
# shellcheck disable=SC2086
$GRADE --submission "$SCRATCH/submission.tgz" --no-memcheck --color never $untrained >"$SCRATCH/submission.log" 2>&1
status=$?
if [ "$status" = 1 ]; then
    # the results file has the chapters these link too; JUnit and results.json the chapters named
    named="index(\" $untrained \", \" \" v(\"chapter\") \" \")"
    rows=$(tsv_rows build/submission/results.tsv "$named" | wc -l)
    not_passing=$(tsv_rows build/submission/results.tsv "$named && v(\"verdict\") != (v(\"check\") == \"memory\" ? \"skipped\" : \"pass\")")
    unchecked=$(tsv_field build/submission/results.tsv "$named && v(\"check\") == \"memory\"" max_points |
        awk '{s += $1} END {print s + 0}')
    cases=$(grep -c '<testcase ' build/submission/junit.xml)
    tests=$(grep -c '"visibility"' build/submission/results.json)
    hidden=$(grep -c '"visibility": "after_published"' build/submission/results.json)
    score=$(sed -n 's/^  "score": \([0-9]*\),$/\1/p' build/submission/results.json)
    max=$(sed -n 's/^  "max_score": \([0-9]*\),$/\1/p' build/submission/results.json)
    if [ "$rows" -gt 0 ] && [ -z "$not_passing" ] && [ "$cases" = "$rows" ] && [ "$tests" = "$rows" ] &&
        [ "$hidden" -gt 0 ] && [ -n "$score" ] && [ "$score" = "$((max - unchecked))" ]; then
        pass "a submitted tarball of reference solutions scores $score/$max in chapters $untrained, all but the $unchecked points of the memory checks (--no-memcheck), with $hidden hidden cases; JUnit and results.json list all $rows checks"
    else
        fail "submission results: $rows rows, $cases JUnit cases, $tests Gradescope tests ($hidden hidden), score $score/$max ($unchecked points of memory checks not run); not passing: $not_passing" \
            "$SCRATCH/submission.log"
    fi
else
    fail "a submitted tarball of reference solutions: grade exits $status, where 1 says that checks were left" \
        "$SCRATCH/submission.log"
fi
first=${untrained%% *}
if $GRADE --submission "$SCRATCH/submission.tgz" --color never "$first" >"$SCRATCH/submission-memory.log" 2>&1 &&
    [ "$(verdict build/submission/results.tsv "$first" memory)" = pass ] &&
    score=$(sed -n 's/^  "score": \([0-9]*\),$/\1/p' build/submission/results.json) &&
    [ -n "$score" ] && [ "$score" = "$(sed -n 's/^  "max_score": \([0-9]*\),$/\1/p' build/submission/results.json)" ]; then
    pass "chapter $first of the tarball, with its memory check, scores $score/$score"
else
    fail "chapter $first of a submitted tarball, with its memory check, does not score full marks" "$SCRATCH/submission-memory.log"
fi
# A grading copy whose lessons/ hold the reference (an instructor tried the exercises): a submission's missing
# chapters are still graded as the untouched stubs, and make student from it still exports the stubs alone.
leaky="$SCRATCH_PATH/leaky-kit"
mkdir -p "$leaky/build/grader" "$leaky/build/kit" "$SCRATCH/two-chapters/lessons"
git ls-files --cached --others --exclude-standard | tar -cf - -T - 2>/dev/null | tar -xf - -C "$leaky"
cp build/grader/grade build/grader/runner.o build/grader/suite-*.o "$leaky/build/grader/"
cp build/kit/libkit.a "$leaky/build/kit/"
while read -r chapter folder; do cp "solutions/$folder/exercise.c" "$leaky/lessons/$folder/exercise.c"; done <<<"$all_chapters"
one=$(awk '$1 == "1.1" {print $2}' <<<"$all_chapters") two=$(awk '$1 == "1.2" {print $2}' <<<"$all_chapters")
three=$(awk '$1 == "3.2" {print $2}' <<<"$all_chapters")
for folder in "$one" "$three"; do
    mkdir -p "$SCRATCH/two-chapters/lessons/$folder"
    cp "solutions/$folder/exercise.c" "$SCRATCH/two-chapters/lessons/$folder/"
done
(cd "$leaky" && build/grader/grade --submission "$SCRATCH_PATH/two-chapters" --no-memcheck --color never 1.1 1.2 3.2) \
    >"$SCRATCH/two-chapters.log" 2>&1
r="$leaky/build/submission/results.tsv"
wrong=$(tsv_rows "$r" 'v("check") != "memory" && ((v("chapter") == "1.1" || v("chapter") == "3.2") ? v("verdict") != "pass" :
    (v("points") != 0 || (v("verdict") != "todo" && v("verdict") != "blocked")))')
if [ -s "$r" ] && [ -z "$wrong" ] && grep -q "not found, graded as the untouched stub: 1.2" "$SCRATCH/two-chapters.log"; then
    pass "a submission of chapters 1.1 and 3.2 scores 1.2 as the untouched stub (0), though the grading copy's lessons/ holds the reference"
else
    fail "a submission lacking chapter 1.2, graded in a copy whose lessons/ hold the reference: $wrong" "$SCRATCH/two-chapters.log"
fi
(cd "$leaky" && sh tools/student.sh "$SCRATCH_PATH/leaky-student") >"$SCRATCH/leaky-student.log" 2>&1
not_stubs=""
while read -r chapter folder; do
    awk -v chapter="$chapter" -f grader/stub.awk "solutions/$folder/exercise.c" |
        cmp -s - "$SCRATCH_PATH/leaky-student/lessons/$folder/exercise.c" || not_stubs="$not_stubs $chapter"
done <<<"$all_chapters"
if [ -z "$not_stubs" ] && grep -q "differ from their stubs here" "$SCRATCH/leaky-student.log"; then
    pass "make student from a copy whose lessons/ hold the reference exports the untouched stubs, and says which differed"
else
    fail "make student from a copy whose lessons/ hold the reference: not the stubs:$not_stubs" "$SCRATCH/leaky-student.log"
fi

mkdir -p "$SCRATCH/empty-submission"
if $GRADE --submission "$SCRATCH/empty-submission" --color never >"$SCRATCH/empty.log" 2>&1; then
    fail "an empty submission passes"
elif grep -q 'not found, graded as the untouched stub' "$SCRATCH/empty.log" &&
    grep -q '"score": 0,' build/submission/results.json; then
    pass "an empty submission scores 0, and says which chapters it did not find"
else
    fail "an empty submission" "$SCRATCH/empty.log"
fi
expect_error "a submission that does not exist is named" "SUBMISSION=$SCRATCH/nothing: no such file or folder" \
    $GRADE --submission "$SCRATCH/nothing"

