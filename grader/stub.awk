# stub.awk: turns a reference solution into the learner's stub.
# Every block between "/* SOLUTION BEGIN */" and "/* SOLUTION END */" becomes the
# placeholder that reports "not implemented"; a block between "/* SOLUTION ONLY BEGIN */" and
# "/* SOLUTION ONLY END */" (helpers of the reference, outside any function) is left out; everything else is
# kept as it is.
/^[ \t]*\/\* SOLUTION BEGIN \*\/[ \t]*$/ {
    if (inside) { print FILENAME ":" FNR ": SOLUTION BEGIN inside another block" > "/dev/stderr"; failed = 1 }
    match($0, /^[ \t]*/)
    indent = substr($0, 1, RLENGTH)
    print indent "/* TODO: write this function (see the comment above it), then run make grade CH=" chapter ". */"
    print indent "KIT_NOT_IMPLEMENTED();"
    inside = "body"
    next
}
/^[ \t]*\/\* SOLUTION END \*\/[ \t]*$/ {
    if (inside != "body") { print FILENAME ":" FNR ": SOLUTION END without SOLUTION BEGIN" > "/dev/stderr"; failed = 1 }
    inside = ""
    next
}
/^\/\* SOLUTION ONLY BEGIN \*\/[ \t]*$/ {
    if (inside) { print FILENAME ":" FNR ": SOLUTION ONLY BEGIN inside another block" > "/dev/stderr"; failed = 1 }
    inside = "only"
    skip_blank = 0
    next
}
/^\/\* SOLUTION ONLY END \*\/[ \t]*$/ {
    if (inside != "only") { print FILENAME ":" FNR ": SOLUTION ONLY END without SOLUTION ONLY BEGIN" > "/dev/stderr"; failed = 1 }
    inside = ""
    skip_blank = 1 # the blank line after the block goes with it
    next
}
skip_blank && /^$/ { skip_blank = 0; next }
{ skip_blank = 0 }
!inside { print }
END {
    if (inside) { print FILENAME ": SOLUTION " (inside == "only" ? "ONLY " : "") "BEGIN without its END" > "/dev/stderr"; exit 1 }
    if (failed) exit 1
}
