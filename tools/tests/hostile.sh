# Hostile and broken code (grader/hostile/1.1.txt): each gets its verdict, with the report saying what
# happened; chapter 1.1 never passes; chapter 1.3, which does not link 1.1, is graded as usual; the
# kit's files are unchanged.
hostile_cases=0
false_passes=0
while IFS=$'\t' read -r name expectation why; do
    hostile_cases=$((hostile_cases + 1))
    dir="$SCRATCH/hostile/$name"
    sums_before=$(kit_sums)
    mkdir -p "$dir"
    case_expectation "$expectation"
    if ! $GRADE write-mutant --mutants-file grader/hostile/1.1.txt "$name" "$dir/exercise.c" 1.1 >"$dir/write.log" 2>&1; then
        fail "hostile code '$name' cannot be applied" "$dir/write.log"
        continue
    fi
    $GRADE --from solutions --use "1.1=$dir/exercise.c" --build "$dir/build" --results "$dir/results.tsv" \
        --no-memcheck --color never 1.1 1.3 >"$dir/report.log" 2>&1
    got=$(verdict "$dir/results.tsv" 1.1 "$check")
    passes_1_1=$(tsv_rows "$dir/results.tsv" 'v("chapter") == "1.1" && v("check") != "memory" && v("verdict") != "pass"' | wc -l)
    others=$(tsv_rows "$dir/results.tsv" 'v("chapter") == "1.3" && v("check") != "memory" && v("verdict") != "pass"' | wc -l)
    [ "$passes_1_1" = 0 ] && false_passes=$((false_passes + 1))
    unchanged=yes
    [ "$(kit_sums)" = "$sums_before" ] || unchanged=no
    if [ "$got" = "$want" ] && grep -qF -- "$text" "$dir/report.log" && [ "$passes_1_1" -gt 0 ] && [ "$others" = 0 ] &&
        [ "$(tsv_rows "$dir/results.tsv" 'v("chapter") == "1.3"' | wc -l)" -gt 1 ] && [ "$unchanged" = yes ]; then
        pass "hostile code, $why: $check is $want ('$text'); chapter 1.3 graded as usual"
    else
        fail "hostile code '$name' ($why): $check is '$got', expected $want with '$text'; 1.3 not passing: $others; kit unchanged: $unchanged" \
            "$dir/report.log"
    fi
done < <($GRADE mutants 1.1 --mutants-file grader/hostile/1.1.txt)
if [ "$false_passes" = 0 ] && [ "$hostile_cases" -gt 0 ]; then
    pass "$hostile_cases hostile or broken submissions, 0 false passes ($($GRADE sandbox | sed 's/ (.*//'))"
else
    fail "$false_passes false passes among $hostile_cases hostile or broken submissions"
fi

