#!/bin/sh
# fingerprints.sh: every section of every shipped config (configs/**/*.ini),
# run in full, and each run's fingerprint (XXH64 over every frame's device,
# frame, action and delay): the proof that a rewrite changed no result.
#   sh bench/fingerprints.sh EDGECUT [OUTDIR]        print "config|section|run|fingerprint"
#   sh bench/fingerprints.sh --compare OLD NEW [OUTDIR]  both binaries; the lines
#                                                    that differ, exit 1 if any
# Run from the project root; OUTDIR (default: a temporary folder) keeps the
# databases.  Each binary runs in its own copy of configs/, traces/ and
# models/ with an empty results/, so that files a run leaves for the next
# (SAC-d's checkpoints, which a training run continues from) are the same
# for both.  About three minutes a binary on two cores.
set -eu
one() {
  bin=$(realpath "$1") out=$(realpath -m "$2")
  mkdir -p "$out/tree/results"
  cp -r configs traces models "$out/tree/"
  cd "$out/tree"
  for f in $(find configs -name '*.ini' | sort); do
    for s in General $(sed -n 's/^\[Config \([^]]*\)\].*/\1/p' "$f"); do
      db="$out/$(echo "$f" | tr / _)-$s.db"
      rm -f "$db" "$db-wal" "$db-shm"
      if "$bin" run "$f" -c "$s" --db "$db" --quiet -j 2 >/dev/null 2>"$db.err"; then
        sqlite3 "$db" "SELECT '$f', '$s', runName, fingerprint FROM run ORDER BY runId"
      else
        echo "$f|$s|FAILED: $(head -c 300 "$db.err")"
      fi
    done
  done
  cd - >/dev/null
}
if [ "${1:-}" = --compare ]; then
  [ $# -ge 3 ] || { echo "usage: $0 --compare OLD NEW [OUTDIR]" >&2; exit 2; }
  dir=${4:-$(mktemp -d)}
  mkdir -p "$dir"
  one "$2" "$dir/old" > "$dir/old.txt"
  one "$3" "$dir/new" > "$dir/new.txt"
  if diff "$dir/old.txt" "$dir/new.txt"; then
    echo "fingerprints: $(wc -l < "$dir/new.txt") runs, all the same"
  else
    echo "fingerprints: the runs above differ ($dir)"; exit 1
  fi
else
  [ $# -ge 1 ] || { echo "usage: $0 EDGECUT [OUTDIR] | --compare OLD NEW [OUTDIR]" >&2; exit 2; }
  one "$1" "${2:-$(mktemp -d)}"
fi
