#!/bin/sh
# Install fuss into a temporary prefix, then build and run a consumer against
# the installed files only: via pkg-config and via CMake find_package(fuss),
# each linked shared and static.  Also checks the installed manual pages.
# Usage: check.sh <cmake> <build dir> <C compiler> <source dir> [extra C flags]
cmake=$1 build=$2 cc=$3 src=$4 extra=$5
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fuss-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix fail=0
step() { echo "== $*"; }
bad() { echo "FAIL: $*"; fail=1; }

step "cmake --install into $prefix"
"$cmake" --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; echo "FAIL: install"; exit 1; }

# needs <exe> <yes|no>: does the program load libfuss.so at run time?
needs() {
    if readelf -d "$1" | grep -q 'NEEDED.*libfuss\.so'; then got=yes; else got=no; fi
    [ "$got" = "$2" ] || bad "$1: needs libfuss.so: $got, expected $2"
}
run() {
    out=$("$@" 2>&1) && echo "$out" | grep -q 'works: yes' && echo "ok: $(basename "$1"): $out" ||
        bad "$* did not run: $out"
}

step "pkg-config"
export PKG_CONFIG_PATH="$(dirname "$(find "$prefix" -name fuss.pc | head -1)")"
if ! pkg-config --exists fuss; then
    bad "pkg-config does not find fuss.pc under $prefix"
else
    libdir=$(pkg-config --variable=libdir fuss)
    case $libdir in "$prefix"/*) ;; *) bad "fuss.pc points outside the prefix: libdir=$libdir";; esac
    # shellcheck disable=SC2046,SC2086
    $cc $extra $(pkg-config --cflags fuss) "$src/consumer.c" -o "$tmp/pc_shared" \
        $(pkg-config --libs fuss) && needs "$tmp/pc_shared" yes &&
        LD_LIBRARY_PATH=$libdir run "$tmp/pc_shared" || bad "pkg-config shared build"
    # shellcheck disable=SC2046,SC2086
    $cc $extra $(pkg-config --cflags fuss) "$src/consumer.c" -o "$tmp/pc_static" \
        $(pkg-config --static --libs fuss | sed 's/-lfuss\b/-Wl,-Bstatic -lfuss -Wl,-Bdynamic/') &&
        needs "$tmp/pc_static" no && run "$tmp/pc_static" || bad "pkg-config static build"
fi

step "CMake find_package(fuss)"
if "$cmake" -S "$src" -B "$tmp/cm" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc" \
        -DCMAKE_C_FLAGS="$extra" >"$tmp/cm.log" 2>&1 &&
   "$cmake" --build "$tmp/cm" >>"$tmp/cm.log" 2>&1; then
    needs "$tmp/cm/consumer_shared" yes && run "$tmp/cm/consumer_shared"
    needs "$tmp/cm/consumer_static" no && run "$tmp/cm/consumer_static"
else
    cat "$tmp/cm.log"; bad "CMake consumer build"
fi

step "manual pages"
man=$(find "$prefix" -type d -path '*/man/man3' | head -1)
for p in fuss_mutex.3 fuss_mutex_lock.3 fuss_futex.3 fuss_cond_wait.3; do
    [ -f "$man/$p" ] || bad "not installed: man3/$p"
done
[ -f "$man/../man7/fuss.7" ] || bad "not installed: man7/fuss.7"
if command -v mandoc >/dev/null 2>&1 && [ -f "$man/fuss_mutex_lock.3" ]; then
    # As "man 3 fuss_mutex_lock" would: follow the link page to the real one.
    (cd "$man/.." && mandoc -Tascii man3/fuss_mutex_lock.3) | grep -q 'fuss_mutex_timedlock' &&
        echo "ok: man3/fuss_mutex_lock.3 opens the fuss_mutex page" ||
        bad "man3/fuss_mutex_lock.3 does not lead to fuss_mutex.3"
fi

[ $fail -eq 0 ] && echo "install/consumers: pkg-config and find_package, shared and static: ok"
exit $fail
