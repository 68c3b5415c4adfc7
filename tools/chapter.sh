# chapter.sh: what tools/hint.sh and tools/reset.sh share (sourced, from the kit's top folder).

# chapter_folder CH: prints the folder of written chapter CH (1.1 -> 1.1-arrays), or says which chapters there are and
# exits 2.
chapter_folder() {
    folder=$(awk -F' [|] ' -v ch="$1" '{gsub(/ /, "", $1); gsub(/ /, "", $2)} $1 == ch && $3 ~ /^ *written/ {print $2}' \
        grader/course.txt)
    if [ -z "$folder" ]; then
        echo "there is no written chapter '$1'; the written chapters are: $(awk -F' [|] ' '$3 ~ /^ *written/ {gsub(/ /, "", $1); printf "%s ", $1}' grader/course.txt)" >&2
        exit 2
    fi
    echo "$folder"
}

# current_chapter: the chapter you are on: the first written chapter, in the course's order, that has not passed
# make grade (build/grade/lessons/<chapter>/passed is written when it passes); prints nothing when all have.
current_chapter() {
    for chapter in $(awk -F' [|] ' '$3 ~ /^ *written/ {gsub(/ /, "", $1); print $1}' grader/course.txt); do
        if [ ! -f "build/grade/lessons/$chapter/passed" ]; then
            echo "$chapter"
            return
        fi
    done
}
