#!/bin/sh
# run.sh OUTDIR LIB [SRCDIR] — the Open POSIX Test Suite's conformance tests
# of the objects the drop-in replaces, from Debian's source package
# posixtestsuite (never committed here), each built standalone against the
# installed libc, then run plainly and under LD_PRELOAD=LIB.  Every test that
# passes plainly must pass under the drop-in, except those in
# ../openposix-exclusions.txt.
#
# SRCDIR: the unpacked source (the directory holding conformance/ and
# include/).  Default: the newest /usr/src/openposix/posixtestsuite-*/, as
#   mkdir -p /usr/src/openposix && cd /usr/src/openposix &&
#   apt-get source posixtestsuite
# leaves it (this needs a deb-src line in apt's sources and dpkg-dev).
#
# The tests: every conformance/interfaces/<I>/N-M.c, for <I> one of
#   pthread_mutex_*  pthread_mutexattr_*  pthread_cond_*  pthread_condattr_*
#   pthread_rwlock_* pthread_rwlockattr_* pthread_spin_*  pthread_barrier_*
#   pthread_barrierattr_*  pthread_once  sem_*
# (64 interfaces).  That is the suite's own rule (locate-test --execs: N-M.c
# is a test, N-buildonly.c and a file without main() are only compiled) less
# its N-M.sh scripts, which in these directories run nothing ("tested
# implicitly via assertion 1"): 287 tests.  pthread_once/4-1.c has no main()
# (the suite compiles it and skips its link: it checks that
# PTHREAD_ONCE_INIT exists) and counts as a pass on both sides if it
# compiles.
# Built as the suite's Makefile builds them (-O2 -std=gnu99
# -D_POSIX_C_SOURCE=200112L -D_GNU_SOURCE -Iinclude ... -lpthread -lrt) but
# with -w for its -Werror: gcc 12 rejects eight of them under -Werror
# (unused variables, maybe-uninitialized, a NULL passed to *_destroy on
# purpose), none of which changes what they test.
#
# Results are the suite's (its Makefile's and execute.sh's names): exit 0
# PASS, 1 FAILED, 2 UNRESOLVED, 4 UNSUPPORTED, 5 UNTESTED, a timeout HUNG,
# killed by a signal SIGNAL-n, any other status RC-n.  Only PASS counts as
# a pass.  Each run has OPENPOSIX_TIMEOUT seconds (default 240, the suite's
# Makefile's TIMEOUT_VAL: pthread_cond_broadcast/1-2 starts up to 10000
# threads and 200 processes, 80-110 s a run on a loaded 2-core machine, with
# a timer of its own at 180 s; pthread_barrier_destroy/2-1 hangs plainly,
# in glibc's destroy, for the whole limit every time).  A test whose result
# differs between the two runs, or that does not pass in either, is listed
# with both results.  The run
# fails (exit 1) only if a test that passes plainly does not pass under the
# drop-in and is not in ../openposix-exclusions.txt.
#
# THE CLOCK.  pthread_cond_init/1-2 and 2-2 set CLOCK_REALTIME a week ahead
# (and back) with clock_settime to see which clock a condvar uses; run as
# root they really move the machine's clock, and every absolute
# CLOCK_REALTIME deadline of every other process (another test run, make,
# ctest) fires early.  So by default every test runs without CAP_SYS_TIME
# (setpriv --bounding-set -sys_time, util-linux), and those two answer
# UNTESTED ("Was unable to set the default clock time") on both sides.
# OPENPOSIX_SET_CLOCK=1 lets them set the clock, on a machine nothing else
# is using; pthread_cond_init's tests always run last, alone.
#
# Each interface's tests run one after the other, each test plainly and then
# preloaded, never together (sem_open/sem_unlink tests use fixed names, and
# many tests measure time); OPENPOSIX_JOBS interfaces at a time (default 2),
# the slowest first.  Each run's cwd is a fresh directory under OUTDIR/run,
# its output in OUTDIR/run/<interface>/<test>.{plain,fuss}.out.
# report.txt has a line per test with both results and both run times;
# results.txt has "test plain-result drop-in-result" per test.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)

# ---- one interface (run by xargs below): build, run plainly, run preloaded -
if [ "${1:-}" = --one ]; then
    iface=$2; cd "$OUT"
    mkdir -p "bin/$iface"; exec 2>> "bin/$iface/sh.log"    # "Floating point exception"...
    nocap=""
    if [ "${OPENPOSIX_SET_CLOCK:-0}" != 1 ] && [ "$(id -u)" = 0 ]; then
        nocap="setpriv --bounding-set -sys_time"
    fi
    now() { date +%s%N; }
    secs() { t=$(( ($2 - $1) / 100000000 )); echo "$((t / 10)).$((t % 10)) s"; }
    result() {    # result RC
        case $1 in
        0) echo PASS ;; 1) echo FAILED ;; 2) echo UNRESOLVED ;;
        4) echo UNSUPPORTED ;; 5) echo UNTESTED ;; 124) echo HUNG ;;
        12[5-9]|1[3-9][0-9]|2[0-9][0-9]) echo "SIGNAL-$(( $1 - 128 ))" ;;
        *) echo "RC-$1" ;;
        esac
    }
    for src in "$SRC/conformance/interfaces/$iface"/[0-9]*-[0-9]*.c; do
        t=$(basename "$src" .c); name=$iface/$t
        exe=bin/$iface/$t res=bin/$iface/$t.result
        mkdir -p "bin/$iface" "run/$iface/$t.plain" "run/$iface/$t.fuss"
        if ! grep -q 'main *(' "$src"; then    # build-only (pthread_once/4-1)
            if gcc -std=gnu99 -w -D_POSIX_C_SOURCE=200112L -D_GNU_SOURCE -I"$SRC/include" \
                    -c -o "$exe.o" "$src" > "$exe.log" 2>&1; then
                echo "PASS $name (build-only: compiles)"; r=PASS
            else
                echo "NOT-BUILT $name: $(grep -m1 'error' "$exe.log")"; r=NOT-BUILT
            fi > "$res"
            echo "$name $r $r" > "$res.rc"
            continue
        fi
        if ! gcc -O2 -std=gnu99 -w -D_POSIX_C_SOURCE=200112L -D_GNU_SOURCE \
                -I"$SRC/include" -o "$exe" "$src" -lpthread -lrt > "$exe.log" 2>&1; then
            echo "NOT-BUILT $name: $(grep -m1 'error' "$exe.log")" > "$res"
            echo "$name NOT-BUILT NOT-BUILT" > "$res.rc"
            continue
        fi
        exe=$OUT/$exe
        why=$(grep "^$name[[:space:]]" "$EXCL" 2>/dev/null | cut -f2-)
        t0=$(now)
        (cd "run/$name.plain" && timeout "$LIMIT" $nocap "$exe" > ../$t.plain.out 2>&1); p=$?
        t1=$(now)
        (cd "run/$name.fuss" && timeout "$LIMIT" $nocap env LD_PRELOAD="$LIB" "$exe" \
             > ../$t.fuss.out 2>&1); f=$?
        t2=$(now)
        pr=$(result $p) fr=$(result $f)
        times="plain $(secs $t0 $t1), drop-in $(secs $t1 $t2)"
        if [ $p -eq 0 ] && [ $f -eq 0 ]; then
            echo "PASS $name ($times)"
        elif [ $p -eq 0 ] && [ -n "$why" ]; then
            echo "EXCLUDED $name (drop-in $fr; $times): $why"
        elif [ $p -eq 0 ]; then
            echo "FAIL $name (drop-in $fr; $times): $(tail -1 "run/$name.fuss.out")"
        elif [ $f -eq 0 ]; then
            echo "FIXED $name (plain $pr, drop-in PASS; $times)"
        else
            echo "PLAIN-FAILS $name (plain $pr, drop-in $fr; $times): $(tail -1 "run/$name.plain.out")"
        fi > "$res"
        echo "$name $pr $fr" > "$res.rc"
    done
    exit 0
fi

OUT=${1:?outdir}; LIB=$(readlink -f "${2:?lib}")
SRC=${3:-$(ls -d /usr/src/openposix/posixtestsuite-*/ 2>/dev/null | sort -V | tail -1)}
if [ -z "$SRC" ] || [ ! -d "$SRC/conformance/interfaces" ]; then
    echo "posixtestsuite source not found${3:+ in $3} (see the top of $0:" \
         "apt-get source posixtestsuite in /usr/src/openposix)"
    exit 2
fi
SRC=$(cd "$SRC" && pwd)
[ -f "$LIB" ] || { echo "run.sh: no library $LIB"; exit 2; }
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd); cd "$OUT"
EXCL="$HERE/../openposix-exclusions.txt"
LIMIT=${OPENPOSIX_TIMEOUT:-240}
if [ "${OPENPOSIX_SET_CLOCK:-0}" != 1 ] && [ "$(id -u)" = 0 ] &&
        ! setpriv --bounding-set -sys_time true 2>/dev/null; then
    echo "run.sh: setpriv (util-linux) cannot drop CAP_SYS_TIME; refusing to let" \
         "pthread_cond_init/1-2 and 2-2 move this machine's clock (OPENPOSIX_SET_CLOCK=1 allows it)"
    exit 2
fi
export OUT LIB SRC EXCL LIMIT
rm -rf bin run; mkdir bin run
rm -f /dev/shm/sem.sem_unlink_* /dev/shm/sem.sem_close_*    # left by a killed run
(cd "$SRC/conformance/interfaces" && ls -d pthread_mutex_* pthread_mutexattr_* \
    pthread_cond_* pthread_condattr_* pthread_rwlock_* pthread_rwlockattr_* \
    pthread_spin_* pthread_barrier_* pthread_barrierattr_* pthread_once sem_*) \
    | sort -u > interfaces.txt
[ -s interfaces.txt ] || { echo "no interfaces found in $SRC"; exit 1; }
# The slowest first (seconds per interface, plain + drop-in, on a loaded
# 2-core machine): cond_broadcast 200 (its 1-2: 80-110 s a run), barrier_destroy
# 245 (its 2-1 hangs plainly: the whole limit), rwlock_rdlock 90,
# rwlock_timedwrlock 60, rwlock_wrlock, rwlock_unlock, rwlock_timedrdlock 45.
SLOW='pthread_cond_broadcast pthread_barrier_destroy pthread_rwlock_rdlock
      pthread_rwlock_timedwrlock pthread_rwlock_wrlock pthread_rwlock_unlock
      pthread_rwlock_timedrdlock'
LAST=pthread_cond_init    # alone, at the end: THE CLOCK above
start=$(date +%s)
{ for i in $SLOW; do grep -x "$i" interfaces.txt; done
  grep -vxF "$(echo $SLOW $LAST | tr ' ' '\n')" interfaces.txt; } \
    | xargs -P "${OPENPOSIX_JOBS:-2}" -I{} sh "$HERE/run.sh" --one {}
! grep -qx "$LAST" interfaces.txt || sh "$HERE/run.sh" --one "$LAST"
(cd "$SRC/conformance/interfaces" && for i in $(cat "$OUT/interfaces.txt"); do
     for f in "$i"/[0-9]*-[0-9]*.c; do echo "${f%.c}"; done
 done) > tests.txt
while read -r name; do
    [ -s "bin/$name.result" ] || echo "FAIL $name: the runner left no result" > "bin/$name.result"
done < tests.txt
while read -r name; do cat "bin/$name.result"; done < tests.txt | sort -k2 > report.txt
grep -v '^PASS ' report.txt
echo "full report: $OUT/report.txt"
count() { grep -c "^$1 " report.txt; }
n=$(wc -l < tests.txt)
find bin -name '*.rc' -exec cat {} + | sort > results.txt    # name plain drop-in
plain=$(awk '$2 == "PASS"' results.txt | wc -l)
fuss=$(awk '$3 == "PASS"' results.txt | wc -l)
echo "Open POSIX tests ($n): $plain pass plainly, $fuss under the drop-in;" \
     "$(count FAIL) FAIL (pass plainly only), $(count EXCLUDED) excluded," \
     "$(count FIXED) pass under the drop-in only, $(count PLAIN-FAILS) pass in neither," \
     "$(count NOT-BUILT) not built; $(( $(date +%s) - start )) s"
[ "$(count FAIL)" -eq 0 ]
