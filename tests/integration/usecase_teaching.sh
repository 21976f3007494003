#!/usr/bin/env bash
# Teaching clips (examples/teaching-clip.sh): from an endoscopy recording of real HyperKvasir
# frames (source metadata with a patient's name in it) and from a recording made here by the
# live chain. Checks the MP4 a course platform takes (H.264, stereo AAC, moov before mdat, the
# span's duration, no source metadata), the sidecar and FHIR export, and the refusal (exit 3)
# without teaching consent.
source "$(dirname "$0")/lib.sh"
clip_sh=$SRC/examples/teaching-clip.sh
export SURG_CONSENT_STORE=$WORK/consent

json_true() {  # json_true FILE JS-EXPRESSION (the file's JSON bound to j)
  node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    process.exit(eval(process.argv[2]) ? 0 : 1)' "$1" "$2" 2>/dev/null
}
# Byte offset of a top-level MP4 box's type (first match), for the moov/mdat order.
box_at() { grep -obUaF "$2" "$1" | head -1 | cut -d: -f1; }
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; exit !(d <= t && d >= -t) }'; }

# Consents: CASE-T01 covers teaching; CASE-T02 only live broadcast and recording.
surg-consent keygen --install >/dev/null 2>&1 || fail "keygen"
grant() {
  local c=$1 purposes=$2 who
  for who in patient surgeon; do
    surg-consent grant "$c" --grantor "$who" --purpose "$purposes" --platform intranet \
      --anonymize faces,oob,text --audience adults --expires 2099-12-31 2>/dev/null || fail "grant $c $who"
  done
}
grant CASE-T01 live-broadcast,recording,teaching
grant CASE-T02 live-broadcast,recording

# A 2 s endoscopy recording (MPEG-4 Part 2, 10 fps) of the four
# HyperKvasir frames in tests/data, half a second each, carrying what must not reach a
# published file.
timeout -k 2 30 ffmpeg -nostdin -v error -framerate 2 -pattern_type glob -i "$FREE_DATA/hyperkvasir/*.jpg" \
  -vf fps=10,format=yuv420p -c:v mpeg4 -q:v 3 -metadata title="Jane Doe MRN 4471" \
  -metadata creation_time=2026-01-02T03:04:05Z -metadata comment="Hospital X theatre 3" \
  "$WORK/endovis.mp4" || fail "could not make the tagged endoscopy source"
printf '1\n00:00:00,300 --> 00:00:01,200\nTwo instruments over the tissue\n' >"$WORK/clip.srt"

check_clip() {  # check_clip LABEL CLIP.mp4 SPAN
  local label=$1 clip=$2 span=$3 base=${2%.mp4}
  check "$label: video is H.264" test "$(probe_entry "$clip" v:0 codec_name)" = h264
  check "$label: audio is AAC, 2 channels" \
    test "$(probe_entry "$clip" a:0 codec_name,channels)" = "aac,2"
  local moov mdat; moov=$(box_at "$clip" moov) mdat=$(box_at "$clip" mdat)
  check "$label: moov ($moov) before mdat ($mdat)" test "${moov:-999999999}" -lt "${mdat:-0}"
  local d; d=$(duration_of "$clip")
  check "$label: duration $d s ≈ the span $span s" near "$d" "$span" 0.15
  local tags; tags=$(probe -show_entries format_tags:stream_tags -of flat "$clip" |
    cut -d= -f1 | sed 's/.*tags\.//' | sort -u | tr '\n' ' ')
  check "$label: only allow-listed tags ($tags)" bash -c '
    for t in $1; do case $t in major_brand|minor_version|compatible_brands|surg_*|language|handler_name|vendor_id) ;; *) exit 1;; esac; done' _ "$tags"
  check "$label: no name, comment, creation time, encoder string in the file" \
    lacks "Jane Doe|Hospital X|2026-01-02|Lavf|Lavc|x264 - core" "$clip"
  check "$label: sidecar names the case and its consent record" json_true "$base.json" \
    "j.case === 'CASE-T01' && j.consent === '$(surg-consent show CASE-T01 | sed -n 's/^record //p')'"
  check "$label: sidecar has the chain: anonymized, then warning + title + captions" json_true "$base.json" \
    "/capture@[^;]*;anonymize@[^:]*:faces,oob[^;]*;annotate@[^:]*:.*warning/.test(j.chain) &&
     /title/.test(j.chain) && /captions/.test(j.chain)"
  check "$label: sidecar carries the FHIR R4 Consent" json_true "$base.json" \
    "j.fhir.resourceType === 'Consent' && j.fhir.patient.identifier.value === 'CASE-T01'"
  check "$label: FHIR export beside it" json_true "$base.fhir.json" \
    "j.resourceType === 'Consent' && j.status === 'active'"
}

export SURG_TITLE="Robotic dissection" SURG_WARNING=500ms
export SURG_ZONES=$SRC/examples/zones/tower-generic.toml
expect_status 0 "endoscopy: clip 0.5 s + 1.2 s made" \
  timeout -k 5 90 "$clip_sh" CASE-T01 "$WORK/endovis.mp4" 0.5 1.2 "$WORK/endovis-clip.mp4" \
  "$WORK/clip.srt" 2>"$WORK/endovis.err"
[ -s "$WORK/endovis-clip.mp4" ] || sed 's/^/# /' "$WORK/endovis.err"
check_clip endoscopy "$WORK/endovis-clip.mp4" 1.2
check "endoscopy: 12 frames (10 fps × 1.2 s)" test "$(count_frames "$WORK/endovis-clip.mp4")" = 12

# A recording made by the live chain (examples/live-broadcast.sh on the test pattern, to
# nginx-rtmp on loopback, under CASE-T01's consent), then cut.
PORT=$(free_port)
start_nginx teach "$PORT" || fail "nginx did not start"
SURG_STREAM_KEY=teach-key SURG_PLATFORM=intranet SURG_DURATION=5 SURG_SIZE=640x360 SURG_WARNING=1s \
  SURG_RECORD=$WORK/live-rec.mkv SURG_CONTROL=$WORK/live.control SURG_ZONES='' SURG_TITLE=Live \
  timeout -k 5 60 "$SRC/examples/live-broadcast.sh" CASE-T01 "rtmp://127.0.0.1:$PORT/live" \
  2>"$WORK/live-rec.err"
check "live recording made (5 s)" near "$(duration_of "$WORK/live-rec.mkv")" 5 0.2
stop_nginx teach
export SURG_ZONES=$SRC/examples/zones/test-pattern.toml
expect_status 0 "live recording: clip 1.5 s + 2 s made" \
  timeout -k 5 90 "$clip_sh" CASE-T01 "$WORK/live-rec.mkv" 1.5 2 "$WORK/live-clip.mp4" \
  "$WORK/clip.srt" 2>"$WORK/live-clip.err"
[ -s "$WORK/live-clip.mp4" ] || sed 's/^/# /' "$WORK/live-clip.err"
check_clip "live recording" "$WORK/live-clip.mp4" 2
warmup=$(grep -o '"detector-warmup":[0-9]*' "$WORK/live-clip.err" | cut -d: -f2)
check "live recording: offline, at most one warm-up slate frame (${warmup:-0} of 60 frames)" \
  test "${warmup:-0}" -le 1
check "live recording: the clip keeps the recording's surg.case" \
  test "$(probe -show_entries format_tags=surg.case -of default=nw=1:nk=1 "$WORK/live-clip.mp4")" = CASE-T01

# On a terminal a progress line shows speed and ETA; in a log file there is none.
timeout -k 5 90 script -qec "$(printf '%q ' "$clip_sh" CASE-T01 "$WORK/live-rec.mkv" 0 3 "$WORK/tty-clip.mp4")" \
  /dev/null </dev/null | tr '\r' '\n' >"$WORK/tty.out"
check "on a terminal: a progress line with the speed" grep -qE 'speed [0-9.]+x' "$WORK/tty.out"
check "on a terminal: the progress line has an ETA" grep -qiE 'eta [0-9]' "$WORK/tty.out"
check "in a log file: no progress line" bash -c '! grep -qE "speed [0-9.]+x" "$1"' _ "$WORK/live-clip.err"

# Consent without teaching: refused before anything is written.
expect_status 3 "no teaching consent: exit 3" \
  "$clip_sh" CASE-T02 "$WORK/endovis.mp4" 0 1 "$WORK/refused.mp4" 2>"$WORK/refused.err"
check "no teaching consent: nothing written" \
  bash -c '! ls "$1"/refused.mp4 "$1"/refused.json "$1"/refused.fhir.json 2>/dev/null | grep -q .' _ "$WORK"
check "no teaching consent: the reason is logged" grep -q "CASE-T02" "$WORK/refused.err"
SURG_ZONES='' "$clip_sh" CASE-T01 "$WORK/endovis.mp4" 0 1 "$WORK/nozones.mp4" 2>"$WORK/nozones.err"
status=$?
check "consent asks for text hidden, no zones given: exit 3 (got $status), nothing written" \
  test "$status" = 3 -a ! -e "$WORK/nozones.mp4"
check "consent asks for text hidden, no zones given: says what to set" \
  grep -q 'burned-in text hidden: set SURG_ZONES' "$WORK/nozones.err"
expect_status 3 "unknown case: exit 3" \
  "$clip_sh" CASE-T99 "$WORK/endovis.mp4" 0 1 "$WORK/refused.mp4" 2>/dev/null
expect_status 2 "wrong arguments: exit 2" "$clip_sh" CASE-T01 "$WORK/endovis.mp4" 2>/dev/null
finish
