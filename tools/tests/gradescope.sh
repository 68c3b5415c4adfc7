# The Gradescope bundle's scripts, run as Gradescope would, against a sample submission in a scratch
# folder: a copy of the kit as source/, one chapter's reference solution as the learner's work.
autograder="$SCRATCH/autograder"
mkdir -p "$autograder/source" "$autograder/submission/lessons/1.1-arrays"
git ls-files --cached --others --exclude-standard | tar -cf - -T - | tar -xf - -C "$autograder/source"
cp solutions/1.1-arrays/exercise.c "$autograder/submission/lessons/1.1-arrays/exercise.c"
if AUTOGRADER_ROOT="$autograder" sh "$autograder/source/ci/gradescope/setup.sh" >"$SCRATCH/gradescope.log" 2>&1 &&
    AUTOGRADER_ROOT="$autograder" sh "$autograder/source/ci/gradescope/run_autograder" >>"$SCRATCH/gradescope.log" 2>&1; then
    results="$autograder/results/results.json"
    first_max=$(tsv_field "$autograder/results/kit/results.tsv" 'v("chapter") == "1.1"' max_points | awk '{s += $1} END {print s}')
    score=$(sed -n 's/^  "score": \([0-9]*\),$/\1/p' "$results" 2>/dev/null)
    if [ -n "$score" ] && [ "$score" = "$first_max" ] && grep -q '"name": "1.1 ' "$results" &&
        grep -q 'ci/grade-one.sh' ci/github-actions/grade-submissions.yml; then
        pass "the Gradescope bundle grades a sample submission: $score points, chapter 1.1's full marks, in results/results.json"
    else
        fail "the Gradescope bundle: score '$score', expected chapter 1.1's '$first_max'" "$SCRATCH/gradescope.log"
    fi
else
    fail "the Gradescope bundle's scripts" "$SCRATCH/gradescope.log"
fi

