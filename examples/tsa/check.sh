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

out=$("$cc" $flags "$dir/right.c" 2>&1)
if [ $? -ne 0 ] || [ -n "$out" ]; then
    echo "FAIL: right.c must compile cleanly:"; echo "$out"; fail=1
else
    echo "ok: right.c compiles cleanly with -Wthread-safety -Werror"
fi

out=$("$cc" $flags "$dir/wrong.c" 2>&1)
if [ $? -eq 0 ]; then
    echo "FAIL: wrong.c compiled without error"; fail=1
fi
n=0
while IFS= read -r want; do
    n=$((n + 1))
    if printf '%s\n' "$out" | grep -F -q -e "$want"; then
        echo "ok: reported: $want"
    else
        echo "FAIL: not reported: $want"; fail=1
    fi
done <<EXPECTED
$(sed -n 's|^/\* EXPECT: \(.*\) \*/$|\1|p' "$dir/wrong.c")
EXPECTED
if [ "$n" -lt 5 ]; then echo "FAIL: only $n EXPECT lines found in wrong.c"; fail=1; fi
[ $fail -eq 0 ] && echo "thread-safety analysis: all $n misuses reported, correct code clean"
exit $fail
