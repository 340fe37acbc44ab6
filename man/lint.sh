#!/bin/sh
# The manual's checks, run by CTest (man/CMakeLists.txt):
#   lint.sh lint <man dir>               mandoc -Tlint -Wwarning on every page
#                                        (exit 77, skipped, if mandoc is absent)
#   lint.sh coverage <man dir> <include dir>
#                                        every public function has a page
mode=$1 dir=$2
case $mode in
lint)
    if ! command -v mandoc >/dev/null 2>&1; then
        echo "SKIP: mandoc not found (Debian: apt-get install mandoc)"; exit 77
    fi
    fail=0 n=0
    for p in $(grep -l '^\.TH ' "$dir"/*.[37]); do
        n=$((n + 1))
        # -Wwarning: report warnings and errors (not style hints); any
        # output at all fails the test.
        out=$(mandoc -Tlint -Wwarning "$p" 2>&1)
        if [ $? -ne 0 ] || [ -n "$out" ]; then echo "$out"; fail=1; fi
    done
    [ $n -ge 4 ] || { echo "FAIL: only $n pages found in $dir"; fail=1; }
    sh "$dir/links.sh" check "$dir" || fail=1
    [ $fail -eq 0 ] && echo "ok: $n pages lint-clean"
    exit $fail ;;
coverage)
    inc=$3 fail=0 n=0
    for f in $(sed -n 's/^FUSS_API[^(]*[ *]\(fuss_[a-z0-9_]*\)(.*/\1/p' "$inc"/fuss/*.h); do
        n=$((n + 1))
        [ -f "$dir/$f.3" ] || { echo "FAIL: $f has no manual page ($dir/$f.3)"; fail=1; }
    done
    [ $n -ge 10 ] || { echo "FAIL: found only $n functions in $inc/fuss"; fail=1; }
    [ $fail -eq 0 ] && echo "ok: all $n public functions have a manual page"
    exit $fail ;;
*) echo "usage: $0 lint <man dir> | coverage <man dir> <include dir>" >&2; exit 2 ;;
esac
