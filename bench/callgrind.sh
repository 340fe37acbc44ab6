#!/bin/sh
# Instructions per uncontended lock+unlock pair, per implementation, counted
# by callgrind inside bench_callgrind_region() only (so start-up, the idle
# thread and the driver are not counted).
#
#   bench/callgrind.sh [BIN_DIR] [N]
#
# BIN_DIR holds fuss-bench (and fuss-bench-emulated, fuss-bench-musl when
# built); default build-release/bench, else build/bench.  N pairs per run
# (default 100000).  Each implementation runs twice, with N and 2N pairs, and
# the difference is divided by N, so one-off costs (first-touch, lazy symbol
# binding) drop out.  The figure includes the loop and the two calls
# (compare the "empty-call" row, whose lock and unlock do nothing).
set -eu
dir=${1:-}
n=${2:-100000}
if [ -z "$dir" ]; then
    for d in build-release/bench build/bench; do
        [ -x "$d/fuss-bench" ] && dir=$d && break
    done
fi
[ -n "$dir" ] && [ -x "$dir/fuss-bench" ] || { echo "callgrind.sh: fuss-bench not found (build it first: make bench)" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind not installed (apt-get install valgrind)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ir() { # binary scenario impl pairs -> instructions collected
    valgrind --tool=callgrind --toggle-collect=bench_callgrind_region \
        --callgrind-out-file="$tmp/out" "$1" --callgrind "$4" --scenario "$2" --impl "$3" \
        >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; return 1; }
    awk '/^(summary|totals):/ { print $2; exit }' "$tmp/out"
}

printf '%-12s %-16s %-22s %s\n' scenario impl binary instructions/pair
for bin in fuss-bench fuss-bench-emulated fuss-bench-musl; do
    [ -x "$dir/$bin" ] || { echo "($bin not built: its rows are skipped)"; continue; }
    "$dir/$bin" --list-raw | while read -r kind flags size type name; do
        [ $((flags & 4)) -eq 0 ] || continue          # pipe, eventfd: not locks
        case $kind in
            0) scens=uncontended ;;
            2) scens=sem-pair ;;
            3) scens="rw-read rw-write" ;;
            *) continue ;;
        esac
        for s in $scens; do
            a=$(ir "$dir/$bin" "$s" "$name" "$n") || continue
            b=$(ir "$dir/$bin" "$s" "$name" $((2 * n))) || continue
            awk -v a="$a" -v b="$b" -v n="$n" -v s="$s" -v i="$name" -v bin="$bin" \
                'BEGIN { printf "%-12s %-16s %-22s %.1f\n", s, i, bin, (b - a) / n }'
        done
    done
done
