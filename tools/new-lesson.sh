#!/bin/sh
# make new-lesson CH=x.y [FOLDER=x.y-name TITLE="..."]: scaffolds a chapter that 'make test' accepts at
# once as "coming": the lesson text, the stub (made from the solution), the solution, the demo, the hints,
# the grading suite, the mutants, the prototypes in harness/course.h and the line in grader/course.txt.
# For a chapter already in the course map as coming, FOLDER and TITLE come from the map.
# Then follow docs/new-lesson.md to turn it into a graded lesson.
set -eu
cd "$(dirname "$0")/.."
chapter=${1:-}
folder=${2:-}
title=${3:-}
case "$chapter" in
    [0-9]*.[0-9]*) ;;
    *) echo "usage: make new-lesson CH=x.y [FOLDER=x.y-short-name TITLE=\"The Title\"]" >&2; exit 2 ;;
esac
line=$(awk -F' [|] ' -v ch="$chapter" '{id = $1; gsub(/ /, "", id)} id == ch' grader/course.txt)
if [ -n "$line" ]; then
    state=$(echo "$line" | awk -F' [|] ' '{gsub(/ /, "", $3); print $3}')
    [ "$state" = coming ] || { echo "chapter $chapter is already $state in grader/course.txt" >&2; exit 1; }
    folder=$(echo "$line" | awk -F' [|] ' '{gsub(/ /, "", $2); print $2}')
    title=$(echo "$line" | awk -F' [|] ' '{print $6}')
elif [ -z "$folder" ] || [ -z "$title" ]; then
    echo "chapter $chapter is not in grader/course.txt: give its FOLDER (such as $chapter-short-name) and TITLE" >&2
    exit 2
fi
case "$folder" in "$chapter"-*) ;; *) echo "FOLDER must start with '$chapter-', got '$folder'" >&2; exit 2 ;; esac
for existing in "solutions/$folder" "lessons/$folder" "grader/suites/$chapter.c"; do
    [ -e "$existing" ] && { echo "$existing exists already: nothing was changed" >&2; exit 1; }
done
function=example_$(echo "$chapter" | tr . _)
today=$(date +%Y-%m-%d)
mkdir -p "solutions/$folder" "lessons/$folder"

cat >"solutions/$folder/exercise.c" <<EOC
/*
 * Chapter $chapter: $title — your exercise.
 *
 * Write the functions below, one at a time. After each one, run
 *     make grade CH=$chapter
 * to see which checks pass, and
 *     make run CH=$chapter
 * to run the chapter's demo with your code. The lesson is lessons/$folder/README.md.
 *
 * A Matrix is rows, cols and a row-major float array: element (i, j) is data[i * cols + j].
 * The caller allocates every output with the right shape; your functions only fill it.
 */
#include "kit.h"
#include "course.h"

#include <math.h>
#include <stdlib.h>

/*
 * $function: (replace this example with the chapter's first function)
 *   out[i][j] = factor * X[i][j]
 * X and out are rows x cols; out may be X.
 * Example: X = [[1, 2], [3, 4]], factor = 0.5:  out = [[0.5, 1], [1.5, 2]].
 * In harness/course.h: out = factor * X element by element (the scaffold's example: replace it).
 */
void $function(Matrix *out, const Matrix *X, float factor)
{
    /* SOLUTION BEGIN */
    int n = X->rows * X->cols;
    for (int k = 0; k < n; k++)
        out->data[k] = factor * X->data[k];
    /* SOLUTION END */
}
EOC
awk -v chapter="$chapter" -f grader/stub.awk "solutions/$folder/exercise.c" >"lessons/$folder/exercise.c"

cat >"lessons/$folder/demo.c" <<EOC
/*
 * The demo of chapter $chapter: $title.
 * Run it with your code:  make run CH=$chapter
 */
#include "kit.h"
#include "course.h"

#include <stdio.h>

int main(void)
{
    kit_section("The example function: $function");
    const float values[] = {1, 2, 3, 4};
    Matrix X = kit_matrix_from(2, 2, values), out = kit_matrix_create(2, 2);
    $function(&out, &X, 0.5f);
    kit_matrix_print("X", &X, 0);
    kit_matrix_print("$function(X, 0.5)", &out, 2);
    kit_matrix_free(&X);
    kit_matrix_free(&out);
    return 0;
}
EOC

cat >"lessons/$folder/README.md" <<EOC
+++
title = "Learn Deep Learning with C, Part $chapter: $title"
author = "Artintellica"
date = "$today"
+++

# Learn Deep Learning with C, Part $chapter: $title

(Say what this chapter builds and why it matters; name the functions the learner writes.)

## The example function

(Explain the mathematics, inline as \$...\$ and in blocks as \$\$...\$\$; show harness calls and fragments,
not the whole solution. Every output block is copied from \`make run CH=$chapter\` run with the reference.)

\`\`\`output
== The example function: $function ==
X (2 x 2):
  [1  2]
  [3  4]
$function(X, 0.5) (2 x 2):
  [0.50  1.00]
  [1.50  2.00]
\`\`\`

## What the grader checks

(The checks, their inputs and tolerances, the memory check.)

## Exercises

1. \`$function(out, X, factor)\`. Run \`make grade CH=$chapter\`, then \`make run CH=$chapter\`.
EOC

cat >"lessons/$folder/hints.md" <<EOC
# Hints for chapter $chapter

## Hint 1: one loop
(A first, gentle hint.)

## Hint 2: the formula
Every element is multiplied by factor: \`out->data[k] = factor * X->data[k]\` for k < rows * cols.
EOC

cat >"grader/suites/$chapter.c" <<EOC
/* The grading suite of chapter $chapter: $title. */
#include "check.h"
#include "course.h"

const char kit_suite_chapter[] = "$chapter";

static void check_example_lesson(KitCase *c)
{
    const float values[] = {1, 2, 3, 4};
    Matrix X = kit_matrix_from(2, 2, values), out = kit_output_matrix(2, 2);
    kit_show_input(c, "X", &X);
    $function(&out, &X, 0.5f);
    kit_emit(c, "$function(out, X, 0.5)", &out, 1e-6, 1e-5);
    kit_emit_unchanged(c, "$function", "X", &X);
    kit_matrix_free(&X), kit_matrix_free(&out);
}

static void check_example_random(KitCase *c)
{
    KitRng rng;
    kit_rng_seed(&rng, kit_case_seed(c) + 1);
    Matrix X = kit_matrix_create(7, 5), out = kit_output_matrix(7, 5);
    kit_matrix_fill_normal(&X, &rng, 0, 3);
    kit_show_input(c, "X", &X);
    $function(&out, &X, -1.5f);
    kit_emit(c, "$function(out, X, -1.5)", &out, 1e-6, 1e-5);
    kit_emit_unchanged(c, "$function", "X", &X);
    kit_matrix_free(&X), kit_matrix_free(&out);
}

const KitCheck kit_suite_checks[] = {
    {"example-lesson", "$function: the lesson's 2x2 example", 2, "", "Multiply every element by factor.", 5, 0,
     check_example_lesson},
    {"example-random", "$function: a random 7x5 matrix and a negative factor", 2, "", NULL, 5, 0,
     check_example_random},
};
const int kit_suite_check_count = sizeof kit_suite_checks / sizeof kit_suite_checks[0];
EOC

cat >"grader/mutants/$chapter.txt" <<EOC
# Known-buggy variants of solutions/$folder/exercise.c, each caught by the checks it names.

mutant example-adds
caught-by example-lesson example-random
why adds the factor instead of multiplying by it
replace
        out->data[k] = factor * X->data[k];
with
        out->data[k] = factor + X->data[k];
end

mutant example-skips-last
caught-by example-lesson example-random
why the loop stops one element early
replace
    for (int k = 0; k < n; k++)
with
    for (int k = 0; k < n - 1; k++)
end

mutant example-writes-past-the-end
caught-by memory
why the loop runs one element too far
replace
    for (int k = 0; k < n; k++)
with
    for (int k = 0; k <= n; k++)
end
EOC

# the prototype, in a section of its own before the header's last line
awk -v chapter="$chapter" -v title="$title" -v folder="$folder" -v fn="$function" '
    /^#endif/ && !done {
        printf "/* ---- %s %s (lessons/%s) ---- */\n\n", chapter, title, folder
        printf "/* out = factor * X element by element (the scaffold'"'"'s example: replace it). */\n"
        printf "void %s(Matrix *out, const Matrix *X, float factor);\n\n", fn
        done = 1
    }
    { print }' harness/course.h >harness/course.h.new && mv harness/course.h.new harness/course.h

# the course map: the chapter's line (coming) and the README's copy of the map
if [ -z "$line" ]; then
    printf '%s | %s | coming  | -  | numeric memory | %s | %s\n' "$chapter" "$folder" "$title" "$function" \
        >>grader/course.txt
else
    awk -F' [|] ' -v ch="$chapter" -v fn="$function" 'BEGIN {OFS = " | "}
        {id = $1; gsub(/ /, "", id)} id == ch {$7 = fn} {print}' grader/course.txt >grader/course.txt.new &&
        mv grader/course.txt.new grader/course.txt
fi
make --no-print-directory -s all
build/grader/grade map >build/map.md
awk 'FNR == NR {map = map $0 "\n"; next} /<!-- course map begin -->/ {print; printf "%s", map; skip = 1; next}
     /<!-- course map end -->/ {skip = 0} !skip' build/map.md README.md >README.md.new && mv README.md.new README.md

echo "Scaffolded chapter $chapter ($title) as coming:"
echo "  solutions/$folder/exercise.c, lessons/$folder/{exercise.c,demo.c,README.md,hints.md},"
echo "  grader/suites/$chapter.c, grader/mutants/$chapter.txt, harness/course.h, grader/course.txt, README.md's map."
echo "Next: docs/new-lesson.md walks you from here to a graded lesson."
