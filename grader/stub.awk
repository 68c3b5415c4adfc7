# stub.awk: turns a reference solution into the learner's stub.
# Every block between "/* SOLUTION BEGIN */" and "/* SOLUTION END */" becomes the
# placeholder that reports "not implemented"; everything else is kept as it is.
/^[ \t]*\/\* SOLUTION BEGIN \*\/[ \t]*$/ {
    match($0, /^[ \t]*/)
    indent = substr($0, 1, RLENGTH)
    print indent "/* TODO: write this function (see the comment above it), then run make grade CH=" chapter ". */"
    print indent "KIT_NOT_IMPLEMENTED();"
    inside = 1
    next
}
/^[ \t]*\/\* SOLUTION END \*\/[ \t]*$/ {
    if (!inside) { print FILENAME ":" FNR ": SOLUTION END without SOLUTION BEGIN" > "/dev/stderr"; failed = 1 }
    inside = 0
    next
}
!inside { print }
END {
    if (inside) { print FILENAME ": SOLUTION BEGIN without SOLUTION END" > "/dev/stderr"; exit 1 }
    if (failed) exit 1
}
