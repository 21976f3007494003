#!/usr/bin/env bash
# What surg-push leaves on disk and in the process table (doc/privacy.md): recordings, HLS
# folders and segments, stats and events are never world-readable (0640 at most, even under
# umask 000); a recording is never silently overwritten (exit 2 unless --overwrite); the
# process makes no core dump and other processes of its user cannot read its memory.
# Secret files: each destination gets its own (--key-file LABEL=FILE, --srt-passphrase-file
# LABEL=FILE, --srt-streamid-file LABEL=FILE), only from a 0600/0400 file, never in argv.
source "$(dirname "$0")/lib.sh"

stream() { surg-capture --test-pattern --duration "${1:-1}" --size 160x120 2>/dev/null; }
mode() { stat -c %a "$1"; }
# at_most_640 FILE...: every file's mode is within 0640 (no bit for others, no group write).
at_most_640() {
  local f m
  for f in "$@"; do
    m=$(mode "$f")
    (( (8#$m & 8#137) == 0 )) || { echo "# $f has mode $m"; return 1; }
  done
}

stream 2 >"$WORK/in.nut"

# 1. Modes under umask 000: FFmpeg creates the files itself (avio_open honours the umask).
(umask 000 && surg-push --test-stream -i "$WORK/in.nut" --stats "$WORK/stats.json" --events "$WORK/ev.jsonl" \
  "$WORK/rec.mkv" "$WORK/rec.mp4" "$WORK/rec.ts" "hls:$WORK/hls" --player 2>"$WORK/modes.err")
check "umask 000: push exits 0" test $? = 0
for f in rec.mkv rec.mp4 rec.ts stats.json ev.jsonl hls/index.m3u8 hls/index.html hls/hls.min.js; do
  check "umask 000: $f is $(mode "$WORK/$f"), never world-readable" at_most_640 "$WORK/$f"
done
# The other stages' files too: surg-anonymize's report and its output stream.
(umask 000 && stream 1 | surg-anonymize --report "$WORK/report.json" -o "$WORK/anon.nut" 2>"$WORK/anon.err")
check "umask 000: surg-anonymize ran" test -s "$WORK/report.json"
check "umask 000: the anonymize report is $(mode "$WORK/report.json")" at_most_640 "$WORK/report.json"
check "umask 000: the anonymized stream file is $(mode "$WORK/anon.nut")" at_most_640 "$WORK/anon.nut"
check "umask 000: every HLS segment is 0640 at most" at_most_640 "$WORK"/hls/segment-*.ts
check "umask 000: the HLS folder gives others nothing ($(mode "$WORK/hls"))" \
  bash -c '(( (8#$(stat -c %a "$1") & 8#007) == 0 ))' _ "$WORK/hls"
touch "$WORK/probe" && chmod 644 "$WORK/probe"
if at_most_640 "$WORK/probe" >/dev/null; then fail "the mode check can fail"; else pass "the mode check can fail: a 0644 file is caught"; fi

# 2. Never silently overwritten.
sum_before=$(md5sum <"$WORK/rec.mkv")
expect_status 2 "an existing recording: exit 2" surg-push -i "$WORK/in.nut" "$WORK/rec.mkv" 2>"$WORK/ow.err"
check "the refusal names --overwrite" grep -q -- "--overwrite" "$WORK/ow.err"
check "the existing recording is untouched" test "$(md5sum <"$WORK/rec.mkv")" = "$sum_before"
expect_status 2 "an existing --record file: exit 2" surg-push -i "$WORK/in.nut" --record "$WORK/rec.mp4" "$WORK/new.mkv" 2>/dev/null
check "nothing else was written by the refused run" test ! -e "$WORK/new.mkv"
chmod 644 "$WORK/rec.mkv"
expect_status 0 "--overwrite replaces it" surg-push --overwrite -i "$WORK/in.nut" "$WORK/rec.mkv" 2>/dev/null
check "the replaced recording is new ($(mode "$WORK/rec.mkv"), not the old 644)" at_most_640 "$WORK/rec.mkv"
check "the replaced recording differs from a 0-frame file" test "$(count_frames "$WORK/rec.mkv")" = 60
ln -s "$WORK/elsewhere.mkv" "$WORK/link.mkv"
expect_status 2 "a dangling symlink in the way is refused too" surg-push -i "$WORK/in.nut" "$WORK/link.mkv" 2>/dev/null
check "and nothing was created through it" test ! -e "$WORK/elsewhere.mkv"

# 3. No core dumps, no memory readable by the user's other processes. Run as nobody, so the
#    ownership of /proc/PID tells: a non-dumpable process's /proc files belong to root.
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
  mkfifo "$WORK/fifo"
  chmod 755 "$WORK"
  mkdir "$WORK/nobody" && chmod 777 "$WORK/nobody"
  chmod 666 "$WORK/fifo"
  setpriv --reuid=nobody --regid=nogroup --clear-groups \
    env PATH="$(bin_for_others):$PATH" surg-push -q "$WORK/nobody/x.mkv" <"$WORK/fifo" 2>"$WORK/nobody.err" &
  pid=$!
  bg_track "$pid"
  exec 7>"$WORK/fifo"  # opens once surg-push has opened its end
  sleep 0.5
  owner=$(stat -c %U "/proc/$pid/environ" 2>/dev/null)
  core=$(awk '/Max core file size/ {print $5 " " $6}' "/proc/$pid/limits")
  check "surg-push running as nobody: /proc/PID/environ owned by $owner (not dumpable)" test "$owner" = root
  check "surg-push: RLIMIT_CORE is 0 ($core)" test "$core" = "0 0"
  exec 7>&-
  wait "$pid"
  # The same check on a process that is dumpable passes the other way: the test can fail.
  setpriv --reuid=nobody --regid=nogroup --clear-groups sleep 3 &
  other=$!
  sleep 0.3
  check "control: a dumpable nobody process's /proc/PID/environ is nobody's" \
    test "$(stat -c %U "/proc/$other/environ")" = nobody
  wait "$other"
  # surg-capture holds raw frames: the same for it.
  setpriv --reuid=nobody --regid=nogroup --clear-groups \
    env PATH="$(bin_for_others):$PATH" surg-capture --test-pattern --realtime --duration 3 --size 160x120 >/dev/null 2>&1 &
  pid=$!
  sleep 0.5
  check "surg-capture: not dumpable either" test "$(stat -c %U "/proc/$pid/environ" 2>/dev/null)" = root
  wait "$pid"
else
  echo "# skipped: no nobody user or setpriv"
fi
# 4. Secret files. A file others can read is refused (exit 2) for each kind of secret, with
#    the fix named and the secret not shown.
secret() { printf '%s\n' "$2" >"$WORK/$1"; chmod "${3:-600}" "$WORK/$1"; }
KEY_A=key-a-0f1e2d3c4b KEY_B=key-b-9a8b7c6d5e PASS=srt-pass-5e6f7a8b SID=srt-sid-1c2d3e4f
secret a.key "$KEY_A"
secret b.key "$KEY_B"
secret open.key "$KEY_A" 644
secret open.pass "$PASS" 640
secret open.sid "$SID" 604
for opt in "--key-file a=$WORK/open.key" "--srt-passphrase-file c=$WORK/open.pass" "--srt-streamid-file c=$WORK/open.sid"; do
  # shellcheck disable=SC2086
  surg-push --test-stream -i "$WORK/in.nut" a=rtmp://127.0.0.1:9/live "c=srt://127.0.0.1:9?latency=1" $opt \
    2>"$WORK/mode.err"
  st=$?
  check "${opt%% *} with a file others can read: exit 2 ($st)" test "$st" = 2
  check "  the refusal says chmod 600" grep -q "chmod 600" "$WORK/mode.err"
  check "  and shows no secret" lacks "$KEY_A|$PASS|$SID" "$WORK/mode.err"
done
expect_status 2 "a key file for an srt destination's label: exit 2" \
  surg-push --test-stream -i "$WORK/in.nut" "c=srt://127.0.0.1:9?latency=1" --key-file "c=$WORK/a.key" 2>"$WORK/kind.err"
check "  says it is not an rtmp destination" grep -q "not an rtmp(s) destination" "$WORK/kind.err"

# 5. Keys per destination: a's key goes to a only, b's to b only; neither is in argv, the
#    log, --stats or --events. Two nginx-rtmp servers, a viewer on each asks for both keys.
PA=$(free_port)
PB=$(free_port)
start_nginx na "$PA" || fail "nginx a did not start"
start_nginx nb "$PB" || fail "nginx b did not start"
surg-capture --test-pattern --realtime --duration 10 --size 160x120 2>/dev/null |
  surg-push --test-stream --stats "$WORK/keys.json" --events "$WORK/keys.events" \
    a=rtmp://127.0.0.1:$PA/live --key-file "a=$WORK/a.key" \
    b=rtmp://127.0.0.1:$PB/live --key-file "b=$WORK/b.key" 2>"$WORK/keys.err" &
push=$!
bg_track "$push"
sleep 2
# The pipeline's last process is surg-push: its argv holds key file names, never keys.
check "surg-push's argv names the key files, not the keys" \
  bash -c 'tr "\0" " " </proc/$1/cmdline | grep -q a.key && ! tr "\0" " " </proc/$1/cmdline | grep -qE "$2|$3"' \
  _ "$push" "$KEY_A" "$KEY_B"
# view URL NAME: what a viewer of URL gets (30 video frames at most) into $WORK/NAME.flv;
# nothing when no stream is published there (the server keeps the player waiting until
# -rw_timeout). Video starts at a keyframe (2 s apart): the probe waits longer than that.
view() {
  timeout -k 2 12 ffmpeg -nostdin -v error -rw_timeout 3000000 -analyzeduration 3000000 -i "$1" -map 0:v \
    -frames:v 30 -c copy -f flv -y "$WORK/$2.flv" 2>/dev/null
}
frames() { [ -s "$WORK/$1.flv" ] && count_frames "$WORK/$1.flv" || echo 0; }
# All four at once, while both destinations publish.
view "rtmp://127.0.0.1:$PA/live/$KEY_A" aa & v1=$!
view "rtmp://127.0.0.1:$PB/live/$KEY_B" bb & v2=$!
view "rtmp://127.0.0.1:$PA/live/$KEY_B" ab & v3=$!
view "rtmp://127.0.0.1:$PB/live/$KEY_A" ba & v4=$!
wait $v1 $v2 $v3 $v4
got_aa=$(frames aa) got_bb=$(frames bb) got_ab=$(frames ab) got_ba=$(frames ba)
echo "# frames: a's key on a: $got_aa, b's on b: $got_bb, b's on a: $got_ab, a's on b: $got_ba"
check "destination a publishes under its own key" test "${got_aa:-0}" = 30
check "destination b publishes under its own key" test "${got_bb:-0}" = 30
check "a's server never sees b's key" test "${got_ab:-0}" = 0
check "b's server never sees a's key" test "${got_ba:-0}" = 0
wait "$push"
check "the two-key push exits 0" test $? = 0
check "no key in its log, --stats or --events" \
  lacks "$KEY_A|$KEY_B" "$WORK/keys.err" "$WORK/keys.json" "$WORK/keys.events"
{ cat "$WORK/keys.err"; echo "$KEY_A"; } >"$WORK/keys.planted"
if lacks "$KEY_A" "$WORK/keys.planted"; then fail "the leak check can fail"; else pass "the leak check can fail: a key planted in a copy of the log is found"; fi
finish
