expect_error "an unknown chapter id is named with the valid ones" "there is no chapter '9.9'; the chapters are 1.1," \
    $GRADE 9.9
expect_error "make run without CH says how to name the chapter" "make run CH=1.1" $GRADE demo
expect_error "--trust-links is refused for a learner's code (it takes linked chapters as passing)" \
    "holds for the reference solutions only: use it with --from solutions" $GRADE --trust-links 1.2
expect_error "--trust-links is refused when --use replaces a linked chapter" \
    "--use 1.1=$SCRATCH/any.c replaces chapter 1.1, which is not named" \
    $GRADE --from solutions --trust-links --use "1.1=$SCRATCH/any.c" 1.2

first=$(head -1 <<<"$all_chapters")
first_chapter=${first%% *}
first_folder=${first#* }
broken="$SCRATCH/broken"
mkdir -p "$broken/$first_folder"
sed 's/^}$/}}/' "solutions/$first_folder/exercise.c" >"$broken/$first_folder/exercise.c"
$GRADE --from solutions --use "$first_chapter=$broken/$first_folder/exercise.c" --build "$broken/build" \
    --results "$broken/results.tsv" --color never --no-memcheck "$first_chapter" 1.3 >"$broken/report.log" 2>&1
others_graded=$(tsv_rows "$broken/results.tsv" "v(\"chapter\") != \"$first_chapter\" && v(\"check\") != \"memory\"" | wc -l)
if [ "$(verdict "$broken/results.tsv" "$first_chapter" build)" = "compile-error" ] && [ "$others_graded" -gt 0 ] &&
    grep -q "$broken/$first_folder/exercise.c:[0-9]*:[0-9]*: error" "$broken/report.log"; then
    pass "a compile error is chapter $first_chapter's verdict, with file:line; chapter 1.3, which does not link it, is still graded"
else
    fail "a compile error in chapter $first_chapter" "$broken/report.log"
fi

second=$(sed -n 2p <<<"$all_chapters")
second_chapter=${second%% *}

# The summary line after one chapter that passes points to the next chapter, not to "the whole course".
$GRADE --from solutions --build "$SCRATCH/next" --results "$SCRATCH/next.tsv" --color never "$first_chapter" \
    >"$SCRATCH/next.log" 2>&1
if tail -1 "$SCRATCH/next.log" | grep -q "next: chapter $second_chapter, " &&
    ! grep -q "details: make grade CH=$first_chapter" "$SCRATCH/next.log"; then
    pass "make grade CH=$first_chapter with every check passing ends with 'next: chapter $second_chapter, ...'"
else
    fail "the summary line after grading chapter $first_chapter alone" "$SCRATCH/next.log"
fi

# One HTML report for the whole course, updated chapter by chapter: after grading chapter 1.3, then 2.1, alone,
# the report still has 1.3's row and checks beside 2.1's, the rest "not graded", and the general hint of a failed
# check.
html_build="$SCRATCH/html-course"
$GRADE --from solutions --build "$html_build" --no-memcheck --color never 1.3 >"$SCRATCH/html-1.log" 2>&1
$GRADE --from solutions --build "$html_build" --no-memcheck --color never 2.1 >"$SCRATCH/html-2.log" 2>&1
$GRADE write-mutant slice-ignores-column-offset "$SCRATCH/html-slice.c" 1.1 >/dev/null 2>&1
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

# A chapter that a named chapter links is not graded again while it is unchanged since it passed.
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
    grep -q "unchanged since it passed" "$reuse/second.log" && ! grep -q "unchanged since it passed" "$reuse/first.log" &&
    cmp -s <(cut -f1-5 "$reuse/first.tsv") <(cut -f1-5 "$reuse/second.tsv"); then
    pass "make grade CH=$second_chapter does not grade $first_chapter (nor $second_chapter itself) again while it is unchanged since it passed; a change, --fresh or a failing $first_chapter grades it (its report is the same either way)"
else
    fail "reusing linked chapter $first_chapter: first '$first_run', second '$second_run', fresh '$fresh_run', changed '$changed_run', stub '$stub_run', stub again '$stub_again'" "$reuse/second.log"
fi

# Each exercise.c is compiled once into an object for a build folder, and linked into every check program that
# needs it: grading chapters 1 and 2 (which links 1) makes one object of each; a change to chapter 2's file compiles
# it again, and chapter 1's object is neither made again nor changed.
objects="$SCRATCH/objects"
second_folder=${second#* }
mkdir -p "$objects"
# (its own objects folder, <build>/objects, not the one the other tests share: KIT_OBJECTS)
env -u KIT_OBJECTS $GRADE --from solutions --no-memcheck --build "$objects/build" --results "$objects/first.tsv" --color never \
    "$first_chapter" "$second_chapter" >"$objects/first.log" 2>&1
object_list() { (cd "$objects/build/objects" && ls -l --time-style=+%s.%N "$first_chapter"-plain-*.o \
    "$second_chapter"-plain-*.o 2>/dev/null | awk '{print $6, $7}'); }
before=$(object_list)
sed 's/^}$/}\n/' "solutions/$second_folder/exercise.c" >"$objects/exercise.c"
env -u KIT_OBJECTS $GRADE --from solutions --use "$second_chapter=$objects/exercise.c" --no-memcheck --build "$objects/build" \
    --results "$objects/second.tsv" --color never "$second_chapter" >"$objects/second.log" 2>&1
after=$(object_list)
if [ "$(grep -c " $first_chapter-" <<<"$before")" = 1 ] && [ "$(grep -c " $second_chapter-" <<<"$before")" = 1 ] &&
    [ "$(grep " $first_chapter-" <<<"$after")" = "$(grep " $first_chapter-" <<<"$before")" ] &&
    [ "$(grep -c " $second_chapter-" <<<"$after")" = 2 ] &&
    [ -z "$(tsv_rows "$objects/first.tsv" 'v("verdict") != "pass" && v("verdict") != "skipped"')" ] &&
    [ -z "$(tsv_rows "$objects/second.tsv" 'v("verdict") != "pass" && v("verdict") != "skipped"')" ]; then
    pass "each exercise.c is compiled once into an object in <build>/objects/: a change to $second_chapter's compiles it again, not $first_chapter's, which both check programs link"
else
    fail "the objects of a build folder: before the change '$before', after '$after'" "$objects/second.log"
fi

# A training that has gone to NaN is stopped there, not trained to the end: chapter 3.4's step that goes uphill
# makes every element of b2 NaN within the first epoch, and the accuracy check says where it stopped and why.
if $GRADE chapters | grep -q "^3.4 "; then
    nan="$SCRATCH/nan-training"
    mkdir -p "$nan"
    $GRADE write-mutant step-uphill "$nan/exercise.c" 3.4 >"$nan/write.log" 2>&1
    env ${mnist_here:+MNIST_DIR=$mnist_here} $GRADE --from solutions --use "3.4=$nan/exercise.c" --trust-links \
        --no-memcheck --only accuracy --build "$nan/build" --results "$nan/results.tsv" --color never 3.4 \
        >"$nan/report.log" 2>&1
    message=$(tsv_field "$nan/results.tsv" 'v("chapter") == "3.4" && v("check") == "accuracy"' message)
    if [ "$(verdict "$nan/results.tsv" 3.4 accuracy)" = FAIL ] &&
        grep -q "the training was stopped in epoch 1, after step [0-9]* of [0-9]*: every element of b2, the output layer's bias, is NaN" <<<"$message" &&
        grep -q "test accuracy not measured, the bar on" "$nan/report.log"; then
        pass "a training gone to NaN is stopped in its first epoch, and the check says at which step and why (3.4, a step uphill)"
    else
        fail "a training gone to NaN (3.4, a step uphill): verdict '$(verdict "$nan/results.tsv" 3.4 accuracy)'" "$nan/report.log"
    fi
fi

# A leak in every call is reported as its total: Valgrind writes one loss record of 16 bytes in each of the four
# checks' runs that call normalize; the report says 64 bytes in 4 blocks, not "16 bytes in 1 blocks".
leak="$SCRATCH/leak"
mkdir -p "$leak"
$GRADE write-mutant leak-every-call "$leak/exercise.c" 1.1 >"$leak/write.log" 2>&1
$GRADE --from solutions --use "1.1=$leak/exercise.c" --build "$leak/build" --results "$leak/results.tsv" --color never \
    --only normalize-small,normalize-random,normalize-constant,normalize-in-place 1.1 >"$leak/report.log" 2>&1
if [ "$(verdict "$leak/results.tsv" 1.1 memory)" = FAIL ] &&
    grep -qF "memory leak: definitely lost: 64 bytes in 4 blocks (4 allocations never freed), allocated at $leak/exercise.c:" "$leak/report.log"; then
    pass "a leak of 16 bytes in each of 4 checks' runs is reported as 64 bytes in 4 blocks, with its file:line"
else
    fail "the total of a leak in every call" "$leak/report.log"
fi

# A read of a value never written says where the value came from: Valgrind runs first without --track-origins, sees
# the read, and runs again with it (mutant 2.3/shuffle-keeps-old-order shuffles an order it never filled in).
if $GRADE chapters | grep -q "^2.3 "; then
    origin="$SCRATCH/origin"
    mkdir -p "$origin"
    $GRADE write-mutant shuffle-keeps-old-order "$origin/exercise.c" 2.3 >"$origin/write.log" 2>&1
    $GRADE --from solutions --use "2.3=$origin/exercise.c" --trust-links --only minibatch-tiny --build "$origin/build" \
        --results "$origin/results.tsv" --color never 2.3 >"$origin/report.log" 2>&1
    if [ "$(verdict "$origin/results.tsv" 2.3 memory)" = FAIL ] &&
        grep -q "uninitialised value.* at $origin/exercise.c:[0-9]* in gather_rows()" "$origin/report.log" &&
        grep -qF "Uninitialised value was created by a heap allocation, at $origin/exercise.c:" "$origin/report.log"; then
        pass "a read of an uninitialised value is reported at its file:line with the allocation it came from (Valgrind runs again with --track-origins=yes)"
    else
        fail "a read of an uninitialised value (2.3, an order never filled in) and where it came from" "$origin/report.log"
    fi
fi

# A wrong result that follows a pattern gets a diagnosis instead of the check's fixed hint: the sample std
# (N - 1) of mutant 1.1/normalize-sample-std is named as such; a result with no pattern keeps the fixed hint,
# marked general.
diag="$SCRATCH/diagnosis"
mkdir -p "$diag"
$GRADE write-mutant normalize-sample-std "$diag/std.c" 1.1 >"$diag/write.log" 2>&1
$GRADE write-mutant slice-ignores-column-offset "$diag/slice.c" 1.1 >>"$diag/write.log" 2>&1
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


# A function that writes into an input it must leave as it is is told so in place of the check's fixed hint:
# mutant 1.1/normalize-columns-writes-its-input centres X in place and still gets out right; the report names the
# function, the input and the first element it wrote, with its value before and after.
written="$SCRATCH/written-input"
mkdir -p "$written"
$GRADE write-mutant normalize-columns-writes-its-input "$written/exercise.c" 1.1 >"$written/write.log" 2>&1
$GRADE --from solutions --use "1.1=$written/exercise.c" --build "$written/build" --results "$written/results.tsv" \
    --no-memcheck --color never --only normalize-columns-people 1.1 >"$written/report.log" 2>&1
if [ "$(verdict "$written/results.tsv" 1.1 normalize-columns-people)" = FAIL ] &&
    grep -qF "what it looks like: normalize_columns wrote into its input data, which it must leave as it is: its element [0][0] was 23, is now -11.75" "$written/report.log" &&
    ! grep -q "hint (general" "$written/report.log"; then
    pass "normalize_columns writing into its input is diagnosed as such (the element, before and after) in place of the fixed hint"
else
    fail "the diagnosis of a function that writes into its input" "$written/report.log"
fi
