#!/usr/bin/env bash
# surg-push to the network: RTMP to a real nginx-rtmp read back while pushing, the server
# stopped and restarted mid-push (reconnect; the recording keeps every frame), SRT to an
# ffmpeg listener with a passphrase, a dead and a stalled destination never stalling the
# recording, --max-retries giving up (exit 1), the stream key never printed.
source "$(dirname "$0")/lib.sh"
# A synthetic lavfi source stands in for surg-capture --test-pattern: it forges what a surg
# tool writes (the chain, and no "encoder" tag: -fflags +bitexact), as surg-push --test-stream
# requires of streams that go out without --consent (an interlock, not a security boundary).
TEST_CHAIN=surg.chain=capture@0.1.0:test-pattern
# mpegts lists its streams under "program" too: keep the first answer only.
count_frames() { probe -select_streams v:0 -count_frames -show_entries stream=nb_read_frames -of csv=p=0 "$1" | head -1; }
json_true() { jq -e "$1" "$2" >/dev/null; }

# paced_stream SECONDS: a live-like surg stream (ffmpeg -re), 640x360 at 30 fps + tone.
paced_stream() {
  timeout -k 2 $(($1 + 30)) ffmpeg -nostdin -v error -re -f lavfi -i testsrc2=size=640x360:rate=30 \
    -re -f lavfi -i sine=f=1000:r=48000 -ac 2 -t "$1" -c:v rawvideo -pix_fmt yuv420p \
    -c:a pcm_s16le -ar 48000 -metadata "$TEST_CHAIN" -fflags +bitexact -f nut -
}
# read_back URL OUT: the streams a viewer gets from nginx (bounded: nginx readers never end
# alone). A viewer joining between keyframes may see only audio at first: up to 3 tries.
read_back() {
  local i
  for i in 1 2 3; do
    probe -rw_timeout 3000000 -analyzeduration 3000000 -show_entries stream=codec_name -of csv=p=0 "$1" |
      sort | tr '\n' ' ' >"$2"
    [ "$(cat "$2")" = "aac h264 " ] && return 0
  done
}

KEY=sk-live-9f8e7d6c5b4a
export SURG_STREAM_KEY=$KEY
RTMP_PORT=$(free_port)
start_nginx rtmp "$RTMP_PORT" || fail "nginx did not start"

# 1. Push 22 s; read back; stop nginx (at 7 s at the earliest) for 3 s; read back again.
paced_stream 22 | surg-push --test-stream -v "rtmp://127.0.0.1:$RTMP_PORT/live" --record "$WORK/rec.mkv" \
  --stats "$WORK/rtmp.json" 2>"$WORK/rtmp.err" &
push_pid=$!
t0=$SECONDS
at() { while ((SECONDS - t0 < $1)); do sleep 0.2; done; }
at 2
read_back "rtmp://127.0.0.1:$RTMP_PORT/live/$KEY" "$WORK/before.txt"
check "rtmp: a viewer gets H.264 + AAC while pushing" test "$(cat "$WORK/before.txt")" = "aac h264 "
at 7
stop_nginx rtmp
sleep 3
start_nginx rtmp "$RTMP_PORT" || fail "nginx did not restart"
sleep 5  # the push retries 1 s then 2 s after the loss: back within ~3 s of it
read_back "rtmp://127.0.0.1:$RTMP_PORT/live/$KEY" "$WORK/after.txt"
check "rtmp: after the server came back a viewer gets the stream again ($(cat "$WORK/after.txt"))" \
  test "$(cat "$WORK/after.txt")" = "aac h264 "
wait "$push_pid"
check "rtmp: push exits 0" test $? = 0
sed -n 's/^/# /p' "$WORK/rtmp.err" | grep -v ffmpeg
check "rtmp: stats count a reconnect" json_true '.outputs[] | select(.kind == "rtmp") | .reconnects >= 1' "$WORK/rtmp.json"
check "rtmp: the recording beside it has every frame (660)" test "$(count_frames "$WORK/rec.mkv")" = 660
check "rtmp: recording dropped nothing" json_true '.outputs[] | select(.kind == "file") | .dropped_packets == 0' "$WORK/rtmp.json"
check "rtmp: the log says it reconnected" grep -q "reconnected to rtmp://127.0.0.1:$RTMP_PORT/live/\*\*\*\*" "$WORK/rtmp.err"
check "rtmp: the key is never in stderr (-v)" bash -c '! grep -q "$1" "$2"' _ "$KEY" "$WORK/rtmp.err"
check "rtmp: the key is never in stats" bash -c '! grep -q "$1" "$2"' _ "$KEY" "$WORK/rtmp.json"
check "rtmp: stats show the URL redacted" json_true '.outputs[] | select(.kind == "rtmp") | .url | endswith("/live/****")' "$WORK/rtmp.json"
stop_nginx rtmp

# 2. SRT to an ffmpeg listener, passphrase from the environment.
SRT_PORT=$(free_port)
PASS=srt-pass-0123456789
timeout -k 2 30 ffmpeg -nostdin -v error -y \
  -i "srt://127.0.0.1:$SRT_PORT?mode=listener&latency=120000&passphrase=$PASS" -c copy "$WORK/srt.ts" &
listener=$!
bg_track "$listener"
sleep 1
paced_stream 4 | SURG_SRT_PASSPHRASE=$PASS surg-push --test-stream "srt://127.0.0.1:$SRT_PORT?latency=120000" \
  --stats "$WORK/srt.json" 2>"$WORK/srt.err"
check "srt: push exits 0" test $? = 0
wait "$listener"
frames=$(count_frames "$WORK/srt.ts")
check "srt: the listener received every frame ($frames of 120)" test "${frames:-0}" = 120
check "srt: and AAC" test "$(probe -select_streams a:0 -show_entries stream=codec_name -of csv=p=0 "$WORK/srt.ts" | head -1)" = aac
check "srt: passphrase redacted in stats" bash -c '! grep -q "$1" "$2" "$3"' _ "$PASS" "$WORK/srt.json" "$WORK/srt.err"

# 3. Nothing listening: the recording is neither stalled nor shortened.
DEAD=$(free_port)
start=$SECONDS
paced_stream 5 | surg-push --test-stream "rtmp://127.0.0.1:$DEAD/live" "$WORK/dead.mp4" --stats "$WORK/dead.json" 2>"$WORK/dead.err"
check "dead destination: exit 0 (retrying forever by default)" test $? = 0
check "dead destination: finished in time ($((SECONDS - start)) s for 5 s)" test $((SECONDS - start)) -le 9
check "dead destination: recording has all 150 frames" test "$(count_frames "$WORK/dead.mp4")" = 150
check "dead destination: attempts counted, state disconnected" \
  json_true '.outputs[0].failed_attempts >= 1 and .outputs[0].state == "disconnected"' "$WORK/dead.json"

# 4. --max-retries 1: the output gives up, the recording goes on, exit 1.
paced_stream 5 | surg-push --test-stream --max-retries 1 "rtmp://127.0.0.1:$DEAD/live" "$WORK/giveup.mkv" \
  --stats "$WORK/giveup.json" 2>"$WORK/giveup.err"
check "max-retries: exit 1 when a network output gave up" test $? = 1
check "max-retries: state gave_up" json_true '.outputs[0].state == "gave_up"' "$WORK/giveup.json"
check "max-retries: recording complete anyway" test "$(count_frames "$WORK/giveup.mkv")" = 150
check "max-retries: says so" grep -q "giving up" "$WORK/giveup.err"

# 5. A peer that accepts and then never answers: detected by --stall-timeout.
STALL=$(free_port)
python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8)
conns = []
end = time.time() + 30
while time.time() < end:
    s.settimeout(1)
    try: conns.append(s.accept()[0])
    except socket.timeout: pass
' "$STALL" &
bg_track $!
wait_port "$STALL" 5
start=$SECONDS
paced_stream 6 | surg-push --test-stream --stall-timeout 2s "rtmp://127.0.0.1:$STALL/live" "$WORK/stall.mkv" \
  --stats "$WORK/stall.json" 2>"$WORK/stall.err"
check "stalled peer: exit 0" test $? = 0
check "stalled peer: finished in time ($((SECONDS - start)) s for 6 s)" test $((SECONDS - start)) -le 11
check "stalled peer: recording has all 180 frames" test "$(count_frames "$WORK/stall.mkv")" = 180
check "stalled peer: the stall was detected" json_true '.outputs[0].failed_attempts >= 1' "$WORK/stall.json"
finish
