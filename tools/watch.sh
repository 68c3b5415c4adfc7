#!/bin/sh
# make watch: grades the chapter you are editing every time you save its exercise.c.
# Uses inotifywait (inotify-tools) when it works, and looks for changes once a second when it does not.
# With CH=x.y it watches that chapter only. Stop it with Ctrl-C.
set -u
cd "$(dirname "$0")/.."
only=${1:-}

latest() { # the most recently saved exercise.c under lessons/
    ls -t lessons/*/exercise.c 2>/dev/null | head -1
}
chapter_of() { # lessons/<folder>/exercise.c -> chapter id
    folder=$(basename "$(dirname "$1")")
    build/grader/grade chapters | awk -v f="$folder" '$2 == f {print $1}'
}
grade_now() {
    file=$(latest)
    chapter=${only:-$(chapter_of "$file")}
    [ -t 1 ] && printf '\033[2J\033[H'
    echo "[$(date +%H:%M:%S)] $file saved: grading chapter $chapter"
    build/grader/grade "$chapter"
    echo "Watching lessons/*/exercise.c: save to grade again, Ctrl-C to stop."
}
signature() { # the modification times of every exercise.c
    stat -c '%n %.9Y %s' lessons/*/exercise.c 2>/dev/null | cksum
}

grade_now
# KIT_WATCH=poll forces the fallback (for file systems where inotify sees nothing, such as some mounts)
if [ "${KIT_WATCH:-}" != poll ] && command -v inotifywait >/dev/null 2>&1 &&
    { inotifywait -q -t 1 -e close_write lessons >/dev/null 2>&1 || [ $? -eq 2 ]; }; then
    mode=inotify
else
    mode=poll
fi
before=$(signature)
echo "(watching with $mode)"
while :; do
    if [ "$mode" = inotify ]; then
        # at most 2 s: a save made while the last grading ran, or before inotifywait was watching, has no event
        # of its own to wait for, and the signature below still sees it (status 2 is that timeout)
        inotifywait -q -r -t 2 -e close_write -e moved_to lessons >/dev/null 2>&1
        [ $? -le 2 ] || sleep 1
    else
        sleep 1
    fi
    now=$(signature)
    if [ "$now" != "$before" ]; then
        before=$now
        grade_now
    fi
done
