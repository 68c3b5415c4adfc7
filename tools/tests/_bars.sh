# What bars-mnist and bars-fashion share: the accuracy bars hold for the reference on a data set, on two seeds
# (the graded seed, 1, and 2; the suites' comments give the figures of 8 or more), and chapter 2.3's, the cheapest,
# on five seeds. These are the only tests that train the reference on a whole data set (the solutions test leaves
# the training checks to them). The chapters the trained ones link are the reference, taken as passing (--trust-links):
# the solutions test grades them.
bars_grade() { # key (a file name), then the environment to grade with: seeds 1 and 2
    local key=$1 seed
    shift
    for seed in 1 2; do
        # shellcheck disable=SC2086
        env "$@" $GRADE --from solutions --trust-links --no-memcheck --seed "$seed" --only "$training_ids" \
            --build "$SCRATCH/bars-$key" --results "$SCRATCH/bars-$key-$seed.tsv" --color never $training_chapters \
            >"$SCRATCH/bars-$key-$seed.log" 2>&1
    done
}
bars_judge() { # key, label
    local key=$1 label=$2 chapter id v figures
    while read -r chapter id; do
        v=$(for s in 1 2; do verdict "$SCRATCH/bars-$key-$s.tsv" "$chapter" "$id"; done |
            sort -u | paste -sd' ' -)
        figures=$(for s in 1 2; do tsv_field "$SCRATCH/bars-$key-$s.tsv" "v(\"chapter\") == \"$chapter\" && v(\"check\") == \"$id\"" message; done |
            grep -o 'accuracy [0-9.]*' | sed 's/accuracy //' | paste -sd' ' -)
        if [ "$v" = pass ] && [ "$(wc -w <<<"$figures")" = 2 ]; then
            pass "$chapter's accuracy bar ($id) holds for the reference on $label (seeds 1 and 2: $figures)"
        else
            fail "$chapter's accuracy bar ($id) on $label: the reference's checks say '${v:-nothing}' ($figures)" \
                "$SCRATCH/bars-$key-1.log"
        fi
    done <<<"$training_checks"
}
accuracy_on_seeds() { # label, then the environment to grade with
    local label=$1 seeds_passed=0 figures=""
    shift
    for seed in 1 2 3 4 5; do
        env "$@" $GRADE --from solutions --trust-links --no-memcheck --seed "$seed" --build "$SCRATCH/seeds" \
            --results "$SCRATCH/seeds.tsv" --color never 2.3 >"$SCRATCH/seeds.log" 2>&1
        v=$(verdict "$SCRATCH/seeds.tsv" 2.3 accuracy)
        figure=$(tsv_field "$SCRATCH/seeds.tsv" 'v("chapter") == "2.3" && v("check") == "accuracy"' message | grep -o 'accuracy [0-9.]*')
        figures="$figures ${figure#accuracy }"
        [ "$v" = pass ] && seeds_passed=$((seeds_passed + 1))
    done
    if [ "$seeds_passed" = 5 ]; then
        pass "2.3's accuracy bar holds on 5 seeds on $label (test accuracies:$figures)"
    else
        fail "2.3's accuracy bar on $label: $seeds_passed of 5 seeds pass (test accuracies:$figures)" "$SCRATCH/seeds.log"
    fi
}
bars_test() { # key, label, then the environment to grade with
    local key=$1 label=$2
    shift 2
    [ -n "$training_chapters" ] || return 0
    bars_grade "$key" "$@"
    bars_judge "$key" "$label"
    if $GRADE chapters | grep -q "^2.3 " && [ -n "$(awk '$1 == "2.3"' <<<"$chapters")" ]; then
        accuracy_on_seeds "$label" "$@"
    fi
}
