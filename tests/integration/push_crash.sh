#!/usr/bin/env bash
# Crash-safe recordings: a live chain surg-capture | surg-annotate | surg-push rec.mp4 rec.mkv
# is killed with SIGKILL at a random moment: each stage in turn, then the whole chain. Every
# recording must open, hold what was captured up to 2 s before the kill (a tee after
# surg-capture keeps the witness copy), keep the pattern's flash and beep within one frame,
# and keep the chapter mark made before the kill (in the file, or in REC.marks after a
# crash). A clean end turns the fragmented MP4 into a fast-start one.
source "$(dirname "$0")/lib.sh"

# in_sync FILE: at least 2 flashes, each with a beep within 2 frames (audio start offset
# taken from the file's own audio stream start time). Two frames, not one: a loaded machine
# makes the live source drop frames, and a dropped first flash frame moves the flash by one.
in_sync() {
  local a0; a0=$(probe -select_streams a:0 -show_entries stream=start_time -of csv=p=0 "$1" | head -1)
  # A crash may cut the audio a little before the video: flashes after the audio's end
  # have no beep to meet.
  local a_end; a_end=$(probe -select_streams a:0 -show_entries packet=pts_time,duration_time -of csv=p=0 "$1" |
    awk -F, '$1 + $2 > e {e = $1 + $2} END {print e}')
  flash_times "$1" | awk -v e="${a_end:-0}" '$1 < e - 0.05' >"$WORK/flash" && beep_times "$1" "${a0:-0}" >"$WORK/beep"
  awk 'NR == FNR {b[n++] = $1; next}
       {best = 1e9; for (i = 0; i < n; i++) {d = $1 - b[i]; d = d < 0 ? -d : d; if (d < best) best = d}
        if (best > w) w = best; m++}
       END {printf "%d flashes, worst offset %.3f s\n", m, w > "/dev/stderr"; exit w > 2 / 30 + 0.001 || m < 2}' \
    "$WORK/beep" "$WORK/flash"
}
fragmented() { head -c 65536 "$1" | grep -qa mvex; }
has_mark() { jq -e 'select(.label == "stone") | .seconds > 0' "$1" >/dev/null; }
# end_of FILE: the end time (s) of its last video frame, as its own timestamps say.
end_of() {
  probe -select_streams v:0 -show_entries packet=pts_time,duration_time -of csv=p=0 "$1" |
    awk -F, '$1 + $2 > e {e = $1 + $2} END {printf "%.3f", e}'
}

# wait_media SECONDS FILE: until FILE holds about SECONDS of the 320x240 surg stream
# (a frame and its audio: 115200 + 6400 bytes), at most 60 s.
wait_media() {
  local want; want=$(awk -v s="$1" 'BEGIN {printf "%d", s * 30 * 121600}')
  for _ in $(seq 600); do
    [ "$(stat -c %s "$2" 2>/dev/null || echo 0)" -ge "$want" ] && return
    sleep 0.1
  done
}
# run_chain NAME VICTIMS...: starts the chain, marks at ~2 s, kills VICTIMS (capture, tee,
# annotate, push) with SIGKILL at a random moment 4-9 s of media in, lets the rest finish.
run_chain() {
  local name=$1; shift
  local d=$WORK/$name
  mkdir -p "$d"
  mkfifo "$d/p1" "$d/p2" "$d/p3" "$d/ctl"
  surg-capture --test-pattern --realtime --size 320x240 >"$d/p1" 2>"$d/capture.err" &
  local capture=$!
  tee "$d/raw.nut" <"$d/p1" >"$d/p2" &
  local teep=$!
  surg-annotate --control "$d/ctl" <"$d/p2" >"$d/p3" 2>"$d/annotate.err" &
  local annotate=$!
  surg-push "$d/rec.mp4" "$d/rec.mkv" <"$d/p3" 2>"$d/push.err" &
  local push=$!
  for p in $capture $teep $annotate $push; do bg_track "$p"; done
  # Moments in media time, read from the witness copy (a loaded machine makes wall time
  # a poor clock for a live source): the mark after 2 s, the kill after 4-9 s.
  wait_media 2 "$d/raw.nut"
  printf '%s\n' '{"cmd":"mark","label":"stone"}' >"$d/ctl"
  local at=$((4 + RANDOM % 5)).$((RANDOM % 10))
  wait_media "$at" "$d/raw.nut"
  local pids=()
  for v in "$@"; do
    case $v in capture) pids+=($capture) ;; tee) pids+=($teep) ;; annotate) pids+=($annotate) ;; push) pids+=($push) ;; esac
  done
  kill -KILL "${pids[@]}"
  echo "# $name: killed $* at ~${at}s of media"
  # What is left of the chain drains and ends (bounded).
  local left
  for left in $capture $teep $annotate $push; do
    for _ in $(seq 100); do kill -0 "$left" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$left" 2>/dev/null
  done
  wait 2>/dev/null
}

check_recordings() {  # NAME CLEAN(yes|no)
  local name=$1 clean=$2 d=$WORK/$1 f frames raw raw_end end
  raw=$(count_frames "$d/raw.nut") raw_end=$(end_of "$d/raw.nut")
  for f in rec.mp4 rec.mkv; do
    frames=$(count_frames "$d/$f") end=$(end_of "$d/$f")
    check "$name: $f opens (ffprobe) and has frames ($frames)" test "${frames:-0}" -gt 0
    # Up to 2 s before the kill: 2 s of media, or 60 frames (30 fps) where a loaded machine
    # made the source drop frames, so that the frames still in the pipes span more media.
    check "$name: $f holds what was captured up to 2 s before the kill (to ${end} s of ${raw_end} s, $frames of $raw frames)" \
      awk -v e="${end:-0}" -v r="${raw_end:-0}" -v f="${frames:-0}" -v n="$raw" \
        'BEGIN {exit !((e >= r - 2 || f >= n - 60) && e <= r + 0.1 && e > 0)}'
    check "$name: $f has no frame that was not captured ($frames of $raw)" test "${frames:-0}" -le "$raw"
    check "$name: $f keeps flash and beep within 2 frames" in_sync "$d/$f"
  done
  if [ "$clean" = yes ]; then
    check "$name: finished cleanly, rec.mp4 is an ordinary fast-start MP4" bash -c "$(declare -f fragmented); ! fragmented '$d/rec.mp4'"
    check "$name: the chapter mark is in rec.mkv" \
      bash -c "timeout 30 ffprobe -v error -show_chapters -of csv=p=0 '$d/rec.mkv' </dev/null | grep -q stone"
    check "$name: the chapter mark is in rec.mp4" \
      bash -c "timeout 30 ffprobe -v error -show_chapters -of csv=p=0 '$d/rec.mp4' </dev/null | grep -q stone"
    check "$name: no marks sidecar is left" test ! -e "$d/rec.mkv.marks" -a ! -e "$d/rec.mp4.marks"
  else
    check "$name: rec.mp4 was written fragmented" fragmented "$d/rec.mp4"
    for f in rec.mp4 rec.mkv; do
      check "$name: the mark made before the crash survives in $f.marks" \
        has_mark "$d/$f.marks"
      check "$name: $f.marks is not readable by others" test "$(stat -c %a "$d/$f.marks")" = 600
    done
  fi
}

run_chain capture capture
check_recordings capture yes
run_chain annotate annotate
check_recordings annotate yes
run_chain push push
check_recordings push no
run_chain all capture tee annotate push
check_recordings all no
finish
