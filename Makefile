# edgecut: the two commands a newcomer types are `make run` and `make test`.
# Both install missing system packages (Debian/Ubuntu, via apt-get), configure
# with meson and build with ninja.

BUILD      ?= build
TEST_BUILD ?= build-test
ASAN       ?= build-asan
CONFIG     ?= configs/default.ini
DB         ?= results/default.db
MESONFLAGS ?=

# `make bench`: the edgecut binary of this tree against a base engine, both
# built with --buildtype=release.  BENCH_BASE is f28ddda, the engine before
# issue 19 (trace cursors, the one-pass closed form, the unrolled learner
# solves, O(N log N) run warnings): the bench answers "how much faster is a
# frame now, at the same decisions".  Until issue 19 the base was 158daf4,
# the single-device engine before the world engine (many devices, switchable
# regret, streamed results); that question is answered (README, "make
# bench" figures then) and f28ddda already contains the world engine, so
# the ratios of one run are now against the code just before this work.
# Run `make bench BENCH_BASE=158daf4` for the old comparison.  Besides the
# wall-clock table the harness prints instructions a frame (callgrind: new,
# old and the floor program bench/floor.c) and -j 2's speed-up on a sweep.
BENCH_BASE     ?= f28ddda
BENCH_DIR      ?= build-bench
BENCH_BASE_DIR ?= build-bench-base
BENCH_QUICK    ?=
BENCH_ARGS     ?=
NINJAFLAGS     ?=

# `make fuzz`: the libFuzzer harnesses of tests/fuzz/ (clang, ASan + UBSan +
# LeakSanitizer), built in FUZZ, each run FUZZ_SECONDS; `make test` ends with
# a smoke run of FUZZ_SMOKE_SECONDS each (skipped when clang cannot be had).
FUZZ               ?= build-fuzz
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 5

# What building and running edgecut need (`make run`, `make build`).
RUN_APT_PACKAGES = meson ninja-build pkg-config gcc python3 libgsl-dev libsqlite3-dev \
                   libinih-dev libxxhash-dev libcsv-dev gnuplot-nox
RUN_PKGCONFIG = gsl sqlite3 inih libxxhash
RUN_COMMANDS = meson ninja pkg-config cc python3 gnuplot
# The Python package (python/, `make python`): Debian's python3 and the
# Debian packages it imports; `make test` adds pytest for python/tests/.
# PYTHON is the interpreter they install into (/usr/bin/python3 when there:
# a python3 earlier on PATH, e.g. pyenv's, does not see Debian's packages).
PYTHON ?= $(shell [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)
PY_APT_PACKAGES = python3 python3-cffi python3-numpy python3-pandas
PY_TEST_APT_PACKAGES = python3-pytest
PY_HAS = $(PYTHON) -c 'import cffi, numpy, pandas' 2>/dev/null
PY_HAS_TEST = $(PYTHON) -c 'import pytest' 2>/dev/null
# What `make test` adds: Check (the unit suites), valgrind, the sqlite3
# shell, git (the version the build records); slurmd, slurmctld,
# slurm-client and munge for the Slurm test (tests/slurm-check.sh runs a
# one-node cluster on localhost) and GNU parallel for the same test; GMP
# for the exact-arithmetic reference of the learners (tests/exact.h; the
# library itself does not use it).
TEST_APT_PACKAGES = check valgrind sqlite3 git slurmd slurmctld slurm-client munge parallel \
                    libgmp-dev
TEST_PKGCONFIG = check gmp
TEST_COMMANDS = valgrind sqlite3 git sbatch slurmd munged parallel
# What `make fuzz` adds: clang and its libFuzzer for tests/fuzz/.  `make
# test` ends with a smoke run of the harnesses when they can be built here
# and says it skipped them otherwise.
FUZZ_APT_PACKAGES = clang libclang-rt-dev
# libcsv (CSV traces) has no pkg-config file: the check looks for its header.

# $(call need,PACKAGES,COMMANDS,PKGCONFIG,EXTRA-TEST,EXTRA-NAME): install
# PACKAGES with apt-get (sudo when not root) unless every command is on
# PATH, every pkg-config module is there and EXTRA-TEST holds (EXTRA-NAME
# names what it checks).
define need
	@missing=; \
	for c in $(2); do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	for m in $(3); do pkg-config --exists $$m 2>/dev/null || missing="$$missing $$m"; done; \
	$(4) || missing="$$missing $(5)"; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing$$missing (Debian packages: $(1))"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(1) >/dev/null; \
	fi
endef

.PHONY: all deps deps-test deps-python deps-python-test deps-fuzz build run python python-examples test validate fuzz bench clean

all: build

# Install what is missing.  Uses sudo when not root.
deps:
	$(call need,$(RUN_APT_PACKAGES),$(RUN_COMMANDS),$(RUN_PKGCONFIG),[ -f /usr/include/csv.h ],libcsv)

deps-test: deps
	$(call need,$(TEST_APT_PACKAGES),$(TEST_COMMANDS),$(TEST_PKGCONFIG),true,)

deps-python:
	$(call need,$(PY_APT_PACKAGES),,,$(PY_HAS),python3-cffi/numpy/pandas)

deps-python-test: deps-python
	$(call need,$(PY_TEST_APT_PACKAGES),,,$(PY_HAS_TEST),python3-pytest)

deps-fuzz: deps
	@if ! sh tests/fuzz/run.sh --probe; then \
	  echo "make: installing clang and libFuzzer for tests/fuzz: $(FUZZ_APT_PACKAGES)"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(FUZZ_APT_PACKAGES) >/dev/null; \
	fi

# Configure quietly (the log stays in DIR/meson-setup.log; shown on failure).
$(BUILD)/build.ninja: | deps
	@mkdir -p $(BUILD)
	@meson setup $(BUILD) $(MESONFLAGS) > $(BUILD).setup.log 2>&1 || \
	  { cat $(BUILD).setup.log; rm -f $(BUILD).setup.log; exit 1; }
	@mv $(BUILD).setup.log $(BUILD)/meson-setup.log
	@echo "make: configured $(BUILD)/ (meson: $(BUILD)/meson-setup.log)"

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

# The Python package: libedgecut-python.so built in BUILD, the package told
# where it is (python/edgecut/_libdir.txt), and a .pth file in PYTHON's
# site-packages (Debian's /usr/local/lib/python3.X/dist-packages; the user's
# site when that is not writable) that puts python/ on its path, so that
# `import edgecut` works from any folder.
PY_SITE = $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_path("purelib"))' 2>/dev/null)
PY_USER_SITE = $(shell $(PYTHON) -c 'import site; print(site.getusersitepackages())' 2>/dev/null)
# A python3 earlier on PATH than Debian's (pyenv's, say) of the same X.Y
# does not see Debian's packages: a .pth in its own site-packages adds
# python/ and then Debian's dist-packages (after its own, so its packages
# win), so that `python3 -c "import edgecut"` works there too; an
# interpreter of another X.Y is told to use $(PYTHON).
PY_PATH_SHIM = py=$$(command -v python3); \
  if [ -n "$$py" ] && [ "$$("$$py" -c 'import sys; print(sys.executable)')" != "$$($(PYTHON) -c 'import sys; print(sys.executable)')" ]; then \
    if [ "$$("$$py" -c 'import sys; print(sys.version_info[:2])')" = "$$($(PYTHON) -c 'import sys; print(sys.version_info[:2])')" ]; then \
      site=$$("$$py" -c 'import sysconfig; print(sysconfig.get_path("purelib"))') && mkdir -p "$$site" && \
      printf '%s\n%s\n' "$(abspath python)" /usr/lib/python3/dist-packages > "$$site/edgecut.pth" && \
      (cd / && "$$py" -c 'import edgecut') && echo "make: $$py -c 'import edgecut' works ($$site/edgecut.pth)"; \
    else echo "make: $$py is not Python $$($(PYTHON) -c 'import sys; print(sys.version.split()[0])'): use $(PYTHON) for edgecut"; fi; \
  fi
python: deps deps-python $(BUILD)/build.ninja
	@ninja -C $(BUILD) --quiet edgecut python/libedgecut-python.so
	@echo "$(abspath $(BUILD))/python" > python/edgecut/_libdir.txt
	@if mkdir -p "$(PY_SITE)" 2>/dev/null && echo "$(abspath python)" > "$(PY_SITE)/edgecut.pth" 2>/dev/null; \
	  then echo "make: edgecut Python package: $(PY_SITE)/edgecut.pth -> $(abspath python)"; \
	  else mkdir -p "$(PY_USER_SITE)" && echo "$(abspath python)" > "$(PY_USER_SITE)/edgecut.pth" && \
	       echo "make: edgecut Python package: $(PY_USER_SITE)/edgecut.pth -> $(abspath python)"; fi
	@cd / && $(PYTHON) -c 'import edgecut' && echo "make: $(PYTHON) -c 'import edgecut' works"
	@$(PY_PATH_SHIM)

# The examples of python/examples/ (README "Python"): LinUCB in NumPy
# against the C linucb, and a PyTorch DQN on the SAC-d world (Debian's
# python3-torch, installed here when missing), written to results/.
PY_HAS_TORCH = $(PYTHON) -c 'import torch' 2>/dev/null
python-examples: python
	$(call need,python3-torch,,,$(PY_HAS_TORCH),python3-torch)
	@mkdir -p results
	$(PYTHON) python/examples/linucb.py --db results/linucb-python.db
	$(PYTHON) python/examples/dqn.py --db results/dqn-sacd.db

# The default experiment: only the program is built (not the tests).
run: deps python $(BUILD)/build.ninja
	@echo "make: building $(BUILD)/edgecut"
	@ninja -C $(BUILD) --quiet edgecut
	@mkdir -p results
	./$(BUILD)/edgecut run $(CONFIG) --db $(DB)
	./$(BUILD)/edgecut plot $(DB) --out $(DB:.db=)

# The whole suite in its own build folder (TEST_BUILD, warnings as errors;
# the user's build/ is left as it is), then again under ASan + UBSan, then
# a smoke run of the fuzz harnesses (tests/fuzz/run.sh --smoke).
test: deps-test deps-python-test python
	@[ -f $(TEST_BUILD)/build.ninja ] || meson setup $(TEST_BUILD) -Dwerror=true $(MESONFLAGS)
	meson configure $(TEST_BUILD) -Dwerror=true
	meson test -C $(TEST_BUILD) --print-errorlogs
	@[ -f $(ASAN)/build.ninja ] || meson setup $(ASAN) -Db_sanitize=address,undefined -Db_lundef=false $(MESONFLAGS)
	meson configure $(ASAN) -Dwerror=true
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  meson test -C $(ASAN) --print-errorlogs --no-suite slow
	FUZZ=$(FUZZ) FUZZ_SMOKE_SECONDS=$(FUZZ_SMOKE_SECONDS) sh tests/fuzz/run.sh --smoke

# edgecut against queueing theory (tests/validation/, README "Validation"):
# the long runs, one row per case: closed form, measured, tolerance, pass.
# The quick runs are part of `make test`.
validate: deps $(BUILD)/build.ninja
	@ninja -C $(BUILD) --quiet tests/validation/edgecut-validate
	./$(BUILD)/tests/validation/edgecut-validate --long --srcdir .

# Build the harnesses of tests/fuzz/ with clang and run each FUZZ_SECONDS;
# fails when one finds a crash, a leak, undefined behaviour or a slow input
# (FUZZ/artifacts/NAME/, log FUZZ/logs/NAME.log).
fuzz: deps-fuzz
	FUZZ=$(FUZZ) FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh

# Builds the base engine (bench/build-base.sh: only when missing or when
# BENCH_BASE changed) and this tree, both release, then runs the harness
# from the project root.  BENCH_QUICK=1: a smoke run of about a minute.
# BENCH_ARGS: more harness flags (edgecut-bench --help); NINJAFLAGS: e.g. -j2.
bench: deps
	@NINJAFLAGS='$(NINJAFLAGS)' sh bench/build-base.sh $(BENCH_BASE) $(BENCH_BASE_DIR) $(MESONFLAGS)
	@[ -f $(BENCH_DIR)/build.ninja ] || meson setup $(BENCH_DIR) --buildtype=release $(MESONFLAGS)
	ninja -C $(BENCH_DIR) $(NINJAFLAGS) edgecut bench/edgecut-bench bench/edgecut-floor
	$(abspath $(BENCH_DIR))/bench/edgecut-bench --new $(BENCH_DIR)/edgecut \
	  $$([ -x $(BENCH_BASE_DIR)/build/edgecut ] && \
	     echo --old $(BENCH_BASE_DIR)/build/edgecut --old-label $(BENCH_BASE)) \
	  $(if $(filter-out 0,$(BENCH_QUICK)),--quick) $(BENCH_ARGS)

clean:
	rm -rf $(BUILD) $(TEST_BUILD) $(ASAN) $(FUZZ) $(BENCH_DIR) $(BENCH_BASE_DIR)
