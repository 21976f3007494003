#!/usr/bin/env bash
# surg-capture from a network source served on loopback, as from an endoscopy tower: SRT
# (ffmpeg as the listener, MPEG-TS inside) and RTMP (ffmpeg as a one-client RTMP server).
# The output is a surg stream (rawvideo yuv420p + pcm_s16le 48 kHz) with the source's
# frames, and a source that goes away ends the capture (no hang). Debian 12 packages no
# RTSP server, so RTSP is not tried here.
source "$(dirname "$0")/lib.sh"
ffp() { timeout -k 2 60 ffprobe -v error "$@" </dev/null; }
frames_of() { ffp -select_streams v:0 -count_frames -show_entries stream=nb_read_frames -of csv=p=0 "$1"; }
stream_of() { ffp -select_streams "$2" -show_entries "stream=$3" -of csv=p=0 "$1" | head -1; }
# serve SECONDS URL FORMAT [ffmpeg output options...]: a paced test source sent to URL.
serve() {
  local seconds=$1 url=$2 format=$3
  shift 3
  timeout -k 2 $((seconds + 30)) ffmpeg -nostdin -v error -re -f lavfi -i testsrc2=size=640x360:rate=25 \
    -re -f lavfi -i sine=f=440:r=44100 -t "$seconds" -c:v libx264 -preset ultrafast -tune zerolatency \
    -g 25 -c:a aac "$@" -f "$format" "$url" 2>"$WORK/server.err" &
  server=$!
  bg_track "$server"
}

# --- SRT: the tower listens, surg-capture calls ---------------------------------------------
PORT=$(free_port)
serve 6 "srt://127.0.0.1:$PORT?mode=listener&latency=120000" mpegts
sleep 1
start=$SECONDS
timeout -k 2 40 surg-capture --input "srt://127.0.0.1:$PORT?mode=caller&latency=120000" --duration 3 \
  -o "$WORK/srt.nut" 2>"$WORK/srt.err"
status=$?
check "srt: surg-capture exits 0 (got $status)" test "$status" = 0
check "srt: done, not hung ($((SECONDS - start)) s for 3 s of media; probing and SRT latency on top)" \
  test $((SECONDS - start)) -le 20
frames=$(frames_of "$WORK/srt.nut")
check "srt: --duration 3 at 25 fps: about 75 frames (${frames:-0})" test "${frames:-0}" -ge 70 -a "${frames:-0}" -le 76
check "srt: rawvideo 640x360 yuv420p" test "$(stream_of "$WORK/srt.nut" v:0 codec_name,width,height,pix_fmt)" = "rawvideo,640,360,yuv420p"
check "srt: audio resampled to pcm_s16le 48 kHz" test "$(stream_of "$WORK/srt.nut" a:0 codec_name,sample_rate)" = "pcm_s16le,48000"
check "srt: surg.chain says the source was a URL (capture@...:url)" \
  bash -c "timeout 30 ffprobe -v error -show_entries format_tags=surg.chain -of default=nw=1:nk=1 '$WORK/srt.nut' </dev/null | grep -qE '^capture@[^:]*:url'"
wait "$server"

# --- RTMP: ffmpeg serves one client; --duration ends the capture cleanly ---------------------
PORT=$(free_port)
serve 8 "rtmp://127.0.0.1:$PORT/live/tower" flv -listen 1
sleep 1.5  # not wait_port: the one-shot server would take that probe for its one client
start=$SECONDS
timeout -k 2 40 surg-capture --input "rtmp://127.0.0.1:$PORT/live/tower" --duration 2 -o "$WORK/rtmp.nut" 2>"$WORK/rtmp.err"
status=$?
check "rtmp: surg-capture --duration 2 exits 0 (got $status)" test "$status" = 0
check "rtmp: done, not hung ($((SECONDS - start)) s)" test $((SECONDS - start)) -le 20
frames=$(frames_of "$WORK/rtmp.nut")
check "rtmp: 2 s at 25 fps came through (${frames:-0} of 50)" test "${frames:-0}" -ge 48 -a "${frames:-0}" -le 51
check "rtmp: rawvideo yuv420p" test "$(stream_of "$WORK/rtmp.nut" v:0 codec_name,pix_fmt)" = "rawvideo,yuv420p"
wait "$server"

# --- the tower goes away mid-stream: a runtime failure (1) on one line, the URL redacted, and
# the frames received so far are a complete stream. (ffmpeg's one-shot RTMP server drops the
# connection at its end without an end-of-stream message: that is what a tower that goes away
# looks like to a reader.)
PORT=$(free_port)
serve 3 "rtmp://127.0.0.1:$PORT/live/tower" flv -listen 1
sleep 1.5
timeout -k 2 40 surg-capture --input "rtmp://127.0.0.1:$PORT/live/tower" -o "$WORK/gone.nut" 2>"$WORK/gone.err"
status=$?
check "source gone: exit 1, runtime failure (got $status)" test "$status" = 1
check "source gone: one error line naming the URL, redacted ($(head -c 200 "$WORK/gone.err"))" \
  bash -c '[ "$(grep -c "\[error\]" "$1")" = 1 ] && grep -q "rtmp://127.0.0.1:[0-9]*/live/\*\*\*\*" "$1"' _ "$WORK/gone.err"
frames=$(frames_of "$WORK/gone.nut")
check "source gone: what came is a complete stream (${frames:-0} frames, decodes cleanly)" \
  bash -c '[ "${1:-0}" -ge 25 ] && [ -z "$(timeout 30 ffmpeg -nostdin -v error -i "$2" -f null - 2>&1)" ]' _ "$frames" "$WORK/gone.nut"

# --- nothing listening: a clear failure, not a hang -----------------------------------------
DEAD=$(free_port)
start=$SECONDS
timeout -k 2 40 surg-capture --input "srt://127.0.0.1:$DEAD?mode=caller" --duration 1 -o "$WORK/dead.nut" 2>"$WORK/dead.err"
status=$?
check "no SRT listener: exit 1, runtime failure (got $status)" test "$status" = 1
check "no SRT listener: gives up within 10 s ($((SECONDS - start)) s)" test $((SECONDS - start)) -le 10
finish
