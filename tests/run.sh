#!/usr/bin/env bash
# The one test command (README, CI): installs what is missing, builds, runs every unit test
# (ctest), integration test (tests/integration) and evaluation (tests/eval) against real
# FFmpeg, nginx-rtmp on loopback and ../shared/data. Prints "N passed, N failed" last.
#   tests/run.sh [PATTERN]   only the integration/eval scripts whose name contains PATTERN
set -uo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SURG_BUILD:-$src/build}
filter=${1:-}

"$src/scripts/install-deps.sh" || exit 1
mkdir -p "$build"
echo "== build ($build)"
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSURG_TEST_HOOKS=ON >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log"; exit 1; }
cmake --build "$build" -j"$(nproc)" >"$build/build.log" 2>&1 ||
  { grep -E -B2 -A12 'error|Error' "$build/build.log" | head -150; echo "build failed" >&2; exit 1; }

passed=0 failed=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

if [ -z "$filter" ]; then
  (cd "$build" && ctest --output-on-failure --timeout 120 -j"$(nproc)") >"$log/ctest" 2>&1
  grep -E '^(The following|\s+[0-9]+ - |.*tests passed)' "$log/ctest"
  p=$(grep -cE 'Test +#[0-9]+: .* Passed' "$log/ctest") f=$(grep -cE 'Test +#[0-9]+: .*(Failed|Timeout|Exception)' "$log/ctest")
  [ "$f" -gt 0 ] && cat "$log/ctest"
  passed=$((passed + p)) failed=$((failed + f))
fi

for t in "$src"/tests/integration/*.sh "$src"/tests/eval/*.sh; do
  [ -f "$t" ] || continue
  case $(basename "$t") in lib.sh) continue ;; esac
  [ -n "$filter" ] && [[ $(basename "$t") != *"$filter"* ]] && continue
  name=${t#"$src"/tests/}
  start=$SECONDS
  SURG_BUILD=$build timeout -k 10 900 bash "$t" >"$log/out" 2>"$log/err" </dev/null
  status=$?
  p=$(grep -c '^ok - ' "$log/out") f=$(grep -c '^not ok - ' "$log/out")
  if [ "$status" != 0 ] && [ "$f" = 0 ]; then f=1; echo "not ok - $name exited $status" >>"$log/out"; fi
  echo "== $name: $p passed, $f failed ($((SECONDS - start)) s)"
  grep -E '^(not ok|#)' "$log/out"
  if [ "$f" -gt 0 ]; then sed 's/^/   stderr: /' "$log/err" | tail -40; fi
  passed=$((passed + p)) failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
