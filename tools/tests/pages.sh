# Every lesson reads as a page with no build step, as on a fresh clone or a web view of the repository: each
# picture it embeds is a file committed beside it, and rendered to HTML (GitHub's Markdown, by cmark-gfm) every
# picture shows in headless Chromium. Three lessons are also saved as screenshots, to look at.

# every image a lesson links, ![alt](path) or <img src="path">, is a committed file
links_ok=1 link_count=0
while read -r chapter folder; do
    readme="lessons/$folder/README.md"
    while read -r link; do
        [ -n "$link" ] || continue
        link_count=$((link_count + 1))
        case "$link" in
        http://* | https://*) fail "$readme links the picture $link on the web: a lesson's pictures are committed beside it"; links_ok=0 ;;
        *) if ! git ls-files --error-unmatch "lessons/$folder/$link" >/dev/null 2>&1; then
            fail "$readme embeds $link, which is not a committed file lessons/$folder/$link"
            links_ok=0
        fi ;;
        esac
    done < <(grep -o '!\[[^]]*\]([^)]*)' "$readme" | sed 's/^.*](\([^) ]*\).*/\1/'
        grep -o '<img [^>]*src="[^"]*"' "$readme" | sed 's/.*src="\([^"]*\)"/\1/')
done < <(echo "0 0-introduction"; echo "$chapters")
[ "$links_ok" = 1 ] && pass "every picture the lessons embed ($link_count) is a committed file beside its lesson"

if ! command -v cmark-gfm >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
    if [ "${CI:-}" = true ]; then
        fail "cmark-gfm or chromium is not installed, so the lessons cannot be rendered (.ci/run installs them)"
    else
        skip "the lessons rendered in Chromium: cmark-gfm or chromium is not installed (apt-get install cmark-gfm chromium)"
    fi
    return 0
fi

# A lesson as an HTML page beside its pictures; once loaded it records on <body> how many images it has and which
# of them did not load.
render() { # folder, page
    {
        printf '<!doctype html><html><head><meta charset="utf-8"><base href="file://%s/lessons/%s/">\n' "$PWD" "$1"
        printf '<style>body{font-family:sans-serif;max-width:50em;margin:2em auto}img{max-width:100%%}</style>\n'
        printf '<script>addEventListener("load", () => { const all = [...document.images];\n'
        printf '  document.body.dataset.images = all.length;\n'
        printf '  document.body.dataset.broken = all.filter(i => !i.complete || i.naturalWidth === 0)\n'
        printf '    .map(i => i.getAttribute("src")).join(" ") || "none"; });</script></head><body>\n'
        # the +++ front matter is for the site generator; the page starts at the title
        awk 'NR == 1 && $0 == "+++" {front = 1; next} front && $0 == "+++" {front = 0; next} !front' \
            "lessons/$1/README.md" | cmark-gfm --unsafe -e table
        printf '</body></html>\n'
    } >"$2"
}
shown_ok=1 pages=0
while read -r chapter folder; do
    grep -q '!\[' "lessons/$folder/README.md" || continue
    page="$SCRATCH_PATH/$chapter.html"
    render "$folder" "$page"
    chromium_headless --virtual-time-budget=10000 --dump-dom "file://$page" >"$SCRATCH/$chapter.dom" \
        2>"$SCRATCH/$chapter.log"
    images=$(grep -o 'data-images="[0-9]*"' "$SCRATCH/$chapter.dom" | grep -o '[0-9]*')
    broken=$(grep -o 'data-broken="[^"]*"' "$SCRATCH/$chapter.dom" | sed 's/data-broken="\(.*\)"/\1/')
    pages=$((pages + 1))
    if [ -z "$images" ] || [ "$images" = 0 ] || [ "$broken" != none ]; then
        fail "lesson $chapter rendered in Chromium: ${images:-no} images, not shown: ${broken:-unknown}" "$SCRATCH/$chapter.log"
        shown_ok=0
    fi
done < <(echo "$chapters")
[ "$shown_ok" = 1 ] && [ "$pages" -gt 0 ] &&
    pass "every picture shows in the $pages lessons that embed pictures, rendered to HTML in headless Chromium"

# three lessons as screenshots, for a person to look at: the charts' axes, legends and drawings
for chapter in 3.4 4.3 4.5; do
    [ -f "$SCRATCH_PATH/$chapter.html" ] || continue
    chromium_headless --virtual-time-budget=10000 --window-size=1000,12000 \
        --screenshot="$SCRATCH_PATH/lesson-$chapter.png" "file://$SCRATCH_PATH/$chapter.html" >/dev/null 2>&1
    size=$(stat -c %s "$SCRATCH_PATH/lesson-$chapter.png" 2>/dev/null || echo 0)
    if [ "$size" -gt 50000 ]; then
        pass "lesson $chapter as a screenshot: $SCRATCH/lesson-$chapter.png ($size bytes)"
    else
        fail "lesson $chapter as a screenshot: $size bytes"
    fi
done
