#!/bin/sh
# refdata-cli.sh: `partydata refdata` tables, as-of, look-ups, conversion.
set -u
: "${PARTYDATA:?}"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$PARTYDATA" refdata --help | grep -q "exit codes" || fail "refdata --help"
"$PARTYDATA" refdata 2>/dev/null; [ $? -eq 2 ] || fail "no table"
"$PARTYDATA" refdata nonsense 2>/dev/null; [ $? -eq 2 ] || fail "unknown table"
[ "$("$PARTYDATA" refdata provinces | wc -l)" -eq 34 ] || fail "34 provinces"
[ "$("$PARTYDATA" refdata provinces --as-of 30/06/2025 | wc -l)" -eq 63 ] || fail "63 provinces before"
[ "$("$PARTYDATA" refdata communes | wc -l)" -eq 3321 ] || fail "3321 communes"
[ "$("$PARTYDATA" refdata communes --as-of 2025-06-30 | wc -l)" -eq 10035 ] || fail "10035 valid communes"
"$PARTYDATA" refdata provinces --as-of 2026-05-01 | grep -q "^75	Đồng Nai	thanh_pho" || fail "Đồng Nai 2026"
"$PARTYDATA" refdata provinces --as-of 2025-07-01 | grep -q "^75	Đồng Nai	tinh" || fail "Đồng Nai 2025"
"$PARTYDATA" refdata provinces --as-of 2025 2>/dev/null; [ $? -eq 2 ] || fail "ambiguous as-of"
[ "$("$PARTYDATA" refdata ethnic --list 1979 | wc -l)" -eq 54 ] || fail "54 groups"
"$PARTYDATA" refdata ethnic --list 1979 | grep -q "^04	Hoa" || fail "1979 list"
"$PARTYDATA" refdata ethnic | grep -q "^04	Mường" || fail "2008 list"
[ "$("$PARTYDATA" refdata religions | wc -l)" -eq 17 ] || fail "religions"
"$PARTYDATA" refdata labels EventType | grep -q "EVENT_TYPE_KET_NAP" || fail "labels"
"$PARTYDATA" refdata lookup "Phường Phúc Xá" | grep -q -- "-> 00097" || fail "lookup successor"
"$PARTYDATA" refdata lookup "Thổ" | grep -q "ambiguous" || fail "ambiguous ethnic"
"$PARTYDATA" refdata lookup "tp ho chi minh" | grep -q "^province (2025)	79" || fail "province lookup"
"$PARTYDATA" refdata lookup "Atlantis" 2>/dev/null; [ $? -eq 1 ] || fail "not found exit"
[ "$("$PARTYDATA" refdata convert 18796 | grep -c partial)" -eq 3 ] || fail "split commune"
exit 0
