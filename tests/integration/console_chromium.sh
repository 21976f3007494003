#!/usr/bin/env bash
# surg-console driven in headless Chromium against a real live chain on the test pattern:
#   surg-capture --test-pattern --realtime | surg-anonymize --mask-outside-circle | surg-annotate |
#   surg-console | surg-push REC.mkv (the pattern's fake patient line is masked, as a scope's would be)
# The page loads with no console error; the preview changes and is at most 500 ms behind; PRIVACY
# NOW makes slate frames reach the recording, and the time from the click to the first slate frame
# leaving surg-console is measured over 10 clicks (p50/max printed; goal 500 ms; only a loose
# bound is checked, the machine may be loaded); the M key mutes the recording's audio; MARK makes
# a chapter; the title box (T, Enter; CHANGE TITLE; HIDE TITLE) changes the title in the recording
# from the frames surg-annotate names; a consent revoked with surg-consent shows the banner within
# 5 s. Then the refusals: another Origin or Host (403, nothing reaches a FIFO), and a
# token-protected panel without or with a wrong token (403). Screenshots are kept in
# $SURG_TEST_OUT (default: the work folder, removed at exit) for a person to look at.
# Chromium is driven over the DevTools protocol on a pipe (cdp.js), as in player_chromium.sh.
source "$(dirname "$0")/lib.sh"

chromium=/usr/bin/chromium
if [ ! -x "$chromium" ]; then
  skip "the panel in Chromium" "$chromium is missing: apt-get install chromium"
  finish
fi
out=${SURG_TEST_OUT:-$WORK/out}
mkdir -p "$out" "$WORK/run"

# A consent covering the recording, so that surg-push reports it and its withdrawal.
export SURG_CONSENT_STORE=$WORK/store
surg-consent -q keygen --install >/dev/null
for role in patient surgeon; do
  surg-consent -q grant CASE-0900 --grantor "$role" --purpose live-broadcast,recording --platform intranet \
    --anonymize none --audience professionals --expires 2099-12-31 || fail "grant $role"
done

mkfifo -m 600 "$WORK/anon.fifo" "$WORK/annot.fifo"
port=$(free_port)
rec=$WORK/rec.mkv
# The capture's pid is kept so that the chain can be stopped like a Ctrl-C if it outlives the test.
{
  timeout -k 5 150 surg-capture --test-pattern --realtime --duration 120 --size 640x360 2>"$WORK/capture.err" &
  echo $! >"$WORK/capture.pid"
  wait
} | timeout -k 5 150 surg-anonymize --no-faces --no-oob --mask-outside-circle --control "$WORK/anon.fifo" \
      --events "$WORK/run/anonymize.jsonl" 2>"$WORK/anonymize.err" |
  timeout -k 5 150 surg-annotate --control "$WORK/annot.fifo" --events "$WORK/run/annotate.jsonl" 2>"$WORK/annotate.err" |
  timeout -k 5 150 surg-console --listen "127.0.0.1:$port" --anonymize-control "$WORK/anon.fifo" \
      --annotate-control "$WORK/annot.fifo" --run-dir "$WORK/run" --events "$WORK/console.jsonl" \
      --stats "$WORK/console.json" 2>"$WORK/console.err" |
  timeout -k 5 150 surg-push --consent CASE-0900 --events "$WORK/run/push.jsonl" "$rec" 2>"$WORK/push.err" &
chain=$!
bg_track "$chain"
check "the panel listens on 127.0.0.1:$port" wait_port "$port" 15
bg_track "$(cat "$WORK/capture.pid" 2>/dev/null || echo 0)"

cat >"$WORK/drive.js" <<'JS'
const { execFileSync } = require('child_process');
const fs = require('fs');
const { launch } = require(process.env.SURG_CDP);
const [chromium, url, profile, out] = process.argv.slice(2);
const browser = launch(chromium, profile);
const problems = [];
browser.onEvent((m) => {
  // Anything the page reports as an error counts: script exceptions, console.error, failed loads.
  if (m.method === 'Runtime.exceptionThrown') problems.push('exception: ' + JSON.stringify(m.params.exceptionDetails.exception || m.params.exceptionDetails.text));
  if (m.method === 'Runtime.consoleAPICalled' && ['error', 'warning', 'assert'].includes(m.params.type))
    problems.push('console.' + m.params.type + ': ' + JSON.stringify(m.params.args.map((a) => a.value)));
  if (m.method === 'Log.entryAdded' && m.params.entry.level === 'error') problems.push('log: ' + m.params.entry.text + ' ' + (m.params.entry.url || ''));
});
let session;
const send = (method, params = {}, sessionId = session) => browser.send(method, params, sessionId);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const result = { problems: [], clicks: [], releases: [] };
function done(code, text) {
  if (text) result.error = text;
  if (!result.frozen) result.problems = problems;
  console.log(JSON.stringify(result));
  browser.kill();
  process.exit(code);
}
setTimeout(() => done(1, 'timeout'), 110000);
async function evaluate(expression) {
  const { result: r, exceptionDetails } = await send('Runtime.evaluate', { expression, returnByValue: true });
  if (exceptionDetails) throw new Error('evaluate: ' + expression + ': ' + exceptionDetails.text);
  return r.value;
}
const statusText = () => evaluate("document.getElementById('status-text').textContent");
const statusClass = () => evaluate("document.getElementById('status').className");
async function waitFor(predicate, ms) {
  const start = Date.now();
  while (Date.now() - start < ms) { if (await predicate()) return Date.now() - start; await sleep(20); }
  return -1;
}
async function screenshot(name) {
  const { data } = await send('Page.captureScreenshot', { format: 'png' });
  fs.writeFileSync(out + '/' + name, Buffer.from(data, 'base64'));
}
async function click(id) {  // a real mouse click in the middle of the element
  const r = await evaluate(`JSON.stringify(document.getElementById('${id}').getBoundingClientRect())`);
  const b = JSON.parse(r), x = b.x + b.width / 2, y = b.y + b.height / 2;
  await send('Input.dispatchMouseEvent', { type: 'mousePressed', x, y, button: 'left', clickCount: 1 });
  const t = Date.now();
  await send('Input.dispatchMouseEvent', { type: 'mouseReleased', x, y, button: 'left', clickCount: 1 });
  return t;
}
async function key(k) {
  const code = 'Key' + k.toUpperCase();
  await send('Input.dispatchKeyEvent', { type: 'keyDown', key: k, code, text: k, windowsVirtualKeyCode: k.toUpperCase().charCodeAt(0) });
  const t = Date.now();
  await send('Input.dispatchKeyEvent', { type: 'keyUp', key: k, code, windowsVirtualKeyCode: k.toUpperCase().charCodeAt(0) });
  return t;
}
// A fingerprint of the preview's pixels (same-origin blob: the canvas is not tainted).
const fingerprint = `(() => { const i = document.getElementById('preview');
  if (!i.naturalWidth) return '';
  const c = document.createElement('canvas'); c.width = 64; c.height = 36;
  const g = c.getContext('2d'); g.drawImage(i, 0, 0, 64, 36);
  const d = g.getImageData(0, 0, 64, 36).data; let h = 0;
  for (let k = 0; k < d.length; k++) h = (h * 31 + d[k]) >>> 0;
  return i.naturalWidth + 'x' + i.naturalHeight + ':' + h; })()`;

(async () => {
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' }, undefined);
  ({ sessionId: session } = await send('Target.attachToTarget', { targetId, flatten: true }, undefined));
  await send('Runtime.enable');
  await send('Log.enable');
  await send('Page.enable');
  await send('Emulation.setDeviceMetricsOverride', { width: 1600, height: 1000, deviceScaleFactor: 1, mobile: false });
  await send('Page.navigate', { url });
  // The stream flows: the status bar is green (RECORDING: this chain has no network output).
  result.on_air_ms = await waitFor(async () => { try { return (await statusClass()) === 'status live'; } catch (e) { return false; } }, 20000);
  result.status_text = await statusText();
  await waitFor(async () => (await evaluate(fingerprint)) !== '', 5000);
  const f1 = await evaluate(fingerprint);
  await sleep(1200);
  const f2 = await evaluate(fingerprint);
  result.preview = [f1, f2];
  // How far the preview is behind the frame passing through, as the page labels it (the JPEG's
  // frame time against the console's clock): ten samples over 1.5 s, -1 for a label that is
  // not a live one.
  result.preview_ages = [];
  for (let i = 0; i < 10; i++) {
    const label = await evaluate("document.getElementById('preview-age').textContent");
    const m = /^live preview · (\d+) ms$/.exec(label);
    result.preview_ages.push(m ? Number(m[1]) : -1);
    await sleep(150);
  }
  await screenshot('panel.png');
  // Ten privacy cuts, each waited for on the page (it shows PRIVACY SLATE once surg-anonymize
  // reports the slate), then resumed.
  for (let i = 0; i < 10; i++) {
    result.clicks.push(await click('privacy'));
    result.slate_seen_ms = await waitFor(async () => (await statusText()) === 'PRIVACY SLATE', 5000);
    if (i === 0) await screenshot('panel-privacy.png');
    await sleep(300);
    result.releases.push(await click('privacy'));
    await waitFor(async () => (await statusClass()) === 'status live', 5000);
    await sleep(400);
  }
  // Mute with the keyboard shortcut, 3 s, unmute.
  result.mute = [await key('m')];
  await sleep(1000);
  await screenshot('panel-muted.png');
  await sleep(2000);
  result.mute.push(await key('m'));
  // A named chapter mark, and a live caption typed and sent with Enter.
  await evaluate("document.getElementById('mark-label').focus()");
  await send('Input.insertText', { text: 'stone found' });
  await click('mark');
  await evaluate("document.getElementById('caption-text').focus()");
  await send('Input.insertText', { text: 'Here we are in the bladder' });
  await send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' });
  await send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13 });
  await sleep(1500);
  // As many two-byte characters as the caption box's limit in bytes, pasted: twice what the
  // server takes. The box keeps the whole characters that fit. Not sent; emptied again.
  await evaluate("document.getElementById('caption-text').select()");
  const captionMax = await evaluate("Number(document.getElementById('caption-text').getAttribute('maxlength'))");
  await send('Input.insertText', { text: '\u00e9'.repeat(captionMax) });
  result.caption_fit = await evaluate(
    "(v => [v.length, new TextEncoder().encode(v).length])(document.getElementById('caption-text').value)");
  result.caption_max = captionMax;
  await evaluate("document.getElementById('caption-text').value = ''");
  // The title (surg-annotate runs without --title): Escape leaves the caption box, T focuses
  // the title box (the key itself is not typed), Enter sends it; the text is then selected, so
  // typing replaces it and the button sends the new one; HIDE TITLE removes it.
  await send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Escape', code: 'Escape', windowsVirtualKeyCode: 27 });
  await send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Escape', code: 'Escape', windowsVirtualKeyCode: 27 });
  await key('t');
  result.title_focus = await evaluate("document.activeElement.id + '|' + document.activeElement.value");
  await send('Input.insertText', { text: 'Ureteroscopy' });
  await send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' });
  await send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13 });
  await sleep(1500);
  await send('Input.insertText', { text: 'Laser lithotripsy' });
  await click('title-set');
  await sleep(1500);
  await screenshot('panel-title.png');
  await click('title-hide');
  await sleep(1500);
  result.log = await evaluate("document.getElementById('log').textContent");
  // The consent is withdrawn: the banner must show within 5 s.
  // The revocation ends the chain (surg-push stops, the console exits): the page then says
  // the panel does not answer, and its failed requests are expected, so they are not counted.
  result.problems = problems.slice();
  result.frozen = true;
  execFileSync('surg-consent', ['-q', 'revoke', 'CASE-0900']);
  const revoked = Date.now();
  const seen = await waitFor(async () => evaluate(
    "!document.getElementById('banner').classList.contains('hidden')"), 8000);
  result.banner_ms = seen < 0 ? -1 : Date.now() - revoked;
  result.banner = await evaluate("document.getElementById('banner').textContent");
  await screenshot('panel-withdrawn.png');
  done(0);
})().catch((e) => done(1, 'error: ' + e.message));
JS

timeout -k 5 120 node "$WORK/drive.js" "$chromium" "http://127.0.0.1:$port/" \
  "$(mktemp -d "$WORK/profile.XXXXXX")" "$out" >"$WORK/drive.json" 2>"$WORK/drive.err" &
driver=$!
bg_track "$driver"

# Meanwhile, the refusals (curl against the same panel).
sleep 3
status_of() { curl -s -o "$WORK/body" -w '%{http_code}' --max-time 5 "$@"; }
code=$(status_of -H 'Origin: http://evil.example' -H 'Content-Type: application/json' \
  -d '{"action":"mark","label":"from another site"}' "http://127.0.0.1:$port/api/action")
check "a POST from another Origin is refused: 403 ($code)" test "$code" = 403
code=$(status_of -H "Host: evil.example:$port" "http://127.0.0.1:$port/api/state")
check "a request naming another Host (DNS rebinding) is refused: 403 ($code)" test "$code" = 403
code=$(status_of "http://127.0.0.1:$port/etc/passwd")
check "nothing but the panel's own routes is served: 404 ($code)" test "$code" = 404
code=$(status_of "http://127.0.0.1:$port/../../../../etc/passwd" --path-as-is)
check "no path escapes: ($code)" bash -c "[ '$code' = 404 ] || [ '$code' = 400 ]"
code=$(status_of -H 'Content-Type: text/plain' -d '{"action":"privacy","on":true}' "http://127.0.0.1:$port/api/action")
check "an action not sent as JSON is refused: 400 ($code)" test "$code" = 400

wait "$driver"
check "the Chromium driver finished" test $? = 0
echo "# driver: $(head -c 3000 "$WORK/drive.json")"
j() { jq -r "$1" "$WORK/drive.json" 2>/dev/null; }
check "the status bar turns green once the stream flows ($(j .on_air_ms) ms, '$(j .status_text)')" test "$(j '.on_air_ms >= 0')" = true
check "  and says RECORDING, not ON AIR, with only a recording" test "$(j .status_text)" = RECORDING
check "the page logged no error: $(j '.problems | join("; ")')" test "$(j '.problems | length')" = 0
check "the preview shows a picture ($(j '.preview[0]'))" bash -c "[[ '$(j '.preview[0]')' == 640x360:* ]]"
check "the preview changes from frame to frame" bash -c "[ '$(j '.preview[0]')' != '$(j '.preview[1]')' ]"
echo "# preview behind the frame passing through, 10 samples: $(j '.preview_ages | join(" ")') ms"
check "the preview is at most 500 ms behind what passes through (max $(j '.preview_ages | max') ms)" \
  test "$(j '[.preview_ages[] | select(. < 0 or . > 500)] | length')" = 0
# The server's limit, from the source: the page's must be the same.
cap=$(sed -n 's/.*kMaxCaptionBytes = \([0-9]*\);.*/\1/p' "$SRC/lib/surg/console/actions.hpp")
check "the caption box's limit is the server's ($(j .caption_max) bytes, $cap)" test "$(j .caption_max)" = "$cap"
check "a caption pasted at twice that is cut to the whole characters that fit ($(j '.caption_fit | join(" characters, ")') bytes)" \
  test "$(j '.caption_fit | join(",")')" = "$((cap / 2)),$cap"
check "the banner showed within 5 s of the revocation ($(j .banner_ms) ms)" \
  bash -c "(( $(j .banner_ms) >= 0 && $(j .banner_ms) <= 5000 ))"
check "  and it says the consent was withdrawn" grep -q "CONSENT WITHDRAWN" <<<"$(j .banner)"

# The chain ends once surg-push stops on the withdrawal (exit 3); then the recording is read.
for _ in $(seq 300); do kill -0 "$chain" 2>/dev/null || break; sleep 0.1; done
kill -INT "$(cat "$WORK/capture.pid")" 2>/dev/null
wait "$chain"
check "surg-push finished its recording" test -s "$rec"
check "surg-console exited cleanly" bash -c "! grep -q 'error' '$WORK/console.err'"
cp "$WORK/console.jsonl" "$WORK/run/push.jsonl" "$WORK/push.err" "$WORK/console.err" "$out/" 2>/dev/null
# has_event FILE FILTER: some record of FILE passes FILTER (jq -e alone looks at the last record only).
has_event() { jq -s -e "[.[] | $2] | length > 0" "$1" >/dev/null; }
check "surg-push reported the consent in force (case, covers, expiry)" has_event "$WORK/run/push.jsonl" 'select(.type == "consent") |
  select(.data.state == "in-force" and .data.case == "CASE-0900" and (.data.covers | any(. == "recording")) and
  .data.expires == "2100-01-01T00:00:00Z")'
check "  and its withdrawal, with the reason" has_event "$WORK/run/push.jsonl" 'select(.type == "consent") |
  select(.data.state == "withdrawn" and (.data.reason | test("CASE-0900: revoked")))'

# --- privacy: the click-to-air delay, and slate frames in the recording ---------------------
python3 - "$WORK/drive.json" "$WORK/console.jsonl" >"$WORK/latency.txt" <<'PY'
import json, sys, statistics
clicks = json.load(open(sys.argv[1]))["clicks"]
outs = [json.loads(l)["data"] for l in open(sys.argv[2]) if json.loads(l)["type"] == "slate-out"]
outs = [o for o in outs if o["reason"] == "privacy"]
delays = []
for c in clicks:
    later = [o["out_ms"] - c for o in outs if o["out_ms"] >= c]
    if later: delays.append(min(later))
server = [o["after_action_ms"] for o in outs if "after_action_ms" in o]
print(len(delays), int(statistics.median(delays)) if delays else -1, max(delays) if delays else -1,
      len(server), int(statistics.median(server)) if server else -1, max(server) if server else -1)
PY
read -r n p50 pmax ns sp50 smax <"$WORK/latency.txt"
echo "# click to first privacy slate frame leaving surg-console, $n clicks: p50 ${p50} ms, max ${pmax} ms (goal <= 500 ms)"
echo "# request received to slate out (server side), $ns clicks: p50 ${sp50} ms, max ${smax} ms"
check "each of the 10 clicks put the slate on air ($n)" test "$n" = 10
check "within a loose bound of 3 s each (max ${pmax} ms)" bash -c "(( $pmax >= 0 && $pmax < 3000 ))"

# The slate is a flat dark card: a patch of the picture above its text, where the test pattern
# shows tissue texture, is uniform and dark (the pattern's white flashes are flat but bright). Count such frames in the recording, against the frames
# surg-anonymize reports it slated for privacy.
slated=$(jq -s '[.[] | select(.type == "frame" and .data.slate == "privacy")] | length' "$WORK/run/anonymize.jsonl")
first_slated=$(jq -s '[.[] | select(.type == "frame" and .data.slate == "privacy") | .data.frame] | min // -1' "$WORK/run/anonymize.jsonl")
probe -f lavfi -i "movie=$rec,crop=iw/4:ih/6:iw*3/8:ih/4,signalstats" \
  -show_entries frame_tags=lavfi.signalstats.YMIN,lavfi.signalstats.YMAX -of csv=p=0 >"$WORK/stats.csv"
read -r flat first_flat < <(awk -F, '{ if ($2 - $1 <= 12 && $2 < 100) { n++; if (first == "") first = NR - 1 } }
  END { print n + 0, (first == "" ? -1 : first) }' "$WORK/stats.csv")
echo "# recording: $(wc -l <"$WORK/stats.csv") frames, $flat flat (slate) frames from frame $first_flat; anonymiser slated $slated from frame $first_slated"
check "privacy slate frames are in the recording ($flat)" test "$flat" -gt 0
check "  as many as the anonymiser slated (±10%: $flat vs $slated)" \
  bash -c "(( $slated > 0 && $flat * 10 >= $slated * 9 && $flat * 10 <= $slated * 11 ))"
check "  the first one where the anonymiser put it ($first_flat vs $first_slated)" \
  bash -c "(( $first_flat >= $first_slated - 2 && $first_flat <= $first_slated + 2 ))"

# --- mute: the recording is silent between the console's mute and unmute --------------------
read -r on_s off_s < <(jq -rs '[.[] | select(.type == "mute") | .data.media_s] | "\(.[0] // -1) \(.[1] // -1)"' "$WORK/console.jsonl")
echo "# muted from ${on_s} s to ${off_s} s of the stream"
check "the M key muted and unmuted (events at $on_s and $off_s s)" \
  bash -c "(( \$(echo '$on_s > 0 && $off_s > $on_s + 2' | bc) ))"
volume() {  # volume FROM LENGTH: max_volume in dB over that stretch of the recording
  timeout -k 2 30 ffmpeg -nostdin -ss "$1" -t "$2" -i "$rec" -map 0:a -af volumedetect -f null - 2>&1 |
    sed -n 's/.*max_volume: \(-*[0-9.inf]*\) dB.*/\1/p'
}
muted_db=$(volume "$(echo "$on_s + 0.2" | bc)" "$(echo "$off_s - $on_s - 0.4" | bc)")
before_db=$(volume "$(echo "$on_s - 2" | bc)" 1.5)
echo "# max volume: ${before_db} dB before the mute, ${muted_db} dB while muted"
check "the recording's audio is silent while muted ($muted_db dB)" \
  bash -c "[ '$muted_db' = -inf ] || (( \$(echo '$muted_db < -80' | bc) ))"
check "  and was not before ($before_db dB)" bash -c "(( \$(echo '${before_db:--200} > -40' | bc) ))"

# --- mark and caption -----------------------------------------------------------------------
chapters=$(probe -show_chapters -of json "$rec" | jq -r '[.chapters[].tags.title] | join("|")')
check "MARK CHAPTER made a chapter named 'stone found' in the recording ($chapters)" \
  grep -qx "stone found" <<<"${chapters//|/$'\n'}"
check "the caption reached surg-annotate" has_event "$WORK/run/annotate.jsonl" \
  'select(.type == "caption" and .data.text == "Here we are in the bladder")'

# --- title ----------------------------------------------------------------------------------
check "T focused the title box, and was not typed into it ($(j .title_focus))" test "$(j .title_focus)" = "title-text|"
titles=$(jq -rs '[.[] | select(.type == "overlay" and .data.layer == "title") | .data.text] | join("|")' "$WORK/run/annotate.jsonl")
check "surg-annotate changed the title as asked: Ureteroscopy, Laser lithotripsy, hidden ('$titles')" \
  test "$titles" = "Ureteroscopy|Laser lithotripsy|"
# In the recording, a strip of the title's box left of the endoscope's circular field (where
# the test pattern is black, away from its time code and the caption) must be: black before
# the first title; one still text (white glyphs) from its event to the second's; another text
# from there to the hide; black again after it. Frames are matched to events by their time.
read -r X Y H < <(jq -rs 'map(select(.type == "overlay" and .data.layer == "title"))[0].data // {} | "\(.x // 0) \(.y // 0) \(.h // 2)"' "$WORK/run/annotate.jsonl")
W=$(( 128 - X ))
probe -select_streams v -show_entries frame=pts_time -of csv=p=0 "$rec" >"$WORK/times.txt"
timeout -k 2 60 ffmpeg -nostdin -v error -i "$rec" -map 0:v -vf "crop=$W:$H:$X:$Y,format=gray" -fps_mode passthrough \
  -f rawvideo "$WORK/strip.gray"
python3 - "$WORK/run/annotate.jsonl" "$WORK/times.txt" "$WORK/strip.gray" $((W * H)) >"$WORK/title.json" <<'PY'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
def seconds(e):
    num, den = map(int, e["tb"].split("/"))
    return e["pts"] * num / den
changes = [seconds(e) for e in events if e["type"] == "overlay" and e["data"]["layer"] == "title"]
if len(changes) != 3:
    print(json.dumps({"title_events": len(changes)}))
    sys.exit()
t1, t2, t3 = changes
times = [float(l.split(",")[0]) for l in open(sys.argv[2]) if l.strip()]
size = int(sys.argv[4])
data = open(sys.argv[3], "rb").read()
frames = [data[i * size:(i + 1) * size] for i in range(len(data) // size)]
margin = 0.07  # two frames at 30 fps either side of an event
def segment(start, end):
    return [f for t, f in zip(times, frames) if start + margin < t < end - margin]
def diff(a, b):  # mean absolute difference of two strips
    return sum(abs(x - y) for x, y in zip(a, b)) / len(a)
parts = {"before": segment(t1 - 1.5, t1), "first": segment(t1, t2), "second": segment(t2, t3), "hidden": segment(t3, t3 + 1.0)}
out = {"frames": len(frames), "times": len(times), "events_s": [t1, t2, t3]}
for name, fs in parts.items():
    out[name] = {"n": len(fs), "max_luma": max((max(f) for f in fs), default=-1), "min_max_luma": min((max(f) for f in fs), default=-1)}
first, second = parts["first"], parts["second"]
if first and second:
    out["first"]["still"] = max(diff(f, first[0]) for f in first)
    out["second"]["still"] = max(diff(f, second[0]) for f in second)
    out["second"]["from_first"] = min(diff(f, first[-1]) for f in second)
print(json.dumps(out))
PY
tj() { jq -r "$1 // -1" "$WORK/title.json"; }  # -1 when absent: the checks below then fail
echo "# title strip ${W}x$H at $X,$Y: $(cat "$WORK/title.json")"
check "the recording has every frame's time ($(tj .frames) frames, $(tj .times) times)" test "$(tj .frames)" = "$(tj .times)"
check "no title before the first one ($(tj .before.n) frames, brightest $(tj .before.max_luma))" \
  bash -c "(( $(tj .before.n) >= 30 && $(tj .before.max_luma) < 60 ))"
check "the first title from its event on ($(tj .first.n) frames, each with white >= $(tj .first.min_max_luma), still: $(tj .first.still))" \
  bash -c "(( $(tj .first.n) >= 15 && $(tj .first.min_max_luma) > 150 )) && (( \$(echo '$(tj .first.still) < 4' | bc) ))"
check "the second title replaces it from its event ($(tj .second.n) frames, white >= $(tj .second.min_max_luma), $(tj .second.from_first) away from the first)" \
  bash -c "(( $(tj .second.n) >= 15 && $(tj .second.min_max_luma) > 150 )) && (( \$(echo '$(tj .second.from_first) > 8 && $(tj .second.still) < 4' | bc) ))"
check "no title after HIDE TITLE ($(tj .hidden.n) frames, brightest $(tj .hidden.max_luma))" \
  bash -c "(( $(tj .hidden.n) >= 10 && $(tj .hidden.max_luma) < 60 ))"

# The audit trail: every action, with its time.
actions=$(jq -s '[.[] | select(.type == "action")] | length' "$WORK/console.jsonl")
check "the audit trail has every action: 20 privacy, 2 mute, 1 mark, 1 caption, 3 title ($actions)" test "$actions" -ge 27
check "  the title changes among them" test "$(jq -rs '[.[] | select(.type == "action" and .data.request.cmd == "title") | .data.summary] | join("|")' "$WORK/console.jsonl")" = \
  "title 'Ureteroscopy'|title 'Laser lithotripsy'|title hidden"
check "  each with a time" bash -c "jq -s -e '[.[] | select(.type == \"action\") | .data.time |
  test(\"^20[0-9-]+T[0-9:.]+Z\$\")] | length > 0 and all' '$WORK/console.jsonl' >/dev/null"
check "the other site's mark never reached surg-annotate" lacks "from another site" "$WORK/run/annotate.jsonl" "$rec"

# --- a panel with a token (still on loopback: the test binds nothing else) -----------------
head -c 24 /dev/urandom | base64 >"$WORK/token" && chmod 600 "$WORK/token"
token=$(cat "$WORK/token")
port2=$(free_port)
timeout -k 5 30 surg-capture --test-pattern --realtime --duration 8 --size 320x180 2>/dev/null |
  timeout -k 5 30 surg-console --listen "127.0.0.1:$port2" --token-file "$WORK/token" -o /dev/null \
    2>"$WORK/token.err" &
bg_track $!
wait_port "$port2" 10
code=$(status_of "http://127.0.0.1:$port2/api/state")
check "with --token-file, a request without the token is refused: 403 ($code)" test "$code" = 403
code=$(status_of -H "X-Surg-Token: x$token" "http://127.0.0.1:$port2/api/state")
check "  and one with a wrong token: 403 ($code)" test "$code" = 403
code=$(status_of -H 'Content-Type: application/json' -d '{"action":"mute","on":true}' "http://127.0.0.1:$port2/api/action")
check "  and an action without it: 403 ($code)" test "$code" = 403
code=$(status_of -H "X-Surg-Token: $token" "http://127.0.0.1:$port2/api/state")
check "  the right token is accepted: 200 ($code)" test "$code" = 200
check "  and the state holds no token" lacks "$token" "$WORK/body"
code=$(status_of "http://127.0.0.1:$port2/")
check "the page itself is served without the token (it asks for it): $code" test "$code" = 200
check "  and holds no token" lacks "$token" "$WORK/body"
check "the page loads nothing from elsewhere" bash -c "! grep -Eq '(src|href)=\"(https?:)?//' '$WORK/body'"
check "the token never reaches the log" lacks "$token" "$WORK/token.err"
finish
