# The learner's edition holds no reference in any form, builds, and grades its stubs to zero.
# (the learner's make runs in the edition see no CH of make test's: they name their own chapters)
unset CH
student="$SCRATCH/student"
if sh tools/student.sh "$student" >"$SCRATCH/student.log" 2>&1 &&
    (cd "$student" && make grade) >>"$SCRATCH/student.log" 2>&1; then
    fail "the learner's edition: make grade passed on stubs" "$SCRATCH/student.log"
else
    leaked=$(cd "$student" && ls -d solutions grader/hidden grader/mutants grader/hostile 2>/dev/null; grep -rlE --include="*.c" "SOLUTION (ONLY )?BEGIN" . 2>/dev/null)
    if [ -z "$leaked" ] && grep -q "^Score 0/" "$SCRATCH/student.log" && ! grep -q "CRASH\|TIMEOUT" "$SCRATCH/student.log"; then
        pass "make student exports an edition without solutions, hidden cases or mutants; it grades its stubs to 0"
    else
        fail "the learner's edition (leaked: $leaked)" "$SCRATCH/student.log"
    fi
fi

# The learner's loop in the learner's edition, published as a git repository: a failed check names the commands
# that run it alone (ONLY=) and under gdb (make debug); ONLY= with a typo names the chapter's checks; make hint
# without CH picks the chapter the learner is on; make reset puts the untouched exercise back from the edition's
# history and keeps the learner's file as exercise.c.orig (then .orig.2); the compiler's warnings about the
# learner's file are in the report.
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

