#!/bin/sh
# Other people's programs under the drop-in: stress-ng's mutex, sem and
# pthread stressors and `sysbench mutex` must run without error.  Exit 77
# (skipped) when a tool is not installed (Debian: stress-ng, sysbench).
# Usage: tools.sh LIB stress-ng|sysbench
set -u
lib=$1 tool=$2
command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not installed"; exit 77; }
case $tool in
stress-ng)
    LD_PRELOAD=$lib FUSS_PTHREAD_STATS=1 stress-ng --mutex 2 --sem 2 --pthread 2 \
        --timeout 3 --metrics-brief --verify 2>&1 ;;
sysbench)
    LD_PRELOAD=$lib FUSS_PTHREAD_STATS=1 sysbench mutex --threads=8 --mutex-num=1 \
        --mutex-locks=20000 --mutex-loops=10 run 2>&1 ;;
esac
