#!/usr/bin/env bash
# The main job on its built-in default: a live broadcast of the test pattern, as an
# operating-room workstation runs it, on this machine alone:
#   capture (test pattern: an endoscope-like scene with a fake patient line and out-of-body
#   stretches) -> anonymize (faces looked for, the patient line and the out-of-body stretches
#   removed) -> annotate (18+ warning slate, title, clock) -> push, as a declared test stream
#   (or under SURG_DEMO_CASE's consent, on a machine whose consent ledger is set up), to
#   an RTMP server (nginx-rtmp on 127.0.0.1, started here), a local recording and an HLS
#   folder with a player page. Halfway through the server is stopped and started again: the
#   push reconnects and the recording loses nothing.
#   examples/demo.sh [OUTPUT_DIR]      (default: ./demo-output)
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(mkdir -p "${1:-demo-output}" && cd "${1:-demo-output}" && pwd)
build=${SURG_BUILD:-$src/build}
seconds=${SURG_DEMO_SECONDS:-24}

say() { printf '== %s\n' "$*" >&2; }

say "installing what is missing and building (first run: a few minutes)"
"$src/scripts/install-deps.sh" --build --demo
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target surg-capture surg-anonymize surg-annotate surg-push \
  surg-consent >/dev/null
export PATH="$build:$PATH"

# Consent: a broadcast needs a consent from the machine's ledger, which an administrator sets up
# once (doc/consent.md: accounts, the pinned key in /etc/surg/surg.toml). A demo on a fresh
# machine has none, and must not pin a key of its own in the system's config: it sends the
# test pattern as a declared test stream, the one thing that goes out without a consent (a
# chain of surg tools from the test pattern, doc/consent.md). With a ledger set up,
# SURG_DEMO_CASE=CASE runs it under that case's consent instead.
if [ -n "${SURG_DEMO_CASE:-}" ]; then
  say "under the consent of case $SURG_DEMO_CASE (live broadcast on the intranet)"
  surg-consent verify "$SURG_DEMO_CASE" --for live-broadcast --platform intranet
  anonymize_consent=(--consent "$SURG_DEMO_CASE")
  push_consent=(--consent "$SURG_DEMO_CASE" --platform intranet)
else
  say "no consent case given: the test pattern goes out as a declared test stream (SURG_DEMO_CASE=CASE for a real one)"
  anonymize_consent=()
  push_consent=(--test-stream)
fi

rtmp_port=$((20000 + RANDOM % 20000))
http_port=$((rtmp_port + 1))
nginx_dir=$out/nginx
mkdir -p "$nginx_dir/logs"
cat >"$nginx_dir/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
user $(id -un); daemon off; pid $nginx_dir/nginx.pid; error_log $nginx_dir/error.log; worker_processes 1;
events {}
rtmp { server { listen 127.0.0.1:$rtmp_port; application live { live on; record off; } } }
http { access_log off; client_body_temp_path $nginx_dir; proxy_temp_path $nginx_dir;
  fastcgi_temp_path $nginx_dir; uwsgi_temp_path $nginx_dir; scgi_temp_path $nginx_dir;
  types { text/html html; application/vnd.apple.mpegurl m3u8; video/mp2t ts; application/javascript js; }
  server { listen 127.0.0.1:$http_port; root $out; } }
CONF
nginx_pid=
start_server() { nginx -p "$nginx_dir" -c "$nginx_dir/nginx.conf" & nginx_pid=$!; sleep 0.5; }
stop_server() { if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null || true; fi; nginx_pid=; }
trap stop_server EXIT
start_server
rm -rf "$out/hls" "$out/demo.mp4"
# The stream key (the RTMP stream name) never goes on the command line: a 0600 file.
(umask 077 && echo demo >"$out/demo.key")
player=()
surg-push --help | grep -q -- --player && player=(--player)

say "live for ${seconds}s to rtmp://127.0.0.1:$rtmp_port/live/demo, demo.mp4 and hls/"
say "watch while it runs: ffplay rtmp://127.0.0.1:$rtmp_port/live/demo   or   http://127.0.0.1:$http_port/hls/"
surg-capture --test-pattern --realtime --duration "$seconds" --size 960x540 --oob-every 12 \
    --stats "$out/capture-stats.json" |
  surg-anonymize "${anonymize_consent[@]}" --mask-outside-circle |
  surg-annotate --warning 4s --title "Demo broadcast: test pattern" --subtitle "surg" --clock elapsed |
  surg-push "${push_consent[@]}" --stats "$out/push-stats.json" \
    --record "$out/demo.mp4" "${player[@]}" "hls:$out/hls" "rtmp://127.0.0.1:$rtmp_port/live" \
    --key-file "$out/demo.key" &
chain=$!

sleep $((seconds / 3))
say "what a viewer receives from the server:"
timeout -k 2 10 ffprobe -v error -rw_timeout 3000000 -analyzeduration 1000000 \
  -show_entries stream=codec_name,width,height -of compact "rtmp://127.0.0.1:$rtmp_port/live/demo" \
  </dev/null >&2 || true

say "pulling the cable: the server stops for 3 s"
stop_server
sleep 3
start_server
say "server back; the push reconnects on its own"
wait "$chain"

frames=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames \
  -of csv=p=0 "$out/demo.mp4" </dev/null)
reconnects=$(grep -o '"reconnects":[0-9]*' "$out/push-stats.json" | tail -1 | cut -d: -f2)
dropped=$(grep -o '"frames_dropped":[0-9]*' "$out/capture-stats.json" | cut -d: -f2)
say "done"
cat >&2 <<MSG
  recording:  $out/demo.mp4  ($frames frames: every frame the chain produced, through the
              server's restart; the source dropped ${dropped:-0} because the chain fell behind)
              faces looked for, patient line and out-of-body stretches removed, warning
              slate, title, clock;
              its chain of tools (and the case, with SURG_DEMO_CASE): ffprobe -show_format $out/demo.mp4
  server:     the push reconnected ${reconnects:-?} time(s) after the server came back
  stats:      $out/push-stats.json
  HLS:        $out/hls/index.m3u8
  watch:      ffplay $out/demo.mp4
MSG
