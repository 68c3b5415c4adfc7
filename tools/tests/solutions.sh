# Every reference solution scores full marks, memory check and hidden cases included. The training checks are
# left to the bars tests (bars-mnist, bars-fashion), which train the reference on seeds 1 and 2 of each data set:
# here they are skipped (--skip-training), and the training checks of the chapters that link a skipped one are
# blocked by it.
$GRADE --from solutions --hidden --skip-training --build "$SCRATCH/solutions" --results "$SCRATCH/solutions.tsv" \
    --color never >"$SCRATCH/solutions.log" 2>&1
training_ids_all=$(while read -r chapter folder; do
    awk -v ch="$chapter" '/^check /{id=$2} /^atleast /{print ch "/" id; print ch "/hidden-" id}' \
        "grader/fixtures/$chapter.txt"
done <<<"$all_chapters" | paste -sd' ' -)
not_passing=$(tsv_rows "$SCRATCH/solutions.tsv" "v(\"verdict\") != \"pass\" &&
    !((v(\"verdict\") == \"skipped\" || v(\"verdict\") == \"blocked\") && index(\" $training_ids_all \", \" \" v(\"chapter\") \"/\" v(\"check\") \" \"))")
left=$(tsv_rows "$SCRATCH/solutions.tsv" 'v("verdict") != "pass"' | wc -l)
passed=$(tsv_rows "$SCRATCH/solutions.tsv" 'v("verdict") == "pass"' | wc -l)
if [ -z "$not_passing" ] && [ "$passed" -gt 0 ]; then
    pass "every reference solution passes every check, memory and hidden cases included: $passed checks ($left training checks left to the bars tests)"
else
    fail "reference solutions: checks that do not pass" "$SCRATCH/solutions.log"
fi
