#!/bin/sh
# make coverage: how much of each reference solution its own chapter's checks execute (gcovr).
# Writes build/coverage/index.html and prints a summary; fails below the floor:
# every solution at least 90% of its lines, all of them together at least 95%.
set -eu
cd "$(dirname "$0")/.."
FILE_FLOOR=90
TOTAL_FLOOR=95
rm -rf build/coverage
# the training checks are skipped: built -O0 for gcov they take minutes, and every line they run, the step and epoch
# checks of the same chapter run too
build/grader/grade --from solutions --coverage --no-memcheck --skip-training --hidden --build build/coverage --color never \
    >build/coverage-grade.log 2>&1 || true
# keep each solution's counts from its own chapter only, not from the chapters that link it
for dir in build/coverage/*/; do
    chapter=$(basename "$dir")
    for data in "$dir"exercise-*.gcda "$dir"exercise-*.gcno; do
        [ -e "$data" ] || continue
        case "$data" in *"exercise-$chapter.gc"*) ;; *) rm -f "$data" ;; esac
    done
done
gcovr --root . --filter 'solutions/' --html-details build/coverage/index.html build/coverage
gcovr --root . --filter 'solutions/' build/coverage | tee build/coverage/summary.txt
awk -v file_floor="$FILE_FLOOR" -v total_floor="$TOTAL_FLOOR" '
    /^solutions\// { name = $1; if (NF == 1) next; percent = $4 }
    /^ +[0-9]+ +[0-9]+ +[0-9]+%/ { percent = $3 }
    name != "" && percent != "" {
        sub(/%/, "", percent)
        if (percent + 0 < file_floor) { printf "below the floor of %d%%: %s (%s%%)\n", file_floor, name, percent; bad = 1 }
        name = ""; percent = ""
    }
    /^TOTAL/ { total = $4; sub(/%/, "", total); if (total + 0 < total_floor) { printf "total %s%% is below the floor of %d%%\n", total, total_floor; bad = 1 } }
    END { exit bad }' build/coverage/summary.txt
echo "coverage: every solution at least $FILE_FLOOR%, all together at least $TOTAL_FLOOR% (details: build/coverage/index.html)"
