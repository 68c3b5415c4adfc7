# What every test of tools/tests/ starts from (tools/test.sh sources it before the test's own file).
# A test prints one line per result: "ok   ...", "FAIL ..." (then the head of a log, indented) or "skip ...";
# tools/test.sh counts them. It works in its own empty folder, $SCRATCH, and in build folders under it.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

GRADE=build/grader/grade
# a make that a test runs is a new learner's or instructor's: it gets none of make test's own variables (T=, CH=),
# which make passes down to every make below it through MAKEFLAGS
unset MAKEFLAGS MFLAGS MAKEOVERRIDES MAKELEVEL
SCRATCH=${SCRATCH:?is set by tools/test.sh: the folder of this test}
mkdir -p "$SCRATCH"
SCRATCH_PATH=$(cd "$SCRATCH" && pwd) # the same, absolute

pass() { printf 'ok   %s\n' "$1"; }
skip() { printf 'skip %s\n' "$1"; }
fail() {
    printf 'FAIL %s\n' "$1"
    [ -n "${2:-}" ] && [ -f "$2" ] && sed -n '1,40p' "$2" | sed 's/^/     | /'
    return 0
}

# Results files (grade --results) are read by the names in their header: chapter, check, verdict, points,
# max_points, message.
#   tsv_rows FILE 'CONDITION'         the rows where the awk condition holds, e.g. 'v("verdict") != "pass"'
#   tsv_field FILE 'CONDITION' NAME   the field NAME of those rows
tsv_rows() {
    awk -F'\t' 'function v(n) {return $(column[n])}
        NR == 1 {for (i = 1; i <= NF; i++) column[$i] = i; next} '"$2" "$1" 2>/dev/null
}
tsv_field() {
    awk -F'\t' -v name="$3" 'function v(n) {return $(column[n])}
        NR == 1 {for (i = 1; i <= NF; i++) column[$i] = i; next} '"$2"' {print v(name)}' "$1" 2>/dev/null
}
# The verdict of one chapter's check in a results file.
verdict() { tsv_field "$1" "v(\"chapter\") == \"$2\" && v(\"check\") == \"$3\"" verdict; }

# The checksums of the kit's own files (in the folder given, else here): hostile code must change none.
kit_sums() {
    (cd "${1:-.}" && find grader harness solutions lessons -type f -print0 | sort -z | xargs -0 sha256sum &&
        sha256sum build/grader/grade) 2>/dev/null
}

# The written chapters as "1.1 1.1-arrays" lines: all of them, and those CH names (make test CH=3.4; all by default).
all_chapters=$($GRADE chapters)
chapters=$all_chapters
if [ -n "${CH:-}" ]; then
    chapters=$(awk -v list="${CH//,/ }" 'BEGIN {n = split(list, want, " "); for (i = 1; i <= n; i++) named[want[i]] = 1}
        $1 in named' <<<"$all_chapters")
fi
# The training checks (those with an accuracy bar, "atleast" in their fixture), as "chapter check" lines: their
# bars are checked on MNIST and on Fashion-MNIST.
training_checks=$(while read -r chapter folder; do
    [ -n "$chapter" ] && awk -v ch="$chapter" '/^check /{id=$2} /^atleast /{print ch, id}' "grader/fixtures/$chapter.txt"
done <<<"$chapters" | sort -u)
training_chapters=$(cut -d' ' -f1 <<<"$training_checks" | sort -u | paste -sd' ' -)
training_ids=$(cut -d' ' -f2 <<<"$training_checks" | sort -u | paste -sd, -)

# MNIST: the folder MNIST_DIR names, else datasets/mnist (make datasets), else the copy beside the checkout
# (tools/test.sh settles it once and exports MNIST_DIR).
has_mnist() { [ -f "$1/train-images-idx3-ubyte.gz" ] || [ -f "$1/train-images-idx3-ubyte" ]; }
mnist_here=""
if [ -n "${MNIST_DIR:-}" ] && has_mnist "$MNIST_DIR"; then mnist_here=$MNIST_DIR
elif has_mnist datasets/mnist; then mnist_here=datasets/mnist; fi

# A request the grader must refuse, with a message that says what was wrong.
expect_error() { # description, expected text, command...
    local description=$1 want=$2
    shift 2
    if "$@" >"$SCRATCH/error.log" 2>&1; then
        fail "$description: it succeeded"
    elif grep -qF -e "$want" "$SCRATCH/error.log"; then
        pass "$description"
    else
        fail "$description: no '$want' in" "$SCRATCH/error.log"
    fi
}

# A case's expectation, from the first field of a mutants file's line ("caught-by" in grader/hostile/*.txt): the check,
# the verdict it must get, then the text the report must show. Sets check, want and text.
case_expectation() { # expectation
    set -- $1
    check=$1 want=$2
    shift 2
    text="$*"
}

# Headless Chromium with a profile of its own in $SCRATCH and its log on stderr: chromium_headless ARGS...
chromium_headless() {
    timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
        --user-data-dir="$SCRATCH/chromium-profile" --enable-logging=stderr --v=0 "$@"
}
