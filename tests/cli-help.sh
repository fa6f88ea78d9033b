#!/bin/sh
# Every command answers --help with its usage on stdout and exit 0; the top level
# lists the exit codes; an unknown command is a usage error (exit 2).
set -e
n=0
for c in convert normalize validate refdata generate score init import export show \
         history stats check dedup merge unmerge org-merge; do
    out=$("$PARTYDATA" $c --help) || { echo "not ok: partydata $c --help exit $?"; exit 1; }
    echo "$out" | grep -q "$c" || { echo "not ok: $c --help does not name the command"; exit 1; }
    n=$((n + 1)); echo "ok $n $c --help"
done
"$PARTYDATA" --help | grep -q '2  bad command line'
n=$((n + 1)); echo "ok $n --help lists exit codes"
"$PARTYDATA" --version | grep -q '^partydata [0-9]'
n=$((n + 1)); echo "ok $n --version"
set +e
"$PARTYDATA" no-such-command 2>/dev/null; rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "not ok: unknown command exit $rc"; exit 1; }
n=$((n + 1)); echo "ok $n unknown command exits 2"
