# Every known-buggy variant is caught by the checks meant for it.
while read -r chapter folder; do
    [ -f "grader/mutants/$chapter.txt" ] || { fail "chapter $chapter has no grader/mutants/$chapter.txt"; continue; }
    count=0
    while IFS=$'\t' read -r name caught_by why; do
        count=$((count + 1))
        dir="$SCRATCH/mutants/$chapter/$name"
        mkdir -p "$dir"
        # the chapters it links are the reference, whose checks the solutions and bars tests run: --trust-links takes
        # them as passing without grading them again for every chapter's mutants
        if ! $GRADE write-mutant "$name" "$dir/exercise.c" "$chapter" >"$dir/write.log" 2>&1; then
            fail "mutant $chapter/$name cannot be applied" "$dir/write.log"
            continue
        fi
        memcheck="--no-memcheck"
        case " $caught_by " in *" memory "*) memcheck="" ;; esac
        # only the checks meant to catch it run (training checks take seconds each)
        only=$(printf '%s\n' $caught_by | grep -vx memory | paste -sd, -)
        $GRADE --from solutions --use "$chapter=$dir/exercise.c" --trust-links --build "$SCRATCH/mutants/$chapter/build" \
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
                env "$other" $GRADE --from solutions --use "$chapter=$dir/exercise.c" --trust-links \
                    --build "$SCRATCH/mutants/$chapter/build" --results "$dir/results-other.tsv" --color never \
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
    done < <($GRADE mutants "$chapter")
    [ "$count" -ge 3 ] || fail "chapter $chapter has $count mutants; at least 3 are needed"
done <<<"$chapters"

