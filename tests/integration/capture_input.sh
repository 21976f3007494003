#!/usr/bin/env bash
# surg-capture --input: real files, cuts with --start/--duration, source timestamps kept,
# source metadata dropped, --realtime pacing, and the errors for bad inputs.
source "$(dirname "$0")/lib.sh"

# ffprobe 5.1 has no -nostdin: stdin comes from /dev/null instead.
ffp() { timeout -k 2 60 ffprobe -v error "$@" </dev/null; }
frames_of() { ffp -select_streams v:0 -count_frames -show_entries stream=nb_read_frames -of csv=p=0 "$1"; }
samples_of() { echo $(($(timeout -k 2 60 ffmpeg -nostdin -v error -i "$1" -map 0:a -f s16le - | wc -c) / 4)); }
first_time() { ffp -select_streams "$2" -show_entries packet=pts_time -read_intervals '%+#1' -of csv=p=0 "$1" | head -1; }

if need_data "a real MPEG-4 file: the EndoVis clip" endovis2017-robotic-clip; then
  clip=$DATA/endovis2017-robotic-clip/short_source.mp4
  surg-capture --input "$clip" -o "$WORK/clip.nut" 2>"$WORK/err"
  check "the EndoVis clip: all 20 frames" test "$(frames_of "$WORK/clip.nut")" = 20
  check "the EndoVis clip: 1920x1080 yuv420p" \
    test "$(ffp -select_streams v:0 -show_entries stream=width,height,pix_fmt -of csv=p=0 "$WORK/clip.nut")" = "1920,1080,yuv420p"
  check "the EndoVis clip has no audio, so neither has the output" \
    test -z "$(ffp -select_streams a -show_entries stream=index -of csv=p=0 "$WORK/clip.nut")"
fi

# A source full of metadata, in a pixel format that needs converting, with 44.1 kHz audio.
timeout -k 2 60 ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=320x240:rate=25:duration=6 \
  -f lavfi -i sine=frequency=440:sample_rate=44100:duration=6 -c:v libx264 -preset ultrafast \
  -pix_fmt yuv422p -c:a aac -metadata title=SECRET-TITLE -metadata comment=SECRET-COMMENT \
  -metadata creation_time=2025-01-01T10:00:00Z -metadata:s:v handler_name=SECRET-CAMERA \
  -metadata location=+48.85+002.35/ "$WORK/src.mp4"
surg-capture --input "$WORK/src.mp4" -o "$WORK/all.nut" 2>"$WORK/err"
ffp -show_format -show_streams "$WORK/all.nut" >"$WORK/meta"
check "no source metadata in the output (ffprobe)" \
  bash -c '[ -s "$1" ] && ! grep -qiE "SECRET|creation_time|TAG:location|handler_name" "$1"' _ "$WORK/meta"
check "no tag but surg.chain anywhere in the output" test "$(grep '^TAG:' "$WORK/meta" | grep -vc '^TAG:surg.chain=')" = 0
check "no source metadata in the output bytes" lacks SECRET "$WORK/all.nut"
check "the only tag is surg.chain: capture@...:file" \
  test "$(ffp -show_entries format_tags -of default=nw=1 "$WORK/all.nut" | sed 's/@[^:]*:/@V:/')" = "TAG:surg.chain=capture@V:file"
check "yuv422p converted to yuv420p" test "$(ffp -select_streams v:0 -show_entries stream=pix_fmt -of csv=p=0 "$WORK/all.nut")" = yuv420p
check "44.1 kHz AAC resampled to pcm_s16le 48 kHz stereo" \
  test "$(ffp -select_streams a:0 -show_entries stream=codec_name,sample_rate,channels -of csv=p=0 "$WORK/all.nut")" = "pcm_s16le,48000,2"
check "all 150 frames" test "$(frames_of "$WORK/all.nut")" = 150

# Cuts: --start counts from the input's start, timestamps stay the source's.
surg-capture --input "$WORK/src.mp4" --start 1 --duration 2 -o "$WORK/cut.nut" 2>"$WORK/err"
check "--start 1 --duration 2 at 25 fps: 50 frames" test "$(frames_of "$WORK/cut.nut")" = 50
check "--start 1 --duration 2: 96000 audio samples" test "$(samples_of "$WORK/cut.nut")" = 96000
check "the first video frame keeps its source time 1.0 s ($(first_time "$WORK/cut.nut" v:0))" \
  test "$(first_time "$WORK/cut.nut" v:0)" = 1.000000
check "the first audio sample is at 1.0 s too ($(first_time "$WORK/cut.nut" a:0))" \
  test "$(first_time "$WORK/cut.nut" a:0)" = 1.000000
check "surg.chain says the input was cut" \
  bash -c "timeout 30 ffprobe -v error -show_entries format_tags -of default=nw=1 '$WORK/cut.nut' </dev/null | grep -q ':file,cut$'"
surg-capture --input "$WORK/src.mp4" --start 4.5 -o "$WORK/tail.nut" 2>"$WORK/err"
check "--start 4.5 alone: frames 4.52 s to 5.96 s, 37 of them" test "$(frames_of "$WORK/tail.nut")" = 37
check "the cut starts on the first frame at or after 4.5 s" test "$(first_time "$WORK/tail.nut" v:0)" = 4.520000
surg-capture --input "$WORK/src.mp4" --duration 500ms --size 160x120 -o "$WORK/small.nut" 2>"$WORK/err"
check "--duration 500ms: 13 frames" test "$(frames_of "$WORK/small.nut")" = 13
check "--size scales the input" test "$(ffp -select_streams v:0 -show_entries stream=width,height -of csv=p=0 "$WORK/small.nut")" = "160,120"

# Standard input, here an MPEG-TS whose timestamps do not start at zero: they are kept.
timeout -k 2 60 ffmpeg -nostdin -v error -i "$WORK/src.mp4" -t 2 -c copy -f mpegts "$WORK/src.ts"
surg-capture -i - -o "$WORK/stdin.nut" <"$WORK/src.ts" 2>"$WORK/err"
check "-i - reads a stream from stdin: 50 frames" test "$(frames_of "$WORK/stdin.nut")" = 50
check "MPEG-TS timestamps are kept, not re-timed to zero ($(first_time "$WORK/stdin.nut" v:0))" \
  awk -v t="$(first_time "$WORK/stdin.nut" v:0)" 'BEGIN {exit !(t > 1)}'

# --realtime takes about the media time in wall time (loose bounds: shared CI machines).
start=$(date +%s.%N)
surg-capture --input "$WORK/src.mp4" --duration 2 --realtime --stats "$WORK/rt.json" -o "$WORK/rt.nut" 2>"$WORK/err"
took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.2f", e - s}')
check "--realtime --duration 2 takes about 2 s of wall time (${took}s)" awk -v t="$took" 'BEGIN {exit !(t > 1.8 && t < 6)}'
check "--realtime into a file drops nothing" grep -q '"frames_dropped":0' "$WORK/rt.json"
start=$(date +%s.%N)
surg-capture --test-pattern --duration 2 --realtime --size 320x240 -o "$WORK/rtp.nut" 2>"$WORK/err"
took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.2f", e - s}')
check "--realtime paces the test pattern too (${took}s)" awk -v t="$took" 'BEGIN {exit !(t > 1.8 && t < 6)}'

# Errors: one clear line, the documented status.
expect_status 1 "a missing file is an I/O failure (exit 1)" surg-capture --input "$WORK/none.mp4" -o "$WORK/x.nut" 2>"$WORK/err"
check "its error names the file on one line" bash -c "[ \$(wc -l <'$WORK/err') = 1 ] && grep -q 'none.mp4: No such file' '$WORK/err'"
yes "this is not a video" | head -c 100000 >"$WORK/garbage.dat"
expect_status 4 "a file that is not media is invalid input (exit 4)" surg-capture --input "$WORK/garbage.dat" -o "$WORK/x.nut" 2>"$WORK/err"
check "its error says so" grep -qE 'garbage.dat: (not a media file|cannot read stream parameters)' "$WORK/err"
head -c 300000 "$WORK/src.ts" >"$WORK/truncated.ts"
expect_status 0 "a truncated MPEG-TS ends cleanly at its last whole frame" surg-capture --input "$WORK/truncated.ts" -o "$WORK/x.nut" 2>"$WORK/err"
timeout -k 2 60 ffmpeg -nostdin -v error -f lavfi -i sine=duration=1 "$WORK/audio.wav"
expect_status 4 "an input without video is invalid input (exit 4)" surg-capture --input "$WORK/audio.wav" -o "$WORK/x.nut" 2>"$WORK/err"
expect_status 2 "an unknown --input-format is a usage error" surg-capture --input "$WORK/src.mp4" --input-format nosuch -o "$WORK/x.nut" 2>"$WORK/err"
# libavdevice is loaded only when a demuxer libavformat lacks is named (decode.cpp): the binary
# must not link it (every start would load SDL, PulseAudio, X11 and GL), and a device demuxer
# named on the command line must still be found.
needed=$(readelf -d "$(command -v surg-capture)" | awk '/NEEDED/ { print $NF }' | tr -d '[]' | tr '\n' ' ')
check "surg-capture does not link libavdevice ($needed)" test -n "$needed" -a "${needed/libavdevice/}" = "$needed"
surg-capture --input-format lavfi --input "testsrc2=size=160x120:rate=25:duration=0.4" -o "$WORK/lavfi.nut" 2>"$WORK/err"
check "a device demuxer (lavfi) is loaded when named: 10 frames" test "$(frames_of "$WORK/lavfi.nut")" = 10
expect_status 2 "--fps with --input is a usage error" surg-capture --input "$WORK/src.mp4" --fps 25 -o "$WORK/x.nut" 2>"$WORK/err"
finish
