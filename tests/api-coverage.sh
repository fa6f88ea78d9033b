#!/bin/sh
# Every public C function (each PD_EXTERN declaration) has an entry in docs/api/, is
# called by a C test (tests/*.c, or an example run by make check), and is reachable
# from Python: bound under its own name, or called by a wrapper of the
# SWIG interface. The few that cannot mean anything in Python are listed here, with
# the reason, and nowhere else.
set -e
not_in_python="
pd_reader_open_file   FILE* streams: Python passes paths (read/write) or bytes (decode)
pd_writer_open_file   FILE* streams: Python passes paths
pd_store_db           the raw sqlite3 handle: use Python's sqlite3 module on the file
"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat "$top_srcdir"/libpartydata/include/partydata/*.h "$top_builddir"/libpartydata/include/partydata/version.h |
    grep -v '^#define' | tr '\n' ' ' | grep -o 'PD_EXTERN([^)]*)[^(]*(' |
    sed 's/.*[ *]\([a-z_0-9]*\)[ ]*($/\1/' | sort -u > "$tmp/declared"
wrap="$top_builddir/bindings/python/partydata_wrap.c"
fail=0
n=0
while read -r f; do
    n=$((n + 1))
    if ! grep -qE "(^|[^a-z_0-9])$f([^a-z_0-9]|\$)" "$top_srcdir"/docs/api/*.md; then
        echo "not documented in docs/api/: $f"; fail=1
    fi
    if ! grep -qE "(^|[^a-z_0-9])$f([^a-z_0-9]|\$)" "$top_srcdir"/tests/*.c "$top_srcdir"/examples/*.c; then
        echo "no C test calls: $f"; fail=1
    fi
    if echo "$not_in_python" | grep -q "^$f "; then
        continue
    fi
    # bound directly (SWIG emits _wrap_NAME) or called from an %inline wrapper
    if ! grep -q "_wrap_$f(\| $f(\|($f(\|!$f(" "$wrap"; then
        echo "not reachable from Python: $f"; fail=1
    fi
done < "$tmp/declared"
[ "$fail" -eq 0 ] && echo "api coverage: $n public functions documented, tested from C and bound"
exit $fail
