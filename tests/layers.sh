#!/bin/sh
# The include rules of sim/README.md, checked on every source file:
#   base <- models, traces <- learners, engine <- setup <- store <- cli
# A folder may include its own headers and those of the folders below it,
# never one above (engine may include learners; learners never the engine).
# A header named *_int.h or *_impl.h is its folder's internal: only files of
# that folder include it.  Only sim/store speaks SQL: no other source file
# includes <sqlite3.h>.  tests/, bench/ and the fuzz harnesses may include
# anything.  Usage: layers.sh SRCDIR; prints each offending include and
# exits 1 when there is one.
set -eu
cd "$1"
# the folders each folder may include
allowed() {
  case $1 in
    sim/base) echo "sim/base" ;;
    models) echo "sim/base models" ;;
    traces) echo "sim/base traces" ;;
    learners) echo "sim/base models learners" ;;
    sim/engine) echo "sim/base models traces learners sim/engine" ;;
    sim/setup) echo "sim/base models traces learners sim/engine sim/setup" ;;
    sim/store) echo "sim/base models traces learners sim/engine sim/setup sim/store" ;;
    sim/cli) echo "sim/base models traces learners sim/engine sim/setup sim/store sim/cli" ;;
  esac
}
folder_of() {
  case $1 in
    sim/*/*) echo "${1%/*}" ;;
    */*) echo "${1%%/*}" ;;
  esac
}
bad=0
for f in $(find sim models traces learners -name '*.[ch]' | sort); do
  from=$(folder_of "$f")
  ok=$(allowed "$from")
  [ -n "$ok" ] || { echo "$f: in no layer of sim/README.md"; bad=1; continue; }
  case $from in
    sim/store) ;;
    *) grep -q '^[ \t]*#[ \t]*include[ \t]*<sqlite3.h>' "$f" &&
         { echo "$f includes <sqlite3.h>: only sim/store speaks SQL"; bad=1; } ;;
  esac
  for inc in $(sed -n 's/^[ \t]*#[ \t]*include[ \t]*"\([^"]*\/[^"]*\)".*/\1/p' "$f"); do
    to=$(folder_of "$inc")
    case " $ok " in
      *" $to "*) ;;
      *) echo "$f includes $inc: $from may not include $to"; bad=1; continue ;;
    esac
    case $inc in
      *_int.h|*_impl.h)
        [ "$to" = "$from" ] || { echo "$f includes $inc, an internal header of $to"; bad=1; } ;;
    esac
  done
done
[ $bad = 0 ] && echo "layers: every include follows sim/README.md"
exit $bad
