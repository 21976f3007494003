#!/usr/bin/env bash
# A live broadcast from the operating room, as in doc/architecture.md: the consent is checked, the camera
# (or, to try it, the built-in test pattern) is anonymised (faces, out-of-body frames, the
# tower's burned-in text), the 18+ warning slate and the title are added, and the stream goes
# to the platform over RTMPS with a local recording beside it. surg-console, just before
# surg-push, serves the operator's panel on loopback (its address is printed at the start):
# a preview of what goes out, the state of every stage and of the consent, and the buttons
# (privacy slate, mute, chapter mark, live caption) that write to the control FIFOs of
# surg-anonymize and surg-annotate.
#
#   examples/live-broadcast.sh CASE URL
#   SURG_DEVICE=/dev/video0 SURG_TITLE="Ureteroscopy" \
#     examples/live-broadcast.sh CASE-0213 rtmps://live-api-s.facebook.com:443/rtmp/
#
# While it runs, open the panel (http://127.0.0.1:8480/), or from another terminal:
#   echo '{"cmd":"caption","text":"Here we are in the bladder"}' > CASE-0213.control
#   echo '{"cmd":"mark","label":"stone found"}' > CASE-0213.control   # a chapter of the recording
#   echo '{"cmd":"privacy","on":true}' > CASE-0213.privacy            # the privacy slate
# Ctrl-C stops the camera; every later stage drains, so the recording is always playable.
#
# Environment:
#   SURG_KEY_FILE       stream key file, mode 0600/0400 (default /etc/surg/keys/stream if it
#                       exists, else SURG_STREAM_KEY)
#   SURG_CA_FILE        PEM certificates to verify the rtmps:// server with, for a server
#                       signed by the hospital's own authority (surg-push always verifies
#                       rtmps:// servers; by default against the system's trust store)
#   SURG_DEVICE         V4L2 camera or capture card; unset: the built-in test pattern
#   SURG_AUDIO          ALSA capture device with SURG_DEVICE (default "default")
#   SURG_SIZE           frame size (default: the device's, test pattern 1280x720)
#   SURG_FPS            frame rate (default: the device's, test pattern 30)
#   SURG_TITLE          lower-third title (default none)
#   SURG_WARNING        length of the content-warning slate (default 10s)
#   SURG_ZONES          surg-anonymize zone profile of the tower's burned-in text (default:
#                       share/surg/examples/zones/tower-generic.toml, or test-pattern.toml)
#   SURG_PRESET         surg-push platform preset, e.g. facebook-720p30 (default none)
#   SURG_PLATFORM       platform the consent must cover (default: surg-push names it by host)
#   SURG_RECORD         local recording (default ./CASE-YYYYMMDD-HHMMSS.mkv); the operator's
#                       actions on the panel are logged beside it (REC.actions.jsonl)
#   SURG_CONTROL        surg-annotate's control FIFO (default ./CASE.control; created, removed
#                       at the end)
#   SURG_PRIVACY_CONTROL surg-anonymize's control FIFO (default ./CASE.privacy; likewise)
#   SURG_PANEL          the panel's address (default 127.0.0.1:8480; another address than
#                       loopback needs SURG_PANEL_TOKEN_FILE, see surg-console(1))
#   SURG_PANEL_TOKEN_FILE  the panel's token file (mode 0600)
#   SURG_RUN_DIR        the stages' events logs, read by the panel (default: a temporary folder)
#   SURG_DURATION       stop after this long (default: until Ctrl-C)
#   SURG_MAX_RETRIES    give the platform up after N failed attempts in a row (default: never)
#   SURG_CONSENT_STORE  consent store (default: surg-consent's)
# Exit status: 3 without a consent covering the broadcast; else the chain's (see surg-push(1)).
set -uo pipefail

(($# == 2)) || { echo "usage: ${0##*/} CASE URL   (see the comment at the top)" >&2; exit 2; }
case_id=$1 url=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
say() { echo "${0##*/}: $*" >&2; }

platform=()
[ -n "${SURG_PLATFORM:-}" ] && platform=(--platform "$SURG_PLATFORM")
surg-consent verify "$case_id" --for live-broadcast "${platform[@]}" || exit $?

if [ -n "${SURG_DEVICE:-}" ]; then
  capture=(--device "$SURG_DEVICE" --audio "${SURG_AUDIO:-default}")
  zones=${SURG_ZONES:-$here/zones/tower-generic.toml}
else
  capture=(--test-pattern --realtime)
  zones=${SURG_ZONES:-$here/zones/test-pattern.toml}
fi
[ -n "${SURG_SIZE:-}" ] && capture+=(--size "$SURG_SIZE")
[ -n "${SURG_FPS:-}" ] && capture+=(--fps "$SURG_FPS")
[ -n "${SURG_DURATION:-}" ] && capture+=(--duration "$SURG_DURATION")

# The FIFOs and the events folder are made here and removed at the end (those given are kept).
made=()
trap 'rm -rf "${made[@]}"' EXIT
control=${SURG_CONTROL:-$PWD/$case_id.control}
privacy=${SURG_PRIVACY_CONTROL:-$PWD/$case_id.privacy}
for fifo in "$control" "$privacy"; do
  if [ ! -p "$fifo" ]; then
    mkfifo -m 0600 "$fifo" || exit 1
    made+=("$fifo")
  fi
done
run_dir=${SURG_RUN_DIR:-}
if [ -z "$run_dir" ]; then
  run_dir=$(mktemp -d "${TMPDIR:-/tmp}/surg-run.XXXXXX") || exit 1
  made+=("$run_dir")
fi
annotate=(--warning "${SURG_WARNING:-10s}" --control "$control" --events "$run_dir/annotate.jsonl")
[ -n "${SURG_TITLE:-}" ] && annotate+=(--title "$SURG_TITLE")

record=${SURG_RECORD:-$PWD/$case_id-$(date +%Y%m%d-%H%M%S).mkv}
# The operator's actions (the audit trail) are kept beside the recording.
panel=${SURG_PANEL:-127.0.0.1:8480}
console=(--listen "$panel" --anonymize-control "$privacy" --annotate-control "$control" --run-dir "$run_dir"
  --events "${record%.*}.actions.jsonl")
[ -n "${SURG_PANEL_TOKEN_FILE:-}" ] && console+=(--token-file "$SURG_PANEL_TOKEN_FILE")
push=(--consent "$case_id" "${platform[@]}" --record "$record" --events "$run_dir/push.jsonl")
key_file=${SURG_KEY_FILE:-}
[ -z "$key_file" ] && [ -z "${SURG_STREAM_KEY:-}" ] && [ -f /etc/surg/keys/stream ] &&
  key_file=/etc/surg/keys/stream
[ -n "$key_file" ] && push+=(--key-file "$key_file")
# surg-push always verifies rtmps:// servers (the system's trust store unless told otherwise).
[ -n "${SURG_CA_FILE:-}" ] && push+=(--ca-file "$SURG_CA_FILE")
[ -n "${SURG_PRESET:-}" ] && push+=(--preset "$SURG_PRESET")
[ -n "${SURG_MAX_RETRIES:-}" ] && push+=(--max-retries "$SURG_MAX_RETRIES")

say "recording to $record"
say "operator panel: http://$panel/   (privacy: P, mute: M, chapter mark: K, caption: C)"
say "captions and chapter marks also by: echo JSON lines > $control; the privacy slate: > $privacy"
surg-capture "${capture[@]}" |
  surg-anonymize --faces --oob --zones "$zones" --control "$privacy" --events "$run_dir/anonymize.jsonl" |
  surg-annotate "${annotate[@]}" |
  surg-console "${console[@]}" |
  surg-push "${push[@]}" "$url"
