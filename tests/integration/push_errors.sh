#!/usr/bin/env bash
# surg-push on bad input and bad options: one clear line and the documented exit status,
# never a hang; a truncated or interrupted input still leaves a playable recording.
source "$(dirname "$0")/lib.sh"
push() { timeout -k 2 60 surg-push "$@"; }

timeout -k 2 60 ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=320x240:rate=30 -f lavfi -i sine=r=48000 \
  -t 2 -c:v rawvideo -pix_fmt yuv420p -c:a pcm_s16le -ar 48000 -f nut "$WORK/in.nut"

head -c 200000 /dev/urandom >"$WORK/garbage"
expect_status 4 "garbage on stdin: exit 4" push "$WORK/g.mp4" <"$WORK/garbage" 2>"$WORK/garbage.err"
check "garbage: says it is not a surg stream" grep -q "not a surg stream" "$WORK/garbage.err"

head -c $(($(stat -c %s "$WORK/in.nut") * 6 / 10)) "$WORK/in.nut" >"$WORK/truncated.nut"
expect_status 0 "truncated stream: finishes what it has" push -i "$WORK/truncated.nut" "$WORK/trunc.mp4" 2>"$WORK/trunc.err"
frames=$(count_frames "$WORK/trunc.mp4")
check "truncated stream: recording playable ($frames frames)" test "${frames:-0}" -ge 30 -a "${frames:-0}" -lt 60

expect_status 1 "missing input file: exit 1" push -i "$WORK/nope.nut" "$WORK/m.mp4" 2>"$WORK/missing.err"
check "missing input: names the file" grep -q "nope.nut" "$WORK/missing.err"

expect_status 1 "unwritable destination: exit 1" push -i "$WORK/in.nut" /nonexistent-dir/rec.mp4 2>"$WORK/unw.err"
check "unwritable destination: one clear line" grep -q "cannot write /nonexistent-dir/rec.mp4" "$WORK/unw.err"
expect_status 1 "unwritable destination is found before the input is read" \
  push /proc/rec.mkv <"$WORK/garbage" 2>"$WORK/unw2.err"

ln -s /dev/full "$WORK/full.ts"
# An existing name is refused before anything is written (a full disk under a recording is
# push_disk_full.sh's).
expect_status 2 "an existing recording is never overwritten" push -i "$WORK/in.nut" "$WORK/full.ts" 2>"$WORK/full.err"
check "existing recording: names the file and --overwrite" grep -q "full.ts exists.*--overwrite" "$WORK/full.err"

expect_status 2 "no destination: exit 2" push -i "$WORK/in.nut" 2>/dev/null
expect_status 2 "unknown file type: exit 2" push -i "$WORK/in.nut" "$WORK/x.avi" 2>/dev/null
expect_status 2 "unsupported protocol: exit 2" push -i "$WORK/in.nut" udp://127.0.0.1:9 2>/dev/null
expect_status 2 "unknown preset: exit 2" push --preset twitch-1080p60 -i "$WORK/in.nut" "$WORK/p.mp4" 2>"$WORK/preset.err"
check "unknown preset: lists the known ones" grep -q "facebook-720p30" "$WORK/preset.err"
expect_status 2 "preset violation (keyint 4 s): exit 2" \
  push --preset facebook-720p30 --keyint 4 -i "$WORK/in.nut" "$WORK/p.mp4" 2>"$WORK/viol.err"
check "preset violation: names the rule" grep -q "Facebook Live rule broken: keyframe interval must be 2 s" "$WORK/viol.err"
check "preset violation: one line" test "$(wc -l <"$WORK/viol.err")" = 1
expect_status 2 "preset violation (bitrate): exit 2" \
  push --preset youtube-1080p30 --video-bitrate 9M -i "$WORK/in.nut" "$WORK/p.mp4" 2>/dev/null
timeout -k 2 60 ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=320x240:rate=60 -t 1 -c:v rawvideo \
  -f nut "$WORK/in60.nut"
expect_status 2 "preset violation by the input (60 fps): exit 2" \
  push --preset facebook-720p30 -i "$WORK/in60.nut" "$WORK/p.mp4" 2>"$WORK/fps.err"
check "input violation: names the rule" grep -q "at most 30 fps" "$WORK/fps.err"

KEY=key-must-not-leak-31337
printf '%s\n' "$KEY" >"$WORK/key"
chmod 644 "$WORK/key"
expect_status 2 "key file with mode 0644: exit 2" \
  push --key-file "$WORK/key" -i "$WORK/in.nut" rtmp://127.0.0.1:9/live 2>"$WORK/key.err"
check "key file: names the file and the mode" grep -q "$WORK/key has mode 0644" "$WORK/key.err"
check "key file: the key is not printed" bash -c '! grep -q "$1" "$2"' _ "$KEY" "$WORK/key.err"
chmod 600 "$WORK/key"
expect_status 0 "key file with mode 0600 is accepted" \
  push --key-file "$WORK/key" --max-retries 0 -i "$WORK/in.nut" "$WORK/k.mkv" 2>/dev/null
expect_status 2 "missing --ca-file: exit 2" push --ca-file "$WORK/none.pem" -i "$WORK/in.nut" "$WORK/c.mp4" 2>/dev/null

# Ctrl-C on the whole pipeline (both processes get SIGINT): the source closes its output,
# surg-push drains its stdin to the end, finishes the mp4 and exits 0.
mkfifo "$WORK/pipe"
ffmpeg -nostdin -v error -re -f lavfi -i testsrc2=size=320x240:rate=30 -re -f lavfi -i sine=r=48000 \
  -t 30 -c:v rawvideo -pix_fmt yuv420p -c:a pcm_s16le -ar 48000 -y -f nut "$WORK/pipe" 2>/dev/null &
src_pid=$!
bg_track "$src_pid"
surg-push "$WORK/int.mp4" <"$WORK/pipe" 2>"$WORK/int.err" &
push_pid=$!
bg_track "$push_pid"
sleep 3
kill -INT "$src_pid" "$push_pid"
wait "$push_pid"
check "Ctrl-C: exit 0" test $? = 0
frames=$(count_frames "$WORK/int.mp4")
check "Ctrl-C: the mp4 is finished and playable ($frames frames)" test "${frames:-0}" -ge 30
finish
