#!/bin/sh
# Runs the C and Python examples on fresh files, as a user would.
set -e
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$top_builddir"
./examples/ex_records "$tmp" > "$tmp/records.out"
grep -q 'protobuf stream: 5 records read, 5 equal' "$tmp/records.out"
grep -q 'JSON Lines:      5 records read, 5 equal' "$tmp/records.out"
echo "ok 1 ex_records"
./examples/ex_store "$tmp/ex.db" > "$tmp/store.out"
grep -q 'history: 2 revisions' "$tmp/store.out"
echo "ok 2 ex_store"
"$PYTHON" "$top_srcdir/examples/example.py" "$tmp" > "$tmp/py.out"
grep -q 'read back 2 records; equal: True' "$tmp/py.out"
echo "ok 3 example.py"
