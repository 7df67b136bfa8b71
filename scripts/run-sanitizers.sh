#!/usr/bin/env bash
# Makes the build prove it (issue 16), with Debian's clang:
#   1. build-asan/ (-DCOUNCIL_SANITIZE=address: ASan + UBSan): every test
#      binary, every service binary the end-to-end tests start, and the fuzz
#      targets; runs every test through ctest;
#   2. build-tsan/ (-DCOUNCIL_SANITIZE=thread): common_tests and gateway_tests,
#      the concurrency tests of common/ and the gateway, through ctest;
#   3. runs each fuzz target (fuzz/) for COUNCIL_FUZZ_SECONDS on a copy of its
#      seed corpus and its regression inputs.
# Any sanitizer report from any process (test binaries and the service
# binaries they start alike: reports go to files, see REPORTS below), any
# failing test, and any fuzz finding fails the script. scripts/run-tests.sh
# runs it after the ordinary build; it can also be run on its own.
#
#   COUNCIL_JOBS=2           parallel compile jobs, tests and fuzzers
#   COUNCIL_FUZZ_SECONDS=30  fuzzing time per target
#   COUNCIL_SANITIZERS="address thread"  which builds to run ("" skips them all,
#                            for a quick local scripts/run-tests.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=${COUNCIL_JOBS:-2}
FUZZ_SECONDS=${COUNCIL_FUZZ_SECONDS:-30}
SANITIZERS=${COUNCIL_SANITIZERS-address thread}
TSAN_SUPPRESSIONS=$ROOT/sanitizers/tsan.supp

# Every sanitizer report of every process lands here (log_path), so a report
# from a service binary that an end-to-end test started, which no test would
# see, still fails the run.
REPORTS=$(mktemp -d /tmp/council-sanitizer-reports.XXXXXX)
WORK=$(mktemp -d /tmp/council-fuzz.XXXXXX)
# The reports folder stays only if it holds reports.
trap 'rm -rf "$WORK"; rmdir "$REPORTS" 2>/dev/null || true' EXIT

started=$SECONDS
step_started=$SECONDS
step() {
  echo "run-sanitizers: $1 ($(( SECONDS - step_started )) s)"
  step_started=$SECONDS
}

configure() {  # build-dir sanitizer
  if [ ! -f "$1/build.ninja" ]; then
    cmake -S . -B "$1" -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOUNCIL_SANITIZE="$2" >/dev/null
  fi
}

# canary build-dir mode expected-report: sanitizer_canary (sanitizers/) must
# report in the modes that break a rule and stay quiet in the one that does
# not, or "zero reports" below would prove nothing.
canary() {
  local output status=0
  output=$("$1/sanitizers/sanitizer_canary" "$2" 2>&1) || status=$?
  if [ -n "$3" ]; then
    if [ "$status" -eq 0 ] || ! grep -q "$3" <<<"$output"; then
      echo "run-sanitizers: the $2 canary was not reported (exit $status); the build does not check what it claims"
      exit 1
    fi
  elif [ "$status" -ne 0 ] || grep -q "Sanitizer" <<<"$output"; then
    echo "run-sanitizers: the $2 canary was reported (exit $status):"
    echo "$output"
    exit 1
  fi
}

# Fails (printing them) if any process wrote a sanitizer report.
check_reports() {
  if compgen -G "$REPORTS/*" >/dev/null; then
    echo "run-sanitizers: sanitizer reports in $REPORTS:"
    for report in "$REPORTS"/*; do
      echo "=== $report"
      head -c 20000 "$report"
    done
    exit 1
  fi
}

run_asan_tests() {
  configure build-asan address
  # Everything but the benchmarks (left out of sanitizer builds), fuzzers
  # included.
  ninja -C build-asan -j"$JOBS"
  step "ASan+UBSan build"
  ASAN_OPTIONS="detect_leaks=0" canary build-asan overflow "ERROR: AddressSanitizer: heap-buffer-overflow"
  UBSAN_OPTIONS="halt_on_error=1" canary build-asan ub "runtime error: signed integer overflow"
  ASAN_OPTIONS="detect_leaks=1" canary build-asan leak "ERROR: LeakSanitizer"
  # detect_leaks: LeakSanitizer checks every process at its exit. It needs no
  # suppressions: gRPC's and protobuf's globals stay reachable, and it has
  # reported no leak of theirs.
  # COUNCIL_TEST_TIME_SCALE: instrumented binaries start and answer several
  # times slower, so the e2e tests' time bounds (a backend serving again
  # within 1 s of its restart) stretch by this much here; the release
  # build's run above asserts the figures themselves.
  COUNCIL_TEST_TIME_SCALE=4 \
  ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:log_path=$REPORTS/asan" \
  UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$REPORTS/ubsan" \
    ctest --test-dir build-asan --output-on-failure -j"$JOBS" --timeout 600
  check_reports
  step "ASan+UBSan tests: zero reports"
}

run_tsan_tests() {
  configure build-tsan thread
  ninja -C build-tsan -j"$JOBS" common_tests gateway_tests sanitizer_canary
  step "TSan build"
  local tsan_options="halt_on_error=1:second_deadlock_stack=1:suppressions=$TSAN_SUPPRESSIONS"
  TSAN_OPTIONS="$tsan_options" canary build-tsan race "WARNING: ThreadSanitizer: data race"
  TSAN_OPTIONS="$tsan_options" canary build-tsan locked ""
  # Only these two binaries are built here: ctest's placeholders for the
  # others (*_NOT_BUILT) are left out, and any other test binary left in
  # build-tsan by hand (a one-off TSan build of another suite) is removed, as
  # it would run stale code.
  local listing binary
  for listing in build-tsan/tests/*_tests"[1]_tests.cmake"; do
    [ -e "$listing" ] || continue
    binary=${listing%"[1]_tests.cmake"}
    case "$(basename "$binary")" in
      common_tests | gateway_tests) ;;
      *) rm -f "$binary" "$listing" ;;
    esac
  done
  TSAN_OPTIONS="$tsan_options:log_path=$REPORTS/tsan" \
    ctest --test-dir build-tsan --output-on-failure -j"$JOBS" --timeout 600 -E '_NOT_BUILT$'
  check_reports
  step "TSan tests (common_tests, gateway_tests): zero reports"
}

# Fuzzes one target; writes its summary line to $WORK/<target>.summary.
fuzz_one() {
  local target=$1 dir=$WORK/$1
  mkdir -p "$dir/corpus" "$dir/artifacts"
  # A copy (symlinked seeds resolved): libFuzzer adds what it finds to the
  # first corpus folder, and the repository's must not change.
  cp -rL "fuzz/corpus/$target/." "$dir/corpus/"
  local status=0
  ASAN_OPTIONS="halt_on_error=1:detect_leaks=1" \
  UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
    "build-asan/fuzz/$target" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
      -timeout=10 -artifact_prefix="$dir/artifacts/" \
      "$dir/corpus" "fuzz/regressions/$target" >"$dir/log" 2>&1 || status=$?
  local runs
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
  if [ "$status" -eq 0 ] && ! compgen -G "$dir/artifacts/*" >/dev/null; then
    printf '%-28s %10s executions in %s s, corpus %s inputs: no finding\n' \
      "$target" "${runs:-?}" "$FUZZ_SECONDS" "$(ls "$dir/corpus" | wc -l)" >"$dir.summary"
  else
    local kept=build-asan/fuzz-findings/$target
    mkdir -p "$kept"
    cp "$dir"/artifacts/* "$dir/log" "$kept/" 2>/dev/null || true
    {
      printf '%-28s %10s executions: FINDING (exit %s), input and log in %s\n' \
        "$target" "${runs:-?}" "$status" "$kept"
      grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|FUZZ_CHECK failed' \
        "$dir/log" || tail -5 "$dir/log"
    } >"$dir.summary"
  fi
}

run_fuzzers() {
  local targets=() running=0
  for corpus in fuzz/corpus/*/; do targets+=("$(basename "$corpus")"); done
  for target in "${targets[@]}"; do
    [ -x "build-asan/fuzz/$target" ] || { echo "run-sanitizers: no fuzz target $target"; exit 1; }
    fuzz_one "$target" &
    running=$(( running + 1 ))
    if [ "$running" -ge "$JOBS" ]; then wait -n || true; running=$(( running - 1 )); fi
  done
  wait
  local failed=0
  echo "run-sanitizers: fuzzing, ${FUZZ_SECONDS} s per target:"
  for target in "${targets[@]}"; do
    cat "$WORK/$target.summary"
    grep -q "no finding" "$WORK/$target.summary" || failed=1
  done
  step "fuzzing ${#targets[@]} targets"
  if [ "$failed" -ne 0 ]; then
    echo "run-sanitizers: fuzzing found crashes: minimise each (target -minimize_crash=1 -runs=10000 INPUT),"
    echo "  save it under fuzz/regressions/<target>/ and fix the code."
    exit 1
  fi
}

if [ -z "$SANITIZERS" ]; then
  echo "run-sanitizers: skipped (COUNCIL_SANITIZERS is empty)"
  exit 0
fi
for sanitizer in $SANITIZERS; do
  case $sanitizer in
    address) run_asan_tests; run_fuzzers ;;
    thread) run_tsan_tests ;;
    *) echo "run-sanitizers: unknown sanitizer $sanitizer"; exit 2 ;;
  esac
done
echo "run-sanitizers: passed, zero sanitizer reports ($(( SECONDS - started )) s in all)"
