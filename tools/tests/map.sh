# The README's course map is the one in grader/course.txt.
$GRADE map >"$SCRATCH/map.md"
if awk '/<!-- course map begin -->/{on=1; next} /<!-- course map end -->/{on=0} on' README.md |
    cmp -s - "$SCRATCH/map.md"; then
    pass "README.md's course map matches grader/course.txt"
else
    fail "README.md's course map differs from 'build/grader/grade map' (paste its output between the markers)" \
        "$SCRATCH/map.md"
fi

