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
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    files=$(git ls-files --cached --others --exclude-standard)
else
    files=$(find . -type f ! -path './build/*' ! -path './.git/*' | sed 's|^\./||')
fi
echo "$files" | grep -Ev '^(solutions/|grader/hidden/|grader/mutants/|grader/hostile/|datasets/mnist/)' |
    tar -cf - -T - | tar -xf - -C "$target"
echo "wrote the learner's edition to $target ($(echo "$files" | grep -Evc '^(solutions/|grader/hidden/|grader/mutants/|grader/hostile/|datasets/mnist/)') files)"
