#!/usr/bin/env bash
# Beyond one machine, many viewers (doc/scale.md): surg-push publishes once to an nginx-rtmp
# origin (examples/scale/origin.conf.in) that relays to two edges (edge.conf.in) and serves
# HLS over HTTP. A viewer of each edge and an HLS viewer of the origin receive H.264 + AAC;
# killing one edge disturbs neither the origin, its publisher, nor the other edge.
source "$(dirname "$0")/lib.sh"
SCALE=$SRC/examples/scale
export SURG_STREAM_KEY=room1

# server NAME TEMPLATE KEY=VALUE...: fills the template's placeholders and starts nginx.
server() {
  local name=$1 template=$2 p=$WORK/$1 sed_args=() kv
  shift 2
  mkdir -p "$p/tmp"
  for kv in PREFIX="$p" "$@"; do sed_args+=(-e "s|@${kv%%=*}@|${kv#*=}|g"); done
  sed "${sed_args[@]}" "$template" >"$p/nginx.conf"
  check "$name: every placeholder filled" bash -c "! grep -q '@[A-Z0-9_]*@' '$p/nginx.conf'"
  nginx -p "$p" -c "$p/nginx.conf" 2>>"$p/error.log" &
  echo $! >"$p/started.pid"
  bg_track $!
}
alive() { kill -0 "$(cat "$WORK/$1/started.pid")" 2>/dev/null; }
# viewer URL OUT: the codecs a viewer gets (bounded: nginx readers never end alone).
viewer() {
  local i timeout_opt=(-rw_timeout 3000000)
  [[ $1 == http* ]] && timeout_opt=()  # HLS ends by itself: a playlist is a file
  for i in 1 2 3; do
    probe "${timeout_opt[@]}" -analyzeduration 3000000 -show_entries stream=codec_name -of csv=p=0 "$1" |
      grep . | sort -u | tr '\n' ' ' >"$2"  # HLS lists its streams once per program too
    [ "$(cat "$2")" = "aac h264 " ] && return 0
  done
  echo "# $1: streams '$(cat "$2")'"
  return 1
}

E1=$(free_port) E2=$(free_port) O=$(free_port) H=$(free_port)
server edge1 "$SCALE/edge.conf.in" RTMP_PORT="$E1" ORIGIN=127.0.0.1
server edge2 "$SCALE/edge.conf.in" RTMP_PORT="$E2" ORIGIN=127.0.0.1
mkdir -p "$WORK/hls"
# nginx started as root writes HLS as its worker user (nobody): let it.
chmod 755 "$WORK" && chmod 777 "$WORK/hls"
server origin "$SCALE/origin.conf.in" RTMP_PORT="$O" HTTP_PORT="$H" HLS_DIR="$WORK/hls" \
  EDGE1="127.0.0.1:$E1" EDGE2="127.0.0.1:$E2"
for port in $E1 $E2 $O $H; do wait_port "$port" 10 || fail "port $port did not open"; done

surg-capture --test-pattern --realtime --size 640x360 --duration 30 2>/dev/null |
  surg-push --test-stream "rtmp://127.0.0.1:$O/live" --events "$WORK/push.jsonl" 2>"$WORK/push.err" &
push=$!
bg_track $push
sleep 6

check "a viewer of edge 1 receives the stream" viewer "rtmp://127.0.0.1:$E1/live/room1" "$WORK/v1"
check "a viewer of edge 2 receives the stream" viewer "rtmp://127.0.0.1:$E2/live/room1" "$WORK/v2"
check "an HLS viewer of the origin receives the stream" viewer "http://127.0.0.1:$H/hls/room1.m3u8" "$WORK/vh"

# Lose edge 1 for good: its master and its worker.
kill_nginx edge1
sleep 4
check "edge 1 is gone" bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$E1) 2>/dev/null"
check "the origin is still up" alive origin
check "edge 2 still serves its viewer" viewer "rtmp://127.0.0.1:$E2/live/room1" "$WORK/v2b"
check "the origin still serves HLS" viewer "http://127.0.0.1:$H/hls/room1.m3u8" "$WORK/vhb"
# The HLS playlist keeps moving (fragments keep coming after the edge's loss).
seq_of() { timeout 5 curl -s "http://127.0.0.1:$H/hls/room1.m3u8" | sed -n 's/#EXT-X-MEDIA-SEQUENCE://p'; }
s1=$(seq_of); sleep 5; s2=$(seq_of)
check "the origin's HLS playlist still advances ($s1 -> $s2)" test "${s2:-0}" -gt "${s1:-0}"
wait $push
status=$?
check "the publisher finished normally (exit $status)" test $status = 0
check "the publisher was never disconnected" \
  bash -c "! jq -e 'select(.type == \"output\" and (.data.state == \"disconnected\" or .data.state == \"reconnecting\"))' '$WORK/push.jsonl' >/dev/null"
finish
