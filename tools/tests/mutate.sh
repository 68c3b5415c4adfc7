# make mutate, on chapter 1.3 (the quickest: 26 mutants, no linked chapter): the checks kill its mutants, every
# survivor is marked equivalent with a reason, a stale entry is reported, and a wrong chapter is refused clearly.
chapter=1.3
out="$SCRATCH/mutate"
log="$SCRATCH/mutate.log"
# One run grades every mutant, with a copy of grader/mutants/1.3.equivalent (the committed file is not touched) that
# has one stale entry more: the run must warn of that one and of no other.
copy="$SCRATCH/stale.equivalent"
cp "grader/mutants/$chapter.equivalent" "$copy"
printf '\nin sigmoid\nline out->data[k] = 42;\nchange 42 -> 43\nwhy no such line: this entry is stale\n' >>"$copy"
stale_line=$(grep -n '^in sigmoid$' "$copy" | tail -1 | cut -d: -f1)
if KIT_MUTATE_EQUIVALENT="$copy" KIT_MUTATE_DIR="$out" bash tools/mutate.sh "$chapter" >"$log" 2>&1; then
    counts=$(grep -E '^[0-9]+ mutants: [0-9]+ killed, [0-9]+ survived, [0-9]+ did not compile, [0-9]+ marked equivalent' "$log" || true)
    if [ -z "$counts" ]; then
        fail "make mutate CH=$chapter prints no counts line ('N mutants: K killed, ...')" "$log"
    else
        read -r total _ killed _ survived _ uncompiled _ _ _ marked _ <<<"${counts//,/}"
        if [ "$killed" -ge 1 ] && [ "$killed" -lt "$total" ] && [ "$marked" -ge 1 ]; then
            pass "make mutate CH=$chapter: $counts"
        else
            fail "make mutate CH=$chapter: expected some killed and some marked equivalent: $counts" "$log"
        fi
        if [ "$survived" = 0 ]; then
            pass "every surviving mutant of chapter $chapter is marked equivalent, with a reason (grader/mutants/$chapter.equivalent)"
        else
            fail "chapter $chapter has $survived survivors neither its checks kill nor grader/mutants/$chapter.equivalent marks" "$log"
        fi
        if grep -q 'could not be graded' "$log"; then
            fail "make mutate CH=$chapter: a mutant could not be graded" "$log"
        else
            pass "make mutate CH=$chapter: every mutant graded"
        fi
        warnings=$(grep '^warning:' "$log" || true)
        if [ "$warnings" = "warning: $copy:$stale_line: stale entry: no mutant of sigmoid changes '42 -> 43' on a line that reads 'out->data[k] = 42;' (did the solution change?): fix the entry or remove it" ]; then
            pass "an entry that matches no mutant is reported as stale, with its file and line; grader/mutants/$chapter.equivalent has none, and no entry marks a mutant the checks kill"
        else
            fail "expected one warning, of the stale entry at $copy:$stale_line; got: ${warnings:-none}" "$log"
        fi
        # the hand-written mutant that loops one element too far is among them, and only Valgrind kills it
        n=$(awk -F'\t' '$4 == "elementwise_exp" && $7 == "< -> <=" {print $1}' "$out/$chapter/mutants.tsv")
        if [ -n "$n" ] && [ "$(cat "$out/$chapter/$n/outcome")" = "killed memory" ]; then
            pass "a loop one element too far survives the checks and is killed by the memory check"
        else
            fail "mutant elementwise_exp '< -> <=' (${n:-not made}): expected 'killed memory', got '$(cat "$out/$chapter/${n:-0}/outcome" 2>/dev/null)'" "$log"
        fi
        # a mutant's file differs from the solution at its line only
        if [ -n "$n" ] && diff "solutions/1.3-math-functions/exercise.c" "$out/$chapter/$n/exercise.c" |
            grep -q '^> *for (int k = 0; k <= n; k++)$'; then
            pass "a mutant's exercise.c is the solution with the one change"
        else
            fail "mutant $n's exercise.c is not the solution with 'k < n' made 'k <= n'" "$log"
        fi
    fi
else
    fail "make mutate CH=$chapter failed" "$log"
fi

# a malformed entry is refused, naming the file and line
printf 'in sigmoid\nline if (z >= 0.0f) {\nwhy the change is missing\n' >"$SCRATCH/broken.equivalent"
expect_error "an entry without its change line is refused" "broken.equivalent:1: the entry for sigmoid has no 'change' line" \
    build/grader/mutate --equivalent "$SCRATCH/broken.equivalent" "$chapter" "$SCRATCH/broken-mutants"

expect_error "make mutate refuses an unknown chapter, naming it and the written chapters" \
    "there is no written chapter '9.9' in grader/course.txt; the written chapters are: 1.1" \
    bash tools/mutate.sh 9.9
expect_error "make mutate without a chapter says how to call it" "say it with CH, for example: make mutate CH=1.3" \
    bash tools/mutate.sh
