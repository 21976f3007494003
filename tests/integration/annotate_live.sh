#!/usr/bin/env bash
# surg-annotate live control: a caption written to the --control FIFO is on screen within
# 2 frames of a live (paced) stream; a mark becomes an event and an in-band mark at its
# frame, and passes through a later stage untouched; a title command shows a title on a
# stream started without --title, then changes it, from the frame its event names, and a
# title --title would refuse is refused, as is a caption with a control character in it.
source "$(dirname "$0")/lib.sh"
ff() { timeout -k 2 60 ffmpeg -nostdin -v error -y "$@"; }
fprobe() { timeout -k 2 30 ffprobe -v error "$@" </dev/null; }
# Bytes of output a frame: the picture and a frame's worth of 48 kHz stereo s16.
FPS=10 FRAME_BYTES=$((320 * 240 * 3 / 2 + 48000 * 4 / 10))

IN=$WORK/in.nut
ff -f lavfi -i testsrc2=s=320x240:r=$FPS:d=6 -f lavfi -i sine=r=48000:d=6 -ac 2 \
  -c:v rawvideo -pix_fmt yuv420p -c:a pcm_s16le -f nut "$IN"
mkfifo "$WORK/ctl"
timeout -k 2 30 ffmpeg -nostdin -v error -re -i "$IN" -c copy -f nut - |
  surg-annotate --control "$WORK/ctl" --events "$WORK/ev.jsonl" -o "$WORK/out.nut" 2>"$WORK/err" &
bg_track $!

# Frames written so far to $OUT, ±1 (audio and video interleave).
OUT=$WORK/out.nut
frames_out() { echo $(($(stat -c %s "$OUT" 2>/dev/null || echo 0) / FRAME_BYTES)); }
wait_frames() { for _ in $(seq 100); do [ "$(frames_out)" -ge "$1" ] && return; sleep 0.05; done; }

caption_text="Here we are in the bladder: l'uretère, 100%"
caption_cmd=$(jq -cn --arg t "$caption_text" '{cmd: "caption", text: $t, duration: 2}')
wait_frames 15
sent_caption=$(frames_out)
printf '%s\n' "$caption_cmd" >"$WORK/ctl"
wait_frames 35
sent_mark=$(frames_out)
printf '%s\n' '{"cmd":"mark","label":"stone found"}' >"$WORK/ctl"
wait
check "live run finished" test -s "$WORK/out.nut"

frame_of() {  # frame number of the first event of type $1
  jq -rs "map(select(.type==\"$1\"))[0] | .pts * (.tb | split(\"/\") | (.[0]|tonumber) / (.[1]|tonumber)) * $FPS | round" "$WORK/ev.jsonl"
}
cap=$(frame_of caption) mark=$(frame_of mark)
check "caption event at frame $cap, sent after frame $sent_caption: within 2 frames" \
  test "$cap" -ge $((sent_caption - 1)) -a "$cap" -le $((sent_caption + 2))
check "mark event at frame $mark, sent after frame $sent_mark: within 2 frames" \
  test "$mark" -ge $((sent_mark - 1)) -a "$mark" -le $((sent_mark + 2))

# The caption is on screen from its event's frame (bottom third differs from the input).
bottom() { ff -i "$1" -map 0:v -vf "select=eq(n\\,$2),crop=iw:ih/3:0:ih*2/3" -fps_mode passthrough -f framemd5 - | grep -v '^#' | awk -F', *' '{print $6}'; }
check "caption not on frame $((cap - 1))" test "$(bottom "$IN" $((cap - 1)))" = "$(bottom "$WORK/out.nut" $((cap - 1)))"
check "caption on frame $cap" test "$(bottom "$IN" "$cap")" != "$(bottom "$WORK/out.nut" "$cap")"
check "caption gone 2 s later" test "$(bottom "$IN" $((cap + 21)))" = "$(bottom "$WORK/out.nut" $((cap + 21)))"

# Golden: the caption region is ffmpeg's drawtext of the text SENT (not the text the tool says
# it drew), broken where the tool broke its lines (it may wrap at word boundaries only), with
# the tool's layout options.
lines=$(jq -rs 'map(select(.type=="caption"))[0].data.lines | join("\n")' "$WORK/ev.jsonl")
check "the caption's lines are the text sent, wrapped at spaces only" \
  test "$(tr '\n' ' ' <<<"$lines" | sed 's/ $//')" = "$caption_text"
printf '%s' "$caption_text" | awk -v lines="$lines" 'BEGIN { n = split(lines, want, "\n") }
  { text = $0; out = ""; for (i = 1; i < n; i++) { k = length(want[i]); out = out substr(text, 1, k) "\n"; text = substr(text, k + 2) }
    printf "%s%s", out, text }' >"$WORK/caption.txt"
opts=$(jq -rs 'map(select(.type=="caption"))[0].data.drawtext | to_entries | map("\(.key)=\(.value)") | join(":")' "$WORK/ev.jsonl")
ff -i "$IN" -map 0:v -vf "drawtext=textfile=$WORK/caption.txt:$opts" -c:v rawvideo -f nut "$WORK/ref.nut"
region() {  # PSNR of the bottom third of frame $cap between two files
  ff -i "$1" -i "$2" -filter_complex "[0:v]select=eq(n\\,$cap),crop=iw:ih/3:0:ih*2/3[a];[1:v]select=eq(n\\,$cap),crop=iw:ih/3:0:ih*2/3[b];[a][b]psnr=stats_file=$WORK/psnr.log" -fps_mode passthrough -f null - &&
    sed -n 's/.*psnr_avg:\([0-9.inf]*\).*/\1/p' "$WORK/psnr.log"
}
p_ref=$(region "$WORK/out.nut" "$WORK/ref.nut") p_in=$(region "$WORK/out.nut" "$IN")
check "live caption is drawtext's rendering of its text (PSNR $p_ref dB)" awk -v p="$p_ref" 'BEGIN { exit !(p == "inf" || p > 40) }'
check "live caption region differs from the input (PSNR $p_in dB)" awk -v p="$p_in" 'BEGIN { exit !(p != "inf" && p < 25) }'

# In-band: the marks track carries the label at the mark's pts.
marks() { fprobe -select_streams s -show_packets -show_data -of compact "$1"; }
check "the output declares the marks track" test "$(fprobe -select_streams s -show_entries stream_tags=title -of csv=p=0 "$WORK/out.nut")" = surg.marks
mark_pts_time=$(jq -r 'select(.type=="mark") | .pts * (.tb | split("/") | (.[0]|tonumber) / (.[1]|tonumber))' "$WORK/ev.jsonl")
check "one in-band mark at the event's time ($mark_pts_time s)" \
  awk -F'|' -v t="$mark_pts_time" '/pts_time/ { for (i = 1; i <= NF; i++) if ($i ~ /^pts_time=/) { split($i, a, "="); n++; d = a[2] - t } }
    END { exit !(n == 1 && d < 0.001 && d > -0.001) }' <(marks "$WORK/out.nut")
check "the mark's label is in the packet" grep -q 'stone found' <(marks "$WORK/out.nut")

# A later stage without --control passes the mark on.
check "second stage" surg-annotate -i "$WORK/out.nut" -o "$WORK/out2.nut" --title "second"
check "mark passed through" test "$(marks "$WORK/out2.nut" | grep -c pts_time)" = 1

# With a caption file on, timed captions own the bottom: a live caption goes to the top.
printf '1\n00:00:00,000 --> 00:00:05,000\nfrom the file\n' >"$WORK/c.srt"
mkfifo "$WORK/ctl2"
timeout -k 2 30 ffmpeg -nostdin -v error -re -i "$IN" -t 3 -c copy -f nut - |
  surg-annotate --captions "$WORK/c.srt" --control "$WORK/ctl2" --events "$WORK/ev2.jsonl" -o /dev/null 2>"$WORK/err2" &
bg_track $!
sleep 1
# A caption with a terminal escape and a forged log line in it is refused, and not repeated.
printf '%s\n' '{"cmd":"caption","text":"\u001b[2Jforged\n[error] consent revoked"}' '{"cmd":"caption","text":"live"}' >"$WORK/ctl2"
wait
check "a caption with a control character is refused, saying why" \
  grep -q 'caption command refused: its text holds a control character (U+001B)' "$WORK/err2"
check "  its text is not in the log" bash -c '! grep -q forged "$1"' _ "$WORK/err2"
check "  and not drawn: one live caption event" \
  test "$(jq -s '[.[] | select(.type=="caption" and .data.source=="live")] | length' "$WORK/ev2.jsonl")" = 1
y=$(jq -rs 'map(select(.type=="caption" and .data.source=="live"))[0].data.drawtext.y' "$WORK/ev2.jsonl")
check "with --captions, the live caption is drawn at the top (y=$y)" \
  awk -v y="$y" 'BEGIN { exit !(y ~ /^[0-9]+$/ && y + 0 < 240 / 4) }'

# --- The title command, on a stream started without --title: a title appears, then another
# replaces it. Each frame's title region is compared with ffmpeg's drawtext of the text SENT,
# drawn with the geometry and style the tool's event gives (as annotate_render.sh checks
# --title): no title before the first command, the first title up to the frame before the
# second command's event, the second one from that frame to the end.
BOLD=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
mkfifo "$WORK/ctl3"
OUT=$WORK/title.nut
timeout -k 2 30 ffmpeg -nostdin -v error -re -i "$IN" -c copy -f nut - |
  surg-annotate --control "$WORK/ctl3" --events "$WORK/ev3.jsonl" -o "$OUT" 2>"$WORK/err3" &
bg_track $!
title1="Ureteroscopy" title2="Laser lithotripsy: l'uretère 100%"
wait_frames 10
jq -cn --arg t "$title1" '{cmd: "title", text: $t}' >"$WORK/ctl3"
wait_frames 30
jq -cn --arg t "$title2" '{cmd: "title", text: $t}' >"$WORK/ctl3"
wait_frames 40
printf '%s\n' '{"cmd":"title","text":"two\nlines"}' >"$WORK/ctl3"
wait
check "title run finished" test -s "$OUT"
check "the title a --title would refuse is refused, saying why" grep -q 'title command refused: its text holds a control character (U+000A)' "$WORK/err3"
check "  and not shown: two title events only" test "$(jq -s '[.[] | select(.type=="overlay" and .data.layer=="title")] | length' "$WORK/ev3.jsonl")" = 2

psnr() {  # psnr A B FRAME X Y W H: PSNR (dB, average of planes) of one region of one frame
  local f="[0:v]select=eq(n\\,$3),crop=$6:$7:$4:$5[a];[1:v]select=eq(n\\,$3),crop=$6:$7:$4:$5[b]"
  ff -i "$1" -i "$2" -filter_complex "$f;[a][b]psnr=stats_file=$WORK/psnr.log" -fps_mode passthrough -f null - &&
    sed -n 's/.*psnr_avg:\([0-9.inf]*\).*/\1/p' "$WORK/psnr.log" | head -1
}
above() { [ "$1" = inf ] || awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }
below() { [ "$1" != inf ] && awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
like_not() { above "$1" 30 && below "$2" 25; }  # like_not P Q: P dB says alike, Q dB says different
title_event() {  # title_event N EXPR: EXPR of the Nth (0-based) title event
  jq -rs "map(select(.type==\"overlay\" and .data.layer==\"title\"))[$1] | $2" "$WORK/ev3.jsonl"
}
reference() {  # reference N FILE: the input with drawtext of the Nth title event's text and geometry
  title_event "$1" '.data.lines | join("\n")' | head -c -1 >"$WORK/title$1.txt"
  read -r X Y S P L < <(title_event "$1" '"\(.data.x) \(.data.y) \(.data.font_size) \(.data.padding) \(.data.line_spacing)"')
  ff -i "$IN" -map 0:v -vf "drawtext=fontfile=$BOLD:textfile=$WORK/title$1.txt:expansion=none:fontsize=$S:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=$P:line_spacing=$L:x=$((X + P)):y=$((Y + P))" \
    -c:v rawvideo -f nut "$2"
}
t1=$(title_event 0 ".pts * (.tb | split(\"/\") | (.[0]|tonumber) / (.[1]|tonumber)) * $FPS | round")
t2=$(title_event 1 ".pts * (.tb | split(\"/\") | (.[0]|tonumber) / (.[1]|tonumber)) * $FPS | round")
last=$(($(ff -i "$OUT" -map 0:v -f framemd5 - | grep -vc '^#') - 1))
check "the events carry the texts sent, shown ($(title_event 0 .data.text) | $(title_event 1 .data.text))" \
  test "$(title_event 0 .data.text)|$(title_event 1 .data.text)|$(title_event 1 .data.visible)" = "$title1|$title2|true"
check "title events at frames $t1 and $t2, in order, before the last frame $last" test "$t1" -gt 0 -a "$t2" -gt "$t1" -a "$last" -gt "$t2"
reference 0 "$WORK/title-ref1.nut"
reference 1 "$WORK/title-ref2.nut"
read -r X1 Y1 W1 H1 < <(title_event 0 '"\(.data.x) \(.data.y) \(.data.w) \(.data.h)"')
read -r X2 Y2 W2 H2 < <(title_event 1 '"\(.data.x) \(.data.y) \(.data.w) \(.data.h)"')
p=$(psnr "$OUT" "$IN" $((t1 - 1)) "$X2" "$Y2" "$W2" "$H2")
check "no title on frame $((t1 - 1)), before the first command (PSNR to the input $p dB)" test "$p" = inf
for n in "$t1" $((t2 - 1)); do
  p=$(psnr "$OUT" "$WORK/title-ref1.nut" "$n" "$X1" "$Y1" "$W1" "$H1") q=$(psnr "$OUT" "$IN" "$n" "$X1" "$Y1" "$W1" "$H1")
  check "frame $n shows '$title1' as drawtext draws it (PSNR $p dB > 30; $q dB to the input)" like_not "$p" "$q"
done
for n in "$t2" "$last"; do
  p=$(psnr "$OUT" "$WORK/title-ref2.nut" "$n" "$X2" "$Y2" "$W2" "$H2") q=$(psnr "$OUT" "$WORK/title-ref1.nut" "$n" "$X2" "$Y2" "$W2" "$H2")
  check "frame $n shows '$title2' (PSNR $p dB > 30), no longer '$title1' ($q dB < 25)" like_not "$p" "$q"
done
finish
