#!/usr/bin/env bash
# --backup LABEL=URL: the same encoded packets to a platform's primary and backup ingest,
# each with its own key, each reconnecting on its own. Two nginx-rtmp servers on loopback;
# each is cut in turn (SIGSTOP, then killed) while a reader on the other checks that it
# keeps receiving. The backup URL has YouTube's form (APP?backup=1): the key must follow the
# query for the server to publish it under its own name (doc/platform.md).
source "$(dirname "$0")/lib.sh"

secret() { printf '%s\n' "$2" >"$WORK/$1"; chmod 600 "$WORK/$1"; }
secret main.key main-key-1a2b3c
secret backup.key backup-key-4d5e6f
P1=$(free_port)
P2=$(free_port)
start_nginx primary "$P1" || fail "primary nginx did not start"
start_nginx backup "$P2" || fail "backup nginx did not start"
# nginx_pids NAME: its master and worker processes. Freezing the master alone would leave
# the worker serving: the whole server is frozen.
nginx_pids() {
  local master
  master=$(cat "$WORK/$1/started.pid")
  echo "$master" $(ps -o pid= --ppid "$master")
}

# receives URL OUT: passes when a viewer of URL gets 30 video frames (1 s) in a row. The
# server sends a new viewer video from the next keyframe only (audio at once), so the probe
# waits longer than a keyframe interval (2 s) before deciding which streams there are.
receives() {
  timeout -k 2 15 ffmpeg -nostdin -v error -rw_timeout 3000000 -analyzeduration 3000000 -i "$1" \
    -map 0:v -frames:v 30 -c copy -f flv -y "$2" 2>"$2.err"
  local frames=0
  [ -s "$2" ] && frames=$(count_frames "$2")
  echo "# $(basename "$2"): ${frames:-0} frames $(tail -1 "$2.err")"
  test "${frames:-0}" -ge 30
}
primary=rtmp://127.0.0.1:$P1/live/main-key-1a2b3c
backup=rtmp://127.0.0.1:$P2/live/backup-key-4d5e6f

surg-capture --test-pattern --realtime --duration 60 --size 320x240 |
  surg-push --test-stream --stall-timeout 3s --stats "$WORK/stats.json" \
    yt=rtmp://127.0.0.1:$P1/live --key-file "yt=$WORK/main.key" \
    --backup "yt=rtmp://127.0.0.1:$P2/live?backup=1" --key-file "yt.backup=$WORK/backup.key" \
    --record "$WORK/rec.mkv" 2>"$WORK/push.err" &
push=$!
bg_track "$push"
t0=$SECONDS
at() { while ((SECONDS - t0 < $1)); do sleep 0.2; done; }

# A viewer's check takes up to 6 s (connect, a keyframe, 1 s of media): the timeline leaves
# room for each, and a server that comes back has 6 s to be reconnected to.
at 3
check "both ingests receive: primary" receives "$primary" "$WORK/p1.flv"
check "both ingests receive: backup" receives "$backup" "$WORK/b1.flv"
# The primary's server freezes (SIGSTOP): its connection stalls; the backup must not notice.
at 15
# shellcheck disable=SC2046
kill -STOP $(nginx_pids primary)
check "primary frozen: the backup keeps receiving" receives "$backup" "$WORK/b2.flv"
at 21
check "primary frozen 6 s+: the backup still receives" receives "$backup" "$WORK/b3.flv"
at 27
# shellcheck disable=SC2046
kill -CONT $(nginx_pids primary)
# The backup's server dies; the primary, back, must carry on alone.
stop_nginx backup
at 33
check "backup killed: the primary receives (reconnected after its freeze)" receives "$primary" "$WORK/p2.flv"
at 39
start_nginx backup "$P2" || fail "backup nginx did not restart"
at 45
check "backup restarted: it receives again" receives "$backup" "$WORK/b4.flv"
check "and the primary was not disturbed" receives "$primary" "$WORK/p3.flv"
wait "$push"
check "push exits 0" test $? = 0
check "the recording beside them has every frame (1800)" test "$(count_frames "$WORK/rec.mkv")" = 1800
check "the push saw the frozen primary stall" grep -q "127.0.0.1:$P1/live/.*stalled" "$WORK/push.err"
check "stats: two rtmp outputs, each reconnected at least once" \
  jq -e '[.outputs[] | select(.kind == "rtmp") | .reconnects >= 1] == [true, true]' "$WORK/stats.json"
check "stats name the backup" jq -e '[.outputs[] | select(.backup == true)] | length == 1' "$WORK/stats.json"
check "no key in the log or stats" lacks "main-key-1a2b3c|backup-key-4d5e6f" "$WORK/push.err" "$WORK/stats.json"
finish
