#!/bin/sh
# bench/build-base.sh BASE DIR [MESON SETUP OPTION]...
# Builds the base engine `make bench` compares against: commit BASE of this
# repository, extracted with `git archive` into DIR/src and built by meson
# (buildtype release, like the new binary) in DIR/build, only the `edgecut`
# target.  DIR/commit records the full hash built and is written last, so a
# build is redone only when it is missing, failed, or BASE names another
# commit.  When BASE is not in the repository (a shallow clone, a tarball)
# it says so, removes DIR and exits 0: the bench then runs the new binary
# alone.  NINJAFLAGS (e.g. -j2) is passed to ninja.
set -eu
base=$1 dir=$2
shift 2

if ! commit=$(git rev-parse --verify --quiet "$base^{commit}" 2>/dev/null); then
    echo "bench: base commit $base is not in this repository (a shallow clone?):" \
         "benchmarking the new binary only"
    rm -rf "$dir"
    exit 0
fi
if [ -x "$dir/build/edgecut" ] && [ "$(cat "$dir/commit" 2>/dev/null)" = "$commit" ]; then
    exit 0
fi

echo "bench: building the base engine $base ($commit) in $dir/"
rm -rf "$dir"
mkdir -p "$dir/src"
git archive "$commit" | tar -x -C "$dir/src"
# The extracted tree is no repository: keep git from finding the one around
# it, so that the base binary does not report this branch's commit.
GIT_CEILING_DIRECTORIES=$(cd "$dir" && pwd)
export GIT_CEILING_DIRECTORIES
meson setup "$dir/build" "$dir/src" --buildtype=release "$@" >"$dir/setup.log" ||
    { cat "$dir/setup.log"; exit 1; }
ninja -C "$dir/build" ${NINJAFLAGS:-} edgecut
echo "$commit" >"$dir/commit"
