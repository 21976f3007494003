#!/usr/bin/env bash
# Benchmark (not run in CI): surg-annotate frames per second at 1080p30 with title + subtitle
# + clock + logo + timed captions + a live caption, beside pass-through (no annotation), on a
# file input so that only the tool is measured. "cpu fps" = frames / (user + sys) seconds: the
# rate one core sustains. Target: >= 120 fps.
#   SURG_BUILD=build tests/bench/annotate_fps.sh [FRAMES]
source "$(dirname "$0")/../integration/lib.sh"
FRAMES=${1:-300}
ff() { timeout -k 2 300 ffmpeg -nostdin -v error -y "$@"; }

IN=$WORK/in.nut
capture=${SURG_CAPTURE:-surg-capture}
secs=$(awk -v f="$FRAMES" 'BEGIN { printf "%.3f", f / 30 }')
if [ -x "$capture" ]; then
  "$capture" --test-pattern --size 1920x1080 --duration "$secs" >"$IN" 2>/dev/null
else
  ff -f lavfi -i "testsrc2=s=1920x1080:r=30:d=$secs" -f lavfi -i "sine=r=48000:d=$secs" -ac 2 \
    -c:v rawvideo -pix_fmt yuv420p -c:a pcm_s16le -f nut "$IN"
fi
ff -f lavfi -i "color=c=white@1:s=240x120,format=rgba,geq=r=20:g=90:b=200:a='if(lt(X,120),255,128)'" -frames:v 1 "$WORK/logo.png"
awk -v n="$FRAMES" 'BEGIN { for (i = 0; i < n / 60; i++)
  printf "%d\n00:00:%02d,000 --> 00:00:%02d,900\nCaption %d: the surgeon explains the gesture\n\n", i + 1, 2 * i, 2 * i + 1, i + 1 }' >"$WORK/c.srt"
mkfifo "$WORK/ctl"

# measure NAME ARGS...: prints "NAME frames wall_s cpu_s wall_fps cpu_fps".
measure() {
  local name=$1; shift
  # Stdout is a file, not the terminal; the FIFO gets its caption as soon as the tool reads.
  ( sleep 0.2; echo '{"cmd":"caption","text":"Live: here we are in the bladder","duration":3600}' >"$WORK/ctl" ) &
  local t; t=$( { /usr/bin/time -f '%e %U %S' surg-annotate -q -i "$IN" -o /dev/null "$@" 2>&1 >/dev/null; } | tail -1)
  wait
  read -r wall user sys <<<"$t"
  awk -v n="$name" -v f="$FRAMES" -v w="$wall" -v u="$user" -v s="$sys" \
    'BEGIN { printf "%-12s %5d frames  wall %6.2f s  cpu %6.2f s  %7.1f fps wall  %7.1f fps cpu\n", n, f, w, u + s, f / w, f / (u + s) }'
}

cat "$IN" >/dev/null  # page cache warm for both runs
measure pass-through --control "$WORK/ctl"
measure annotated --control "$WORK/ctl" --title "Ureteroscopy, laser lithotripsy of a lower-pole stone" \
  --subtitle "Dr A. Martin, Dr N. Diallo — CHU" --clock wall --logo "$WORK/logo.png" --logo-opacity 0.8 \
  --captions "$WORK/c.srt"
