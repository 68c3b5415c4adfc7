# Each stub is what grader/stub.awk makes of its reference solution, and defines the chapter's functions.
while read -r chapter folder; do
    stub="lessons/$folder/exercise.c"
    awk -v chapter="$chapter" -f grader/stub.awk "solutions/$folder/exercise.c" >"$SCRATCH/stub-$chapter.c"
    if cmp -s "$SCRATCH/stub-$chapter.c" "$stub"; then
        pass "$stub is generated from solutions/$folder/exercise.c"
    else
        diff "$SCRATCH/stub-$chapter.c" "$stub" >"$SCRATCH/stub-$chapter.diff"
        fail "$stub differs from its solution (run: make stubs)" "$SCRATCH/stub-$chapter.diff"
    fi
    functions=$($GRADE chapters --functions | awk -v ch="$chapter" '$1 == ch {$1 = $2 = ""; print}')
    missing=""
    for f in $functions; do
        grep -Eq "^[a-z].* \**$f\(" "$stub" || missing="$missing $f (in the stub)"
        grep -Eq "^[a-z].* \**$f\(" harness/course.h || missing="$missing $f (in harness/course.h)"
    done
    if [ -z "$missing" ]; then pass "chapter $chapter declares and defines:$(printf ' %s' $functions)"
    else fail "chapter $chapter: grader/course.txt lists functions that are missing:$missing"; fi
    [ -f "lessons/$folder/demo.c" ] || fail "chapter $chapter has no lessons/$folder/demo.c"
done <<<"$chapters"

# The untouched stubs (lessons/, which the first part showed are the generated stubs) score zero: every check
# "not implemented" (or blocked), nothing crashes.
$GRADE --results "$SCRATCH/stubs.tsv" --color never >"$SCRATCH/stubs.log" 2>&1
status=$?
bad=$(tsv_rows "$SCRATCH/stubs.tsv" 'v("points") != 0 || (v("verdict") != "todo" && v("verdict") != "blocked")')
unnamed=$(tsv_rows "$SCRATCH/stubs.tsv" 'v("check") != "memory" && v("verdict") == "todo" &&
    v("message") !~ /^not implemented: [a-z_0-9]+\(\) in /')
if [ "$status" = 1 ] && [ -s "$SCRATCH/stubs.tsv" ] && [ -z "$bad" ] && [ -z "$unnamed" ]; then
    pass "every untouched stub scores 0 with 'not implemented: <function>() in <file>' (exit status 1)"
else
    fail "stubs: exit status $status; checks not at 0/todo: $bad $unnamed" "$SCRATCH/stubs.log"
fi

# The introduction shows the report a new learner gets: the stubs, graded.
if $GRADE lesson 0 --output-of "$SCRATCH/stubs.log" >"$SCRATCH/lesson-0.log" 2>&1; then
    pass "$(tail -1 "$SCRATCH/lesson-0.log") (the report of the untouched stubs)"
else
    fail "lessons/0-introduction/README.md does not match the report of the stubs" "$SCRATCH/lesson-0.log"
fi

# Hints come one more at a time; watch mode grades again on every save (inotify, and polling).
while read -r chapter folder; do
    count=$(grep -c '^## Hint' "lessons/$folder/hints.md" 2>/dev/null || echo 0)
    [ "$count" -ge 2 ] || fail "lessons/$folder/hints.md has $count hints; at least 2 are needed"
done <<<"$chapters"
rm -f build/hints/1.1
first_hint=$(sh tools/hint.sh 1.1 | grep -c '^## Hint')
second_hint=$(sh tools/hint.sh 1.1 | grep -c '^## Hint')
rm -f build/hints/1.1
if [ "$first_hint" = 1 ] && [ "$second_hint" = 2 ]; then
    pass "make hint shows one more hint each time"
else
    fail "make hint showed $first_hint, then $second_hint hints"
fi
for mode in inotify poll; do
    KIT_WATCH=$mode sh tools/watch.sh 1.1 >"$SCRATCH/watch-$mode.log" 2>&1 &
    watcher=$!
    for _ in $(seq 1 100); do grep -q "watching with" "$SCRATCH/watch-$mode.log" && break; sleep 0.1; done
    touch lessons/1.1-arrays/exercise.c
    # a grading of 1.1 takes seconds, more while other tests load the machine: wait for the second up to a minute
    for _ in $(seq 1 600); do [ "$(grep -c 'saved: grading chapter 1.1' "$SCRATCH/watch-$mode.log")" -ge 2 ] && break; sleep 0.1; done
    sleep 0.5
    kill "$watcher" 2>/dev/null
    pkill -P "$watcher" 2>/dev/null
    wait "$watcher" 2>/dev/null
    if [ "$(grep -c 'saved: grading chapter 1.1' "$SCRATCH/watch-$mode.log")" -ge 2 ] &&
        grep -q "watching with $mode" "$SCRATCH/watch-$mode.log"; then
        pass "make watch ($mode) grades chapter 1.1 again when its exercise.c is saved"
    else
        fail "make watch ($mode)" "$SCRATCH/watch-$mode.log"
    fi
done


# A chapter whose exercise.c is its untouched stub is graded from its record (grader/fixtures/<chapter>.stub), neither
# built nor run: the whole course's report, results, HTML page, JUnit and Gradescope files are those of building and
# running everything (--fresh), timings aside, and come in under 3 s (make bench measures it); a stub with one byte
# changed is built and run, and still scores 0 with every check "not implemented".
untouched="$SCRATCH/untouched"
mkdir -p "$untouched"
# Grades with a fresh build folder, and keeps the report (its timings masked) and the files written as <name>.*
grade_untouched() {
    local name=$1
    shift
    rm -rf "$untouched/build"
    $GRADE --build "$untouched/build" --results "$untouched/$name.tsv" --junit "$untouched/$name.xml" \
        --gradescope "$untouched/$name.json" --color never "$@" >"$untouched/$name.log" 2>&1
    sed 's/(graded in [0-9.]* s)/(graded in N s)/' "$untouched/$name.log" >"$untouched/$name.txt"
    sed -i 's/ time="[0-9.]*"//' "$untouched/$name.xml"
    sed -i 's/"execution_time": [0-9]*/"execution_time": N/' "$untouched/$name.json"
    cp "$untouched/build/report.html" "$untouched/$name.html"
}
grade_untouched fresh --fresh
start=$(date +%s.%N)
grade_untouched fast
seconds=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN {printf "%.2f", a - b}')
built=$(find "$untouched/build" -name check | head -3)
differ=""
for part in tsv txt html xml json; do
    cmp -s "$untouched/fresh.$part" "$untouched/fast.$part" || differ="$differ $part"
done
if [ -z "$differ" ] && [ -z "$built" ] && [ -s "$untouched/fast.tsv" ] && awk "BEGIN {exit !($seconds < 3)}"; then
    pass "the untouched stubs, graded from their records in $seconds s, get the report of building and running them"
else
    diff "$untouched/fresh.tsv" "$untouched/fast.tsv" >"$untouched/report.diff"
    diff "$untouched/fresh.txt" "$untouched/fast.txt" >>"$untouched/report.diff"
    fail "the untouched stubs from their records: ${seconds} s (at most 3), differs from --fresh in:${differ:- nothing}; built:${built:- nothing}" "$untouched/report.diff"
fi
cp lessons/1.3-math-functions/exercise.c "$untouched/changed.c"
echo "/* one byte more than the stub, and then some */" >>"$untouched/changed.c"
grade_untouched changed --use "1.3=$untouched/changed.c" 1.3
not_todo=$(tsv_rows "$untouched/changed.tsv" 'v("points") != 0 || v("verdict") != "todo"')
unnamed=$(tsv_rows "$untouched/changed.tsv" "v(\"check\") != \"memory\" && index(v(\"message\"), \"() in $untouched/changed.c\") == 0")
if [ -x "$untouched/build/1.3/check" ] && [ -s "$untouched/changed.tsv" ] && [ -z "$not_todo" ] && [ -z "$unnamed" ]; then
    pass "a stub with a byte changed is built and run: 0 points, every check 'not implemented' in $untouched/changed.c"
else
    fail "a stub with a byte changed: built: $([ -x "$untouched/build/1.3/check" ] && echo yes || echo no); not todo: $not_todo; not naming it: $unnamed" "$untouched/changed.log"
fi

