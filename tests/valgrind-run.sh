#!/bin/sh
# A short default experiment and a bad config under valgrind: no invalid
# access, no definite or indirect leak.  Usage: valgrind-run.sh EDGECUT SRCDIR
set -eu
edgecut=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vg="valgrind --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect -q"
$vg "$edgecut" run "$src/configs/default.ini" --set frames=300 --db "$tmp/v.db" -q
$vg "$edgecut" plot "$tmp/v.db" --out "$tmp/figs" regret >/dev/null
printf '[General]\nframes = 10\nlerner = x\n' > "$tmp/bad.ini"
status=0
$vg "$edgecut" run "$tmp/bad.ini" --db "$tmp/b.db" 2>/dev/null || status=$?
[ "$status" -eq 2 ] || { echo "bad config: exit $status, expected 2"; exit 1; }
echo "valgrind: clean"
