#!/bin/sh
# codec-interop.sh: run tests/interop.py with $PYTHON after compiling partydata.proto
# with Debian's protoc --python_out into a temporary directory.
set -u
: "${PARTYDATA:?}" "${top_srcdir:?}" "${PYTHON:?}"
PROTOC=${PROTOC:-protoc}
command -v "$PROTOC" >/dev/null 2>&1 || { echo "no protoc: skipped"; exit 77; }
"$PYTHON" -c 'import google.protobuf' 2>/dev/null || { echo "no python3-protobuf: skipped"; exit 77; }
d=$(mktemp -d) || exit 1
trap 'rm -rf "$d"' EXIT
"$PROTOC" -I"$top_srcdir/libpartydata/proto" -I/usr/include --python_out="$d" \
  "$top_srcdir/libpartydata/proto/partydata.proto" || exit 1
exec "$PYTHON" "$top_srcdir/tests/interop.py" "$PARTYDATA" "$top_srcdir/libpartydata/proto" "$d"
