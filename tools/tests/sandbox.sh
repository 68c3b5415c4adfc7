# Hostile submissions graded as CI grades them (grader/hostile/1.1-submission.txt), in a copy of the kit
# (so that a missing protection could only damage the copy), under each protection this machine offers:
# bubblewrap, and without it (as root) the user nobody. Each gets its verdict; chapter 1.1 does not pass;
# chapter 1.3 passes with its hidden cases; nothing the hostile code read of the hidden cases or the
# reference reaches the report; no process of it is left; the copy's kit files are unchanged.
copy="$SCRATCH_PATH/hostile-kit"
mkdir -p "$copy/build/grader" "$copy/build/kit"
git ls-files --cached --others --exclude-standard | tar -cf - -T - 2>/dev/null | tar -xf - -C "$copy"
cp build/grader/grade build/grader/runner.o build/grader/suite-*.o "$copy/build/grader/"
cp build/kit/libkit.a "$copy/build/kit/"
modes=""
KIT_SANDBOX=bubblewrap $GRADE sandbox >/dev/null 2>&1 && modes="bubblewrap"
# the fallback needs a kit the user nobody can enter (not one under /root); where it cannot, it is not claimed
if [ "$(id -u)" = 0 ]; then
    if runuser -u nobody -- test -r "$copy/grader/course.txt" 2>/dev/null; then
        modes="$modes none"
    else
        pass "hostile submissions without bubblewrap: not tried here, the user nobody cannot enter $copy (the README's threat model says what holds then)"
    fi
fi
other_folder=$(awk '$1 == "1.3" {print $2}' <<<"$all_chapters")
ci_cases=0
ci_false_passes=0
for mode in $modes; do
    while IFS=$'\t' read -r name expectation why; do
        ci_cases=$((ci_cases + 1))
        dir="$SCRATCH_PATH/hostile-ci/$mode/$name"
        mkdir -p "$dir/work/lessons/1.1-arrays" "$dir/work/lessons/$other_folder"
        case_expectation "$expectation"
        cp "solutions/$other_folder/exercise.c" "$dir/work/lessons/$other_folder/exercise.c"
        if ! $GRADE write-mutant --mutants-file grader/hostile/1.1-submission.txt "$name" \
            "$dir/work/lessons/1.1-arrays/exercise.c" 1.1 >"$dir/write.log" 2>&1; then
            fail "hostile submission '$name' cannot be applied" "$dir/write.log"
            continue
        fi
        sums_before=$(kit_sums "$copy")
        (cd "$copy" && KIT_SANDBOX=$mode build/grader/grade --submission "$dir/work" --no-memcheck --color never \
            1.1 1.3) >"$dir/report.log" 2>&1
        for f in results.tsv results.json junit.xml; do cp "$copy/build/submission/$f" "$dir/$f" 2>/dev/null; done
        got=$(verdict "$dir/results.tsv" 1.1 "$check")
        passes_1_1=$(tsv_rows "$dir/results.tsv" 'v("chapter") == "1.1" && v("check") != "memory" && v("verdict") != "pass"' | wc -l)
        others=$(tsv_rows "$dir/results.tsv" 'v("chapter") == "1.3" && v("check") != "memory" && v("verdict") != "pass"' | wc -l)
        hidden_others=$(tsv_rows "$dir/results.tsv" 'v("chapter") == "1.3" && v("check") ~ /^hidden-/ && v("verdict") == "pass"' | wc -l)
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
    done < <($GRADE mutants 1.1 --mutants-file grader/hostile/1.1-submission.txt)
done
if [ -z "$modes" ]; then
    pass "hostile submissions: skipped, this machine offers no protection (bubblewrap cannot run, and not root): $($GRADE sandbox)"
elif [ "$ci_false_passes" = 0 ]; then
    pass "$ci_cases hostile submissions graded as CI grades them (protections:$(printf ' %s' $modes)), 0 false passes"
else
    fail "$ci_false_passes false passes among $ci_cases hostile submissions"
fi

