#!/bin/sh
# demo-small.sh: `make demo` at 3000 members in a temporary directory (make check).
set -e
: "${PARTYDATA:?}" "${top_srcdir:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
DEMO_MEMBERS=3000 DEMO_DIR="$tmp/demo" SQLITE3="${SQLITE3:-sqlite3}" \
    sh "$top_srcdir/examples/demo.sh" >"$tmp/out.txt" 2>&1 || { cat "$tmp/out.txt"; exit 1; }
grep -q '^== 1. Generate' "$tmp/out.txt" || { cat "$tmp/out.txt"; exit 1; }
grep -q '^== Done in' "$tmp/out.txt" || { cat "$tmp/out.txt"; exit 1; }
test -s "$tmp/demo/truth.jsonl"
test -s "$tmp/demo/quang-tri.pb"
echo "demo-small: ok"
