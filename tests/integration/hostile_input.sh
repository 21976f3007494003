#!/usr/bin/env bash
# Untrusted input gets a clear error, never a crash (issue 11 items 15-16): streams of codecs
# the surg stream does not carry, oversized frames, a control FIFO others can write, endless
# or deeply nested control lines, invalid UTF-8 text options, absurd durations and
# expressions given as rates.
source "$(dirname "$0")/lib.sh"
ff() { timeout -k 2 60 ffmpeg -nostdin -v error -y "$@"; }
SRC16="-f lavfi -i testsrc=size=64x48:rate=25:duration=0.2"

# refused STATUS PATTERN command...: exits STATUS with PATTERN on stderr.
refused() {
  local want=$1 pattern=$2; shift 2
  timeout -k 2 30 "$@" 2>"$WORK/err"
  local got=$?
  [ "$got" = "$want" ] && grep -qi -- "$pattern" "$WORK/err" && return 0
  echo "# exit $got, stderr: $(head -c 600 "$WORK/err")"
  return 1
}

# --- the stream reader --------------------------------------------------------------------
# shellcheck disable=SC2086
ff $SRC16 -c:v mpeg4 -f nut "$WORK/mpeg4.nut"
check "mpeg4 in NUT: surg-push exits 4 naming the codec" \
  refused 4 "codec 'mpeg4'" surg-push -i "$WORK/mpeg4.nut" "$WORK/o.mkv"
check "mpeg4 in NUT: nothing recorded" test ! -s "$WORK/o.mkv"
# timeout runs programs, not shell functions: the pipe goes through bash -c.
check "mpeg4 through a pipe (ffmpeg ... -f nut - | surg-push): exit 4" refused 4 "mpeg4" \
  bash -c "ffmpeg -nostdin -v error $SRC16 -c:v mpeg4 -f nut - | surg-push '$WORK/p.mkv'"
# shellcheck disable=SC2086
ff $SRC16 -f lavfi -i sine=sample_rate=48000 -t 0.2 -c:v rawvideo -c:a flac -ar 48000 -f nut "$WORK/flac.nut"
check "flac audio: surg-annotate exits 4 naming it" refused 4 "flac" surg-annotate -i "$WORK/flac.nut" -o "$WORK/o.nut"
ff -f lavfi -i testsrc=size=8200x16:rate=25 -frames:v 1 -c:v rawvideo -pix_fmt yuv420p -f nut "$WORK/wide.nut"
check "8200x16 frames: surg-anonymize exits 4 naming the limit" \
  refused 4 "8192" surg-anonymize --no-faces --no-oob -i "$WORK/wide.nut" -o "$WORK/o.nut"
# A valid header followed by garbage, and random bytes: exit 4 or a clean end, never a signal.
ff $SRC16 -c:v rawvideo -pix_fmt yuv420p -f nut "$WORK/ok.nut"
{ head -c 600 "$WORK/ok.nut"; head -c 200000 /dev/urandom; } >"$WORK/tail-garbage.nut"
surg-push -i "$WORK/tail-garbage.nut" "$WORK/tg.mkv" 2>/dev/null
st=$?
check "garbage after a valid header: exit 0 or 4, not a crash (exit $st)" test "$st" = 0 -o "$st" = 4
for i in 1 2 3 4 5; do
  head -c $((i * 997)) /dev/urandom >"$WORK/rand.nut"
  surg-push -i "$WORK/rand.nut" "$WORK/r.mkv" 2>/dev/null
  st=$?
  check "random bytes #$i: exit 4 (exit $st)" test "$st" = 4
done

# --- the control FIFO -----------------------------------------------------------------------
mkfifo -m 622 "$WORK/open.fifo"
check "a FIFO writable by others is refused (exit 2)" \
  refused 2 "writable by others" surg-annotate --control "$WORK/open.fifo" -i "$WORK/ok.nut" -o "$WORK/o.nut"
if [ "$(id -u)" = 0 ]; then
  mkfifo -m 600 "$WORK/theirs.fifo" && chown 65534:65534 "$WORK/theirs.fifo"
  check "a FIFO owned by another user is refused (exit 2)" \
    refused 2 "another user" surg-annotate --control "$WORK/theirs.fifo" -i "$WORK/ok.nut" -o "$WORK/o.nut"
fi
touch "$WORK/plain"
check "a regular file as --control is refused (exit 2)" \
  refused 2 "not a FIFO" surg-anonymize --control "$WORK/plain" -i "$WORK/ok.nut" -o "$WORK/o.nut"

# A live run fed an over-long line, 300,000 '[' and an absurd duration, then a mark: the
# tool warns, keeps going and still obeys the mark.
ff -f lavfi -i testsrc2=s=160x120:r=10:d=5 -c:v rawvideo -pix_fmt yuv420p -f nut "$WORK/live.nut"
mkfifo -m 600 "$WORK/ctl"
timeout -k 2 30 ffmpeg -nostdin -v error -re -i "$WORK/live.nut" -c copy -f nut - |
  surg-annotate --control "$WORK/ctl" --events "$WORK/ev.jsonl" -o "$WORK/live-out.nut" 2>"$WORK/live.err" &
pid=$!
bg_track $pid
sleep 1
{
  printf '{"cmd":"caption","text":"%s"}\n' "$(head -c 100000 /dev/zero | tr '\0' x)"
  head -c 300000 /dev/zero | tr '\0' '['; echo
  printf '%s\n' "$(head -c 60000 /dev/zero | tr '\0' '[')"
  echo '{"cmd":"caption","text":"x","duration":1e300}'
  echo '{"cmd":"mark","label":"after the flood"}'
} >"$WORK/ctl"
wait $pid
st=$?
check "annotate survives a hostile control stream (exit $st)" test "$st" = 0
check "over-long line dropped with a warning" grep -q "longer than 65536 bytes" "$WORK/live.err"
check "deep nesting refused with a warning" grep -q "nested deeper" "$WORK/live.err"
check "duration 1e300 refused with a warning" grep -q '"duration" must be' "$WORK/live.err"
check "the mark after the flood still arrives" grep -q '"after the flood"' "$WORK/ev.jsonl"
check "no caption of 1e300 s was shown" bash -c "! grep -q '\"type\":\"caption\"' '$WORK/ev.jsonl'"

# --- text and number options --------------------------------------------------------------
bad_utf8=$(printf 'Ur\xe9t\xe9roscopie')
check "invalid UTF-8 --title: exit 2 at start" \
  refused 2 "UTF-8" surg-annotate --title "$bad_utf8" -i "$WORK/ok.nut" -o "$WORK/u.nut"
check "invalid UTF-8 --title: no media written" test ! -s "$WORK/u.nut"
check "invalid UTF-8 --warning-text: exit 2" \
  refused 2 "UTF-8" surg-annotate --warning 1s --warning-text "$(printf '\xc0\xaf')" -i "$WORK/ok.nut" -o "$WORK/u.nut"
check "invalid UTF-8 --slate-text: exit 2" \
  refused 2 "UTF-8" surg-anonymize --no-faces --slate-text "$(printf '\xed\xa0\x80')" -i "$WORK/ok.nut" -o "$WORK/u.nut"
check "--hold 99999999999999999999h: exit 2" \
  refused 2 "invalid duration" surg-anonymize --no-faces --hold 99999999999999999999h -i "$WORK/ok.nut" -o "$WORK/u.nut"
check "--duration 1:75: exit 2" refused 2 "invalid duration" surg-capture --test-pattern --duration 1:75 -o "$WORK/u.nut"
check "--fps 'while(1,1)' is refused at once, not evaluated" \
  refused 2 "fps" surg-capture --test-pattern --fps 'while(1,1)' --duration 1 -o "$WORK/u.nut"
check "--size 99999999999x720: exit 2" refused 2 "size" surg-capture --test-pattern --size 99999999999x720 -o "$WORK/u.nut"

# --- FFmpeg's forms are accepted ------------------------------------------------------------
check "--size nhd --fps ntsc --duration 00:00:00.5 are accepted" \
  surg-capture --test-pattern --size nhd --fps ntsc --duration 00:00:00.5 -o "$WORK/ntsc.nut" 2>/dev/null
check "nhd is 640x360" test "$(probe_entry "$WORK/ntsc.nut" v:0 width,height)" = "640,360"
check "ntsc is 30000/1001" test "$(probe_entry "$WORK/ntsc.nut" v:0 r_frame_rate)" = "30000/1001"
finish
