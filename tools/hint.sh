#!/bin/sh
# make hint CH=x.y: shows the chapter's hints one more at a time (lessons/<folder>/hints.md,
# one hint per "## Hint" section). How many you have seen is kept in build/hints/<chapter>.
set -eu
cd "$(dirname "$0")/.."
chapter=${1:-}
if [ -z "$chapter" ]; then
    echo "which chapter? for example: make hint CH=1.1" >&2
    exit 2
fi
folder=$(awk -F' [|] ' -v ch="$chapter" '{gsub(/ /, "", $1); gsub(/ /, "", $2)} $1 == ch && $3 ~ /written/ {print $2}' grader/course.txt)
if [ -z "$folder" ]; then
    echo "there is no written chapter '$chapter'; the written chapters are: $(build/grader/grade --chapters | cut -d' ' -f1 | tr '\n' ' ')" >&2
    exit 2
fi
hints="lessons/$folder/hints.md"
[ -f "$hints" ] || { echo "chapter $chapter has no hints yet ($hints)" >&2; exit 1; }
total=$(grep -c '^## Hint' "$hints")
mkdir -p build/hints
seen=$(cat "build/hints/$chapter" 2>/dev/null || echo 0)
[ "$seen" -lt "$total" ] && seen=$((seen + 1))
echo "$seen" >"build/hints/$chapter"
awk -v shown="$seen" '/^## Hint/ {n++} n >= 1 && n <= shown {print}' "$hints"
echo
if [ "$seen" -lt "$total" ]; then
    echo "(hint $seen of $total: run 'make hint CH=$chapter' again for the next one)"
else
    echo "(hint $seen of $total: that was the last one; 'rm build/hints/$chapter' starts again)"
fi
