#!/bin/sh
# probe.sh [OUTDIR] — build bench/probe/contention three times with the
# library's contention counters compiled in (src/internal/counters.h):
#   contention-linux       the linux backend (kernel futex queue)
#   contention-queue-futex the user-space queue (emulated backend) with the
#                          futex-word lock and parker of park_futex.c
#   contention-queue-posix the emulated backend as built (park_posix.c)
# Run: for n in 2 4 8 16 32; do OUTDIR/contention-linux $n 1; done
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/build-probe}
mkdir -p "$out"
cc() {
    name=$1; shift
    # shellcheck disable=SC2068
    ${CC:-gcc} -std=c11 -O2 -g -pthread -D_GNU_SOURCE -DFUSS_BUILDING=1 \
        -DFUSS_CONTENTION_COUNTERS -I"$top/include" -I"$top/src" \
        "$top"/src/*.c "$top/src/backend/queue.c" "$top/src/backend/shm_linux.c" \
        "$top/src/backend/os_linux.c" "$top/bench/probe/contention.c" $@ -o "$out/$name" -lrt
}
cc contention-linux -DFUSS_BACKEND_NAME='"linux"' "$top/src/backend/linux.c" "$top/src/backend/park_futex.c"
cc contention-queue-futex -DFUSS_BACKEND_NAME='"emulated"' "$top/src/backend/emulated.c" \
    "$top/src/backend/park_futex.c" "$top/bench/probe/kernel_calls.c"
cc contention-queue-posix -DFUSS_BACKEND_NAME='"emulated"' -DFUSS_PARK_POSIX=1 \
    "$top/src/backend/emulated.c" "$top/src/backend/park_posix.c"
echo "built $out/contention-{linux,queue-futex,queue-posix}"
