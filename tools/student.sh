#!/bin/sh
# make student: exports the learner's edition of the kit into a folder (default build/student):
# everything but the reference solutions, the hidden cases, and the mutants and hostile cases (which quote solutions).
set -eu
cd "$(dirname "$0")/.."
target=${1:-build/student}
case "$target" in
    /*) ;;
    *) target="$(pwd)/$target" ;;
esac
if [ ! -d solutions ]; then
    echo "this is already a learner's edition (it has no solutions/)" >&2
    exit 1
fi
rm -rf "$target"
mkdir -p "$target"
if [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$(pwd -P)" ]; then   # a git checkout of the kit itself
    files=$(git ls-files --cached --others --exclude-standard)
else
    files=$(find . -type f ! -path './build/*' ! -path './.git/*' | sed 's|^\./||')
fi
echo "$files" | grep -Ev '^(solutions/|grader/hidden/|grader/mutants/|grader/hostile/|datasets/mnist/)' |
    tar -cf - -T - | tar -xf - -C "$target"
# Its stubs are the pristine ones, made from the reference solutions whatever lessons/ holds here (an instructor
# who tried the exercises would otherwise ship their answers).
differed=""
for solution in solutions/*/exercise.c; do
    folder=$(basename "$(dirname "$solution")")
    stub="$target/lessons/$folder/exercise.c"
    mkdir -p "$(dirname "$stub")"
    awk -v chapter="${folder%%-*}" -f grader/stub.awk "$solution" >"$stub"
    cmp -s "$stub" "lessons/$folder/exercise.c" || differed="$differed lessons/$folder/exercise.c"
done
# and nothing else of the solutions: every exported exercise.c is exactly its stub
for stub in "$target"/lessons/*/exercise.c; do
    folder=$(basename "$(dirname "$stub")")
    if [ ! -f "solutions/$folder/exercise.c" ] ||
        ! awk -v chapter="${folder%%-*}" -f grader/stub.awk "solutions/$folder/exercise.c" | cmp -s - "$stub"; then
        echo "make student: $stub is not the stub made from solutions/$folder/exercise.c; the edition is not safe to ship" >&2
        rm -rf "$target"
        exit 1
    fi
done
[ -n "$differed" ] &&
    echo "note: these differ from their stubs here (your own work?); the edition has the untouched stubs instead:$differed"
echo "wrote the learner's edition to $target ($(echo "$files" | grep -Evc '^(solutions/|grader/hidden/|grader/mutants/|grader/hostile/|datasets/mnist/)') files)"
