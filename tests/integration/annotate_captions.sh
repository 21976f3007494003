#!/usr/bin/env bash
# surg-annotate timed captions: SRT and WebVTT cues on screen exactly over their time
# (±1 frame), rendered as ffmpeg's subtitles filter renders them with the same options.
source "$(dirname "$0")/lib.sh"
ff() { timeout -k 2 60 ffmpeg -nostdin -v error -y "$@"; }

IN=$WORK/in.nut
ff -f lavfi -i testsrc2=s=640x360:r=30:d=4 -f lavfi -i sine=f=440:r=48000:d=4 -ac 2 \
  -c:v rawvideo -pix_fmt yuv420p -c:a pcm_s16le -f nut "$IN"
printf '1\r\n00:00:00,500 --> 00:00:01,500\r\nHello <i>world</i>: l'"'"'été 100%%\r\n\r\n2\r\n00:00:02,000 --> 00:00:02,700\r\nC:\\temp\\ [x];a,b\r\n' >"$WORK/c.srt"
printf 'WEBVTT\n\nNOTE timing as in c.srt\n\ncue-1\n00:00.500 --> 00:01.500\nHello world\n\n00:02.000 --> 00:02.700 align:center\nsecond\n' >"$WORK/c.vtt"

# Frame numbers whose bottom third differs from the input's, as "first-last" runs.
caption_runs() {
  paste -d' ' <(ff -i "$IN" -map 0:v -vf crop=iw:ih/3:0:ih*2/3 -fps_mode passthrough -f framemd5 - | grep -v '^#' | awk -F', *' '{print $6}') \
              <(ff -i "$1" -map 0:v -vf crop=iw:ih/3:0:ih*2/3 -fps_mode passthrough -f framemd5 - | grep -v '^#' | awk -F', *' '{print $6}') |
    awk '$1 != $2 { n = NR - 1; if (n != last + 1) { if (start != "") printf "%d-%d ", start, last; start = n } last = n }
         END { if (start != "") printf "%d-%d", start, last }'
}
# near A B: |A - B| <= 1 (one frame of tolerance).
near() { [ $(($1 - $2)) -le 1 ] && [ $(($2 - $1)) -le 1 ]; }

for fmt in srt vtt; do
  check "$fmt captions run" surg-annotate -v -i "$IN" -o "$WORK/$fmt.nut" --captions "$WORK/c.$fmt" \
    --events "$WORK/$fmt.jsonl" 2>"$WORK/$fmt.log"
  runs=$(caption_runs "$WORK/$fmt.nut")
  read -r r1 r2 rest <<<"$runs"
  # Cues 0.5-1.5 s and 2.0-2.7 s at 30 fps: frames 15-44 and 60-80.
  check "$fmt cue 1 on frames ${r1:-none} (want 15-44 ±1)" near "${r1%-*}" 15
  check "$fmt cue 1 ends on time" near "${r1#*-}" 44
  check "$fmt cue 2 on frames ${r2:-none} (want 60-80 ±1)" near "${r2%-*}" 60
  check "$fmt cue 2 ends on time" near "${r2#*-}" 80
  check "$fmt nothing else captioned (${rest:-})" test -z "$rest"
  times=$(jq -r 'select(.type=="caption") | .pts * (.tb | split("/") | (.[0] | tonumber) / (.[1] | tonumber))' \
    "$WORK/$fmt.jsonl" | tr '\n' ' ')
  check "$fmt cue events at the frames where the cues start ($times)" test "$times" = "0.5 2 "
done

# Golden: ffmpeg's subtitles filter on the same caption file with surg-annotate's caption style
# (lib/surg/annotate/annotator.cpp: DejaVu Sans, 14 ASS points, a box of 40%-transparent black,
# 14 px bottom margin), built here from the input, not replayed from what the tool logged.
fonts=/usr/share/fonts/truetype/dejavu
style='FontName=DejaVu Sans,FontSize=14,BorderStyle=4,Outline=1,Shadow=0,BackColour=&H66000000,MarginV=14'
(cd "$WORK" && ff -i "$IN" -vf "subtitles=filename=c.srt:fontsdir=$fonts:force_style='$style'" \
  -c:v rawvideo -f nut "$WORK/ref.nut")
check "captions are ffmpeg's subtitles rendering of the file, bit for bit" \
  cmp -s <(ff -i "$WORK/srt.nut" -map 0:v -f framemd5 - | grep -v '^#') <(ff -i "$WORK/ref.nut" -map 0:v -f framemd5 - | grep -v '^#')
finish
