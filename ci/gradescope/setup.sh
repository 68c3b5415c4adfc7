#!/bin/sh
# Gradescope runs this once, when it builds the autograder's image (Ubuntu, as root).
# The autograder zip holds this kit (the instructors' copy, with grader/hidden) at /autograder/source.
set -eu
root=${AUTOGRADER_ROOT:-/autograder}
cd "$root/source"
sh tools/install-deps.sh
make --no-print-directory -s all
