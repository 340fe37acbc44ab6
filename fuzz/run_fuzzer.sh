#!/bin/sh
# Run one libFuzzer target for FUSS_FUZZ_SECONDS (default 3) on a scratch
# copy of its committed seed corpus, so that a run never rewrites the
# repository.  Usage: run_fuzzer.sh <fuzzer> <corpus-dir>
# A crash or sanitizer report leaves its reproducer (crash-*, timeout-*,
# leak-*) in the current directory; rerun it with: <fuzzer> <file>.
set -eu
fuzzer=$1
corpus=$2
seconds=${FUSS_FUZZ_SECONDS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/fuss-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
if [ -d "$corpus" ]; then cp "$corpus"/* "$work"/ 2>/dev/null || true; fi
# -timeout: a single input that runs this long is a hang (every operation a
# target makes is non-blocking or has a past deadline).
exec_rc=0
"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
          -print_final_stats=1 "$work" || exec_rc=$?
exit $exec_rc
