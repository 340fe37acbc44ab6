#!/bin/sh
# run.sh OUTDIR LIB — glibc's own NPTL tests for the objects the drop-in
# replaces, from Debian's glibc-source (never committed here), built
# standalone against the installed libc with a small shim for glibc's test
# support/ (shim/, our own code), then run plainly and under LD_PRELOAD=LIB.
# Every test that passes plainly must pass under the drop-in, except those in
# ../glibc-exclusions.txt.  Tests that need glibc's internal harness beyond
# the shim are listed as "not built" with the compiler's first error.
#
# Tests run GLIBC_TESTS_JOBS at a time (default 4: most of their time is
# spent sleeping in timed waits); each test's plain and drop-in runs come one
# after the other, never together (some use fixed names, e.g. sem_open's).
# Each run has 120 s (tst-mutex10, the slowest, takes 20-60 s on a loaded
# 2-core machine).  report.txt has a line per test with both run times.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TIMEOUT=120

# ---- one test (run by xargs below): build, run plainly, run preloaded ------
if [ "${1:-}" = --one ]; then
    name=$2; cd "$OUT"
    src=$(ls src/nptl/$name.c src/sysdeps/pthread/$name.c 2>/dev/null | head -1)
    exe=bin/$name res=bin/$name.result
    if ! gcc -O1 -w -D_GNU_SOURCE -I"$HERE/shim" -I"$(dirname "$src")" -Isrc/nptl \
            -Isrc/sysdeps/pthread -o "$exe" "$src" -lpthread -lrt -ldl > "bin/$name.log" 2>&1; then
        echo "NOT-BUILT $name: $(grep -m1 'error' "bin/$name.log" | sed 's/^[^ ]* //')" > "$res"
        exit 0
    fi
    now() { date +%s%N; }
    secs() { t=$(( ($2 - $1) / 100000000 )); echo "$((t / 10)).$((t % 10)) s"; }
    t0=$(now); timeout $TIMEOUT "$exe" > "bin/$name.plain" 2>&1; p=$?
    t1=$(now); timeout $TIMEOUT env LD_PRELOAD="$LIB" "$exe" > "bin/$name.fuss" 2>&1; f=$?
    t2=$(now)
    times="plain $(secs $t0 $t1), drop-in $(secs $t1 $t2)"
    if [ $p -ne 0 ]; then
        echo "PLAIN-FAILS $name (rc $p, fuss rc $f; $times)"
    elif [ $f -eq 0 ]; then
        echo "PASS $name ($times)"
    elif grep -q "^$name[[:space:]]" "$EXCL" 2>/dev/null; then
        echo "EXCLUDED $name (rc $f): $(grep "^$name[[:space:]]" "$EXCL" | cut -f2-)"
    else
        echo "FAIL $name (rc $f; $times): $(tail -1 "bin/$name.fuss")"
    fi > "$res"
    exit 0
fi

OUT=${1:?outdir}; LIB=$(readlink -f "${2:?lib}")
TAR=$(ls /usr/src/glibc/glibc-*.tar.xz 2>/dev/null | head -1)
[ -n "$TAR" ] || { echo "glibc-source is not installed (apt-get install glibc-source)"; exit 2; }
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd); cd "$OUT"
if [ ! -d src ]; then
    command -v xz >/dev/null || { echo "run.sh: xz is missing, cannot unpack $TAR (apt-get install xz-utils)"; exit 2; }
    mkdir src.part
    if ! tar xf "$TAR" -C src.part --strip-components=1 --wildcards \
            '*/nptl/tst-*' '*/sysdeps/pthread/tst-*' 2> tar.log; then
        echo "run.sh: unpacking $TAR failed:"; cat tar.log; rm -rf src.part; exit 2
    fi
    mv src.part src
fi
cp "$HERE/shim/test-skeleton.c" src/test-skeleton.c
cp "$HERE/shim/test-skeleton.c" src/sysdeps/test-skeleton.c
EXCL="$HERE/../glibc-exclusions.txt"
export OUT LIB EXCL
rm -rf bin; mkdir bin
pat='tst-(mutex|cond|rwlock|sem|barrier|spin|once)[^/]*\.c$'
start=$(date +%s)
ls src/nptl/*.c src/sysdeps/pthread/*.c | grep -E "$pat" | sed 's|.*/||; s|\.c$||' | sort -u > tests.txt
[ -s tests.txt ] || { echo "no NPTL tests found in $TAR"; exit 1; }
xargs -P "${GLIBC_TESTS_JOBS:-4}" -I{} sh "$HERE/run.sh" --one {} < tests.txt
while read -r name; do
    [ -s "bin/$name.result" ] || echo "FAIL $name: the runner left no result" > "bin/$name.result"
done < tests.txt
cat bin/*.result | sort > report.txt
grep -v '^PASS ' report.txt
echo "full report: $OUT/report.txt"
count() { grep -c "^$1 " report.txt; }
echo "glibc NPTL tests: $(count PASS) pass under the drop-in, $(count FAIL) FAIL," \
     "$(count EXCLUDED) excluded, $(count PLAIN-FAILS) fail plainly (not counted)," \
     "$(count NOT-BUILT) not built; $(( $(date +%s) - start )) s"
[ "$(count FAIL)" -eq 0 ]
