#!/usr/bin/env bash
# Benchmark (not run in CI): what one workstation holds (doc/scale.md, "What one workstation
# does"), measured end to end on the machine it runs on.
#  1. Live: N chains side by side, each the broadcast chain of doc/scale.md (test pattern,
#     --realtime → surg-anonymize, live mode, faces + out of body → surg-annotate, title and
#     clock → surg-push, x264 veryfast 4.5 Mbit/s, to nginx-rtmp on loopback and a recording),
#     for N = 1, 2, ... until a run fails. A run holds when, in every chain, the capture dropped
#     no frame at the source, surg-anonymize showed no slate for lateness (behind, late) and the
#     recording has every captured frame.
#  2. Archive: the teaching-clip chain (a recording → surg-anonymize --no-live → surg-annotate
#     with the warning slate and a title → a fast-start MP4) over a recording, one job and
#     JOBS jobs at once: hours of recording processed an hour of wall time.
#   SURG_BUILD=build tests/bench/capacity.sh [SECONDS] [SIZES]
#   SECONDS: length of each live run and of the archive recording (default 60);
#   SIZES: the live sizes (default "1920x1080 1280x720"). JOBS (default: cores) archive jobs.
#   MAX_CHAINS (default 4) bounds N; ARCHIVE=0 leaves part 2 out. One 10-minute live run at
#   1080p30: MAX_CHAINS=1 ARCHIVE=0 tests/bench/capacity.sh 600 1920x1080
source "$(dirname "$0")/../integration/lib.sh"
SECS=${1:-60}
SIZES=${2:-1920x1080 1280x720}
JOBS=${JOBS:-$(nproc)}
MAX_CHAINS=${MAX_CHAINS:-4}
echo "# $(uptime)"
echo "# $(nproc) cores; live runs of $SECS s"

RTMP_PORT=$(free_port)
start_nginx rtmp "$RTMP_PORT" || { echo "nginx did not start" >&2; exit 1; }

# chain DIR SIZE: one live chain, its stream key the name of DIR; its statistics and
# recording in DIR. A chain that outlives its length by a minute is killed.
chain() {
  local d=$1 size=$2
  mkdir -p "$d"
  SURG_STREAM_KEY=capacity-${d##*/} d=$d size=$size SECS=$SECS RTMP_PORT=$RTMP_PORT \
    timeout -k 5 $((SECS + 60)) bash -c '
  surg-capture -q --test-pattern --realtime --size "$size" --duration "${SECS}s" --stats "$d/capture.json" |
    surg-anonymize -q --stats "$d/anonymize.json" |
    surg-annotate -q --title "Capacity" --clock elapsed |
    surg-push -q --test-stream --encoder x264 --x264-preset veryfast --video-bitrate 4500k \
      --stats "$d/push.json" --record "$d/rec.mkv" "rtmp://127.0.0.1:$RTMP_PORT/live" 2>"$d/push.err"'
}
# verdict DIR: prints "ok" or what failed, and how far behind the stream the anonymize stage
# let frames leave (p50, p99, max); fails when the chain did not hold.
verdict() {
  local d=$1 captured dropped late recorded lag why=""
  captured=$(jq .frames_out "$d/capture.json" 2>/dev/null)
  dropped=$(jq .frames_dropped "$d/capture.json" 2>/dev/null)
  late=$(jq '(.slate_frames.behind // 0) + (.slate_frames.late // 0)' "$d/anonymize.json" 2>/dev/null)
  lag=$(jq -r '.lag_ms | "p50 \(.p50) ms, p99 \(.p99) ms, max \(.max) ms"' "$d/anonymize.json" 2>/dev/null)
  recorded=$(count_packets "$d/rec.mkv")
  [ "${dropped:-x}" = 0 ] || why+=" capture dropped ${dropped:-?} frames;"
  [ "${late:-x}" = 0 ] || why+=" ${late:-?} frames slated for lateness;"
  [ -n "$captured" ] && [ "$recorded" = "$captured" ] || why+=" recorded ${recorded:-0} of ${captured:-?};"
  echo "${why:- ok;} anonymize lag ${lag:-?}"
  [ -z "$why" ]
}

declare -A HOLDS
echo "== live chains (capture --realtime → anonymize → annotate → push to RTMP and a recording)"
for size in $SIZES; do
  HOLDS[$size]=0
  for n in $(seq "$MAX_CHAINS"); do
    start=$(date +%s.%N)
    pids=()
    for i in $(seq "$n"); do chain "$WORK/live-$size-$n/c$i" "$size" & pids+=($!); done
    wait "${pids[@]}"  # not nginx, also a child of this shell
    load=$(cut -d' ' -f1 /proc/loadavg)
    all_ok=1
    for i in $(seq "$n"); do
      v=$(verdict "$WORK/live-$size-$n/c$i") || all_ok=0
      printf '%-9s %d chain(s), chain %d: %s\n' "$size" "$n" "$i" "$v"
    done
    printf '%-9s %d chain(s): %s in %.0f s (load average %s)\n' "$size" "$n" \
      "$( ((all_ok)) && echo HOLDS || echo 'does NOT hold')" "$(echo "$(date +%s.%N) - $start" | bc)" "$load"
    ((all_ok)) || break
    HOLDS[$size]=$n
  done
done
stop_nginx rtmp

declare -A RATE=()
if [ "${ARCHIVE:-1}" != 0 ]; then
  echo "== archive (teaching-clip chain: recording → anonymize --no-live → annotate → MP4)"
  # The recording: SECS of the 1080p30 test pattern, H.264 as surg-push records it.
  surg-capture -q --test-pattern --size 1920x1080 --duration "${SECS}s" | surg-push -q "$WORK/case.mkv" 2>/dev/null
  clip() {
    surg-capture -q --input "$WORK/case.mkv" | surg-anonymize -q --no-live |
      surg-annotate -q --warning 5s --title "Capacity" | surg-push -q "$1" 2>/dev/null
  }
  for jobs in $(printf '%s\n' 1 "$JOBS" | sort -un); do
    start=$(date +%s.%N)
    pids=()
    for i in $(seq "$jobs"); do clip "$WORK/clip-$jobs-$i.mp4" & pids+=($!); done
    wait "${pids[@]}"
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    ok=1
    for i in $(seq "$jobs"); do
      [ "$(count_frames "$WORK/clip-$jobs-$i.mp4")" = $((SECS * 30)) ] || ok=0
    done
    RATE[$jobs]=$(echo "$jobs * $SECS / $wall" | bc -l)
    printf '1080p30   %d job(s): %d s of recording each in %.0f s: %.2f hours of recording an hour%s\n' \
      "$jobs" "$SECS" "$wall" "${RATE[$jobs]}" "$( ((ok)) || echo ' (a clip lacks frames: not counted)')"
    ((ok)) || RATE[$jobs]=0
  done
fi

echo "== summary"
for size in $SIZES; do echo "live $size 30 fps anonymized chains held: ${HOLDS[$size]}"; done
if [ "${#RATE[@]}" -gt 0 ]; then
  best=$(printf '%s\n' "${RATE[@]}" | sort -g | tail -1)
  printf 'archive at 1080p30: %.2f hours of recording an hour of wall time\n' "$best"
fi
