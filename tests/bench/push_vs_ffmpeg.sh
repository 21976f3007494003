#!/usr/bin/env bash
# Benchmark (not a test, not run in CI): the surg chain against one ffmpeg process doing the
# same work, side by side, at 1280x720 and 1920x1080, 30 fps, 20 s:
#   A  surg-capture --test-pattern | surg-push out.mp4            (the surg chain)
#   B  ffmpeg lavfi testsrc2 -> NUT rawvideo | surg-push out.mp4   (same content as C)
#   C  ffmpeg lavfi testsrc2 + sine -> libx264 + aac -> out.mp4      (the reference)
# Same x264 preset, bitrate, VBV and keyframe interval everywhere. Then the raw surg-stream
# throughput of pass-through stages (cat, an ffmpeg NUT relay, surg-capture --input) in MB/s.
#   SURG_BUILD=/path/to/build tests/bench/push_vs_ffmpeg.sh [DURATION]
# surg-push comes from $SURG_PUSH_BUILD (else SURG_BUILD), surg-capture from
# $SURG_CAPTURE_BUILD (else SURG_BUILD); without surg-capture, row A is skipped.
set -uo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${SURG_BUILD:-$src/build}
push=${SURG_PUSH_BUILD:-$build}/surg-push
capture=${SURG_CAPTURE_BUILD:-$build}/surg-capture
duration=${1:-20}
preset=veryfast keyint=2 fps=30
work=$(mktemp -d "${TMPDIR:-/tmp}/surg-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
[ -x "$push" ] || { echo "no surg-push at $push" >&2; exit 1; }

now() { date +%s.%N; }
# timed NAME CMD...: runs CMD under GNU time; appends "wall cpu rss" of that process.
timed() {
  local name=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$work/$name.time" "$@"
}
# sum_times FILES...: "cpu_seconds max_rss_kb_sum" over the stages of one run.
sum_times() {
  cat "$@" | awk '{ cpu += $2 + $3; rss += $4 } END { printf "%.2f %d", cpu, rss }'
}
frames() {
  ffprobe -v error -select_streams v:0 -count_frames -show_entries stream=nb_read_frames \
    -of csv=p=0 "$1" </dev/null | head -1
}

run_case() {  # run_case SIZE BITRATE
  local size=$1 rate=$2 t0 t1
  local bufsize=$(( ${rate%k} * 2 ))k
  local x264=(--x264-preset "$preset" --video-bitrate "$rate" --keyint "$keyint" --audio-bitrate 128k)
  rm -f "$work"/*.time "$work"/*.mp4

  if [ -x "$capture" ]; then
    t0=$(now)
    timed a1 "$capture" -q --test-pattern --size "$size" --fps "$fps" --duration "$duration" |
      timed a2 "$push" -q "${x264[@]}" "$work/a.mp4"
    t1=$(now)
    report "A surg-capture | surg-push" "$(echo "$t1 - $t0" | bc)" "$(sum_times "$work"/a[12].time)" "$work/a.mp4"
  else
    echo "  (A skipped: no surg-capture at $capture)"
  fi

  t0=$(now)
  timed b1 ffmpeg -nostdin -v error -f lavfi -i "testsrc2=size=$size:rate=$fps" \
    -f lavfi -i "sine=f=1000:r=48000" -t "$duration" -ac 2 -c:v rawvideo -pix_fmt yuv420p \
    -c:a pcm_s16le -ar 48000 -f nut - |
    timed b2 "$push" -q "${x264[@]}" "$work/b.mp4"
  t1=$(now)
  report "B ffmpeg NUT | surg-push" "$(echo "$t1 - $t0" | bc)" "$(sum_times "$work"/b[12].time)" "$work/b.mp4"

  t0=$(now)
  timed c1 ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=$size:rate=$fps" \
    -f lavfi -i "sine=f=1000:r=48000" -t "$duration" -ac 2 -ar 48000 -pix_fmt yuv420p \
    -c:v libx264 -preset "$preset" -b:v "$rate" -maxrate "$rate" -bufsize "$bufsize" \
    -g $((keyint * fps)) -keyint_min $((keyint * fps)) -sc_threshold 0 \
    -c:a aac -b:a 128k -movflags +faststart "$work/c.mp4"
  t1=$(now)
  report "C ffmpeg alone (reference)" "$(echo "$t1 - $t0" | bc)" "$(sum_times "$work"/c1.time)" "$work/c.mp4"
}

declare -A wall_of cpu_of
report() {  # report NAME WALL "CPU RSS" FILE
  local name=$1 wall=$2 cpu=${3% *} rss=${3#* }
  wall_of[${name:0:1}]=$wall
  cpu_of[${name:0:1}]=$cpu
  printf '  %-30s wall %6.2f s  cpu %6.2f s  max RSS %7.1f MB  frames %s\n' \
    "$name" "$wall" "$cpu" "$(echo "$rss / 1024" | bc -l)" "$(frames "$4")"
}
ratios() {
  local r
  for r in A B; do
    [ -n "${wall_of[$r]:-}" ] || continue
    printf '  %s / C: wall %.2f  cpu %.2f\n' "$r" "$(echo "${wall_of[$r]} / ${wall_of[C]}" | bc -l)" \
      "$(echo "${cpu_of[$r]} / ${cpu_of[C]}" | bc -l)"
  done
}

echo "surg-push vs ffmpeg: $duration s at $fps fps, x264 $preset, keyint ${keyint}s, AAC 128k ($(nproc) cores)"
for c in "1280x720 3000k" "1920x1080 4500k"; do
  echo "== ${c% *} at ${c#* }"
  wall_of=() cpu_of=()
  run_case $c
  ratios
done

# Pass-through throughput of the raw surg stream at 1080p.
echo "== raw surg stream pass-through, 1920x1080 yuv420p + PCM"
ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=1920x1080:rate=30 -f lavfi -i sine=r=48000 \
  -t 5 -ac 2 -c:v rawvideo -pix_fmt yuv420p -c:a pcm_s16le -ar 48000 -f nut "$work/in.nut"
bytes=$(stat -c %s "$work/in.nut")
cat "$work/in.nut" >/dev/null  # warm the page cache
through() {  # through NAME CMD...: MB/s of the stream through the stage CMD (stdin -> stdout)
  local name=$1 t0 t1; shift
  t0=$(now)
  "$@" <"$work/in.nut" | cat >/dev/null
  t1=$(now)
  printf '  %-34s %7.0f MB/s\n' "$name" "$(echo "$bytes / 1000000 / ($t1 - $t0)" | bc -l)"
}
through "cat" cat
through "ffmpeg NUT relay (-c copy)" ffmpeg -nostdin -v error -f nut -i - -c copy -f nut -
[ -x "$capture" ] && through "surg-capture --input - (relay)" "$capture" -q --input - -o -
exit 0
