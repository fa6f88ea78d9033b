# gen-classification.awk: partydata.proto -> C table of (message, field, level) for
# every field annotated [(classification) = ...]. protobuf-c drops custom options at
# run time, so the table is read from the schema text at build time.
BEGIN {
    print "/* generated from partydata.proto by tools/gen-classification.awk: do not edit */"
    print "#include \"classification_table.h\""
    print "const pd_classification_entry pd_classification__table[] = {"
    depth = 0
}
/^[ \t]*message[ \t]+[A-Za-z_0-9]+[ \t]*\{/ {
    name = $2; sub(/\{.*/, "", name); stack[++depth] = name; next
}
/^[ \t]*(enum|oneof)[ \t]+[A-Za-z_0-9]+[ \t]*\{/ { stack[++depth] = ""; next }
/^[ \t]*extend[ \t]/ { stack[++depth] = ""; next }
/\}/ { if (depth > 0) depth--; next }
/\(classification\)[ \t]*=/ {
    if (depth == 0 || stack[depth] == "") next
    # the field name is the word before the first '='
    split($0, parts, "=")
    left = parts[1]; gsub(/^[ \t]+|[ \t]+$/, "", left)
    m = split(left, lw, /[ \t]+/); field = lw[m]
    lvl = $0; sub(/.*\(classification\)[ \t]*=[ \t]*/, "", lvl); sub(/[^A-Z_].*/, "", lvl)
    level = (lvl == "CLASSIFICATION_SENSITIVE") ? "PD_CLASS_SENSITIVE" : (lvl == "CLASSIFICATION_PERSONAL") ? "PD_CLASS_PERSONAL" : "PD_CLASS_NONE"
    printf "    {\"%s\", \"%s\", %s},\n", stack[depth], field, level
}
END {
    print "    {0, 0, PD_CLASS_NONE}"
    print "};"
}
