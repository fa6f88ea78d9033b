#!/bin/sh
# store-crash.sh: kill -9 an import at several moments (a real child process); every
# time the database must pass PRAGMA integrity_check, hold whole batches only, and a
# re-run must complete the import without duplicates.
set -u
: "${PARTYDATA:?}" "${SQLITE3:?}"
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT INT TERM
fail() { echo "store-crash: FAIL: $*" >&2; exit 1; }
BATCH=250

"$PARTYDATA" generate --members 4000 --seed 7 --dirty 0.1 --duplicates 0.02 "$dir/in.jsonl" \
    >/dev/null 2>&1 || fail "generate"
total=$(wc -l < "$dir/in.jsonl")

# the reference: one clean import
"$PARTYDATA" import "$dir/ref.db" "$dir/in.jsonl" --batch $BATCH >/dev/null 2>&1
[ $? -le 1 ] || fail "reference import"
q='SELECT (SELECT count(*) FROM members) || " " || (SELECT count(*) FROM organizations) || " " || (SELECT count(*) FROM rejects) || " " || (SELECT count(*) FROM duplicate_candidates);'
ref=$("$SQLITE3" "$dir/ref.db" "$q")

# records written in whole batches: stored records (one history row each on a fresh
# file) plus rejects is a multiple of the batch size, or everything
whole_batches() {
    n=$("$SQLITE3" "$1" "SELECT (SELECT count(*) FROM history) + (SELECT count(*) FROM rejects);")
    [ $((n % BATCH)) -eq 0 ] || [ "$n" -eq "$total" ] || fail "$1: $n records is not whole batches of $BATCH"
    echo "$n"
}

check_db() {
    ic=$("$SQLITE3" "$1" "PRAGMA integrity_check;") || fail "sqlite3 cannot open $1"
    [ "$ic" = "ok" ] || fail "integrity_check: $ic"
    fk=$("$SQLITE3" "$1" "PRAGMA foreign_key_check;")
    [ -z "$fk" ] || fail "foreign_key_check: $fk"
}

kills=0
for delay in 0.05 0.15 0.3 0.5 0.8 1.2; do
    db="$dir/crash-$delay.db"
    "$PARTYDATA" import "$db" "$dir/in.jsonl" --batch $BATCH >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    if kill -9 "$pid" 2>/dev/null; then
        kills=$((kills + 1))
    fi
    wait "$pid" 2>/dev/null
    [ -f "$db" ] || continue
    check_db "$db"
    n=$(whole_batches "$db")
    echo "store-crash: killed after ${delay}s: $n of $total records committed, integrity ok"
    # re-run: completes, no duplicates
    "$PARTYDATA" import "$db" "$dir/in.jsonl" --batch $BATCH >/dev/null 2>&1
    [ $? -le 1 ] || fail "re-run after crash at ${delay}s"
    check_db "$db"
    got=$("$SQLITE3" "$db" "$q")
    [ "$got" = "$ref" ] || fail "after re-run ($delay s): '$got' != reference '$ref'"
done

# several crashes of the same database in a row, then completion
db="$dir/serial.db"
for delay in 0.2 0.3 0.4; do
    "$PARTYDATA" import "$db" "$dir/in.jsonl" --batch $BATCH >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
    wait "$pid" 2>/dev/null
    [ -f "$db" ] && check_db "$db"
done
"$PARTYDATA" import "$db" "$dir/in.jsonl" --batch $BATCH >/dev/null 2>&1
[ $? -le 1 ] || fail "completion after serial crashes"
check_db "$db"
got=$("$SQLITE3" "$db" "$q")
[ "$got" = "$ref" ] || fail "serial crashes: '$got' != reference '$ref'"
"$PARTYDATA" check "$db" >/dev/null || fail "partydata check"

[ "$kills" -ge 3 ] || fail "only $kills imports were still running when killed (machine too fast?)"
echo "store-crash: ok ($kills kills, reference $ref)"
