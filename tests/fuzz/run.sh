#!/bin/sh
# tests/fuzz/run.sh: build the libFuzzer harnesses of tests/fuzz/ with clang
# (ASan + UBSan, LeakSanitizer on) and run each for FUZZ_SECONDS seconds.
# `make fuzz` and the smoke run at the end of `make test` call it.
#
#   sh tests/fuzz/run.sh [--smoke | --probe] [HARNESS...]
#
# HARNESS: fuzz_config fuzz_trace fuzz_model fuzz_device fuzz_profile (all
# when none is given).  --probe: exit 0 when clang can build a libFuzzer
# program, else 1 (no output).  --smoke: the run of `make test`; it skips
# with a message, exit 0, when clang or libFuzzer is missing, and runs each
# harness FUZZ_SMOKE_SECONDS (default 5).
#
# Environment: FUZZ (build directory, default build-fuzz), FUZZ_SECONDS
# (default 60), FUZZ_TIMEOUT (seconds one input may take, default 5),
# FUZZ_MAX_LEN (bytes, default 16384), FUZZ_JOBS (ninja -j, default 2),
# FUZZ_ARGS (more libFuzzer flags).
#
# Each harness NAME keeps its corpus in FUZZ/corpus/NAME (what it found
# that adds coverage), starts from the project's files (fixtures, shipped
# configs, models, devices and traces, copied to FUZZ/seeds/NAME at each
# run) and writes any crashing, leaking or slow input to
# FUZZ/artifacts/NAME/ (crash-*, leak-*, timeout-*, oom-*); its log is
# FUZZ/logs/NAME.log.  Reproduce one with FUZZ/tests/fuzz/NAME FILE.
# Exit status: 0 when no harness found anything, 1 otherwise (or when the
# build fails).
set -u

src=$(cd "$(dirname "$0")/../.." && pwd)
cd "$src" || exit 1
FUZZ=${FUZZ:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-5}
FUZZ_MAX_LEN=${FUZZ_MAX_LEN:-16384}
FUZZ_JOBS=${FUZZ_JOBS:-2}
FUZZ_ARGS=${FUZZ_ARGS:-}
all="fuzz_config fuzz_trace fuzz_model fuzz_device fuzz_profile"

mode=fuzz
case ${1:-} in
--smoke) mode=smoke; shift; FUZZ_SECONDS=${FUZZ_SMOKE_SECONDS:-5} ;;
--probe) mode=probe; shift ;;
esac
harnesses=${*:-$all}

# Can clang build and link a libFuzzer program here?
probe() {
    command -v clang >/dev/null 2>&1 || return 1
    dir=$(mktemp -d) || return 1
    printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
        'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
        'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
        >"$dir/p.c"
    clang -fsanitize=fuzzer,address,undefined "$dir/p.c" -o "$dir/p" >/dev/null 2>&1
    ok=$?
    rm -rf "$dir"
    return $ok
}

if [ $mode = probe ]; then
    probe
    exit $?
fi
if ! probe; then
    if [ $mode = smoke ]; then
        echo "fuzz: SKIPPED: clang with libFuzzer (Debian: clang libclang-rt-dev) is not" \
             "installed or cannot link -fsanitize=fuzzer; the harnesses did not run"
        exit 0
    fi
    echo "fuzz: clang with libFuzzer is needed (Debian: apt-get install clang libclang-rt-dev)" >&2
    exit 1
fi

if [ ! -f "$FUZZ/build.ninja" ]; then
    CC=clang meson setup "$FUZZ" -Dfuzz=true -Db_sanitize=address,undefined \
        -Db_lundef=false >"$FUZZ.setup.log" 2>&1 || {
        cat "$FUZZ.setup.log" >&2
        echo "fuzz: meson setup $FUZZ failed" >&2
        exit 1
    }
    rm -f "$FUZZ.setup.log"
fi
targets=
for h in $harnesses; do
    targets="$targets tests/fuzz/$h"
done
# shellcheck disable=SC2086
ninja -C "$FUZZ" -j "$FUZZ_JOBS" $targets || { echo "fuzz: build failed" >&2; exit 1; }

# The project's files each harness starts from (seeds).
seeds() {
    case $1 in
    fuzz_config) ls tests/fixtures/config/*.ini tests/fixtures/config/*/*.ini \
                    configs/*.ini configs/*/*.ini ;;
    fuzz_trace) ls tests/fixtures/traces/* tests/fixtures/traces/bad/* traces/*.trace ;;
    fuzz_model) ls tests/fixtures/models/* tests/fixtures/models/bad/* models/*.model ;;
    fuzz_device) ls tests/fixtures/devices/*.device tests/fixtures/devices/bad/*.device \
                    models/devices/* ;;
    fuzz_profile) ls tests/fixtures/devices/*.csv tests/fixtures/devices/bad/*.csv ;;
    esac 2>/dev/null
}

found=
for h in $harnesses; do
    corpus=$FUZZ/corpus/$h
    seeddir=$FUZZ/seeds/$h
    art=$FUZZ/artifacts/$h
    log=$FUZZ/logs/$h.log
    tmp=$FUZZ/tmp/$h # the harness's scratch files (TMPDIR), removed after it
    rm -rf "$seeddir" "$tmp"
    mkdir -p "$corpus" "$seeddir" "$art" "$FUZZ/logs" "$tmp"
    for f in $(seeds $h); do
        [ -f "$f" ] && cp "$f" "$seeddir/$(printf '%s' "$f" | tr / _)"
    done
    dict=
    [ -f "tests/fuzz/$h.dict" ] && dict="-dict=tests/fuzz/$h.dict"
    echo "fuzz: $h for ${FUZZ_SECONDS}s (corpus $corpus, artifacts $art/, log $log)"
    # shellcheck disable=SC2086
    TMPDIR=$(cd "$tmp" && pwd) \
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1:${ASAN_OPTIONS:-} \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-} \
        "$FUZZ/tests/fuzz/$h" "$corpus" "$seeddir" $dict \
        -max_total_time="$FUZZ_SECONDS" -timeout="$FUZZ_TIMEOUT" -max_len="$FUZZ_MAX_LEN" \
        -rss_limit_mb=2048 -malloc_limit_mb=1024 -detect_leaks=1 \
        -artifact_prefix="$art/" -print_final_stats=1 $FUZZ_ARGS >"$log" 2>&1
    rc=$?
    rm -rf "$tmp"
    stats=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    if [ $rc -ne 0 ]; then
        found="$found $h"
        echo "fuzz: $h FAILED (exit $rc); the end of $log:" >&2
        tail -40 "$log" >&2
        ls "$art" >&2
    else
        echo "fuzz: $h ok: ${runs:-?} inputs; ${stats:-}"
    fi
done

if [ -n "$found" ]; then
    echo "fuzz: findings in:$found (inputs in $FUZZ/artifacts/; reproduce: $FUZZ/tests/fuzz/NAME FILE)" >&2
    exit 1
fi
echo "fuzz: no findings"
