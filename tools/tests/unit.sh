# The harness's unit tests (Criterion).
if build/tests/harness >"$SCRATCH/harness.log" 2>&1; then
    pass "harness unit tests: $(grep -o 'Tested: [0-9]*' "$SCRATCH/harness.log" | head -1)"
else
    fail "harness unit tests" "$SCRATCH/harness.log"
fi

if build/tests/grader >"$SCRATCH/grader.log" 2>&1; then
    pass "grader unit tests (judging): $(grep -o 'Tested: [0-9]*' "$SCRATCH/grader.log" | head -1)"
else
    fail "grader unit tests" "$SCRATCH/grader.log"
fi
