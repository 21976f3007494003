#!/usr/bin/env bash
# Benchmark (not run in CI): what surg-console costs as a pass-through stage at 1080p30, live
# (the test pattern paced at 30 fps), CPU per frame of the stage's own process:
#   - baseline: surg-annotate with nothing to draw (the same read/write of the surg stream);
#   - surg-console with no page open (the preview encoder idles);
#   - surg-console with a client polling like the page does (preview every 150 ms, state every
#     300 ms), so the JPEG preview (5 a second, 640 wide) is encoded.
# Printed as ms of CPU a frame and as a ratio to the baseline; not asserted.
#   SURG_BUILD=build tests/bench/console.sh [SECONDS]
source "$(dirname "$0")/../integration/lib.sh"
SECONDS_RUN=${1:-10}
frames=$((SECONDS_RUN * 30))

# cpu_ms NAME CLIENT COMMAND...: runs the stage after a paced 1080p30 test pattern; prints its
# user+sys CPU in ms. CLIENT=1 polls the panel on $port meanwhile.
cpu_ms() {
  local client=$1; shift
  local t
  if [ "$client" = 1 ]; then
    ( sleep 1
      end=$((SECONDS + SECONDS_RUN))
      while ((SECONDS < end)); do
        curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/api/preview.jpg"
        curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/api/state"
        sleep 0.15
      done ) &
    poller=$!
    bg_track "$poller"
  fi
  t=$( { surg-capture --test-pattern --realtime --size 1920x1080 --duration "$SECONDS_RUN" 2>/dev/null |
         /usr/bin/time -f '%U %S' "$@" -q -o /dev/null 2>&1 >/dev/null; } | tail -1)
  [ "$client" = 1 ] && wait "$poller"
  awk -v t="$t" 'BEGIN { split(t, a, " "); printf "%.0f\n", (a[1] + a[2]) * 1000 }'
}

port=$(free_port)
base=$(cpu_ms 0 surg-annotate)
idle=$(cpu_ms 0 surg-console --listen "127.0.0.1:$port")
port=$(free_port)
busy=$(cpu_ms 1 surg-console --listen "127.0.0.1:$port" --events "$WORK/console.jsonl")
report() {  # report NAME CPU_MS
  awk -v n="$1" -v c="$2" -v b="$base" -v f="$frames" \
    'BEGIN { printf "%-34s cpu %6d ms  %6.3f ms/frame  x%.2f of the baseline\n", n, c, c / f, (b > 0 ? c / b : 0) }'
}
echo "1080p30 live, ${SECONDS_RUN} s (${frames} frames), CPU of the stage's process:"
report "baseline: surg-annotate, nothing" "$base"
report "surg-console, no page open" "$idle"
report "surg-console, a page polling" "$busy"
echo "goal: surg-console with a page open costs near nothing beside the pass-through (reported, not asserted)"
