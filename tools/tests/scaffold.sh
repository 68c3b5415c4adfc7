# make new-lesson scaffolds a chapter the kit accepts at once as coming (grading it by name says it is coming),
# and which becomes a graded lesson (full marks for its solution, 0 for its stub, its lesson and mutants checked)
# once written.
scaffold="$SCRATCH/scaffold"
mkdir -p "$scaffold"
git ls-files --cached --others --exclude-standard | tar -cf - -T - | tar -xf - -C "$scaffold"
if (cd "$scaffold" && make --no-print-directory -s new-lesson CH=9.1 FOLDER=9.1-example TITLE="An Example Chapter" &&
    build/grader/grade --color never | grep -q '9.1  An Example Chapter .* coming' &&
    ! build/grader/grade 9.1 >build/coming.log 2>&1 && grep -q "is not written yet: it is coming" build/coming.log &&
    sed -i 's/^9.1 | 9.1-example | coming /9.1 | 9.1-example | written/' grader/course.txt &&
    build/grader/grade record 9.1 && build/grader/grade --from solutions --hidden 9.1 &&
    ! build/grader/grade 9.1 && build/grader/grade lesson 9.1 &&
    for m in $(build/grader/grade mutants 9.1 | cut -f1); do
        build/grader/grade write-mutant "$m" "build/$m.c" 9.1 &&
            ! build/grader/grade --from solutions --use "9.1=build/$m.c" --build "build/$m" 9.1 || exit 1
    done) >"$SCRATCH/scaffold.log" 2>&1; then
    pass "make new-lesson scaffolds a chapter listed as coming; marked written, it grades (solution full, stub 0, lesson, mutants)"
else
    fail "make new-lesson" "$SCRATCH/scaffold.log"
fi

