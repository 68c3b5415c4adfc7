#!/bin/sh
# Grades one learner's submission in this copy of the kit and copies the results into OUTDIR:
#   ci/grade-one.sh SUBMISSION OUTDIR
# SUBMISSION is a folder or a tarball holding the learner's lessons/<chapter>/exercise.c files.
# OUTDIR gets report.txt, junit.xml, results.json (Gradescope's format) and results.tsv.
# The exit status is 0 only when every written chapter passes.
set -u
if [ $# -ne 2 ]; then
    echo "usage: ci/grade-one.sh SUBMISSION OUTDIR" >&2
    exit 2
fi
submission=$1
out=$2
case "$submission" in /*) ;; *) submission="$(pwd)/$submission" ;; esac
case "$out" in /*) ;; *) out="$(pwd)/$out" ;; esac
cd "$(dirname "$0")/.."
mkdir -p "$out"
make --no-print-directory -s all >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 2; }
build/grader/grade --submission "$submission" --color never >"$out/report.txt" 2>&1
status=$?
cat "$out/report.txt"
for f in junit.xml results.json results.tsv; do
    [ -f "build/submission/$f" ] && cp "build/submission/$f" "$out/$f"
done
exit "$status"
