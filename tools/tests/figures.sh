# The figures of ideas (lessons/<folder>/pictures/*.svg) are drawn by tools/figures.c (make figures): each committed
# figure is byte for byte what the program draws now, is embedded by its lesson, and is well-formed XML; the program
# draws no figure that is not committed, and no lesson embeds a figure that the program does not draw.
drawn="$SCRATCH/drawn"
rm -rf "$drawn"
mkdir -p "$drawn"
if ! make --no-print-directory -s build/tools/figures >"$SCRATCH/build.log" 2>&1 || [ -s "$SCRATCH/build.log" ]; then
    fail "tools/figures.c builds without a warning" "$SCRATCH/build.log"
elif ! build/tools/figures "$drawn" >"$SCRATCH/figures.log" 2>&1; then
    fail "build/tools/figures draws every figure" "$SCRATCH/figures.log"
else
    xml_checker=""
    if command -v xmllint >/dev/null 2>&1; then
        xml_checker=xmllint
    elif [ "${CI:-}" = true ]; then
        fail "xmllint is not installed, so the figures cannot be checked as XML (.ci/run installs libxml2-utils)"
    else
        skip "the figures as XML: xmllint is not installed (apt-get install libxml2-utils; CI runs it)"
    fi
    # every figure drawn: committed as drawn, embedded by its lesson, well-formed
    for figure in "$drawn"/*/pictures/*.svg; do
        [ -f "$figure" ] || { fail "build/tools/figures drew no figure into $drawn"; break; }
        relative=${figure#"$drawn"/}
        folder=${relative%%/*}
        name=$(basename "$figure")
        committed="lessons/$relative"
        lesson="lessons/$folder/README.md"
        : >"$SCRATCH/$name.log"
        if [ ! -f "$committed" ]; then
            echo "$committed is missing: run make figures and commit it" >>"$SCRATCH/$name.log"
        elif ! cmp -s "$figure" "$committed"; then
            {
                echo "$committed is not what tools/figures.c draws now (changed by hand, or the program changed):"
                echo "change tools/figures.c, run make figures, and commit both; the difference:"
                diff "$figure" "$committed" | head -20
            } >>"$SCRATCH/$name.log"
        fi
        grep -qF "](pictures/$name)" "$lesson" 2>/dev/null ||
            echo "$lesson does not embed it: no ![...](pictures/$name) in the lesson" >>"$SCRATCH/$name.log"
        if [ -n "$xml_checker" ] && [ -f "$committed" ] && ! xmllint --noout "$committed" >>"$SCRATCH/$name.log" 2>&1; then
            echo "$committed is not well-formed XML (xmllint above)" >>"$SCRATCH/$name.log"
        fi
        if [ -s "$SCRATCH/$name.log" ]; then
            fail "figure $committed" "$SCRATCH/$name.log"
        else
            pass "figure $committed: what tools/figures.c draws, embedded by $lesson${xml_checker:+, well-formed XML}"
        fi
    done
    # no committed figure that the program no longer draws, no embedded figure that it does not draw
    stale=""
    for committed in lessons/*/pictures/*.svg; do
        [ -f "$committed" ] && [ ! -f "$drawn/${committed#lessons/}" ] && stale="$stale $committed"
    done
    for lesson in lessons/*/README.md; do
        folder=$(basename "$(dirname "$lesson")")
        for name in $(grep -o '](pictures/[^)]*\.svg)' "$lesson" | sed 's/^](pictures\///; s/)$//'); do
            [ -f "$drawn/$folder/pictures/$name" ] || stale="$stale $lesson:$name"
        done
    done
    if [ -z "$stale" ]; then
        pass "every committed and every embedded .svg figure is one that tools/figures.c draws"
    else
        fail "figures that tools/figures.c does not draw (delete them, or draw them in tools/figures.c):$stale"
    fi
fi
