#!/usr/bin/env bash
# check.sh — run every Promela model and every injected-bug variant; called by
# `make -C models` (see README.md).  One line per run:
#   PASS <model> [<config>]                     the model verified, no error
#   PASS <model> <BUG> rejected as expected     spin found the counterexample
#   FAIL ...                                    anything else (exit status 1)
# Usage: check.sh [name-filter]   (a substring of the run's name)
set -u
here=$(cd "$(dirname "$0")" && pwd)
filter=${1:-}
SPIN=${SPIN:-spin}
CC=${CC_PAN:-gcc}
# -O0: the state spaces here are small, so compiling pan.c costs more than
# running it (gcc -O2 takes ~2 s a model); PAN_OPT=-O2 for big searches.
PAN_OPT=${PAN_OPT:--O0}
# pan's memory bound in MiB: every run here needs far less.
MEMLIM=${MEMLIM:-1024}

if ! command -v "$SPIN" >/dev/null 2>&1; then
  echo "models: spin not installed (Debian package 'spin'); skipped"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/fuss-models.XXXXXX")
trap 'rm -rf "$work"' EXIT
fails=0
runs=0

# Runs go JOBS at a time (default 2, the machines this targets); their
# lines are printed in table order.
JOBS=${JOBS:-2}

# run <name> <file> <expect: pass|reject> <mode: safety|big|ltl> <spin -D flags...>
run() {
  case "$1" in *"$filter"*) ;; *) return ;; esac
  runs=$((runs + 1))
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
  one "$runs" "$@" >"$work/out.$runs" 2>&1 &
}

one() {
  local runs=$1 name=$2 file=$3 expect=$4 mode=$5; shift 5
  local fails=0
  local dir="$work/run$runs"
  mkdir -p "$dir"
  cp "$here"/*.pml "$dir"/
  local t0 t1 out verdict cflags panflags
  t0=$(date +%s.%N)
  # safety: assertions and end states; big: the same, optimised and with
  # COLLAPSE state compression (millions of states); ltl: the model's ltl
  # formula as an acceptance-cycle search under weak fairness.
  local opt=$PAN_OPT
  case "$mode" in
    ltl)    cflags="-DMEMLIM=$MEMLIM -DNFAIR=4 -DCOLLAPSE"; panflags="-a -f -m100000" ;;
    big)    cflags="-DSAFETY -DMEMLIM=$MEMLIM -DCOLLAPSE"; panflags="-m100000"; opt=-O2 ;;
    *)      cflags="-DSAFETY -DMEMLIM=$MEMLIM"; panflags="-m100000" ;;
  esac
  if ! (cd "$dir" && "$SPIN" -a "$@" "$file" >spin.log 2>&1); then
    echo "FAIL $name (spin -a failed)"; sed 's/^/    /' "$dir/spin.log" | head -20
    fails=$((fails + 1)); return
  fi
  if ! (cd "$dir" && $CC $opt -w $cflags -o pan pan.c >cc.log 2>&1); then
    echo "FAIL $name (gcc pan.c failed)"; sed 's/^/    /' "$dir/cc.log" | head -20
    fails=$((fails + 1)); return
  fi
  out=$(cd "$dir" && ./pan $panflags 2>&1)
  t1=$(date +%s.%N)
  local errors states secs
  errors=$(printf '%s\n' "$out" | sed -n 's/.*errors: \([0-9]*\).*/\1/p' | head -1)
  states=$(printf '%s\n' "$out" | sed -n 's/^ *\([0-9e+.]*\) states, stored.*/\1/p' | head -1)
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  local what
  what=$(printf '%s\n' "$out" | grep -m1 -E '^pan:1:|acceptance cycle|invalid end state' | sed 's/ (at depth.*//')
  if [ -z "$errors" ]; then
    verdict=FAIL; what="pan did not finish"
  elif [ "$errors" = 0 ] && printf '%s\n' "$out" | grep -qE 'max search depth too small|Search not completed|MEMLIM'; then
    verdict=FAIL; what="search not completed (depth or memory bound)"
  elif [ "$expect" = pass ] && [ "$errors" = 0 ]; then
    verdict=PASS; what=""
  elif [ "$expect" = reject ] && [ "$errors" != 0 ]; then
    verdict=PASS; what="rejected as expected: $what"
  elif [ "$expect" = pass ]; then
    verdict=FAIL
  else
    verdict=FAIL; what="bug variant NOT rejected"
  fi
  echo "$verdict $name $what [${states:-?} states, ${secs}s]"
  if [ "$verdict" = FAIL ]; then
    fails=$((fails + 1))
    printf '%s\n' "$out" | grep -E '^pan|error' | head -5 | sed 's/^/    /'
    if [ -f "$dir/$file.trail" ] && [ "$expect" = pass ]; then
      echo "    counterexample: cd models && spin -t -p -g -l $* $file (after a failing pan run)"
    fi
  fi
}

# ---- the runs: name, file, expectation, mode, spin flags --------------------
. "$here/runs.sh"
wait
for i in $(seq 1 "$runs"); do cat "$work/out.$i"; done
fails=$(cat "$work"/out.* 2>/dev/null | grep -c '^FAIL')

echo "models: $runs runs, $fails failed"
[ "$fails" = 0 ]
