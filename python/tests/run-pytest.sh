#!/bin/sh
# The Python package's pytest suite (python/tests/), as the meson test
# `python`: run from the project root with EDGECUT_LIBDIR pointing at the
# build's python/ folder.  Skipped (exit 77) where Debian's python3 lacks
# what the package needs (python3-cffi, -numpy, -pandas, -pytest; `make
# test` installs them).
set -eu
cd "${EC_SRCDIR:-.}"
PY=${EC_PYTHON:-}
if [ -z "$PY" ]; then
  if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=python3; fi
fi
if ! "$PY" -c 'import cffi, numpy, pandas, pytest' 2>/dev/null; then
  echo "SKIP: $PY lacks cffi, numpy, pandas or pytest (Debian: python3-cffi python3-numpy python3-pandas python3-pytest)"
  exit 77
fi
export PYTHONPATH="$EC_SRCDIR/python${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1
exec "$PY" -m pytest -q -p no:cacheprovider python/tests "$@"
