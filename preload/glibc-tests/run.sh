#!/bin/sh
# run.sh OUTDIR LIB — glibc's own NPTL tests for the objects the drop-in
# replaces, from Debian's glibc-source (never committed here), built
# standalone against the installed libc with a small shim for glibc's test
# support/ (shim/, our own code), then run plainly and under LD_PRELOAD=LIB.
# Every test that passes plainly must pass under the drop-in, except those in
# ../glibc-exclusions.txt.  Tests that need glibc's internal harness beyond
# the shim are listed as "not built" with the compiler's first error.
set -u
OUT=${1:?outdir}; LIB=$(readlink -f "${2:?lib}")
HERE=$(cd "$(dirname "$0")" && pwd)
TAR=$(ls /usr/src/glibc/glibc-*.tar.xz 2>/dev/null | head -1)
[ -n "$TAR" ] || { echo "glibc-source is not installed (apt-get install glibc-source)"; exit 2; }
mkdir -p "$OUT"; cd "$OUT"
if [ ! -d src ]; then
    mkdir src
    tar xf "$TAR" -C src --strip-components=1 --wildcards \
        '*/nptl/tst-*' '*/sysdeps/pthread/tst-*' 2>/dev/null
fi
cp "$HERE/shim/test-skeleton.c" src/test-skeleton.c
cp "$HERE/shim/test-skeleton.c" src/sysdeps/test-skeleton.c
EXCL="$HERE/../glibc-exclusions.txt"
pat='tst-(mutex|cond|rwlock|sem|barrier|spin|once)[^/]*\.c$'
: > report.txt
pass=0; fail=0; excl=0; nb=0; plainfail=0
for src in $(ls src/nptl/*.c src/sysdeps/pthread/*.c | grep -E "$pat" | sort); do
    name=$(basename "$src" .c)
    exe=bin/$name; mkdir -p bin
    if ! gcc -O1 -w -D_GNU_SOURCE -I"$HERE/shim" -I"$(dirname "$src")" -Isrc/nptl -Isrc/sysdeps/pthread -o "$exe" "$src" \
            -lpthread -lrt -ldl > "bin/$name.log" 2>&1; then
        nb=$((nb + 1))
        echo "NOT-BUILT $name: $(grep -m1 'error' "bin/$name.log" | sed 's/^[^ ]* //')" >> report.txt
        continue
    fi
    timeout 60 "$exe" > "bin/$name.plain" 2>&1; p=$?
    timeout 60 env LD_PRELOAD="$LIB" "$exe" > "bin/$name.fuss" 2>&1; f=$?
    if [ $p -ne 0 ]; then
        plainfail=$((plainfail + 1)); echo "PLAIN-FAILS $name (rc $p, fuss rc $f)" >> report.txt
    elif [ $f -eq 0 ]; then
        pass=$((pass + 1)); echo "PASS $name" >> report.txt
    elif grep -q "^$name[[:space:]]" "$EXCL" 2>/dev/null; then
        excl=$((excl + 1)); echo "EXCLUDED $name (rc $f): $(grep "^$name[[:space:]]" "$EXCL" | cut -f2-)" >> report.txt
    else
        fail=$((fail + 1)); echo "FAIL $name (rc $f): $(tail -1 "bin/$name.fuss")" >> report.txt
    fi
done
sort report.txt
echo "glibc NPTL tests: $pass pass under the drop-in, $fail FAIL, $excl excluded," \
     "$plainfail fail plainly (not counted), $nb not built"
[ $fail -eq 0 ]
