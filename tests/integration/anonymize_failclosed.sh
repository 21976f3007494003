#!/usr/bin/env bash
# Fail closed: a detector that throws, a missing model, a stalled detector in live mode, an
# endoscope feed's out-of-body stretches -> the privacy slate, never the frame as it came.
# Also the usage/input errors and their exit statuses.
source "$(dirname "$0")/lib.sh"

ff() { timeout -k 2 60 ffmpeg -nostdin -v error "$@"; }
anon() { timeout -k 2 60 surg-anonymize "$@"; }
# Distinct video frame hashes of a file, one a line.
frame_hashes() { ff -i "$1" -map 0:v -f framemd5 - | grep -v '^#' | cut -d, -f6 | sort -u; }
# slate_count FILE: number of frames whose corner and centre rows look like the slate card.
slate_frames() {
  local w=$2 h=$3
  ff -i "$1" -map 0:v -vf extractplanes=y -f rawvideo - | python3 -c "import sys
w, h = $w, $h
d = sys.stdin.buffer.read()
n = 0
for i in range(0, len(d), w * h):
    f = d[i:i + w * h]
    n += all(f[j] == 40 for j in range(0, w * 8)) and f[(h - 1) * w] == 40
print(n)"
}
json_get() { python3 -c "import json,sys; d=json.load(open('$1')); print(eval('d' + sys.argv[1]))" "$2"; }

ff -f lavfi -i testsrc2=s=320x240:r=30:d=2 -f lavfi -i sine=f=440:r=48000:d=2 \
  -c:v rawvideo -pix_fmt yuv420p -c:a pcm_s16le -ac 2 -f nut "$WORK/src.nut"

# --- a detector that throws on every frame ---------------------------------------------
expect_status 1 "failing detector: exit 1 (output complete but not what was asked)" \
  anon --no-oob --detector failing -i "$WORK/src.nut" -o "$WORK/failing.nut" --stats "$WORK/failing.json" \
  2>"$WORK/failing.err"
check "failing detector: every frame is the slate (60 of 60)" [ "$(slate_frames "$WORK/failing.nut" 320 240)" = 60 ]
check "failing detector: one identical card on every frame" [ "$(frame_hashes "$WORK/failing.nut" | wc -l)" = 1 ]
frame_hashes "$WORK/src.nut" >"$WORK/in.hashes"
frame_hashes "$WORK/failing.nut" >"$WORK/out.hashes"
check "failing detector: no frame of the input leaves" [ -z "$(comm -12 "$WORK/in.hashes" "$WORK/out.hashes")" ]
check "failing detector: one warning line naming the failure" \
  [ "$(grep -c 'warn.*privacy slate: the detector failed: the .failing. test detector' "$WORK/failing.err")" = 1 ]
check "failing detector: stats count slate frames by reason" \
  [ "$(json_get "$WORK/failing.json" "['slate_frames']['detector-failed']")" = 60 ]
check "failing detector: audio still passes, untouched" \
  bash -c "[ \"\$(timeout 30 ffmpeg -nostdin -v error -i '$WORK/src.nut' -map 0:a -f md5 -)\" = \
            \"\$(timeout 30 ffmpeg -nostdin -v error -i '$WORK/failing.nut' -map 0:a -f md5 -)\" ]"

# --- a missing model ----------------------------------------------------------------------
expect_status 1 "missing model: exit 1" env SURG_MODEL_DIR="$WORK/no-models" \
  timeout -k 2 60 surg-anonymize --no-oob -i "$WORK/src.nut" -o "$WORK/nomodel.nut" 2>"$WORK/nomodel.err"
check "missing model: every frame is the slate" [ "$(slate_frames "$WORK/nomodel.nut" 320 240)" = 60 ]
check "missing model: one warning naming the file" \
  [ "$(grep -c 'warn.*privacy slate: no detector available: .*no-models/face_detection' "$WORK/nomodel.err")" = 1 ]
expect_status 1 "missing --model-dir: exit 1" \
  anon --no-oob --model-dir "$WORK/nowhere" -i "$WORK/src.nut" -o "$WORK/nomodel2.nut" 2>/dev/null

# --- a stalled detector, live (input from a pipe) ----------------------------------------
start=$SECONDS
cat "$WORK/src.nut" | anon --no-oob --detector stalling --max-lag 300ms -o "$WORK/stall.nut" \
  --stats "$WORK/stall.json" 2>"$WORK/stall.err"
status=$?
check "stalled detector, live: exit 0 (lateness is an expected live condition)" [ "$status" = 0 ]
check "stalled detector, live: every frame is the slate, none lost" \
  [ "$(slate_frames "$WORK/stall.nut" 320 240)" = 60 ]
check "stalled detector, live: counted as detector-late" \
  [ "$(json_get "$WORK/stall.json" "['slate_frames']['detector-late']")" = 60 ]
check "stalled detector, live: the pipeline did not stall (60 frames x 2 s would be 120 s)" \
  [ $((SECONDS - start)) -lt 10 ]
check "stalled detector, live: one warning line about the slate" [ "$(grep -c 'warn.*slate' "$WORK/stall.err")" = 1 ]
check "stdin pipe means live mode" grep -q 'live mode' "$WORK/stall.err"
# How far behind the stream frames left: the distribution over every frame, ordered, its
# maximum the one reported alone. The first frame waited out --max-lag (300 ms); the others
# found the detector still busy and left at once as the slate.
check "stalled detector, live: the lag distribution covers the 60 frames, ordered, its max past --max-lag" \
  python3 -c "import json, sys
s = json.load(open('$WORK/stall.json')); l = s['lag_ms']
sys.exit(not (l['frames'] == 60 and l['p50'] <= l['p95'] <= l['p99'] <= l['max'] == s['max_lag_ms'] >= 300))"
# Offline (a regular file) the same detector is waited for: frames are analysed, not slated.
ff -i "$WORK/src.nut" -frames:v 2 -c copy -f nut "$WORK/two.nut"
anon --no-oob --detector stalling -i "$WORK/two.nut" -o "$WORK/two-out.nut" --stats "$WORK/two.json" 2>/dev/null
check "stalled detector, offline: waited for, no slate" [ "$(json_get "$WORK/two.json" "['slate_frames']")" = "{}" ]
check "offline: no stream to be behind, no lag distribution" [ "$(json_get "$WORK/two.json" "['lag_ms']")" = None ]

# --- out-of-body stretches of the test pattern ------------------------------------------
capture=$(command -v surg-capture)
if [ -x "$capture" ]; then
  # 8 s at 30 fps, out of body from 4 s for 2 s: frames 120..179.
  timeout -k 2 30 "$capture" --test-pattern --size 640x360 --duration 8s --oob-every 4s --oob-length 2s \
    -o "$WORK/tp.nut" 2>/dev/null
  anon --no-faces --oob --mask-outside-circle --oob-exit 500ms --events "$WORK/oob.jsonl" \
    -i "$WORK/tp.nut" -o "$WORK/oob.nut" 2>/dev/null
  python3 - "$WORK/oob.jsonl" >"$WORK/oob.txt" <<'PY'
import json, sys
slate = {}
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["type"] == "frame":
        slate[e["data"]["frame"]] = e["data"]["slate"]
print(sum(1 for f in range(120, 180) if slate[f] == "out-of-body"),
      slate[0], sum(1 for f in slate if slate[f] is None), sum(1 for f in slate if slate[f]))
PY
  read -r oob_slated first clear slated <"$WORK/oob.txt"
  check "out-of-body: all 60 frames of the stretch are the slate ($oob_slated)" [ "$oob_slated" = 60 ]
  check "out-of-body: the stream starts protected" [ "$first" = out-of-body ]
  check "out-of-body: in-body frames go through ($clear)" [ "$clear" -gt 60 ]
  check "out-of-body: the pixels of every slated frame are the slate card ($slated)" \
    [ "$(slate_frames "$WORK/oob.nut" 640 360)" = "$slated" ]
else
  fail "surg-capture not built: out-of-body checks skipped"
fi

# --- usage and input errors -------------------------------------------------------------
expect_status 2 "unknown detector: exit 2" anon --detector nosuch -i "$WORK/src.nut" -o "$WORK/x.nut" 2>/dev/null
expect_status 2 "missing zones file: exit 2" anon --zones "$WORK/none.toml" -i "$WORK/src.nut" -o "$WORK/x.nut" 2>/dev/null
printf '[[zone]]\nx = 0\ny = 0\nw = 2\nh = 0.1\n' >"$WORK/bad.toml"
expect_status 2 "zone outside 0..1: exit 2" anon --zones "$WORK/bad.toml" -i "$WORK/src.nut" -o "$WORK/x.nut" 2>"$WORK/bad.err"
check "zone error names file and line" grep -q 'bad.toml:[0-9]' "$WORK/bad.err"
expect_status 2 "bad --method: exit 2" anon --method smudge -i "$WORK/src.nut" -o "$WORK/x.nut" 2>/dev/null
expect_status 2 "bad --hold: exit 2" anon --hold soon -i "$WORK/src.nut" -o "$WORK/x.nut" 2>/dev/null
expect_status 2 "bad --fill-color: exit 2" anon --fill-color octarine --no-faces --no-oob -i "$WORK/src.nut" -o "$WORK/x.nut" 2>/dev/null
head -c 100000 /dev/urandom >"$WORK/garbage"
expect_status 4 "garbage input: exit 4" anon -i "$WORK/garbage" -o "$WORK/x.nut" 2>/dev/null
expect_status 2 "refuses a terminal on stdout" bash -c "script -qec 'surg-anonymize -i $WORK/src.nut' /dev/null >/dev/null"
timeout -k 2 60 surg-anonymize --no-oob --detector failing -i "$WORK/src.nut" 2>/dev/null | head -c 100000 >/dev/null
check "downstream closing the pipe: exit 0" [ "${PIPESTATUS[0]}" = 0 ]
head -c 500000 "$WORK/src.nut" >"$WORK/truncated.nut"
expect_status 0 "truncated input: exit 0, output finished" \
  anon --no-faces --no-oob -i "$WORK/truncated.nut" -o "$WORK/trunc-out.nut" 2>/dev/null
check "truncated input: the whole frames are out" [ "$(count_frames "$WORK/trunc-out.nut" 2>/dev/null || \
  timeout 30 ffprobe -v error -count_frames -select_streams v -show_entries stream=nb_read_frames -of csv=p=0 "$WORK/trunc-out.nut")" -ge 3 ]
anon --list-detectors >"$WORK/list.txt"
check "--list-detectors names blazeface and haar" bash -c "grep -q '^blazeface ' '$WORK/list.txt' && grep -q '^haar ' '$WORK/list.txt'"

finish
