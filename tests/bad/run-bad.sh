#!/bin/sh
# The bad-input corpus (tests/bad/README.md): runs every case of
# tests/bad/cases.txt from the project root and checks its exit status, its
# exact stderr and stdout, and that it left no half-written result behind.
#
#   run-bad.sh [--print] [CASE-PATTERN...]
#
# EC_EDGECUT names the binary and EC_SRCDIR the project root (tests/meson.build
# sets both; by default build/edgecut and the directory above this script).
# A pattern is a shell glob over case names (config/*).  --print runs the
# selected cases and prints what edgecut said, in the manifest's own form,
# instead of checking it (for writing a new case: check it by eye).
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=${EC_SRCDIR:-$(cd "$here/../.." && pwd)}
bin=${EC_EDGECUT:-$src/build/edgecut}
manifest=$here/cases.txt
print=0
if [ "${1:-}" = --print ]; then print=1; shift; fi
[ -x "$bin" ] || { echo "run-bad.sh: no edgecut binary at '$bin' (set EC_EDGECUT)" >&2; exit 1; }
have_sqlite=0
command -v sqlite3 >/dev/null 2>&1 && have_sqlite=1
[ $have_sqlite = 1 ] || [ $print = 1 ] ||
    echo "run-bad.sh: no sqlite3: databases a failed case leaves are not looked into"
# a case that hangs fails after a minute instead of the whole suite's timeout
limit=
command -v timeout >/dev/null 2>&1 && limit="timeout 60"

work=$(mktemp -d "${TMPDIR:-/tmp}/edgecut-bad.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
export EDGECUT_PROGRESS=off LC_ALL=C

n=0 failed=0 skipped=0

selected() {
    [ $# -eq 0 ] && return 0
    for p in "$@"; do
        # shellcheck disable=SC2254
        case $name in $p) return 0 ;; esac
    done
    return 1
}

fail() {
    bad=1
    echo "FAIL $name: $1"
    [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /'
    return 0
}

# What a failed case may leave in its temporary directory: nothing, or a
# results database without a result: a run that fails keeps only its run
# row, status 'failed', with the message as its runAttr 'error' (input
# errors are found before anything is written).  A journal, a WAL or
# any other file is a half-written result.
check_leftovers() {
    for f in "$tmp"/* "$tmp"/.[!.]*; do
        [ -e "$f" ] || continue
        b=${f##*/}
        grep -qxF "$b" "$work/before" && continue
        case $b in
        *.db)
            [ -s "$f" ] || continue
            if [ $have_sqlite = 1 ]; then
                runs=$(sqlite3 "file:$f?mode=ro" "SELECT count(*) FROM run WHERE status <> 'failed'
                    OR NOT EXISTS (SELECT 1 FROM runAttr a WHERE a.runId = run.runId AND
                    a.attrName = 'error') OR EXISTS (SELECT 1 FROM frame f WHERE f.runId =
                    run.runId)" 2>&1) ||
                    { fail "left a database @TMP@/$b that is not one ($runs)"; return; }
                [ "$runs" = 0 ] || fail "left $runs run(s) in @TMP@/$b after failing"
            fi ;;
        *) fail "left @TMP@/$b behind after failing" ;;
        esac
    done
}

run_case() {
    [ -n "$name" ] || return 0
    selected "$@" || { skipped=$((skipped + 1)); return 0; }
    n=$((n + 1)) bad=0
    if [ -z "$args" ]; then fail "no 'args' line"; failed=$((failed + 1)); return 0; fi
    tmp=$work/tmp.$n
    rm -rf "$tmp" && mkdir "$tmp"
    # mkdir NAME lines: directories made in @TMP@ before the run
    printf '%s' "$setup" | while IFS= read -r d; do mkdir -p "$tmp/$d"; done
    # before ARGS lines: edgecut commands that make the case's inputs
    if [ -n "$before" ]; then
        b=$(printf '%s' "$before" | sed "s|@TMP@|$tmp|g")
        if ! printf '%s\n' "$b" | (cd "$src" && while IFS= read -r cmd; do
                 eval "set -- $cmd"
                 "$bin" "$@" </dev/null >/dev/null 2>"$work/before.err" || exit 1
             done); then
            fail "a 'before' command failed" "$(cat "$work/before.err")"
            failed=$((failed + 1))
            return 0
        fi
    fi
    ls -A "$tmp" >"$work/before"
    a=$(printf '%s' "$args" | sed "s|@TMP@|$tmp|g")
    # shellcheck disable=SC2086
    eval "set -- $a"
    # shellcheck disable=SC2086
    (cd "$src" && exec $limit "$bin" "$@" </dev/null >"$work/out" 2>"$work/err")
    rc=$?
    sed "s|$tmp|@TMP@|g" "$work/err" >"$work/err.t"
    sed "s|$tmp|@TMP@|g" "$work/out" >"$work/out.t"
    if [ $print = 1 ]; then
        echo "case $name"
        echo "args $args"
        echo "exit $rc"
        sed 's/^/err /; s/^err $/err/' "$work/err.t"
        sed 's/^/out /; s/^out $/out/' "$work/out.t"
        echo
        return 0
    fi
    printf '%s' "$experr" >"$work/experr"
    printf '%s' "$expout" >"$work/expout"
    if [ -n "$limit" ] && [ $rc = 124 ]; then
        fail "still running after 60 s" "$(cat "$work/err.t")"
    elif [ $rc -gt 128 ]; then
        fail "killed by signal $((rc - 128))" "$(cat "$work/err.t")"
    elif [ "$rc" != "$expexit" ]; then
        fail "exit status $rc, expected $expexit" "$(cat "$work/err.t")"
    fi
    cmp -s "$work/experr" "$work/err.t" ||
        fail "stderr differs (--- expected, +++ actual)" \
             "$(diff -u "$work/experr" "$work/err.t" | tail -n +3)"
    cmp -s "$work/expout" "$work/out.t" ||
        fail "stdout differs (--- expected, +++ actual)" \
             "$(diff -u "$work/expout" "$work/out.t" | tail -n +3 | head -n 20)"
    [ "$rc" = 0 ] || check_leftovers
    [ $bad = 0 ] || failed=$((failed + 1))
    rm -rf "$tmp"
}

nl='
'
name='' args='' expexit=2 experr='' expout='' setup='' before='' lineno=0 names=
while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    case $line in
    '#'*|'') continue ;;
    'case '*) run_case "$@"
        name=${line#case } args='' expexit=2 experr='' expout='' setup='' before=''
        if printf '%s\n' "$names" | grep -qxF "$name"; then
            echo "run-bad.sh: $manifest:$lineno: case $name given twice" >&2
            exit 1
        fi
        names="$names$name$nl" ;;
    'args '*) args=${line#args } ;;
    'exit '*) expexit=${line#exit } ;;
    'mkdir '*) setup="$setup${line#mkdir }$nl" ;;
    'before '*) before="$before${line#before }$nl" ;;
    err) experr="$experr$nl" ;;
    'err '*) experr="$experr${line#err }$nl" ;;
    out) expout="$expout$nl" ;;
    'out '*) expout="$expout${line#out }$nl" ;;
    *) echo "run-bad.sh: $manifest:$lineno: expected case, args, exit, mkdir, before, err or out: $line" >&2
       exit 1 ;;
    esac
done <"$manifest"
run_case "$@"

[ $print = 1 ] && exit 0
[ $n -gt 0 ] || { echo "run-bad.sh: no case matches" >&2; exit 1; }
echo "bad-input corpus: $((n - failed)) of $n cases pass"
[ $failed = 0 ]
