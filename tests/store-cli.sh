#!/bin/sh
# store-cli.sh: the store commands end to end: init, import (counts, re-import,
# rejects, strict), show, history, stats, export (all, subtree, round trip), check,
# and bad input.
set -u
: "${PARTYDATA:?}" "${SQLITE3:?}"
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT INT TERM
fail() { echo "store-cli: FAIL: $*" >&2; exit 1; }
P=$PARTYDATA

"$P" init "$dir/s.db" > "$dir/out" || fail "init"
grep -q "schema version 2" "$dir/out" || fail "init output: $(cat "$dir/out")"

"$P" generate --members 800 --seed 3 --dirty 0.2 --duplicates 0.05 --province 01 \
    "$dir/g.jsonl" >/dev/null 2>&1 || fail generate
lines=$(wc -l < "$dir/g.jsonl")
# two broken lines and a member of an unknown organization
printf '%s\n' '{"member": {"fullName": 12}}' '{not json' \
  '{"member":{"id":"AZmdEZgAc5GeSprCILmnmQ==","fullName":"Ghost","currentOrgId":"AAAAAAAAAAAAAAAAAAAAAA=="}}' \
  > "$dir/bad.jsonl"
cat "$dir/g.jsonl" "$dir/bad.jsonl" > "$dir/in.jsonl"
total=$((lines + 3))

"$P" import "$dir/s.db" "$dir/in.jsonl" --rejects "$dir/rej.jsonl" > "$dir/out" 2>"$dir/err"
rc=$?
[ $rc -eq 1 ] || fail "import with rejects should exit 1, got $rc: $(cat "$dir/err")"
grep -q "read $total = inserted $lines + updated 0 + unchanged 0 + rejected 3" "$dir/out" ||
    fail "import counts: $(cat "$dir/out")"
[ "$(wc -l < "$dir/rej.jsonl")" -eq 3 ] || fail "reject file"
grep -q "unknown organization" "$dir/rej.jsonl.reasons" || fail "reject reasons"
[ "$("$SQLITE3" "$dir/s.db" 'SELECT count(*) FROM rejects')" -eq 3 ] || fail "rejects table"

# re-import: nothing changes
rev1=$("$SQLITE3" "$dir/s.db" 'SELECT max(seq) FROM history')
"$P" import "$dir/s.db" "$dir/in.jsonl" > "$dir/out" 2>/dev/null
grep -q "inserted 0 + updated 0 + unchanged $lines + rejected 3" "$dir/out" ||
    fail "re-import: $(cat "$dir/out")"
rev2=$("$SQLITE3" "$dir/s.db" 'SELECT max(seq) FROM history')
[ "$rev1" = "$rev2" ] || fail "re-import wrote history ($rev1 -> $rev2)"

# the fixed reject file imports (minus what is still wrong)
"$P" import "$dir/s.db" "$dir/rej.jsonl" > "$dir/out" 2>/dev/null
grep -q "read 3 = " "$dir/out" || fail "re-import of rejects: $(cat "$dir/out")"

# show by id and by CCCD, history
id=$("$SQLITE3" "$dir/s.db" "SELECT id FROM v_members WHERE cccd IS NOT NULL ORDER BY id LIMIT 1")
cccd=$("$SQLITE3" "$dir/s.db" "SELECT cccd FROM v_members WHERE id = '$id'")
"$P" show "$dir/s.db" "$id" > "$dir/out" || fail "show by id"
grep -q '"member"' "$dir/out" || fail "show output"
"$P" show "$dir/s.db" "$cccd" > "$dir/out2" || fail "show by CCCD"
"$P" show "$dir/s.db" 999999999999 >/dev/null 2>&1 && fail "show of a missing CCCD succeeded"
"$P" history "$dir/s.db" "$id" > "$dir/out" || fail history
grep -q "revision 1 .* insert" "$dir/out" || fail "history output: $(cat "$dir/out")"

# stats in the three formats, and their agreement with SQL
"$P" stats "$dir/s.db" --by gender,status > "$dir/out" || fail stats
grep -q "CHINH_THUC" "$dir/out" || fail "stats table"
"$P" stats "$dir/s.db" --by province --format csv > "$dir/out" || fail "stats csv"
head -1 "$dir/out" | grep -q "^province,count$" || fail "stats csv header"
n01=$(grep '^01,' "$dir/out" | cut -d, -f2)
s01=$("$SQLITE3" "$dir/s.db" "SELECT count(*) FROM members WHERE province_code = '01'")
[ "$n01" = "$s01" ] || fail "stats csv 01: $n01 != $s01"
"$P" stats "$dir/s.db" --by gender --format json --status CHINH_THUC > "$dir/out" || fail "stats json"
grep -q '"count"' "$dir/out" || fail "stats json output"
"$P" stats "$dir/s.db" --by shoe_size >/dev/null 2>&1
[ $? -eq 2 ] || fail "unknown dimension should be a usage error"

# export everything and import it into a new store: same counts
"$P" export "$dir/s.db" "$dir/all.pb" 2>/dev/null || fail "export"
"$P" import "$dir/copy.db" "$dir/all.pb" --no-normalize --no-validate > "$dir/out" 2>/dev/null
for t in members organizations memberships events; do
    a=$("$SQLITE3" "$dir/s.db" "SELECT count(*) FROM $t")
    b=$("$SQLITE3" "$dir/copy.db" "SELECT count(*) FROM $t")
    [ "$a" = "$b" ] || fail "round trip $t: $a != $b"
done
# same content, record by record (pb holds the content without provenance)
d=$("$SQLITE3" "$dir/copy.db" "ATTACH '$dir/s.db' AS a; SELECT count(*) FROM members m JOIN a.members o ON o.id = m.id WHERE o.pb <> m.pb;")
[ "$d" -eq 0 ] || fail "round trip: $d members differ"

# a generated file round-trips: import as is, export, the same records (provenance aside)
if [ -n "${PYTHON:-}" ]; then
    "$P" generate --members 300 --seed 5 --province 79 "$dir/clean.jsonl" >/dev/null 2>&1 ||
        fail "generate clean"
    "$P" import "$dir/rt.db" "$dir/clean.jsonl" --no-normalize --no-validate >/dev/null 2>&1
    [ $? -le 1 ] || fail "import clean"
    "$P" stats "$dir/rt.db" --by province >/dev/null || fail "stats rt"
    "$P" export "$dir/rt.db" "$dir/rt.jsonl" 2>/dev/null || fail "export rt"
    "$PYTHON" - "$dir/clean.jsonl" "$dir/rt.jsonl" <<'PY' || fail "round trip of a generated file"
import json, sys
def load(path):
    out = []
    for line in open(path, encoding="utf-8"):
        rec = json.loads(line)
        for entity in rec.values():
            entity.pop("provenance", None)
        out.append(json.dumps(rec, sort_keys=True, ensure_ascii=False))
    return sorted(out)
a, b = load(sys.argv[1]), load(sys.argv[2])
if a != b:
    print("records differ: %d generated, %d exported, %d not in the export"
          % (len(a), len(b), len(set(a) - set(b))))
    sys.exit(1)
PY
fi

# export of a subtree
org=$("$SQLITE3" "$dir/s.db" "SELECT id FROM v_organizations WHERE name LIKE 'Đảng bộ Thành phố Hà Nội' LIMIT 1")
[ -n "$org" ] || org=$("$SQLITE3" "$dir/s.db" "SELECT id FROM v_organizations WHERE parent_id IS NOT NULL LIMIT 1")
"$P" export "$dir/s.db" "$dir/sub.jsonl" --org "$org" 2>/dev/null || fail "export --org"
[ -s "$dir/sub.jsonl" ] || fail "empty subtree export"
"$P" export "$dir/s.db" "$dir/x.jsonl" --org 00000000-0000-0000-0000-000000000001 >/dev/null 2>&1 &&
    fail "export of an unknown organization succeeded"
[ -e "$dir/x.jsonl" ] && fail "a failed export left a file"

"$P" check "$dir/s.db" > "$dir/out" || fail "check: $(cat "$dir/out")"

# bad input
echo "not a database" > "$dir/junk.db"
"$P" stats "$dir/junk.db" >/dev/null 2>"$dir/err" && fail "stats on a non-database succeeded"
grep -qi "not a database" "$dir/err" || fail "not-a-database message: $(cat "$dir/err")"
"$P" show "$dir/none.db" x >/dev/null 2>&1 && fail "show on a missing file succeeded"
"$P" import "$dir/s.db" >/dev/null 2>&1
[ $? -eq 2 ] || fail "import without files should be a usage error"
echo "store-cli: ok"
