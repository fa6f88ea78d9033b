#!/bin/sh
# test-summary.sh: after `make check`, add up the individual test cases of every
# test program (Check suites, pytest, shell tests) from their logs and print one
# closing line: "tests: N passed, M failed".
# Usage: test-summary.sh LOG...
passed=0
failed=0
for log in "$@"; do
    [ -f "$log" ] || continue
    # Check: "100%: Checks: 12, Failures: 0, Errors: 0"
    c=$(sed -n 's/^[0-9]*%: Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2 \3/p' "$log" | tail -n 1)
    if [ -n "$c" ]; then
        set -- $c "$@"
        passed=$((passed + $1 - $2 - $3)); failed=$((failed + $2 + $3)); shift 3
        continue
    fi
    # pytest: "12 passed, 1 failed in 0.3s" / "12 passed in 0.3s"
    p=$(grep -E '^(=+ )?[0-9]+ (passed|failed)' "$log" | tail -n 1)
    if [ -n "$p" ]; then
        set -- $(echo "$p" | tr -d '=,' | awk '{ for (i = 1; i < NF; i++) {
                 if ($(i+1) ~ /^passed/) np = $i; if ($(i+1) ~ /^failed/) nf = $i;
                 if ($(i+1) ~ /^error/) ne = $i }
                 print np + 0, nf + 0, ne + 0 }') "$@"
        np=$1; nf=$2; ne=$3; shift 3
        passed=$((passed + np)); failed=$((failed + nf + ne))
        continue
    fi
    # shell tests may print "ok N" / "not ok N" lines (TAP-like); else count the script
    ok=$(grep -c '^ok ' "$log"); nok=$(grep -c '^not ok ' "$log")
    if [ "$ok" -gt 0 ] || [ "$nok" -gt 0 ]; then
        passed=$((passed + ok)); failed=$((failed + nok))
        continue
    fi
    trs=${log%.log}.trs
    if [ -f "$trs" ] && grep -q '^:test-result: PASS' "$trs"; then
        passed=$((passed + 1))
    elif [ -f "$trs" ] && grep -q '^:test-result: SKIP' "$trs"; then
        :
    else
        failed=$((failed + 1))
    fi
done
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
