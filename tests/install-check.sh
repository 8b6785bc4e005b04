#!/bin/sh
# Install into a scratch directory (meson install --destdir), then check that
# every installed header compiles on its own (so none includes a header that
# is not installed) and that a small program builds with `pkg-config --cflags
# --libs edgecut` alone and runs.  Usage: install-check.sh BUILDDIR SRCDIR
set -eu
build=$1 src=$2
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
meson install -C "$build" --destdir "$root" --no-rebuild >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; exit 1; }
pc=$(find "$root" -name edgecut.pc)
[ -n "$pc" ] || { echo "no edgecut.pc installed"; exit 1; }
PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$root
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
cflags=$(pkg-config --cflags edgecut)
libs=$(pkg-config --libs edgecut)
incdir=$(find "$root" -type d -path '*/include/edgecut')
# the installed library holds no part of the program
if nm -D --defined-only "$(find "$root" -name 'libedgecut.so' | head -n 1)" |
   grep -E ' ec_(cli|cmd|plot|summary|gnuplot|run_all|run_label|trace_plot)'; then
  echo "libedgecut exports program symbols"; exit 1
fi
n=0
for h in $(cd "$incdir" && find . -name '*.h' | sort); do
  printf '#include "%s"\n' "${h#./}" > "$tmp/one.c"
  $cc -std=c11 -Wall -Werror -fsyntax-only $cflags "$tmp/one.c" ||
    { echo "installed header ${h#./} does not compile on its own"; exit 1; }
  n=$((n + 1))
done
$cc -std=c11 -Wall -Werror $cflags "$src/tests/install_check.c" -o "$tmp/check" $libs
libdir=$(dirname "$(find "$root" -name 'libedgecut.so' | head -n 1)")
LD_LIBRARY_PATH=$libdir "$tmp/check" "$tmp/check.db"
echo "install: $n headers compile alone; a program links with pkg-config edgecut"
