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

# Chapter-mark labels title chapters and reach logs and sidecars: one line of UTF-8 text of
# at most 256 bytes. A bad label is refused with a warning, the stream goes on, and the good
# marks around it are kept (doc/stream.md).
# 1. From the control FIFO of surg-annotate.
ff -f lavfi -i testsrc2=s=160x120:r=10:d=4 -c:v rawvideo -pix_fmt yuv420p -f nut "$WORK/marks-live.nut"
timeout -k 2 30 ffmpeg -nostdin -v error -re -i "$WORK/marks-live.nut" -c copy -f nut - |
  surg-annotate --control "$WORK/ctl" --events "$WORK/marks-ev.jsonl" -o "$WORK/marks-out.nut" 2>"$WORK/marks.err" &
pid=$!
bg_track $pid
sleep 1
{
  echo '{"cmd":"mark","label":"first"}'
  printf '{"cmd":"mark","label":"%s"}\n' "$(head -c 300 /dev/zero | tr '\0' x)"
  echo '{"cmd":"mark","label":"clear\u001b[2Jscreen"}'
  echo '{"cmd":"mark","label":"two\nlines"}'
  printf '{"cmd":"mark","label":"Ur\xe9t\xe9ro"}\n'
  printf '{"cmd":"mark","label":"%s"}\n' "$(head -c 256 /dev/zero | tr '\0' y)"
} >"$WORK/ctl"
wait $pid
st=$?
check "annotate goes on after refused mark labels (exit $st)" test "$st" = 0
check "  and passes every frame (40)" test "$(count_frames "$WORK/marks-out.nut")" = 40
check "a 300-byte label is refused with a warning" grep -q "mark command refused: its label is 300 bytes, more than 256" "$WORK/marks.err"
check "an escape sequence in a label is refused with a warning" grep -q "label holds a control character (U+001B)" "$WORK/marks.err"
check "a newline in a label is refused with a warning" grep -q "label holds a control character (U+000A)" "$WORK/marks.err"
check "a label of invalid UTF-8 is ignored with a warning" grep -q "ignoring malformed line" "$WORK/marks.err"
check "the refused labels are not echoed" bash -c '! grep -qE "xxxxxxxxxx|2Jscreen" "$1"' _ "$WORK/marks.err"
check "only the good marks are made: first, and 256 bytes" \
  test "$(jq -r 'select(.type == "mark") | .data.label | length' "$WORK/marks-ev.jsonl" | tr '\n' ' ')" = "5 256 "
# 2. From a stream written by another program (ffmpeg): the reader drops the bad marks, so
#    surg-push titles no chapter with them.
{
  printf '1\n00:00:00,100 --> 00:00:00,200\nfirst\n\n'
  printf '2\n00:00:00,300 --> 00:00:00,400\nclear\x1b[2Jscreen\n\n'
  printf '3\n00:00:00,500 --> 00:00:00,600\n%s\n\n' "$(head -c 300 /dev/zero | tr '\0' x)"
  printf '4\n00:00:00,700 --> 00:00:00,800\nlast\n\n'
} >"$WORK/marks.srt"
ff -f lavfi -i testsrc=size=64x48:rate=25:duration=1 -i "$WORK/marks.srt" -map 0:v -map 1:s -c:v rawvideo \
  -pix_fmt yuv420p -c:s text -metadata:s:s:0 title=surg.marks -f nut "$WORK/marks.nut"
surg-push -i "$WORK/marks.nut" "$WORK/marks.mkv" 2>"$WORK/marks-push.err"
check "a stream with bad mark labels: surg-push exits 0" test $? = 0
check "the reader drops the mark with an escape sequence, with a warning" \
  grep -q "dropping a chapter mark whose label holds a control character (U+001B)" "$WORK/marks-push.err"
check "the reader drops the 300-byte mark, with a warning" \
  grep -q "dropping a chapter mark whose label is 300 bytes" "$WORK/marks-push.err"
check "the recording's chapters are the good marks only (first, last)" \
  test "$(probe -show_chapters -of json "$WORK/marks.mkv" | jq -r '[.chapters[].tags.title] | join(",")')" = "first,last"

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
