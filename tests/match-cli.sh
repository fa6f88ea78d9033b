#!/bin/sh
# match-cli.sh: partydata dedup / merge / unmerge / org-merge end to end, on generated
# data with truth. Writes only under a temporary directory.
set -u
PD=${PARTYDATA:-./partydata}
SQL=${SQLITE3:-sqlite3}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }

# ---- dedup on a generated province (2025 tree) with duplicates and dirt ----
"$PD" generate --members 1500 --province 01 --seed 11 --dirty 0.05 --duplicates 0.03 \
    --truth "$T/truth.jsonl" "$T/w.jsonl" >/dev/null 2>&1 || fail "generate"
"$PD" init "$T/w.db" >/dev/null || fail "init"
"$PD" import "$T/w.db" "$T/w.jsonl" >/dev/null 2>&1
"$PD" dedup "$T/w.db" --format jsonl > "$T/cl.jsonl" 2>"$T/err" || fail "dedup jsonl"
test -s "$T/cl.jsonl" || fail "no clusters"
head -1 "$T/cl.jsonl" | grep -q '^{"cluster":1,"members":\["' || fail "cluster line format"
grep -q '"pairs":\[{"a":"' "$T/cl.jsonl" || fail "pairs in jsonl"
grep -q 'clusters' "$T/err" || fail "summary on stderr"
if "$PD" score --truth "$T/truth.jsonl" --clusters "$T/cl.jsonl" > "$T/score" 2>&1; then
    # the pair F1 (last column of the "pairs" line) must reach 0.95
    f1=$(awk '$1 == "pairs" { print $NF }' "$T/score")
    awk -v f="$f1" 'BEGIN { exit !(f + 0 >= 0.95) }' || fail "pair F1 $f1 < 0.95"
    echo "dedup pair F1 on 1500 generated members: $f1"
fi
"$PD" dedup "$T/w.db" --explain > "$T/text" || fail "dedup text"
grep -q '^cluster 1: ' "$T/text" || fail "text clusters"
grep -q 'full_name' "$T/text" || fail "explanation fields"
"$PD" dedup "$T/w.db" --format jsonl --explain 2>/dev/null | head -1 | grep -q '"explain":{"score"' \
    || fail "jsonl explain"
"$PD" dedup "$T/w.db" --threshold 1000 --format jsonl 2>/dev/null > "$T/none"
test ! -s "$T/none" || fail "threshold 1000 still finds clusters"

# usage errors
"$PD" dedup >/dev/null 2>&1; test $? -eq 2 || fail "dedup without DB: exit 2"
"$PD" dedup "$T/w.db" --format xml >/dev/null 2>&1; test $? -eq 2 || fail "bad format: exit 2"
"$PD" merge "$T/w.db" not-an-id x >/dev/null 2>&1; test $? -eq 2 || fail "merge bad id: exit 2"
"$PD" org-merge "$T/w.db" --table x --decision 1 --date 2025-13-01 >/dev/null 2>&1
test $? -eq 2 || fail "bad date: exit 2"

# ---- merge / unmerge the first cluster ----
a=$(head -1 "$T/cl.jsonl" | sed 's/.*"members":\["\([^"]*\)","\([^"]*\)".*/\1/')
b=$(head -1 "$T/cl.jsonl" | sed 's/.*"members":\["\([^"]*\)","\([^"]*\)".*/\2/')
test -n "$a" && test -n "$b" || fail "ids from jsonl"
rev0=$("$SQL" "$T/w.db" "select max(seq) from history")
"$PD" merge "$T/w.db" "$a" "$a" >/dev/null 2>&1 && fail "merge with itself accepted"
"$PD" merge "$T/w.db" "$a" 01900000-0000-7000-8000-000000000000 >/dev/null 2>&1 && fail "missing id accepted"
"$PD" unmerge "$T/w.db" "$a" >/dev/null 2>&1 && fail "unmerge of a never merged record accepted"
test "$("$SQL" "$T/w.db" "select max(seq) from history")" = "$rev0" || fail "bad input changed the store"
before_a=$("$SQL" "$T/w.db" "select hex(pb) from members where id = (select id from members where lower(hex(id)) = replace('$a','-',''))")
"$PD" merge "$T/w.db" "$a" "$b" --reason "same person" >/dev/null || fail "merge"
test "$("$SQL" "$T/w.db" "select count(*) from members where merged_into_id is not null")" -ge 1 || fail "redirect"
"$PD" merge "$T/w.db" "$a" "$b" >/dev/null 2>&1 && fail "merging an already merged id accepted"
"$PD" unmerge "$T/w.db" "$b" >/dev/null || fail "unmerge"
test "$("$SQL" "$T/w.db" "select count(*) from members where lower(hex(id)) = replace('$b','-','') and merged_into_id is null")" = 1 \
    || fail "loser not restored"
test -n "$before_a" || fail "survivor blob"

# ---- org-merge: a pre-2025 province consolidated by the 2025 commune conversion ----
"$PD" generate --members 200 --pre2025 --province 01 --seed 5 "$T/old.jsonl" >/dev/null 2>&1 || fail "generate pre2025"
"$PD" init "$T/old.db" >/dev/null || fail "init old"
"$PD" import "$T/old.db" "$T/old.jsonl" >/dev/null 2>&1
open0=$("$SQL" "$T/old.db" "select count(*) from organizations where valid_to is null")
"$PD" org-merge "$T/old.db" --table 2025 --decision "1656/NQ-UBTVQH15" --date 2025-07-01 > "$T/counts" \
    || fail "org-merge --table 2025"
merged=$(awk -F': ' '/^organizations merged/ { print $2 }' "$T/counts")
opened=$(awk -F': ' '/^memberships opened/ { print $2 }' "$T/counts")
closed=$(awk -F': ' '/^memberships closed/ { print $2 }' "$T/counts")
test "$merged" -gt 0 || fail "no organization merged"
test "$opened" = "$closed" || fail "memberships opened $opened != closed $closed"
open1=$("$SQL" "$T/old.db" "select count(*) from organizations where valid_to is null")
test $((open0 - merged)) -eq "$open1" || fail "open organizations $open0 - $merged != $open1"
test "$("$SQL" "$T/old.db" "select count(*) from organizations o join organizations p on p.id = o.parent_id where o.valid_to is null and p.valid_to is not null")" = 0 \
    || fail "an open organization under a closed one"
test "$("$SQL" "$T/old.db" "select count(*) from members m join organizations o on o.id = m.current_org_id where o.valid_to is not null")" = 0 \
    || fail "a member left in a closed organization"
echo "org-merge 2025 table: $merged organizations consolidated ($open0 -> $open1 open)"
# the same again: every row skipped, nothing merged
"$PD" org-merge "$T/old.db" --table 2025 --decision "1656/NQ-UBTVQH15" --date 2025-07-01 > "$T/counts2" || fail "second run"
grep -q '^organizations merged: 0$' "$T/counts2" || fail "second run merged again"
echo "match-cli: ok"
