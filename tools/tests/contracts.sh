# The one-line contract of each function the learner writes (the comment above its prototype in harness/course.h)
# is said again, word for word, in the comment above the function in the chapter's stub (lessons/<folder>/exercise.c),
# so that the two cannot drift apart: the same letters, the same shapes, the same words. Line breaks, the comments'
# "*" margins and runs of spaces do not count.

# The comment just above the first line that declares or defines FUNCTION in FILE, on one line; nothing when the
# function is not there or has no comment right above it.
comment_above() { # file function
    awk -v name="$2" '
        function squeeze(s) { gsub(/[ \t]+/, " ", s); sub(/^ /, "", s); sub(/ $/, "", s); return s }
        !inside && /^[ \t]*\/\*/ { inside = 1; text = "" }
        inside {
            line = $0
            if (!sub(/^[ \t]*\/\*+/, "", line)) sub(/^[ \t]*\*( |$)/, "", line)
            closed = sub(/\*\/[ \t]*$/, "", line)
            text = text " " line
            if (closed) { inside = 0; last = squeeze(text); last_line = NR }
            next
        }
        $0 ~ ("^[a-z][^(]*[ *]" name "\\(") {
            if (last_line == NR - 1) print last
            exit
        }' "$1"
}

while read -r chapter folder; do
    [ -n "$chapter" ] || continue
    stub="lessons/$folder/exercise.c"
    functions=$($GRADE chapters --functions | awk -v ch="$chapter" '$1 == ch {$1 = $2 = ""; print}')
    disagree=""
    : >"$SCRATCH/contracts-$chapter.log"
    for function in $functions; do
        contract=$(comment_above harness/course.h "$function")
        comment=$(comment_above "$stub" "$function")
        if [ -z "$contract" ]; then
            disagree="$disagree $function"
            echo "$function: no comment right above its prototype in harness/course.h" >>"$SCRATCH/contracts-$chapter.log"
        elif [ -z "$comment" ]; then
            disagree="$disagree $function"
            echo "$function: no comment right above its definition in $stub" >>"$SCRATCH/contracts-$chapter.log"
        elif ! awk -v contract="$contract" -v comment="$comment" 'BEGIN {exit !index(comment, contract)}'; then
            disagree="$disagree $function"
            {
                echo "$function: the contract in harness/course.h is not in the comment above it in $stub;"
                echo "  course.h says: $contract"
                echo "  the stub says: $comment"
            } >>"$SCRATCH/contracts-$chapter.log"
        fi
    done
    if [ -z "$disagree" ]; then
        pass "chapter $chapter: the stub says each contract of harness/course.h:$(printf ' %s' $functions)"
    else
        fail "chapter $chapter: the contract in harness/course.h and the comment in $stub disagree for:$disagree" \
            "$SCRATCH/contracts-$chapter.log"
    fi
done <<<"$chapters"
