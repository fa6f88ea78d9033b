#!/bin/sh
# validate-cli.sh: `partydata validate` end to end (fixtures in tests/data/validate).
set -u
: "${PARTYDATA:?}" "${top_srcdir:?}"
data="$top_srcdir/tests/data/validate"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
ok() { echo "ok - $1"; }
bad() { echo "not ok - $1"; fail=1; }

# good records: exit 0
"$PARTYDATA" validate "$data/good.jsonl" --today 2026-01-01 >"$tmp/good.out" 2>"$tmp/good.err"
rc=$?
[ $rc -eq 0 ] && ok "good file exits 0" || bad "good file exits $rc"
grep -q ' error ' "$tmp/good.out" && bad "good file has errors" || ok "good file has no errors"

# mixed records: exit 1, codes, paths, positions, both languages, decode errors counted
"$PARTYDATA" validate "$data/mixed.jsonl" --today 2026-01-01 >"$tmp/mixed.out" 2>"$tmp/mixed.err"
rc=$?
[ $rc -eq 1 ] && ok "mixed file exits 1" || bad "mixed file exits $rc"
for pat in 'record 6: error PD-R014 \[id_numbers\[0\].number\]' 'record 6: error PD-R002 \[full_name\]' \
           'record 7: error PD-R000' 'record 10: error PD-R000' 'record 8: error PD-R019' \
           'record 5: error PD-R037' 'PD-R010 (possible)' \
           'vi: Số CCCD không đúng 12 chữ số' 'en: CCCD number is not exactly 12 digits'; do
    grep -q "$pat" "$tmp/mixed.out" && ok "text has '$pat'" || bad "text lacks '$pat'"
done
grep -q '10 records, 6 errors' "$tmp/mixed.err" && ok "summary counts" || bad "summary: $(cat "$tmp/mixed.err")"

# as of a day before the reform, the district committee is fine
"$PARTYDATA" validate "$data/mixed.jsonl" --today 2026-01-01 --as-of 2025-06-01 >"$tmp/asof.out" 2>/dev/null
grep -q 'PD-R037' "$tmp/asof.out" && bad "--as-of 2025-06-01 still reports PD-R037" || ok "--as-of picks the rules of the day"

# JSONL: one object per finding with rule, path, record_id
"$PARTYDATA" validate "$data/mixed.jsonl" --today 2026-01-01 --format jsonl >"$tmp/mixed.jsonl" 2>/dev/null
rc=$?
[ $rc -eq 1 ] && ok "jsonl exits 1" || bad "jsonl exits $rc"
n=$(grep -c '"rule":"PD-R' "$tmp/mixed.jsonl")
m=$(grep -c 'vi:' "$tmp/mixed.out")
[ "$n" -eq "$m" ] && ok "jsonl has one line per finding ($n)" || bad "jsonl $n lines, text $m findings"
grep -q '"record_id":"0190a000-0000-7000-8000-00000000b001"' "$tmp/mixed.jsonl" && ok "jsonl has record_id" || bad "jsonl lacks record_id"
if [ -n "${PYTHON:-}" ]; then
    "$PYTHON" -c 'import json,sys
for l in open(sys.argv[1]): o=json.loads(l); assert o["rule"].startswith("PD-R") and "path" in o and "message_vi" in o' "$tmp/mixed.jsonl" \
        && ok "jsonl parses" || bad "jsonl does not parse"
fi

# --only / --errors-only
"$PARTYDATA" validate "$data/mixed.jsonl" --today 2026-01-01 --only PD-R014 >"$tmp/only.out" 2>/dev/null
grep -v 'PD-R014\|PD-R000\|vi:\|en:' "$tmp/only.out" | grep -q 'PD-R' && bad "--only lets other rules through" || ok "--only filters"
"$PARTYDATA" validate "$data/mixed.jsonl" --today 2026-01-01 --errors-only >"$tmp/eo.out" 2>/dev/null
grep -q ' warning ' "$tmp/eo.out" && bad "--errors-only prints warnings" || ok "--errors-only"

# usage and I/O errors
"$PARTYDATA" validate >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "no FILE exits 2" || bad "no FILE exits $rc"
"$PARTYDATA" validate "$data/good.jsonl" --as-of 2020-13-01 >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "bad date exits 2" || bad "bad date exits $rc"
"$PARTYDATA" validate "$data/good.jsonl" --format xml >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "bad format exits 2" || bad "bad format exits $rc"
"$PARTYDATA" validate "$tmp/nonexistent.jsonl" >/dev/null 2>&1; rc=$?
[ $rc -eq 3 ] && ok "missing file exits 3" || bad "missing file exits $rc"

# stdin
"$PARTYDATA" validate - --today 2026-01-01 < "$data/good.jsonl" >/dev/null 2>&1; rc=$?
[ $rc -eq 0 ] && ok "stdin" || bad "stdin exits $rc"

# any codec format: the same records as protobuf and CSV (members only)
if "$PARTYDATA" convert "$data/mixed.jsonl" "$tmp/mixed.pb" >/dev/null 2>&1 || [ -s "$tmp/mixed.pb" ]; then
    "$PARTYDATA" validate "$tmp/mixed.pb" --today 2026-01-01 >"$tmp/pb.out" 2>"$tmp/pb.err"
    rc=$?
    [ $rc -eq 1 ] && ok "pb input exits 1" || bad "pb input exits $rc"
    grep -q 'error PD-R014 \[id_numbers\[0\].number\]' "$tmp/pb.out" && ok "pb input: PD-R014" || bad "pb input lacks PD-R014"
    grep -q 'PD-R019' "$tmp/pb.out" && ok "pb input: PD-R019" || bad "pb input lacks PD-R019"
else
    bad "convert to pb failed"
fi
"$PARTYDATA" convert "$data/mixed.jsonl" "$tmp/mixed.csv" >/dev/null 2>&1
if [ -s "$tmp/mixed.csv" ]; then
    "$PARTYDATA" validate "$tmp/mixed.csv" --today 2026-01-01 >"$tmp/csv.out" 2>/dev/null
    rc=$?
    [ $rc -eq 1 ] && ok "csv input exits 1" || bad "csv input exits $rc"
    grep -q 'error PD-R014' "$tmp/csv.out" && ok "csv input: PD-R014" || bad "csv input lacks PD-R014"
else
    bad "convert to csv failed"
fi

# the catalogue, and docs/rules.md generated from it
"$PARTYDATA" validate --rules >"$tmp/rules.txt" || bad "--rules failed"
grep -q '^PD-R044' "$tmp/rules.txt" && ok "--rules lists PD-R044" || bad "--rules lacks PD-R044"
"$PARTYDATA" validate --rules --format markdown >"$tmp/rules.md" || bad "--rules markdown failed"
if cmp -s "$tmp/rules.md" "$top_srcdir/docs/rules.md"; then
    ok "docs/rules.md is up to date"
else
    bad "docs/rules.md is out of date: run tools/gen-rules-md.sh"
fi
exit $fail
