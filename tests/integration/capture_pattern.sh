#!/usr/bin/env bash
# surg-capture --test-pattern through real FFmpeg: exact frame counts, audio format, A/V
# sync of the flash and the beep measured on the output, out-of-body stretches, tags.
source "$(dirname "$0")/lib.sh"

# ffprobe 5.1 has no -nostdin: stdin comes from /dev/null instead.
ffp() { timeout -k 2 60 ffprobe -v error "$@" </dev/null; }
frames_of() { ffp -select_streams v:0 -count_frames -show_entries stream=nb_read_frames -of csv=p=0 "$1"; }
# Audio samples per channel, decoded.
samples_of() { echo $(($(timeout -k 2 60 ffmpeg -nostdin -v error -i "$1" -map 0:a -f s16le - | wc -c) / 4)); }
# "time yavg" a frame.
luma_of() {
  ffp -f lavfi -i "movie=$1,signalstats" -show_entries frame=pts_time:frame_tags=lavfi.signalstats.YAVG \
    -of csv=p=0 | tr ',' ' '
}
# "time yavg" of the centre of each frame, inside the field of view the flash lights.
centre_luma_of() {
  ffp -f lavfi -i "movie=$1,crop=iw/4:ih/4,signalstats" -show_entries frame=pts_time:frame_tags=lavfi.signalstats.YAVG \
    -of csv=p=0 | tr ',' ' '
}

# Frame count = duration x fps, read by ffmpeg from the pipe.
piped=$(surg-capture --test-pattern --duration 2 --fps 25 --size 640x360 2>"$WORK/err" |
  timeout -k 2 60 ffmpeg -nostdin -v error -f nut -i - -map 0:v -f framecrc - | grep -c '^0,')
check "--duration 2 --fps 25 piped into ffmpeg gives 50 frames (got $piped)" test "$piped" = 50

surg-capture --duration 2 -o "$WORK/d2.nut" 2>"$WORK/err"
check "default 30 fps: --duration 2 gives 60 frames" test "$(frames_of "$WORK/d2.nut")" = 60
check "default size is 1280x720" test "$(ffp -select_streams v:0 -show_entries stream=width,height -of csv=p=0 "$WORK/d2.nut")" = "1280,720"
check "video is rawvideo yuv420p" test "$(ffp -select_streams v:0 -show_entries stream=codec_name,pix_fmt -of csv=p=0 "$WORK/d2.nut")" = "rawvideo,yuv420p"
check "audio is pcm_s16le 48 kHz stereo" \
  test "$(ffp -select_streams a:0 -show_entries stream=codec_name,sample_rate,channels -of csv=p=0 "$WORK/d2.nut")" = "pcm_s16le,48000,2"
check "audio covers exactly 2 s (96000 samples)" test "$(samples_of "$WORK/d2.nut")" = 96000
chain=$(ffp -show_entries format_tags -of default=nw=1 "$WORK/d2.nut")
check "the only tag is surg.chain with the capture step ($chain)" \
  test "$chain" = "TAG:surg.chain=capture@$(surg-capture --version | awk '{print $2}'):test-pattern,1280x720"

surg-capture --duration 2 --fps 30000/1001 --size 640x360 -o "$WORK/ntsc.nut" 2>"$WORK/err"
check "30000/1001 over 2 s: 60 frames" test "$(frames_of "$WORK/ntsc.nut")" = 60
pts=$(ffp -select_streams v:0 -show_entries packet=pts -read_intervals '%+#3' -of csv=p=0 "$WORK/ntsc.nut" | tr '\n' ' ')
check "30000/1001 timestamps step by 3003 in 1/90000 ($pts)" test "$pts" = "0 3003 6006 "

# A/V sync: every flash has a beep within one frame of it, at NTSC rate where the
# flash does not fall on a whole second.
surg-capture --duration 4 --fps 30000/1001 --size 640x360 -o "$WORK/sync.nut" 2>"$WORK/err"
flash_times "$WORK/sync.nut" >"$WORK/flash"
beep_times "$WORK/sync.nut" 0 >"$WORK/beep"
check "four flashes found ($(tr '\n' ' ' <"$WORK/flash"))" test "$(wc -l <"$WORK/flash")" = 4
check "four beeps found ($(tr '\n' ' ' <"$WORK/beep"))" test "$(wc -l <"$WORK/beep")" = 4
worst=$(paste "$WORK/flash" "$WORK/beep" | awk '{d = $1 - $2; d = d < 0 ? -d : d; if (d > m) m = d} END {printf "%.6f", m}')
check "flash and beep within one frame (worst offset ${worst}s < 0.0333)" awk -v w="$worst" 'BEGIN {exit !(w < 1001 / 30000)}'
check "flashes start on the first frame of each second" \
  test "$(tr '\n' ' ' <"$WORK/flash")" = "0.000000 1.001000 2.002000 3.003000 "

# Out of body: bright (not white, not dark) frames exactly in [3,4) and [6,7).
surg-capture --duration 8 --fps 10 --size 640x360 --oob-every 3 --oob-length 1 -o "$WORK/oob.nut" 2>"$WORK/err"
luma_of "$WORK/oob.nut" >"$WORK/oob"
bright=$(awk '$2 > 120 && $2 < 200 {printf "%.1f ", $1}' "$WORK/oob")
check "--oob-every 3 --oob-length 1: bright frames at 3.1-3.9 and 6.1-6.9 ($bright)" \
  test "$bright" = "3.1 3.2 3.3 3.4 3.5 3.6 3.7 3.8 3.9 6.1 6.2 6.3 6.4 6.5 6.6 6.7 6.8 6.9 "
centre_luma_of "$WORK/oob.nut" >"$WORK/oob-centre"
check "the endoscope scene is dark between them (flash aside)" \
  awk '$1 > 4.05 && $1 < 5.95 && $4 <= 200 {n++; if ($2 > 100) bad = 1} END {exit bad || n < 17}' \
  <(paste -d' ' "$WORK/oob" "$WORK/oob-centre")
check "surg.chain records the out-of-body stretches" \
  bash -c "timeout 30 ffprobe -v error -show_entries format_tags -of default=nw=1 '$WORK/oob.nut' </dev/null | grep -q 'test-pattern,640x360,oob'"

# The pattern renders far faster than real time at 1080p30 (the push benchmark needs it).
start=$(date +%s.%N)
surg-capture --size 1920x1080 --duration 10 2>"$WORK/err" | cat >/dev/null
took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.2f", e - s}')
check "10 s of 1080p30 produced in ${took}s (< 5 s)" awk -v t="$took" 'BEGIN {exit !(t < 5)}'

surg-capture --duration 1 --size 320x240 --audio none -o "$WORK/mute.nut" 2>"$WORK/err"
check "--audio none: video only" test "$(ffp -show_entries stream=codec_type -of csv=p=0 "$WORK/mute.nut")" = video

# --read-timecode: the pattern's time code read back from a surg stream, a lossy encode and
# a stream masked outside the circular field (the code's inner copy).
surg-capture --duration 2 --size 1280x720 --audio none -o "$WORK/tc.nut" 2>"$WORK/err"
surg-capture --input "$WORK/tc.nut" --read-timecode --stats "$WORK/tc.json" >"$WORK/tc.jsonl" 2>"$WORK/err"
check "--read-timecode: one line a frame, numbered 0..59"   test "$(python3 -c "import json,sys; print([json.loads(l)['frame'] for l in open(sys.argv[1])] == list(range(60)))" "$WORK/tc.jsonl")" = True
check "--read-timecode: latency = now - capture time, >= 0" python3 -c "
import json, sys
for l in open(sys.argv[1]):
    j = json.loads(l)
    assert j['latency_ms'] >= 0 and abs(j['now_us'] - j['capture_us'] - 1000 * j['latency_ms']) < 2, j
" "$WORK/tc.jsonl"
check "--read-timecode stats: 60 read, p50 <= p95 <= max" python3 -c "
import json, sys
s = json.load(open(sys.argv[1])); l = s['latency_ms']
assert s['read'] == 60 and s['unreadable'] == 0 and l['p50'] <= l['p95'] <= l['max'], s
" "$WORK/tc.json"
# Masked outside the circle (what surg-anonymize --mask-outside-circle does), then H.264.
timeout -k 2 60 ffmpeg -nostdin -v error -i "$WORK/tc.nut" \
  -vf "geq=lum='if(lte(hypot(X-W/2,Y-H/2),0.455*H),lum(X,Y),16)':cb='cb(X,Y)':cr='cr(X,Y)'" \
  -c:v libx264 -preset veryfast -b:v 2500k -pix_fmt yuv420p "$WORK/masked.mp4"
surg-capture --input "$WORK/masked.mp4" --read-timecode --stats "$WORK/masked.json" >/dev/null 2>"$WORK/err"
check "--read-timecode reads the inner copy through a circle mask and H.264 (>= 55 of 60)" python3 -c "
import json, sys; s = json.load(open(sys.argv[1])); assert s['read'] >= 55, s" "$WORK/masked.json"
timeout -k 2 30 ffmpeg -nostdin -v error -f lavfi -i testsrc2=s=1280x720:r=30:d=1 -c:v rawvideo -f nut "$WORK/plain.nut"
surg-capture --input "$WORK/plain.nut" --read-timecode --stats "$WORK/plain.json" >"$WORK/plain.jsonl" 2>"$WORK/err"
check "--read-timecode on video without a code prints nothing, counts 30 unreadable" python3 -c "
import json, os, sys; s = json.load(open(sys.argv[1]))
assert s['read'] == 0 and s['unreadable'] == 30 and os.path.getsize(sys.argv[2]) == 0, s" "$WORK/plain.json" "$WORK/plain.jsonl"
expect_status 2 "--read-timecode of the test pattern itself is a usage error" surg-capture --read-timecode
expect_status 2 "a bad --fps is a usage error" surg-capture --fps 0 -o "$WORK/x.nut"
expect_status 2 "--oob-length not below --oob-every is a usage error" surg-capture --oob-every 2 --oob-length 2 -o "$WORK/x.nut"
expect_status 2 "an odd --size is a usage error" surg-capture --size 641x360 -o "$WORK/x.nut"
finish
