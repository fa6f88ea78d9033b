#!/bin/sh
# generate-cli.sh: `partydata generate` and `partydata score` from the command line.
set -u
: "${PARTYDATA:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { printf 'ok - %s\n' "$1"; }
bad() { printf 'FAIL - %s\n' "$1"; fail=1; }
expect_exit() { # code description command...
    want=$1; what=$2; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"; got=$?
    if [ "$got" = "$want" ]; then ok "$what"; else bad "$what (exit $got, want $want)"; cat "$tmp/err"; fi
}

# bad options: exit 2, a clear message, no output file
expect_exit 2 "members -1 refused" "$PARTYDATA" generate --members -1 "$tmp/x.jsonl"
grep -q "members" "$tmp/err" || bad "members message"
expect_exit 2 "members 0 refused" "$PARTYDATA" generate --members 0 "$tmp/x.jsonl"
expect_exit 2 "members junk refused" "$PARTYDATA" generate --members 12x "$tmp/x.jsonl"
expect_exit 2 "old province code refused" "$PARTYDATA" generate --province 02 "$tmp/x.jsonl"
expect_exit 2 "unknown province refused" "$PARTYDATA" generate --province 99 "$tmp/x.jsonl"
grep -q "province" "$tmp/err" || bad "province message"
expect_exit 2 "dirty 2 refused" "$PARTYDATA" generate --dirty 2 "$tmp/x.jsonl"
expect_exit 2 "duplicates -0.1 refused" "$PARTYDATA" generate --duplicates -0.1 "$tmp/x.jsonl"
expect_exit 2 "bad format refused" "$PARTYDATA" generate --format xml "$tmp/x.jsonl"
expect_exit 2 "no OUT refused" "$PARTYDATA" generate --members 5
test -e "$tmp/x.jsonl" && bad "no file after a refused run" || ok "no file after a refused run"
expect_exit 0 "generate --help" "$PARTYDATA" generate --help

# a good run: deterministic, truth written, counts add up
expect_exit 0 "generate 500 members" "$PARTYDATA" generate --province 44 --members 500 --seed 7 \
    --dirty 0.3 --duplicates 0.1 --truth "$tmp/t1.jsonl" "$tmp/a.jsonl"
"$PARTYDATA" generate --province 44 --members 500 --seed 7 --dirty 0.3 --duplicates 0.1 \
    --truth "$tmp/t2.jsonl" "$tmp/b.jsonl" 2>/dev/null
cmp -s "$tmp/a.jsonl" "$tmp/b.jsonl" && ok "same seed, same records" || bad "same seed, same records"
cmp -s "$tmp/t1.jsonl" "$tmp/t2.jsonl" && ok "same seed, same truth" || bad "same seed, same truth"
"$PARTYDATA" generate --province 44 --members 500 --seed 8 "$tmp/c.jsonl" 2>/dev/null
cmp -s "$tmp/a.jsonl" "$tmp/c.jsonl" && bad "other seed, other records" || ok "other seed, other records"
members=$(grep -c '^{"member"' "$tmp/a.jsonl")
[ "$members" -ge 500 ] && ok "at least 500 member records ($members)" || bad "member count $members"
grep -q '"type":"defect"' "$tmp/t1.jsonl" && ok "truth has defects" || bad "truth has defects"
grep -q '"type":"cluster"' "$tmp/t1.jsonl" && ok "truth has clusters" || bad "truth has clusters"
orgs=$(grep -c '^{"organization"' "$tmp/a.jsonl")
[ "$orgs" -gt 50 ] && ok "organizations first ($orgs)" || bad "organizations $orgs"
head -1 "$tmp/a.jsonl" | grep -q '^{"organization"' && ok "first record is an organization" || bad "first record"

# pb output and stdout
expect_exit 0 "generate pb" "$PARTYDATA" generate --province 01 --members 200 "$tmp/d.pb"
test -s "$tmp/d.pb" && ok "pb file written" || bad "pb file written"
"$PARTYDATA" generate --members 50 --province 44 --format jsonl - 2>/dev/null | grep -q '"member"' &&
    ok "stdout output" || bad "stdout output"

# clean data passes validation (no error findings)
if "$PARTYDATA" validate --help >/dev/null 2>&1; then
    "$PARTYDATA" generate --province 44 --members 1000 --seed 3 --dirty 0 "$tmp/clean.jsonl" 2>/dev/null
    "$PARTYDATA" validate "$tmp/clean.jsonl" --today 2025-10-01 --format jsonl >"$tmp/clean-findings.jsonl"
    rc=$?
    errs=$(grep -c '"severity":"error"' "$tmp/clean-findings.jsonl")
    if [ "$rc" = 0 ] && [ "$errs" = 0 ]; then ok "dirty 0 passes validation"
    else bad "dirty 0 passes validation (exit $rc, $errs errors)"
        grep '"severity":"error"' "$tmp/clean-findings.jsonl" | head -5; fi
    # score: findings of the dirty file
    "$PARTYDATA" validate "$tmp/a.jsonl" --today 2025-10-01 --format jsonl >"$tmp/f.jsonl"
    expect_exit 0 "score findings" "$PARTYDATA" score --truth "$tmp/t1.jsonl" --findings "$tmp/f.jsonl"
    grep -q '^overall' "$tmp/out" && ok "score prints overall" || bad "score prints overall"
    expect_exit 0 "score findings json" "$PARTYDATA" score --truth "$tmp/t1.jsonl" --findings "$tmp/f.jsonl" --format json
    grep -q '"name":"overall"' "$tmp/out" && ok "score json" || bad "score json"
else
    echo "skipped: partydata validate not available"
fi

# score of the truth's own clusters is perfect
grep '"type":"cluster"' "$tmp/t1.jsonl" | sed 's/"type":"cluster",//' >"$tmp/cl.jsonl"
expect_exit 0 "score clusters" "$PARTYDATA" score --truth "$tmp/t1.jsonl" --clusters "$tmp/cl.jsonl"
grep -q '^pairs .* 1.000 *1.000 *1.000$' "$tmp/out" && ok "perfect pairs" || { bad "perfect pairs"; cat "$tmp/out"; }
expect_exit 2 "score needs --truth" "$PARTYDATA" score --findings "$tmp/f.jsonl"
expect_exit 2 "score needs one input" "$PARTYDATA" score --truth "$tmp/t1.jsonl"
expect_exit 3 "score missing file" "$PARTYDATA" score --truth "$tmp/none.jsonl" --clusters "$tmp/cl.jsonl"
echo 'not json' >"$tmp/junk.jsonl"
expect_exit 1 "score bad line" "$PARTYDATA" score --truth "$tmp/t1.jsonl" --clusters "$tmp/junk.jsonl"
exit $fail
