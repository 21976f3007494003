#!/usr/bin/env bash
# A full disk under a recording: the network output goes on, the recording's failure is
# reported at once (log, an "error" event, stats) and surg-push exits 1. The disk is a 1 MiB
# tmpfs where the machine allows mounting one, else /dev/full behind a recording's name.
source "$(dirname "$0")/lib.sh"
TEST_CHAIN=surg.chain=capture@0.1.0:test-pattern
export SURG_STREAM_KEY=disk-full-key

small=$WORK/small
mkdir -p "$small"
if mount -t tmpfs -o size=1m,mode=0700 tmpfs "$small" 2>/dev/null; then
  trap 'umount "$small" 2>/dev/null; _cleanup' EXIT
  rec=$small/rec.mkv
  echo "# a 1 MiB tmpfs"
else
  ln -s /dev/full "$small/rec.mkv"
  rec=$small/rec.mkv
  echo "# no mount here: /dev/full"
fi

PORT=$(free_port)
start_nginx rtmp "$PORT" || fail "nginx did not start"
mkfifo "$WORK/ev"
# Each event stamped with the time it arrived (no process a line: surg-push must not wait).
t0_us=${EPOCHREALTIME/./}
while IFS= read -r line; do
  t=$((${EPOCHREALTIME/./} - t0_us))
  printf '%d.%06d %s\n' $((t / 1000000)) $((t % 1000000)) "$line" >>"$WORK/stamped"
done <"$WORK/ev" &
bg_track $!
timeout -k 2 60 ffmpeg -nostdin -v error -re -f lavfi -i testsrc2=size=320x240:rate=30 \
  -re -f lavfi -i sine=f=1000:r=48000 -ac 2 -t 20 -c:v rawvideo -pix_fmt yuv420p \
  -c:a pcm_s16le -ar 48000 -metadata "$TEST_CHAIN" -fflags +bitexact -f nut - |
  surg-push --test-stream "rtmp://127.0.0.1:$PORT/live" "$rec" --video-bitrate 4M --events "$WORK/ev" \
    --stats "$WORK/stats.json" 2>"$WORK/push.err"
check "surg-push exits 1 (a recording failed)" test "${PIPESTATUS[1]}" = 1
sleep 0.5
sed -n 's/^/# /p' "$WORK/push.err" | head -5
events() { cut -d' ' -f2- "$WORK/stamped"; }
err_t=$(awk '{t = $1; $1 = ""; print t, $0}' "$WORK/stamped" | grep '"kind":"file"' | grep '"state":"error"' | head -1 | cut -d' ' -f1)
check "an error event for the recording (at ${err_t:-never} s)" test -n "$err_t"
check "... with the reason (no space)" bash -c "$(declare -f events); events | jq -e 'select(.type == \"output\" and .data.state == \"error\") | .data.reason | test(\"space\"; \"i\")' >/dev/null" _ 
# At once: before the end of the 16 s input, well before.
check "... reported at once, while the input still runs (at ${err_t:-never} s < 14 s)" \
  test "$(echo "${err_t:-99} < 14" | bc)" = 1
check "the log says the recording failed and the rest goes on" grep -q "the other outputs go on" "$WORK/push.err"
check "stats: the recording failed, with the error" \
  jq -e '.outputs[] | select(.kind == "file") | .state == "failed" and (.error | test("space"; "i"))' "$WORK/stats.json"
check "stats: the rtmp output finished" jq -e '.outputs[] | select(.kind == "rtmp") | .state == "finished"' "$WORK/stats.json"
# The network output went on after the failure: progress after the error shows it sending.
late=$(awk -v e="${err_t:-99}" '$1 > e + 3' "$WORK/stamped" | cut -d' ' -f2- |
  jq -c 'select(.type == "progress") | .data.outputs[] | select(.kind == "rtmp" and .state == "connected" and .kbps > 100)' | wc -l)
check "the rtmp output kept sending after the recording failed ($late progress records)" test "$late" -ge 3
check "progress shows the recording in error" \
  bash -c "$(declare -f events); events | jq -e 'select(.type == \"progress\") | .data.outputs[] | select(.kind == \"file\" and .state == \"error\")' >/dev/null"
finish
