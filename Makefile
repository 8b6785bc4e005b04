# edgecut: the two commands a newcomer types are `make run` and `make test`.
# Both install missing system packages (Debian/Ubuntu, via apt-get), configure
# with meson and build with ninja.

BUILD     ?= build
ASAN      ?= build-asan
CONFIG    ?= configs/default.ini
DB        ?= results/default.db
MESONFLAGS ?=

# `make bench`: the edgecut binary of this tree against the engine before the
# world engine, both built with --buildtype=release.  BENCH_BASE is the last
# commit before the world engine (many devices on shared FIFO / processor-
# sharing resources, switchable regret, streamed results): 158daf4, the
# single-device engine that holds every frame in memory.  Keep it there when
# the world engine lands: the bench answers "did the world engine cost the
# single device any speed, and what did it save in memory".
BENCH_BASE     ?= 158daf4
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

APT_PACKAGES = meson ninja-build pkg-config gcc libgsl-dev libsqlite3-dev check \
               libinih-dev libxxhash-dev libcsv-dev gnuplot-nox sqlite3 valgrind git \
               slurmd slurmctld slurm-client munge parallel
# slurmd, slurmctld, slurm-client, munge: the Slurm test (tests/slurm-check.sh)
# runs a one-node cluster on localhost; parallel: GNU parallel, the same test.
# clang, libclang-rt-dev: clang and its libFuzzer for tests/fuzz/.  Installed
# apart from the rest: when they cannot be installed, `make test` still runs
# (its fuzz smoke run says it was skipped) and only `make fuzz` fails.
FUZZ_APT_PACKAGES = clang libclang-rt-dev
PKGCONFIG_DEPS = gsl sqlite3 check inih libxxhash
# libcsv (CSV traces) has no pkg-config file: `deps` checks for its header.

.PHONY: all deps build run test fuzz bench clean

all: build

# Install what is missing.  Uses sudo when not root.
deps:
	@if ! command -v meson >/dev/null 2>&1 || ! command -v ninja >/dev/null 2>&1 || \
	    ! command -v gnuplot >/dev/null 2>&1 || ! command -v valgrind >/dev/null 2>&1 || \
	    ! command -v sbatch >/dev/null 2>&1 || ! command -v slurmd >/dev/null 2>&1 || \
	    ! command -v munged >/dev/null 2>&1 || ! command -v parallel >/dev/null 2>&1 || \
	    ! command -v pkg-config >/dev/null 2>&1 || [ ! -f /usr/include/csv.h ] || \
	    ! pkg-config --exists $(PKGCONFIG_DEPS) 2>/dev/null; then \
	  echo "make: installing build dependencies: $(APT_PACKAGES)"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES); \
	fi
	@if ! sh tests/fuzz/run.sh --probe; then \
	  echo "make: installing clang and libFuzzer for tests/fuzz: $(FUZZ_APT_PACKAGES)"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  { $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(FUZZ_APT_PACKAGES); } || \
	  echo "make: could not install $(FUZZ_APT_PACKAGES): the fuzz harnesses cannot run"; \
	fi

$(BUILD)/build.ninja: | deps
	meson setup $(BUILD) $(MESONFLAGS)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

run: build
	@mkdir -p results
	./$(BUILD)/edgecut run $(CONFIG) --db $(DB)
	./$(BUILD)/edgecut plot $(DB) --out $(DB:.db=)

# The whole suite, warnings as errors, then again under ASan + UBSan, then a
# smoke run of the fuzz harnesses (tests/fuzz/run.sh --smoke).
test: deps
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD) $(MESONFLAGS)
	meson configure $(BUILD) -Dwerror=true
	meson test -C $(BUILD) --print-errorlogs
	@[ -f $(ASAN)/build.ninja ] || meson setup $(ASAN) -Db_sanitize=address,undefined -Db_lundef=false $(MESONFLAGS)
	meson configure $(ASAN) -Dwerror=true
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  meson test -C $(ASAN) --print-errorlogs --no-suite slow
	FUZZ=$(FUZZ) FUZZ_SMOKE_SECONDS=$(FUZZ_SMOKE_SECONDS) sh tests/fuzz/run.sh --smoke

# Build the harnesses of tests/fuzz/ with clang and run each FUZZ_SECONDS;
# fails when one finds a crash, a leak, undefined behaviour or a slow input
# (FUZZ/artifacts/NAME/, log FUZZ/logs/NAME.log).
fuzz: deps
	FUZZ=$(FUZZ) FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh

# Builds the base engine (bench/build-base.sh: only when missing or when
# BENCH_BASE changed) and this tree, both release, then runs the harness
# from the project root.  BENCH_QUICK=1: a smoke run of about a minute.
# BENCH_ARGS: more harness flags (edgecut-bench --help); NINJAFLAGS: e.g. -j2.
bench: deps
	@NINJAFLAGS='$(NINJAFLAGS)' sh bench/build-base.sh $(BENCH_BASE) $(BENCH_BASE_DIR) $(MESONFLAGS)
	@[ -f $(BENCH_DIR)/build.ninja ] || meson setup $(BENCH_DIR) --buildtype=release $(MESONFLAGS)
	ninja -C $(BENCH_DIR) $(NINJAFLAGS) edgecut bench/edgecut-bench
	$(abspath $(BENCH_DIR))/bench/edgecut-bench --new $(BENCH_DIR)/edgecut \
	  $$([ -x $(BENCH_BASE_DIR)/build/edgecut ] && \
	     echo --old $(BENCH_BASE_DIR)/build/edgecut --old-label $(BENCH_BASE)) \
	  $(if $(filter-out 0,$(BENCH_QUICK)),--quick) $(BENCH_ARGS)

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ) $(BENCH_DIR) $(BENCH_BASE_DIR)
