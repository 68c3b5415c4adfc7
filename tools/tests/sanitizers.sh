# Wrong C that computes every value right (grader/hostile/4.2.txt): a stack array walked one past its end, a signed
# overflow, a use after return. Each passes every check of chapter 4.2; the memory check's build with
# AddressSanitizer and UBSan fails it, at the line of the learner's file, and for the first two Valgrind alone sees
# nothing. (The reference solutions pass the memory check, the sanitizers' part included: the solutions test; the
# chapters 4.2 links are taken as passing here, --trust-links.)
build="$SCRATCH/build"
while IFS=$'\t' read -r name expectation why; do
    dir="$SCRATCH/$name"
    mkdir -p "$dir"
    case_expectation "$expectation"
    if ! $GRADE write-mutant --mutants-file grader/hostile/4.2.txt "$name" "$dir/exercise.c" 4.2 >"$dir/write.log" 2>&1; then
        fail "sanitizer case '$name' cannot be applied" "$dir/write.log"
        continue
    fi
    $GRADE --from solutions --use "4.2=$dir/exercise.c" --trust-links --build "$build" --results "$dir/results.tsv" \
        --color never 4.2 >"$dir/report.log" 2>&1
    got=$(verdict "$dir/results.tsv" 4.2 "$check")
    others=$(tsv_rows "$dir/results.tsv" 'v("chapter") == "4.2" && v("check") != "memory" && v("verdict") != "pass"' |
        wc -l)
    # the sanitizer's line names the learner's file and a line of it
    located=$(grep -F -- "$text" "$dir/report.log" | grep -c "at $dir/exercise.c:[0-9]* in [a-z_0-9]*()")
    valgrind=$(grep -c "Valgrind found" "$dir/report.log")
    case "$name" in use-after-return) valgrind_expected=any ;; *) valgrind_expected=0 ;; esac
    if [ "$got" = "$want" ] && [ "$others" = 0 ] && [ "$located" -ge 1 ] &&
        { [ "$valgrind_expected" = any ] || [ "$valgrind" = 0 ]; }; then
        pass "sanitizer case, $why: every check passes, and the memory check is $want ('$text' at the learner's line)$([ "$valgrind" = 0 ] && echo "; Valgrind alone sees nothing")"
    else
        fail "sanitizer case '$name' ($why): memory is '$got' (expected $want), $others other checks not passing, '$text' at the learner's line: $located, Valgrind's findings: $valgrind" \
            "$dir/report.log"
    fi
done < <($GRADE mutants 4.2 --mutants-file grader/hostile/4.2.txt)
