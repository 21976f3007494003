#!/usr/bin/env bash
# surg-push --events, read as the operator's console reads them (surg-push(1), EVENTS): a
# push to nginx-rtmp with a recording beside it while the server is stopped and restarted,
# then frozen (SIGSTOP: a stall, not a refusal); a destination that gives up; progress once a
# second; every destination redacted, the key never written.
source "$(dirname "$0")/lib.sh"
TEST_CHAIN=surg.chain=capture@0.1.0:test-pattern
paced_stream() {
  timeout -k 2 $(($1 + 30)) ffmpeg -nostdin -v error -re -f lavfi -i testsrc2=size=320x240:rate=30 \
    -re -f lavfi -i sine=f=1000:r=48000 -ac 2 -t "$1" -c:v rawvideo -pix_fmt yuv420p \
    -c:a pcm_s16le -ar 48000 -metadata "$TEST_CHAIN" -fflags +bitexact -f nut -
}
ev() { jq -c "$1" "$EV"; }                           # a jq filter over the events
has() { [ -n "$(jq -c "select($1)" "$EV")" ]; }      # some event matches
# t_of FILTER: the time (wall seconds since the push started) of the first matching event,
# from the stamps added as the lines arrived.
t_of() { jq -r "select(.e | $1) | .t" "$WORK/stamped.jsonl" | head -1; }

KEY=sk-live-events-0123
export SURG_STREAM_KEY=$KEY
PORT=$(free_port)
start_nginx rtmp "$PORT" || fail "nginx did not start"
EV=$WORK/events.jsonl
mkfifo "$WORK/ev.fifo"
# Stamp each event with the time it arrived, so detection delays can be measured.
# No process a line: a slow reader would hold surg-push's writes back.
t0=$EPOCHREALTIME t0_us=${EPOCHREALTIME/./}
while IFS= read -r line; do
  printf '%s\n' "$line" >>"$EV"
  t=$((${EPOCHREALTIME/./} - t0_us))
  printf '{"t":%d.%06d,"e":%s}\n' $((t / 1000000)) $((t % 1000000)) "$line" >>"$WORK/stamped.jsonl"
done <"$WORK/ev.fifo" &
bg_track $!

paced_stream 40 | surg-push --test-stream "rtmp://127.0.0.1:$PORT/live" "$WORK/rec.mkv" --stall-timeout 8s --queue 2s \
  --events "$WORK/ev.fifo" --stats "$WORK/stats.json" 2>"$WORK/push.err" &
push=$!
bg_track $push
# Driven by the events, not the clock: a loaded machine may run the push slower than real time.
# wait_event FILTER SECONDS: until an output event matching FILTER arrived after the last call.
seen=0
wait_event() {
  local i n
  for ((i = 0; i < $2 * 5; i++)); do
    n=$(jq -c "select(.type == \"output\" and ($1))" "$EV" 2>/dev/null | wc -l)
    ((n > seen)) && { seen=$n; return 0; }
    sleep 0.2
  done
  return 1
}
elapsed() { echo "$EPOCHREALTIME - $t0" | bc; }
wait_event '.data.kind == "rtmp" and .data.state == "connected"' 20 || fail "never connected"
sleep 2
# The server dies, master and workers.
kill_nginx rtmp
seen=0
wait_event '.data.kind == "rtmp" and .data.state == "disconnected"' 15
start_nginx rtmp "$PORT" || fail "nginx did not restart"
seen=1
wait_event '.data.kind == "rtmp" and .data.state == "connected"' 20
sleep 2
pid=$(cat "$WORK/rtmp/started.pid")
kill -STOP "$pid" $(pgrep -P "$pid")
stopped_at=$(elapsed)
seen=0
wait_event '.data.kind == "rtmp" and .data.state == "stalled"' 20
kill -CONT "$pid" $(pgrep -P "$pid")
wait $push
check "push exits 0" test $? = 0
sleep 0.5

check "every line is a surg-push v1 event" \
  bash -c "[ \"\$(jq -c 'select(.v == 1 and .tool == \"surg-push\" and (.data | type) == \"object\")' '$EV' | wc -l)\" = \"\$(wc -l <'$EV')\" ]"
rtmp='.type == "output" and .data.kind == "rtmp"'
check "rtmp destination is redacted in every event" \
  bash -c "! jq -r '.. | .dest? // empty' '$EV' | grep -v '/live/\*\*\*\*\$' | grep -q rtmp"
check "the key is in no event" bash -c '! grep -q "$1" "$2"' _ "$KEY" "$EV"
check "rtmp: connecting then connected" has "$rtmp and .data.state == \"connected\""
check "rtmp: disconnected with a reason when the server stopped" \
  has "$rtmp and .data.state == \"disconnected\" and (.data.reason | length) > 0"
check "rtmp: reconnecting with attempt and delay_ms" \
  has "$rtmp and .data.state == \"reconnecting\" and .data.attempt >= 1 and .data.delay_ms >= 1000"
check "rtmp: connected again after the restart" \
  test "$(ev "select($rtmp and .data.state == \"connected\")" | wc -l)" -ge 2
stall=$(t_of ".type == \"output\" and .data.kind == \"rtmp\" and .data.state == \"stalled\"")
check "rtmp: the frozen server is reported stalled (at ${stall:-never}s, frozen at ${stopped_at}s)" \
  test -n "$stall"
[ -n "$stall" ] && check "stall detected within 15 s of the freeze ($(echo "$stall - $stopped_at" | bc) s)" \
  test "$(echo "$stall - $stopped_at <= 15" | bc)" = 1
check "stalled carries a reason" has "$rtmp and .data.state == \"stalled\" and (.data.reason | length) > 0"
check "the queue's drops during the stall are reported (dropped packets/gops)" \
  has '.type == "dropped" and .data.packets > 0 and .data.gops > 0 and (.data.dest | endswith("/live/****"))'
check "rtmp: finished at the end" has "$rtmp and .data.state == \"finished\""
check "recording: connected then finished, never an error" \
  bash -c "[ \"\$(jq -r 'select(.type == \"output\" and .data.kind == \"file\") | .data.state' '$EV' | tr '\n' ' ')\" = 'connected finished ' ]"
n=$(ev 'select(.type == "progress")' | wc -l)
media=$(jq -r 'select(.type == "progress") | .data.seconds' "$EV" | tail -1)
check "progress about once a second ($n records for ${media} s of media)" \
  awk -v n="$n" -v m="${media:-0}" 'BEGIN {exit !(n >= 5 && n <= m * 1.1 + 2)}'
# A progress record that lacks a field of the schema.
bad_progress='select(.type == "progress") | .data |
  select((has("frames") and has("seconds") and has("dropped") and (.outputs | length) == 2 and
    ([.outputs[] | has("dest") and has("kind") and has("state") and has("kbps") and has("bytes") and has("seconds")] | all)) | not)'
check "progress records carry the schema" test -z "$(jq -c "$bad_progress" "$EV")"
check "progress frames grow toward the 1200 read" test "$(ev 'select(.type == "progress") | .data.frames' | tail -1)" -ge 1100
check "progress shows the rtmp output's rate while connected" \
  has '.type == "progress" and ([.data.outputs[] | select(.kind == "rtmp" and .state == "connected" and .kbps > 100)] | length) > 0'

# A destination nobody listens on, two attempts allowed: gave-up with a reason, exit 1.
DEAD=$(free_port)
paced_stream 8 | surg-push --test-stream "rtmp://127.0.0.1:$DEAD/live" --max-retries 1 --events "$WORK/dead.jsonl" 2>"$WORK/dead.err"
check "gave up: exit 1" test "${PIPESTATUS[1]}" = 1
check "gave-up event with a reason" \
  jq -e -s 'map(select(.type == "output" and .data.state == "gave-up" and (.data.reason | length) > 0)) | length == 1' "$WORK/dead.jsonl"
check "states in order: connecting, reconnecting, connecting, gave-up" \
  test "$(jq -r 'select(.type == "output") | .data.state' "$WORK/dead.jsonl" | tr '\n' ' ')" = "connecting reconnecting connecting gave-up "
finish
