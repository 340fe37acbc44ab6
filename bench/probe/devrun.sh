#!/bin/bash
# On the lent many-core machine, from the checkout's root, after
#   ../shared/tools/device-bench.sh prepare; bench/probe/probe.sh .devbench/probe;
#   cp bench/probe/devrun.sh .devbench/
# and run with command "bash .devbench/devrun.sh", carry [".devbench"]: the contention
# probe (three wake paths, 2-32 threads, 2 interleaved reps), then the
# standard device bench.
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$here/out}; mkdir -p "$out"
{
  for rep in 1 2; do
    for n in 2 4 8 16 32; do
      for v in linux queue-futex queue-posix; do
        printf '%-12s ' "$v"; timeout 10 "$here/probe/contention-$v" "$n" 1
      done
    done
  done
} > "$out/probe.txt" 2>&1
bash "$here/device-bench.sh" run
