# Coverage: the checks execute (nearly) every line of every reference solution.
if sh tools/coverage.sh >"$SCRATCH/coverage.log" 2>&1; then
    pass "$(tail -1 "$SCRATCH/coverage.log" | sed 's/ (details.*//') ($(grep '^TOTAL' build/coverage/summary.txt | awk '{print $4}') of all lines)"
else
    fail "coverage of the reference solutions is below the floor" "$SCRATCH/coverage.log"
fi

