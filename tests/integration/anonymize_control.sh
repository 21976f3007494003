#!/usr/bin/env bash
# The privacy slate on request, on a paced (live) test pattern: the control FIFO and SIGUSR1
# turn it on and off within a couple of frames; --mute-on-privacy silences the audio meanwhile.
source "$(dirname "$0")/lib.sh"

capture=$(command -v surg-capture)
if [ ! -x "$capture" ]; then fail "surg-capture not built"; finish; fi

# privacy_frames EVENTS: "count first last" of the frames slated for privacy.
privacy_frames() {
  python3 - "$1" <<'PY'
import json, sys
frames = [json.loads(l)["data"]["frame"] for l in open(sys.argv[1])
          if json.loads(l)["type"] == "frame" and json.loads(l)["data"]["slate"] == "privacy"]
print(len(frames), frames[0] if frames else -1, frames[-1] if frames else -1,
      int(bool(frames) and frames[-1] - frames[0] + 1 == len(frames)))
PY
}
json_get() { python3 -c "import json,sys; d=json.load(open('$1')); print(eval('d' + sys.argv[1]))" "$2"; }

# --- control FIFO -----------------------------------------------------------------------
mkfifo "$WORK/ctl"
"$capture" --test-pattern --size 640x360 --realtime --duration 5s 2>/dev/null |
  surg-anonymize --no-faces --no-oob --control "$WORK/ctl" --mute-on-privacy --events "$WORK/fifo.jsonl" \
    --stats "$WORK/fifo.json" -o "$WORK/fifo.nut" 2>"$WORK/fifo.err" &
pid=$!
bg_track "$pid"
sleep 1.5
echo '{"cmd":"privacy","on":true}' >"$WORK/ctl"
sleep 1
echo '{"cmd":"privacy","on":false}' >"$WORK/ctl"
wait "$pid"
check "control FIFO run: exit 0" [ $? = 0 ]
read -r count first last contiguous < <(privacy_frames "$WORK/fifo.jsonl")
# 1 s apart at 30 fps: 30 frames, give or take a couple at each edge; more when the machine
# is loaded (frames queued in the pipe are then processed in bursts).
check "control FIFO: 1 s of privacy slate, one stretch ($count frames, $first..$last)" \
  bash -c "[ $count -ge 24 ] && [ $count -le 45 ] && [ $contiguous = 1 ]"
check "control FIFO: slate began about 1.5 s in, after startup (frame $first)" bash -c "[ $first -ge 15 ] && [ $first -le 60 ]"
muted=$(json_get "$WORK/fifo.json" "['audio_muted']")
check "--mute-on-privacy: audio packets muted during the slate ($muted)" bash -c "[ $muted -ge 22 ] && [ $muted -le 47 ]"
silence=$(timeout -k 2 30 ffmpeg -nostdin -i "$WORK/fifo.nut" -map 0:a -af silencedetect=noise=-80dB:d=0.5 -f null - 2>&1 |
  grep -c 'silence_end')
check "--mute-on-privacy: the output audio has one silent stretch" [ "$silence" = 1 ]
check "control FIFO: privacy logged as info, not warning" bash -c "! grep -q 'warn' '$WORK/fifo.err'"

# --- SIGUSR1 ----------------------------------------------------------------------------
"$capture" --test-pattern --size 640x360 --realtime --duration 5s 2>/dev/null |
  surg-anonymize --no-faces --no-oob --events "$WORK/usr1.jsonl" -o "$WORK/usr1.nut" 2>"$WORK/usr1.err" &
pid=$!
bg_track "$pid"
sleep 1.5
kill -USR1 "$pid"
sleep 1
kill -USR1 "$pid"
wait "$pid"
check "SIGUSR1 run: exit 0" [ $? = 0 ]
read -r count first last contiguous < <(privacy_frames "$WORK/usr1.jsonl")
check "SIGUSR1: toggled on and off 1 s apart ($count frames, $first..$last)" \
  bash -c "[ $count -ge 24 ] && [ $count -le 45 ] && [ $contiguous = 1 ]"
check "SIGUSR1: audio not muted without --mute-on-privacy" \
  [ "$(timeout -k 2 30 ffmpeg -nostdin -i "$WORK/usr1.nut" -map 0:a -af silencedetect=noise=-80dB:d=0.5 -f null - 2>&1 |
       grep -c silence_end)" = 0 ]

finish
