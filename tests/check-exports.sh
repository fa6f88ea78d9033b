#!/bin/sh
# The shared library exports exactly the PD_EXTERN functions of the public headers.
set -e
so="$top_builddir/libpartydata/.libs/libpartydata.so"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nm -D --defined-only "$so" | awk '$2 ~ /^[TDBR]$/ {print $3}' | sort -u > "$tmp/exported"
cat "$top_srcdir"/libpartydata/include/partydata/*.h "$top_builddir"/libpartydata/include/partydata/version.h |
    grep -v "^#define" | tr "\n" " " | grep -o 'PD_EXTERN([^)]*)[^(]*(' |
    sed 's/.*[ *]\([a-z_0-9]*\)[ ]*($/\1/' | sort -u > "$tmp/declared"
if ! diff -u "$tmp/declared" "$tmp/exported" > "$tmp/diff"; then
    echo "exports differ from PD_EXTERN declarations (- declared only, + exported only):"
    grep '^[-+][a-z]' "$tmp/diff"
    exit 1
fi
grep -v '^pd_' "$tmp/exported" && { echo "non-pd_ symbols exported"; exit 1; }
echo "exports: $(wc -l < "$tmp/exported") pd_ functions, all declared"
