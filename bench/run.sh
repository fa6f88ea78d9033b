#!/bin/sh
# bench/run.sh: run every benchmark program built by `make bench` (bench/bench_* in the
# build directory), gather their JSON lines, print one table and write
# bench/results.json in the build directory.
#
# Each program prints one JSON object per measure on its own line:
#   {"measure":"...","ours":N,"baseline":N|null,"unit":"rec/s","ratio":N|null,"goal":"...","pass":true|false}
# Other output goes to the terminal unchanged (stderr).
#
# Environment: top_builddir (default .), PD_BENCH_N (size for every program; each has
# its own default sized for ~10 minutes in all on a 2-core machine), FULL=1 (the
# national 5.6 M import: bench_store with PD_BENCH_N=5600000), BENCH_TIMEOUT (seconds
# per program, default 1200), BENCH_ONLY (run only programs whose name contains it).
set -u

B=${top_builddir:-.}
OUT="$B/bench/results.json"
TIMEOUT=${BENCH_TIMEOUT:-1200}
mkdir -p "$B/bench"
lines=$(mktemp)
trap 'rm -f "$lines" "$lines.err"' EXIT

have_timeout=0
command -v timeout >/dev/null 2>&1 && have_timeout=1

progs=0
failed=0
for p in "$B"/bench/bench_*; do
    [ -f "$p" ] && [ -x "$p" ] || continue
    case "$p" in *.o|*.c|*.sh|*.json) continue ;; esac
    name=$(basename "$p")
    if [ -n "${BENCH_ONLY:-}" ]; then
        case "$name" in *"$BENCH_ONLY"*) ;; *) continue ;; esac
    fi
    n_env=${PD_BENCH_N:-}
    if [ "${FULL:-0}" = 1 ] && [ "$name" = bench_store ]; then n_env=5600000; fi
    printf '== %s%s\n' "$name" "${n_env:+ (PD_BENCH_N=$n_env)}" >&2
    start=$(date +%s)
    if [ -n "$n_env" ]; then set -- env PD_BENCH_N="$n_env" "$p"; else set -- "$p"; fi
    if [ "$have_timeout" = 1 ]; then set -- timeout "$TIMEOUT" "$@"; fi
    "$@" >"$lines.out" 2>"$lines.err"
    rc=$?
    end=$(date +%s)
    grep '^{"measure"' "$lines.out" >>"$lines"
    grep -v '^{"measure"' "$lines.out" >&2
    cat "$lines.err" >&2
    printf '   %s: exit %d in %d s\n' "$name" "$rc" "$((end - start))" >&2
    if [ "$rc" != 0 ]; then
        failed=$((failed + 1))
        printf '{"measure":"%s (exit %d)","ours":null,"baseline":null,"unit":"","ratio":null,"goal":"runs","pass":false}\n' \
            "$name" "$rc" >>"$lines"
    fi
    progs=$((progs + 1))
done
rm -f "$lines.out"

if [ "$progs" = 0 ]; then
    echo "bench/run.sh: no benchmark programs in $B/bench (run make bench)" >&2
    exit 1
fi

# results.json: the measures in the order they ran
{
    printf '{"date":"%s","host":"%s","full":%s,"results":[\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
        "$(uname -n)" "$([ "${FULL:-0}" = 1 ] && echo true || echo false)"
    awk 'NR > 1 { print prev "," } { prev = $0 } END { if (NR) print prev }' "$lines"
    printf ']}\n'
} >"$OUT.tmp" && mv "$OUT.tmp" "$OUT"

# the table
awk '
function field(s, key,    m, v) {
    # "key":"string" or "key":number|null|true|false
    if (match(s, "\"" key "\":\"[^\"]*\"")) {
        v = substr(s, RSTART + length(key) + 4, RLENGTH - length(key) - 5)
        return v
    }
    if (match(s, "\"" key "\":[^,}]*")) return substr(s, RSTART + length(key) + 3, RLENGTH - length(key) - 3)
    return ""
}
function num(v) {
    if (v == "null" || v == "") return "-"
    if (v + 0 >= 100000) return sprintf("%.0f", v)
    if (v + 0 >= 100) return sprintf("%.1f", v)
    return sprintf("%.3g", v)
}
BEGIN {
    printf "%-52s %12s %12s %-6s %8s %-26s %s\n", "measure", "ours", "baseline", "unit", "ratio", "goal", "pass"
    printf "%-52s %12s %12s %-6s %8s %-26s %s\n", "-------", "----", "--------", "----", "-----", "----", "----"
}
{
    m = field($0, "measure"); p = field($0, "pass")
    printf "%-52.52s %12s %12s %-6.6s %8s %-26.26s %s\n", m, num(field($0, "ours")), num(field($0, "baseline")),
        field($0, "unit"), num(field($0, "ratio")), field($0, "goal"), (p == "true" ? "PASS" : "FAIL")
    total++; if (p == "true") passed++
}
END { printf "\n%d measures, %d pass, %d fail\n", total, passed, total - passed }
' "$lines"
echo "results: $OUT"
[ "$failed" = 0 ]
