#!/usr/bin/env bash
# The main job on its built-in default: the test pattern goes live to an RTMP server on this
# machine (nginx-rtmp on 127.0.0.1, started here) and is recorded at the same time, as an
# operating-room workstation would broadcast and record an operation. Halfway through, the
# server is stopped and started again — the push reconnects and the recording loses nothing.
#   examples/demo.sh [OUTPUT_DIR]      (default: ./demo-output)
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(mkdir -p "${1:-demo-output}" && cd "${1:-demo-output}" && pwd)
build=${SURG_BUILD:-$src/build}
seconds=${SURG_DEMO_SECONDS:-20}

say() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

say "installing what is missing and building (first run: a few minutes)"
"$src/scripts/install-deps.sh"
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target surg-capture surg-push >/dev/null
export PATH="$build:$PATH"

port=$((20000 + RANDOM % 30000))
nginx_dir=$out/nginx
mkdir -p "$nginx_dir/logs"
cat >"$nginx_dir/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
daemon off; pid $nginx_dir/nginx.pid; error_log $nginx_dir/error.log; worker_processes 1;
events {}
rtmp { server { listen 127.0.0.1:$port; application live { live on; record off; } } }
CONF
nginx_pid=
start_server() { nginx -p "$nginx_dir" -c "$nginx_dir/nginx.conf" & nginx_pid=$!; sleep 0.5; }
stop_server() { [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null; nginx_pid=; }
trap 'stop_server' EXIT

say "RTMP server on rtmp://127.0.0.1:$port/live"
start_server
rm -rf "$out/hls" "$out/demo.mp4"

say "live for ${seconds}s: test pattern -> rtmp://127.0.0.1:$port/live/demo + demo.mp4 + HLS"
surg-capture --test-pattern --realtime --duration "$seconds" --oob-every 8 |
  surg-push --stats "$out/push-stats.json" --record "$out/demo.mp4" "hls:$out/hls" \
    "rtmp://127.0.0.1:$port/live/demo" &
chain=$!

sleep $((seconds / 4))
say "what a viewer receives from the server:"
timeout -k 2 10 ffprobe -nostdin -v error -rw_timeout 3000000 -analyzeduration 1000000 \
  -show_entries stream=codec_name,width,height -of compact "rtmp://127.0.0.1:$port/live/demo" >&2 || true

say "pulling the cable: the server stops for 3 s"
stop_server
sleep 3
start_server
say "server back; the push reconnects on its own"
wait "$chain"

frames=$(ffprobe -nostdin -v error -count_frames -select_streams v:0 \
  -show_entries stream=nb_read_frames -of csv=p=0 "$out/demo.mp4")
say "done"
cat >&2 <<MSG
  recording:  $out/demo.mp4  ($frames frames for ${seconds}s at 30 fps: nothing lost)
  push stats: $out/push-stats.json  (reconnects, bytes, drops per output)
  HLS:        $out/hls/index.m3u8
  watch:      ffplay $out/demo.mp4
MSG
