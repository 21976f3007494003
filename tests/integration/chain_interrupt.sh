#!/usr/bin/env bash
# Ctrl-C on the operating-room workstation (DESIGN "Shutdown", the man pages' EXIT STATUS):
# SIGINT sent to the whole process group of the four-stage chain, as a terminal sends it,
# leaves a playable recording and every stage exits as its man page says (0: the source
# stopped, every later stage drained and finished its output). Then surg-push alone: one
# Ctrl-C drains and finishes the recording (0) even while its source goes on; a second Ctrl-C
# kills it at once (130, "interrupted before the recordings could be finished").
source "$(dirname "$0")/lib.sh"

# decodes_cleanly FILE: ffmpeg decodes every packet without an error line.
decodes_cleanly() { [ -z "$(timeout -k 2 60 ffmpeg -nostdin -v error -i "$1" -f null - 2>&1)" ]; }
# wait_file FILE SECONDS: until FILE exists.
wait_file() { local i; for ((i = 0; i < $2 * 10; i++)); do [ -s "$1" ] && return 0; sleep 0.1; done; return 1; }

# --- the whole chain, in its own session and process group, like a terminal's job ------------
# setsid makes the chain's shell the leader of a new process group; SIGINT to -PGID reaches
# every stage at once, as Ctrl-C does.
setsid bash -c '
  surg-capture --test-pattern --realtime --size 640x360 2>"$1/capture.err" |
    surg-anonymize 2>"$1/anonymize.err" |
    surg-annotate --title "Interrupted" 2>"$1/annotate.err" |
    surg-push "$1/chain.mkv" 2>"$1/push.err"
  echo "${PIPESTATUS[*]}" >"$1/status.tmp" && mv "$1/status.tmp" "$1/status"' _ "$WORK" </dev/null &
chain=$!
bg_track "$chain"
sleep 5
pgid=$(ps -o pgid= -p "$chain" | tr -d ' ')
check "the chain runs in its own process group ($pgid, shell $chain)" test "$pgid" = "$chain"
kill -INT -- "-$pgid"
start=$SECONDS
wait_file "$WORK/status" 20
check "the chain ended within 10 s of Ctrl-C ($((SECONDS - start)) s)" test -s "$WORK/status" -a $((SECONDS - start)) -le 10
read -r s_cap s_anon s_ann s_push <"$WORK/status" 2>/dev/null
check "surg-capture exits 0 on SIGINT (got ${s_cap:-none}; man: 0 on SIGINT/SIGTERM)" test "${s_cap:-}" = 0
check "surg-anonymize drains and exits 0 (got ${s_anon:-none})" test "${s_anon:-}" = 0
check "surg-annotate drains and exits 0 (got ${s_ann:-none})" test "${s_ann:-}" = 0
check "surg-push finishes the recording and exits 0 (got ${s_push:-none})" test "${s_push:-}" = 0
frames=$(count_frames "$WORK/chain.mkv")
check "the recording is playable: ${frames:-0} frames (5 s at 30 fps, fewer when the machine is loaded)" test "${frames:-0}" -ge 15
check "the recording decodes without an error" decodes_cleanly "$WORK/chain.mkv"
check "the recording has its duration in the header" \
  awk -v d="$(duration_of "$WORK/chain.mkv")" 'BEGIN { exit !(d > 2) }'
for t in capture anonymize annotate push; do
  sed -n "s/^/# $t: /p" "$WORK/$t.err" | grep -iE 'error|warn' | head -3
done

# --- surg-push alone: one Ctrl-C drains and finishes, even while its source goes on ----------
surg-capture --test-pattern --realtime --size 320x240 2>/dev/null | surg-push "$WORK/one.mkv" 2>"$WORK/one.err" &
push=$!
bg_track "$push"
sleep 3
kill -INT "$push"
start=$SECONDS
wait "$push"
status=$?
check "push, one Ctrl-C while the source goes on: exit 0 (got $status)" test "$status" = 0
check "push, one Ctrl-C: done within 7 s (reads at most 5 s more) ($((SECONDS - start)) s)" \
  test $((SECONDS - start)) -le 7
check "push, one Ctrl-C: the recording is playable" decodes_cleanly "$WORK/one.mkv"
check "push, one Ctrl-C: the recording has frames ($(count_frames "$WORK/one.mkv"))" \
  test "$(count_frames "$WORK/one.mkv")" -ge 60

# --- surg-push alone: a second Ctrl-C kills it at once ---------------------------------------
surg-capture --test-pattern --realtime --size 320x240 2>/dev/null | surg-push "$WORK/two.mkv" 2>"$WORK/two.err" &
push=$!
bg_track "$push"
sleep 3
kill -INT "$push"
sleep 0.5
kill -INT "$push"
start=$(date +%s%N)
wait "$push"
status=$?
took=$((($(date +%s%N) - start) / 1000000))
check "push, second Ctrl-C: exit 130 (got $status; man: interrupted before the recordings could be finished)" \
  test "$status" = 130
check "push, second Ctrl-C: gone at once (${took} ms)" test "$took" -le 1500
finish
