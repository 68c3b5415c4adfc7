# A loop that never ends is judged in seconds: chapter 3.4's reference with "for (;;) {}" at the start of every
# function it defines. The first check that reaches a loop times out at its own limit (5 s); the chapter's other
# short checks then run with at most 2 s, its training check (600 s) and the hidden twins of the checks that timed
# out do not run, the memory check skips them all, and each timeout names the function and line it was in.
# The limits the checks ran with are added up from their statuses (a bound by construction), and the time the
# chapter took is printed beside it. It is graded as CI grades, hidden cases included: the public checks are graded
# as make grade grades them, and the hidden twins show that the bound holds with them too. The chapters 3.4 links are
# the reference, taken as passing (--trust-links): the solutions test grades them.
looping="$SCRATCH/endless/exercise.c"
mkdir -p "$(dirname "$looping")"
awk '{print} /SOLUTION BEGIN/ {print "    for (;;) {}"}' solutions/3.4-backpropagation/exercise.c >"$looping"
loops=$(grep -c 'for (;;) {}' "$looping")
build="$SCRATCH/build"
results="$SCRATCH/results.tsv"
report="$SCRATCH/report.log"
$GRADE --from solutions --use "3.4=$looping" --trust-links --build "$build" --results "$results" --color never --hidden 3.4 \
    >"$report" 2>&1
seconds=$(sed -n 's/.*(graded in \([0-9.]*\) s).*/\1/p' "$report" | head -1)
short=$(tsv_rows "$results" 'v("chapter") == "3.4" && v("check") !~ /^(accuracy|hidden-accuracy|memory)$/ &&
    v("verdict") != "skipped"' | wc -l)
timed_out=$(tsv_rows "$results" 'v("chapter") == "3.4" && v("verdict") == "TIMEOUT"' | wc -l)
cut=$(tsv_rows "$results" 'v("chapter") == "3.4" && v("verdict") == "TIMEOUT" &&
    index(v("message"), "a limit cut from 5 s because check backward-lesson timed out first")' | wc -l)
named=$(tsv_rows "$results" 'v("chapter") == "3.4" && v("verdict") == "TIMEOUT" &&
    v("message") ~ /, in (backward_mlp|train_mlp_step|train_mlp_epoch)\(\) at [^ ]*exercise.c:[0-9]+/' | wc -l)
training=$(verdict "$results" 3.4 accuracy)
not_run=$(tsv_rows "$results" 'v("chapter") == "3.4" && v("verdict") == "skipped" &&
    index(v("message"), "not run: check ") && index(v("message"), " timed out first")' | wc -l)
# every limit the checks ran with, from the supervisor's statuses (a check not run has none)
limits=$(cat "$build"/3.4/run/*.status "$build"/3.4/run-hidden/*.status 2>/dev/null |
    awk '$1 == "timeout" {sum += $2} END {print sum + 0}')
memory=$(tsv_field "$results" 'v("chapter") == "3.4" && v("check") == "memory"' message)
if [ "$loops" -ge 3 ] && [ "$timed_out" -ge 7 ] && [ "$timed_out" = "$short" ] && [ "$cut" = $((timed_out - 1)) ] &&
    [ "$named" = "$timed_out" ] && [ "$training" = skipped ] && [ "$not_run" -ge 1 ] &&
    awk -v l="$limits" -v n="$timed_out" 'BEGIN {exit !(l == 5 + 2 * (n - 1) && l <= 25)}' &&
    case "$memory" in *"not every check ran to its end"*) true ;; *) false ;; esac &&
    awk -v s="${seconds:-999}" 'BEGIN {exit !(s < 60)}'; then
    pass "an endless loop in every function of 3.4 (hidden cases included): $timed_out checks TIMEOUT, each naming its function and line, the first at 5 s, the others cut to 2 s ($limits s of limits in all), $not_run not run (the training check, the hidden twins); the chapter graded in $seconds s (the goal: 30 s)"
else
    fail "an endless loop in every function of 3.4 (hidden cases included): $timed_out of $short short checks TIMEOUT, $cut with a cut limit, $named naming a function, training check '$training', $not_run not run, $limits s of limits, memory '$memory', graded in ${seconds:-?} s" \
        "$report"
fi
