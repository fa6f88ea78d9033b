#!/bin/sh
# Runs the Python binding tests with the Python configure chose.
set -e
cd "$top_builddir"
exec "$PYTHON" -m pytest -q -p no:cacheprovider "$top_srcdir/bindings/python/tests"
