#!/bin/sh
# self_calls.sh LIB — the library never calls a pthread_* or sem_* name the
# drop-in exports (DESIGN.md, "Layers"): inside libfuss-pthread.so such a
# call binds to the drop-in's own export (a PLT slot for a name it also
# defines), a circle.  Lists every exported function that the object also
# imports through a relocation; fails on any not in self-calls-pending.txt,
# the known ones still to remove (each with its file and reason).
set -eu
lib=$1
pending=$(dirname "$0")/self-calls-pending.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nm -D --defined-only "$lib" | awk '$2 == "T" { print $3 }' | sort -u > "$tmp/exported"
objdump -R "$lib" | awk 'NR > 5 && NF >= 3 { sub(/@.*/, "", $3); print $3 }' | sort -u > "$tmp/imported"
[ -s "$tmp/exported" ] || { echo "self_calls: no exports read from $lib" >&2; exit 1; }
comm -12 "$tmp/exported" "$tmp/imported" > "$tmp/self"
sed -n 's/^\([a-z_]*\).*/\1/p' "$pending" | sort -u > "$tmp/pending"
bad=$(comm -23 "$tmp/self" "$tmp/pending")
if [ -n "$bad" ]; then
    echo "self_calls: libfuss-pthread.so calls its own exports:" $bad >&2
    exit 1
fi
gone=$(comm -13 "$tmp/self" "$tmp/pending")
[ -z "$gone" ] || echo "self_calls: no longer called, remove from $pending:" $gone
echo "self_calls: ok ($(wc -l < "$tmp/self") pending)"
