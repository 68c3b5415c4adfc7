#!/bin/sh
# make hint CH=x.y: shows the chapter's hints one more at a time (lessons/<folder>/hints.md,
# one hint per "## Hint" section). How many you have seen is kept in build/hints/<chapter>.
# Without CH: the chapter you are on, the first that has not passed make grade yet.
set -eu
cd "$(dirname "$0")/.."
. tools/chapter.sh
chapter=${1:-}
if [ -z "$chapter" ]; then
    chapter=$(current_chapter)
    if [ -z "$chapter" ]; then
        echo "every chapter has passed make grade: there is no hint to give; for one chapter's hints again: make hint CH=1.1" >&2
        exit 0
    fi
    echo "(chapter $chapter: the first that has not passed make grade yet; make hint CH=x.y for another)"
    echo
fi
folder=$(chapter_folder "$chapter")
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
