#!/usr/bin/env bash
# The cron / systemd-timer test stream (examples/cron/): the unit's command run directly, shortened
# by SURG_TEST_SECONDS, against nginx-rtmp on loopback: with the server up (exit 0, a JSON line
# appended, a viewer gets H.264 + AAC), down (non-zero, one clear line), and interrupted mid-run
# (a reconnect over the threshold: degraded, non-zero). The units pass systemd-analyze verify.
source "$(dirname "$0")/lib.sh"
script=$SRC/examples/cron/surg-test-stream.sh
unit_dir=$SRC/examples/cron

# Exit 0 when the JS expression holds for the last line of a JSON Lines file (bound to j).
last_json() {
  node -e 'const l = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
    const j = JSON.parse(l[l.length - 1]); process.exit(eval(process.argv[2]) ? 0 : 1)' "$1" "$2"
}
lines_of() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }

# --- the units: the service runs the script, the timer starts the service -----------------------
sed "s|^ExecStart=.*|ExecStart=$script|" "$unit_dir/surg-test-stream.service" \
  >"$WORK/surg-test-stream.service"
cp "$unit_dir/surg-test-stream.timer" "$WORK/"
check "service runs the installed script" \
  grep -qx 'ExecStart=/usr/share/surg/examples/cron/surg-test-stream.sh' "$unit_dir/surg-test-stream.service"
check "service is a oneshot" grep -qx 'Type=oneshot' "$unit_dir/surg-test-stream.service"
check "service passes the key as a credential" \
  grep -q '^LoadCredential=stream-key:' "$unit_dir/surg-test-stream.service"
check "timer has a schedule and an install target" \
  bash -c 'grep -q "^OnCalendar=" "$1" && grep -q "^WantedBy=timers.target" "$1"' _ \
  "$unit_dir/surg-test-stream.timer"
if command -v systemd-analyze >/dev/null; then
  verify_out=$(cd "$WORK" && systemd-analyze verify --man=no \
    ./surg-test-stream.service ./surg-test-stream.timer 2>&1)
  check "systemd-analyze verify: no complaint ($verify_out)" test -z "$verify_out"
  check "timer's calendar is valid" \
    systemd-analyze calendar "$(sed -n 's/^OnCalendar=//p' "$unit_dir/surg-test-stream.timer")" >/dev/null
else
  skip "systemd-analyze verify and calendar" "systemd-analyze missing (Debian package systemd)"
fi
check "crontab line: 6 time/user fields, runs the script" \
  bash -c 'grep -v "^#" "$1" | grep -qE "^[0-9*,/-]+ [0-9*,/-]+ [0-9*,/-]+ [0-9*,/-]+ [0-9*,/-]+ +[a-z]+ +.*surg-test-stream.sh"' _ \
  "$unit_dir/surg-test-stream.cron"

# --- the runs ------------------------------------------------------------------------------------
PORT=$(free_port)
start_nginx cron "$PORT" || fail "nginx did not start"
key=cron-key-$RANDOM$RANDOM
printf '%s' "$key" >"$WORK/staging.key"
chmod 0600 "$WORK/staging.key"
log=$WORK/state/test-stream.jsonl
# Frames dropped at the source depend on this shared machine's load, not on the endpoint: the
# runs tolerate them and judge the endpoint by its reconnects.
# One retry (RETRIES) by default, so a run against no server ends soon.
run_unit() {  # run_unit SECONDS LOGFILE: the unit's command, as systemd would run it
  SURG_MAX_DROPS=100000 SURG_STAGING_URL="rtmp://127.0.0.1:$PORT/live" SURG_KEY_FILE=$WORK/staging.key \
    SURG_TEST_SECONDS=$1 SURG_TEST_SIZE=640x360 SURG_MAX_RETRIES=${RETRIES:-1} STATE_DIRECTORY=$WORK/state \
    timeout -k 5 60 "$script" 2>"$2"
}

# Server up: a viewer on the server sees the stream while it runs.
run_unit 8 "$WORK/up.err" &
run=$!
bg_track "$run"
sleep 3
got=""
for _ in 1 2 3; do
  got=$(probe -rw_timeout 3000000 -analyzeduration 2000000 -show_entries stream=codec_name \
    -of csv=p=0 "rtmp://127.0.0.1:$PORT/live/$key" | sort | tr '\n' ' ')
  [ "$got" = "aac h264 " ] && break
  sleep 0.5
done
check "server up: a viewer on the server gets H.264 + AAC ($got)" test "$got" = "aac h264 "
wait "$run"
status=$?
check "server up: exit 0 (got $status)" test "$status" = 0
check "server up: one JSON line appended" test "$(lines_of "$log")" = 1
check "server up: verdict ok, the push finished, 8 s of media" \
  last_json "$log" 'j.verdict == "ok" && j.push.outputs[0].state == "finished" && j.push.duration_s >= 7.9'
check "server up: the log says ok" grep -q '^surg-test-stream: ok: 8s to rtmp://127.0.0.1' "$WORK/up.err"

# Server down: nothing listens; the run fails with one line saying so.
stop_nginx cron
run_unit 4 "$WORK/down.err"
status=$?
check "server down: non-zero exit (got $status)" test "$status" != 0
check "server down: a second JSON line, verdict failed" \
  bash -c 'test "$(wc -l <"$1")" = 2' _ "$log"
check "server down: verdict failed, output gave up" \
  last_json "$log" 'j.verdict == "failed" && j.push.outputs[0].state == "gave_up"'
check "server down: one clear line naming the endpoint" \
  grep -q '^surg-test-stream: FAILED: rtmp://127.0.0.1:[0-9]*/live/\*\*\*\* unreachable' "$WORK/down.err"

# Degraded: the server goes away for a moment mid-run; the push reconnects, the run still fails.
# Five retries (1 + 2 + 2 + 2 + 2 s) outlast the server's restart on a loaded machine.
start_nginx cron "$PORT" || fail "nginx did not restart"
RETRIES=5 run_unit 10 "$WORK/degraded.err" &
run=$!
bg_track "$run"
sleep 3
stop_nginx cron
sleep 1
start_nginx cron "$PORT" || fail "nginx did not come back"
wait "$run"
status=$?
check "degraded: exit 1 (got $status)" test "$status" = 1
check "degraded: verdict degraded with a reconnect" \
  last_json "$log" 'j.verdict == "degraded" && j.push.outputs[0].reconnects >= 1'
check "degraded: one clear line" grep -q '^surg-test-stream: FAILED: .* degraded: .* reconnects (max 0)' \
  "$WORK/degraded.err"

# The key never shows, and a bad threshold is a usage error.
check "the stream key is in no log line or stats" \
  bash -c '! grep -q "$1" "$2"/*.err "$3"' _ "$key" "$WORK" "$log"
SURG_STAGING_URL=rtmp://127.0.0.1:1/live SURG_TEST_SECONDS=1m STATE_DIRECTORY=$WORK/state \
  "$script" 2>"$WORK/usage.err"
status=$?
check "SURG_TEST_SECONDS=1m (not whole seconds): exit 2 (got $status)" test "$status" = 2
check "SURG_TEST_SECONDS=1m: says why" grep -q "'1m' is not a whole number" "$WORK/usage.err"
env -u SURG_STAGING_URL STATE_DIRECTORY="$WORK/state" "$script" 2>"$WORK/nourl.err"
status=$?
check "no SURG_STAGING_URL: exit 2 (got $status), says so" \
  bash -c '[ "$1" = 2 ] && grep -q "set SURG_STAGING_URL" "$2"' _ "$status" "$WORK/nourl.err"
finish
