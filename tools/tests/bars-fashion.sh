# The accuracy bars on Fashion-MNIST (see _bars.sh).
. tools/tests/_bars.sh
bars_test fashion "Fashion-MNIST" KIT_DATASET=fashion-mnist
