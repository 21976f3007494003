#!/usr/bin/env bash
# A teaching clip from a recording: cut a span, anonymise it, add the 18+ warning slate, a title
# and captions, and write an MP4 a course platform takes (H.264, stereo AAC, index at the front),
# with a sidecar JSON (case id, consent record, processing chain, FHIR R4 Consent) beside it.
# Refused (exit 3) unless the case's consent covers teaching.
#
#   examples/teaching-clip.sh CASE RECORDING START DURATION OUT.mp4 [CAPTIONS.srt|.vtt]
#   examples/teaching-clip.sh CASE-0213 case-0213.mkv 3:00 2:00 stone.mp4 stone.srt
#
# Captions are timed from the start of the clip. Environment:
#   SURG_CONSENT_STORE  consent store (default: surg-consent's)
#   SURG_TITLE          lower-third title (default: none)
#   SURG_WARNING        length of the warning slate (default 5s)
#   SURG_ZONES          surg-anonymize zone profile for the tower's burned-in text
#   SURG_MASK_CIRCLE    1: fill everything outside a round endoscope image (hides border text)
#                       (a consent that asks for burned-in text hidden needs one of these two)
#   SURG_PLATFORM       where the clip will be shown, checked against the consent (default: any)
# Writes OUT.mp4, OUT.json (sidecar) and OUT.fhir.json. A progress line is drawn on stderr when
# it is a terminal. Exit status: 3 when the consent does not cover the clip, 2 on wrong arguments,
# else that of the last tool of the chain that failed (see its man page).
set -uo pipefail

usage() { echo "usage: ${0##*/} CASE RECORDING START DURATION OUT.mp4 [CAPTIONS]" >&2; exit 2; }
(($# == 5 || $# == 6)) || usage
case_id=$1 recording=$2 start=$3 span=$4 out=$5 captions=${6:-}
[[ $out == *.mp4 ]] || { echo "${0##*/}: $out: the clip must be an .mp4" >&2; exit 2; }
[ -r "$recording" ] || { echo "${0##*/}: $recording: cannot read it" >&2; exit 4; }
base=${out%.mp4}

# Consent first: nothing is decoded for a case that may not be taught from.
surg-consent verify "$case_id" --for teaching ${SURG_PLATFORM:+--platform "$SURG_PLATFORM"} ||
  exit $?
show=$(surg-consent show "$case_id") || exit $?
record=$(sed -n 's/^record //p' <<<"$show" | head -1)
# What the consents ask to be hidden (faces, oob, text), checked against what the chain did.
required=$(sed -n 's/^ *anonymize  *//p' <<<"$show" | tr ',' '\n' | grep -vx none | sort -u)
refuse() { echo "${0##*/}: $case_id: $*" >&2; exit 3; }

anonymize=(--no-live)  # offline: every frame waits for the detectors, none is slated for lateness
[ -n "${SURG_ZONES:-}" ] && anonymize+=(--zones "$SURG_ZONES")
[ "${SURG_MASK_CIRCLE:-}" = 1 ] && anonymize+=(--mask-outside-circle)
grep -qx text <<<"$required" && [ ${#anonymize[@]} = 1 ] &&
  refuse "the consent asks for burned-in text hidden: set SURG_ZONES or SURG_MASK_CIRCLE=1"
annotate=(--warning "${SURG_WARNING:-5s}")
[ -n "${SURG_TITLE:-}" ] && annotate+=(--title "$SURG_TITLE")
[ -n "$captions" ] && annotate+=(--captions "$captions")

# Course platforms expect a stereo track; a recording without one (or in mono) gets one here.
# Any FFmpeg program can stand in the chain; the session tags of the stream pass through it.
if [ -n "$(ffprobe -v error -select_streams a -show_entries stream=index -of csv=p=0 \
  "$recording" </dev/null)" ]; then
  silence=() audio=(-map 0:a:0)
else
  silence=(-f lavfi -i anullsrc=r=48000:cl=stereo) audio=(-map 1:a -shortest)
fi
stereo() {
  ffmpeg -nostdin -v error -f nut -i - "${silence[@]}" -map 0:v "${audio[@]}" \
    -c:v copy -c:a pcm_s16le -ar 48000 -ac 2 -f nut -
}

surg-capture --input "$recording" --start "$start" --duration "$span" |
  stereo |
  surg-anonymize "${anonymize[@]}" |
  surg-annotate "${annotate[@]}" |
  surg-push "$out" || exit $?

surg-consent export "$case_id" --format fhir-r4 >"$base.fhir.json" || exit $?
chain=$(ffprobe -v error -show_entries format_tags=surg.chain -of default=nw=1:nk=1 "$out" </dev/null)
steps=$(grep -o 'anonymize@[^;]*' <<<"$chain")
for r in $required; do
  [[ $steps == *[:,]"$r"[,]* || $steps == *[:,]"$r" ]] && continue
  rm -f "$out" "$base.fhir.json"
  refuse "the clip's chain ($chain) lacks $r, which the consent asks for; clip removed"
done
# The sidecar is built by a JSON library (node's), never by string pasting.
CASE=$case_id RECORD=$record CHAIN=$chain START=$start SPAN=$span CLIP=${out##*/} \
  FHIR=$base.fhir.json node -e '
    const fs = require("fs"), e = process.env;
    const sidecar = { case: e.CASE, consent: e.RECORD, clip: e.CLIP, start: e.START,
      duration: e.SPAN, chain: e.CHAIN, fhir: JSON.parse(fs.readFileSync(e.FHIR, "utf8")) };
    fs.writeFileSync(process.argv[1], JSON.stringify(sidecar, null, 2) + "\n");' "$base.json" ||
  exit 1
echo "${0##*/}: $out ($span from $start), sidecar $base.json, consent $base.fhir.json" >&2
