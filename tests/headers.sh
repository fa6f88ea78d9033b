#!/bin/sh
# Every public header compiles on its own, as C11 and as C++, -Wall -Wextra -pedantic -Werror.
set -e
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
inc="-I$top_srcdir/libpartydata/include -I$top_builddir/libpartydata/include"
n=0
for h in "$top_srcdir"/libpartydata/include/partydata/*.h; do
    b=$(basename "$h")
    printf '#include <partydata/%s>\n#include <partydata/%s>\nint main(void) { return 0; }\n' "$b" "$b" > "$tmp/t.c"
    ${CC:-cc} -std=c11 -Wall -Wextra -pedantic -Werror $inc -c "$tmp/t.c" -o "$tmp/t.o"
    cp "$tmp/t.c" "$tmp/t.cc"
    ${CXX:-c++} -std=c++11 -Wall -Wextra -pedantic -Werror $inc -c "$tmp/t.cc" -o "$tmp/t.o"
    n=$((n + 1))
done
echo "headers: $n compile alone as C11 and C++11"
