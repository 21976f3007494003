#!/usr/bin/env bash
# Benchmark (not run in CI): what the surg pipe costs, beside FFmpeg doing the same work, in
# one run so ratios come from the same machine load (doc/architecture.md, "Memory"). Prints
# one row per job: surg and the FFmpeg stand-in (wall s, CPU s, MB/s or fps), the ratio and
# the minor page faults a frame of the surg stage (and of FFmpeg's), then one line per goal:
# met or not. Faults a frame = (faults over FRAMES - faults over 10 frames) / (FRAMES - 10),
# so start-up is not counted.
#   SURG_BUILD=build tests/bench/pipe.sh [FRAMES]
source "$(dirname "$0")/../integration/lib.sh"
FRAMES=${1:-300}
ff() { timeout -k 2 600 ffmpeg -nostdin -v error -y "$@"; }
echo "# $(uptime)"
echo "# $(nproc) cores; $FRAMES frames a job"

for size in 1280x720 1920x1080; do
  for n in 10 "$FRAMES"; do
    ff -f lavfi -i "testsrc2=s=$size:r=30" -f lavfi -i "sine=r=48000" -frames:v "$n" -ac 2 \
      -c:v rawvideo -pix_fmt yuv420p -c:a pcm_s16le -shortest -f nut "$WORK/$size-$n.nut"
  done
done
frame_mb() { awk -v s="$1" 'BEGIN { split(s, d, "x"); printf "%.4f", d[1] * d[2] * 1.5 / 1e6 }'; }

# stage TAG N SIZE CMD...: runs "cat IN | CMD | cat" with @IN@ in CMD replaced by the input
# file, REPEAT times; leaves "wall user sys faults" of the fastest run in $WORK/TAG-N. The
# stage is the process timed. On a shared machine the wall time of one run says more about
# the other users than about the stage: the best of a few runs is what the stage can do.
REPEAT=${REPEAT:-3}
stage() {
  local tag=$1 n=$2 size=$3; shift 3
  local args=() a in=$WORK/$size-$n.nut t0 t1 i
  for a in "$@"; do args+=("${a//@IN@/$in}"); done
  rm -f "$WORK/$tag-$n"
  for ((i = 0; i < REPEAT; i++)); do
    t0=$(date +%s.%N)
    cat "$in" | /usr/bin/time -f '%U %S %R' -o "$WORK/t" "${args[@]}" 2>/dev/null | cat >/dev/null
    t1=$(date +%s.%N)
    echo "$(echo "$t1 - $t0" | bc) $(tail -1 "$WORK/t")" >>"$WORK/$tag-$n.all"
  done
  sort -n "$WORK/$tag-$n.all" | head -1 >"$WORK/$tag-$n"
  rm -f "$WORK/$tag-$n.all"
}
# measure TAG SIZE CMD...: the stage on 10 and FRAMES frames; prints "wall cpu faults/frame".
measure() {
  local tag=$1 size=$2; shift 2
  stage "$tag" 10 "$size" "$@"
  stage "$tag" "$FRAMES" "$size" "$@"
  read -r _ _ _ f0 <"$WORK/$tag-10"
  read -r wall user sys f1 <"$WORK/$tag-$FRAMES"
  awk -v w="$wall" -v u="$user" -v s="$sys" -v a="$f0" -v b="$f1" -v n="$FRAMES" \
    'BEGIN { printf "%.2f %.2f %.1f", w, u + s, (b - a) / (n - 10) }'
}
declare -A RESULT
# row NAME SIZE UNIT "SURG CMD" "FFMPEG CMD": one table line; RESULT[NAME] = "rate ratio faults".
row() {
  local name=$1 size=$2 unit=$3 surg=$4 ffm=$5 s f
  s=$(eval "measure surg-$name $size $surg")
  if [ -n "$ffm" ]; then f=$(eval "measure ff-$name $size $ffm"); else f="0 0 0"; fi
  read -r sw sc sf <<<"$s"
  read -r fw fc ff_ <<<"$f"
  local mb; mb=$(frame_mb "$size")
  awk -v name="$name" -v unit="$unit" -v n="$FRAMES" -v mb="$mb" -v sw="$sw" -v sc="$sc" -v sf="$sf" \
      -v fw="$fw" -v fc="$fc" -v ff="$ff_" '
    function rate(w) { return unit == "MB/s" ? n * mb / w : n / w }
    BEGIN {
      printf "%-34s surg %6.2f s (cpu %6.2f) %7.1f %-4s %6.1f faults/frame | ", name, sw, sc, rate(sw), unit, sf
      if (fw > 0) printf "ffmpeg %6.2f s (cpu %6.2f) %7.1f %-4s %6.1f faults/frame | ratio %.2f wall %.2f cpu\n", fw, fc, rate(fw), unit, ff, sw / fw, sc / fc
      else printf "no stand-in\n"
    }'
  RESULT[$name]=$(awk -v n="$FRAMES" -v mb="$mb" -v unit="$unit" -v sw="$sw" -v sc="$sc" -v fw="$fw" -v fc="$fc" -v sf="$sf" \
    'BEGIN { r = unit == "MB/s" ? n * mb / sw : n / sw; printf "%.1f %.3f %.3f %.1f %.1f", r, (fw > 0 ? sw / fw : 0), (fc > 0 ? sc / fc : 0), sf, n / sc }')
}

echo "== pass-through stages, pipe to pipe"
row relay-720p 1280x720 MB/s "surg-capture -q --input @IN@" "ffmpeg -nostdin -v error -i @IN@ -c copy -f nut -"
row relay-1080p 1920x1080 MB/s "surg-capture -q --input @IN@" "ffmpeg -nostdin -v error -i @IN@ -c copy -f nut -"
row relay-stdin-1080p 1920x1080 MB/s "surg-capture -q --input -" "ffmpeg -nostdin -v error -f nut -i - -c copy -f nut -"
row annotate-nothing-1080p 1920x1080 MB/s "surg-annotate -q" "ffmpeg -nostdin -v error -f nut -i - -c copy -f nut -"
row anonymize-nothing-1080p 1920x1080 MB/s "surg-anonymize -q --no-faces --no-oob --no-live" \
  "ffmpeg -nostdin -v error -f nut -i - -c copy -f nut -"

echo "== drawing"
DT="drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:text=T:fontsize=40:box=1:x=40:y=900,drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:text='%{pts\\:gmtime\\:0\\:%H\\\\\\:%M\\\\\\:%S}':fontsize=36:box=1:x=1700:y=40"
row annotate-title-clock-1080p 1920x1080 fps "surg-annotate -q --title T --clock elapsed" \
  "ffmpeg -nostdin -v error -f nut -i - -vf \"$DT\" -c:v rawvideo -c:a copy -f nut -"
row annotate-all-1080p 1920x1080 fps "surg-annotate -q --title 'Ureteroscopy, laser lithotripsy' --subtitle 'Dr A. Martin' --clock elapsed --warning 2s" \
  "ffmpeg -nostdin -v error -f nut -i - -vf \"$DT\" -c:v rawvideo -c:a copy -f nut -"

echo "== encoding: surg-capture --input F | surg-push vs one ffmpeg (x264 veryfast zerolatency 4500k)"
X264="-c:v libx264 -preset veryfast -tune zerolatency -b:v 4500k -maxrate 4500k -bufsize 9000k -g 60 -keyint_min 60 -sc_threshold 0 -c:a aac -b:a 128k"
# push_row SIZE: the chain's wall and summed CPU vs ffmpeg's.
push_row() {
  local size=$1 in=$WORK/$1-$FRAMES.nut t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f '%U %S %R' -o "$WORK/p1" surg-capture -q --input "$in" |
    /usr/bin/time -f '%U %S %R' -o "$WORK/p2" surg-push -q --x264-preset veryfast --tune zerolatency --video-bitrate 4500k \
      --keyint 2 --audio-bitrate 128k "$WORK/push-$size.mp4"
  t1=$(date +%s.%N)
  local sw sc fw fc
  sw=$(echo "$t1 - $t0" | bc)
  sc=$(cat "$WORK/p1" "$WORK/p2" | awk '{ c += $1 + $2 } END { print c }')
  t0=$(date +%s.%N)
  eval "/usr/bin/time -f '%U %S %R' -o $WORK/p3 ffmpeg -nostdin -v error -y -i $in $X264 $WORK/ff-$size.mp4"
  t1=$(date +%s.%N)
  fw=$(echo "$t1 - $t0" | bc)
  fc=$(awk '{ print $1 + $2 }' "$WORK/p3")
  local frames; frames=$(count_frames "$WORK/push-$size.mp4")
  # A push that recorded fewer frames than it was given measured nothing.
  [ "${frames:-0}" = "$FRAMES" ] || { echo "# push-$size recorded ${frames:-0} of $FRAMES frames"; sw=999 sc=999; }
  awk -v name="push-$size" -v sw="$sw" -v sc="$sc" -v fw="$fw" -v fc="$fc" -v n="$FRAMES" 'BEGIN {
    printf "%-34s surg %6.2f s (cpu %6.2f) %6.1f fps | ffmpeg %6.2f s (cpu %6.2f) %6.1f fps | ratio %.2f wall %.2f cpu\n",
      name, sw, sc, n / sw, fw, fc, n / fw, sw / fw, sc / fc }'
  RESULT[push-$size]=$(awk -v sw="$sw" -v sc="$sc" -v fw="$fw" -v fc="$fc" 'BEGIN { printf "0 %.3f %.3f", sw / fw, sc / fc }')
}
push_row 1280x720
push_row 1920x1080

echo "== full chain: test pattern -> anonymize faces+oob -> annotate title, clock -> push x264 (recording + RTMP)"
RTMP_PORT=$(free_port)
start_nginx rtmp "$RTMP_PORT" || echo "# nginx did not start: the chain pushes to the recording only"
chain_row() {
  local size=$1 secs t0 t1
  secs=$(awk -v n="$FRAMES" 'BEGIN { printf "%.3f", n / 30 }')
  t0=$(date +%s.%N)
  surg-capture -q --test-pattern --size "$size" --duration "$secs" |
    surg-anonymize -q --faces --oob --no-live |
    surg-annotate -q --title "Ureteroscopy" --clock elapsed |
    SURG_STREAM_KEY=bench surg-push -q --test-stream --x264-preset veryfast --tune zerolatency --video-bitrate 4500k \
      --record "$WORK/chain-$size.mkv" "rtmp://127.0.0.1:$RTMP_PORT/live" 2>/dev/null
  t1=$(date +%s.%N)
  local fps frames
  fps=$(echo "$FRAMES / ($t1 - $t0)" | bc -l)
  frames=$(count_frames "$WORK/chain-$size.mkv")
  printf '%-34s %6.1f fps (%s frames in %.2f s)\n' "chain-$size" "$fps" "$frames" "$(echo "$t1 - $t0" | bc)"
  # A chain that recorded fewer frames than it was given measured nothing.
  [ "${frames:-0}" = "$FRAMES" ] || fps=0
  RESULT[chain-$size]=$fps
}
chain_row 1920x1080
chain_row 1280x720
stop_nginx rtmp

echo "== goals"
goal() {  # goal TEXT AWK-CONDITION (on $1..$5 of a RESULT)
  local text=$1 key=$2 cond=$3
  if awk -v r="${RESULT[$key]:-0 0 0 0 0}" "BEGIN { split(r, v, \" \"); exit !($cond) }"; then
    echo "met:     $text (${RESULT[$key]})"
  else
    echo "NOT MET: $text (${RESULT[$key]:-not measured})"
  fi
}
for k in relay-1080p relay-stdin-1080p annotate-nothing-1080p anonymize-nothing-1080p; do
  goal "$k >= 800 MB/s and faster than ffmpeg -c copy" "$k" 'v[1] >= 800 && v[2] < 1'
  goal "$k ~0 page faults a frame (<= 8)" "$k" 'v[4] <= 8'
done
goal "annotate title+subtitle+clock+warning >= 250 fps on one core (frames / CPU s)" annotate-all-1080p 'v[5] >= 250'
goal "capture | push 720p within 10% wall, 15% CPU of ffmpeg" push-1280x720 'v[2] <= 1.10 && v[3] <= 1.15'
goal "capture | push 1080p within 10% wall, 15% CPU of ffmpeg" push-1920x1080 'v[2] <= 1.10 && v[3] <= 1.15'
goal "full chain 1080p30 >= 45 fps" chain-1920x1080 'v[1] >= 45'
goal "full chain 720p30 >= 75 fps" chain-1280x720 'v[1] >= 75'
echo "# $(uptime)"
