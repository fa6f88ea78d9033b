#!/bin/sh
# normalize-cli.sh: `partydata normalize` - changes written, every change a finding,
# idempotence, dry run, bad records skipped with exit 1, usage errors.
set -u
: "${PARTYDATA:?}"
d=$(mktemp -d) || exit 1
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$PARTYDATA" normalize --help | grep -q "exit codes" || fail "normalize --help"
"$PARTYDATA" normalize only-one 2>/dev/null; [ $? -eq 2 ] || fail "usage exit code"
"$PARTYDATA" normalize a.jsonl b.jsonl --bogus 2>/dev/null; [ $? -eq 2 ] || fail "unknown option"
"$PARTYDATA" normalize "$d/missing.jsonl" "$d/x.jsonl" 2>/dev/null; [ $? -eq 3 ] || fail "missing input"

cat > "$d/in.jsonl" <<'J'
{"member":{"fullName":"  NGUYỄN văn  an","contacts":{"phones":["+84 168 123 4567"]},"ethnicity":{"name":"Khmer"},"hometown":{"text":"Phường Phúc Xá, Ba Đình, Hà Nội"},"idNumbers":[{"number":"1090012345"}]}}
{"organization":{"name":"Chi  bộ 1"}}
J
"$PARTYDATA" normalize "$d/in.jsonl" "$d/out.jsonl" --findings "$d/f.jsonl" 2>/dev/null || fail "normalize"
grep -q '"fullName":"Nguyễn Văn An"' "$d/out.jsonl" || fail "name not normalized"
grep -q '"0381234567"' "$d/out.jsonl" || fail "phone not normalized"
grep -q '"communeCode":"00097"' "$d/out.jsonl" || fail "old commune not converted"
grep -q '"number":"1090012345"' "$d/out.jsonl" || fail "CCCD padded silently"
grep -q '"name":"Chi bộ 1"' "$d/out.jsonl" || fail "organization name"
grep -q '"rule":"PD-N012".*"new":"001090012345"' "$d/f.jsonl" || fail "lost-zeros finding"
grep -q '"rule":"PD-N008"' "$d/f.jsonl" || fail "phone finding"
grep -q '"path":"full_name"' "$d/f.jsonl" || fail "finding path"
[ "$(grep -c . "$d/f.jsonl")" -ge 8 ] || fail "too few findings"

# idempotent: a second run changes nothing and reports only the unfixable warning
"$PARTYDATA" normalize "$d/out.jsonl" "$d/out2.jsonl" --findings "$d/f2.jsonl" 2>/dev/null || fail "second run"
cmp -s "$d/out.jsonl" "$d/out2.jsonl" || fail "not idempotent"
grep -v '"severity":"warning"' "$d/f2.jsonl" | grep -q . && fail "second run reported changes"

# dry run: output equals input content, findings the same
"$PARTYDATA" normalize "$d/in.jsonl" "$d/dry.jsonl" --dry-run --findings "$d/f3.jsonl" 2>/dev/null || fail "dry run"
grep -q '"fullName":"  NGUYỄN văn  an"' "$d/dry.jsonl" || fail "dry run changed the record"
[ "$(grep -c . "$d/f3.jsonl")" -eq "$(grep -c . "$d/f.jsonl")" ] || fail "dry run findings differ"

# a bad record: reported with its position, skipped, exit 1; summary on stderr
printf '%s\n' '{"member":{"fullName":"a"}}' 'garbage' > "$d/bad.jsonl"
"$PARTYDATA" normalize "$d/bad.jsonl" "$d/bad-out.jsonl" 2> "$d/err"; [ $? -eq 1 ] || fail "bad record exit"
grep -q "bad.jsonl:2" "$d/err" || fail "bad record position"
grep -q "1 unreadable" "$d/err" || fail "summary"
[ "$(grep -c . "$d/bad-out.jsonl")" -eq 1 ] || fail "good record not written"
exit 0
