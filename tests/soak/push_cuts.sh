#!/usr/bin/env bash
# Soak: a live 720p30 chain (surg-capture --realtime | surg-push) pushes for MINUTES to
# nginx-rtmp and to an SRT listener (srt-live-transmit) on loopback, with a recording beside
# them, while the servers are cut ten times (5-60 s, scaled to MINUTES), frozen once with
# SIGSTOP (a stall, not a refusal) and moved once to another port (the push must keep
# reporting failed attempts, not hang). Checks: the recording has every captured frame;
# each stall is reported within 15 s; the push is back within 5 s of the server's return;
# the RSS of each stage grows at most 10% from minute 2 to the end; file descriptors do not
# grow. Usage: push_cuts.sh MINUTES (30 for a run that a release relies on; under 10, the short
# schedule meant for CI: two cuts, a 20 s freeze and the move). SOAK_KEEP=DIR keeps the events
# and samples there.
source "$(dirname "$0")/../integration/lib.sh"
MINUTES=${1:-3}
TOTAL=$((MINUTES * 60))
((MINUTES >= 3)) || { echo "usage: $0 MINUTES (at least 3)" >&2; exit 2; }

KEY=soak-key-0123456789
export SURG_STREAM_KEY=$KEY
RTMP_PORT=$(free_port)
SRT_PORT=$(free_port)
now() { echo "$EPOCHREALTIME - $T0" | bc; }
log() { echo "# [$(printf '%6.1f' "$(now)")] $*"; }

# --- servers -------------------------------------------------------------------------------
start_srt() {  # srt-live-transmit keeps listening after a caller leaves
  srt-live-transmit -q -a:yes "srt://127.0.0.1:$SRT_PORT?mode=listener&latency=200" file://con \
    >/dev/null 2>>"$WORK/srt.err" &
  SRT_PID=$!
  bg_track $SRT_PID
}
stop_srt() { kill -TERM "$SRT_PID" 2>/dev/null; wait "$SRT_PID" 2>/dev/null; }
up() {  # up PORT: both servers, the RTMP one on PORT
  start_nginx rtmp "$1" || log "nginx did not start on $1"
  start_srt
  echo "$(now) up" >>"$WORK/server.log"
}
# kill_rtmp PORT: the server dies (kill_nginx: master and workers). Whatever still listens on
# PORT is killed by its pid too: before kill_nginx stopped the master first, a new worker
# outlived it, the push "reconnected" to it during a cut and stayed, and every later server
# failed to bind while the port looked open.
kill_rtmp() {
  local holder
  kill_nginx rtmp
  sleep 0.1
  for holder in $(ss -Htlnp "sport = :$1" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do
    log "a process ($holder) still held port $1 after nginx was killed: killed"
    kill -KILL "$holder" 2>/dev/null
  done
}
down() { kill_rtmp "$RTMP_PORT"; stop_srt; echo "$(now) down" >>"$WORK/server.log"; }

# --- the chain -----------------------------------------------------------------------------
T0=${EPOCHREALTIME}
up "$RTMP_PORT"
mkfifo "$WORK/pipe" "$WORK/events"
# Each event is stamped with the time it arrived: "t kind state" for output events. No
# process a line (bash's clock and regex): a slow reader would hold surg-push's writes back.
T0_US=${EPOCHREALTIME/./}
while IFS= read -r line; do
  printf '%s\n' "$line" >>"$WORK/events.jsonl"
  t=$((${EPOCHREALTIME/./} - T0_US))
  [[ $line == *'"type":"output"'* ]] || continue
  [[ $line =~ \"kind\":\"([a-z]+)\" ]] && kind=${BASH_REMATCH[1]}
  [[ $line =~ \"state\":\"([a-z-]+)\" ]] && st=${BASH_REMATCH[1]}
  printf '%d.%06d %s %s\n' $((t / 1000000)) $((t % 1000000)) "$kind" "$st" >>"$WORK/ev_times"
done <"$WORK/events" &
bg_track $!
surg-capture --test-pattern --realtime --size 1280x720 --duration "${TOTAL}s" --stats "$WORK/capture.json" \
  >"$WORK/pipe" 2>"$WORK/capture.err" &
CAPTURE=$!
surg-push --test-stream "rtmp://127.0.0.1:$RTMP_PORT/live" "srt://127.0.0.1:$SRT_PORT?latency=200000" "$WORK/rec.mkv" \
  --stall-timeout 10s --events "$WORK/events" --stats "$WORK/push.json" <"$WORK/pipe" 2>"$WORK/push.err" &
PUSH=$!
bg_track $CAPTURE
bg_track $PUSH

# Samples of RSS (kB) and open descriptors of each stage, every 5 s: "t stage rss fds".
sample() {
  local pid name
  while kill -0 $PUSH 2>/dev/null; do
    for name in capture push; do
      pid=$CAPTURE; [ $name = push ] && pid=$PUSH
      [ -r /proc/$pid/status ] || continue
      echo "$(now) $name $(awk '/^VmRSS/ {print $2}' /proc/$pid/status) $(ls /proc/$pid/fd 2>/dev/null | wc -l)"
    done >>"$WORK/samples"
    sleep 5
  done
}
sample &
bg_track $!

# --- the schedule: after a first minute, ten cuts, a freeze and a port move -----------------
# Each event gets a slot of the time left before the last half minute; cuts last 5-60 s,
# scaled to the slot. The freeze must outlast --stall-timeout (10 s) and the time the socket
# buffers take to fill, or no stall can be seen.
if ((MINUTES >= 10)); then
  EVENT_ORDER="cut cut cut cut cut freeze cut cut cut move cut cut" FREEZE=40
else
  EVENT_ORDER="cut freeze cut move" FREEZE=20
fi
SLOT=$(((TOTAL - 60 - 30) / $(wc -w <<<"$EVENT_ORDER")))
wait_until() { while (($(echo "$(now) < $1" | bc))); do sleep 0.2; done; }
slot_start() { echo $((60 + $1 * SLOT)); }
# Short runs (3 minutes) have 22 s slots: cuts of 5-14 s.
cut_len() {
  local max=$((SLOT * 2 / 3 > 60 ? 60 : SLOT * 2 / 3))
  ((max < 6)) && max=6
  echo $((5 + RANDOM % (max - 4)))
}
i=0
for what in $EVENT_ORDER; do
  wait_until "$(slot_start $i)"
  case $what in
    cut)
      len=$(cut_len)
      log "cut for ${len}s"
      down
      sleep "$len"
      up "$RTMP_PORT"
      echo "$(now) cut $len" >>"$WORK/schedule"
      ;;
    freeze)
      log "freeze (SIGSTOP) for ${FREEZE}s"
      pid=$(cat "$WORK/rtmp/started.pid")
      kill -STOP "$pid" $(pgrep -P "$pid") "$SRT_PID"
      echo "$(now) freeze $FREEZE" >>"$WORK/schedule"
      sleep "$FREEZE"
      kill -CONT "$pid" $(pgrep -P "$pid") "$SRT_PID"
      echo "$(now) thaw" >>"$WORK/server.log"
      ;;
    move)
      other=$(free_port)
      len=$(cut_len)
      ((len >= 10)) || len=10  # long enough for two failed attempts
      log "server moved to port $other for ${len}s"
      down
      start_nginx rtmp "$other"
      sleep "$len"
      kill_rtmp "$other"
      up "$RTMP_PORT"
      echo "$(now) move $len" >>"$WORK/schedule"
      ;;
  esac
  i=$((i + 1))
done
log "waiting for the end of the chain"
wait $CAPTURE
wait $PUSH
push_status=$?
log "surg-push exited $push_status"

# --- checks --------------------------------------------------------------------------------
check "surg-push exits 0" test "$push_status" = 0
captured=$(jq .frames_out "$WORK/capture.json")
pushed=$(jq .frames_in "$WORK/push.json")
recorded=$(count_packets "$WORK/rec.mkv")
check "surg-push read every captured frame ($pushed of $captured)" test "$pushed" = "$captured"
check "the recording has every captured frame ($recorded of $captured)" test "$recorded" = "$captured"
check "the capture dropped nothing at the source" test "$(jq .frames_dropped "$WORK/capture.json")" = 0

sleep 1  # the event reader catches up
ev_at() {  # ev_at KIND STATE AFTER: time of the first event after AFTER
  awk -v k="$1" -v s="$2" -v a="$3" '$2 == k && $3 == s && $1 > a {print $1; exit}' "$WORK/ev_times"
}
# Cuts and the move: back within 5 s of the server's return, for each of rtmp and srt. The
# return is logged once the server listens, and a retry can land just before that: the first
# connection after the cut began counts.
while read -r t what len; do
  [ "$what" = freeze ] && continue
  back=$(echo "$t" | bc)
  for kind in rtmp srt; do
    c=$(ev_at "$kind" connected "$(echo "$back - $len" | bc)")
    check "$what at $(printf %.0f "$(echo "$back - $len" | bc)")s for ${len}s: $kind back within 5 s (after $(
      [ -n "$c" ] && printf %.1f "$(echo "$c - $back" | bc)" || echo never) s)" \
      test -n "$c" -a "$(echo "${c:-1000000000} - $back <= 5" | bc)" = 1
  done
  if [ "$what" = move ]; then
    n=$(awk -v a="$(echo "$back - $len" | bc)" -v b="$back" '$2 == "rtmp" && $3 == "reconnecting" && $1 > a && $1 < b' "$WORK/ev_times" | wc -l)
    check "server on another port: the push kept reporting failed attempts ($n), no hang" test "$n" -ge 2
  fi
done <"$WORK/schedule"
# The freeze: rtmp reported stalled within 15 s.
read -r ft _ flen < <(grep freeze "$WORK/schedule")
s=$(ev_at rtmp stalled "$ft")
check "freeze: rtmp stall reported within 15 s (after $([ -n "$s" ] && printf %.1f "$(echo "$s - $ft" | bc)" || echo never) s)" \
  test -n "$s" -a "$(echo "${s:-1000000000} - $ft <= 15" | bc)" = 1
s=$(ev_at srt disconnected "$ft")
check "freeze: srt loss reported within 15 s (after $([ -n "$s" ] && printf %.1f "$(echo "$s - $ft" | bc)" || echo never) s)" \
  test -n "$s" -a "$(echo "${s:-1000000000} - $ft <= 15" | bc)" = 1

# Memory and descriptors: minute 2 against the end.
for name in capture push; do
  at2=$(awk -v n=$name '$2 == n && $1 >= 120 {print $3; exit}' "$WORK/samples")
  end=$(awk -v n=$name '$2 == n {v = $3} END {print v}' "$WORK/samples")
  check "$name: RSS grows at most 10% from minute 2 to the end (${at2} kB -> ${end} kB)" \
    test "$((end * 10))" -le "$((at2 * 11))"
  f2=$(awk -v n=$name '$2 == n && $1 >= 60 && $1 < 120 && $4 > m {m = $4} END {print m}' "$WORK/samples")
  fend=$(awk -v n=$name -v e=$((TOTAL - 60)) '$2 == n && $1 >= e && $4 > m {m = $4} END {print m}' "$WORK/samples")
  check "$name: file descriptors do not grow (most in minute 2: $f2, in the last minute: $fend)" test "$fend" -le "$f2"
done
check "the key is in no event, log or statistics" \
  bash -c '! grep -q "$1" "$2"/events.jsonl "$2"/push.err "$2"/push.json' _ "$KEY" "$WORK"
if [ -n "${SOAK_KEEP:-}" ]; then mkdir -p "$SOAK_KEEP" && cp "$WORK"/{events.jsonl,ev_times,samples,schedule,server.log,push.json,capture.json,push.err} "$SOAK_KEEP"/; fi
finish
