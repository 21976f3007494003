#!/usr/bin/env bash
# A pass-through stage reuses its frame memory: in steady state it takes ~0 minor page faults
# a frame (doc/architecture.md, "Memory"). Memory mapped afresh for each frame is faulted in
# page by page: a 720p frame is 338 pages, so a stage that reallocates shows hundreds of
# faults a frame. Counted, not timed: each stage runs on SHORT and on LONG frames, and the
# difference of its minor faults (getrusage of the child, through GNU time) over the
# LONG - SHORT extra frames is what one more frame costs, whatever start-up costs.
source "$(dirname "$0")/lib.sh"

SHORT=20 LONG=120
MAX_PER_FRAME=8  # ~2% of a 720p frame's pages
ff() { timeout -k 2 120 ffmpeg -nostdin -v error -y "$@"; }

for n in $SHORT $LONG; do
  ff -f lavfi -i "testsrc2=s=1280x720:r=30" -f lavfi -i "sine=r=48000" -frames:v "$n" -ac 2 \
    -c:v rawvideo -pix_fmt yuv420p -c:a pcm_s16le -shortest -f nut "$WORK/in$n.nut" ||
    fail "ffmpeg makes a $n-frame NUT input"
done

# faults N STAGE ARGS...: runs "cat in.nut | STAGE ARGS | cat" (pipes on both sides, as in
# a chain) and prints the stage's minor faults; "-" for the input marks where it goes.
faults() {
  local n=$1; shift
  local args=() a
  for a in "$@"; do args+=("${a//@IN@/$WORK/in$n.nut}"); done
  cat "$WORK/in$n.nut" |
    timeout -k 2 120 /usr/bin/time -f '%R' -o "$WORK/faults" "${args[@]}" 2>"$WORK/stderr" |
    cat >"$WORK/out.nut"
  local status=${PIPESTATUS[1]}
  [ "$status" = 0 ] || { echo "exit $status: $(tail -3 "$WORK/stderr")" >&2; echo -1; return; }
  tail -1 "$WORK/faults"
}

# per_frame NAME STAGE ARGS...: checks the stage's extra faults a frame stay near 0 and
# that it really passed LONG frames on.
per_frame() {
  local name=$1; shift
  local short long frames
  short=$(faults $SHORT "$@")
  long=$(faults $LONG "$@")
  frames=$(count_frames "$WORK/out.nut")
  check "$name passes all $LONG frames on ($frames)" [ "${frames:-0}" = "$LONG" ]
  if [ "$short" -lt 0 ] || [ "$long" -lt 0 ]; then
    fail "$name runs"
    return
  fi
  local per=$(((long - short) / (LONG - SHORT)))
  echo "# $name: $short faults for $SHORT frames, $long for $LONG: $per a frame"
  check "$name takes <= $MAX_PER_FRAME page faults a frame in steady state ($per)" \
    [ "$per" -le "$MAX_PER_FRAME" ]
}

per_frame "surg-capture relay (file in)" surg-capture -q --input @IN@
per_frame "surg-capture relay (stdin)" surg-capture -q --input -
per_frame "surg-annotate with nothing to draw" surg-annotate -q
per_frame "surg-anonymize with nothing to do" surg-anonymize -q --no-faces --no-oob --no-live

# The check can fail: the same measure on a stage that maps fresh memory for each frame
# (ffmpeg re-muxing with glibc told to mmap every block above 64 KiB) is far above the bound.
# If this ever passes, the measure is broken.
remux=(env MALLOC_MMAP_THRESHOLD_=65536 ffmpeg -nostdin -v error -f nut -i - -c:v rawvideo -c:a copy -f nut -)
short=$(faults $SHORT "${remux[@]}")
long=$(faults $LONG "${remux[@]}")
per=$(((long - short) / (LONG - SHORT)))
echo "# control, ffmpeg mapping each frame afresh: $short faults for $SHORT frames, $long for $LONG"
check "the measure sees a stage that maps each frame afresh ($per a frame)" [ "$per" -gt $((10 * MAX_PER_FRAME)) ]

finish
