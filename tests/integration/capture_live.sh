#!/usr/bin/env bash
# surg-capture as a live source: devices (none here: the errors), a terminal on stdout,
# SIGTERM/SIGINT leaving a valid stream, a consumer that closes the pipe, and a slow
# consumer that makes the source drop frames rather than block.
source "$(dirname "$0")/lib.sh"

# ffprobe 5.1 has no -nostdin: stdin comes from /dev/null instead.
ffp() { timeout -k 2 60 ffprobe -v error "$@" </dev/null; }
frames_of() { ffp -select_streams v:0 -count_frames -show_entries stream=nb_read_frames -of csv=p=0 "$1"; }
json_num() { grep -oE "\"$2\":[0-9.]+" "$1" | cut -d: -f2; }

# Devices.
expect_status 1 "a missing device is a runtime failure (exit 1)" \
  surg-capture --device /dev/video99 -o "$WORK/x.nut" 2>"$WORK/err"
check "its error is one line naming the device" \
  bash -c '[ "$(wc -l <"$1")" = 1 ] && grep -q "/dev/video99: No such file" "$1"' _ "$WORK/err"
check "nothing was written for a missing device" test ! -s "$WORK/x.nut"
touch "$WORK/video0"
expect_status 2 "a path that is not a device is a usage error (exit 2)" \
  surg-capture --device "$WORK/video0" -o "$WORK/x.nut" 2>"$WORK/err"
check "its error says it is not a video device" grep -q "is not a video device" "$WORK/err"
expect_status 1 "a character device that is not V4L2 is a runtime failure" \
  timeout -k 2 20 surg-capture --device /dev/null --audio none -o "$WORK/x.nut" 2>"$WORK/err"
expect_status 2 "--start with a device is a usage error" \
  surg-capture --device /dev/video99 --start 10 -o "$WORK/x.nut" 2>"$WORK/err"

# A terminal on stdout is refused, as gzip does.
expect_status 2 "stdout a terminal: exit 2" \
  script -qec "surg-capture --test-pattern --duration 1" "$WORK/typescript" >/dev/null
check "with a hint" grep -q "refusing to write media to a terminal" "$WORK/typescript"

# SIGTERM mid-stream: stop, write the trailer, exit 0, a valid file.
surg-capture --realtime --size 640x360 -o "$WORK/term.nut" 2>"$WORK/err" &
pid=$!
bg_track $pid
sleep 2
kill -TERM $pid
wait $pid
check "SIGTERM: exit 0 (got $?)" test $? = 0
n=$(frames_of "$WORK/term.nut")
check "SIGTERM leaves a NUT file ffprobe reads, ~1.5 s of frames ($n)" test "${n:-0}" -gt 15 -a "${n:-0}" -lt 70
check "SIGTERM is logged" grep -q "stopping on signal 15" "$WORK/err"

# SIGINT in a pipeline: ffmpeg downstream gets a clean end of stream and finishes its file.
mkfifo "$WORK/pipe"
timeout -k 2 30 ffmpeg -nostdin -v error -f nut -i "$WORK/pipe" -c:v ffv1 -c:a copy "$WORK/int.mkv" &
ffmpeg_pid=$!
bg_track $ffmpeg_pid
surg-capture --realtime --size 320x240 -o - >"$WORK/pipe" 2>"$WORK/err" &
pid=$!
bg_track $pid
sleep 1.5
kill -INT $pid
wait $pid
check "SIGINT: exit 0 (got $?)" test $? = 0
wait $ffmpeg_pid
check "SIGINT: ffmpeg downstream ended cleanly (got $?)" test $? = 0
n=$(frames_of "$WORK/int.mkv")
check "SIGINT: ffmpeg downstream finished a playable file ($n frames)" test "${n:-0}" -gt 10

# A consumer that closes the pipe (EPIPE): exit 0, quietly.
surg-capture --size 320x240 2>"$WORK/err" | head -c 1000000 >/dev/null
check "EPIPE: exit 0 (got ${PIPESTATUS[0]})" test "${PIPESTATUS[0]}" = 0
check "EPIPE: no error logged" bash -c '! grep -q "\[error\]" "$1"' _ "$WORK/err"

# A slow consumer: 2 s without reading. The live source drops at the source, keeps time,
# and reports the drops in --stats and --events.
start=$(date +%s.%N)
surg-capture --test-pattern --realtime --duration 4 --stats "$WORK/slow.json" --events "$WORK/slow.jsonl" \
  2>"$WORK/err" | (sleep 2; cat >/dev/null)
took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.2f", e - s}')
dropped=$(json_num "$WORK/slow.json" frames_dropped)
out=$(json_num "$WORK/slow.json" frames_out)
check "slow consumer: frames dropped at the source ($dropped)" test "${dropped:-0}" -gt 10
check "slow consumer: frames_in = 120 = frames_out + frames_dropped ($out + $dropped)" \
  test "$(json_num "$WORK/slow.json" frames_in)" = 120 -a "$((out + dropped))" = 120
check "slow consumer: the capture still took about 4 s, not 4 + 2 (${took}s)" \
  awk -v t="$took" 'BEGIN {exit !(t < 5.8)}'
check "slow consumer: one drop event a dropped frame" test "$(grep -c '"type":"drop"' "$WORK/slow.jsonl")" = "$dropped"
check "slow consumer: the drops are logged" grep -q "dropped $dropped of 120 frames" "$WORK/err"

# A consumer that keeps up: nothing dropped. One that pauses for 0.3 s mid-stream, less than
# the 0.5 s ring (an encoder starting, a disk flush): nothing dropped either. At 720p a frame
# (1.4 MB) does not fit the pipe, so the ring alone holds the 0.3 s (before the ring: 8 lost).
surg-capture --test-pattern --realtime --duration 3 --size 640x360 --stats "$WORK/fast.json" 2>"$WORK/err" | cat >/dev/null
check "a consumer that keeps up: no drops ($(json_num "$WORK/fast.json" frames_dropped))" \
  test "$(json_num "$WORK/fast.json" frames_dropped)" = 0
surg-capture --test-pattern --realtime --duration 2 --size 1280x720 --stats "$WORK/pause.json" 2>"$WORK/err" |
  (head -c 30000000 >/dev/null; sleep 0.3; cat >/dev/null)
check "a consumer that pauses 0.3 s: no drops ($(json_num "$WORK/pause.json" frames_dropped))" \
  test "$(json_num "$WORK/pause.json" frames_dropped)" = 0
check "... and every frame written ($(json_num "$WORK/pause.json" frames_out) of 60)" \
  test "$(json_num "$WORK/pause.json" frames_out)" = 60
check "--stats has the audio and duration too" \
  test "$(json_num "$WORK/fast.json" audio_samples)" = 144000 -a "$(json_num "$WORK/fast.json" duration_s)" = 3.0
finish
