#!/usr/bin/env bash
# A scheduled test stream: the operating-room chain on the built-in test pattern, live for 60 s
# to a staging endpoint, so a broken link, key or encoder shows up before the real broadcast.
# Non-interactive (cron, systemd timer). One JSON line a run is appended to the stats log; the
# exit status is 0 only when the stream went through cleanly, and a failure ends with one line
# on stderr (the journal, or cron's mail) that says what went wrong.
#
#   SURG_STAGING_URL=rtmp://staging.example.org/live examples/cron/surg-test-stream.sh
#
# The chain is the broadcast's own (capture | anonymize | annotate | push), so a workstation too
# slow for it fails here as dropped frames.
#
# Environment (the systemd unit sets these from /etc/surg/test-stream.env):
#   SURG_STAGING_URL     rtmp://, rtmps:// or srt:// endpoint, without the key (required)
#   SURG_KEY_FILE        stream key file (mode 0600/0400); else SURG_STREAM_KEY is used
#   SURG_CA_FILE         PEM certificates to verify an rtmps:// endpoint with (optional)
#   SURG_TEST_SECONDS    length of the test stream (default 60)
#   SURG_TEST_SIZE       test pattern frame size (default 1280x720)
#   SURG_STATS_LOG       JSON Lines log, one line a run (default $STATE_DIRECTORY or
#                        $XDG_STATE_HOME/surg, file test-stream.jsonl)
#   SURG_MAX_DROPS       frames dropped at the source plus packets dropped by the network output
#                        tolerated (default 30: about what the chain loses at 30 fps while the
#                        face model loads)
#   SURG_MAX_RECONNECTS  reconnects tolerated (default 0)
#   SURG_MAX_RETRIES     failed connection attempts in a row before giving up (default 3)
#
# No consent is needed: surg-push lets a stream whose surg.chain starts at the test pattern go
# to a network destination, and nothing else.
set -uo pipefail

url=${SURG_STAGING_URL:-}
seconds=${SURG_TEST_SECONDS:-60}
max_drops=${SURG_MAX_DROPS:-30}
max_reconnects=${SURG_MAX_RECONNECTS:-0}
log_dir=${STATE_DIRECTORY:-${XDG_STATE_HOME:-$HOME/.local/state}/surg}
stats_log=${SURG_STATS_LOG:-$log_dir/test-stream.jsonl}

zones=$(cd "$(dirname "${BASH_SOURCE[0]}")/../zones" 2>/dev/null && pwd)/test-pattern.toml

say() { echo "surg-test-stream: $*" >&2; }
[ -n "$url" ] || { say "FAILED: set SURG_STAGING_URL to the staging endpoint, e.g. rtmp://host/live"; exit 2; }
for n in "$seconds" "$max_drops" "$max_reconnects"; do
  [[ $n =~ ^[0-9]+$ ]] || { say "FAILED: '$n' is not a whole number (SURG_TEST_SECONDS, SURG_MAX_*)"; exit 2; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/surg-test-stream.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$(dirname "$stats_log")" || exit 1

# The test pattern, published without consent: surg-push checks that the stream is one.
push_args=(--test-stream --max-retries "${SURG_MAX_RETRIES:-3}" --stats "$tmp/push.json")
[ -n "${SURG_KEY_FILE:-}" ] && push_args+=(--key-file "$SURG_KEY_FILE")
[ -n "${SURG_CA_FILE:-}" ] && push_args+=(--ca-file "$SURG_CA_FILE")

surg-capture --test-pattern --realtime --duration "$seconds" --size "${SURG_TEST_SIZE:-1280x720}" \
  --stats "$tmp/capture.json" |
  surg-anonymize --zones "$zones" |
  surg-annotate --title "surg test stream" --clock wall |
  surg-push "${push_args[@]}" "$url"
status=$?

# Sum of every numeric "KEY":N in a one-line JSON summary written by a surg tool (0 if absent).
# The key is matched with its quotes, so "packets" never matches "dropped_packets".
sum_of() {
  local total=0 n
  for n in $(grep -o "\"$1\":[0-9]*" "$2" 2>/dev/null | cut -d: -f2); do total=$((total + n)); done
  echo "$total"
}
field_of() { grep -o "\"$1\":\"[^\"]*\"" "$2" 2>/dev/null | head -1 | cut -d'"' -f4; }

[ -s "$tmp/push.json" ] || echo '{}' >"$tmp/push.json"
[ -s "$tmp/capture.json" ] || echo '{}' >"$tmp/capture.json"
where=$(field_of url "$tmp/push.json")  # redacted by surg-push
where=${where:-the staging endpoint}
state=$(field_of state "$tmp/push.json")
packets=$(sum_of packets "$tmp/push.json")
drops=$(($(sum_of frames_dropped "$tmp/capture.json") + $(sum_of dropped_packets "$tmp/push.json")))
reconnects=$(sum_of reconnects "$tmp/push.json")

verdict=ok
if [ "$status" != 0 ] || [ "$state" != finished ] || [ "$packets" = 0 ]; then
  verdict=failed
  case $state in
    gave_up | disconnected | failed) reason="$where unreachable or refused the stream (output $state)" ;;
    *) reason="the chain failed (exit $status) before reaching $where" ;;
  esac
elif ((drops > max_drops || reconnects > max_reconnects)); then
  verdict=degraded
  reason="$where degraded: $drops frames/packets dropped (max $max_drops), $reconnects reconnects (max $max_reconnects)"
fi

# One line a run. Every value is either a summary written by a surg tool's JSON library or a
# word from the fixed set above, so joining them needs no quoting.
printf '{"time":"%s","verdict":"%s","seconds":%s,"capture":%s,"push":%s}\n' \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$verdict" "$seconds" \
  "$(tr -d '\n' <"$tmp/capture.json")" "$(tr -d '\n' <"$tmp/push.json")" >>"$stats_log"

if [ "$verdict" = ok ]; then
  say "ok: ${seconds}s to $where, $packets packets, $drops dropped, $reconnects reconnects"
  exit 0
fi
say "FAILED: $reason; details in $stats_log"
[ "$status" != 0 ] && exit "$status"
exit 1
