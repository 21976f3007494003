#!/usr/bin/env bash
# surg-push recordings: mp4 (faststart), mkv, ts, HLS; frame count, audio, keyframe interval,
# metadata allow-list, video-only input, scaling for a preset. Input made by ffmpeg (interop).
source "$(dirname "$0")/lib.sh"
# lib.sh's count_frames prints twice for mpegts (under "program" too): first answer only.
count_frames() { probe -select_streams v:0 -count_frames -show_entries stream=nb_read_frames -of csv=p=0 "$1" | head -1; }
json_true() { jq -e "$1" "$2" >/dev/null; }

# surg_stream SECONDS [SIZE] [extra ffmpeg output args...]: a surg stream on stdout.
surg_stream() {
  local secs=$1 size=${2:-640x360}; shift 2 || shift $#
  timeout -k 2 60 ffmpeg -nostdin -v error -f lavfi -i "testsrc2=size=$size:rate=30" \
    -f lavfi -i sine=f=1000:r=48000 -ac 2 -t "$secs" -c:v rawvideo -pix_fmt yuv420p \
    -c:a pcm_s16le -ar 48000 "$@" -f nut -
}
keyframe_times() {  # keyframe_times FILE -> "0.000 2.000 ..." (pts of video keyframes)
  probe -select_streams v:0 -show_entries packet=pts_time,flags -of csv=p=0 "$1" |
    awk -F, '$2 ~ /K/ { printf "%.3f ", $1 }'
}
moov_before_mdat() {
  python3 - "$1" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
m, t = d.find(b'moov'), d.find(b'mdat')
sys.exit(0 if 0 <= m < t else 1)
PY
}

# HLS is a publication: without --consent only a test stream goes there (--test-stream). The
# input forges what surg-capture --test-pattern writes (its chain, no "encoder" tag).
surg_stream 3 640x360 -metadata surg.case=CASE-0213 -metadata 'surg.chain=capture@0.1.0:test-pattern' \
  -metadata creation_time=2024-01-02T03:04:05Z -metadata title=PatientName -fflags +bitexact >"$WORK/in.nut"
expect_status 0 "push to mp4, mkv, ts and hls at once" \
  surg-push --test-stream -i "$WORK/in.nut" "$WORK/out.mp4" "$WORK/out.mkv" --record "$WORK/out.ts" \
  "hls:$WORK/hls" --stats "$WORK/stats.json"

for f in out.mp4 out.mkv out.ts hls/index.m3u8; do
  check "$f: 90 frames (3 s x 30 fps)" test "$(count_frames "$WORK/$f")" = 90
  check "$f: H.264 video" test "$(probe_entry "$WORK/$f" v:0 codec_name)" = h264
  check "$f: AAC audio at 48 kHz" test "$(probe_entry "$WORK/$f" a:0 codec_name,sample_rate)" = "aac,48000"
done
check "mp4: keyframes every 2 s" test "$(keyframe_times "$WORK/out.mp4")" = "0.000 2.000 "
check "mp4: index (moov) before the media (mdat)" moov_before_mdat "$WORK/out.mp4"
check "mp4: duration 3 s" awk -v d="$(duration_of "$WORK/out.mp4")" 'BEGIN { exit !(d > 2.95 && d < 3.1) }'
check "hls: playlist has segments" grep -q 'segment-00000.ts' "$WORK/hls/index.m3u8"
check "hls: segments exist" test -s "$WORK/hls/segment-00001.ts"
check "stats: frames_in 90" json_true '.frames_in == 90 and .frames_encoded == 90' "$WORK/stats.json"
check "stats: four finished outputs" json_true '[.outputs[] | select(.state == "finished")] | length == 4' "$WORK/stats.json"

for f in out.mp4 out.mkv; do
  fmt=$(probe -show_format -show_streams "$WORK/$f")
  check "$f: surg.case session tag kept" grep -qi 'TAG:surg.case=CASE-0213' <<<"$fmt"
  # Each negative check first requires the probe to have said something.
  check "$f: no encoder tag" bash -c '[ -n "$1" ] && ! grep -qi "encoder=" <<<"$1"' _ "$fmt"
  check "$f: no creation_time" bash -c '[ -n "$1" ] && ! grep -qi "creation_time" <<<"$1"' _ "$fmt"
  check "$f: source title not copied" bash -c '[ -n "$1" ] && ! grep -qi "PatientName" <<<"$1"' _ "$fmt"
  check "$f: no x264 version string" bash -c '[ -s "$1" ] && ! grep -q "x264 - core" "$1"' _ "$WORK/$f"
done

surg_stream 4 >"$WORK/in4.nut"
expect_status 0 "--keyint 1s" surg-push -i "$WORK/in4.nut" --keyint 1s "$WORK/k1.mp4"
check "keyframes every second" test "$(keyframe_times "$WORK/k1.mp4")" = "0.000 1.000 2.000 3.000 "

timeout -k 2 60 ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=320x240:rate=25 -t 2 \
  -c:v rawvideo -f nut - | surg-push "$WORK/video-only.mkv" 2>"$WORK/vo.err"
check "video-only input: 50 frames" test "$(count_frames "$WORK/video-only.mkv")" = 50
check "video-only input: no audio stream" test -z "$(probe_entry "$WORK/video-only.mkv" a:0 codec_name)"

surg_stream 2 1920x1080 | surg-push --preset youtube-720p30 "$WORK/scaled.mp4" 2>"$WORK/scale.err"
check "preset scales 1080p down to 1280x720" test "$(probe_entry "$WORK/scaled.mp4" v:0 width,height)" = "1280,720"
surg_stream 2 640x360 | surg-push --preset youtube-720p30 "$WORK/small.mp4" 2>"$WORK/small.err"
check "preset never upscales (640x360 kept)" test "$(probe_entry "$WORK/small.mp4" v:0 width,height)" = "640,360"
check "and says so" grep -q "never upscaled" "$WORK/small.err"

# Progress line only when stderr is a terminal (script(1) gives it one).
script -qec "surg-push -i '$WORK/in4.nut' '$WORK/tty.mp4'" /dev/null >"$WORK/tty.out" 2>&1
check "progress line on a terminal" grep -qE 'frames [0-9]+ +fps [0-9.]+ +speed [0-9.]+x +bitrate [0-9]+ kbit/s' "$WORK/tty.out"
surg-push -i "$WORK/in4.nut" "$WORK/notty.mp4" 2>"$WORK/notty.err"
check "no progress line when stderr is a file" bash -c '! grep -q "speed" "$1"' _ "$WORK/notty.err"
finish
