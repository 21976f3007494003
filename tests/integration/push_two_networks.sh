#!/usr/bin/env bash
# One dead network output never stalls another (DESIGN: "each reconnecting on its own"): one
# surg-push to two nginx-rtmp servers on loopback and a recording; after 3 s one server is
# frozen with SIGSTOP (its socket stays open, nobody reads: the worst case, a hung peer).
# A viewer of the other server keeps receiving frames at the live rate, and the recording keeps
# every frame.
source "$(dirname "$0")/lib.sh"
TEST_CHAIN=surg.chain=capture@0.1.0:test-pattern
json_true() { jq -e "$1" "$2" >/dev/null; }
count_frames() { probe -select_streams v:0 -count_frames -show_entries stream=nb_read_frames -of csv=p=0 "$1" | head -1; }

# Each destination gets its own key, by label (surg-push(1), SECRETS).
printf two-key >"$WORK/key" && chmod 600 "$WORK/key"
A=$(free_port)
start_nginx a "$A" || fail "nginx a did not start"
B=$(free_port)
while [ "$B" = "$A" ]; do B=$(free_port); done
start_nginx b "$B" || fail "nginx b did not start"

seconds=16
timeout -k 2 60 ffmpeg -nostdin -v error -re -f lavfi -i testsrc2=size=640x360:rate=30 \
  -re -f lavfi -i sine=f=1000:r=48000 -ac 2 -t "$seconds" -c:v rawvideo -pix_fmt yuv420p \
  -c:a pcm_s16le -metadata "$TEST_CHAIN" -fflags +bitexact -f nut - |
  surg-push --test-stream --stall-timeout 2s "a=rtmp://127.0.0.1:$A/live" "b=rtmp://127.0.0.1:$B/live" \
    --key-file "a=$WORK/key" --key-file "b=$WORK/key" "$WORK/rec.mkv" \
    --stats "$WORK/stats.json" 2>"$WORK/push.err" &
push=$!
bg_track "$push"
t0=$SECONDS
sleep 3
pid_a=$(cat "$WORK/a/started.pid")
kill -STOP "$pid_a" $(pgrep -P "$pid_a")  # the worker too: it serves the connections
stopped_at=$SECONDS
# The viewer of B joins after A froze and reads 8 s of stream (bounded, as nginx readers are).
timeout -k 2 20 ffmpeg -nostdin -v error -rw_timeout 3000000 -analyzeduration 1000000 \
  -i "rtmp://127.0.0.1:$B/live/two-key" -t 8 -map 0:v -c copy -f flv "$WORK/b.flv" &
viewer=$!
bg_track "$viewer"
wait "$viewer"
frames_b=$(count_frames "$WORK/b.flv")
check "B's viewer got ~8 s at 30 fps while A was frozen (${frames_b:-0} frames, want >= 200)" \
  test "${frames_b:-0}" -ge 200
wait "$push"
status=$?
took=$((SECONDS - t0))
kill -CONT "$pid_a" $(pgrep -P "$pid_a")
# With the whole server frozen (its worker too) the stall is seen within --stall-timeout and
# the end of input does not wait on A: the push ends within a few seconds of its input. (The
# ~25 s wait noted here before came from freezing nginx's master alone, which left the
# worker serving A.)
echo "# push took $took s for a ${seconds} s stream (A frozen since $((stopped_at - t0)) s)"
check "the push ends within 5 s of its input ($took s for $seconds s)" test "$took" -le $((seconds + 5))
check "the push saw A stall" grep -q ":$A/live/.*stalled" "$WORK/push.err"
check "push exits 0 (retrying A forever by default; got $status)" test "$status" = 0
check "the recording has every frame ($(count_frames "$WORK/rec.mkv") of $((seconds * 30)))" \
  test "$(count_frames "$WORK/rec.mkv")" = $((seconds * 30))
check "stats: B never needed a reconnect" \
  json_true "[.outputs[] | select(.url | contains(\":$B/\")) | .reconnects] | add == 0" "$WORK/stats.json"
sed -n 's/^/# /p' "$WORK/push.err" | head -10
finish
