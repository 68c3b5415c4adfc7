# The accuracy bars on MNIST (see _bars.sh).
. tools/tests/_bars.sh
if [ -n "$mnist_here" ]; then
    bars_test mnist "MNIST" MNIST_DIR="$mnist_here"
else
    skip "the accuracy bars on MNIST: MNIST is not here (set MNIST_DIR, or run make datasets)"
fi
