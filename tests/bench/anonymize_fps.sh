#!/usr/bin/env bash
# Frames per second of surg-anonymize (not in CI: a measurement, printed as a table).
#   SURG_BUILD=build tests/bench/anonymize_fps.sh [FRAMES]
# Input: the real in-body EndoVis clip (1080p, black side borders) looped to FRAMES frames
# (default 300) at 1280x720 30 and 60 fps and 1920x1080 30 fps, read from a file, written to
# a pipe drained by cat. (The face detector's work is a fixed amount a second of video, so a
# 60 fps stream costs less a frame: real time at 720p60 needs >= 60 fps on the 60 fps input.) Configurations: pass-through baselines (cat; an ffmpeg NUT relay;
# surg-anonymize with nothing to do), faces, faces+oob, faces+oob+zones+circle; on one core
# (taskset -c 0: the tool's main and detection threads share it) and on two.
source "$(dirname "$0")/../integration/lib.sh"
frames=${1:-300}
need_data "the EndoVis clip this benchmark feeds" endovis2017-robotic-clip || exit 1
clip=$DATA/endovis2017-robotic-clip/short_source.mp4
zones=$SRC/examples/zones/tower-generic.toml

make_input() {  # make_input SIZE FPS FILE
  timeout -k 2 300 ffmpeg -nostdin -v error -stream_loop -1 -i "$clip" -vf "scale=$1,setpts=N/$2/TB" -r "$2" \
    -frames:v "$frames" -c:v rawvideo -pix_fmt yuv420p -f nut "$3"
}
# fps CORES COMMAND...: runs COMMAND with the input on stdin; prints frames per second of
# wall time and, in brackets, per second of the stage's own CPU time (user + sys): on a
# shared machine the second is what one idle core would reach.
fps() {
  local cores=$1; shift
  local start end
  start=$(date +%s.%N)
  taskset -c "$cores" /usr/bin/time -f '%U %S' -o "$WORK/cpu" "$@" <"$input" | cat >/dev/null
  end=$(date +%s.%N)
  read -r user sys <"$WORK/cpu"
  python3 -c "print(f'{$frames / ($end - $start):7.1f} ({$frames / max($user + $sys, 1e-3):6.1f})')"
}

echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; fps of wall time (fps of CPU time)"
printf '%-13s %-34s %16s %16s\n' size@fps configuration "1 core" "2 cores"
for format in 1280x720@30 1280x720@60 1920x1080@30; do
  size=${format%@*}
  input=$WORK/in-$format.nut
  make_input "${size/x/:}" "${format#*@}" "$input"
  declare -A configs=(
    ["a pass-through: cat"]="cat"
    ["b pass-through: ffmpeg nut relay"]="ffmpeg -nostdin -v error -f nut -i - -map 0 -c copy -f nut -"
    ["c surg-anonymize, nothing to do"]="surg-anonymize -q --no-live --no-faces --no-oob"
    ["d faces"]="surg-anonymize -q --no-live --no-oob"
    ["e faces+oob"]="surg-anonymize -q --no-live"
    ["f faces+oob+zones+circle"]="surg-anonymize -q --no-live --zones $zones --mask-outside-circle"
  )
  for name in $(printf '%s\n' "${!configs[@]}" | sort | tr ' ' '\001'); do
    name=${name//$'\001'/ }
    # shellcheck disable=SC2086
    printf '%-13s %-34s %16s %16s\n' "$format" "${name:2}" "$(fps 0 ${configs[$name]})" "$(fps 0,1 ${configs[$name]})"
  done
  rm -f "$input"
done
