#!/bin/sh
# gen-rules-md.sh: regenerate docs/rules.md from the rule catalogue.
# usage: tools/gen-rules-md.sh [PARTYDATA-BINARY]   (default: ./partydata of a build dir)
# Run from the source tree root; the binary is the `partydata` of any build.
set -e
bin=${1:-${PARTYDATA:-./partydata}}
out=docs/rules.md
"$bin" validate --rules --format markdown > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out"
