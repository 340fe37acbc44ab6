#!/bin/sh
# Names every function of a page's NAME section, and keeps one link page per
# name ("man 3 fuss_mutex_lock" opens fuss_mutex.3):
#   links.sh names <page>   print the names of <page>'s NAME section
#   links.sh write <dir>    (re)write the link pages in <dir> from its pages
#   links.sh check <dir>    fail if a link page is missing, stale or orphaned
# A page is a file with a .TH line; a link page is a one-line ".so man3/x.3".
names() {
    sed -n '/^\.SH NAME/,/^\.SH/p' "$1" | sed '1d;$d' | sed 's/ *\\-.*//' |
        tr ',' '\n' | tr -d ' ' | sed '/^$/d'
}
pages() { grep -l '^\.TH ' "$1"/*.3 2>/dev/null; }
links() {
    for p in $(pages "$1"); do
        base=$(basename "$p")
        for name in $(names "$p"); do
            [ "$name.3" = "$base" ] || printf "%s %s\n" "$name.3" "$base"
        done
    done
}
case $1 in
names) names "$2" ;;
write)
    links "$2" | while read -r link target; do
        printf '.so man3/%s\n' "$target" > "$2/$link"
    done ;;
check)
    fail=0 n=0
    tmp=$(mktemp) && links "$2" > "$tmp"
    while read -r link target; do
        n=$((n + 1))
        if [ "$(cat "$2/$link" 2>/dev/null)" != ".so man3/$target" ]; then
            echo "FAIL: $link should be a link page to $target (run: man/links.sh write man)"
            fail=1
        fi
    done < "$tmp"
    for f in "$2"/*.3; do
        grep -q '^\.TH ' "$f" && continue
        grep -q "^$(basename "$f") " "$tmp" || { echo "FAIL: orphan link page $f"; fail=1; }
    done
    rm -f "$tmp"
    [ $fail -eq 0 ] && echo "ok: $n link pages, one per function name"
    exit $fail ;;
*) echo "usage: $0 names <page> | write <dir> | check <dir>" >&2; exit 2 ;;
esac
