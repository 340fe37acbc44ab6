#!/bin/sh
# bench/preload.sh — unmodified Debian programs on glibc's pthreads and under
# the drop-in (LD_PRELOAD=libfuss-pthread.so), alternating, several runs each;
# prints the medians and the ratio (glibc time / fuss time: > 1 = fuss faster).
#   sysbench mutex   contended: the mutex test with one mutex, 8 threads
#   xz -T4           a real multi-threaded compressor on a generated file
# Usage: bench/preload.sh [path/to/libfuss-pthread.so] (REPS=5 by default)
set -eu
LIB=${1:-build-release/preload/libfuss-pthread.so}
REPS=${REPS:-5}
LIB=$(readlink -f "$LIB")
[ -f "$LIB" ] || { echo "no $LIB: build it first (make bench)" >&2; exit 1; }
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

now() { date +%s.%N; }
# run LABEL ENV... -- CMD...: seconds of wall time
timeit() {
    t0=$(now); "$@" >/dev/null 2>&1; t1=$(now)
    echo "$t1 - $t0" | bc -l
}
median() { sort -g | awk '{a[NR]=$1} END {m=int((NR+1)/2); printf "%.3f", a[m]}'; }

compare() { # NAME CMD...
    name=$1; shift
    : > "$TMP/g"; : > "$TMP/f"
    i=0
    while [ $i -lt "$REPS" ]; do
        timeit "$@" >> "$TMP/g"
        timeit env LD_PRELOAD="$LIB" "$@" >> "$TMP/f"
        i=$((i + 1))
    done
    g=$(median < "$TMP/g"); f=$(median < "$TMP/f")
    printf "%-36s glibc %8.3f s   fuss %8.3f s   ratio %5.2f\n" "$name" "$g" "$f" \
        "$(echo "$g / $f" | bc -l)"
}

echo "drop-in: $LIB  (median of $REPS runs, wall time; ratio = glibc/fuss)"
if command -v sysbench >/dev/null; then
    # --mutex-num=1: every thread on the same mutex (the contended case).
    compare "sysbench mutex (1 mutex, 8 thr)" sysbench mutex --threads=8 --mutex-num=1 \
        --mutex-locks=500000 --mutex-loops=100 run
else
    echo "sysbench: not installed (apt-get install sysbench)"
fi
if command -v xz >/dev/null; then
    # Compressible but not trivial input, made once.
    seq 1 1500000 | awk '{print $1, $1 * 7 % 1000, "fuss"}' > "$TMP/in"
    compare "xz -T4 -3 ($(du -m "$TMP/in" | cut -f1) MB)" xz -T4 -3 -k -c "$TMP/in"
fi
if command -v zstd >/dev/null; then
    compare "zstd -T4 -3" zstd -q -T4 -3 -c "$TMP/in"
fi
