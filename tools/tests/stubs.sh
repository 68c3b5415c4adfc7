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
    functions=$(awk -F' [|] ' -v ch="$chapter" '{gsub(/ /, "", $1)} $1 == ch {print $7}' grader/course.txt)
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
if $GRADE --check-lesson 0 --output-of "$SCRATCH/stubs.log" >"$SCRATCH/lesson-0.log" 2>&1; then
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
    for _ in $(seq 1 100); do [ "$(grep -c 'saved: grading chapter 1.1' "$SCRATCH/watch-$mode.log")" -ge 2 ] && break; sleep 0.1; done
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

