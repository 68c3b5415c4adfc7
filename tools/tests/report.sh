# The HTML report opens in headless Chromium: a screenshot that is not blank, no console errors. In a copy of the
# kit, whose build/pictures/ is its own (the lessons tests draw into this one's).
if command -v chromium >/dev/null 2>&1; then
    copy="$SCRATCH_PATH/kit"
    mkdir -p "$copy/build/grader" "$copy/build/kit"
    git ls-files --cached --others --exclude-standard | tar -cf - -T - 2>/dev/null | tar -xf - -C "$copy"
    cp build/grader/grade build/grader/runner.o build/grader/suite-*.o "$copy/build/grader/"
    cp build/kit/libkit.a "$copy/build/kit/"
    (cd "$copy" && build/grader/grade demo 2.2 --from solutions && # it draws build/pictures/2.2-learning-rates.png
        build/grader/grade --from solutions --no-memcheck --skip-training --html "$SCRATCH_PATH/report.html" \
            --color never) >"$SCRATCH/grade.log" 2>&1
    chromium_headless --window-size=1280,2400 --screenshot="$SCRATCH/report.png" "file://$SCRATCH_PATH/report.html" \
        >"$SCRATCH/chromium.log" 2>&1
    chromium_headless --dump-dom "file://$SCRATCH_PATH/report.html" >"$SCRATCH/dom.html" 2>>"$SCRATCH/chromium.log"
    size=$(stat -c %s "$SCRATCH/report.png" 2>/dev/null || echo 0)
    console=$(grep -Ei 'CONSOLE|Uncaught|ERR_FILE' "$SCRATCH/chromium.log" | head -3)
    if [ "$size" -gt 30000 ] && [ -z "$console" ] && grep -q 'Getting Started with Arrays' "$SCRATCH/dom.html" &&
        grep -q '<img alt="2.2-learning-rates.png"' "$SCRATCH/dom.html"; then
        pass "the HTML report renders in headless Chromium: a $size-byte screenshot, its pictures, no console errors"
    else
        fail "the HTML report in Chromium: screenshot $size bytes; console: $console" "$SCRATCH/chromium.log"
    fi
elif [ "${CI:-}" = true ]; then
    fail "chromium is not installed, so the HTML report cannot be checked (.ci/run installs it)"
else
    pass "the HTML report in Chromium: skipped, chromium is not installed (apt-get install chromium; CI runs it)"
fi

