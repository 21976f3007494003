#!/usr/bin/env bash
# surg-push --consent: nothing goes out uncovered, the chain must show the anonymisation the
# consent requires, and a revocation made by another process stops a running push within 5 s.
source "$(dirname "$0")/lib.sh"

export SURG_CONSENT_STORE=$WORK/store
port=$(free_port)
start_nginx rtmp "$port" || fail "nginx-rtmp did not start"
# The stream key (the RTMP stream name) never goes in the URL: from the environment.
export SURG_STREAM_KEY=gate
url=rtmp://127.0.0.1:$port/live
viewer_url=$url/$SURG_STREAM_KEY
err=$WORK/err

grant() {  # grant CASE ROLE PURPOSES ANONYMIZE [AUDIENCE]
  surg-consent -q grant "$1" --grantor "$2" --purpose "$3" --platform intranet,youtube \
    --anonymize "$4" --audience "${5:-professionals}" --expires 2099-12-31
}
camera() {  # a stream that is not the test pattern, with a chain as given (forged on purpose)
  timeout -k 2 30 ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=320x240:rate=30 \
    -f lavfi -i sine=f=1000:r=48000 -t "${2:-2}" -ac 2 -c:v rawvideo -pix_fmt yuv420p \
    -c:a pcm_s16le -metadata "surg.chain=$1" -f nut - 2>/dev/null
}
# refused STATUS "TEXT" push-args...: exit STATUS with TEXT on stderr.
refused() {
  local want=$1 text=$2; shift 2
  camera "capture@0.1.0:device" | surg-push --record "$WORK/refused.mkv" "$@" 2>"$err"
  local got=${PIPESTATUS[1]}
  if [ "$got" = "$want" ] && grep -qF -- "$text" "$err"; then pass "refused ($want): $text"
  else fail "want $want with '$text', got $got: $(tail -3 "$err")"; fi
}

surg-consent -q keygen --install >/dev/null
refused 3 "network destinations and HLS need --consent" "$url"
refused 3 "CASE-0001: missing" --consent CASE-0001 --platform intranet "$url"
grant CASE-0001 patient live-broadcast,recording faces,oob
refused 3 "no surgeon consent" --consent CASE-0001 --platform intranet "$url"
grant CASE-0001 surgeon live-broadcast,recording none
refused 3 "requires anonymisation 'faces'" --consent CASE-0001 --platform intranet "$url"
refused 2 "give --platform" --consent CASE-0001 "$url"
refused 3 "not covering" --consent CASE-0001 --platform facebook "$url"
check "no refused run left its --record file behind" test ! -e "$WORK/refused.mkv"

# Covered: the chain shows the anonymisation, the recording carries case and consent hash.
# A faces step counts only with a pinned detector and model (lib/surg/detect/pinned.hpp).
for forged in "faces,oob,text" "faces,oob,text,detector=scripted,model=none" \
              "faces,oob,text,detector=blazeface,model=0123456789abcdef"; do
  camera "capture@0.1.0:device;anonymize@0.1.0:$forged" 1 |
    surg-push --consent CASE-0001 --platform intranet "$url" 2>"$err"
  check "refused (3): faces by an unknown detector or model ($forged)" \
    bash -c "test ${PIPESTATUS[1]} = 3 && grep -q 'no known face detector' '$err'"
done
camera "capture@0.1.0:device;anonymize@0.1.0:faces,oob,text,blur,detector=blazeface,model=4ff5ca632a394c70" 2 |
  surg-push --consent CASE-0001 --platform intranet --record "$WORK/ok.mkv" "$url" 2>"$err"
check "covered stream goes out (exit 0)" test "${PIPESTATUS[1]}" = 0
check "recording carries surg.case" grep -q "CASE-0001" <(probe -show_entries format_tags -of flat "$WORK/ok.mkv")
check "recording carries surg.consent CASE:hash" \
  grep -Eiq 'surg[._]consent="CASE-0001:[0-9a-f]{64}"' <(probe -show_entries format_tags -of flat "$WORK/ok.mkv")

# An audience of adults needs the 18+ warning of surg-annotate --warning in the chain.
grant CASE-0005 patient live-broadcast,recording none adults
grant CASE-0005 surgeon live-broadcast,recording none adults
refused 3 "shows no 18+ warning" --consent CASE-0005 --platform intranet "$url"
camera "capture@0.1.0:device;annotate@0.1.0:title,warning" 1 |
  surg-push --consent CASE-0005 --platform intranet "$url" 2>"$err"
check "audience adults with the warning in the chain goes out (exit 0)" test "${PIPESTATUS[1]}" = 0

# The test pattern goes out without consent (cron test streams); a real source does not.
surg-capture --test-pattern --duration 1 | surg-push --test-stream "$url" 2>"$err"
check "test pattern streams without consent" test "${PIPESTATUS[1]}" = 0

# Revocation of live broadcast by another process: network stops within 5 s, the recording
# goes on to the end (recording is still consented), exit 3.
grant CASE-0002 patient live-broadcast,recording none
grant CASE-0002 surgeon live-broadcast,recording none
surg-capture --test-pattern --realtime --duration 10 --size 320x240 |
  surg-push --consent CASE-0002 --platform intranet --record "$WORK/rev.mkv" "$url" 2>"$err" &
chain=$!
bg_track $chain
sleep 3
surg-consent -q revoke CASE-0002 --purpose live-broadcast
revoked=$(date +%s.%N)
for _ in $(seq 100); do grep -q "stopping the network outputs" "$err" && break; sleep 0.1; done
stopped=$(date +%s.%N)
check "network outputs stop within 5 s of the revocation ($(echo "$stopped - $revoked" | bc) s)" \
  bash -c "grep -q 'stopping the network outputs' '$err' && (( \$(echo '$stopped - $revoked < 5' | bc) ))"
check "the log names the reason" grep -q "CASE-0002: revoked" "$err"
check "a viewer no longer gets the stream" bash -c "! timeout -k 2 8 ffprobe -v error -rw_timeout 3000000 '$viewer_url' </dev/null"
wait $chain
check "push exits 3 after the revocation" test $? = 3
check "the recording went on to the end: 300 frames" test "$(count_frames "$WORK/rev.mkv")" = 300

# Whole revocation: every output stops, the recording so far is finished and playable.
grant CASE-0003 patient live-broadcast,recording none
grant CASE-0003 surgeon live-broadcast,recording none
surg-capture --test-pattern --realtime --duration 20 --size 320x240 |
  surg-push --consent CASE-0003 --platform intranet --record "$WORK/all.mp4" "$url" 2>"$err" &
chain=$!
bg_track $chain
sleep 3
surg-consent -q revoke CASE-0003
start=$SECONDS
wait $chain
check "push exits 3 soon after a whole revocation" test $? = 3 -a $((SECONDS - start)) -le 6
frames=$(count_frames "$WORK/all.mp4")
check "the recording up to the revocation is playable ($frames frames)" test "${frames:-0}" -gt 60 -a "${frames:-0}" -lt 600
# surg-anonymize --consent: what the consent requires is a floor that flags cannot lower.
grant CASE-0004 patient recording faces,oob,text
grant CASE-0004 surgeon recording none
surg-capture --test-pattern --duration 1 --size 320x240 |
  surg-anonymize --consent CASE-0004 --no-faces --no-oob -o "$WORK/floor.nut" 2>"$err"
check "anonymize --consent runs" test "${PIPESTATUS[1]}" = 0
chain=$(probe -show_entries format_tags=surg.chain -of csv=p=0 "$WORK/floor.nut")
check "the consent turned faces, oob and text back on ($chain)" \
  bash -c "grep -q 'anonymize@[^:]*:faces,oob,.*text' <<<'$chain'"
check "the override is logged" grep -q "consent CASE-0004 requires faces: turned on" "$err"
check "the chain names the detector and its pinned model ($chain)" \
  bash -c "grep -q 'anonymize@[^;]*,detector=blazeface,model=4ff5ca632a394c70' <<<'$chain'"
# Settings that switch detection off in effect are refused under --consent (exit 3).
for blind in "--score 0.9" "--detector scripted --detector-script /dev/null" "--detector haar"; do
  surg-capture --test-pattern --duration 1 --size 320x240 |
    surg-anonymize --consent CASE-0004 $blind -o "$WORK/blind.nut" 2>"$err"
  check "anonymize --consent $blind: exit 3, named" \
    bash -c "test ${PIPESTATUS[1]} = 3 && grep -q 'requires faces hidden' '$err'"
done
# Model files swapped in the model directory (they still load) are refused too.
mkdir -p "$WORK/models"
cp "$SURG_MODEL_DIR/face_detection_back_256x256_barracuda.onnx" "$WORK/models/face_detection_front_128x128_barracuda.onnx"
cp "$SURG_MODEL_DIR/face_detection_front_128x128_barracuda.onnx" "$WORK/models/face_detection_back_256x256_barracuda.onnx"
surg-capture --test-pattern --duration 1 --size 320x240 |
  surg-anonymize --consent CASE-0004 --model-dir "$WORK/models" -o "$WORK/swapped.nut" 2>"$err"
check "anonymize --consent with a changed model file: exit 3" \
  bash -c "test ${PIPESTATUS[1]} = 3 && grep -q 'is not the one the consent gate accepts' '$err'"
check "the output names the case" \
  test "$(probe -show_entries format_tags=surg.case -of csv=p=0 "$WORK/floor.nut")" = CASE-0004
surg-capture --test-pattern --duration 1 --size 320x240 |
  surg-anonymize --consent CASE-0999 -o "$WORK/none.nut" 2>"$err"
check "anonymize --consent without a consent in force: exit 3" test "${PIPESTATUS[1]}" = 3
finish
