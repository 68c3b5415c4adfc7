#!/bin/sh
# make bench-conv: where the CNN's training step spends its time, and the direct convolution of bench/conv_direct.c
# against im2col + sgemm (bench/conv_layers.c), built with the reference solutions and the kit's compiler flags.
#   KIT_BENCH_RUNS     runs of each step's part to take the median of (default 5; 0: only check the kernels)
#   KIT_BENCH_EPOCHS   whole epochs of each CNN on the data set, each way (default 1; 0 skips them)
#   KIT_CONV_FLAGS     more compiler flags for conv_direct.c alone (default none; e.g. -mavx2 -mfma to see what the
#                      kernels would gain from this CPU's wider vectors: the kit's flags do not have them)
set -eu
cd "$(dirname "$0")/.."
GRADE=build/grader/grade
out=build/bench
: "${KIT_CFLAGS:?bench/conv_layers.sh: KIT_CFLAGS is not set; run make bench-conv, which passes the compiler flags of the Makefile}"
mkdir -p "$out"
$GRADE chapters | grep -q '^4.3 ' || { echo "bench-conv: chapter 4.3 is not written yet" >&2; exit 1; }
sources=""
for folder in $($GRADE chapters | cut -d' ' -f2); do
    sources="$sources solutions/$folder/exercise.c"
done
# chapter 4.3's reference twice more, its functions renamed: with the direct convolution (conv2d_direct and
# backward_conv2d_direct), and with backward_conv2d_mixed (sgemm for dW, direct for dX)
renamed() { # suffix
    for name in forward_cnn backward_cnn train_cnn_step train_cnn_epoch max_pool backward_max_pool; do
        printf ' -D%s=%s_%s' "$name" "$name" "$1"
    done
}
# shellcheck disable=SC2046,SC2086
${CC:-cc} $KIT_CFLAGS -Iharness -Ibench $(renamed direct) -Dconv2d_im2col=conv2d_direct \
    -Dbackward_conv2d=backward_conv2d_direct -include bench/conv_direct.h -c solutions/4.3-pooling-cnn/exercise.c \
    -o "$out/cnn_direct.o"
# shellcheck disable=SC2046,SC2086
${CC:-cc} $KIT_CFLAGS -Iharness -Ibench $(renamed mixed) -Dbackward_conv2d=backward_conv2d_mixed \
    -include bench/conv_direct.h -c solutions/4.3-pooling-cnn/exercise.c -o "$out/cnn_mixed.o"
# shellcheck disable=SC2086
${CC:-cc} $KIT_CFLAGS ${KIT_CONV_FLAGS:-} -Iharness -Ibench -c bench/conv_direct.c -o "$out/conv_direct.o"
# shellcheck disable=SC2046,SC2086
${CC:-cc} $KIT_CFLAGS -Iharness -Ibench -DCONV_LAYERS_EPOCH -o "$out/conv_layers" bench/conv_layers.c \
    "$out/conv_direct.o" "$out/cnn_direct.o" "$out/cnn_mixed.o" $sources build/kit/libkit.a $(pkg-config --libs openblas zlib libpng) -lm
"$out/conv_layers" --runs "${KIT_BENCH_RUNS:-5}" --epochs "${KIT_BENCH_EPOCHS:-1}"
