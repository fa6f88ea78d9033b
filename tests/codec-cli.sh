#!/bin/sh
# codec-cli.sh: `partydata convert` - formats, byte-exact round trips, bad input with
# positions and rejects, exit codes, stdin/stdout.
set -u
: "${PARTYDATA:?}" "${top_srcdir:?}"
d=$(mktemp -d) || exit 1
trap 'rm -rf "$d"' EXIT
data="$top_srcdir/tests/data/codec"
fail() { echo "FAIL: $*" >&2; exit 1; }

# --help and usage errors
"$PARTYDATA" convert --help | grep -q "exit codes" || fail "convert --help"
"$PARTYDATA" convert only-one 2>/dev/null; [ $? -eq 2 ] || fail "usage exit code"
"$PARTYDATA" convert a.jsonl b.xml 2>/dev/null; [ $? -eq 2 ] || fail "unknown output format"
"$PARTYDATA" convert "$d/missing.pb" "$d/x.jsonl" 2>/dev/null; [ $? -eq 3 ] || fail "missing input"

# records with odd values: empty strings, negative and large int64, unknown enum
# numbers, bytes, unicode, every entity
cat > "$d/in.jsonl" <<'J'
{"member":{"id":"AZNBP2CDdbCVm2TL7e/fqg==","provenance":{"revision":"9223372036854775807","updatedAt":"-1"},"fullName":"Nguyễn Thị Hoà","aliases":["","Hoà 🌸"],"gender":"GENDER_NU","birthDate":{"year":1975,"month":4,"day":30},"status":77,"events":[{"type":"EVENT_TYPE_KET_NAP","decision":{"number":"12-QĐ/ĐU"}}],"photo":"AP8=","is213":false}}
{"organization":{"name":"Chi bộ \"Một\", thôn 1\nxã A","kind":"ORG_KIND_CHI_BO"}}
{"membership":{"kind":"MEMBERSHIP_KIND_TAM_THOI"}}
{"event":{"type":"EVENT_TYPE_KET_NAP","badgeYears":30}}
{"residenceLink":{}}
J
"$PARTYDATA" convert "$d/in.jsonl" "$d/a.pb" 2>/dev/null || fail "jsonl -> pb"
"$PARTYDATA" convert "$d/a.pb" "$d/b.jsonl" 2>/dev/null || fail "pb -> jsonl"
"$PARTYDATA" convert "$d/b.jsonl" "$d/c.pb" 2>/dev/null || fail "jsonl -> pb again"
cmp -s "$d/a.pb" "$d/c.pb" || fail "pb -> jsonl -> pb is not byte-exact"
cmp -s "$d/in.jsonl" "$d/b.jsonl" || fail "jsonl -> pb -> jsonl changed the text"
# stdin / stdout
"$PARTYDATA" convert - - --from pb --to jsonl < "$d/a.pb" > "$d/s.jsonl" 2>/dev/null || fail "stdin -> stdout"
cmp -s "$d/s.jsonl" "$d/b.jsonl" || fail "stdout output differs"
# CSV holds members: the member survives pb -> csv -> pb; other kinds are rejected
head -n 1 "$d/in.jsonl" > "$d/m.jsonl"
"$PARTYDATA" convert "$d/m.jsonl" "$d/m.pb" 2>/dev/null || fail "member jsonl -> pb"
"$PARTYDATA" convert "$d/m.pb" "$d/m.csv" 2>/dev/null || fail "pb -> csv"
"$PARTYDATA" convert "$d/m.csv" "$d/m2.pb" 2>/dev/null || fail "csv -> pb"
cmp -s "$d/m.pb" "$d/m2.pb" || fail "pb -> csv -> pb is not byte-exact"
"$PARTYDATA" convert "$d/a.pb" "$d/all.csv" 2>"$d/err"; [ $? -eq 1 ] || fail "non-members to CSV"
grep -q "4 rejected" "$d/err" || fail "non-members not counted as rejected"

# bad input: each error with its position, the rest converted, rejects kept
"$PARTYDATA" convert "$data/bad.jsonl" "$d/bad.pb" --rejects "$d/rej.jsonl" 2>"$d/err"
[ $? -eq 1 ] || fail "bad input exit code"
while IFS= read -r want; do
  grep -qF "$want" "$d/err" || fail "missing error: $want"
done < "$data/bad.expected"
grep -q "7 records read, 2 converted, 5 rejected" "$d/err" || fail "counts: $(tail -n 1 "$d/err")"
[ "$(wc -l < "$d/rej.jsonl")" -eq 5 ] || fail "rejects file"
head -n 1 "$d/rej.jsonl" | grep -q nickname || fail "first reject is not line 2"
"$PARTYDATA" convert "$data/bad.csv" "$d/badcsv.pb" 2>"$d/err"; [ $? -eq 1 ] || fail "bad csv exit"
grep -q "bad.csv:3, record 2" "$d/err" || fail "csv field count position"
grep -q "bad.csv:4, record 3" "$d/err" || fail "csv broken quote position"
grep -q "4 records read, 2 converted, 2 rejected" "$d/err" || fail "csv counts"
# truncated protobuf stream: the good records are kept
head -c 20 "$d/a.pb" > "$d/trunc.pb"
"$PARTYDATA" convert "$d/trunc.pb" "$d/t.jsonl" 2>"$d/err"; [ $? -eq 1 ] || fail "truncated exit"
grep -q "past the end" "$d/err" || fail "truncated message"
# protobuf rejects are a valid stream themselves (length prefix kept)
cat "$d/m.pb" > "$d/mixed.pb"
printf '\007\012\005\032\003a\377b' >> "$d/mixed.pb"   # full_name with invalid UTF-8
cat "$d/m.pb" >> "$d/mixed.pb"
"$PARTYDATA" convert "$d/mixed.pb" "$d/mixed.jsonl" --rejects "$d/rej.pb" 2>"$d/err"
[ $? -eq 1 ] || fail "mixed pb exit"
grep -q "record 2) at full_name" "$d/err" || fail "pb UTF-8 error position: $(cat "$d/err")"
grep -q "3 records read, 2 converted, 1 rejected" "$d/err" || fail "mixed pb counts"
"$PARTYDATA" convert "$d/rej.pb" "$d/rej2.jsonl" 2>"$d/err"
grep -q "1 records read, 0 converted, 1 rejected" "$d/err" || fail "pb rejects file is not a stream"
# a failed conversion leaves no partial output in place
[ ! -e "$d/x.jsonl" ] || fail "partial output left"
echo "codec-cli: ok"
