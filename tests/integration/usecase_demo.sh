#!/usr/bin/env bash
# The README's first command, examples/demo.sh, on this build: it must work on a machine where
# no consent ledger has been set up (a fresh clone on a fresh machine: it goes out as a declared
# test stream), and the recording must keep the frames through the server's restart.
source "$(dirname "$0")/lib.sh"
seconds=18
out=$WORK/demo
SURG_BUILD=$BUILD SURG_DEMO_SECONDS=$seconds timeout -k 5 300 "$SRC/examples/demo.sh" "$out" >"$WORK/demo.log" 2>&1
status=$?
check "examples/demo.sh exits 0 (exit $status)" test "$status" = 0
[ "$status" = 0 ] || tail -20 "$WORK/demo.log" | sed 's/^/# /'
check "it says it goes out as a declared test stream" grep -q "declared test stream" "$WORK/demo.log"
frames=$(count_frames "$out/demo.mp4")
check "the recording holds ${frames:-no} frames of $((seconds * 30)) (at least 90%)" \
  test "${frames:-0}" -ge $((seconds * 30 * 9 / 10))
check "the push reconnected after the server's restart" grep -q '"reconnects":[1-9]' "$out/push-stats.json"
check "the HLS playlist was written" test -s "$out/hls/index.m3u8"
finish
