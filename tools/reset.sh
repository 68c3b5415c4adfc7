#!/bin/sh
# make reset CH=x.y: puts the chapter's untouched exercise back into lessons/<folder>/exercise.c. Your file is kept
# beside it as exercise.c.orig (or exercise.c.orig.2, .3, ... when that is taken): nothing of yours is lost.
# The untouched exercise comes from the reference solution (instructors' copy, grader/stub.awk), else from the
# version of the file that git first recorded (the learner's edition, cloned).
set -eu
cd "$(dirname "$0")/.."
. tools/chapter.sh
chapter=${1:-}
if [ -z "$chapter" ]; then
    echo "which chapter? for example: make reset CH=1.1 (your exercise.c is kept as exercise.c.orig)" >&2
    exit 2
fi
folder=$(chapter_folder "$chapter")
target="lessons/$folder/exercise.c"
fresh=$(mktemp "lessons/$folder/.exercise.c.XXXXXX")
trap 'rm -f "$fresh"' EXIT
if [ -f "solutions/$folder/exercise.c" ]; then
    awk -v chapter="$chapter" -f grader/stub.awk "solutions/$folder/exercise.c" >"$fresh"
else
    first=$(git log --diff-filter=A --format=%H -- "$target" 2>/dev/null | tail -n 1 || true)
    if [ -z "$first" ] || ! git show "$first:$target" >"$fresh" 2>/dev/null; then
        echo "cannot find the untouched exercise of chapter $chapter: this copy of the kit has neither solutions/ nor" \
            "a git history of $target. Nothing was changed. (A fresh clone of the course has its history.)" >&2
        exit 1
    fi
fi
if [ -f "$target" ] && cmp -s "$fresh" "$target"; then
    echo "$target is already the untouched exercise of chapter $chapter; nothing was changed"
    exit 0
fi
if [ -f "$target" ]; then
    keep="$target.orig"
    n=2
    while [ -e "$keep" ]; do
        keep="$target.orig.$n"
        n=$((n + 1))
    done
    cp -p "$target" "$keep"
    echo "your $target is kept as $keep"
fi
mv "$fresh" "$target"
trap - EXIT
echo "$target is the untouched exercise of chapter $chapter again (make grade CH=$chapter: 0 points, as at the start)"
