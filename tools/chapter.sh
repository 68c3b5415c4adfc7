# chapter.sh: what tools/hint.sh and tools/reset.sh share (sourced, from the kit's top folder).

# chapter_folder CH: prints the folder of written chapter CH (1.1 -> 1.1-arrays), or says which chapters there are and
# exits 2.
# (The grade tool reads the course map, grader/course.txt; the Makefile builds it before these run.)
chapter_folder() {
    folder=$(build/grader/grade chapters | awk -v ch="$1" '$1 == ch {print $2}')
    if [ -z "$folder" ]; then
        echo "there is no written chapter '$1'; the written chapters are: $(build/grader/grade chapters | cut -d' ' -f1 | paste -sd' ' -)" >&2
        exit 2
    fi
    echo "$folder"
}

# current_chapter: the chapter you are on: the first written chapter, in the course's order, that has not passed
# make grade (build/grade/lessons/<chapter>/passed is written when it passes); prints nothing when all have.
current_chapter() {
    for chapter in $(build/grader/grade chapters | cut -d' ' -f1); do
        if [ ! -f "build/grade/lessons/$chapter/passed" ]; then
            echo "$chapter"
            return
        fi
    done
}
