#!/usr/bin/env bash
# surg-anonymize on deterministic inputs: zones against ffmpeg's drawbox (bit-exact), the
# test pattern's fake patient block gone (zone profile, --mask-outside-circle), the hold of
# a face box, audio packets untouched, metadata allow-list and surg.chain.
source "$(dirname "$0")/lib.sh"

ff() { timeout -k 2 60 ffmpeg -nostdin -v error "$@"; }
# ystats FILE X Y W H: "min max edge" of the luma (raw Y values, no range conversion) in that
# rectangle, one line per frame; edge = largest difference between horizontal neighbours.
ystats() {
  ff -i "$1" -map 0:v -vf "extractplanes=y,crop=$4:$5:$2:$3" -f rawvideo - |
    python3 -c "import sys
w, n = $4, $4 * $5
d = sys.stdin.buffer.read()
for i in range(0, len(d), n):
    f = d[i:i + n]
    edge = max(abs(f[j] - f[j - 1]) for j in range(len(f)) if j % w)
    print(min(f), max(f), edge)"
}
tags_of() { timeout -k 2 30 ffprobe -v error -show_entries format_tags -of default=nw=1 "$1"; }
anon() { timeout -k 2 60 surg-anonymize "$@"; }

# A deterministic 2 s source: moving colour pattern, 440 Hz stereo, some metadata a source
# could carry that must not pass, and a session tag that must.
ff -f lavfi -i testsrc2=s=320x240:r=30:d=2 -f lavfi -i sine=f=440:r=48000:d=2 \
  -c:v rawvideo -pix_fmt yuv420p -c:a pcm_s16le -ac 2 \
  -metadata surg.case=CASE-0001 -metadata creation_time=2026-01-01T10:00:00Z \
  -metadata comment="Jane Doe, room 4" -metadata encoder=Lavf-secret -f nut "$WORK/src.nut"

# --- zones: bit-exact with ffmpeg drawbox ---------------------------------------------
cat >"$WORK/z.toml" <<'TOML'
[[zone]]
name = "middle"
x = 0.25
y = 0.5
w = 0.5
h = 0.25
TOML
anon --no-faces --no-oob --zones "$WORK/z.toml" -i "$WORK/src.nut" -o "$WORK/zones.nut" 2>"$WORK/zones.err"
ff -i "$WORK/zones.nut" -map 0:v -f framemd5 - | grep -v '^#' | cut -d, -f6 >"$WORK/ours.md5"
ff -i "$WORK/src.nut" -map 0:v -vf "drawbox=x=80:y=120:w=160:h=60:color=black:t=fill" -c:v rawvideo \
  -pix_fmt yuv420p -f framemd5 - | grep -v '^#' | cut -d, -f6 >"$WORK/ref.md5"
check "zones: every frame equals ffmpeg drawbox fill (60 frames)" \
  bash -c "[ \$(wc -l <'$WORK/ours.md5') = 60 ] && cmp -s '$WORK/ours.md5' '$WORK/ref.md5'"

# --- audio and metadata ---------------------------------------------------------------
check "audio packets identical (md5 of the audio stream)" \
  bash -c "[ \"\$(timeout 30 ffmpeg -nostdin -v error -i '$WORK/src.nut' -map 0:a -f md5 -)\" = \
            \"\$(timeout 30 ffmpeg -nostdin -v error -i '$WORK/zones.nut' -map 0:a -f md5 -)\" ]"
check "audio timestamps kept" \
  bash -c "[ \"\$(timeout 30 ffprobe -v error -select_streams a -show_entries packet=pts -of csv '$WORK/src.nut')\" = \
            \"\$(timeout 30 ffprobe -v error -select_streams a -show_entries packet=pts -of csv '$WORK/zones.nut')\" ]"
check "video timestamps kept" \
  bash -c "[ \"\$(timeout 30 ffprobe -v error -select_streams v -show_entries packet=pts -of csv '$WORK/src.nut')\" = \
            \"\$(timeout 30 ffprobe -v error -select_streams v -show_entries packet=pts -of csv '$WORK/zones.nut')\" ]"
tags=$(tags_of "$WORK/zones.nut")
check "session tag passes: surg.case" grep -q 'surg.case=CASE-0001' <<<"$tags"
check "surg.chain gains anonymize:zones,text" grep -qE 'surg.chain=anonymize@[0-9.]+:zones,text$' <<<"$tags"
check "source metadata dropped (creation_time, comment)" \
  bash -c "[ -n '$tags' ] && ! grep -qiE 'creation_time|comment|Jane' <<<'$tags'"

# --- the hold: a face detected on frame 10 only ----------------------------------------
# 200 ms at 30 fps: covered on frames 10..16, not on 9 or 17 (no pad, so the box is exact:
# 40x40 at 100,100; the scripted detector's boxes are taken as they are).
printf '# frame x y w h\n10 100 100 40 40\n' >"$WORK/script.txt"
anon --no-oob --detector scripted --detector-script "$WORK/script.txt" --method fill --pad 0 \
  --hold 200ms -i "$WORK/src.nut" -o "$WORK/held.nut" 2>"$WORK/held.err"
ystats "$WORK/held.nut" 100 100 40 40 >"$WORK/held.stats"
covered=$(awk '$1 == 16 && $2 == 16 { printf "%d ", NR - 1 }' "$WORK/held.stats")
check "face box filled on frames 10..16 exactly (got: $covered)" [ "$covered" = "10 11 12 13 14 15 16 " ]

anon --no-oob --detector scripted --detector-script "$WORK/script.txt" --method blur \
  -i "$WORK/src.nut" -o "$WORK/blur.nut" 2>/dev/null
ystats "$WORK/src.nut" 100 100 40 40 | sed -n 11p >"$WORK/a"
ystats "$WORK/blur.nut" 100 100 40 40 | sed -n 11p >"$WORK/b"
check "blur removes the edges in the box (min max edge: $(cat "$WORK/a") -> $(cat "$WORK/b"))" \
  awk 'NR == FNR { before = $3; next } { exit !(before > 40 && $3 < 12) }' "$WORK/a" "$WORK/b"

# --- the test pattern's fake patient block -------------------------------------------
if command -v surg-capture >/dev/null; then
  capture=surg-capture
  timeout -k 2 30 "$capture" --test-pattern --size 640x360 --duration 1s -o "$WORK/tp.nut" 2>/dev/null
  # The block: 5 lines of white text top-left, left of the circle (x < 154 at 640x360).
  check "test pattern: bright text in the block before" \
    awk '$2 < 200 { bad = 1 } END { exit bad }' <(ystats "$WORK/tp.nut" 0 0 150 90)
  anon --no-faces --no-oob --zones "$SRC/examples/zones/test-pattern.toml" -i "$WORK/tp.nut" -o "$WORK/tpz.nut" 2>/dev/null
  check "test pattern + zone profile: the block is solid black on every frame" \
    awk '$1 != 16 || $2 != 16 { bad = 1 } END { exit bad || NR != 30 }' <(ystats "$WORK/tpz.nut" 0 0 150 90)
  anon --no-faces --no-oob --mask-outside-circle --events "$WORK/circle.jsonl" -i "$WORK/tp.nut" \
    -o "$WORK/tpc.nut" 2>/dev/null
  check "test pattern + --mask-outside-circle: the block is solid black on every frame" \
    awk '$1 != 16 || $2 != 16 { bad = 1 } END { exit bad || NR != 30 }' <(ystats "$WORK/tpc.nut" 0 0 150 90)
  check "test pattern + --mask-outside-circle: the circle's middle is untouched" \
    cmp -s <(ystats "$WORK/tp.nut" 270 130 100 100) <(ystats "$WORK/tpc.nut" 270 130 100 100)
  check "the circle found is the pattern's (centre 320,180, radius ~166)" \
    python3 -c "import json,sys
c = json.loads(open('$WORK/circle.jsonl').readlines()[9])['data']['circle']  # after the flash
sys.exit(not (abs(c['x'] - 320) < 6 and abs(c['y'] - 180) < 6 and 160 < c['r'] < 176))"
else
  fail "surg-capture not built: test pattern checks skipped"
fi

finish
