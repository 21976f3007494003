#!/usr/bin/env bash
# Secrets never leave surg-push (doc/privacy.md): a run with real secrets — two RTMP
# destinations with their own keys (one a Facebook-style key with a query), an SRT destination
# with passphrase and streamid, HLS with the player page — at debug level with FFmpeg's own
# log lines, stats and events; then failing runs (dead servers) and JSON logs. Every file the
# runs wrote (stderr, stats, events, the HLS folder) is searched for every secret and for each
# part of one: none may be found. A secret typed into a URL is refused (exit 2), unechoed.
source "$(dirname "$0")/lib.sh"
export SURG_HLSJS=${SURG_HLSJS:-$SRC/.cache/hlsjs/hls.min.js}
[ -f "$SURG_HLSJS" ] || SURG_HLSJS=$(ls "$BUILD"/hlsjs/hls.min.js 2>/dev/null | head -1)

secret() {  # secret NAME VALUE: a 0600 file holding VALUE
  printf '%s\n' "$2" >"$WORK/$1"
  chmod 600 "$WORK/$1"
}
FB_KEY='FB-5550001112223?s_sw=0&s_vt=api-s&a=AbXyTok3nQ9'
YT_KEY='yt-k3y-4d5e-6f7a-8b9c'
PASS='srt-passphrase-7f3a91c2'
SID='#!::r=live/or-3,m=publish,u=surg'
secret fb.key "$FB_KEY"
secret yt.key "$YT_KEY"
secret srt.pass "$PASS"
secret srt.sid "$SID"
# Every secret and every part of one that could be logged alone.
needles=("$FB_KEY" "FB-5550001112223" "AbXyTok3nQ9" "$YT_KEY" "$PASS" "$SID" "r=live/or-3")

# leaks FILE...: how many times any needle occurs in the files (must be 0).
leaks() {
  local n total=0 c
  for n in "${needles[@]}"; do
    c=$(cat "$@" 2>/dev/null | grep -cF -- "$n")
    total=$((total + c))
  done
  echo "$total"
}

RTMP_PORT=$(free_port)
start_nginx rtmp "$RTMP_PORT" || fail "nginx did not start"
SRT_PORT=$(free_port)
timeout -k 2 40 ffmpeg -nostdin -v error -y \
  -i "srt://127.0.0.1:$SRT_PORT?mode=listener&latency=120000&passphrase=$PASS" -c copy "$WORK/srt.ts" 2>"$WORK/listener.err" &
listener=$!
bg_track "$listener"
sleep 1

# 1. Everything at once, FFmpeg's verbose log included (-vv: trace).
surg-capture --test-pattern --realtime --duration 6 --size 320x240 2>/dev/null |
  surg-push -vv --test-stream --stats "$WORK/run.json" --events "$WORK/run.events" \
    fb=rtmp://127.0.0.1:$RTMP_PORT/live --key-file "fb=$WORK/fb.key" \
    yt=rtmp://localhost:$RTMP_PORT/live --key-file "yt=$WORK/yt.key" \
    "cam=srt://127.0.0.1:$SRT_PORT?latency=120000" --srt-passphrase-file "cam=$WORK/srt.pass" \
    --srt-streamid-file "cam=$WORK/srt.sid" \
    "hls:$WORK/hls" --player --record "$WORK/rec.mkv" 2>"$WORK/run.err" &
push=$!
bg_track "$push"
sleep 2
for _ in 1 2 3; do  # a viewer joining between keyframes may need another try
  probe -rw_timeout 3000000 -analyzeduration 1000000 -show_entries stream=codec_name -of csv=p=0 \
    "rtmp://127.0.0.1:$RTMP_PORT/live/$YT_KEY" >"$WORK/yt.read" 2>/dev/null
  [ -s "$WORK/yt.read" ] && break
done
wait "$push"
check "all at once: exit 0" test $? = 0
check "the YouTube destination got its own key (a viewer reads it: $(tr '\n' ' ' <"$WORK/yt.read"))" \
  grep -qE "h264|aac" "$WORK/yt.read"
wait "$listener"
check "SRT with passphrase and streamid from files: the listener received video" \
  test "$(probe_entry "$WORK/srt.ts" v:0 codec_name)" = h264
check "the run logged FFmpeg's own lines" grep -q "ffmpeg:" "$WORK/run.err"
check "stats under --test-stream carry a warning" grep -q '"warning":"test stream' "$WORK/run.json"
check "the log says loudly what is published" grep -q "TEST STREAM without consent" "$WORK/run.err"

# 2. Failures: every destination dead, errors and retries logged; JSON log format.
DEAD=$(free_port)
surg-capture --test-pattern --duration 2 --size 160x120 2>/dev/null |
  surg-push -vv --log-format json --test-stream --max-retries 0 --stats "$WORK/dead.json" \
    --events "$WORK/dead.events" fb=rtmps://127.0.0.1:$DEAD/rtmp/ --key-file "fb=$WORK/fb.key" \
    "srt://127.0.0.1:$DEAD?latency=120000" --srt-passphrase-file "$WORK/srt.pass" 2>"$WORK/dead.err"
check "dead destinations: exit 1 (gave up)" test $? = 1
check "dead destinations: retries were logged" grep -q "retrying\|giving up" "$WORK/dead.err"

files=("$WORK"/run.err "$WORK"/run.json "$WORK"/run.events "$WORK"/dead.err "$WORK"/dead.json "$WORK"/dead.events "$WORK"/hls/*)
found=$(leaks "${files[@]}")
echo "# secrets found in ${#files[@]} log, stats, events and HLS files: $found"
check "no secret in any log, stats, events or HLS file (found $found)" test "$found" = 0
check "the HLS folder was written (playlist, segments, player)" \
  bash -c 'test -s "$1/index.m3u8" && test -s "$1/index.html" && ls "$1"/segment-*.ts >/dev/null' _ "$WORK/hls"
# The search can fail: a secret planted in a copy of the log is found.
{ cat "$WORK/run.err"; echo "x${YT_KEY}x"; } >"$WORK/planted"
planted=$(leaks "$WORK/planted")
check "the search finds a secret planted in a copy of the log ($planted)" test "$planted" = 1

# 3. Secrets typed into URLs: refused (exit 2), pointing at the file option, never echoed.
TYPED='TypedKey-90210-xyz'
bad=(
  "rtmp://127.0.0.1:$RTMP_PORT/live/$TYPED"
  "rtmps://live-api-s.facebook.com:443/rtmp/$TYPED?s_sw=0&a=$TYPED"
  "rtmp://127.0.0.1:$RTMP_PORT/live?$TYPED"
  "rtmp://user:$TYPED@127.0.0.1/live"
  "srt://127.0.0.1:9000?passphrase=$TYPED"
  "srt://127.0.0.1:9000?latency=1&streamid=$TYPED"
  "rtmp:/127.0.0.1/live/$TYPED"
  "live-api-s.facebook.com/rtmp/$TYPED"
  "fb=rtmp://127.0.0.1/live/$TYPED"
)
tried=0 echoed=0 wrong=0
for url in "${bad[@]}"; do
  tried=$((tried + 1))
  surg-push --test-stream -i /dev/null "$url" 2>"$WORK/typed.err"
  status=$?
  [ "$status" = 2 ] || { wrong=$((wrong + 1)); echo "# exit $status for a typed secret #$tried"; }
  grep -qF "$TYPED" "$WORK/typed.err" && echoed=$((echoed + 1))
done
echo "# typed secrets tried: $tried, wrong status: $wrong, echoed: $echoed"
check "a secret typed into a URL is refused with exit 2 ($wrong of $tried not)" test "$wrong" = 0
check "a secret typed into a URL is never echoed ($echoed of $tried)" test "$echoed" = 0
surg-push --test-stream -i /dev/null "rtmp://127.0.0.1/live/$TYPED" 2>"$WORK/typed.err"
check "the refusal points to --key-file" grep -q -- "--key-file" "$WORK/typed.err"

# 4. Keys per destination: a plain --key-file with two rtmp destinations is ambiguous.
expect_status 2 "plain --key-file with two rtmp destinations: exit 2" \
  surg-push --test-stream -i /dev/null rtmp://127.0.0.1/live rtmp://localhost/live --key-file "$WORK/yt.key" \
  2>"$WORK/amb.err"
check "ambiguous key: says how to name it" grep -q "LABEL=FILE" "$WORK/amb.err"
expect_status 2 "--key-file for an unknown label: exit 2" \
  surg-push --test-stream -i /dev/null a=rtmp://127.0.0.1/live --key-file "b=$WORK/yt.key" 2>/dev/null
expect_status 2 "\$SURG_STREAM_KEY with two rtmp destinations: exit 2" \
  env SURG_STREAM_KEY=$YT_KEY surg-push --test-stream -i /dev/null rtmp://127.0.0.1/live rtmp://localhost/live \
  2>"$WORK/env.err"
check "the environment key is not echoed" bash -c '! grep -qF "$1" "$2"' _ "$YT_KEY" "$WORK/env.err"
finish
