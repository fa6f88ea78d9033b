#!/bin/sh
# demo.sh: the main job (`make demo`). Generates a province the size of Quảng Bình
# (~70,000 members; province 44 Quảng Trị contains old Quảng Bình) with dirt and
# duplicates, imports it into demo.db, shows findings, statistics, the data-quality
# score against the generator's truth and the duplicate clusters found.
#
# Environment: PARTYDATA (the CLI), SQLITE3 (the sqlite3 shell), DEMO_MEMBERS
# (default 70000), DEMO_DIR (default ./demo-out), DEMO_SEED (default 2025).
# A step whose command is not in this build is skipped with a line saying so.
set -e

PARTYDATA=${PARTYDATA:-partydata}
SQLITE3=${SQLITE3:-sqlite3}
N=${DEMO_MEMBERS:-70000}
DIR=${DEMO_DIR:-demo-out}
SEED=${DEMO_SEED:-2025}
DIRTY=${DEMO_DIRTY:-0.08}
DUPS=${DEMO_DUPLICATES:-0.03}

mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
DB="$DIR/demo.db"
DATA="$DIR/quang-tri.pb"
TRUTH="$DIR/truth.jsonl"
FINDINGS="$DIR/findings.jsonl"
CLUSTERS="$DIR/clusters.jsonl"

start=$(date +%s)
step() { printf '\n== %s\n' "$*"; }
# a command is there unless the CLI says it is not in this build
have() {
    out=$("$PARTYDATA" "$1" --help 2>&1) || true
    case "$out" in *"not available in this build"*|*"unknown command"*) return 1 ;; esac
    return 0
}
skip() { printf 'skipped: partydata %s not available\n' "$1"; }

"$PARTYDATA" --version

step "1. Generate: province 44 (Quảng Trị, with old Quảng Bình), $N members, dirt $DIRTY, duplicates $DUPS"
"$PARTYDATA" generate --province 44 --members "$N" --seed "$SEED" --dirty "$DIRTY" \
    --duplicates "$DUPS" --truth "$TRUTH" "$DATA"
ls -l "$DATA" "$TRUTH" | awk '{ printf "  %-40s %12d bytes\n", $NF, $5 }'
printf '  injected defects by kind:\n'
grep '"type":"defect"' "$TRUTH" | sed 's/.*"kind":"\([^"]*\)".*/\1/' | sort | uniq -c | sort -rn |
    awk '{ printf "    %-22s %7d\n", $2, $1 }'
printf '  duplicate clusters: %d\n' "$(grep -c '"type":"cluster"' "$TRUTH" || true)"

step "2. Import into $DB"
imported=0
if have import; then
    rm -f "$DB" "$DB-wal" "$DB-shm" "$DIR/rejects.pb"
    if have init; then "$PARTYDATA" init "$DB" >/dev/null; fi
    rc=0
    "$PARTYDATA" import "$DB" "$DATA" --rejects "$DIR/rejects.pb" || rc=$?
    if [ "$rc" -le 1 ]; then imported=1; else echo "  import failed (exit $rc)"; fi
else
    skip import
fi

step "3. Findings (validation) by rule"
if have validate; then
    rc=0
    "$PARTYDATA" validate "$DATA" --today 2025-10-01 --format jsonl >"$FINDINGS" || rc=$?
    if [ "$rc" -le 1 ]; then
        printf '  %d findings; top rules:\n' "$(wc -l <"$FINDINGS")"
        sed -n 's/.*"rule":"\([^"]*\)".*"severity":"\([^"]*\)".*/\1 \2/p' "$FINDINGS" | sort | uniq -c |
            sort -rn | head -12 | awk '{ printf "    %-10s %-8s %7d\n", $2, $3, $1 }'
    else
        echo "  validate failed (exit $rc)"
    fi
else
    skip validate
fi

step "4. Cleaning (normalization): changes by rule"
NORMFIND="$DIR/normalize-findings.jsonl"
if have normalize; then
    rc=0
    "$PARTYDATA" normalize "$DATA" "$DIR/cleaned.pb" --findings "$NORMFIND" || rc=$?
    if [ "$rc" -le 1 ]; then
        printf '  %d changes; by rule:\n' "$(wc -l <"$NORMFIND")"
        sed -n 's/.*"rule":"\([^"]*\)".*"path":"\([^"]*\)".*/\1 \2/p' "$NORMFIND" | sort | uniq -c |
            sort -rn | head -10 | awk '{ printf "    %-10s %-24s %7d\n", $2, $3, $1 }'
    else
        echo "  normalize failed (exit $rc)"
        : >"$NORMFIND"
    fi
else
    skip normalize
fi

step "5. Statistics"
if [ "$imported" = 1 ] && have stats; then
    for dim in status gender birth_decade commune; do
        label=$dim; [ "$dim" = birth_decade ] && label="age band (decade of birth)"
        printf '  -- members by %s\n' "$label"
        out=$("$PARTYDATA" stats "$DB" --by "$dim" 2>&1) || { echo "  (stats --by $dim: not supported: $(echo "$out" | head -1))"; continue; }
        if [ "$dim" = commune ]; then echo "$out" | head -15; echo "  ..."; else echo "$out"; fi
    done
else
    skip stats
fi

step "6. Data-quality score against the truth (defects flagged by validation, fixed by normalization)"
if [ -s "$FINDINGS" ] || [ -s "$NORMFIND" ]; then
    cat "$FINDINGS" "$NORMFIND" 2>/dev/null >"$DIR/all-findings.jsonl"
    "$PARTYDATA" score --truth "$TRUTH" --findings "$DIR/all-findings.jsonl" | awk '$1 !~ /^rule:/'
else
    echo "skipped: no findings to score"
fi

step "7. Duplicate detection"
if [ "$imported" = 1 ] && have dedup; then
    rc=0
    "$PARTYDATA" dedup "$DB" --format jsonl >"$CLUSTERS" || rc=$?
    if [ "$rc" -le 1 ]; then
        printf '  %d clusters found; the first three:\n' "$(wc -l <"$CLUSTERS")"
        head -3 "$CLUSTERS" | cut -c1-200 | sed 's/^/    /'
        echo "  two clusters explained field by field (where the records differ):"
        "$PARTYDATA" dedup "$DB" --explain 2>/dev/null | awk '
            /^cluster / { if (blk != "" && keep) { printf "%s", blk; shown++ }
                          if (shown >= 2) exit
                          blk = ""; keep = 0 }
            { blk = blk "    " $0 "\n" }
            /(full_name|birth_date|cccd) .*(PARTIAL|accents missing)/ { keep = 1 }' || true
        "$PARTYDATA" score --truth "$TRUTH" --clusters "$CLUSTERS"
    else
        echo "  dedup failed (exit $rc)"
    fi
else
    skip dedup
fi

end=$(date +%s)
step "Done in $((end - start)) s"
if [ "$imported" = 1 ]; then
    echo "The database is $DB. Try:"
    Q="SELECT status, gender, count(*) AS members FROM v_members GROUP BY status, gender ORDER BY members DESC;"
    if "$SQLITE3" "$DB" "SELECT 1 FROM v_members LIMIT 1;" >/dev/null 2>&1; then
        echo "  $SQLITE3 $DB \"$Q\""
        "$SQLITE3" -header -column "$DB" "$Q" 2>/dev/null || true
    else
        Q="SELECT name FROM sqlite_master WHERE type IN ('table','view') ORDER BY name;"
        echo "  $SQLITE3 $DB \"$Q\""
        "$SQLITE3" "$DB" "$Q" 2>/dev/null || true
    fi
else
    echo "The generated data is $DATA (no database: import not available)."
fi
