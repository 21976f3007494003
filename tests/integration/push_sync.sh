#!/usr/bin/env bash
# A/V sync through surg-push: an input whose picture flashes white and whose audio beeps at
# the same instants (every second, made by ffmpeg) must keep flash and beep within one frame
# in every recording format. Also checks that timestamps survive encoding untouched.
source "$(dirname "$0")/lib.sh"

timeout -k 2 60 ffmpeg -nostdin -v error \
  -f lavfi -i "color=c=black:s=320x240:r=30,format=yuv420p,geq=lum='if(lt(mod(T\,1)\,0.1)\,235\,16)':cb=128:cr=128" \
  -f lavfi -i "aevalsrc='if(lt(mod(t\,1)\,0.1)\,0.8*sin(2*PI*1000*t)\,0)':s=48000:c=stereo" \
  -t 4 -c:v rawvideo -c:a pcm_s16le -ar 48000 -f nut - |
  surg-push "$WORK/sync.mp4" "$WORK/sync.mkv" "$WORK/sync.ts" 2>"$WORK/push.err"
check "surg-push exits 0" test "${PIPESTATUS[1]}" = 0

# flashes FILE / beeps FILE: presentation times (s) where the picture turns white / the
# audio turns loud (5 ms windows), as the file's own timestamps say.
flashes() {
  timeout -k 2 30 ffprobe -v error -f lavfi "movie=$1,signalstats" \
    -show_entries frame=pts_time:frame_tags=lavfi.signalstats.YAVG -of csv=p=0 </dev/null |
    awk -F, 'prev < 128 && $2 >= 128 { print $1 } { prev = $2 }'
}
beeps() {
  timeout -k 2 30 ffprobe -v error -f lavfi "amovie=$1,asetnsamples=n=240,astats=metadata=1:reset=1" \
    -show_entries frame=pts_time:frame_tags=lavfi.astats.Overall.Peak_level -of csv=p=0 </dev/null |
    awk -F, 'BEGIN { prev = -100 } prev < -20 && $2 >= -20 { print $1 } { prev = $2 }'
}
# in_sync FLASHES BEEPS: every flash has a beep within one frame (1/30 s), and there are 4.
in_sync() {
  awk -v flashes="$1" -v beeps="$2" 'BEGIN {
    nf = split(flashes, f, "\n"); nb = split(beeps, b, "\n")
    if (nf < 4) exit 1
    for (i = 1; i <= nf; i++) {
      best = 1e9
      for (j = 1; j <= nb; j++) { d = f[i] - b[j]; if (d < 0) d = -d; if (d < best) best = d }
      if (best > 1 / 30) exit 1
    }
  }'
}

for f in sync.mp4 sync.mkv sync.ts; do
  fl=$(flashes "$WORK/$f") be=$(beeps "$WORK/$f")
  check "$f: flash and beep within one frame ($(tr '\n' ' ' <<<"$fl")| $(tr '\n' ' ' <<<"$be"))" \
    in_sync "$fl" "$be"
done
finish
