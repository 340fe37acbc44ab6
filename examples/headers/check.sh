#!/bin/sh
# Every public header, included alone, compiles without a warning as C11
# (-std=c11 -pedantic) and as C++11 and C++17, with each compiler found
# (gcc, clang, g++, clang++); with clang also under -Wthread-safety.
# Usage: check.sh <include dir>.  Fails if no C or no C++ compiler works.
inc=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fuss-headers.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
warn="-Wall -Wextra -pedantic -Werror -Wcast-qual -Wundef"
headers=$(cd "$inc" && ls fuss.h fuss/*.h fuss/compat/*.h)
fail=0 runs=0 c=0 cxx=0
for comp in gcc clang g++ clang++; do
    command -v $comp >/dev/null 2>&1 || { echo "skip: $comp not found"; continue; }
    case $comp in
    *++) stds="c++11 c++17" ext=cpp lang=cxx ;;
    *)   stds="c11" ext=c lang=c ;;
    esac
    extra=""
    case $comp in clang*) extra="-Wthread-safety" ;; esac
    for std in $stds; do
        n=0 bad=0
        for h in $headers; do
            src=$tmp/t.$ext
            printf '#include <%s>\n#include <%s>\nint main(void) { return 0; }\n' "$h" "$h" > "$src"
            [ $lang = cxx ] && sed -i 's/(void)/()/' "$src"
            if ! out=$($comp -std=$std $warn $extra -I"$inc" -c "$src" -o "$tmp/t.o" 2>&1); then
                echo "FAIL: $comp -std=$std: <$h>"; echo "$out"; fail=1 bad=1
            fi
            n=$((n + 1))
        done
        runs=$((runs + 1)); [ $lang = c ] && c=1 || cxx=1
        [ $bad = 0 ] && echo "ok: $comp -std=$std: $n headers (each alone, included twice)"
    done
done
[ $c = 1 ] || { echo "FAIL: no C compiler"; fail=1; }
[ $cxx = 1 ] || { echo "FAIL: no C++ compiler"; fail=1; }
exit $fail
