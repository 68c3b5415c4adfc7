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
full_runs=${KIT_BENCH_RUNS:-3}
all=$(time_grade "$full_runs")
one_fresh=$(time_grade 5 --fresh 1.2)
one=$(time_grade 5 1.2)
printf 'Grading every reference solution, memory checks included (median of %d): %.1f s (target: at most 120 s)\n' "$full_runs" "$all"
printf 'Grading chapter 1.2 alone (no training; medians of 5): %.1f s while chapter 1.1, whose code it links, is unchanged since it passed; %.1f s grading 1.1 too (--fresh) (target: at most 3 s)\n' "$one" "$one_fresh"
