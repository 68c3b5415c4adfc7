# The fixtures are what the reference solutions produce now. A training check's fixture keeps only its bars (the
# accuracy it reached is written as 0), so they are recorded on a small cut of the data set: its first 4,096
# training and 1,024 test images, made here from Fashion-MNIST.
small="$SCRATCH/small-dataset"
mkdir -p "$small"
cut_idx() { # file (.gz), count (4 hex bytes, big-endian), bytes per item, items
    local name=$1 count=$2 size=$3 items=$4 header=16
    case "$name" in *labels*) header=8 ;; esac
    { zcat "/usr/share/datasets/fashion-mnist/$name.gz" | head -c 4 && printf "$count" &&
        zcat "/usr/share/datasets/fashion-mnist/$name.gz" | tail -c +9 | head -c $((header - 8 + size * items)); } |
        gzip -1 >"$small/$name.gz"
}
cut_idx train-images-idx3-ubyte '\x00\x00\x10\x00' 784 4096
cut_idx train-labels-idx1-ubyte '\x00\x00\x10\x00' 1 4096
cut_idx t10k-images-idx3-ubyte '\x00\x00\x04\x00' 784 1024
cut_idx t10k-labels-idx1-ubyte '\x00\x00\x04\x00' 1 1024
mkdir -p "$SCRATCH/fixtures"
if MNIST_DIR=$SCRATCH_PATH/small-dataset $GRADE record --fixtures "$SCRATCH/fixtures" $(cut -d" " -f1 <<<"$chapters") >"$SCRATCH/record.log" 2>&1; then
    while read -r chapter folder; do
        if cmp -s "$SCRATCH/fixtures/$chapter.txt" "grader/fixtures/$chapter.txt" &&
            cmp -s "$SCRATCH/fixtures/hidden/$chapter.txt" "grader/hidden/$chapter.txt" &&
            cmp -s "$SCRATCH/fixtures/$chapter.stub" "grader/fixtures/$chapter.stub" &&
            cmp -s "$SCRATCH/fixtures/hidden/$chapter.stub" "grader/hidden/$chapter.stub"; then
            pass "grader/fixtures/$chapter.{txt,stub} and grader/hidden/$chapter.{txt,stub} match the reference solution and the stubs"
        else
            fail "grader/fixtures/$chapter.{txt,stub} or grader/hidden/$chapter.{txt,stub} is out of date (run: make fixtures)"
        fi
    done <<<"$chapters"
else
    fail "recording the fixtures from the reference solutions" "$SCRATCH/record.log"
fi
