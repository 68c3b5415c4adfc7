#!/bin/sh
# make bench: the speed and memory of the reference solutions on this machine, and how long grading takes.
# Every figure is measured here, now: medians over repeated runs (these machines are noisy).
#   KIT_BENCH_RUNS   epochs (and grading runs) to take the median of (default 5 epochs, 3 full gradings)
set -eu
cd "$(dirname "$0")/.."
GRADE=build/grader/grade
runs=${KIT_BENCH_RUNS:-5}
out=build/bench
# the compiler flags of the kit (the Makefile's BASE_CFLAGS, which make bench passes), so that the reference is built
# as grading builds it
: "${KIT_CFLAGS:?tools/bench.sh: KIT_CFLAGS is not set; run make bench, which passes the compiler flags of the Makefile}"
mkdir -p "$out"

# the reference solutions of the written chapters, and a flag for each benchmark whose chapter is written
sources="" flags=""
for folder in $($GRADE chapters | cut -d' ' -f2); do
    sources="$sources solutions/$folder/exercise.c"
done
written() { $GRADE chapters | grep -q "^$1 "; }
written 3.4 && flags="$flags -DKIT_BENCH_MLP"
written 4.1 && flags="$flags -DKIT_BENCH_MLP3"
written 4.3 && flags="$flags -DKIT_BENCH_CNN"
written 4.5 && flags="$flags -DKIT_BENCH_MOMENTUM"
# shellcheck disable=SC2086
${CC:-cc} $KIT_CFLAGS -Iharness $flags $(pkg-config --cflags openblas) -o "$out/bench" bench/bench.c $sources \
    build/kit/libkit.a $(pkg-config --libs openblas zlib libpng) -lm

echo "Benchmarks of the reference solutions on $(uname -n): $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores"
flags_line=$(grep -m1 '^flags' /proc/cpuinfo)
case "$flags_line" in *avx512f*) echo "The CPU has AVX-512: OPENBLAS_CORETYPE=SkylakeX may pick faster kernels." ;;
*) echo "The CPU has no AVX-512 (AVX2 and FMA: $(echo "$flags_line" | grep -o 'avx2' | head -1 || true)), so OpenBLAS's SkylakeX kernels cannot run here." ;; esac
"$out/bench" --runs "$runs"

# grading: every reference solution with memory checks, and one chapter without training
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
time_grade() { # runs, then the grade tool's arguments
    n=$1
    shift
    i=0
    while [ "$i" -lt "$n" ]; do
        start=$(date +%s.%N)
        $GRADE --from solutions --build "$out/grade" --results "$out/grade.tsv" --color never "$@" >"$out/grade.log" 2>&1 ||
            { echo "grading failed: see $out/grade.log" >&2; exit 1; }
        awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN {print a - b}'
        i=$((i + 1))
    done | median
}
# a learner's edit: chapter 1.2's exercise.c changed before each run (a comment added), chapter 1.1 unchanged
time_edited() { # runs
    mkdir -p "$out/edited"
    j=0
    while [ "$j" -lt "$1" ]; do
        cp solutions/1.2-matrix-operations/exercise.c "$out/edited/exercise.c"
        echo "/* edit $j at $(date +%s.%N) */" >>"$out/edited/exercise.c"
        time_grade 1 --use "1.2=$out/edited/exercise.c" 1.2
        j=$((j + 1))
    done | median
}
# a new learner's first make grade: lessons/ as the kit ships it (every chapter its untouched stub), a build folder no
# grading has used; it exits 1 (nothing passes yet)
time_first() { # runs
    k=0
    while [ "$k" -lt "$1" ]; do
        rm -rf "$out/first"
        start=$(date +%s.%N)
        status=0
        $GRADE --build "$out/first" --color never >"$out/first.log" 2>&1 || status=$?
        [ "$status" = 1 ] || { echo "the first make grade did not exit 1: see $out/first.log" >&2; exit 1; }
        awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN {print a - b}'
        k=$((k + 1))
    done | median
}
full_runs=${KIT_BENCH_RUNS:-3}
all=$(time_grade "$full_runs")
one_fresh=$(time_grade 5 --fresh 1.2)
one_edited=$(time_edited 5)
one=$(time_grade 5 1.2)
first=$(time_first 5)
printf 'Grading every reference solution, memory checks included (median of %d): %.1f s (target: at most 120 s)\n' "$full_runs" "$all"
printf 'Grading chapter 1.2 alone (no training; medians of 5): %.2f s when nothing changed since it passed (target: at most 3 s); %.1f s after an edit of its exercise.c, chapter 1.1 unchanged (built again, run, under Valgrind and with the sanitizers); %.1f s computing everything, 1.1 too (--fresh)\n' "$one" "$one_edited" "$one_fresh"
printf "A new learner's first make grade, every chapter its untouched stub (median of 5): %.2f s (target: at most 3 s)\n" "$first"
