#!/bin/sh
# make bench: the speed and memory of the reference solutions on this machine, and how long grading takes.
# Every figure is measured here, now: medians over repeated runs (these machines are noisy).
#   KIT_BENCH_RUNS   epochs (and grading runs) to take the median of (default 5 epochs, 3 full gradings; SCALE: 3)
#   KIT_BENCH_PYTHON the python3 that has torch and numpy, for the peers (default: python3, else /usr/bin/python3)
#   KIT_BENCH_SCALE  1 (make bench SCALE=1): instead of the rest, how an epoch's time grows with the batch size, the
#                    hidden width and the filter count, against its floor at the sgemm peak
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
# the machine's load: above its core count, other programs share the CPU and every figure of this run is slower
load() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo unknown; }
echo "Load average (1 minute) as the benchmarks start: $(load) on $(nproc) cores"
flags_line=$(grep -m1 '^flags' /proc/cpuinfo)
case "$flags_line" in *avx512f*) echo "The CPU has AVX-512: OPENBLAS_CORETYPE=SkylakeX may pick faster kernels." ;;
*) echo "The CPU has no AVX-512 (AVX2 and FMA: $(echo "$flags_line" | grep -o 'avx2' | head -1 || true)), so OpenBLAS's SkylakeX kernels cannot run here." ;; esac
if [ "${KIT_BENCH_SCALE:-}" = 1 ]; then
    # the table's lines (scale <table> <value> ...) go to $out/scale.txt, for a chart
    { "$out/bench" --scale --runs "${KIT_BENCH_RUNS:-3}" && echo 0 >"$out/bench.status" || echo $? >"$out/bench.status"; } |
        tee "$out/scale.txt" | grep -v '^scale '
    [ "$(cat "$out/bench.status")" = 0 ] || { echo "tools/bench.sh: $out/bench --scale failed" >&2; exit 1; }
    exit 0
fi
# the peers: the same networks in PyTorch (CPU) and in NumPy float32 (bench/peers.py), where a python3 with both is
# found: KIT_BENCH_PYTHON if it is set, else python3 on the PATH, else Debian's /usr/bin/python3. The bench runs each
# network's peers right after the network (--peers), so that a ratio compares epochs minutes apart at most.
has_peers() { "$1" -c 'import torch, numpy' >/dev/null 2>&1; }
python=""
if [ -n "${KIT_BENCH_PYTHON:-}" ]; then
    tried=$KIT_BENCH_PYTHON
    has_peers "$KIT_BENCH_PYTHON" && python=$KIT_BENCH_PYTHON
else
    tried="python3, /usr/bin/python3"
    for candidate in python3 /usr/bin/python3; do
        if has_peers "$candidate"; then python=$candidate && break; fi
    done
fi
if [ -n "$python" ]; then
    echo "After each network: the same network in PyTorch (CPU, the best of 1 and 2 threads) and in NumPy float32"
    echo "($python bench/peers.py), so that the kit's epoch and its peers' are measured minutes apart at most."
fi
# the parseable lines (kit <network> epoch_seconds ..., peer <peer> <network> ...) go to $out/bench.txt for the table
{ "$out/bench" --runs "$runs" ${python:+--peers "$python"} && echo 0 >"$out/bench.status" ||
    echo $? >"$out/bench.status"; } | tee "$out/bench.txt" | grep -v '^kit '
[ "$(cat "$out/bench.status")" = 0 ] || { echo "tools/bench.sh: $out/bench failed (exit status $(cat "$out/bench.status"))" >&2; exit 1; }

networks=$(awk '$1 == "kit" && $3 == "epoch_seconds" {printf "%s%s", (n++ ? "," : ""), $2}' "$out/bench.txt")
if [ -z "$python" ]; then
    echo "The peers (PyTorch and NumPy) are not measured: no python3 with both torch and numpy (tried: $tried)."
    echo "To measure them too: apt-get install python3-torch python3-numpy (Debian's packages, for /usr/bin/python3; as root"
    echo "or with sudo), then make bench again. The kit itself does not need them."
elif [ -z "$networks" ]; then
    echo "The peers are not measured: none of the benchmarked chapters (3.4, 4.1, 4.3, 4.5) is written yet."
else
    echo
    echo "Each network's epoch, the kit's beside its peers' (measured right after it; load average now $(load); a ratio"
    echo "below 1: the kit is faster):"
    awk '
        $1 == "kit" && $3 == "epoch_seconds" { kit[$2] = $4; floor[$2] = $6; kit_threads[$2] = $8; order[++count] = $2 }
        $1 == "peer" { seconds[$2, $3] = $5; if ($2 == "torch") threads[$3] = $7 }
        function shown(s) { return s == "" ? "-" : sprintf("%.3f s", s) }
        function ratio(a, b) { return (a == "" || b == "") ? "-" : sprintf("%.2f", a / b) }
        # a goal: the measured ratio against its bound, met or missed by how much
        function goal(text, value, bound) {
            if (value == "") { printf "  %-52s not measured\n", text; return }
            printf "  %-52s %.2f: %s\n", text, value,
                value <= bound ? "met" : sprintf("missed, %.1fx the goal", value / bound)
        }
        BEGIN {
            name["mlp"] = "MLP 784-256-10"; name["mlp3"] = "MLP 784-256-128-10"
            name["cnn"] = "CNN of 4.3 (8-16, dense 64)"; name["capstone"] = "capstone CNN (16-32, dense 128)"
        }
        END {
            printf "  %-32s %14s %18s %9s %11s %9s %10s\n", "network", "kit (threads)", "PyTorch (threads)", "NumPy",
                "kit/PyTorch", "kit/NumPy", "kit/floor"
            for (i = 1; i <= count; i++) {
                n = order[i]
                t = seconds["torch", n]
                printf "  %-32s %14s %18s %9s %11s %9s %10s\n", name[n], shown(kit[n]) " (" kit_threads[n] ")",
                    shown(t) (t == "" ? "" : " (" threads[n] ")"), shown(seconds["numpy", n]), ratio(kit[n], t),
                    ratio(kit[n], seconds["numpy", n]), ratio(kit[n], floor[n])
            }
            print "(kit/floor: the epoch against its products at the sgemm peak of this run)"
            print "Goals of issue 17:"
            v = ("cnn" in kit && seconds["torch", "cnn"] != "") ? kit["cnn"] / seconds["torch", "cnn"] : ""
            goal("CNN of 4.3: kit/PyTorch at most 0.25", v, 0.25)
            v = ("capstone" in kit && seconds["torch", "capstone"] != "") ? kit["capstone"] / seconds["torch", "capstone"] : ""
            goal("capstone CNN: kit/PyTorch at most 0.35", v, 0.35)
            v = ("mlp" in kit && seconds["torch", "mlp"] != "") ? kit["mlp"] / seconds["torch", "mlp"] : ""
            goal("MLP 784-256-10: kit/PyTorch at most 0.5", v, 0.5)
            v = ("mlp" in kit && floor["mlp"] > 0) ? kit["mlp"] / floor["mlp"] : ""
            goal("MLP 784-256-10: kit/floor at most 1.4", v, 1.4)
        }' "$out/bench.txt"
fi

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
