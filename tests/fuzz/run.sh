#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS] [TARGET...]: builds the libFuzzer targets with clang 14 under
# ASan+UBSan in their own build folder (build-fuzz, or $SURG_FUZZ_BUILD) and runs each for
# SECONDS (default 20) from its seed corpus in tests/fuzz/corpus/<target>/, SURG_FUZZ_JOBS
# (default 2) targets at a time. The seeds are copied, so the repository's corpus only grows
# by hand. A crash leaves its input in $SURG_FUZZ_BUILD/crashes/<target>/ and makes the
# script fail.
#
# SURG_SANITIZE_UNITS=1 also builds the unit tests of the parsing libraries (core, control,
# config, media, consent/ledger, annotate) in the same folder and runs them once under the
# sanitizers. See doc/architecture.md ("Fuzzing").
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(units redact control config zones captions ledger stream console)
build=${SURG_FUZZ_BUILD:-$PWD/build-fuzz}
jobs=${SURG_FUZZ_JOBS:-2}

mkdir -p "$build"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DSURG_FUZZ=ON -DSURG_TEST_HOOKS=ON \
  -DCMAKE_CXX_COMPILER=clang++-14 >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log"; exit 1; }
build_targets=()
for t in "${targets[@]}"; do build_targets+=("fuzz_$t"); done
# The consent ledger's parsers live in lib/surg/ledger; their unit tests in tests/unit/consent
# (and tests/unit/ledger if it appears).
unit_libs=(core control config media consent ledger annotate)
if [ "${SURG_SANITIZE_UNITS:-0}" = 1 ]; then
  for l in "${unit_libs[@]}"; do [ -d "tests/unit/$l" ] && build_targets+=("test_$l"); done
fi
cmake --build "$build" -j"$jobs" --target "${build_targets[@]}" 2>&1 | tail -5

# detect_leaks: libav and fontconfig keep caches for the life of the process.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
if [ "${SURG_SANITIZE_UNITS:-0}" = 1 ]; then
  for l in "${unit_libs[@]}"; do
    [ -x "$build/test_$l" ] || continue
    if "$build/test_$l" >"$build/test_$l.log" 2>&1; then
      echo "ok - unit tests of $l under ASan+UBSan"
    else
      echo "not ok - unit tests of $l under ASan+UBSan (log: $build/test_$l.log)"
      tail -30 "$build/test_$l.log"
      failed=1
    fi
  done
fi

# fuzz_one TARGET: runs one target; prints its result lines, "ok - fuzz_TARGET" when it passed.
fuzz_one() {
  local t=$1 work=$build/corpus/$1 crashes=$build/crashes/$1 log=$build/fuzz_$1.log start runs
  rm -rf "$work" && mkdir -p "$work" "$crashes"
  cp tests/fuzz/corpus/"$t"/* "$work"/
  start=$(date +%s)
  if "$build/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -artifact_prefix="$crashes/" -print_final_stats=1 "$work" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "ok - fuzz_$t: ${runs:-?} runs in $(( $(date +%s) - start )) s, no crash"
  elif [ "${SURG_FUZZ_NEW_FINDINGS:-fail}" = report ] &&
    "$build/fuzz_$t" -runs=0 tests/fuzz/corpus/"$t"/* >"$log.seeds" 2>&1; then
    # Every seed (and every crash already fixed, kept as a seed) still passes: this is a new
    # finding of this run's random search. CI reports it loudly with the input, for a person
    # to fix and add to the corpus, without blocking unrelated work (SURG_FUZZ_NEW_FINDINGS=report).
    echo "# NEW FINDING: fuzz_$t crashed on an input no seed covers; input in $crashes/ (fix it, add it to tests/fuzz/corpus/$t/)"
    grep -m5 -E 'ERROR|SUMMARY|runtime error|deadly' "$log" | sed 's/^/#   /'
    echo "ok - fuzz_$t: every seed and fixed crash passes (a new finding is reported above)"
  else
    echo "not ok - fuzz_$t crashed; input in $crashes/"
    grep -m5 -E 'ERROR|SUMMARY|runtime error|deadly' "$log" || tail -20 "$log"
  fi
}

# The targets run $jobs at a time (each is one process on one core); their results are
# printed in order once all have finished. A target passed only if its result says so (a
# run that died before saying anything failed).
running=0
for t in "${targets[@]}"; do
  if ((running >= jobs)); then wait -n || true; running=$((running - 1)); fi
  fuzz_one "$t" >"$build/fuzz_$t.result" &
  running=$((running + 1))
done
wait
for t in "${targets[@]}"; do
  cat "$build/fuzz_$t.result"
  grep -q "^ok - fuzz_$t:" "$build/fuzz_$t.result" || failed=1
done
exit $failed
