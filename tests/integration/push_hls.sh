#!/usr/bin/env bash
# HLS is a publication (doc/privacy.md): a folder a web server serves to viewers. Without
# consent nothing goes there (issue: `... | surg-push hls:/srv/www/live` exited 0); with one it
# must cover live broadcast on the platform HLS is served to (intranet unless --platform);
# withdrawn, the playlist, segments and player page are removed while the recording goes on.
# --test-stream admits only a stream made by surg tools from the test pattern.
source "$(dirname "$0")/lib.sh"
export SURG_CONSENT_STORE=$WORK/store
err=$WORK/err

camera() {  # a stream that is not the test pattern (ffmpeg), its chain as given
  timeout -k 2 30 ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=320x240:rate=30 \
    -f lavfi -i sine=f=1000:r=48000 -t 1 -ac 2 -c:v rawvideo -pix_fmt yuv420p \
    -c:a pcm_s16le ${1:+-metadata "surg.chain=$1"} -f nut - 2>/dev/null
}
pattern() { surg-capture --test-pattern --duration "${1:-1}" --size 320x240 2>/dev/null; }
# refused STATUS "TEXT" SOURCE-COMMAND -- push-args...: exit STATUS, TEXT on stderr, no playlist.
refused() {
  local want=$1 text=$2 source=$3 dir=$WORK/hls-$RANDOM; shift 4
  $source | surg-push "$@" "hls:$dir" 2>"$err"
  local got=${PIPESTATUS[1]}
  if [ "$got" = "$want" ] && grep -qF -- "$text" "$err" && [ ! -e "$dir/index.m3u8" ]; then
    pass "refused ($want): $text"
  else
    fail "want $want with '$text' and no playlist, got $got: $(tail -2 "$err")"
  fi
}
camera "capture@0.1.0:device" >"$WORK/camera.nut"
pattern 1 >"$WORK/pattern.nut"
cat_camera() { cat "$WORK/camera.nut"; }
# The issue's attack: a camera's video beside the test pattern's audio; ffmpeg copies the
# pattern's tags over (-map_metadata), so the chain says test-pattern.
mapped() {
  timeout -k 2 30 ffmpeg -nostdin -v error -i "$WORK/camera.nut" -i "$WORK/pattern.nut" \
    -map 0:v -map 1:a -map_metadata 1 -c copy -f nut - 2>/dev/null
}
forged_step() { camera "capture@0.1.0:test-pattern;ffmpeg@5.1:overlay"; }
forged_start() { camera "anonymize@0.1.0:faces;capture@0.1.0:test-pattern"; }
bitexact_forgery() {  # what a deliberate forger can do: the interlock is not a security boundary
  timeout -k 2 30 ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=320x240:rate=30 -t 1 \
    -c:v rawvideo -pix_fmt yuv420p -metadata surg.chain=capture@0.1.0:test-pattern -fflags +bitexact -f nut - 2>/dev/null
}

refused 3 "need --consent" cat_camera --
refused 3 "need --consent" pattern --
refused 3 "not a surg tool" cat_camera -- --test-stream
refused 3 "not a surg tool" mapped -- --test-stream
refused 3 "not a surg tool" forged_step -- --test-stream
refused 3 "not a surg tool" forged_start -- --test-stream
check "the -map attack does carry the test-pattern tag (so the chain alone could not tell)" \
  bash -c 'mapped() { timeout -k 2 30 ffmpeg -nostdin -v error -i "$1" -i "$2" -map 0:v -map 1:a -map_metadata 1 -c copy -f nut - 2>/dev/null; }
    mapped "$1" "$2" | ffprobe -v error -show_entries format_tags -of flat - | grep -q test-pattern' _ "$WORK/camera.nut" "$WORK/pattern.nut"
refused 2 "exclude each other" pattern -- --test-stream --consent CASE-0001

# The chain check itself: a bit-exact forgery of the chain is admitted (documented), while a
# chain with a foreign step or a wrong start is refused even without an encoder tag.
bitexact_forgery | surg-push --test-stream "hls:$WORK/forged" 2>"$err"
check "a bit-exact forgery passes (an interlock, not a boundary)" test "${PIPESTATUS[1]}" = 0
for chain in "capture@0.1.0:device" "capture@0.1.0:test-pattern;ffmpeg@5.1:x" "annotate@0.1.0:title"; do
  timeout -k 2 30 ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=160x120:rate=30 -t 0.5 \
    -c:v rawvideo -pix_fmt yuv420p -metadata "surg.chain=$chain" -fflags +bitexact -f nut - 2>/dev/null |
    surg-push --test-stream "hls:$WORK/chain-$RANDOM" 2>"$err"
  st=${PIPESTATUS[1]}
  check "--test-stream refuses chain '$chain' (exit 3, for its chain)" \
    bash -c '[ "$1" = 3 ] && grep -q "its surg.chain" "$2"' _ "$st" "$err"
done

# The real test pattern through surg stages: published, loudly.
surg-capture --test-pattern --duration 2 --size 320x240 | surg-annotate --title test 2>/dev/null |
  surg-push --test-stream "hls:$WORK/test" --stats "$WORK/test.json" 2>"$err"
check "test pattern through surg-annotate: published (exit 0)" test "${PIPESTATUS[2]}" = 0
check "  a playlist with segments" grep -q segment- "$WORK/test/index.m3u8"
check "  a warning line says what is published" grep -q "TEST STREAM without consent" "$err"
check "  and --stats carries it" jq -e '.warning | test("test stream")' "$WORK/test.json"

# Under --consent: live broadcast on the intranet is needed, recording is not enough.
grant() {  # grant CASE PURPOSES PLATFORMS
  for who in patient surgeon; do
    surg-consent -q grant "$1" --grantor "$who" --purpose "$2" --platform "$3" --anonymize none \
      --audience professionals --expires 2099-12-31 || fail "grant $1 $who"
  done
}
surg-consent -q keygen --install >/dev/null
grant CASE-0101 recording intranet
grant CASE-0102 live-broadcast,recording intranet
refused 3 "CASE-0101: not covering: patient consent does not cover live-broadcast" pattern -- --consent CASE-0101
refused 3 "CASE-0102: not covering: patient consent does not cover platform youtube" pattern -- \
  --consent CASE-0102 --platform youtube
pattern 1 | surg-push --consent CASE-0102 "hls:$WORK/ok" 2>"$err"
check "live broadcast on the intranet covers HLS (exit 0)" test "${PIPESTATUS[1]}" = 0
check "  the playlist exists" test -s "$WORK/ok/index.m3u8"

# Withdrawn while streaming: the folder is emptied of the publication within 5 s; the
# recording (still consented) goes on to the end; exit 3.
grant CASE-0103 live-broadcast,recording intranet
surg-capture --test-pattern --realtime --duration 12 --size 320x240 |
  surg-push --consent CASE-0103 --player --record "$WORK/rev.mkv" "hls:$WORK/rev" 2>"$WORK/rev.err" &
chain=$!
bg_track "$chain"
for _ in $(seq 100); do [ -e "$WORK/rev/segment-00001.ts" ] && break; sleep 0.1; done
check "before the revocation: segments are published" test -e "$WORK/rev/segment-00001.ts"
check "  with the player page and hls.js" test -s "$WORK/rev/index.html" -a -s "$WORK/rev/hls.min.js"
surg-consent -q revoke CASE-0103 --purpose live-broadcast
revoked=$SECONDS
for _ in $(seq 100); do [ -e "$WORK/rev/index.m3u8" ] || break; sleep 0.1; done
check "the playlist is removed within 5 s of the revocation ($((SECONDS - revoked)) s)" \
  bash -c '[ ! -e "$1/index.m3u8" ] && (( $2 <= 5 ))' _ "$WORK/rev" "$((SECONDS - revoked))"
check "no segment, player page or hls.js is left" \
  bash -c '! ls "$1" 2>/dev/null | grep -Eq "segment-|index.html|hls.min.js"' _ "$WORK/rev"
wait "$chain"
check "push exits 3 after the withdrawal" test $? = 3
check "the recording went on to the end: 360 frames" test "$(count_frames "$WORK/rev.mkv")" = 360
check "the log says HLS stopped" grep -q "withdrawn" "$WORK/rev.err"
finish
