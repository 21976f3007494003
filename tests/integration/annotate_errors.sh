#!/usr/bin/env bash
# surg-annotate failures: missing or unusable files are usage errors (exit 2) naming the file,
# a malformed caption file is invalid data (exit 4) naming its line, garbage input exits 4;
# the [annotate] config table sets options and flags override it.
source "$(dirname "$0")/lib.sh"
ff() { timeout -k 2 60 ffmpeg -nostdin -v error -y "$@"; }
IN=$WORK/in.nut
ff -f lavfi -i testsrc2=s=320x240:r=30:d=1 -c:v rawvideo -pix_fmt yuv420p -f nut "$IN"
printf '1\n00:00:00,000 --> 00:00:01,000\nok\n\n2\n00:00:01,000 -> 00:00:02,000\nbroken arrow\n' >"$WORK/bad.srt"
printf '1\n00:00:00,000 --> 00:00:01,000\nok\n' >"$WORK/ok.srt"
: >"$WORK/empty.png"

# fails STATUS PATTERN args...: exits STATUS, says PATTERN on stderr, writes no media.
fails() {
  local want=$1 pattern=$2; shift 2
  surg-annotate -i "$IN" -o "$WORK/out.nut" "$@" 2>"$WORK/err"
  local got=$?
  if [ "$got" = "$want" ] && grep -q -- "$pattern" "$WORK/err"; then return 0; fi
  echo "# exit $got, stderr: $(cat "$WORK/err")"
  return 1
}
check "missing font: exit 2 naming it" fails 2 "font /nonexistent.ttf: no such file" --title x --font /nonexistent.ttf
check "bold font not a font: exit 2" fails 2 "not a font" --title x --font-bold "$WORK/ok.srt"
check "missing logo: exit 2 naming it" fails 2 "logo $WORK/nope.png: no such file" --logo "$WORK/nope.png"
check "empty logo file: exit 2" fails 2 "is empty" --logo "$WORK/empty.png"
check "logo that is not a PNG: exit 2" fails 2 "not a PNG" --logo "$WORK/ok.srt"
check "missing captions: exit 2 naming them" fails 2 "captions $WORK/none.srt: no such file" --captions "$WORK/none.srt"
check "captions that are a directory: exit 2" fails 2 "is a directory" --captions "$WORK"
check "malformed SRT: exit 4 naming line 6" fails 4 "bad.srt:6: expected a timing line" --captions "$WORK/bad.srt"
check "bad position: exit 2" fails 2 "expected one of" --position middle
check "bad clock: exit 2" fails 2 "clock" --clock sundial
check "bad lang: exit 2" fails 2 "expected en, fr or en,fr" --warning 1s --lang de
check "bad duration: exit 2" fails 2 "warning" --warning soon
check "bad opacity: exit 2" fails 2 "logo-opacity" --logo-opacity 2
check "no media written on a usage error" test ! -s "$WORK/out.nut"
head -c 100000 /dev/urandom >"$WORK/garbage"
expect_status 4 "garbage input: exit 4" surg-annotate -i "$WORK/garbage" -o "$WORK/out.nut" 2>/dev/null
on_terminal() { script -qec "$(command -v surg-annotate) -i $IN" /dev/null >"$WORK/tty.out"; }
expect_status 2 "refuses to write media to a terminal" on_terminal

# Config: [annotate] keys are the long flags; a flag overrides the file.
cat >"$WORK/surg.toml" <<TOML
[annotate]
title = "From the config: l'équipe"
position = "top-right"
caption-duration = "2s"
TOML
check "config title used" surg-annotate --config "$WORK/surg.toml" -i "$IN" -o /dev/null --events "$WORK/c.jsonl"
check "config title and position applied" \
  test "$(jq -r 'select(.type=="overlay") | "\(.data.text)|\(.data.y)"' "$WORK/c.jsonl")" = "From the config: l'équipe|8"
check "flag overrides the config" surg-annotate --config "$WORK/surg.toml" -i "$IN" -o /dev/null \
  --title "Flag" --events "$WORK/f.jsonl"
check "flag title won" test "$(jq -r 'select(.type=="overlay") | .data.text' "$WORK/f.jsonl")" = "Flag"
printf '[annotate]\ntitel = "typo"\n' >"$WORK/typo.toml"
check "unknown config key: exit 2 naming it" fails 2 "titel" --config "$WORK/typo.toml"
finish
