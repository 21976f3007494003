#!/usr/bin/env bash
# surg-annotate golden frames: each feature's pixels compared with a render of the same thing
# by ffmpeg's own filters on the same input (drawtext, overlay, subtitles), never with nothing;
# slate length exact in frames; timestamps and audio untouched.
source "$(dirname "$0")/lib.sh"
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
BOLD=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
ff() { timeout -k 2 60 ffmpeg -nostdin -v error -y "$@"; }

# A 4 s 640x360 30 fps test stream with audio: surg-capture's pattern when built, else lavfi.
make_input() {
  local capture=${SURG_CAPTURE:-surg-capture}
  if [ -x "$capture" ]; then
    timeout -k 2 60 "$capture" --test-pattern --size 640x360 --duration 4 >"$1" 2>/dev/null && return
  fi
  ff -f lavfi -i testsrc2=s=640x360:r=30:d=4 -f lavfi -i sine=f=440:r=48000:d=4 -ac 2 \
    -c:v rawvideo -pix_fmt yuv420p -c:a pcm_s16le -f nut "$1"
}

# psnr A B FRAME X Y W H: PSNR (dB, average of planes) of one region of one frame.
psnr() {
  local f="[0:v]select=eq(n\\,$3),crop=$6:$7:$4:$5[a];[1:v]select=eq(n\\,$3),crop=$6:$7:$4:$5[b]"
  ff -i "$1" -i "$2" -filter_complex "$f;[a][b]psnr=stats_file=$WORK/psnr.log" -fps_mode passthrough -f null - &&
    sed -n 's/.*psnr_avg:\([0-9.inf]*\).*/\1/p' "$WORK/psnr.log" | head -1
}
above() { [ "$1" = inf ] || awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }
below() { [ "$1" != inf ] && awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
# Per-frame hashes of one stream: "v"ideo or "a"udio, as "pts,hash" lines.
hashes() { ff -i "$1" -map "0:$2" -c copy -f framemd5 - | grep -v '^#' | awk -F', *' '{print $3","$6}'; }
# ev FILE TYPE CONDITION EXPR: EXPR of the first event of TYPE meeting CONDITION.
ev() { jq -rs "map(select(.type==\"$2\" and ${3:-true}))[0] | $4" "$1"; }
# ffprobe without lib.sh's -nostdin, which ffprobe does not know.
fprobe() { timeout -k 2 30 ffprobe -v error "$@" </dev/null; }

IN=$WORK/in.nut
make_input "$IN"
check "test input made" test -s "$IN"

# --- Title and subtitle: the region matches ffmpeg drawtext of the same text and style.
TITLE="a:b'c%{pts}\\n;[x]drawtext=text=pwned:fontsize=500 — l'équipe 100%"
check "title run" surg-annotate -i "$IN" -o "$WORK/title.nut" --title "$TITLE" --subtitle "Dr Müller" \
  --events "$WORK/title.jsonl"
read -r X Y W H S P L < <(ev "$WORK/title.jsonl" overlay '.data.layer=="title"' \
  '"\(.data.x) \(.data.y) \(.data.w) \(.data.h) \(.data.font_size) \(.data.padding) \(.data.line_spacing)"')
# The reference gets the lines as the tool wrapped them; together they are the whole title.
ev "$WORK/title.jsonl" overlay '.data.layer=="title"' '.data.lines | join("\n")' | head -c -1 >"$WORK/title.txt"
check "wrapped lines keep every character of the title" \
  test "$(ev "$WORK/title.jsonl" overlay '.data.layer=="title"' '.data.lines | join("")' | tr -d ' ')" = "${TITLE// /}"
check "title event has geometry inside the frame" test "$W" -gt 100 -a $((X + W)) -le 640 -a $((Y + H)) -le 360
ff -i "$IN" -vf "drawtext=fontfile=$BOLD:textfile=$WORK/title.txt:expansion=none:fontsize=$S:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=$P:line_spacing=$L:x=$((X + P)):y=$((Y + P))" \
  -c:v rawvideo -f nut "$WORK/title-ref.nut"
p_ref=$(psnr "$WORK/title.nut" "$WORK/title-ref.nut" 10 "$X" "$Y" "$W" "$H")
p_in=$(psnr "$WORK/title.nut" "$IN" 10 "$X" "$Y" "$W" "$H")
check "hostile title renders literally like drawtext textfile= (PSNR $p_ref dB > 30)" above "$p_ref" 30
check "title region differs from the input (PSNR $p_in dB < 20)" below "$p_in" 20
check "the text was not expanded or injected: no 500 px font" test "$H" -lt 100

# --- A very long title wraps inside the frame.
LONG=$(printf 'Ureteroscopy with laser lithotripsy of the lower pole, %.0s' $(seq 4))
check "long title run" surg-annotate -i "$IN" -o /dev/null --title "$LONG" --events "$WORK/long.jsonl" 2>"$WORK/long.err"
check "long title not cut" bash -c "! grep -q 'is cut' '$WORK/long.err'"
read -r X Y W H < <(ev "$WORK/long.jsonl" overlay '.data.layer=="title"' '"\(.data.x) \(.data.y) \(.data.w) \(.data.h)"')
check "long title wrapped within the frame ($X,$Y ${W}x$H)" test "$X" -ge 0 -a "$Y" -ge 0 -a $((X + W)) -le 640 -a $((Y + H)) -le 360 -a "$H" -gt 40

# --- Warning slate: exactly 2 s = 60 frames; later frames untouched; pts and audio untouched.
check "warning run" surg-annotate -i "$IN" -o "$WORK/warn.nut" --warning 2s
hashes "$IN" v >"$WORK/in.v"; hashes "$WORK/warn.nut" v >"$WORK/warn.v"
slate=$(head -1 "$WORK/warn.v" | cut -d, -f2)
n_slate=$(cut -d, -f2 "$WORK/warn.v" | grep -c "^$slate$")
check "slate on exactly 60 frames (got $n_slate)" test "$n_slate" = 60
check "slate frames come first" test "$(head -60 "$WORK/warn.v" | cut -d, -f2 | sort -u | wc -l)" = 1
check "frames after the slate are the input's, bit for bit" \
  cmp -s <(tail -n +61 "$WORK/in.v") <(tail -n +61 "$WORK/warn.v")
check "video timestamps unchanged" cmp -s <(cut -d, -f1 "$WORK/in.v") <(cut -d, -f1 "$WORK/warn.v")
check "audio packets unchanged (pts and md5)" cmp -s <(hashes "$IN" a) <(hashes "$WORK/warn.nut" a)
chain=$(fprobe -show_entries format_tags=surg.chain -of csv=p=0 "$WORK/warn.nut")
check "surg.chain names the step ($chain)" grep -q 'annotate@[^:]*:warning' <<<"$chain"

# --- Logo: the region matches ffmpeg's overlay of the same PNG at the same opacity.
ff -f lavfi -i "color=c=red@1:s=96x64,format=rgba,geq=r=255:g=40:b=40:a='if(lt(X,48),255,90)'" -frames:v 1 "$WORK/logo.png"
check "logo run" surg-annotate -i "$IN" -o "$WORK/logo.nut" --logo "$WORK/logo.png" --logo-opacity 0.8 \
  --logo-position bottom-right --events "$WORK/logo.jsonl"
read -r X Y W H < <(ev "$WORK/logo.jsonl" overlay '.data.layer=="logo"' '"\(.data.x) \(.data.y) \(.data.w) \(.data.h)"')
check "logo in the bottom-right corner" test "$X" -gt 320 -a "$Y" -gt 180 -a "$W" = 96
ff -i "$IN" -i "$WORK/logo.png" -filter_complex \
  "[1]format=rgba,colorchannelmixer=aa=0.8,format=yuva420p[l];[0][l]overlay=x=$X:y=$Y" -c:v rawvideo -f nut "$WORK/logo-ref.nut"
p_ref=$(psnr "$WORK/logo.nut" "$WORK/logo-ref.nut" 20 "$X" "$Y" "$W" "$H")
p_in=$(psnr "$WORK/logo.nut" "$IN" 20 "$X" "$Y" "$W" "$H")
check "logo matches ffmpeg overlay (PSNR $p_ref dB > 35)" above "$p_ref" 35
check "logo region differs from the input (PSNR $p_in dB < 25)" below "$p_in" 25

# --- Clock: a box in the chosen corner that changes once a second (on a still input, so
# only the clock can change the corner).
ff -f lavfi -i color=c=gray:s=640x360:r=30:d=3 -c:v rawvideo -pix_fmt yuv420p -f nut "$WORK/still.nut"
check "clock run" surg-annotate -i "$WORK/still.nut" -o "$WORK/clock.nut" --clock elapsed --clock-position top-right
crops() {  # distinct pictures of the clock corner over the frames selected by $1
  ff -i "$WORK/clock.nut" -vf "select=$1,crop=140:40:500:0" -fps_mode passthrough -f framemd5 - |
    grep -v '^#' | awk -F', *' '{print $6}' | sort -u | wc -l
}
c1=$(crops 'between(n\,0\,29)') c2=$(crops 'between(n\,0\,89)')
p_in=$(psnr "$WORK/clock.nut" "$WORK/still.nut" 5 500 0 140 40)
check "clock drawn top-right (PSNR vs input $p_in dB < 25)" below "$p_in" 25
check "clock constant within the first second, 3 pictures in 3 s ($c1, $c2)" test "$c1" = 1 -a "$c2" = 3
finish
