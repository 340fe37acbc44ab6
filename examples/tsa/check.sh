#!/bin/sh
# Clang thread-safety analysis on fuss's annotations (include/fuss/annotations.h):
# right.c must compile with -Wthread-safety -Werror and no diagnostic;
# wrong.c must fail, with one warning for every "EXPECT:" comment in it.
# Usage: check.sh <clang or empty> <include dir> <this dir>.  Exit 77 = skipped.
cc=$1 inc=$2 dir=$3
if [ -z "$cc" ] || ! command -v "$cc" >/dev/null 2>&1; then
    echo "SKIP: clang not found; thread-safety annotations not checked"
    exit 77
fi
flags="-std=c11 -pedantic -fsyntax-only -Wall -Wextra -Wthread-safety -Werror -I$inc"
fail=0

# A pair of files may name the header it checks ("NEEDS: fuss/x.h"); it is
# skipped while that header is absent or not yet annotated.
ready() {
    h=$(sed -n 's|.*NEEDS: \([^ ]*\).*|\1|p' "$1")
    [ -z "$h" ] && return 0
    if ! grep -q FUSS_CAPABILITY "$inc/$h" 2>/dev/null; then
        echo "skip: $(basename "$1"): <$h> absent or not annotated"; return 1
    fi
}
total=0
for right in "$dir"/right*.c; do
    ready "$right" || continue
    out=$("$cc" $flags "$right" 2>&1)
    if [ $? -ne 0 ] || [ -n "$out" ]; then
        echo "FAIL: $(basename "$right") must compile cleanly:"; echo "$out"; fail=1
    else
        echo "ok: $(basename "$right") compiles cleanly with -Wthread-safety -Werror"
    fi
done
for wrong in "$dir"/wrong*.c; do
    ready "$wrong" || continue
    out=$("$cc" $flags "$wrong" 2>&1)
    if [ $? -eq 0 ]; then
        echo "FAIL: $(basename "$wrong") compiled without error"; fail=1
    fi
    n=0
    while IFS= read -r want; do
        n=$((n + 1))
        if printf '%s\n' "$out" | grep -F -q -e "$want"; then
            echo "ok: $(basename "$wrong"): reported: $want"
        else
            echo "FAIL: $(basename "$wrong"): not reported: $want"; fail=1
        fi
    done <<EXPECTED
$(sed -n 's|^/\* EXPECT: \(.*\) \*/$|\1|p' "$wrong")
EXPECTED
    if [ "$n" -lt 3 ]; then echo "FAIL: only $n EXPECT lines in $wrong"; fail=1; fi
    total=$((total + n))
done
n=$total
[ $fail -eq 0 ] && echo "thread-safety analysis: all $n misuses reported, correct code clean"
exit $fail
