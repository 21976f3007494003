#!/usr/bin/env bash
# surg-push's consent re-check while streaming (doc/consent.md): a consent that expires during
# the broadcast stops it within 5 s; an amendment asking for faces the chain lacks stops the
# network outputs within 5 s; a ledger locked by another process (flock -x, as a surg-consent
# stopped with Ctrl-Z would) never stalls the media loop (no frame lost in the recording) and
# counts as withdrawn for the network after the 10 s deadline. Exit 3 each time.
source "$(dirname "$0")/lib.sh"

export SURG_CONSENT_STORE=$WORK/store
port=$(free_port)
start_nginx rtmp "$port" || fail "nginx-rtmp did not start"
url=rtmp://127.0.0.1:$port/live
printf recheck >"$WORK/key" && chmod 600 "$WORK/key"  # the stream key, never in the URL
err=$WORK/err
grant() {  # grant CASE ROLE EXPIRES
  surg-consent -q grant "$1" --grantor "$2" --purpose live-broadcast,recording --platform intranet \
    --anonymize none --audience professionals --expires "$3"
}
# push CASE SECONDS RECORDING: a realtime camera-like broadcast (a chain with no anonymisation)
# in the background; $chain is its pid.
push() {
  timeout -k 2 60 ffmpeg -nostdin -v error -re -f lavfi -i testsrc2=size=320x240:rate=30 -t "$2" \
    -c:v rawvideo -pix_fmt yuv420p -metadata "surg.chain=capture@0.1.0:device" -f nut - 2>/dev/null |
    surg-push --consent "$1" --platform intranet --key-file "$WORK/key" --record "$3" "$url" 2>"$err" &
  chain=$!
  bg_track $chain
}
# stopped_within SINCE MAX TEXT: the log shows TEXT within MAX s of the epoch time SINCE.
stopped_within() {
  local since=$1 max=$2 text=$3 now
  for _ in $(seq $((max * 10 + 30))); do grep -q "$text" "$err" && break; sleep 0.1; done
  now=$(date +%s.%N)
  grep -q "$text" "$err" && (($(echo "$now - $since < $max" | bc)))
}

surg-consent -q keygen --install >/dev/null

# Item 5: expiry during the broadcast.
expires=$(date -u -d '+10 seconds' +%Y-%m-%dT%H:%M:%SZ)
grant CASE-0501 patient "$expires"
grant CASE-0501 surgeon "$expires"
push CASE-0501 30 "$WORK/expiry.mkv"
expiry_epoch=$(date -d "$expires" +%s)
while (($(date +%s) < expiry_epoch)); do sleep 0.2; done
check "a consent expiring during the broadcast stops it within 5 s" \
  stopped_within "$expiry_epoch" 5 "stopping every output"
check "the reason says expired" grep -q "CASE-0501: expired" "$err"
wait $chain
check "push exits 3 after the expiry" test $? = 3

# Item 7: an amendment adding faces while the chain has none.
grant CASE-0701 patient 2099-12-31
grant CASE-0701 surgeon 2099-12-31
push CASE-0701 12 "$WORK/amend.mkv"
sleep 3
surg-consent -q amend CASE-0701 --grantor patient --anonymize faces
amended=$(date +%s.%N)
check "an amendment requiring faces stops the network outputs within 5 s" \
  stopped_within "$amended" 5 "stopping the network outputs"
check "the reason names faces" grep -q "requires anonymisation 'faces'" "$err"
wait $chain
check "push exits 3 after the amendment" test $? = 3
check "the recording went on to the end: 360 frames" test "$(count_frames "$WORK/amend.mkv")" = 360

# Item 10: the ledger locked for 20 s by another process.
grant CASE-1001 patient 2099-12-31
grant CASE-1001 surgeon 2099-12-31
push CASE-1001 20 "$WORK/lock.mkv"
sleep 3
flock -x "$SURG_CONSENT_STORE/ledger.jsonl" sleep 20 &
locker=$!
bg_track $locker
locked=$(date +%s.%N)
sleep 1
size_early=$(stat -c %s "$WORK/lock.mkv")
sleep 6
size_late=$(stat -c %s "$WORK/lock.mkv")
check "the media loop keeps writing while the ledger is locked ($size_early -> $size_late bytes)" \
  test "$size_late" -gt "$size_early"
check "a store locked past the 10 s deadline withdraws the network (within 15 s of the lock)" \
  stopped_within "$locked" 15 "stopping the network outputs"
check "the reason says the store could not be read" grep -q "store unreadable" "$err"
check "not before the deadline" bash -c "(( \$(echo \"\$(date +%s.%N) - $locked >= 9\" | bc) ))"
wait $chain
check "push exits 3 after the withdrawal" test $? = 3
frames=$(count_frames "$WORK/lock.mkv")
check "the lock froze nothing: the recording has all 600 frames ($frames)" test "$frames" = 600
kill "$locker" 2>/dev/null
finish
