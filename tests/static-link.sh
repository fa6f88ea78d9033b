#!/bin/sh
# Installs into a temporary DESTDIR and links examples/ex_static.c fully statically
# with `pkg-config --static`: proves partydata.pc's Requires.private/Libs.private.
set -e
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$top_builddir"
make -s install DESTDIR="$tmp" >/dev/null
prefix=$(sed -n 's/^prefix=//p' partydata.pc)
pcdir="$tmp$prefix/lib/pkgconfig"
flags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --define-variable=prefix="$tmp$prefix" \
        --static --cflags --libs partydata)
case "$flags" in *-lpartydata*) ;; *) echo "pkg-config gave no -lpartydata: $flags"; exit 1;; esac
${CC:-cc} -static -o "$tmp/ex_static" "$top_srcdir/examples/ex_static.c" $flags
file "$tmp/ex_static" 2>/dev/null | grep -q 'statically linked' || \
    ldd "$tmp/ex_static" 2>&1 | grep -q 'not a dynamic executable'
"$tmp/ex_static" | grep -q 'Nguyễn Văn An'
echo "static link: ok ($flags)"
