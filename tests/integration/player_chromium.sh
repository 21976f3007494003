#!/usr/bin/env bash
# surg-push hls:DIR --player: the page it writes plays the live stream in headless Chromium,
# served by nginx on loopback. Chromium is driven over the DevTools protocol on a pipe
# (--remote-debugging-pipe, node's built-in modules only); the video element's currentTime
# must be above 0 and then advance, with no error on the page. Also: the usage error without
# hls:, and the exit 1 naming where it looked when hls.min.js is missing.
source "$(dirname "$0")/lib.sh"

chromium=/usr/bin/chromium

# --- refusals, before any input is read ------------------------------------------------
expect_status 2 "--player without hls: is a usage error" \
  surg-push --player "$WORK/x.mp4" </dev/null
SURG_HLSJS=$WORK/none.js surg-push --player "hls:$WORK/nojs" </dev/null 2>"$WORK/nojs.err"
check "\$SURG_HLSJS naming no file: exit 1" test $? = 1
check "  and the error names it" grep -q "none.js" "$WORK/nojs.err"
# A copy of the binary with no hlsjs/ beside it and no share/ above it: every place is named.
mkdir -p "$WORK/bare/bin"
cp "$(command -v surg-push)" "$WORK/bare/bin/"
data_dir=$(sed -n 's/^SURG_DATA_DIR:PATH=//p' "$BUILD/CMakeCache.txt")
if [ -e "$data_dir/hlsjs/hls.min.js" ]; then
  skip "hls.min.js found nowhere: exit 1, naming every place" "an installed copy is in $data_dir"
else
  env -u SURG_HLSJS "$WORK/bare/bin/surg-push" --player "hls:$WORK/bare/live" </dev/null 2>"$WORK/bare.err"
  check "hls.min.js found nowhere: exit 1" test $? = 1
  check "  and the error names every place it looked" grep -q \
    "bare/share/surg/hlsjs/hls.min.js, $WORK/bare/bin/hlsjs/hls.min.js, $data_dir/hlsjs/hls.min.js" \
    "$WORK/bare.err"
  check "  and writes no page" test ! -e "$WORK/bare/live/index.html"
fi

if [ ! -x "$chromium" ]; then
  skip "the player page in Chromium" "$chromium is missing: apt-get install chromium"
  finish
fi

# --- the live page in a browser ---------------------------------------------------------
# nginx's worker runs as nobody: it must be able to walk into the (0700) work directory.
chmod o+x "$WORK"
root=$WORK/www
mkdir -p "$root"
rtmp_port=$(free_port)
http_port=$(free_port)
start_nginx web "$rtmp_port" "$http_port" "$root"
wait_port "$http_port" 10

# surg-push creates the HLS files 0640 (never world-readable): the web server reads them as
# the folder's group, which a setgid folder gives every file created in it.
mkdir -m 2750 "$root/live" && chgrp nogroup "$root/live" && chmod o+x "$root"
timeout -k 5 60 surg-capture --test-pattern --realtime --duration 25 --size 640x360 |
  timeout -k 5 60 surg-push --test-stream --player "hls:$root/live" 2>"$WORK/push.err" &
bg_track $!
for _ in $(seq 150); do [ -s "$root/live/index.m3u8" ] && break; sleep 0.1; done
check "surg-push wrote index.m3u8" test -s "$root/live/index.m3u8"
check "surg-push wrote index.html" grep -q "<video id=\"video\" muted autoplay playsinline controls>" \
  "$root/live/index.html"
check "hls.min.js is copied beside it" cmp -s "$root/live/hls.min.js" "$BUILD/hlsjs/hls.min.js"
check "the page loads nothing from the internet" \
  bash -c "! grep -Eq '(src|href)=\"(https?:)?//' '$root/live/index.html'"
get() {  # get PATH: the response head of nginx
  (exec 3<>/dev/tcp/127.0.0.1/"$http_port"; printf 'GET %s HTTP/1.0\r\n\r\n' "$1" >&3
   timeout 5 head -c 400 <&3 | tr -d '\r')
}
check "nginx serves the page: 200 text/html" bash -c \
  '[[ $1 == "HTTP/1.1 200 OK"*"Content-Type: text/html"* ]]' _ "$(get /live/index.html)"
check "nginx serves the playlist: 200 application/vnd.apple.mpegurl" bash -c \
  '[[ $1 == "HTTP/1.1 200 OK"*"Content-Type: application/vnd.apple.mpegurl"* ]]' _ "$(get /live/index.m3u8)"

# The driver: Chromium on its DevTools pipe (cdp.js) opens the page, then samples the video
# element until currentTime passes 0 and again 4 s later.
cat >"$WORK/drive.js" <<'JS'
const { launch } = require(process.env.SURG_CDP);
const [chromium, url, profile] = process.argv.slice(2);
const browser = launch(chromium, profile, ['--autoplay-policy=no-user-gesture-required']);
const send = (method, params = {}, sessionId) => browser.send(method, params, sessionId);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function done(code, text) {
  console.log(text);
  browser.kill();
  process.exit(code);
}
setTimeout(() => done(1, 'timeout'), 45000);
const probe = `JSON.stringify((() => { const v = document.getElementById('video');
  return { t: v ? v.currentTime : -1, paused: v ? v.paused : true,
           ready: v ? v.readyState : -1, status: document.getElementById('status').textContent,
           hls: typeof Hls !== 'undefined' }; })())`;
(async () => {
  const { targetId } = await send('Target.createTarget', { url });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  // Until the page has loaded, the probe throws (no element yet): that is a sample of -1.
  const sample = async () => {
    const { result, exceptionDetails } = await send('Runtime.evaluate',
      { expression: probe, returnByValue: true }, sessionId);
    if (typeof result.value === 'string') return JSON.parse(result.value);
    return { t: -1, status: 'no page: ' + (exceptionDetails ? exceptionDetails.exception.description : '') };
  };
  let first = await sample();
  for (let i = 0; i < 60 && !(first.t > 0); i++) { await sleep(500); first = await sample(); }
  await sleep(4000);
  const second = await sample();
  done(0, JSON.stringify({ first, second }));
})().catch((e) => done(1, 'error: ' + e.message));
JS

timeout -k 5 60 node "$WORK/drive.js" "$chromium" "http://127.0.0.1:$http_port/live/index.html" \
  "$(mktemp -d "$WORK/profile.XXXXXX")" >"$WORK/samples.json" 2>"$WORK/drive.err" &
driver=$!
bg_track "$driver"
wait "$driver"
check "the Chromium driver finished" test $? = 0
echo "# samples: $(cat "$WORK/samples.json")"
t1=$(jq -r '.first.t' "$WORK/samples.json" 2>/dev/null || echo -1)
t2=$(jq -r '.second.t' "$WORK/samples.json" 2>/dev/null || echo -1)
check "hls.js loaded in the page" test "$(jq -r '.first.hls' "$WORK/samples.json" 2>/dev/null)" = true
check "the video plays: currentTime $t1 > 0" test "$(echo "${t1:-0} > 0" | bc -l)" = 1
check "currentTime advances: $t2 > $t1 + 2" test "$(echo "${t2:-0} > ${t1:-0} + 2" | bc -l)" = 1
check "the video is not paused" test "$(jq -r '.second.paused' "$WORK/samples.json" 2>/dev/null)" = false
status_line=$(jq -r '.second.status' "$WORK/samples.json" 2>/dev/null)
check "the status line shows playback, no error ('$status_line')" \
  bash -c '[[ $1 == playing* ]]' _ "$status_line"
finish
