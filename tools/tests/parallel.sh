# The reference's CNN trains to the same bits on 1, 2 and 3 of the kit's threads (tools/tests/parallel.c): the
# lessons' outputs and the fixtures, made on one, hold on any number (make bench trains the CNNs on two).
if ! $GRADE chapters | grep -q "^4.3 "; then
    skip "the CNN on the kit's threads: chapter 4.3 is not written"
elif build/tests/parallel >"$SCRATCH/parallel.log" 2>&1; then
    pass "the reference's CNN (the capstone's sizes, 6 steps, batches of 64 and 37): 2 and 3 of the kit's threads give 1 thread's parameters and losses, bit for bit"
else
    fail "the reference's CNN on more than one of the kit's threads" "$SCRATCH/parallel.log"
fi
