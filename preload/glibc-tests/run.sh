#!/bin/sh
# run.sh OUTDIR LIB — glibc's own NPTL tests for the objects the drop-in
# replaces, from Debian's glibc-source (never committed here), built
# standalone against the installed libc with a small shim for glibc's test
# support/ and the few internal headers they include (shim/, our own code),
# then run plainly and under LD_PRELOAD=LIB.  Every test that passes plainly
# must pass under the drop-in, except those in ../glibc-exclusions.txt (tests
# that read or write glibc's private object layout).  A test the shim cannot
# build is listed as "not built" with the compiler's first error.
#
# The tests: every .c or .cc file in glibc's nptl/ and sysdeps/pthread/ named
#   tst-mutex*   mutexes: normal, recursive, errorcheck, PI (mutexpi*), PP
#                (mutexpp*), timed and clock locks, -static variants   (34)
#   tst-cond*    condition variables: timed and clock waits, pshared,
#                cancellation in cond_wait, C++ exceptions              (31)
#   tst-rwlock*  rwlocks: kinds, timed and clock locks, tryrdlock stall (26)
#   tst-sem*     unnamed and named semaphores                         (20)
#   tst-barrier* barriers                                              (5)
#   tst-spin*    spinlocks                                             (4)
#   tst-once*    pthread_once, including the C++ tst-once5.cc (g++)    (9)
#   tst-robust*  robust mutexes: owner death, pshared, fork, and the PI
#                ones (tst-robustpi*)                                  (20)
#   tst-eintr*   mutex, cond and semaphore calls under a storm of signals
#                (they include sysdeps/pthread/eintr.c)                 (5)
# = 154 (the set issue 23's review built), and two more that call only
#   replaced functions:
#   tst-abstime* timed and clock mutex/rwlock/cond/sem calls with a deadline
#                before 1970, which must give ETIMEDOUT (and -time64)   (2)
# = 156, glibc 2.36's tests of the objects the drop-in replaces; no test of
# them lives in sysdeps/unix/sysv/linux/, and fbtl/ (Debian's kFreeBSD
# threads) holds older copies of the same tests.  Left out on purpose:
# tst-cnd-*, tst-mtx-*, tst-call-once (C11 threads, which glibc implements
# by calling its own internal pthread functions, so LD_PRELOAD never reaches
# them), tst-pthread-mutexattr and tst-initializers1* (attributes and
# initializer macros, which stay glibc's), tst-cancel* and tst-cleanup*
# (cancellation itself, which the drop-in leaves to glibc; those that wait
# in cond_wait or sem_wait while cancelled are covered by tst-cond* and
# tst-sem*).
#
# Tests run GLIBC_TESTS_JOBS at a time (default 4: most of their time is
# spent sleeping in timed waits), the slow ones (SLOW below) first so that
# they overlap the rest; each test's plain and drop-in runs come one after
# the other, never together (some use fixed names, e.g. sem_open's), except
# tst-robust-fork's (anonymous memory only, and its 32768 forks
# wait on the scheduler, 1-5 ms each on a loaded 2-core machine: 60-300 s a
# run, plain and drop-in alike, the run's longest path).  Each run has 120
# s, or four times the test's own glibc TIMEOUT if that is more
# (tst-robust-fork: 400 s); an excluded test has 10 s under the drop-in
# (glibc's layout written into the drop-in's object may leave it waiting
# forever).
# Left out for time: tst-pthread-timedlock-lockloop, which creates 300000
# threads (1-3 minutes a run on a loaded 2-core machine, plain and drop-in
# alike) to look for EAGAIN/EINTR from timed mutex locks, which tst-eintr2
# and tst-mutex5/9 check.  report.txt has a line per test with both run
# times.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TIMEOUT=120

# ---- one test (run by xargs below): build, run plainly, run preloaded ------
if [ "${1:-}" = --one ]; then
    name=$2; cd "$OUT"
    src=$(ls src/nptl/$name.c src/nptl/$name.cc src/sysdeps/pthread/$name.c \
             src/sysdeps/pthread/$name.cc 2>/dev/null | head -1)
    exe=bin/$name res=bin/$name.result
    case $src in *.cc) cc=g++ ;; *) cc=gcc ;; esac
    if ! $cc -O1 -w -D_GNU_SOURCE -I"$HERE/shim" -I"$(dirname "$src")" -Isrc/nptl \
            -Isrc/sysdeps/pthread -o "$exe" "$src" -lpthread -lrt -ldl > "bin/$name.log" 2>&1; then
        echo "NOT-BUILT $name: $(grep -m1 'error' "bin/$name.log" | sed 's/^[^ ]* //')" > "$res"
        exit 0
    fi
    limit=$(sed -n 's/^#define TIMEOUT \([0-9][0-9]*\)$/\1/p' "$src" | head -1)
    limit=$(( ${limit:-0} * 4 > TIMEOUT ? ${limit:-0} * 4 : TIMEOUT ))
    why=$(grep "^$name[[:space:]]" "$EXCL" 2>/dev/null | cut -f2-)
    flimit=$limit; [ -n "$why" ] && flimit=10
    now() { date +%s%N; }
    secs() { t=$(( ($2 - $1) / 100000000 )); echo "$((t / 10)).$((t % 10)) s"; }
    if [ "$name" = tst-robust-fork ]; then    # both runs at once: see the header
        ( a=$(now); timeout $limit "$exe" > "bin/$name.plain" 2>&1
          echo "$? $a $(now)" > "bin/$name.ptime" ) &
        t1=$(now); timeout $flimit env LD_PRELOAD="$LIB" "$exe" > "bin/$name.fuss" 2>&1; f=$?
        t2=$(now); wait; read -r p t0 tp < "bin/$name.ptime"
        times="plain $(secs $t0 $tp), drop-in $(secs $t1 $t2), run together"
    else
        t0=$(now); timeout $limit "$exe" > "bin/$name.plain" 2>&1; p=$?
        t1=$(now); timeout $flimit env LD_PRELOAD="$LIB" "$exe" > "bin/$name.fuss" 2>&1; f=$?
        t2=$(now)
        times="plain $(secs $t0 $t1), drop-in $(secs $t1 $t2)"
    fi
    if [ $p -ne 0 ]; then
        echo "PLAIN-FAILS $name (rc $p, fuss rc $f; $times)"
    elif [ $f -eq 0 ]; then
        echo "PASS $name ($times)"
    elif [ -n "$why" ]; then
        echo "EXCLUDED $name (rc $f; $times): $why"
    else
        echo "FAIL $name (rc $f; $times): $(tail -1 "bin/$name.fuss")"
    fi > "$res"
    exit 0
fi

OUT=${1:?outdir}; LIB=$(readlink -f "${2:?lib}")
TAR=$(ls /usr/src/glibc/glibc-*.tar.xz 2>/dev/null | head -1)
[ -n "$TAR" ] || { echo "glibc-source is not installed (apt-get install glibc-source)"; exit 2; }
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd); cd "$OUT"
if [ ! -f src/sysdeps/pthread/eintr.c ]; then    # not unpacked, or by an older run.sh
    rm -rf src src.part
    command -v xz >/dev/null || { echo "run.sh: xz is missing, cannot unpack $TAR (apt-get install xz-utils)"; exit 2; }
    mkdir src.part
    if ! tar xf "$TAR" -C src.part --strip-components=1 --wildcards \
            '*/nptl/tst-*' '*/sysdeps/pthread/tst-*' '*/sysdeps/pthread/eintr.c' \
            2> tar.log; then
        echo "run.sh: unpacking $TAR failed:"; cat tar.log; rm -rf src.part; exit 2
    fi
    mv src.part src
fi
cp "$HERE/shim/test-skeleton.c" src/test-skeleton.c
cp "$HERE/shim/test-skeleton.c" src/sysdeps/test-skeleton.c
EXCL="$HERE/../glibc-exclusions.txt"
export OUT LIB EXCL
rm -rf bin; mkdir bin
pat='^tst-(mutex|cond|rwlock|sem|barrier|spin|once|robust|eintr|abstime)[^/]*\.(c|cc)$'
# The slowest first (plain seconds on a loaded 2-core machine): robust-fork
# 60-300, mutex10, cond16/17/18 and rwlock-tryrdlock-stall 20, rwlock20,
# rwlock-pwn and rwlock-trywrlock-stall 10.
SLOW='tst-robust-fork tst-mutex10 tst-cond16 tst-cond17 tst-cond18
      tst-rwlock-tryrdlock-stall tst-rwlock20 tst-rwlock-pwn tst-rwlock-trywrlock-stall'
start=$(date +%s)
ls src/nptl/ src/sysdeps/pthread/ | grep -E "$pat" | sed 's|\.cc*$||' | sort -u > tests.txt
[ -s tests.txt ] || { echo "no NPTL tests found in $TAR"; exit 1; }
{ for t in $SLOW; do grep -x "$t" tests.txt; done; grep -vxF "$(echo $SLOW | tr ' ' '\n')" tests.txt; } \
    | xargs -P "${GLIBC_TESTS_JOBS:-4}" -I{} sh "$HERE/run.sh" --one {}
while read -r name; do
    [ -s "bin/$name.result" ] || echo "FAIL $name: the runner left no result" > "bin/$name.result"
done < tests.txt
cat bin/*.result | sort > report.txt
grep -v '^PASS ' report.txt
echo "full report: $OUT/report.txt"
count() { grep -c "^$1 " report.txt; }
echo "glibc NPTL tests: $(count PASS) of $(wc -l < tests.txt) pass under the drop-in, $(count FAIL) FAIL," \
     "$(count EXCLUDED) excluded, $(count PLAIN-FAILS) fail plainly (not counted)," \
     "$(count NOT-BUILT) not built; $(( $(date +%s) - start )) s"
[ "$(count FAIL)" -eq 0 ]
