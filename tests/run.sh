#!/usr/bin/env bash
# The one test command (README, CI): installs what is missing, builds, runs every unit test
# (ctest), integration test (tests/integration), evaluation (tests/eval) and the short soak
# (tests/soak) against real FFmpeg, nginx-rtmp on loopback, the data in tests/data and, when
# present, the research data ($SURG_DATA, else ../shared/data beside the clone;
# SURG_DATA=none: absent on purpose).
# Checks that need absent research data are skipped, each with a line, and counted.
# The last line is "N passed, N failed, N skipped"; the status is 0 only when nothing failed
# and something passed.
#   tests/run.sh [PATTERN]        only the integration/eval scripts whose name contains PATTERN
#   tests/run.sh --data-dependent only what needs research data: the unit tests named
#                                 "(research data)" and the scripts that call need_data
set -uo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SURG_BUILD:-$src/build}
filter=${1:-}

"$src/scripts/install-deps.sh" --build --test || exit 1
mkdir -p "$build"
echo "== build ($build)"
# Line tables only (-g1): a backtrace still names file and line, and on two cores the build
# takes a third less time than with full debug information.
# A unity build (several .cpp files of a target compiled as one): 5 minutes instead of 9.5 on
# two cores, since json and spdlog are parsed and instantiated once a batch (doc/testing.md).
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  -DSURG_TEST_HOOKS=ON -DCMAKE_UNITY_BUILD=ON >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log"; exit 1; }
cmake --build "$build" -j"$(nproc)" >"$build/build.log" 2>&1 ||
  { grep -E -B2 -A12 'error|Error' "$build/build.log" | head -150; echo "build failed" >&2; exit 1; }

# The research data, resolved as tests/integration/lib.sh and tests/unit/detect/data.hpp do.
if [ "${SURG_DATA:-}" = none ]; then research=""
elif [ -n "${SURG_DATA:-}" ]; then research=$SURG_DATA
elif [ -d "$src/../shared/data" ]; then research=$(cd "$src/../shared/data" && pwd)
else research=""
fi
if [ -n "${SURG_DATA:-}" ] && [ "$SURG_DATA" != none ] && [ ! -d "$SURG_DATA" ]; then
  echo "SURG_DATA=$SURG_DATA is not a directory (unset it, or SURG_DATA=none to run without)" >&2
  exit 2
fi
echo "== research data: ${research:-absent (checks that need it are skipped)}"

passed=0 failed=0 skipped=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
research_tests='\(research data\)'

# run_ctest [ctest selection args...]: runs ctest, counts; a missing executable ("Not Run"),
# no test found, or a failing ctest status count as failures.
run_ctest() {
  (cd "$build" && ctest --output-on-failure --no-tests=error --timeout 120 -j"$(nproc)" "$@") >"$log/ctest" 2>&1
  local status=$?
  grep -E '^(The following|\s+[0-9]+ - |.*tests passed|No tests were found)' "$log/ctest"
  local p f
  p=$(grep -cE 'Test +#[0-9]+: .* Passed' "$log/ctest")
  f=$(grep -cE 'Test +#[0-9]+: .*(Failed|Timeout|Exception|Not Run)' "$log/ctest")
  if [ "$status" != 0 ] && [ "$f" = 0 ]; then
    f=1; echo "not ok - ctest exited $status with no failed test named"
  fi
  [ "$f" -gt 0 ] && cat "$log/ctest"
  passed=$((passed + p)) failed=$((failed + f))
}

# skip_research_unit_tests: one line and one skip for each unit test that needs the data.
skip_research_unit_tests() {
  local name n=0
  while IFS= read -r name; do
    echo "skip - unit: $name (research data absent: set SURG_DATA)"
    n=$((n + 1))
  done < <(cd "$build" && ctest -N -R "$research_tests" | sed -n 's/^ *Test *#[0-9]*: //p')
  skipped=$((skipped + n))
}

if [ -z "$filter" ]; then
  if [ -n "$research" ]; then
    SURG_DATA=$research run_ctest
  else
    run_ctest -E "$research_tests"
    skip_research_unit_tests
  fi
elif [ "$filter" = --data-dependent ]; then
  if [ -n "$research" ]; then SURG_DATA=$research run_ctest -R "$research_tests"; else skip_research_unit_tests; fi
fi

# The soak runs its short schedule (push_cuts.sh with no argument: 3 minutes).
for t in "$src"/tests/integration/*.sh "$src"/tests/eval/*.sh "$src"/tests/soak/*.sh; do
  [ -f "$t" ] || continue
  case $(basename "$t") in lib.sh) continue ;; esac
  if [ "$filter" = --data-dependent ]; then
    grep -q 'need_data ' "$t" || continue
  elif [ -n "$filter" ] && [[ $(basename "$t") != *"$filter"* ]]; then
    continue
  fi
  name=${t#"$src"/tests/}
  start=$SECONDS
  SURG_BUILD=$build SURG_DATA=${research:-none} timeout -k 10 900 bash "$t" >"$log/out" 2>"$log/err" </dev/null
  status=$?
  p=$(grep -c '^ok - ' "$log/out") f=$(grep -c '^not ok - ' "$log/out") s=$(grep -c '^skip - ' "$log/out")
  if [ "$status" != 0 ] && [ "$f" = 0 ]; then f=1; echo "not ok - $name exited $status" >>"$log/out"; fi
  # A script that says nothing checked nothing: that is a failure, not a pass.
  if [ $((p + f + s)) = 0 ]; then f=1; echo "not ok - $name reported no check (no ok/not ok/skip line)" >>"$log/out"; fi
  echo "== $name: $p passed, $f failed, $s skipped ($((SECONDS - start)) s)"
  grep -E '^(not ok|skip|#)' "$log/out"
  if [ "$f" -gt 0 ]; then sed 's/^/   stderr: /' "$log/err" | tail -40; fi
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
